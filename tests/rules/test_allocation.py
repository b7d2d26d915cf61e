"""Rules 4 and 5 of the ledger spec: credits settle charges; outstanding, not_due and credit."""
from __future__ import annotations

from datetime import date

from tests.community import Community, fee


def pieces(state, index):
    """(amount, settled, payment or waiver, receipt) of the pieces of a unit's charge."""
    return [
        (str(p.amount), p.settled.isoformat(), "payment" if p.by_payment else "waiver", getattr(p.source, "receipt", ""))
        for p in state.charges[index].pieces
    ]


def test_a_payment_settles_the_oldest_charge_first(tmp_path):
    c = Community(tmp_path)  # 100 m² x 2.00 = 200.00 a month, due on the 15th
    c.unit("1-1-101", billing_start="2026-01-01")
    c.payment("1-1-101", "2026-03-20", "300.00", receipt="R1")
    state = c.state("1-1-101", "2026-03-20")
    assert pieces(state, 0) == [("200.00", "2026-03-20", "payment", "R1")]  # January
    assert pieces(state, 1) == [("100.00", "2026-03-20", "payment", "R1")]  # February, partly
    assert pieces(state, 2) == []  # March
    row = c.unit_report("1-1-101", "2026-03-20")
    # 600.00 charged - 300.00 paid = 300.00 unpaid: Feb's 100.00 + Mar's 200.00, both overdue (due before 03-20)
    assert (row["outstanding"], row["not_due"], row["credit"]) == ("300.00", "0.00", "0.00")


def test_payments_go_before_waivers_on_the_same_day_whatever_the_load_order(tmp_path):
    # A waiver of 100 is written before a payment of 100, both on 2026-02-01.
    # Payment first: it settles the older charge (due 2025-12-15), the waiver the 2026 one.
    # Visible in rule 11: the 2026 charge is fully waived -> 0 / (100 - 100) -> null.
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "旧账", "100.00", "2025-12-15")
    c.charge("1-1-101", "新账", "100.00", "2026-01-15")
    c.waiver("1-1-101", "2026-02-01", "100.00")
    c.payment("1-1-101", "2026-02-01", "100.00")
    state = c.state("1-1-101", "2026-02-01")
    assert [(str(s.paid), str(s.waived)) for s in state.charges] == [("100.00", "0.00"), ("0.00", "100.00")]
    assert c.report("2026-02-01")["totals"]["collection_rate"] is None


def test_credits_on_one_day_are_taken_in_load_order_across_files(tmp_path):
    # Sorted paths: ledger/2026/b.yaml < ledger/a.yaml, so R-B is taken before R-A.
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2026-01-01")
    c.charge("1-1-101", "一", "100.00", "2026-01-15")
    c.charge("1-1-101", "二", "100.00", "2026-01-16")
    c.payment("1-1-101", "2026-02-01", "50.00", receipt="R-A", file="ledger/a.yaml")
    c.payment("1-1-101", "2026-02-01", "150.00", receipt="R-B", file="ledger/2026/b.yaml")
    state = c.state("1-1-101", "2026-02-01")
    assert pieces(state, 0) == [("100.00", "2026-02-01", "payment", "R-B")]
    assert pieces(state, 1) == [("50.00", "2026-02-01", "payment", "R-B"), ("50.00", "2026-02-01", "payment", "R-A")]


def test_earlier_credit_date_wins_over_load_order(tmp_path):
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2026-01-01")
    c.charge("1-1-101", "一", "100.00", "2026-01-15")
    c.payment("1-1-101", "2026-02-02", "100.00", receipt="LATER")
    c.payment("1-1-101", "2026-02-01", "100.00", receipt="EARLIER")
    state = c.state("1-1-101", "2026-02-02")
    assert pieces(state, 0) == [("100.00", "2026-02-01", "payment", "EARLIER")]
    assert state.credit == 100  # LATER waits


def test_a_prepayment_waits_and_settles_each_later_charge_on_its_issue_date(tmp_path):
    c = Community(tmp_path)  # 200.00 a month, issued on the 1st, due on the 15th
    c.unit("1-1-101", billing_start="2026-01-01")
    c.charge("1-1-101", "公摊水电", "50.00", "2026-02-20", issued="2026-02-10")
    c.payment("1-1-101", "2026-01-20", "500.00", receipt="P")
    # 01-20: January (200) is settled; 300 waits.
    row = c.unit_report("1-1-101", "2026-01-25")
    assert (row["outstanding"], row["not_due"], row["credit"]) == ("0.00", "0.00", "300.00")
    # 02-01: February's bill is issued and takes 200 that day; 02-10: the one-off charge takes 50;
    # 03-01: March's bill takes the last 50 and 150 of it stays unpaid.
    state = c.state("1-1-101", "2026-03-20")
    assert [s.charge.item for s in state.charges] == ["物业服务费", "物业服务费", "公摊水电", "物业服务费"]
    assert pieces(state, 0) == [("200.00", "2026-01-20", "payment", "P")]
    assert pieces(state, 1) == [("200.00", "2026-02-01", "payment", "P")]
    assert pieces(state, 2) == [("50.00", "2026-02-10", "payment", "P")]
    assert pieces(state, 3) == [("50.00", "2026-03-01", "payment", "P")]
    row = c.unit_report("1-1-101", "2026-03-20")
    assert (row["outstanding"], row["not_due"], row["credit"]) == ("150.00", "0.00", "0.00")


def test_a_credit_does_not_touch_charges_issued_after_it_until_their_issue_date(tmp_path):
    # The one-off charge due 02-10 sorts before February's bill (due 02-15) in charge order,
    # but it is issued on 02-05, after the payment of 02-01: the payment settles Feb's bill
    # (which exists on 02-01), and only what is left goes to the later charge.
    c = Community(tmp_path)
    c.unit("1-1-101", billing_start="2026-02-01")
    c.charge("1-1-101", "晚开单", "80.00", "2026-02-10", issued="2026-02-05")
    c.payment("1-1-101", "2026-02-01", "250.00")
    state = c.state("1-1-101", "2026-02-28")
    assert [s.charge.item for s in state.charges] == ["晚开单", "物业服务费"]
    assert [(str(s.paid), str(s.unpaid)) for s in state.charges] == [("50.00", "30.00"), ("200.00", "0.00")]


def test_principal_waivers_settle_like_payments_but_count_as_waived(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.waiver("1-1-101", "2026-01-20", "150.00")
    c.waiver("1-1-101", "2026-01-20", "999.00", applies_to="late_fee")  # never settles principal
    state = c.state("1-1-101", "2026-01-20")
    assert pieces(state, 0) == [("150.00", "2026-01-20", "waiver", "")]
    totals = c.report("2026-01-20")["totals"]
    # charged 200.00, waived only the principal waiver, 50.00 outstanding
    assert (totals["charged"], totals["paid"], totals["waived"], totals["outstanding"]) == ("200.00", "0.00", "150.00", "50.00")


def test_outstanding_not_due_and_credit_across_units(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.unit("1-1-102", billing_start="2026-01-01")
    c.payment("1-1-102", "2026-02-03", "700.00")
    # At 02-10: Jan (200, due 01-15) overdue, Feb (200, due 02-15) not due.
    # 1-1-101 owes both; 1-1-102 paid 700 -> 300 credit.
    report = c.report("2026-02-10")
    rows = {row["unit"]: (row["outstanding"], row["not_due"], row["credit"]) for row in report["units"]}
    assert rows == {"1-1-101": ("200.00", "200.00", "0.00"), "1-1-102": ("0.00", "0.00", "300.00")}
    t = report["totals"]
    assert (t["charged"], t["paid"], t["outstanding"], t["not_due"], t["credit"], t["units_in_arrears"]) == (
        "800.00", "700.00", "200.00", "200.00", "300.00", 1)


def test_days_overdue_counts_from_the_oldest_unpaid_overdue_charge(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.payment("1-1-101", "2026-02-01", "200.00")  # settles January
    row = c.unit_report("1-1-101", "2026-03-20")
    # February (due 02-15) is now the oldest unpaid overdue charge: 03-20 - 02-15 = 13 + 20 = 33 days
    assert (row["oldest_due"], row["days_overdue"]) == ("2026-02-15", 33)
    assert (date(2026, 3, 20) - date(2026, 2, 15)).days == 33


def test_entries_dated_after_the_as_of_day_are_ignored(tmp_path):
    base = Community(tmp_path / "base", fees=[fee()], late_fee={"daily_rate": "0.0003"},
                     dunning=[{"id": "reminder", "name": "提醒", "after_days": 1, "channels": ["sms"]}])
    base.unit("1-1-101", billing_start="2026-01-01")
    base.payment("1-1-101", "2026-02-01", "100.00")
    expected = base.report("2026-03-20")

    later = Community(tmp_path / "later", fees=[fee()], late_fee={"daily_rate": "0.0003"},
                      dunning=[{"id": "reminder", "name": "提醒", "after_days": 1, "channels": ["sms"]}])
    later.unit("1-1-101", billing_start="2026-01-01")
    later.payment("1-1-101", "2026-02-01", "100.00")
    later.payment("1-1-101", "2026-03-21", "1000.00")
    later.waiver("1-1-101", "2026-03-21", "50.00")
    later.waiver("1-1-101", "2026-03-25", "5.00", applies_to="late_fee")
    later.charge("1-1-101", "下月开单", "80.00", "2026-03-15", issued="2026-03-21")
    later.plan("1-1-101", "2026-04-01", [("2026-05-01", "100.00")])
    later.contact("1-1-101", "2026-03-21", "sms", "reached", evidence="短信截图")
    assert later.report("2026-03-20") == expected
    # ... and they do count once their day has come
    assert later.report("2026-04-01") != base.report("2026-04-01")


def test_every_kind_of_entry_may_carry_a_note(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.waiver("1-1-101", "2026-01-20", "150.00")
    c.payment("1-1-101", "2026-01-21", "10.00")
    c.charge("1-1-101", "公摊水电", "5.00", "2026-01-25")
    c.plan("1-1-101", "2026-01-22", [("2026-02-01", "45.00")])
    for kind in ("waivers", "payments", "charges", "plans"):
        c.entries["ledger/entries.yaml"][kind][0]["note"] = "业委会会议纪要第 3 页"
    checked = c.checked("2026-01-31")
    assert not checked.problems, [p.render() for p in checked.problems]
    # 200.00 - 150.00 waived - 10.00 paid + 5.00 = 45.00
    assert c.unit_report("1-1-101", "2026-01-31")["outstanding"] == "45.00"
