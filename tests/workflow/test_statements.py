"""Statements read into incoming lines: the WeChat Pay merchant bill, Alipay's account statement and
bank exports, as the services write them (tests/data/statements/, made by make_samples.py)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.core.errors import CuijiaoError
from generator.workflow import statements
from generator.workflow.statements import ALIPAY, BANK, WECHAT

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "statements"


def summary(statement):
    return [(line.date, line.amount, line.counterparty, line.reference, line.row) for line in statement.lines]


def test_wechat_merchant_bill_keeps_successful_payments_drops_the_backticks_and_stops_at_the_summary():
    statement = statements.read(SAMPLES / "wechat-2026-11.csv")
    assert statement.source == WECHAT
    assert statement.skipped == (("退款", 1),)
    assert [(line.date, line.amount, line.reference, line.remark) for line in statement.lines] == [
        (date(2026, 11, 3), Decimal("2200.00"), "4200001234202611031234567801", "物业费 3栋2单元1802"),
        (date(2026, 11, 5), Decimal("200.00"), "4200001234202611051234567802", "1-1-101 11月物业费"),
        (date(2026, 11, 6), Decimal("2200.00"), "4200001234202611061234567803", "物业费"),
    ]
    assert statement.lines[0].counterparty == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"  # only an openid: no payer name


def test_alipay_statement_in_gbk_skips_comment_lines_and_outgoing_money():
    statement = statements.read(SAMPLES / "alipay-2026-11.csv")
    assert statement.source == ALIPAY
    assert statement.skipped == (("支出", 1),)
    assert summary(statement) == [
        (date(2026, 11, 8), Decimal("600.00"), "li**@163.com", "2026110822001456781234567890", 6),
        (date(2026, 11, 9), Decimal("400.00"), "王丽(138****0000)", "2026110922001456781234567891", 7),
    ]
    assert statement.lines[0].remark == "李娜 1-1-102 物业费 / 物业费"  # 备注 first, then 商品名称


@pytest.mark.parametrize("name, first_row", [("bank-2026-11.csv", 6), ("bank-2026-11.xlsx", 7)])
def test_bank_statement_csv_and_xlsx_give_the_same_credits_and_skip_fees_and_the_total_row(name, first_row):
    statement = statements.read(SAMPLES / name)
    assert statement.source == BANK
    assert statement.skipped == (("支出", 1),)
    assert [(line.date, line.amount, line.counterparty, line.reference) for line in statement.lines] == [
        (date(2026, 11, 2), Decimal("200.00"), "刘强", "110100000012344"),
        (date(2026, 11, 10), Decimal("2200.00"), "陈静", "110100000012345"),
        (date(2026, 11, 20), Decimal("200.00"), "刘强", "110100000012347"),
    ]
    assert statement.lines[0].row == first_row
    assert statement.lines[1].remark == "转账 / 2-1-301物业费"


def test_bank_statement_in_gb18030_with_income_and_expense_columns(tmp_path):
    path = tmp_path / "明细.csv"
    text = ("账号,6222000000000000\n"
            "交易日期,摘要,收入金额,支出金额,账户余额,对方户名,附言\n"
            "2026/11/3,跨行汇款,\"1,000.50\",,9000.00,王䶮,3#2-1802物业费\n"  # 䶮 (U+4DAE) is in GB18030, not GBK
            "2026/11/4,取现,,200.00,8800.00,,\n")
    path.write_bytes(text.encode("gb18030"))
    statement = statements.read(path)
    assert summary(statement) == [(date(2026, 11, 3), Decimal("1000.50"), "王䶮", "", 3)]
    assert statement.lines[0].remark == "跨行汇款 / 3#2-1802物业费"
    assert statement.skipped == (("支出", 1),)


def test_bank_statement_with_one_amount_column_and_a_debit_credit_flag_in_utf8(tmp_path):
    path = tmp_path / "flow.csv"
    path.write_text("记账日期,交易金额,借贷标志,对方户名,用途,流水号\n"
                    "20261105,300.00,贷,张伟,1-1-101,A1\n"
                    "20261106,50.00,借,电费,,A2\n", encoding="utf-8")
    statement = statements.read(path)
    assert summary(statement) == [(date(2026, 11, 5), Decimal("300.00"), "张伟", "A1", 2)]
    assert statement.skipped == (("支出", 1),)


def test_a_file_without_a_known_header_is_refused_saying_what_each_export_has(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("姓名,金额\n王丽,100\n", encoding="utf-8")
    with pytest.raises(CuijiaoError) as caught:
        statements.read(path)
    assert "other.csv 不像微信支付、支付宝或银行导出的流水" in str(caught.value)
    assert "微信订单号" in str(caught.value)


def test_an_unreadable_amount_names_its_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("交易日期,贷方发生额,对方户名\n2026-11-01,12abc,王丽\n", encoding="utf-8")
    with pytest.raises(CuijiaoError, match="bad.csv 第 2 行：金额“12abc”读不出来"):
        statements.read(path)


def test_an_unreadable_date_names_its_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("交易日期,贷方发生额,对方户名\n昨天,100.00,王丽\n", encoding="utf-8")
    with pytest.raises(CuijiaoError, match="bad.csv 第 2 行：日期“昨天”读不出来"):
        statements.read(path)


def test_other_file_kinds_are_refused_before_reading(tmp_path):
    path = tmp_path / "bill.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CuijiaoError, match="只能读取 .csv 或 .xlsx 格式的流水"):
        statements.read(path)


def test_a_folder_named_like_a_statement_is_refused_as_not_a_regular_file(tmp_path):
    folder = tmp_path / "wechat.csv"
    folder.mkdir()
    with pytest.raises(CuijiaoError, match="不是普通文件"):
        statements.read(folder)


def test_a_statement_above_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from generator.workflow import importer

    monkeypatch.setattr(importer, "MAX_CSV_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("交易日期,贷方发生额\n" + "2026-11-01,1.00\n" * 20, encoding="utf-8")
    with pytest.raises(CuijiaoError, match="超过 CSV 导入的上限"):
        statements.read(path)


def test_an_xlsx_statement_whose_stored_dimension_is_stale_is_read_whole(tmp_path):
    """Some exporters write <dimension ref="A1"/> whatever the sheet holds; every row is read anyway."""
    import re
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["账号：6222"], [], ["交易日期", "贷方发生额", "对方户名", "附言", "流水号"],
                ["2026-11-01", 100, "王丽", "3-2-1802", "F1"], [], ["2026-11-02", "2,300.50", "李娜", "1-1-102", "F2"]):
        sheet.append(row)
    made = tmp_path / "made.xlsx"
    book.save(made)
    path = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(part, data)
    statement = statements.read(path)
    assert summary(statement) == [(date(2026, 11, 1), Decimal("100.00"), "王丽", "F1", 4),
                                  (date(2026, 11, 2), Decimal("2300.50"), "李娜", "F2", 6)]
