"""Money: exact Decimals from the YAML text, half-up rounding to the cent, Chinese capitals."""
from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from fractions import Fraction

import msgspec
import pytest

from generator.core.money import (
    fmt,
    fmt_grouped,
    round_cents,
    round_places,
    to_capitals,
)
from generator.reading.load import read_file
from generator.views.report import to_json
from tests.community import Community, fee

# -- rounding --------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("2.675"), "2.68"),  # a float 2.675 is 2.67499999... and would round down
    (Decimal("1.005"), "1.01"),
    (Decimal("0.005"), "0.01"),
    (Decimal("0.0049999"), "0.00"),
    (Decimal("1234.565"), "1234.57"),
    (Decimal("2.665"), "2.67"),  # half-even would give 2.66
    (Decimal("-1.005"), "-1.01"),  # half away from zero
    (Fraction(1, 200), "0.01"),  # exactly 0.005
    (Fraction(23628, 3100), "7.62"),  # 236.28 / 31 = 7.62193...
    (Fraction(19, 28) * 200, "135.71"),
    (Fraction(-1, 200), "-0.01"),
    (7, "7.00"),
])
def test_round_cents_is_half_up_and_exact(value, expected):
    assert str(round_cents(value)) == expected


def test_round_places_rounds_the_exact_fraction_once():
    # 0.0312499999... must not be double-rounded to 0.0313, and 1/32 = 0.03125 rounds up
    assert str(round_places(Fraction(1, 32), 4)) == "0.0313"
    assert str(round_places(Fraction(3124999, 100000000), 4)) == "0.0312"
    assert str(round_places(Fraction(2, 3), 4)) == "0.6667"
    assert str(round_places(Fraction(1), 4)) == "1.0000"


def test_bill_amounts_round_half_up(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="0.1")])
    c.unit("1-1-101", area="100.05", billing_start="2026-01-01")
    # 100.05 m² x 0.1 = 10.005/month -> 10.01
    assert c.charges("1-1-101", "2026-01-31")[0][1] == "10.01"


def test_fmt_writes_exactly_two_decimals_without_grouping():
    assert fmt(Decimal("1200.5")) == "1200.50"
    assert fmt(Decimal("7")) == "7.00"
    assert fmt(Decimal("1234567.891")) == "1234567.89"
    assert fmt_grouped(Decimal("1234567.8")) == "1,234,567.80"


# -- money from YAML text: exact, at most two decimals ------------------------------

def payment_amount(text: str):
    result = read_file("ledger/p.yaml", f"payments:\n  - {{unit: 1-1-101, date: 2026-03-01, amount: {text}, method: cash}}\n".encode())
    if result.problems:
        return [p.render() for p in result.problems]
    return result.record.payments[0].amount


@pytest.mark.parametrize(("text", "expected"), [
    ("1200.5", "1200.50"),  # a YAML float stays the exact decimal the committee wrote
    ('"1200.5"', "1200.50"),
    ("1200.50", "1200.50"),
    ("1200", "1200.00"),
    ("0.1", "0.10"),
    ("0.01", "0.01"),
    ("99999999.99", "99999999.99"),
    ("'35.20'", "35.20"),
])
def test_amounts_become_exact_decimals(text, expected):
    amount = payment_amount(text)
    assert type(amount) is Decimal
    assert str(amount) == expected


@pytest.mark.parametrize(("text", "phrase"), [
    ("1200.505", "超过两位小数"),
    ('"0.001"', "超过两位小数"),
    ("-5", "不能为负数"),
    ("0", "必须大于 0"),
    ("0.00", "必须大于 0"),
    ("1e3", "不是有效金额"),
    ('"1,200.00"', "不是有效金额"),
    ("1200元", "不是有效金额"),
    (".5", "不是有效金额"),
    ("[1, 2]", "应是一个值"),
    ("1" * 30, "过大"),  # used to raise decimal.InvalidOperation (a traceback) instead of a message
    ("1000000000000", "过大"),  # 13 digits
])
def test_bad_amounts_are_errors(text, phrase):
    problems = payment_amount(text)
    assert isinstance(problems, list) and len(problems) == 1, problems
    assert problems[0].startswith("ledger/p.yaml:2:")
    assert phrase in problems[0] and "错误" in problems[0]


def test_an_amount_with_an_error_is_not_kept_as_money():
    result = read_file("ledger/p.yaml", b"payments:\n  - {unit: 1-1-101, date: 2026-03-01, amount: -5, method: cash}\n")
    assert result.record.payments[0].amount is None  # kept only for the checks across files (unit, date)


def test_a_zero_amount_says_what_to_do():
    (problem,) = payment_amount("0")
    assert "金额必须大于 0：“0”（金额为 0 的条目不必记录，请删除这一条或改正金额）" in problem


def policy_problems(line: str) -> list[str]:
    text = ("community: x\nissuer: {name: y}\nfees:\n  - {id: p, name: 物业费, basis: unit, rate: \"1\", cycle: 3, due_day: 15}\n" + line + "\n")
    return [p.render() for p in read_file("ledger/policy.yaml", text.encode()).problems]


@pytest.mark.parametrize(("line", "expected"), [
    ('late_fee: {daily_rate: "-0.0003"}', "ledger/policy.yaml:5:24: 错误: “daily_rate”不能是负数：“-0.0003”（写成 0 或正数，去掉负号）"),
    ("late_fee: {daily_rate: -0.0003}", "ledger/policy.yaml:5:24: 错误: “daily_rate”不能是负数：“-0.0003”（写成 0 或正数，去掉负号）"),
    ('late_fee: {daily_rate: "0.0003", cap: "-1"}', "ledger/policy.yaml:5:39: 错误: “cap”不能是负数：“-1”（写成 0 或正数，去掉负号）"),
    ('late_fee: {daily_rate: "0.03%"}', "ledger/policy.yaml:5:24: 错误: “daily_rate”不是有效数字：“0.03%”（写成不带单位的数字，例如 2.20 或 0.0003，不要写 % 或“元”）"),
    ('late_fee: {daily_rate: "0.000000001"}', "ledger/policy.yaml:5:24: 错误: “daily_rate”的值“0.000000001”超过八位小数（最多写到小数点后八位，例如 0.0003）"),
    ("late_fee: {daily_rate: 0.0003, grace_days: -3}", "ledger/policy.yaml:5:44: 错误: “grace_days”不能是负数：“-3”（应为 0 到 3650 的整数）"),
])
def test_rates_say_what_is_wrong_with_them(line, expected):
    assert policy_problems(line) == [expected]


def test_a_negative_or_zero_area_says_it_must_be_greater_than_zero():
    for area, words in (('"0"', "“0”"), ('"-89.5"', None), ("0.00", "“0.00”")):
        result = read_file("owners/1-1-101.yaml", f"unit: 1-1-101\ntype: 高层\narea: {area}\nbilling_start: 2026-01-01\nowners: [{{name: 王丽}}]\n".encode())
        (problem,) = [p.render() for p in result.problems]
        assert problem.startswith("owners/1-1-101.yaml:3:7: 错误: ")
        assert ("不能是负数" in problem) if words is None else (f"面积 area 必须大于 0：{words}" in problem)


def test_the_largest_amount_is_twelve_digits_of_yuan():
    assert str(payment_amount("999999999999.99")) == "999999999999.99"
    assert to_capitals(Decimal("999999999999.99")) == "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"


def test_an_absurdly_large_rate_or_area_is_an_error_not_a_crash():
    result = read_file("owners/1-1-101.yaml", ("unit: 1-1-101\ntype: 高层\narea: " + "9" * 40 + "\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\n").encode())
    assert [p.render().split("（")[0] for p in result.problems] == ["owners/1-1-101.yaml:3:7: 错误: “area”的值“" + "9" * 40 + "”过大"]


def test_rates_and_factors_are_exact_decimals(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.2", vacant_factor="0.7")], late_fee={"daily_rate": "0.0003", "cap": "0.1"})
    c.unit("1-1-101", billing_start="2026-01-01")
    policy = c.checked("2026-01-01").ledger.policy
    assert policy.fees[0].rate == Decimal("2.2") and type(policy.fees[0].rate) is Decimal
    assert policy.fees[0].vacant_factor == Decimal("0.7")
    assert policy.late_fee.daily_rate == Decimal("0.0003") and policy.late_fee.cap == Decimal("0.1")


def _floats(value, seen=None, where="") -> list[str]:
    """Paths to every float inside records, tuples, lists and dicts."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, float):
        return [where]
    found = []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            found += _floats(getattr(value, f.name), seen, f"{where}.{f.name}")
    elif isinstance(value, msgspec.Struct):  # the data model's records
        for name in value.__struct_fields__:
            found += _floats(getattr(value, name), seen, f"{where}.{name}")
    elif isinstance(value, dict):
        for k, v in value.items():
            found += _floats(v, seen, f"{where}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found += _floats(v, seen, f"{where}[{i}]")
    return found


def test_no_float_anywhere_in_the_ledger_the_desk_or_the_json(tmp_path):
    c = Community(tmp_path, fees=[fee(rate={"高层": 2.2, "洋房": 2.85}, vacant_factor=0.7)],
                  late_fee={"daily_rate": 0.0003, "cap": 0.5})
    c.unit("1-1-101", area=89.5, billing_start="2023-07-20", opening={"amount": 2400.5, "due": "2023-01-15"})
    c.unit("1-1-102", type="洋房", area=120.25, billing_start="2024-02-10", occupancy="vacant")
    c.payment("1-1-101", "2024-03-01", 1200.5)
    c.waiver("1-1-101", "2024-04-01", 10.1)
    c.waiver("1-1-101", "2024-04-01", 3.3, applies_to="late_fee")
    c.plan("1-1-102", "2024-05-01", [("2024-06-01", 100.1)])
    checked = c.checked("2026-11-22")
    assert not checked.errors
    assert _floats(checked.ledger) == []
    desk = c.desk("2026-11-22")
    assert _floats(desk) == []
    assert checked.ledger.payments[0].amount == Decimal("1200.50")
    text = to_json(desk)

    def no_float(literal):
        raise AssertionError(f"float in the JSON report: {literal}")

    json.loads(text, parse_float=no_float)  # money and rates are strings, never JSON numbers


# -- Chinese capitals --------------------------------------------------------------------
# 中国人民银行《正确填写票据和结算凭证的基本规定》: 到“元”为止写“整”; 有“分”不写“整”
# (“角”之后可写可不写, we write it); a zero between digits is written once as 零;
# zeros at the end of the yuan or of a group of 万/亿 are not written; 10 is 壹拾.

@pytest.mark.parametrize(("amount", "capitals"), [
    ("1234.56", "人民币壹仟贰佰叁拾肆元伍角陆分"),
    ("1000000.00", "人民币壹佰万元整"),
    ("0.05", "人民币伍分"),
    ("0.01", "人民币壹分"),
    ("0.10", "人民币壹角整"),
    ("0.50", "人民币伍角整"),
    ("0.00", "人民币零元整"),
    ("10.50", "人民币壹拾元伍角整"),
    ("10.00", "人民币壹拾元整"),
    ("100.07", "人民币壹佰元零柒分"),
    ("1.05", "人民币壹元零伍分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角整"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("1004.00", "人民币壹仟零肆元整"),
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
    ("10500.00", "人民币壹万零伍佰元整"),
    ("10000.01", "人民币壹万元零壹分"),
    ("100010.00", "人民币壹拾万零壹拾元整"),
    ("100100.00", "人民币壹拾万零壹佰元整"),
    ("101000.00", "人民币壹拾万壹仟元整"),
    ("110000.00", "人民币壹拾壹万元整"),
    ("1000001.00", "人民币壹佰万零壹元整"),
    ("1010101.01", "人民币壹佰零壹万零壹佰零壹元零壹分"),
    ("10010000.00", "人民币壹仟零壹万元整"),
    ("100000001.00", "人民币壹亿零壹元整"),
    ("105000000.00", "人民币壹亿零伍佰万元整"),
    ("1200000000.00", "人民币壹拾贰亿元整"),
    ("1234.565", "人民币壹仟贰佰叁拾肆元伍角柒分"),  # rounded half-up to the cent first
])
def test_chinese_capitals(amount, capitals):
    assert to_capitals(Decimal(amount)) == capitals
