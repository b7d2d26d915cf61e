"""The court settings of the policy (issue 15): the creditor's and issuer's representative and credit code,
the court's name and the province's average wage that sets the small-claims limit."""
from __future__ import annotations

from decimal import Decimal

import pytest

from generator.core.model import Court
from generator.reading.fields import credit_check_char
from tests.community import Community
from tests.reading.text import col, read_text

HEAD = ("community: 测试花园\nissuer: {name: 测试花园业主委员会, representative: 张敏, credit_code: 业委会备案第12号}\n"
        "fees: [{id: property, basis: unit, rate: \"10\", cycle: 1, due_day: 1}]\n")


def read_policy(extra: str):
    return read_text("ledger/policy.yaml", HEAD + extra)


def test_the_creditor_and_the_issuer_carry_their_representative_and_credit_code():
    policy, problems = read_policy(
        "creditor: {name: 测试物业服务有限公司, representative: 李强, credit_code: 91350100M000100Y43}\n"
        "authorisations:\n  - {from: 2025-01-01, document: 授权委托书 1号}\n")
    assert problems == []
    assert (policy.creditor.representative, policy.creditor.credit_code) == ("李强", "91350100M000100Y43")
    assert (policy.issuer.representative, policy.issuer.credit_code) == ("张敏", "业委会备案第12号")  # a committee's 备案 number as written


def test_without_them_the_organisations_have_blanks():
    policy, problems = read_policy("creditor: {name: 测试物业服务有限公司}\nauthorisations: [{from: 2025-01-01, document: 授权委托书 1号}]\n")
    assert problems == []
    assert (policy.creditor.representative, policy.creditor.credit_code) == ("", "")


def test_the_check_character_of_a_credit_code_follows_gb_32100():
    # 91350100M000100Y43 is the standard's own example; weights 3**i mod 31, check = 31 - sum mod 31
    assert credit_check_char("91350100M000100Y4") == "3"
    assert credit_check_char("91110000802100433") == "B"
    assert credit_check_char("9135010OM000100Y4") is None  # O is not one of the 31 characters


def test_a_credit_code_with_a_wrong_check_character_is_warned_about_where_it_is_written():
    line = "creditor: {name: 测试物业服务有限公司, credit_code: 91350100M000100Y44}"
    policy, problems = read_policy(line + "\nauthorisations: [{from: 2025-01-01, document: 授权委托书 1号}]\n")
    [(severity, at_line, at_col, message, hint)] = problems
    assert (severity, at_line, at_col) == ("warning", 4, col(line, "9135"))
    assert message == "统一社会信用代码“91350100M000100Y44”的校验位不对（按前 17 位应为 3）"
    assert "营业执照" in hint
    assert policy.creditor.credit_code == "91350100M000100Y44"  # kept as written: the committee checks the licence


def test_a_credit_code_in_small_letters_is_read_in_capitals_and_one_with_a_letter_never_used_is_warned_about():
    policy, problems = read_policy("creditor: {name: 测试物业服务有限公司, credit_code: 91350100m000100y43}\n"
                                   "authorisations: [{from: 2025-01-01, document: 授权委托书 1号}]\n")
    assert problems == [] and policy.creditor.credit_code == "91350100M000100Y43"
    _, problems = read_policy("creditor: {name: 测试物业服务有限公司, credit_code: 9135O100M000100Y43}\n"
                              "authorisations: [{from: 2025-01-01, document: 授权委托书 1号}]\n")
    [(severity, _, _, message, hint)] = problems
    assert severity == "warning" and "I、O、Z、S、V" in message and "数字" in hint


def test_the_court_is_read_with_its_wage_as_an_exact_amount():
    policy, problems = read_policy("court: {name: 示例市示例区人民法院, average_wage: 98765.5, wage_year: 2025}\n")
    assert problems == []
    assert policy.court == Court("示例市示例区人民法院", Decimal("98765.50"), 2025)
    assert str(policy.court.average_wage) == "98765.50"  # a Decimal from the text, never the float 98765.5


def test_without_a_court_the_policy_has_none_and_a_court_may_give_its_name_only():
    assert read_policy("")[0].court is None
    policy, problems = read_policy("court: {name: 示例市示例区人民法院}\n")
    assert problems == [] and policy.court == Court("示例市示例区人民法院", None, None)


@pytest.mark.parametrize(("wage", "message"), [
    ("\"-98765\"", "金额“-98765”不能为负数"),
    ("9.8万", "“average_wage”不是有效金额：“9.8万”"),
    ("98765.555", "金额“98765.555”超过两位小数"),
    ("1e5", "“average_wage”不是有效金额：“1e5”"),
])
def test_a_wage_that_is_not_an_amount_is_refused_like_every_amount(wage, message):
    line = f"court: {{name: 示例区人民法院, average_wage: {wage}, wage_year: 2025}}"
    _, problems = read_policy(line + "\n")
    [(severity, at_line, at_col, found, _)] = problems
    assert (severity, at_line, at_col, found) == ("error", 4, col(line, wage), message)


def test_a_wage_without_its_year_is_an_error_that_says_how_to_fix_it():
    _, problems = read_policy("court:\n  name: 示例区人民法院\n  average_wage: \"98765\"\n")
    [(severity, line, at_col, message, hint)] = problems
    assert (severity, line, at_col) == ("error", 6, col("  average_wage: \"98765\"", "\""))
    assert message == "写了 average_wage（就业人员年平均工资）却没有写是哪一年的"
    assert "wage_year: 2025" in hint


def test_a_year_without_its_wage_is_an_error():
    _, problems = read_policy("court: {wage_year: 2025}\n")
    [(severity, line, at_col, message, _)] = problems
    assert (severity, line, at_col) == ("error", 4, col("court: {wage_year: 2025}", "2025")) and "没有写那一年的就业人员年平均工资" in message


def test_a_monthly_wage_and_a_court_name_that_is_not_one_are_warned_about():
    line = "court: {name: 示例区, average_wage: \"8000\", wage_year: 2025}"
    _, problems = read_policy(line + "\n")
    assert [(severity, at_col, message) for severity, _, at_col, message, _ in problems] == [
        ("warning", col(line, "示例区"), "“示例区”不像法院的名称"),
        ("warning", col(line, "\"8000"), "就业人员年平均工资 8000.00 元偏低，像是月平均工资"),
    ]


def _checked(tmp_path, wage_year: int, as_of: str = "2026-11-22"):
    c = Community(tmp_path, policy_yaml=f"court: {{name: 示例区人民法院, average_wage: \"98765\", wage_year: {wage_year}}}\n")
    c.unit("1-1-101")
    return c.checked(as_of)


def test_last_years_wage_and_the_year_before_are_current(tmp_path):
    assert not _checked(tmp_path, 2025).problems
    assert not _checked(tmp_path, 2024).problems  # before the bureau publishes 2025's


def test_a_wage_of_this_year_cannot_be_published_yet(tmp_path):
    [problem] = _checked(tmp_path, 2026).problems
    assert (problem.severity, problem.pos.path, problem.pos.line) == ("error", "ledger/policy.yaml", 5)
    assert problem.message == "court 的 wage_year 是 2026 年：这一年的就业人员年平均工资还没有公布"
    assert "2025 年或 2024 年" in problem.hint


def test_an_old_wage_is_warned_about(tmp_path):
    [problem] = _checked(tmp_path, 2023).problems
    assert problem.severity == "warning" and problem.message == "court 的就业人员年平均工资是 2023 年的，可能已经过时"
    assert "2025 年" in problem.hint


@pytest.mark.parametrize(("court", "valid"), [
    ("{name: 示例市示例区人民法院, average_wage: \"98765.50\", wage_year: 2025}", True),
    ("{name: 示例市示例区人民法院, average_wage: 98765, wage_year: 2025}", True),
    ("{average_wage: \"98,765\", wage_year: 2025}", False),
    ("{average_wage: \"98765\", wage_year: 1980}", False),
    ("{name: 示例区人民法院, judge: 王}", False),
])
def test_the_editor_schema_and_the_reader_agree_on_the_court(court, valid):
    from tests.schemas import instance, validator

    text = HEAD + f"court: {court}\n"
    errors = list(validator("policy").iter_errors(instance(text)))
    assert (not errors) is valid, [e.message for e in errors]
    _, problems = read_policy(f"court: {court}\n")
    assert (not [p for p in problems if p[0] == "error"]) is valid
