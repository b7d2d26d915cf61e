"""Rules 1-3 of the ledger spec: fee bills, opening arrears, one-off charges, charge order.

Every amount is worked out by hand in the comment or expression beside it.
"""
from __future__ import annotations

from tests.community import Community, fee


def test_first_quarter_is_prorated_from_a_mid_month_billing_start(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.20", cycle=3, due_day=15)])
    c.unit("3-2-1802", area="89.50", billing_start="2023-07-20")
    # 89.50 m² x 2.20 = 196.90/month.
    # First cycle Jul-Sep from 2023-07-20: (31-20+1)/31 + 2 months = 12/31 + 2 = 2.387096...
    # 196.90 x 2.387096... = 393.80 + 196.90 x 12/31 (76.2193...) = 470.0193... -> 470.02
    # Due max(2023-07-15, S) = 2023-07-20; the full quarter Oct-Dec is 196.90 x 3 = 590.70, due 10-15.
    assert c.charges("3-2-1802", "2023-12-31") == [
        ("2023-07~2023-09", "470.02", "2023-07-20", "2023-07-20"),
        ("2023-10~2023-12", "590.70", "2023-10-01", "2023-10-15"),
    ]


def test_monthly_cycle_prorates_february_by_its_28_days(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.00", cycle=1, due_day=15)])
    c.unit("1-1-101", area="100.00", billing_start="2026-02-10")
    # 100 m² x 2.00 = 200.00/month; Feb 2026 has 28 days: 200 x (28-10+1)/28 = 200 x 19/28 = 135.714... -> 135.71
    assert c.charges("1-1-101", "2026-03-01") == [
        ("2026-02", "135.71", "2026-02-10", "2026-02-15"),  # due max(02-15, 02-10) = 02-15
        ("2026-03", "200.00", "2026-03-01", "2026-03-15"),
    ]


def test_billing_start_before_the_due_day_keeps_the_due_day(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.00", cycle=1, due_day=15)])
    c.unit("1-1-101", area="100.00", billing_start="2026-01-05")
    # 200.00 x (31-5+1)/31 = 200 x 27/31 = 174.193... -> 174.19; due max(01-15, 01-05) = 01-15, issued 01-05
    assert c.charges("1-1-101", "2026-01-31") == [("2026-01", "174.19", "2026-01-05", "2026-01-15")]


def test_quarter_entered_in_its_second_month_bills_the_rest_of_that_month_plus_one(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.00", cycle=3, due_day=15)])
    c.unit("1-1-101", area="100.00", billing_start="2026-05-10")
    # Cycle Apr-Jun contains S. Span 05-10..06-30: June whole + May (31-10+1)/31 = 1 + 22/31
    # 200 x (1 + 22/31) = 200 + 141.935... = 341.935... -> 341.94; due max(04-15, 05-10) = 05-10
    assert c.charges("1-1-101", "2026-06-30") == [("2026-04~2026-06", "341.94", "2026-05-10", "2026-05-10")]


def test_half_year_cycle_started_on_the_first_of_a_month_counts_whole_months(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.00", cycle=6, due_day=15)])
    c.unit("1-1-101", area="100.00", billing_start="2026-03-01")
    # Jan-Jun cycle, span 03-01..06-30 = 4 whole months: 200 x 4 = 800.00, due max(01-15, 03-01) = 03-01
    # Jul-Dec: 200 x 6 = 1200.00, issued 07-01, due 07-15
    assert c.charges("1-1-101", "2026-07-01") == [
        ("2026-01~2026-06", "800.00", "2026-03-01", "2026-03-01"),
        ("2026-07~2026-12", "1200.00", "2026-07-01", "2026-07-15"),
    ]


def test_yearly_cycle_per_unit_basis(tmp_path):
    c = Community(tmp_path, fees=[fee(basis="unit", rate="50.00", cycle=12, due_day=15)])
    c.unit("1-1-101", area="999.00", billing_start="2025-11-16")
    # basis unit: 50.00/month whatever the area. Cycle 2025: Dec whole + Nov (30-16+1)/30 = 1.5 months
    # 50 x 1.5 = 75.00, due max(2025-01-15, 2025-11-16) = 2025-11-16; 2026: 50 x 12 = 600.00
    assert c.charges("1-1-101", "2026-01-01") == [
        ("2025-01~2025-12", "75.00", "2025-11-16", "2025-11-16"),
        ("2026-01~2026-12", "600.00", "2026-01-01", "2026-01-15"),
    ]


def test_a_bill_exists_from_its_issue_date_and_is_overdue_only_after_its_due_date(tmp_path):
    c = Community(tmp_path)  # 2.00/m², monthly, due on the 15th
    c.unit("1-1-101", area="100.00", billing_start="2026-03-01")
    # 2026-03-31: only March (200.00) exists; not overdue until after 03-15
    assert c.unit_report("1-1-101", "2026-03-14")["not_due"] == "200.00"
    on_due = c.unit_report("1-1-101", "2026-03-15")
    assert (on_due["outstanding"], on_due["not_due"], on_due["days_overdue"]) == ("0.00", "200.00", None)
    after = c.unit_report("1-1-101", "2026-03-16")
    assert (after["outstanding"], after["not_due"], after["days_overdue"]) == ("200.00", "0.00", 1)
    assert c.report("2026-03-31")["totals"]["charged"] == "200.00"
    # April's bill is issued on 04-01: it exists then, but is not due yet
    april = c.unit_report("1-1-101", "2026-04-01")
    assert (april["outstanding"], april["not_due"]) == ("200.00", "200.00")
    assert c.report("2026-04-01")["totals"]["charged"] == "400.00"


def test_fee_versions_bill_each_cycle_at_the_rate_of_the_version_its_start_falls_in(tmp_path):
    c = Community(tmp_path, fees=[
        fee(rate="2.00", cycle=3, until="2025-12-31"),
        fee(rate="2.50", cycle=3, **{"from": "2026-01-01"}),
    ])
    c.unit("1-1-101", area="100.00", billing_start="2025-10-01")
    c.unit("1-1-102", area="100.00", billing_start="2026-02-10")
    # 1-1-101: Q4 2025 at 2.00: 200 x 3 = 600.00; 2026 quarters at 2.50: 250 x 3 = 750.00
    assert [(p, a) for p, a, _, _ in c.charges("1-1-101", "2026-04-01")] == [
        ("2025-10~2025-12", "600.00"), ("2026-01~2026-03", "750.00"), ("2026-04~2026-06", "750.00"),
    ]
    # 1-1-102 starts inside the second version: 250 x (1 + 19/28) = 250 + 169.642... = 419.642... -> 419.64,
    # due max(day 15 of the cycle's first month = 01-15, S = 02-10) = 02-10
    assert c.charges("1-1-102", "2026-03-31") == [("2026-01~2026-03", "419.64", "2026-02-10", "2026-02-10")]


def test_until_in_the_middle_of_a_cycle_still_bills_that_whole_cycle(tmp_path):
    # Only the cycle's start has to lie within [from, until]: Oct-Dec starts 10-01 <= 11-15.
    c = Community(tmp_path, fees=[fee(rate="2.00", cycle=3, until="2025-11-15")])
    c.unit("1-1-101", area="100.00", billing_start="2025-07-01")
    assert [(p, a) for p, a, _, _ in c.charges("1-1-101", "2026-06-30")] == [
        ("2025-07~2025-09", "600.00"), ("2025-10~2025-12", "600.00"),
    ]


def test_a_fee_starting_after_billing_start_begins_with_its_first_cycle_in_full(tmp_path):
    c = Community(tmp_path, fees=[fee(), fee(id="parking", name="车位管理费", basis="unit", rate="100.00", cycle=3, **{"from": "2026-04-01"})])
    c.unit("1-1-101", area="100.00", billing_start="2026-02-10")
    parking = [s.charge for s in c.state("1-1-101", "2026-07-01").charges if s.charge.fee_id == "parking"]
    # Jan-Mar starts before `from`: not billed, although S falls in it; Apr-Jun and Jul-Sep: 100 x 3 = 300.00
    assert [(b.period, str(b.amount), str(b.issued), str(b.due)) for b in parking] == [
        ("2026-04~2026-06", "300.00", "2026-04-01", "2026-04-15"),
        ("2026-07~2026-09", "300.00", "2026-07-01", "2026-07-15"),
    ]


def test_vacant_units_pay_the_vacant_factor(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.00", vacant_factor="0.7")])
    c.unit("1-1-101", area="100.00", billing_start="2026-01-01", occupancy="vacant")
    c.unit("1-1-102", area="100.00", billing_start="2026-01-01", occupancy="rented")
    assert c.charges("1-1-101", "2026-01-31")[0][1] == "140.00"  # 100 x 2.00 x 0.7
    assert c.charges("1-1-102", "2026-01-31")[0][1] == "200.00"  # rented is not vacant


def test_vacant_factor_applies_to_per_unit_fees_too(tmp_path):
    c = Community(tmp_path, fees=[fee(basis="unit", rate="33.33", vacant_factor="0.5")])
    c.unit("1-1-101", area=None, billing_start="2026-01-01", occupancy="vacant")
    # 33.33 x 0.5 = 16.665 -> 16.67 (half-up)
    assert c.charges("1-1-101", "2026-01-31")[0][1] == "16.67"


def test_rate_table_uses_the_units_type(tmp_path):
    c = Community(tmp_path, fees=[fee(rate={"高层": "2.20", "洋房": "2.80"})])
    c.unit("1-1-101", type="洋房", area="120.00", billing_start="2026-01-01")
    c.unit("1-1-102", type="高层", area="120.00", billing_start="2026-01-01")
    assert c.charges("1-1-101", "2026-01-31")[0][1] == "336.00"  # 120 x 2.80
    assert c.charges("1-1-102", "2026-01-31")[0][1] == "264.00"  # 120 x 2.20


def test_zero_bills_are_skipped(tmp_path):
    c = Community(tmp_path, fees=[
        fee(rate={"高层": "2.00", "车位": "0"}),
        fee(id="tiny", name="小额", basis="area", rate="0.001", cycle=1, due_day=15),
    ])
    c.unit("1-1-101", type="车位", area="1.00", billing_start="2026-01-01")
    # 车位: rate 0 -> no property bills; tiny: 1.00 m² x 0.001 = 0.001/month -> rounds to 0.00 -> skipped
    assert c.charges("1-1-101", "2026-06-30") == []
    assert c.report("2026-06-30")["totals"]["charged"] == "0.00"


def test_vacant_factor_zero_bills_nothing(tmp_path):
    c = Community(tmp_path, fees=[fee(vacant_factor="0")])
    c.unit("1-1-101", billing_start="2026-01-01", occupancy="vacant")
    assert c.charges("1-1-101", "2026-06-30") == []


def test_opening_arrears_are_one_charge_issued_and_due_on_opening_due(tmp_path):
    c = Community(tmp_path, fees=[fee(rate="2.20", cycle=3)])
    c.unit("3-2-1802", area="89.50", billing_start="2023-07-20", opening={"amount": "2400.00", "due": "2023-01-15"})
    # Before billing_start only the opening charge exists: 2023-01-15 -> 2023-06-01 is 16+28+31+30+31+1 = 137 days
    row = c.unit_report("3-2-1802", "2023-06-01")
    assert (row["outstanding"], row["oldest_due"], row["days_overdue"]) == ("2400.00", "2023-01-15", 137)
    assert c.charges("3-2-1802", "2023-06-01") == [("2023-01前", "2400.00", "2023-01-15", "2023-01-15")]
    # Nothing exists before the opening's due date
    assert c.charges("3-2-1802", "2023-01-14") == []


def test_one_off_charge_exists_from_issued_or_else_from_its_due_date(tmp_path):
    c = Community(tmp_path, fees=[])
    c.unit("1-1-101", billing_start="2026-01-01")
    c.charge("1-1-101", "公摊水电", "35.20", "2026-03-15", issued="2026-03-01", period="2026-02")
    c.charge("1-1-101", "维修基金", "100.00", "2026-04-15")
    assert c.report("2026-02-28")["totals"]["charged"] == "0.00"
    assert c.charges("1-1-101", "2026-03-01") == [("2026-02", "35.20", "2026-03-01", "2026-03-15")]
    assert c.unit_report("1-1-101", "2026-03-01")["not_due"] == "35.20"
    assert c.report("2026-04-14")["totals"]["charged"] == "35.20"
    on_due = c.unit_report("1-1-101", "2026-04-15")
    assert (on_due["outstanding"], on_due["not_due"]) == ("35.20", "100.00")  # 35.20 overdue since 03-15


def test_charge_order_due_then_issued_then_opening_fees_in_policy_order_then_charges_in_load_order(tmp_path):
    c = Community(tmp_path, fees=[
        fee(id="water", name="二次供水", basis="unit", rate="10.00", cycle=1, due_day=15),
        fee(id="property", name="物业服务费", basis="unit", rate="20.00", cycle=1, due_day=15),
    ])
    c.unit("1-1-101", billing_start="2026-02-01")
    # Same due (02-15) and issue date (02-01) as the fee bills: after both fees, in load order
    # (ledger/a.yaml before ledger/b.yaml; inside a file, as written).
    c.charge("1-1-101", "b文件第一条", "3.00", "2026-02-15", issued="2026-02-01", file="ledger/b.yaml")
    c.charge("1-1-101", "a文件第一条", "1.00", "2026-02-15", issued="2026-02-01", file="ledger/a.yaml")
    c.charge("1-1-101", "a文件第二条", "2.00", "2026-02-15", issued="2026-02-01", file="ledger/a.yaml")
    # Same due date but issued earlier (01-20): before the fee bills.
    c.charge("1-1-101", "早开单", "4.00", "2026-02-15", issued="2026-01-20", file="ledger/b.yaml")
    # Earlier due date: first of all, whatever its kind.
    c.charge("1-1-101", "早到期", "5.00", "2026-02-10", issued="2026-02-01", file="ledger/b.yaml")
    items = [s.charge.item for s in c.state("1-1-101", "2026-02-28").charges]
    assert items == ["早到期", "早开单", "二次供水", "物业服务费", "a文件第一条", "a文件第二条", "b文件第一条"]


def test_opening_comes_before_a_one_off_charge_with_the_same_dates(tmp_path):
    c = Community(tmp_path, fees=[])
    c.charge("1-1-101", "同日收费", "50.00", "2025-12-15")
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "70.00", "due": "2025-12-15"})
    # A payment of 70.00 settles the opening first (charge order), leaving the one-off charge unpaid.
    c.payment("1-1-101", "2026-01-10", "70.00")
    states = c.state("1-1-101", "2026-01-10").charges
    assert [(s.charge.item, str(s.unpaid)) for s in states] == [("期初欠费", "0.00"), ("同日收费", "50.00")]


def test_fee_bills_of_one_day_follow_the_order_the_fee_entries_are_written(tmp_path):
    # A rate change written as a new entry at the end: property (to 2025), garbage, property (from 2026).
    c = Community(tmp_path, fees=[
        fee(id="property", name="物业服务费", basis="unit", rate="20.00", cycle=1, due_day=15, until="2025-12-31"),
        fee(id="garbage", name="垃圾清运费", basis="unit", rate="5.00", cycle=1, due_day=15),
        fee(id="property", name="物业服务费", basis="unit", rate="25.00", cycle=1, due_day=15, **{"from": "2026-01-01"}),
    ])
    c.unit("1-1-101", billing_start="2025-12-01")
    c.payment("1-1-101", "2026-01-20", "30.00")
    states = c.state("1-1-101", "2026-01-31").charges
    # December: property 20.00 before garbage 5.00 (entries 1 and 2); January: garbage 5.00 (entry 2) before property 25.00 (entry 3)
    assert [(s.charge.period, s.charge.item, str(s.charge.amount)) for s in states] == [
        ("2025-12", "物业服务费", "20.00"), ("2025-12", "垃圾清运费", "5.00"),
        ("2026-01", "垃圾清运费", "5.00"), ("2026-01", "物业服务费", "25.00"),
    ]
    # 30.00 settles 20.00 + 5.00 of December, then January's garbage 5.00: property 25.00 stays unpaid
    assert [str(s.unpaid) for s in states] == ["0.00", "0.00", "0.00", "25.00"]


def test_fee_and_stage_names_default_to_their_ids(tmp_path):
    fee_without_name = {k: v for k, v in fee().items() if k != "name"}
    c = Community(tmp_path, fees=[fee_without_name], dunning=[{"id": "reminder", "after_days": 1, "channels": ["sms"]}])
    c.unit("1-1-101", billing_start="2026-01-01")
    desk = c.desk("2026-02-20")
    assert desk.policy.fees[0].name == "property" and desk.policy.dunning[0].name == "reminder"
    assert desk.unit("1-1-101").stage.id == "reminder"


def test_unit_ids_may_be_written_with_chinese_letters(tmp_path):
    c = Community(tmp_path, fees=[fee()])
    c.unit("甲-1-101", area="50.00", billing_start="2026-01-01")
    c.waiver("甲-1-101", "2026-01-20", "10.00")
    row = c.unit_report("甲-1-101", "2026-01-31")
    # 2.00 x 50.00 = 100.00 due 01-15, 10.00 waived
    assert (row["unit"], row["outstanding"]) == ("甲-1-101", "90.00")
