"""Rule 6 of the ledger spec: the late fee, per charge, from each piece's days late."""
from __future__ import annotations

from tests.community import Community

RATE = {"daily_rate": "0.0003"}


def one_charge(tmp_path, late_fee, amount="200.00", due="2026-01-15") -> Community:
    c = Community(tmp_path, fees=[], late_fee=late_fee)
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "物业费", amount, due)
    return c


def late_fee(c: Community, as_of: str) -> str:
    return c.unit_report("1-1-101", as_of)["late_fee"]


def test_unpaid_principal_is_late_from_the_day_after_due_until_as_of(tmp_path):
    c = one_charge(tmp_path, RATE)
    # 01-15 -> 03-16 = 16 + 28 + 16 = 60 days; 200.00 x 60 x 0.0003 = 3.60
    assert late_fee(c, "2026-03-16") == "3.60"
    assert late_fee(c, "2026-01-15") == "0.00"  # on the due day it is not late
    assert late_fee(c, "2026-01-16") == "0.06"  # 200 x 1 x 0.0003


def test_grace_days_are_subtracted_and_the_boundary_is_free(tmp_path):
    c = one_charge(tmp_path, {"daily_rate": "0.0003", "grace_days": 10})
    assert late_fee(c, "2026-01-25") == "0.00"  # 10 days after due: max(0, 10 - 10) = 0
    assert late_fee(c, "2026-01-26") == "0.06"  # 11 - 10 = 1 day: 200 x 0.0003
    assert late_fee(c, "2026-03-16") == "3.00"  # 60 - 10 = 50 days: 200 x 50 x 0.0003


def test_late_fee_is_capped_at_cap_times_the_charge(tmp_path):
    c = one_charge(tmp_path, {"daily_rate": "0.0003", "cap": "0.1"})
    # 01-15 -> 2026-12-31 = 350 days: 200 x 350 x 0.0003 = 21.00 > cap 0.1 x 200 = 20.00
    assert late_fee(c, "2026-12-31") == "20.00"
    # 01-15 -> 2026-11-16 = 305 days: 200 x 305 x 0.0003 = 18.30 < 20.00
    assert late_fee(c, "2026-11-16") == "18.30"


def test_default_cap_is_the_charge_amount(tmp_path):
    c = one_charge(tmp_path, RATE, due="2022-01-15")
    # 2022-01-15 -> 2025-01-15 = 1096 days: 200 x 1096 x 0.0003 = 65.76 < 200.00; the claim runs out after 2025-01-15
    assert late_fee(c, "2025-01-15") == "65.76"
    c.contact("1-1-101", "2024-12-01", "visit", "reached", evidence="签收单")  # in time: the claim runs to 2027-12-01
    # 2022-01-15 -> 2027-12-01 = 2146 days: 200 x 2146 x 0.0003 = 128.76; 2022-01-15 -> 2030-12-01 would be 3242 days
    assert late_fee(c, "2027-12-01") == "128.76"
    c.contact("1-1-101", "2027-11-01", "visit", "reached", evidence="签收单")  # runs to 2030-11-01
    # 2022-01-15 -> 2030-11-01 = 3212 days: 200 x 3212 x 0.0003 = 192.72; 2030-09-21: 3171 days, 190.26
    assert late_fee(c, "2030-11-01") == "192.72"
    c.contact("1-1-101", "2030-10-01", "visit", "reached", evidence="签收单")  # runs to 2033-10-01
    # 2022-01-15 -> 2031-01-01 = 3274 days: 200 x 3274 x 0.0003 = 196.44; 2031-03-01: 3332 days, 199.92
    # 2031-03-02: 3333 days: 199.98; 2031-03-03: 3334 days: 200.04 > 1 x 200.00
    assert late_fee(c, "2031-03-02") == "199.98"
    assert late_fee(c, "2031-03-03") == "200.00"


def test_pieces_settled_on_different_days_are_late_for_different_days(tmp_path):
    c = one_charge(tmp_path, RATE, amount="1000.00")
    c.payment("1-1-101", "2026-02-14", "400.00")  # 30 days late
    c.payment("1-1-101", "2026-03-16", "300.00")  # 60 days late
    # 300 unpaid at 2026-04-15: 90 days late
    # 400 x 30 + 300 x 60 + 300 x 90 = 12000 + 18000 + 27000 = 57000 x 0.0003 = 17.10
    assert late_fee(c, "2026-04-15") == "17.10"


def test_pieces_with_grace_days(tmp_path):
    c = one_charge(tmp_path, {"daily_rate": "0.0003", "grace_days": 5}, amount="1000.00")
    c.payment("1-1-101", "2026-02-14", "400.00")
    c.payment("1-1-101", "2026-03-16", "300.00")
    # 400 x 25 + 300 x 55 + 300 x 85 = 10000 + 16500 + 25500 = 52000 x 0.0003 = 15.60
    assert late_fee(c, "2026-04-15") == "15.60"


def test_a_prepaid_piece_is_never_late(tmp_path):
    c = one_charge(tmp_path, RATE)
    c.payment("1-1-101", "2026-01-01", "200.00")  # before the charge exists; settles it on its issue day
    assert late_fee(c, "2026-12-31") == "0.00"


def test_late_fee_is_rounded_per_charge_half_up(tmp_path):
    c = Community(tmp_path, fees=[], late_fee={"daily_rate": "0.0001"})
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "一", "201.00", "2026-01-01")
    c.charge("1-1-101", "二", "201.00", "2026-01-01")
    # 01-01 -> 02-20 = 50 days: 201 x 50 x 0.0001 = 1.005 -> 1.01 per charge; 2 x 1.01 = 2.02
    # (rounding the sum, 2.010, would give 2.01)
    assert late_fee(c, "2026-02-20") == "2.02"
    assert [str(s.late_fee.amount) for s in c.state("1-1-101", "2026-02-20").charges] == ["1.01", "1.01"]


def test_late_fee_waivers_reduce_the_units_late_fee_but_never_below_zero(tmp_path):
    c = one_charge(tmp_path, RATE)
    c.waiver("1-1-101", "2026-03-01", "1.00", applies_to="late_fee")
    assert late_fee(c, "2026-03-16") == "2.60"  # 3.60 - 1.00
    c.waiver("1-1-101", "2026-03-02", "5.00", applies_to="late_fee")
    assert late_fee(c, "2026-03-16") == "0.00"  # max(0, 3.60 - 6.00)
    row = c.unit_report("1-1-101", "2026-03-16")
    assert row["outstanding"] == "200.00"  # late-fee waivers never settle principal
    # a waiver dated after as_of does not count yet: 01-15 -> 03-01 = 45 days: 200 x 45 x 0.0003 = 2.70 - 1.00
    assert late_fee(c, "2026-03-01") == "1.70"


def test_no_late_fee_section_means_no_late_fee(tmp_path):
    c = one_charge(tmp_path, None)
    assert late_fee(c, "2026-12-31") == "0.00"
    assert c.report("2026-12-31")["totals"]["late_fee"] == "0.00"


def test_totals_late_fee_is_the_sum_of_the_units(tmp_path):
    c = Community(tmp_path, fees=[], late_fee=RATE)
    for unit in ("1-1-101", "1-1-102"):
        c.unit(unit, billing_start="2025-01-01")
        c.charge(unit, "物业费", "200.00", "2026-01-15")
    c.waiver("1-1-102", "2026-02-01", "10.00", applies_to="late_fee")
    # 1-1-101: 3.60; 1-1-102: max(0, 3.60 - 10.00) = 0.00 (the surplus waiver does not lower 1-1-101)
    assert c.report("2026-03-16")["totals"]["late_fee"] == "3.60"


# -- beyond rule 6: a policy may exempt opening arrears from the late fee ------------


def opening_and_charge(tmp_path, late_fee) -> Community:
    c = Community(tmp_path, fees=[], late_fee=late_fee)
    c.unit("1-1-101", billing_start="2025-01-01", opening={"amount": "1000.00", "due": "2024-12-15"})
    c.charge("1-1-101", "物业费", "200.00", "2026-01-15")
    return c


def test_opening_arrears_carry_a_late_fee_by_default(tmp_path):
    c = opening_and_charge(tmp_path, RATE)
    # opening: 2024-12-15 -> 2026-03-16 = 456 days; 1000 x 456 x 0.0003 = 136.80
    # charge:  2026-01-15 -> 2026-03-16 = 60 days;  200 x 60 x 0.0003 = 3.60
    assert late_fee(c, "2026-03-16") == "140.40"


def test_on_opening_false_leaves_opening_arrears_without_a_late_fee(tmp_path):
    c = opening_and_charge(tmp_path, {**RATE, "on_opening": False, "basis": "物业服务合同第八条"})
    assert late_fee(c, "2026-03-16") == "3.60"  # only the charge's 200 x 60 x 0.0003
    state = c.state("1-1-101", "2026-03-16")
    assert [s.late_fee is None for s in state.charges] == [True, False]
    assert c.desk("2026-03-16").policy.late_fee.basis == "物业服务合同第八条"
