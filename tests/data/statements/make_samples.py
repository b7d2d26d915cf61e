"""Write the sample statement exports the statement tests read (run once; the files are committed).

They follow the layouts the services document and really export (see docs/guide/match.md):
the WeChat Pay merchant bill (UTF-8 with BOM, a backtick before each value, two summary rows),
the Alipay account statement (GBK, # lines above and below, a tab after long numbers) and a
bank account statement (GBK CSV and .xlsx: account lines above the header, a 合计 row).
The community they are matched against is written by tests/workflow/test_match.py.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

WECHAT_HEADER = next(csv.reader([(
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注")]))


def wechat_row(when, order, merchant_order, openid, status, amount, product, refund="0.00"):
    values = [when, "wx2421b1c4370ec43b", "1900000109", "0", "", order, merchant_order, openid, "NATIVE", status,
              "CMB_DEBIT", "CNY", amount, "0.00", "0" if status == "SUCCESS" else "50300501" + order[-12:],
              "0" if status == "SUCCESS" else "R" + merchant_order, refund, "0.00",
              "" if status == "SUCCESS" else "ORIGINAL", "" if status == "SUCCESS" else "SUCCESS",
              product, "", "0.60" if status == "SUCCESS" else "-0.60", "0.60%", amount, refund, ""]
    return ["`" + v for v in values]


WECHAT_ROWS = [
    wechat_row("2026-11-03 09:15:22", "4200001234202611031234567801", "P2026110300001", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
               "SUCCESS", "2200.00", "物业费 3栋2单元1802"),
    wechat_row("2026-11-05 20:01:09", "4200001234202611051234567802", "P2026110500002", "oUpF8uN2xQ7bT1kWcR0pLmZyVd3s",
               "SUCCESS", "200.00", "1-1-101 11月物业费"),
    wechat_row("2026-11-06 08:30:45", "4200001234202611061234567803", "P2026110600003", "oUpF8uK9sJ3dH5gF7aQ2wE4rT6yU",
               "SUCCESS", "2200.00", "物业费"),
    wechat_row("2026-11-07 10:11:12", "4200001234202611031234567801", "P2026110300001", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
               "REFUND", "0.00", "物业费 3栋2单元1802", refund="100.00"),
]
WECHAT_SUMMARY = [["总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额", "手续费总金额", "订单总金额", "申请退款总金额"],
                  ["`4", "`4600.00", "`100.00", "`0.00", "`1.20", "`4600.00", "`100.00"]]

ALIPAY_TEXT = """\
#支付宝账务明细查询
#账号：[20885021xxxxxxxx]
#起始日期：[2026年11月01日 00:00:00]   终止日期：[2026年12月01日 00:00:00]
#-----------------------------------------账务明细列表----------------------------------------
账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注
20261108110070101500460012345678\t,2026110822001456781234567890\t,\t,物业费\t,2026-11-08 12:40:03\t,li**@163.com\t,600.00\t,\t,8600.00\t,支付宝\t,在线支付\t,李娜 1-1-102 物业费\t
20261109110070101500460012345679\t,2026110922001456781234567891\t,\t,转账\t,2026-11-09 19:02:55\t,王丽(138****0000)\t,400.00\t,\t,9000.00\t,支付宝\t,转账\t,王丽交物业费\t
20261110110070101500460012345680\t,20261110110070101500460012345680\t,\t,提现\t,2026-11-10 09:00:00\t,测试花园业主委员会\t,\t,5000.00\t,4000.00\t,支付宝\t,提现\t,\t
#-----------------------------------------账务明细列表结束------------------------------------
#支出合计：1笔，共5000.00元
#收入合计：2笔，共1000.00元
#导出时间：[2026年12月01日 10:12:33]
"""

BANK_TOP = [["中国工商银行账户明细"], ["账号：6222 0000 0000 0000"], ["户名：测试花园业主委员会"],
            ["起始日期：2026-11-01", "终止日期：2026-11-30"]]
BANK_HEADER = ["交易日期", "交易时间", "摘要", "借方发生额", "贷方发生额", "余额", "对方户名", "对方账号", "对方开户行",
               "用途/附言", "交易流水号"]
BANK_ROWS = [
    ["2026-11-02", "10:05:11", "转账", "", "200.00", "12200.00", "刘强", "6217000011112222", "中国建设银行", "物业费",
     "110100000012344"],
    ["2026-11-10", "14:22:01", "转账", "", "2,200.00", "14400.00", "陈静", "6217000033334444", "中国建设银行",
     "2-1-301物业费", "110100000012345"],
    ["2026-11-12", "09:00:00", "手续费", "5.00", "", "14395.00", "", "", "", "", "110100000012346"],
    ["2026-11-20", "16:40:27", "跨行转账", "", "200.00", "14595.00", "刘强", "6217000011112222", "中国建设银行", "物业费",
     "110100000012347"],
]
BANK_TOTAL = ["合计", "", "", "5.00", "2,600.00", "", "", "", "", "", ""]


def csv_text(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def main() -> None:
    (HERE / "wechat-2026-11.csv").write_bytes(
        ("\ufeff" + csv_text([WECHAT_HEADER, *WECHAT_ROWS, *WECHAT_SUMMARY])).encode("utf-8"))
    (HERE / "alipay-2026-11.csv").write_bytes(ALIPAY_TEXT.replace("\n", "\r\n").encode("gbk"))
    (HERE / "bank-2026-11.csv").write_bytes(csv_text([*BANK_TOP, BANK_HEADER, *BANK_ROWS, BANK_TOTAL]).encode("gbk"))
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "账户明细"
    for row in [*BANK_TOP, [], BANK_HEADER, *BANK_ROWS, BANK_TOTAL]:
        sheet.append(row)
    book.save(HERE / "bank-2026-11.xlsx")


if __name__ == "__main__":
    main()
