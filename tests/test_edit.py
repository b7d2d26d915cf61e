"""The editing helpers: each write is re-read by the validator, keeps the file's comments, and is all or nothing."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import edit, pipeline
from generator.cli import main

AS_OF = date(2026, 11, 22)

POLICY = """\
# 测试小区的收费政策
community: 测试花园
issuer: {name: 测试花园业主委员会, address: 测试路1号, phone: "0571-00000000"}
payment_channels: [微信扫码]
fees:
  - {id: property, name: 物业服务费, basis: area, rate: {高层: "2.00", 洋房: "2.50"}, cycle: 3, due_day: 15}
late_fee: {daily_rate: "0.0003"}
dunning:
  - {id: reminder, name: 温馨提醒, after_days: 1, channels: [sms, wechat]}
  - {id: notice, name: 催缴通知书, after_days: 30, channels: [letter], letter: notice, wait_days: 7}
limitation: {years: 3, warn_days: 180}
"""

OWNER_101 = """\
# 1幢1单元101，业主常年在外地
unit: 1-1-101
type: 高层
area: "100.00"   # 房产证面积
billing_start: 2026-01-01
owners:
  - {name: 王丽, phone: "13800000000"}
contacts:
  - date: 2026-03-02
    channel: phone
    outcome: refused   # 态度差
    evidence: 录音1.m4a
"""

OWNER_102 = """\
unit: 1-1-102
type: 洋房
area: "80.00"
billing_start: 2026-01-01
owners:
  - {name: 李四, phone: "13900000000"}
contacts:
  - {date: 2026-02-01, channel: sms, outcome: no_answer}
"""

PAYMENTS_2026_03 = """\
# 2026年3月缴费（手工录入）
payments:   # 按日期排列
  - {unit: 1-1-102, date: 2026-03-14, amount: "300.00", method: wechat, receipt: R2026-0312}
  - {unit: 1-1-102, date: 2026-03-15, amount: 200.50, method: bank, receipt: 0012}   # 银行回单
# 以上核对无误
"""


def make_community(root: Path) -> Path:
    """A two-unit community with comments everywhere a person would write them."""
    (root / "ledger" / "payments").mkdir(parents=True)
    (root / "owners").mkdir()
    (root / "ledger" / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (root / "ledger" / "payments" / "2026-03.yaml").write_text(PAYMENTS_2026_03, encoding="utf-8")
    (root / "owners" / "1-1-101.yaml").write_text(OWNER_101, encoding="utf-8")
    (root / "owners" / "1-1-102.yaml").write_text(OWNER_102, encoding="utf-8")
    return root


def cli(root: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--root", str(root), "--as-of", str(AS_OF), "--no-cache", *args], input=input)


def checked(root: Path) -> pipeline.Checked:
    result = pipeline.check(root, AS_OF, AS_OF, use_cache=False)
    assert not result.errors, [p.render() for p in result.errors]
    return result


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


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
    monkeypatch.setattr(edit, "_interactive", lambda: True)
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
    monkeypatch.setattr(edit, "_interactive", lambda: True)
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
    monkeypatch.setattr(edit, "_interactive", lambda: True)
    result = cli(community, "pay", "1-1-101", "100", "--date", "2026-11-20", input="wechat\nR2026-1120\n")
    assert result.exit_code == 0, result.output
    assert checked(community).ledger.payments[-1].receipt == "R2026-1120"
    result = cli(community, "pay", "1-1-101", "100", "--date", "2026-11-20", "--method", "cash", input="\n")
    assert result.exit_code == 0, result.output
    assert checked(community).ledger.payments[-1].receipt in ("", None)


def test_plan_installments_are_asked_for_in_a_terminal(community, monkeypatch):
    monkeypatch.setattr(edit, "_interactive", lambda: True)
    result = cli(community, "plan", "1-1-102", "--signed", "2026-11-22", input="2026-12-01:500\n2027-01-01:500\n\n")
    assert result.exit_code == 0, result.output
    assert [i.amount for i in checked(community).ledger.plans[0].installments] == [Decimal("500.00")] * 2


def test_the_guard_refuses_a_rewrite_that_would_change_existing_values():
    with pytest.raises(edit.EditError):
        edit._guard("x.yaml", "payments:\n  - {amount: 1.50}\n", "payments:\n  - {amount: 1.5}\n  - {amount: 2}\n", "payments", ["amount"])
