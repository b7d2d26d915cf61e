"""The editing helpers: each write is re-read by the validator, keeps the file's comments, and is all or nothing."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator import pipeline
from generator.cli import edit as edit_cli
from generator.workflow import edit
from tests.handwritten import (
    AS_OF,
    OWNER_101,
    OWNER_102,
    PAYMENTS_2026_03,
    checked,
    cli,
    make_community,
    snapshot,
)


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def test_pay_creates_the_month_file_with_a_header_and_the_validator_reads_it(community):
    result = cli(community, "pay", "1-1-101", "600", "--date", "2026-11-20", "--method", "wechat", "--receipt", "R1")
    assert result.exit_code == 0, result.output
    text = (community / "ledger/payments/2026-11.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("# 2026年11月缴费记录")
    assert '  - {unit: 1-1-101, date: 2026-11-20, amount: "600.00", method: wechat, receipt: R1}' in text
    payment = checked(community).ledger.payments[-1]
    assert (payment.unit, payment.date, payment.amount, payment.receipt) == ("1-1-101", date(2026, 11, 20), Decimal("600.00"), "R1")
    assert "欠费 1,800.00 元" in result.output


def test_pay_appends_to_an_existing_file_keeping_comments_and_quoting(community):
    before = (community / "ledger/payments/2026-03.yaml").read_text(encoding="utf-8")
    result = cli(community, "pay", "1-1-101", "1,200.5", "--date", "2026-03-20", "--method", "cash")
    assert result.exit_code == 0, result.output
    after = (community / "ledger/payments/2026-03.yaml").read_text(encoding="utf-8")
    new_line = '  - {unit: 1-1-101, date: 2026-03-20, amount: "1200.50", method: cash}\n'
    closing = "# 以上核对无误\n"
    assert before.endswith(closing)
    # nothing else moved: the new entry follows the last one, the closing comment stays at the end
    assert after == before.removesuffix(closing) + new_line + closing
    amounts = [p.amount for p in checked(community).ledger.payments]
    assert amounts == [Decimal("300.00"), Decimal("200.50"), Decimal("1200.50")]


@pytest.mark.parametrize("existing, expected", [
    ("ledger/payments/2025.yaml", "ledger/payments/2026.yaml"),  # year files stay year files
    ("ledger/payments.yaml", "ledger/payments.yaml"),  # one file for everything
])
def test_pay_follows_the_communitys_file_naming(tmp_path, existing, expected):
    root = make_community(tmp_path / "c")
    (root / "ledger/payments/2026-03.yaml").unlink()
    (root / "ledger/payments").rmdir()
    (root / existing).parent.mkdir(parents=True, exist_ok=True)
    (root / existing).write_text("payments:\n", encoding="utf-8")
    assert edit.entries_file(root, "payments", date(2026, 11, 20)) == expected


def test_log_appends_a_block_contact_like_the_ones_before_and_keeps_comments(community):
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "phone", "--outcome", "promised",
                 "--promise-date", "2026-11-30", "--promise-amount", "500", "--by", "张敏", "--reason", "hardship",
                 "--evidence", "录音2.m4a", "--note", "出差: 回来转账 #急")
    assert result.exit_code == 0, result.output
    text = (community / "owners/1-1-101.yaml").read_text(encoding="utf-8")
    assert text.startswith(OWNER_101)
    assert text[len(OWNER_101):] == (
        "  - date: 2026-11-21\n"
        "    channel: phone\n"
        "    by: 张敏\n"
        "    outcome: promised\n"
        '    promise: {date: 2026-11-30, amount: "500.00"}\n'
        "    reason: hardship\n"
        "    evidence: 录音2.m4a\n"
        "    note: '出差: 回来转账 #急'\n"
    )
    contact = checked(community).ledger.units[0].contacts[-1]
    assert contact.promise.amount == Decimal("500.00") and contact.note == "出差: 回来转账 #急"


def write_payments(root: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path = root / "ledger/payments/2026-03.yaml"
    path.write_bytes(text.encode(encoding))
    return path


PAY = ("pay", "1-1-101", "100", "--date", "2026-03-20", "--method", "cash")
NEW = '  - {unit: 1-1-101, date: 2026-03-20, amount: "100.00", method: cash}\n'


@pytest.mark.parametrize(("before", "after"), [
    # a comment at the margin after the list closes the file and stays last
    ("payments:\n  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\n# 结尾注释\n",
     "payments:\n  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\n" + NEW + "# 结尾注释\n"),
    # a comment indented under the list belongs to the entry above it; blank lines stay below the new entry
    ("payments:\n  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\n    # 回单见附件\n\n# 结尾注释\n",
     "payments:\n  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\n    # 回单见附件\n" + NEW + "\n# 结尾注释\n"),
    # an empty list keeps its comment on its own line
    ("payments: []   # 空的\n# 结尾注释\n", "payments:   # 空的\n" + NEW + "# 结尾注释\n"),
    ("# 2026年3月\npayments:\n# 结尾注释\n", "# 2026年3月\npayments:\n" + NEW + "# 结尾注释\n"),
    # no list yet: it is added after the last value, before the closing comment
    ("$schema: ../../schemas/entries.schema.json\n# 结尾注释\n",
     "$schema: ../../schemas/entries.schema.json\npayments:\n" + NEW + "# 结尾注释\n"),
    ("# 只有一行注释\n", "# 只有一行注释\npayments:\n" + NEW),
    # a list on one line gets one more entry on that line
    ("payments: [{unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}]  # 一行\n# 结尾注释\n",
     "payments: [{unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}, " + NEW.strip()[2:] + "]  # 一行\n# 结尾注释\n"),
    # a list at the margin: the closing comment still stays last
    ("payments:\n- {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\n# 结尾注释\n",
     "payments:\n- {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\n" + NEW[2:] + "# 结尾注释\n"),
    # the last line without a line end
    ("payments:\n  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}",
     "payments:\n  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\n" + NEW),
], ids=["closing-comment", "comment-under-entry", "empty-flow-list", "empty-key", "no-list", "only-comments",
        "one-line-list", "list-at-margin", "no-final-newline"])
def test_pay_keeps_every_comment_where_it_belongs(community, before, after):
    path = write_payments(community, before)
    result = cli(community, *PAY)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == after
    assert checked(community).ledger.payments[-1].amount == Decimal("100.00")


def test_log_keeps_the_closing_comment_of_an_owner_file_last(community):
    path = community / "owners/1-1-101.yaml"
    path.write_text(OWNER_101 + "\n# 以上为2026年记录\n", encoding="utf-8")
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "visit", "--outcome", "reached")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == (
        OWNER_101 + "  - date: 2026-11-21\n    channel: visit\n    outcome: reached\n\n# 以上为2026年记录\n")
    checked(community)


def test_a_bom_and_crlf_line_ends_are_kept(community):
    path = write_payments(community, "\ufeff# 3月\r\npayments:   # 按日期\r\n"
                                     "  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\r\n# 结尾注释\r\n")
    result = cli(community, *PAY)
    assert result.exit_code == 0, result.output
    assert path.read_bytes().decode("utf-8") == (
        "\ufeff# 3月\r\npayments:   # 按日期\r\n"
        "  - {unit: 1-1-102, date: 2026-03-14, amount: \"1.00\", method: cash}\r\n" + NEW.replace("\n", "\r\n") + "# 结尾注释\r\n")
    assert checked(community).ledger.payments[-1].amount == Decimal("100.00")


def test_log_into_flow_style_contacts_writes_flow_style(community):
    assert cli(community, "log", "1-1-102", "--date", "2026-11-21", "--channel", "visit", "--outcome", "reached").exit_code == 0
    text = (community / "owners/1-1-102.yaml").read_text(encoding="utf-8")
    assert text == OWNER_102 + "  - {date: 2026-11-21, channel: visit, outcome: reached}\n"
    checked(community)


def test_waive_and_plan_write_entries_the_validator_reads(community):
    result = cli(community, "waive", "1-1-101", "100", "--date", "2026-11-22", "--applies-to", "late_fee",
                 "--approved-by", "业委会2026年第3次会议", "--reason", "漏水维修期间")
    assert result.exit_code == 0, result.output
    result = cli(community, "plan", "1-1-102", "--signed", "2026-11-22",
                 "--installment", "2026-12-01:960", "--installment", "2027-01-01:960.00")
    assert result.exit_code == 0, result.output
    assert (community / "ledger/plans/2026.yaml").read_text(encoding="utf-8").endswith(
        "plans:\n  - unit: 1-1-102\n    signed: 2026-11-22\n"
        '    installments: [{due: 2026-12-01, amount: "960.00"}, {due: 2027-01-01, amount: "960.00"}]\n')
    ledger = checked(community).ledger
    waiver, plan = ledger.waivers[0], ledger.plans[0]
    assert (waiver.approved_by, waiver.applies_to, waiver.amount) == ("业委会2026年第3次会议", "late_fee", Decimal("100.00"))
    assert ledger.waivers[0].pos.path == "ledger/waivers/2026.yaml"
    assert plan.total == Decimal("1920.00")


@pytest.mark.parametrize("args", [
    ("pay", "9-9-999", "100", "--method", "cash"),  # no such unit
    ("pay", "1-1-101", "100", "--method", "cash", "--date", "2026-12-25"),  # in the future
    ("pay", "1-1-101", "100", "--method", "cash", "--receipt", "R2026-0312"),  # receipt used twice
    ("waive", "1-1-101", "100", "--applies-to", "principal", "--approved-by", " ", "--reason", "x"),  # approved_by empty
])
def test_a_change_that_breaks_the_data_writes_nothing(community, args):
    before = snapshot(community)
    result = cli(community, *args)
    assert result.exit_code == 1, result.output
    assert "未写入任何文件" in result.output and "错误" in result.output
    assert snapshot(community) == before


def test_log_for_a_unit_without_a_file_is_an_error(community):
    result = cli(community, "log", "9-9-999", "--channel", "phone", "--outcome", "reached")
    assert result.exit_code == 1 and "找不到房号 9-9-999" in result.output


@pytest.mark.parametrize("args", [
    ("log", "1-1-101", "--outcome", "reached"),  # --channel missing and no terminal to ask
    ("pay", "1-1-101", "12.345", "--method", "cash"),
    ("log", "1-1-101", "--channel", "telegram", "--outcome", "reached"),
    ("plan", "1-1-101"),
])
def test_missing_or_bad_options_are_usage_errors(community, args):
    before = snapshot(community)
    assert cli(community, *args).exit_code == 2
    assert snapshot(community) == before


def test_missing_options_are_asked_for_in_a_terminal(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    # a wrong channel is asked again; 电话 is accepted as phone; then promise date, no amount,
    # reason 经济困难 (hardship), evidence, by, note
    answers = "电报\n电话\npromised\n2026-11-30\n\n经济困难\n通话录音1121.m4a\n张敏\n下周再打\n"
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", input=answers)
    assert result.exit_code == 0, result.output
    assert "不在可选范围内" in result.output
    prompts = [line.split("（")[0] for line in result.output.splitlines() if line.endswith(": ") or "）: " in line]
    assert [p for p in prompts if p] == ["联系方式", "联系方式", "结果", "承诺付款日期", "承诺付款金额", "欠费原因", "证据", "经办人", "备注"]
    evidence_prompt = next(line for line in result.output.splitlines() if line.startswith("证据"))
    assert "诉讼时效" in evidence_prompt and "留空" in evidence_prompt
    contact = checked(community).ledger.units[0].contacts[-1]
    assert (contact.channel, contact.outcome, contact.promise.date, contact.promise.amount) == ("phone", "promised", date(2026, 11, 30), None)
    assert (contact.reason, contact.evidence, contact.by, contact.note) == ("hardship", "通话录音1121.m4a", "张敏", "下周再打")


def test_optional_fields_may_be_left_empty_in_a_terminal(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "sms", "--outcome", "reached",
                 input="\n\n\n\n")  # reason, evidence, by, note: all skipped
    assert result.exit_code == 0, result.output
    assert (community / "owners/1-1-101.yaml").read_text(encoding="utf-8").endswith(
        "  - date: 2026-11-21\n    channel: sms\n    outcome: reached\n")
    # given on the command line, even as "", nothing is asked
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "sms", "--outcome", "reached",
                 "--reason", "", "--evidence", "", "--by", "", "--note", "", input="")
    assert result.exit_code == 0, result.output
    assert "证据" not in result.output


def test_pay_asks_for_the_receipt_in_a_terminal(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "pay", "1-1-101", "100", "--date", "2026-11-20", input="wechat\nR2026-1120\n")
    assert result.exit_code == 0, result.output
    assert checked(community).ledger.payments[-1].receipt == "R2026-1120"
    result = cli(community, "pay", "1-1-101", "120", "--date", "2026-11-20", "--method", "cash", input="\n")
    assert result.exit_code == 0, result.output
    assert checked(community).ledger.payments[-1].receipt in ("", None)


def test_plan_installments_are_asked_for_in_a_terminal(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "plan", "1-1-102", "--signed", "2026-11-22", input="2026-12-01:500\n2027-01-01:500\n\n")
    assert result.exit_code == 0, result.output
    assert [i.amount for i in checked(community).ledger.plans[0].installments] == [Decimal("500.00")] * 2


def test_the_guard_refuses_a_rewrite_that_would_change_existing_values():
    with pytest.raises(edit.EditError):
        edit._guard("x.yaml", "payments:\n  - {amount: 1.50}\n", "payments:\n  - {amount: 1.5}\n  - {amount: 2}\n", "payments", ["amount"])


# -- spec v2's keys (issue 10) ----------------------------------------------------------------------

CREDITOR = """\
creditor: {name: 测试物业服务有限公司}
authorisations:
  - {from: 2026-01-01, until: 2026-06-30, document: 授权委托书 2026-001}
"""


def with_creditor(root: Path) -> Path:
    """The community's claim is held by a management company that authorised the committee for the first half of 2026."""
    path = root / "ledger/policy.yaml"
    path.write_text(path.read_text(encoding="utf-8") + CREDITOR, encoding="utf-8")
    return root


def contacts_added(root: Path, unit: str = "1-1-101") -> str:
    before = {"1-1-101": OWNER_101, "1-1-102": OWNER_102}[unit]
    text = (root / f"owners/{unit}.yaml").read_text(encoding="utf-8")
    assert text.startswith(before)
    return text[len(before):]


def test_log_writes_purpose_party_and_covers_only_when_they_are_not_the_defaults(community):
    result = cli(community, "log", "1-1-101", "--date", "2026-11-20", "--channel", "visit", "--outcome", "reached",
                 "--purpose", "service", "--note", "修水管，未谈物业费")
    assert result.exit_code == 0, result.output
    assert "（服务，不是催缴）" in result.output
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "phone", "--outcome", "promised",
                 "--promise-date", "2026-11-30", "--purpose", "demand", "--party", "issuer", "--covers", "in_time",
                 "--evidence", "录音2.m4a")
    assert result.exit_code == 0, result.output
    result = cli(community, "log", "1-1-101", "--date", "2026-11-22", "--channel", "phone", "--outcome", "promised",
                 "--promise-date", "2026-12-15", "--party", "creditor", "--covers", "all", "--evidence", "录音3.m4a")
    assert result.exit_code == 0, result.output
    assert contacts_added(community) == (
        "  - date: 2026-11-20\n    channel: visit\n    purpose: service\n    outcome: reached\n    note: 修水管，未谈物业费\n"
        "  - date: 2026-11-21\n    channel: phone\n    outcome: promised\n    promise: {date: 2026-11-30}\n    evidence: 录音2.m4a\n"
        "  - date: 2026-11-22\n    channel: phone\n    party: creditor\n    outcome: promised\n    promise: {date: 2026-12-15}\n"
        "    covers: all\n    evidence: 录音3.m4a\n"
    )
    contacts = checked(community).ledger.units[0].contacts[-3:]
    assert [(c.purpose, c.party, c.covers) for c in contacts] == [
        ("service", "issuer", "in_time"), ("demand", "issuer", "in_time"), ("demand", "creditor", "all")]
    assert cli(community, "check").exit_code == 0


def test_log_in_flow_style_writes_the_new_keys_on_the_line(community):
    result = cli(community, "log", "1-1-102", "--date", "2026-11-21", "--channel", "visit", "--outcome", "reached",
                 "--purpose", "其他")  # the Chinese word is accepted too
    assert result.exit_code == 0, result.output
    assert contacts_added(community, "1-1-102") == "  - {date: 2026-11-21, channel: visit, purpose: other, outcome: reached}\n"
    assert checked(community).ledger.units[1].contacts[-1].purpose == "other"


@pytest.mark.parametrize("args, words", [
    (("--outcome", "reached", "--covers", "all", "--evidence", "录音.m4a"), "只能和 --outcome promised 一起写"),
    (("--outcome", "refused", "--covers", "in_time"), "只能和 --outcome promised 一起写"),
    (("--outcome", "promised", "--covers", "all"), "必须同时用 --evidence"),
    (("--outcome", "promised", "--covers", "all", "--evidence", " "), "必须同时用 --evidence"),
    (("--outcome", "reached", "--purpose", "repair"), "不在可选范围内"),
    (("--outcome", "reached", "--party", "company"), "不在可选范围内"),
], ids=["covers-not-promised", "in-time-not-promised", "all-without-evidence", "all-with-empty-evidence", "bad-purpose", "bad-party"])
def test_log_refuses_covers_without_a_promise_or_evidence_and_unknown_values(community, args, words):
    before = snapshot(community)
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "phone", *args)
    assert result.exit_code == 2, result.output
    assert "用法错误" in result.output and words in result.output
    assert snapshot(community) == before


def test_log_in_a_terminal_does_not_ask_for_the_purpose_but_hints_at_service_visits(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "visit", "--outcome", "reached",
                 input="\n\n\n\n")  # reason, evidence, by, note
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == edit_cli.PURPOSE_HINT
    assert "--purpose service" in edit_cli.PURPOSE_HINT and "不中断诉讼时效" in edit_cli.PURPOSE_HINT
    prompts = [line.split("（")[0] for line in result.output.splitlines() if "）: " in line or line.endswith(": ")]
    assert prompts == ["欠费原因", "证据", "经办人", "备注"]
    assert contacts_added(community).endswith("  - date: 2026-11-21\n    channel: visit\n    outcome: reached\n")
    # given on the command line: no hint
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "visit", "--outcome", "reached",
                 "--purpose", "service", input="\n\n\n\n")
    assert result.exit_code == 0 and edit_cli.PURPOSE_HINT not in result.output


def test_log_covers_all_in_a_terminal_asks_until_there_is_evidence(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    # promise date, no amount, no reason, evidence left empty (asked again), evidence, by, note
    answers = "2026-12-01\n\n\n\n业主签字的还款承诺书.pdf\n\n\n"
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "visit", "--outcome", "promised",
                 "--covers", "all", input=answers)
    assert result.exit_code == 0, result.output
    assert "这一项必须填写" in result.output
    contact = checked(community).ledger.units[0].contacts[-1]
    assert (contact.covers, contact.evidence) == ("all", "业主签字的还款承诺书.pdf")


def test_log_warns_when_the_issuers_demand_does_not_count_for_the_creditor(community):
    from generator.rules.limitation import NOT_FOR_CREDITOR, contact_standing

    with_creditor(community)
    # outside the authorisation (2026-01-01 .. 2026-06-30): written, with a warning
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "phone", "--outcome", "refused",
                 "--evidence", "录音2.m4a")
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if line.startswith("注意："))
    assert "测试物业服务有限公司" in warning and "2026-11-21 没有有效的授权" in warning
    assert "不中断诉讼时效" in warning and "--party creditor" in warning
    ledger = checked(community).ledger
    unit = ledger.units[0]
    assert contact_standing(unit.contacts[-1], unit, ledger.policy) == NOT_FOR_CREDITOR
    # no warning: inside the authorisation, by the creditor's own staff, or not a demand
    for extra in (("--date", "2026-06-30"), ("--date", "2026-11-21", "--party", "creditor"),
                  ("--date", "2026-11-21", "--purpose", "service")):
        result = cli(community, "log", "1-1-101", "--channel", "phone", "--outcome", "refused", "--evidence", "录音.m4a", *extra)
        assert result.exit_code == 0, result.output
        assert "注意：" not in result.output
    ledger = checked(community).ledger
    unit = ledger.units[0]
    assert [contact_standing(c, unit, ledger.policy) for c in unit.contacts[-3:-1]] == [None, None]
    assert cli(community, "check").exit_code == 0


def test_log_gives_no_creditor_warning_when_the_issuer_holds_the_claim(community):
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "phone", "--outcome", "refused",
                 "--evidence", "录音2.m4a")
    assert result.exit_code == 0 and "注意：" not in result.output


def test_pay_for_writes_the_designation_as_a_one_line_list(community):
    result = cli(community, "pay", "1-1-101", "600", "--date", "2026-03-20", "--method", "cash",
                 "--for", "2026-01，2026-04", "--for", "2026-01")  # Chinese comma, repeated, the same month twice
    assert result.exit_code == 0, result.output
    text = (community / "ledger/payments/2026-03.yaml").read_text(encoding="utf-8")
    assert '  - {unit: 1-1-101, date: 2026-03-20, amount: "600.00", method: cash, for: [2026-01, 2026-04]}\n# 以上核对无误\n' in text
    assert "指定用于2026年1月到期的欠费、2026年4月到期的欠费" in result.output
    assert checked(community).ledger.payments[-1].designation == ("2026-01", "2026-04")
    assert cli(community, "check").exit_code == 0


def test_pay_for_in_a_block_style_file_stays_on_one_line(community):
    path = write_payments(community, "payments:\n  - unit: 1-1-102\n    date: 2026-03-14\n    amount: \"300.00\"\n    method: cash\n")
    result = cli(community, *PAY, "--for", "opening", "--receipt", "R9")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith(
        "  - unit: 1-1-101\n    date: 2026-03-20\n    amount: \"100.00\"\n    method: cash\n    receipt: R9\n    for: [opening]\n")
    assert checked(community).ledger.payments[-1].designation == ("opening",)


def test_pay_for_late_fee_lowers_the_late_fee_and_not_the_arrears(community):
    # four quarterly bills of 600.00 (due 15 Jan, Apr, Jul, Oct), 0.03% a day: late fee at 22 Nov
    # 0.18 x (311 + 221 + 130 + 38) = 55.98 + 39.78 + 23.40 + 6.84 = 126.00; the 100.00 pays late fee only
    result = cli(community, "pay", "1-1-101", "100", "--date", "2026-11-20", "--method", "wechat", "--for", "late_fee")
    assert result.exit_code == 0, result.output
    assert "1-1-101 按 2026-11-22 计算：欠费 2,400.00 元，违约金 26.00 元；" in result.output
    state = pipeline.desk_for(checked(community), AS_OF).unit("1-1-101")
    assert (state.outstanding, state.late_fee, state.late_fee_paid) == (Decimal("2400.00"), Decimal("26.00"), Decimal("100.00"))


def test_pay_for_a_month_settles_that_months_charge(community):
    result = cli(community, "pay", "1-1-101", "600", "--date", "2026-11-20", "--method", "wechat", "--for", "2026-10")
    assert result.exit_code == 0, result.output
    state = pipeline.desk_for(checked(community), AS_OF).unit("1-1-101")
    unpaid = {c.charge.due: c.unpaid for c in state.charges}
    # without the designation the oldest in-time charge (due 15 Jan) would have been settled
    assert unpaid == {date(2026, 1, 15): Decimal("600.00"), date(2026, 4, 15): Decimal("600.00"),
                      date(2026, 7, 15): Decimal("600.00"), date(2026, 10, 15): Decimal("0.00")}
    assert "欠费 1,800.00 元" in result.output


def test_pay_for_a_barred_opening_shows_the_barred_amounts_in_the_new_balance(community):
    path = community / "owners/1-1-101.yaml"
    path.write_text(OWNER_101.replace("billing_start: 2026-01-01\n",
                                      'billing_start: 2026-01-01\nopening: {amount: "1000.00", due: 2022-01-15}\n'), encoding="utf-8")
    result = cli(community, "pay", "1-1-101", "100", "--date", "2026-11-20", "--method", "wechat", "--for", "opening")
    assert result.exit_code == 0, result.output
    # the opening item expired on 2025-01-15 and the payment, as the owner said, went to it: 900.00 of it is
    # left, barred; its late fee 0.0003 x (100 x 1770 + 900 x 1772 days) = 531.54 is barred with it; the four
    # 2026 bills keep their 126.00 (the test above)
    assert ("欠费 3,300.00 元（其中已过诉讼时效 900.00 元），违约金 126.00 元（已过诉讼时效的违约金 531.54 元不计入）；"
            in result.output)


@pytest.mark.parametrize("value, words", [
    ("2026-13", "for 里的“2026-13”不是有效的月份"),
    ("2026-10-15", "for 里的“2026-10-15”不是有效的月份"),
    ("本金", "for 里的“本金”不在可选范围内"),
    (" , ", "--for 是空的"),
])
def test_pay_refuses_a_designation_the_schema_would_refuse(community, value, words):
    before = snapshot(community)
    result = cli(community, *PAY, "--for", value)
    assert result.exit_code == 2, result.output
    assert "用法错误" in result.output and words in result.output
    assert snapshot(community) == before


def test_parse_designation_reads_what_the_schema_reads():
    assert edit.parse_designation(("2026-03, opening", "2026-03 2026-04")) == ("2026-03", "opening", "2026-04")
    with pytest.raises(ValueError, match="YYYY-MM"):
        edit.parse_designation(("26-03",))


def test_parse_designation_takes_chinese_words_and_months_as_dates_are_written():
    assert edit.parse_designation(("2026年3月、期初欠费", "2026/4 ２０２６.１１")) == ("2026-03", "opening", "2026-04", "2026-11")
    assert edit.parse_designation(("违约金",)) == ("late_fee",)


def test_a_late_fee_designation_goes_alone():
    with pytest.raises(ValueError, match="late_fee（违约金）要单独写"):
        edit.parse_designation(("late_fee, 2026-01",))


def test_waive_refuses_without_the_creditors_consent(community):
    with_creditor(community)
    before = snapshot(community)
    for consent in ((), ("--consent", "")):
        result = cli(community, "waive", "1-1-101", "100", "--date", "2026-11-22", "--applies-to", "late_fee",
                     "--approved-by", "业委会2026年第3次会议", "--reason", "漏水维修期间", *consent)
        assert result.exit_code == 2, result.output
        assert "债权人“测试物业服务有限公司”不是落款单位“测试花园业主委员会”" in result.output
        assert "民法典第五百七十五条" in result.output and "--consent" in result.output
        assert snapshot(community) == before


def test_waive_writes_the_creditors_consent(community):
    with_creditor(community)
    result = cli(community, "waive", "1-1-101", "100", "--date", "2026-11-22", "--applies-to", "late_fee",
                 "--approved-by", "业委会2026年第3次会议", "--reason", "漏水维修期间", "--consent", "测试物业同意函 2026-11")
    assert result.exit_code == 0, result.output
    assert (community / "ledger/waivers/2026.yaml").read_text(encoding="utf-8").endswith(
        "  - {unit: 1-1-101, date: 2026-11-22, amount: \"100.00\", applies_to: late_fee, approved_by: 业委会2026年第3次会议,"
        " reason: 漏水维修期间, consent: 测试物业同意函 2026-11}\n")
    assert "债权人同意：测试物业同意函 2026-11" in result.output
    assert checked(community).ledger.waivers[-1].consent == "测试物业同意函 2026-11"
    assert cli(community, "check").exit_code == 0


def test_waive_asks_for_the_creditors_consent_in_a_terminal(community, monkeypatch):
    with_creditor(community)
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "waive", "1-1-101", "100", "--date", "2026-11-22", input="principal\n业委会\n漏水\n\n同意函1号\n")
    assert result.exit_code == 0, result.output
    prompt = next(line for line in result.output.splitlines() if line.startswith("债权人的书面同意"))
    assert "民法典第五百七十五条" in prompt
    assert checked(community).ledger.waivers[-1].consent == "同意函1号"


def test_plan_writes_covers_and_late_fee_only_when_they_are_not_the_defaults(community):
    result = cli(community, "plan", "1-1-102", "--signed", "2026-11-22", "--installment", "2026-12-01:960",
                 "--covers", "all", "--late-fee", "freeze", "--note", "书面协议")
    assert result.exit_code == 0, result.output
    assert "承认全部欠费（包括已过诉讼时效的），按期履行期间违约金停止计算" in result.output
    result = cli(community, "plan", "1-1-101", "--signed", "2026-11-22", "--installment", "2026-12-01:600",
                 "--covers", "in_time", "--late-fee", "accrue")
    assert result.exit_code == 0, result.output
    assert (community / "ledger/plans/2026.yaml").read_text(encoding="utf-8").endswith(
        "plans:\n"
        "  - unit: 1-1-102\n    signed: 2026-11-22\n    installments: [{due: 2026-12-01, amount: \"960.00\"}]\n"
        "    covers: all\n    late_fee: freeze\n    note: 书面协议\n"
        "  - unit: 1-1-101\n    signed: 2026-11-22\n    installments: [{due: 2026-12-01, amount: \"600.00\"}]\n")
    plans = checked(community).ledger.plans
    assert [(p.unit, p.covers, p.late_fee) for p in plans] == [("1-1-102", "all", "freeze"), ("1-1-101", "in_time", "accrue")]
    assert cli(community, "check").exit_code == 0


@pytest.mark.parametrize("args", [("--late-fee", "stop"), ("--covers", "everything")])
def test_plan_refuses_unknown_terms(community, args):
    before = snapshot(community)
    result = cli(community, "plan", "1-1-102", "--installment", "2026-12-01:960", *args)
    assert result.exit_code == 2 and "不在可选范围内" in result.output
    assert snapshot(community) == before


@pytest.mark.parametrize("file", ["ledger/../../outside.yaml", "ledger/./payments/x.yaml", "ledger//x.yaml", "ledger/payments\\..\\..\\x.yaml"])
def test_pay_never_writes_outside_the_community_whatever_file_says(community, file):
    """Issue 12, 7: ``--file ledger/../../x.yaml`` wrote beside the community and reported a balance the ledger never saw."""
    before = snapshot(community)
    result = cli(community, "pay", "1-1-101", "600", "--date", "2026-11-20", "--method", "wechat", "--file", file)
    assert result.exit_code == 1
    assert "会写到小区文件夹以外" in result.output and "已写入" not in result.output
    assert not (community.parent / "outside.yaml").exists()
    assert snapshot(community) == before


def test_pay_refuses_a_ledger_folder_that_links_out_of_the_community(community, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (community / "ledger" / "waivers").symlink_to(elsewhere, target_is_directory=True)
    result = cli(community, "waive", "1-1-101", "10", "--date", "2026-11-20", "--applies-to", "late_fee",
                 "--approved-by", "业委会第3次会议", "--reason", "测试")
    assert result.exit_code == 1 and "会写到小区文件夹以外" in result.output
    assert list(elsewhere.iterdir()) == []


def test_an_edit_that_cannot_get_the_lock_in_time_writes_nothing(community, monkeypatch):
    fcntl = pytest.importorskip("fcntl")
    monkeypatch.setattr(edit, "LOCK_SECONDS", 0.3)
    before = snapshot(community)
    lock = community / "ledger" / edit.LOCK_NAME
    lock.touch()
    with open(lock, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = cli(community, *PAY)
    assert result.exit_code == 1
    assert "另一个 cuijiao 命令正在修改这个小区的数据，等了 0.3 秒仍未完成；未写入任何文件" in result.output
    assert "Traceback" not in result.output and snapshot(community) == before


@pytest.mark.parametrize(("step", "code", "words"), [
    ("replace", 28, "磁盘已满"),  # ENOSPC
    ("fsync", 5, "磁盘读写出错"),  # EIO
])
def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(community, monkeypatch, step, code, words):
    """What root cannot provoke with chmod: the rename or the sync fails."""
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    before = snapshot(community)
    monkeypatch.setattr(edit.os, step, fail)
    result = cli(community, *PAY)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert f"无法写入 ledger/payments/2026-03.yaml：{words}。这个文件保持原样，未写入任何文件" in result.output
    assert "Traceback" not in result.output and snapshot(community) == before
    assert [p.name for p in (community / "ledger/payments").iterdir()] == ["2026-03.yaml"]


def test_write_never_replaces_a_file_it_was_to_create(community):
    path = "owners/1-1-103.yaml"
    (community / path).write_text("unit: 1-1-103\n", encoding="utf-8")
    with pytest.raises(edit.EditError, match="owners/1-1-103.yaml 已经存在，没有覆盖它"):
        edit.write(community, [edit.Edit(path, "unit: 另一户\n", created=True)])
    assert (community / path).read_text(encoding="utf-8") == "unit: 1-1-103\n"


def test_mixed_line_ends_are_each_kept_and_new_lines_take_the_most_used():
    old = '# 头\r\npayments:\n  - {unit: 1-1-102, date: 2026-03-14, amount: "1.00", method: cash}\r\n# 尾\r\n'
    item = edit.CommentedMap(unit="1-1-101", date=date(2026, 3, 20), amount=edit.money_text(Decimal(100)), method="cash")
    new = edit.append_item("ledger/payments/2026-03.yaml", old, "payments", item, default_flow=True)
    assert new.text == old.replace("# 尾", NEW.removesuffix("\n") + "\r\n# 尾")


def test_without_dir_fd_edits_check_each_folder_by_path(community, monkeypatch):
    """The fallback for systems without ``dir_fd`` (Windows): the same refusals, by path."""
    monkeypatch.setattr(edit, "_AT", False)
    assert cli(community, *PAY).exit_code == 0
    assert checked(community).ledger.payments[-1].amount == Decimal("100.00")
    (community / "ledger/waivers").symlink_to("payments", target_is_directory=True)
    result = cli(community, "pay", "1-1-101", "1", "--date", "2026-03-21", "--method", "cash",
                 "--file", "ledger/waivers/2026-03.yaml")
    assert result.exit_code == 1 and "ledger/waivers 不是文件夹（是符号链接）" in result.output


def test_an_edit_refuses_a_file_above_the_readers_size_limit(community, monkeypatch):
    monkeypatch.setattr(edit, "MAX_FILE_BYTES", 100)
    before = snapshot(community)
    result = cli(community, *PAY)
    assert result.exit_code == 1 and "ledger/payments/2026-03.yaml 太大" in result.output
    assert snapshot(community) == before


# -- questions before writing (issue 13, item 4) --------------------------------------------------
# 1-1-101: four quarterly bills of 600.00 due 15 Jan, Apr, Jul, Oct 2026, 0.03% a day (0.18 a day a bill).
# On 2026-11-20 the late fee is 0.18 x (309 + 219 + 128 + 36) = 55.62 + 39.42 + 23.04 + 6.48 = 124.56.

def test_pay_for_late_fee_in_chinese_settles_the_late_fee_on_its_day(community):
    result = cli(community, "pay", "1-1-101", "124.56", "--date", "2026-11-20", "--method", "微信", "--for", "违约金")
    assert result.exit_code == 0, result.output
    text = (community / "ledger/payments/2026-11.yaml").read_text(encoding="utf-8")
    assert '{unit: 1-1-101, date: 2026-11-20, amount: "124.56", method: wechat, for: [late_fee]}' in text
    # on 22 Nov two more days: 0.18 x 4 x 2 = 1.44 late fee left; the principal is untouched, nothing is credit
    state = pipeline.desk_for(checked(community), AS_OF).unit("1-1-101")
    assert (state.outstanding, state.credit, state.late_fee, state.late_fee_overpaid) == (
        Decimal("2400.00"), Decimal("0.00"), Decimal("1.44"), Decimal("0.00"))
    assert pipeline.desk_for(checked(community), date(2026, 11, 20)).unit("1-1-101").late_fee == Decimal("0.00")


def test_pay_for_late_fee_above_the_late_fee_owed_is_questioned(community):
    before = snapshot(community)
    result = cli(community, "pay", "1-1-101", "200", "--date", "2026-11-20", "--method", "wechat", "--for", "late_fee")
    assert result.exit_code == 1
    assert "1-1-101 按 2026-11-20 计算的违约金是 124.56 元，这笔违约金缴费 200.00 元多出 75.44 元" in result.output
    assert "加 --yes 再运行一次" in result.output and snapshot(community) == before
    result = cli(community, "pay", "1-1-101", "200", "--date", "2026-11-20", "--method", "wechat", "--for", "late_fee", "--yes")
    assert result.exit_code == 0, result.output
    assert "注意：1-1-101 按 2026-11-20 计算的违约金是 124.56 元" in result.output


def test_pay_refuses_late_fee_with_another_designation(community):
    result = cli(community, *PAY, "--for", "late_fee", "--for", "2026-01")
    assert result.exit_code == 2 and "late_fee（违约金）要单独写" in result.output


def test_a_second_payment_of_the_same_unit_day_and_amount_is_questioned(community):
    before = snapshot(community)
    result = cli(community, "pay", "1-1-102", "300", "--date", "2026-03-14", "--method", "cash")
    assert result.exit_code == 1
    assert ("请核对：1-1-102 在 2026-03-14 已经记过 1 笔 300.00 元的缴费（ledger/payments/2026-03.yaml:3:5）："
            "这是业主又交的一笔钱，还是同一笔钱记了两次？") in result.output
    assert snapshot(community) == before
    # another day, another amount or another unit is no question
    for args in (("1-1-102", "300", "--date", "2026-03-16"), ("1-1-102", "301", "--date", "2026-03-14"),
                 ("1-1-101", "300", "--date", "2026-03-14")):
        result = cli(community, "pay", *args, "--method", "cash")
        assert result.exit_code == 0 and "请核对" not in result.output, result.output


def test_a_second_payment_is_written_when_confirmed_in_a_terminal(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    args = ("pay", "1-1-102", "300", "--date", "2026-03-14", "--method", "cash", "--receipt", "")
    result = cli(community, *args, input="n\n")
    assert result.exit_code == 1 and "核对无误，仍然记这一笔吗？" in result.output and "未写入任何文件。" in result.output
    assert len(checked(community).ledger.payments) == 2
    result = cli(community, *args, input="y\n")
    assert result.exit_code == 0, result.output
    assert [p.amount for p in checked(community).ledger.payments if p.unit == "1-1-102"] == [
        Decimal("300.00"), Decimal("200.50"), Decimal("300.00")]


def test_pay_yes_writes_a_second_payment_with_a_note(community):
    result = cli(community, "pay", "1-1-102", "300", "--date", "2026-03-14", "--method", "cash", "--yes")
    assert result.exit_code == 0 and "注意：1-1-102 在 2026-03-14 已经记过 1 笔 300.00 元的缴费" in result.output


@pytest.mark.parametrize("applies_to, amount, most", [
    ("principal", "2400.01", "2,400.00"),  # the four bills that exist on 20 Nov
    ("late_fee", "124.57", "124.56"),
])
def test_waive_above_what_is_owed_is_refused_with_the_amount_that_can_be_waived(community, applies_to, amount, most):
    before = snapshot(community)
    result = cli(community, "waive", "1-1-101", amount, "--date", "2026-11-20", "--applies-to", applies_to,
                 "--approved-by", "业委会第3次会议", "--reason", "漏水")
    assert result.exit_code == 1
    assert f"最多可以减免 {most} 元" in result.output and "未写入任何文件" in result.output
    assert snapshot(community) == before
    result = cli(community, "waive", "1-1-101", most.replace(",", ""), "--date", "2026-11-20", "--applies-to", applies_to,
                 "--approved-by", "业委会第3次会议", "--reason", "漏水")
    assert result.exit_code == 0, result.output


def test_waive_counts_what_was_paid_and_waived_before_its_day(community):
    # 1-1-102: 洋房 80 m2 x 2.50 x 3 = 600.00 a quarter; 500.50 paid in March; on 2026-04-20 two bills exist:
    # 1200.00 - 500.50 = 699.50 unpaid principal
    result = cli(community, "waive", "1-1-102", "699.51", "--date", "2026-04-20", "--applies-to", "principal",
                 "--approved-by", "业委会", "--reason", "困难")
    assert result.exit_code == 1 and "未付的本金（已到期和未到期的欠费）是 699.50 元" in result.output


# -- Chinese words, prefixes and dates in the helpers (issue 13, item 4) ---------------------------

def test_options_take_chinese_words_and_their_prefixes(community):
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "电话", "--outcome", "拒绝",
                 "--reason", "对服务", "--evidence", "录音2.m4a")
    assert result.exit_code == 0, result.output
    contact = checked(community).ledger.units[0].contacts[-1]
    assert (contact.channel, contact.outcome, contact.reason) == ("phone", "refused", "service_complaint")
    text = (community / "owners/1-1-101.yaml").read_text(encoding="utf-8")
    assert text.endswith("    channel: phone\n    outcome: refused\n    reason: service_complaint\n    evidence: 录音2.m4a\n")
    result = cli(community, "waive", "1-1-101", "10", "--date", "2026-11-20", "--applies-to", "违约",
                 "--approved-by", "业委会", "--reason", "漏水")
    assert result.exit_code == 0, result.output
    assert checked(community).ledger.waivers[-1].applies_to == "late_fee"


def test_an_ambiguous_prefix_is_refused_with_its_candidates(community):
    before = snapshot(community)
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "phone", "--outcome", "已")
    assert result.exit_code == 2
    assert "“已”可以指reached（已联系上）、delivered（已送达）、paid（已缴费），请写得完整一些" in result.output
    assert snapshot(community) == before


def test_dates_are_taken_in_the_forms_import_accepts(community):
    result = cli(community, "plan", "1-1-102", "--signed", "2026年11月1日", "--installment", "2026/12/31:100",
                 "--installment", "2027.1.31：100")
    assert result.exit_code == 0, result.output
    plan = checked(community).ledger.plans[-1]
    assert (plan.signed, [i.due for i in plan.installments]) == (date(2026, 11, 1), [date(2026, 12, 31), date(2027, 1, 31)])
    assert edit.parse_date(" ２０２６年１２月３１日 ") == date(2026, 12, 31)
    for wrong, words in (("2026-02-30", "这一天不存在"), ("0226-01-01", "不在 1990-01-01 到 2100-12-31 之间"), ("明天", "不是有效日期")):
        with pytest.raises(ValueError, match=words):
            edit.parse_date(wrong)


def test_a_terminal_asks_the_date_today_by_default_and_asks_again_after_a_bad_one(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    # the date is asked first: empty is today (the --as-of of the test, 2026-11-22, is also today's bound)
    result = cli(community, "pay", "1-1-101", "100", "--method", "cash", "--receipt", "", input="\n")
    assert result.exit_code == 0, result.output
    assert "日期（回车为今天" in result.output
    text = (community / f"ledger/payments/{date.today():%Y-%m}.yaml").read_text(encoding="utf-8")
    assert f'{{unit: 1-1-101, date: {date.today()}, amount: "100.00", method: cash}}' in text
    # a day that does not exist, then one after today, then 2026年11月20日
    result = cli(community, "pay", "1-1-101", "120", "--method", "cash", "--receipt", "",
                 input="2026-11-31\n2100-01-01\n2026年11月20日\n")
    assert result.exit_code == 0, result.output
    assert "这一天不存在" in result.output and "晚于今天" in result.output
    payments = pipeline.check(community, AS_OF, date.today(), use_cache=False).ledger.payments
    assert [p.date for p in payments if p.amount == Decimal("120.00")] == [date(2026, 11, 20)]


def test_a_used_receipt_is_asked_again_when_it_is_typed(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "pay", "1-1-101", "100", "--date", "2026-11-20", "--method", "现金", input="R2026-0312\nR9\n")
    assert result.exit_code == 0, result.output
    assert "收据号“R2026-0312”已经用过（ledger/payments/2026-03.yaml:3:5）" in result.output
    assert checked(community).ledger.payments[-1].receipt == "R9"


def test_a_terminal_asks_the_waiver_amount_again_before_the_approver(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "waive", "1-1-101", "200", "--date", "2026-11-20", "--applies-to", "违约金",
                 input="124.56\n业委会\n漏水\n")
    assert result.exit_code == 0, result.output
    assert "最多可以减免 124.56 元" in result.output
    out = result.output
    assert out.index("最多可以减免") < out.index("减免金额: ") < out.index("批准人")
    assert checked(community).ledger.waivers[-1].amount == Decimal("124.56")


def test_a_terminal_refuses_an_unknown_unit_before_asking_anything(community, monkeypatch):
    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    result = cli(community, "pay", "9-9-909", "100", input="\n")
    assert result.exit_code == 2 and "找不到房号 9-9-909" in result.output and "日期" not in result.output


def test_a_part_of_a_word_with_a_slash_names_its_value_in_the_helpers(community):
    result = cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "EMS", "--outcome", "已送达",
                 "--evidence", "EMS1234")
    assert result.exit_code == 0, result.output
    contact = checked(community).ledger.units[0].contacts[-1]
    assert (contact.channel, contact.outcome) == ("registered_mail", "delivered")


# -- cuijiao undo (issue 13, item 4) ----------------------------------------------------------------

def test_undo_takes_back_the_last_write_byte_for_byte_once(community):
    before = snapshot(community)
    assert cli(community, "log", "1-1-101", "--date", "2026-11-21", "--channel", "phone", "--outcome", "reached").exit_code == 0
    after_log = snapshot(community)
    result = cli(community, "pay", "1-1-101", "100", "--date", "2026-03-20", "--method", "cash")
    assert result.exit_code == 0, result.output
    result = cli(community, "undo")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("已恢复 ledger/payments/2026-03.yaml（撤销了 ")
    assert "的写入：1-1-101 2026-03-20 缴费 100.00 元（现金））" in result.output
    assert snapshot(community) == after_log  # only the last write: the contact stays
    result = cli(community, "undo")
    assert result.exit_code == 1 and "没有可以撤销的修改" in result.output
    assert snapshot(community) == after_log != before


def test_undo_deletes_the_file_the_write_made(community):
    before = snapshot(community)
    assert cli(community, "pay", "1-1-101", "100", "--date", "2026-11-20", "--method", "cash").exit_code == 0
    assert (community / "ledger/payments/2026-11.yaml").is_file()
    result = cli(community, "undo")
    assert result.exit_code == 0 and result.output.startswith("已删除 ledger/payments/2026-11.yaml（它是 ")
    assert snapshot(community) == before


def test_a_refused_write_leaves_the_last_write_to_undo(community):
    assert cli(community, "pay", "1-1-101", "100", "--date", "2026-03-20", "--method", "cash").exit_code == 0
    written = snapshot(community)
    assert cli(community, "pay", "1-1-101", "100", "--date", "2026-03-20", "--method", "cash").exit_code == 1  # questioned
    assert snapshot(community) == written
    result = cli(community, "undo")
    assert result.exit_code == 0 and "1-1-101 2026-03-20 缴费 100.00 元" in result.output
    assert snapshot(community)["ledger/payments/2026-03.yaml"].decode("utf-8") == PAYMENTS_2026_03


def test_undo_refuses_a_file_changed_after_the_write(community):
    assert cli(community, "pay", "1-1-101", "100", "--date", "2026-03-20", "--method", "cash").exit_code == 0
    path = community / "ledger/payments/2026-03.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# 核对过\n", encoding="utf-8")
    changed = snapshot(community)
    result = cli(community, "undo")
    assert result.exit_code == 1
    assert "不能撤销：ledger/payments/2026-03.yaml 在那次写入" in result.output and "之后又改过了" in result.output
    assert snapshot(community) == changed


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_undo_refuses_a_write_committed_to_git(community):
    def git(*args):
        subprocess.run(["git", "-C", str(community), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                       check=True, capture_output=True)
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "start")
    assert cli(community, "pay", "1-1-101", "100", "--date", "2026-03-20", "--method", "cash").exit_code == 0
    git("commit", "-q", "-am", "pay")
    committed = snapshot(community)
    result = cli(community, "undo")
    assert result.exit_code == 1 and "已经提交到 Git" in result.output and "git revert" in result.output
    assert snapshot(community) == committed


def test_undo_refuses_a_journal_it_did_not_sign(community):
    """The journal sits in the work folder, which may be a CI cache someone else wrote: a planted journal
    (here the real one with its owner's words changed) must not make undo write its bytes into the ledger."""
    from generator.core.paths import work_folder

    assert cli(community, "pay", "1-1-101", "100", "--date", "2026-03-20", "--method", "cash").exit_code == 0
    written = snapshot(community)
    journal = work_folder(community) / "last-edit.json"
    raw = journal.read_bytes()
    journal.write_bytes(raw[:32] + raw[32:].replace("现金".encode(), "微信".encode()))
    result = cli(community, "undo")
    assert result.exit_code == 1 and "不是本机这个用户写下的" in result.output
    assert snapshot(community) == written


def test_amounts_are_taken_as_people_write_them():
    for text in ("1200.5", "1,200.50", "￥1,200.50元", "１，２００．５０", "¥1200.50 元"):
        assert edit.parse_money(text) == Decimal("1200.50"), text
    for wrong in ("1200.505", "-5", "一千", "0"):
        with pytest.raises(ValueError):
            edit.parse_money(wrong)
