"""Rule 11 of the ledger spec: the collection rate (收缴率) for the year of the as-of day."""
from __future__ import annotations

from tests.community import Community


def rate(c: Community, as_of: str):
    return c.report(as_of)["totals"]["collection_rate"]


def test_collection_rate_counts_charges_due_this_year_with_their_paid_and_waived_pieces(new_community):
    c = new_community(fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "去年", "500.00", "2025-12-15")  # not this year
    c.charge("1-1-101", "一月", "1000.00", "2026-01-15")
    c.charge("1-1-101", "二月", "1000.00", "2026-02-15")
    c.charge("1-1-101", "年底", "1000.00", "2026-12-15", issued="2026-01-01")  # due after as_of
    c.payment("1-1-101", "2026-01-20", "1500.00")  # 500 to last year's charge, 1000 to January
    c.waiver("1-1-101", "2026-02-20", "200.00")  # on February
    # paid 1000 / ((1000 + 1000) - 200) = 1000 / 1800 = 0.55555... -> 0.5556
    assert rate(c, "2026-03-01") == "0.5556"


def test_charges_due_on_new_years_day_and_on_as_of_are_in_the_year(new_community):
    c = new_community(fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "年初", "100.00", "2026-01-01")
    c.charge("1-1-101", "当天", "300.00", "2026-03-01")
    c.charge("1-1-101", "跨年前一天", "999.00", "2025-12-31")
    c.payment("1-1-101", "2025-12-31", "999.00")
    c.payment("1-1-101", "2026-03-01", "100.00")  # settles 年初 (older)
    # 100 / (100 + 300) = 0.25
    assert rate(c, "2026-03-01") == "0.2500"


def test_collection_rate_is_null_when_nothing_is_due_this_year_or_all_of_it_was_waived(new_community):
    c = new_community(fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "去年", "500.00", "2025-12-15")
    c.charge("1-1-101", "一月", "100.00", "2026-01-15")
    assert rate(c, "2026-01-14") is None  # denominator 0: no charge due in 2026 yet
    c.waiver("1-1-101", "2026-01-10", "600.00")  # 500 to last year, 100 to January
    assert rate(c, "2026-02-01") is None  # 0 / (100 - 100)


def test_collection_rate_has_four_decimals_rounded_half_up(new_community):
    c = new_community(fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "一月", "32.00", "2026-01-15")
    c.payment("1-1-101", "2026-01-20", "1.00")
    assert rate(c, "2026-02-01") == "0.0313"  # 1 / 32 = 0.03125 -> 0.0313 (half-up, not half-even)
    c.payment("1-1-101", "2026-01-21", "31.00")
    assert rate(c, "2026-02-01") == "1.0000"


def test_prepaid_credit_is_not_counted_as_collected(new_community):
    c = new_community(fees=[])
    c.unit("1-1-101", billing_start="2025-01-01")
    c.charge("1-1-101", "一月", "1000.00", "2026-01-15")
    c.payment("1-1-101", "2026-01-10", "3000.00")
    report = c.report("2026-02-01")
    assert report["totals"]["collection_rate"] == "1.0000"  # 1000 settled / 1000, not 3000 / 1000
    assert report["totals"]["credit"] == "2000.00"


def test_collection_rate_spans_all_units(new_community):
    c = new_community()  # 200.00 a month, due on the 15th
    c.unit("1-1-101", billing_start="2026-01-01")
    c.unit("1-1-102", billing_start="2026-01-01")
    c.payment("1-1-101", "2026-03-01", "400.00")
    c.payment("1-1-102", "2026-03-01", "100.00")
    # due by 03-10: Jan and Feb of both units = 800; paid 400 + 100 = 500 -> 0.625
    assert rate(c, "2026-03-10") == "0.6250"
