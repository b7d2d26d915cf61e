"""Statement lines matched to units: unit ids in any common spelling, owners' names, the payer's
history, the amount against the bills; recorded lines recognised; payments written once."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator import pipeline
from generator.core.errors import CuijiaoError
from generator.workflow import match, statements
from generator.workflow.importer import Row
from generator.workflow.match import HIGH, LOW, MEDIUM, NONE
from generator.workflow.statements import BANK, Line

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "statements"
AS_OF = date(2026, 11, 22)
FILES = ("wechat-2026-11.csv", "alipay-2026-11.csv", "bank-2026-11.csv")


def owners(*names: str) -> list[dict]:
    return [{"name": name} for name in names]


@pytest.fixture
def community(new_community):
    """Four units of 100 m² at 2.00 a month from 2026-01-01: 2,200.00 owed each by November, 200.00 a bill;
    刘强's bank transfer of 2 November (110100000012344) is already recorded for 1-1-101."""
    c = new_community()
    c.unit("3-2-1802", owners=owners("王丽"))
    c.unit("1-1-101", owners=owners("张伟"))
    c.unit("1-1-102", owners=owners("李娜"))
    c.unit("2-1-301", owners=owners("陈静"))
    c.payment("1-1-101", "2026-11-02", "200.00", method="bank", receipt="110100000012344", file="ledger/payments/2026-11.yaml")
    c.write()
    return c


def lines(*names: str) -> list[Line]:
    return [line for name in names for line in statements.read(SAMPLES / name).lines]


def proposed(community, given: list[Line]) -> match.Matching:
    checked = pipeline.check(community.root, AS_OF, AS_OF, use_cache=False)
    assert not checked.errors, [p.render() for p in checked.errors]
    return match.propose(given, checked.ledger, pipeline.desk_for(checked, AS_OF))


def matching(community, *names: str) -> match.Matching:
    return proposed(community, lines(*(names or FILES)))


@pytest.mark.parametrize("text", ["3-2-1802", "3栋2单元1802室", "3#2-1802", "3号楼2单元1802", "３－２－１８０２", "3幢2单元1802", "3-02-1802"])
def test_every_common_spelling_of_a_unit_id_has_the_same_key(text):
    assert [key for _, key in match.unit_mentions(f"物业费{text}全年")] == [("3", "2", "1802")]


def test_a_month_of_wechat_alipay_and_bank_lines_gets_a_proposal_each_with_its_reasons(community):
    result = matching(community)
    assert [(r.line.reference, r.payment.unit) for r in result.recorded] == [("110100000012344", "1-1-101")]
    got = {(p.line.source, p.line.row): (p.unit, p.confidence) for p in result.proposals}
    assert got == {
        ("wechat", 2): ("3-2-1802", HIGH),  # 3栋2单元1802 and the whole outstanding
        ("wechat", 3): ("1-1-101", HIGH),  # 1-1-101 and one bill
        ("wechat", 4): (None, NONE),  # only 物业费 and an amount three units owe
        ("alipay", 6): ("1-1-102", HIGH),  # the unit id and the owner's name
        ("alipay", 7): ("3-2-1802", MEDIUM),  # the owner's name and two bills
        ("bank", 7): ("2-1-301", HIGH),
        ("bank", 9): ("1-1-101", HIGH),  # 刘强's earlier transfer was recorded for 1-1-101, and one bill
    }
    reasons = {(p.line.source, p.line.row): p.reasons for p in result.proposals}
    assert reasons[("wechat", 2)] == ("流水里写着“3栋2单元1802”，即房号 3-2-1802", "金额等于该户欠费合计 2,200.00 元")
    assert reasons[("alipay", 7)] == ("流水里有业主（或住户）姓名“王丽”（3-2-1802）", "金额等于最早 2 期欠费之和 400.00 元")
    assert reasons[("bank", 9)] == ("同一付款方的另一笔流水（110100000012344）已记在 1-1-101", "金额等于一期账单（物业服务费 2026-02 期，200.00 元）")
    assert reasons[("wechat", 4)] == ("流水里没有房号或姓名；金额与 3 户的欠费合计相同（1-1-102、2-1-301、3-2-1802），无法确定",)


def test_a_name_alone_with_an_amount_that_fits_nothing_is_low(community):
    line = Line(date(2026, 11, 9), Decimal("123.45"), "in", "王丽", "转账", "X1", BANK, 2, "b.csv")
    (proposal,) = proposed(community, [line]).proposals
    assert (proposal.unit, proposal.confidence) == ("3-2-1802", LOW)
    assert proposal.reasons[-1] == "金额 123.45 元与该户的账单、欠费 2,200.00 元都不相等"


def test_a_unit_id_and_a_name_of_another_unit_are_not_taken_as_sure(community):
    line = Line(date(2026, 11, 9), Decimal("200.00"), "in", "陈静", "1-1-102", "X2", BANK, 2, "b.csv")
    (proposal,) = proposed(community, [line]).proposals
    assert (proposal.unit, proposal.confidence) == ("1-1-102", MEDIUM)
    assert proposal.reasons[-1] == "另有较弱的线索指向 2-1-301"


def test_a_line_without_reference_is_recorded_by_day_amount_and_method_once(community):
    community.payment("2-1-301", "2026-11-15", "300.00", method="bank", file="ledger/payments/2026-11.yaml")
    community.write()
    same = [Line(date(2026, 11, 15), Decimal("300.00"), "in", "", "", "", BANK, row, "b.csv") for row in (2, 3)]
    result = proposed(community, same)
    assert [r.line.row for r in result.recorded] == [2]  # one payment stands for one line
    assert [p.line.row for p in result.proposals] == [3]


def test_the_same_reference_in_two_overlapping_exports_is_proposed_once(community):
    result = matching(community, "bank-2026-11.csv", "bank-2026-11.xlsx")
    assert [(line.file, line.row) for line in result.repeated] == [
        ("bank-2026-11.xlsx", 7), ("bank-2026-11.xlsx", 8), ("bank-2026-11.xlsx", 10)]
    assert len(result.proposals) == 2


def test_record_writes_the_sure_ones_once_with_the_reference_as_receipt(community):
    sure = [(p.unit, p.line) for p in matching(community).of(HIGH)]
    assert len(sure) == 5
    done = match.record(community.root, sure, AS_OF, AS_OF, use_cache=False)
    assert not done.checked.errors, [p.render() for p in done.checked.errors]
    assert [e.path for e in done.edits] == ["ledger/payments/2026-11.yaml"]
    ledger = pipeline.check(community.root, AS_OF, AS_OF, use_cache=False).ledger
    written = {(p.unit, p.receipt, p.method, str(p.amount)) for p in ledger.payments}
    assert ("3-2-1802", "4200001234202611031234567801", "wechat", "2200.00") in written
    assert ("1-1-102", "2026110822001456781234567890", "alipay", "600.00") in written
    assert len(ledger.payments) == 6
    text = (community.root / "ledger/payments/2026-11.yaml").read_text(encoding="utf-8")
    assert "note: 由 cuijiao match 从微信支付商户账单写入" in text
    # a second run finds every one of them recorded and writes nothing
    again = match.record(community.root, sure, AS_OF, AS_OF, use_cache=False)
    assert (again.written, again.edits, len(again.already)) == ((), (), 5)
    assert {p.line.reference for p in matching(community).proposals}.isdisjoint({line.reference for _, line in sure})


def test_the_csv_to_fill_comes_back_with_the_units_the_treasurer_wrote(community):
    left = [p for p in matching(community).proposals if p.confidence != HIGH]
    text = match.to_fill_csv(left)
    assert text.startswith("\ufeff房号,日期,金额,来源,流水号,付款方,备注,建议房号,把握,理由,文件,行\r\n")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][:5] == ["", "2026-11-06", "2200.00", "wechat", "`4200001234202611061234567803"]
    rows[1][0] = "2-1-301"  # the treasurer fills one row, as Excel would save it
    rows[1][1] = "2026/11/6"
    filled = match.parse_filled("待确认.csv", [Row(n, cells) for n, cells in enumerate(rows, start=1)],
                                {"3-2-1802", "1-1-101", "1-1-102", "2-1-301"})
    assert filled.left == len(left) - 1
    ((unit, line),) = filled.entries
    assert (unit, line.date, line.amount, line.source, line.reference) == (
        "2-1-301", date(2026, 11, 6), Decimal("2200.00"), "wechat", "4200001234202611061234567803")


def test_statement_text_that_starts_like_a_formula_is_written_as_text():
    line = Line(date(2026, 11, 1), Decimal("1.00"), "in", "=HYPERLINK(\"x\")", "+1", "", BANK, 2, "b.csv")
    text = match.to_fill_csv([match.Proposal(line, None, NONE, ("-",))])
    assert ',"\'=HYPERLINK(""x"")",\'+1,,未匹配,\'-,' in text


def test_a_filled_row_with_a_unit_that_does_not_exist_names_the_row():
    rows = [Row(1, list(match.CSV_COLUMNS)), Row(2, ["9-9-999", "2026-11-06", "1.00", "bank", "", "", "", "", "", "", "", "2"])]
    with pytest.raises(CuijiaoError, match="f.csv 第 2 行：房号“9-9-999”不存在"):
        match.parse_filled("f.csv", rows, {"1-1-101"})


# -- the command ------------------------------------------------------------------------------------

def run(root: Path, *args: str):
    from click.testing import CliRunner

    from generator.cli.main import main

    return CliRunner().invoke(main, ["--root", str(root), "--as-of", str(AS_OF), "--no-cache", "match", *args])


def ledger_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "ledger").rglob("*.yaml"))}


def test_match_shows_each_proposal_with_its_reasons_and_writes_nothing(community):
    before = ledger_files(community.root)
    result = run(community.root, *(str(SAMPLES / name) for name in FILES))
    assert result.exit_code == 0, result.output
    assert "读取 wechat-2026-11.csv（微信支付商户账单）：收入 3 笔；跳过 退款 1 笔" in result.output
    assert "已经记账 1 笔，跳过：" in result.output
    assert "建议（高 5 笔，中 1 笔，未匹配 1 笔）：" in result.output
    assert "[高] 2026-11-03    2,200.00 元  “物业费 3栋2单元1802”  流水号 4200001234202611031234567801" in result.output
    assert "理由：流水里写着“3栋2单元1802”，即房号 3-2-1802；金额等于该户欠费合计 2,200.00 元" in result.output
    assert "未写入任何缴费。确认无误后加 --write，把高把握的 5 笔记为缴费。" in result.output
    assert ledger_files(community.root) == before


def test_match_write_records_the_sure_ones_and_a_second_run_writes_nothing(community):
    files = [str(SAMPLES / name) for name in FILES]
    first = run(community.root, *files, "--write")
    assert first.exit_code == 0, first.output
    assert first.output.count("已记为缴费：") == 5
    after = ledger_files(community.root)
    second = run(community.root, *files, "--write")
    assert second.exit_code == 0, second.output
    assert "已经记账 6 笔，跳过：" in second.output
    assert "没有高把握的建议，未写入任何缴费。" in second.output
    assert ledger_files(community.root) == after


def test_match_csv_then_confirm_writes_the_rows_given_a_unit_once(community, tmp_path):
    out = tmp_path / "待确认.csv"
    result = run(community.root, *(str(SAMPLES / name) for name in FILES), "--csv", str(out))
    assert result.exit_code == 0, result.output
    assert f"其余 2 笔已写入 {out}" in result.output
    text = out.read_bytes().decode("utf-8-sig").replace("\r\n,2026-11-09,", "\r\n3-2-1802,2026-11-09,")
    out.write_bytes(text.encode("utf-8-sig"))
    confirmed = run(community.root, "--confirm", str(out))
    assert confirmed.exit_code == 0, confirmed.output
    assert "待确认.csv：填了房号 1 笔，留空 1 笔（不写入）" in confirmed.output
    assert "已记为缴费：3-2-1802  2026-11-09  400.00 元  收据号 2026110922001456781234567891" in confirmed.output
    after = ledger_files(community.root)
    again = run(community.root, "--confirm", str(out))
    assert "已经记账，没有再写：" in again.output and "alipay-2026-11.csv 第 7 行" in again.output
    assert ledger_files(community.root) == after


def test_confirm_with_a_unit_that_does_not_exist_names_the_row_and_writes_nothing(community, tmp_path):
    out = tmp_path / "f.csv"
    out.write_text(",".join(match.CSV_COLUMNS) + "\n9-9-999,2026-11-06,1.00,bank,X9,,,,,,,\n", encoding="utf-8")
    before = ledger_files(community.root)
    result = run(community.root, "--confirm", str(out))
    assert result.exit_code == 1
    assert "f.csv 第 2 行：房号“9-9-999”不存在" in result.output
    assert ledger_files(community.root) == before


def test_control_characters_from_a_statement_never_reach_the_terminal(community, tmp_path):
    path = tmp_path / "bank.csv"
    path.write_text("交易日期,贷方发生额,对方户名,附言,流水号\n2026-11-03,1.00,\x1b[2J王丽\u202e,物业费\x07,Z1\n", encoding="utf-8")
    result = run(community.root, str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    assert "\ufffd[2J王丽\ufffd" in result.output


def test_lines_dated_after_the_day_computed_are_set_apart(community):
    later = Line(date(2026, 11, 23), Decimal("200.00"), "in", "", "1-1-101", "L1", BANK, 2, "b.csv")
    result = proposed(community, [later])
    assert (result.later, result.proposals) == ((later,), ())


def test_ask_takes_a_unit_per_line_checks_each_answer_and_writes_the_answers(community, monkeypatch):
    from click.testing import CliRunner

    from generator.cli import match as match_cli
    from generator.cli.main import main

    monkeypatch.setattr(match_cli, "_interactive", lambda: True)
    files = [str(SAMPLES / name) for name in FILES]
    # the unmatched WeChat line: a unit that does not exist, then 2-1-301; the 王丽 line: y takes 3-2-1802
    result = CliRunner().invoke(main, ["--root", str(community.root), "--as-of", str(AS_OF), "--no-cache",
                                       "match", *files, "--ask"], input="9-9-9\n2-1-301\ny\n")
    assert result.exit_code == 0, result.output
    assert "房号“9-9-9”不存在（owners/ 里没有这个文件），请重新输入，或回车跳过" in result.output
    assert "已记为缴费：2-1-301  2026-11-06  2,200.00 元  收据号 4200001234202611061234567803" in result.output
    assert "已记为缴费：3-2-1802  2026-11-09  400.00 元  收据号 2026110922001456781234567891" in result.output
    assert "高把握的这些没有写入。确认无误后加 --write，把高把握的 5 笔记为缴费。" in result.output
    receipts = {p.receipt for p in pipeline.check(community.root, AS_OF, AS_OF, use_cache=False).ledger.payments}
    assert receipts == {"110100000012344", "4200001234202611061234567803", "2026110922001456781234567891"}


def test_ask_outside_a_terminal_is_a_usage_error(community):
    result = run(community.root, str(SAMPLES / "bank-2026-11.csv"), "--ask")
    assert result.exit_code == 2
    assert "--ask 要在终端里使用" in result.output
