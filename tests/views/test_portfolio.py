"""The portfolio's figures (views/portfolio.py): one community's summary without personal data, the small-cell
rule (cells of 1 or 2 units merged or withheld), reading a summary back, and many summaries added up.

Every expected number is worked out by hand in the comments."""
from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest

from generator.views.portfolio import (
    NO_STAGE,
    Figure,
    Group,
    Summary,
    SummaryProblem,
    dumps,
    loads,
    merge_cells,
    over_one_year,
    parse_summary,
    portfolio,
    summarise,
    summary_json,
)
from tests.community import Community

D = Decimal

# -- the small-cell rule on ordered cells ---------------------------------------------------------------------


def test_a_small_cell_merges_with_the_next_until_it_holds_three_units():
    groups = merge_cells([("a", {1, 2}, D("10.00")), ("b", {3}, D("5.00")), ("c", {4, 5, 6}, D("30.00"))])
    assert groups == (Group(("a", "b"), 3, D("15.00")), Group(("c",), 3, D("30.00")))


def test_a_small_cell_at_the_end_joins_the_cell_before_it_even_across_an_empty_one():
    groups = merge_cells([("a", {1, 2, 3}, D("9.00")), ("b", set(), D("0.00")), ("c", {4}, D("1.00"))])
    # c alone: 1 unit; with b: still 1; with a: {1,2,3,4}
    assert groups == (Group(("a", "b", "c"), 4, D("10.00")),)


def test_empty_cells_and_cells_of_three_or_more_stay_as_they_are():
    groups = merge_cells([("a", set(), D("0.00")), ("b", {1, 2, 3}, D("9.00")), ("c", {4, 5, 6, 7}, D("2.00"))])
    assert [g.names for g in groups] == [("a",), ("b",), ("c",)]
    assert [g.units for g in groups] == [0, 3, 4]


def test_a_unit_in_two_merged_cells_is_counted_once():
    # a unit owes in several aging buckets: {1,2} and {1,2} are still 2 units, with {3} they are 3
    groups = merge_cells([("a", {1, 2}, D("1.00")), ("b", {1, 2}, D("2.00")), ("c", {3}, D("4.00"))])
    assert groups == (Group(("a", "b", "c"), 3, D("7.00")),)


def test_when_all_cells_together_hold_fewer_than_three_units_the_one_cell_is_withheld():
    groups = merge_cells([("a", {1}, D("10.00")), ("b", set(), D("0.00")), ("c", {2}, D("5.00"))])
    assert groups == (Group(("a", "b", "c"), None, None),)


def test_more_than_a_year_is_the_cells_past_365_days_and_withheld_when_a_merged_cell_straddles_365():
    apart = (Group(("1-30", "31-90", "91-180", "181-365"), 4, D("50.00")), Group(("366-730",), 3, D("30.00")),
             Group(("731-1095", "1096+"), 3, D("20.00")))
    assert over_one_year(apart, {1, 2, 3, 4}) == Figure(4, D("50.00"))
    # 31-90 (1 unit) + 91-180 + 181-365 (2 units) + 366-730 (5 units) merged: a separate "over a year" of the 5
    # subtracted from the cell would give what the 2 owe below a year
    straddling = (Group(("1-30",), 3, D("10.00")), Group(("31-90", "91-180", "181-365", "366-730", "731-1095", "1096+"), 7, D("90.00")))
    assert over_one_year(straddling, {1, 2, 3, 4, 5}) == Figure(None, None)
    assert over_one_year((Group(("1-30",), 3, D("10.00")), Group(("31-90",), 0, D("0.00"))), set()) == Figure(0, D("0.00"))


# -- one community's summary ------------------------------------------------------------------------------------
# Six units of 100 m² at 2.00/m² a month, due on the 15th, as of 2026-03-20 (no late fee, no dunning ladder):
#   A, B, C, D, E billed from 2026-01: three bills of 200.00 each (due 01-15, 02-15, 03-15) = 600.00
#   F billed from 2025-10: six bills (due 2025-10-15 ... 2026-03-15) = 1200.00
#   A pays 600.00 (03-01); B has 50.00 waived (01-10) then pays 600.00 (03-01): 550.00 settles, 50.00 is credit;
#   C pays 400.00 (03-02); E pays 200.00 (03-03); D and F pay nothing.
AS_OF = "2026-03-20"


@pytest.fixture(scope="module")
def small_desk(tmp_path_factory):
    c = Community(tmp_path_factory.mktemp("small"))
    for unit in "ABCDE":
        c.unit(unit, billing_start="2026-01-01")
    c.unit("F", billing_start="2025-10-01")
    c.payment("A", "2026-03-01", "600.00")
    c.waiver("B", "2026-01-10", "50.00")
    c.payment("B", "2026-03-01", "600.00")
    c.payment("C", "2026-03-02", "400.00")
    c.payment("E", "2026-03-03", "200.00")
    return c.desk(AS_OF)


@pytest.fixture(scope="module")
def small(small_desk) -> Summary:
    return summarise(small_desk, "small")


def test_the_summary_counts_units_and_sums_the_totals(small):
    assert (small.units, small.units_in_arrears) == (6, 4)  # C, D, E, F owe
    assert small.totals["charged"] == D("4200.00")  # 5 x 600 + 1200, six units
    assert small.totals["paid"] == D("1800.00")  # 600 + 600 + 400 + 200, four units
    assert small.totals["outstanding"] == D("2400.00")  # C 200 + D 600 + E 400 + F 1200
    assert small.totals["late_fee"] == D("0.00")  # no unit has any: zero units, shown as 0


def test_a_total_made_from_one_unit_is_withheld(small):
    assert small.totals["waived"] is None  # only B
    assert small.totals["credit"] is None  # only B's 50.00


def test_the_collection_rate_is_this_years_paid_over_due_less_waived(small):
    # due in 2026 by 03-20: 18 bills of 200 = 3600; paid of them 600 + 550 + 400 + 200 = 1750; waived 50
    assert (small.year.units, small.year.amount, small.year_paid, small.year_waived) == (6, D("3600.00"), D("1750.00"), D("50.00"))
    assert small.rate == D("0.4930")  # 1750 / 3550 = 0.49295...


def test_aging_cells_of_fewer_than_three_units_are_merged(small):
    # 1-30 days: the March bills of C, D, E, F (800.00, 4 units); 31-90: D 400, E 200, F 400 (1000.00, 3 units);
    # 91-180: F's Oct-Dec bills (600.00, 1 unit), nothing older: merged back into 31-90 (1600.00, D, E, F)
    assert small.aging == (
        Group(("1-30",), 4, D("800.00")),
        Group(("31-90", "91-180", "181-365", "366-730", "731-1095", "1096+"), 3, D("1600.00")),
    )
    assert small.over_one_year == Figure(0, D("0.00"))


def test_units_without_a_dunning_stage_are_one_cell(small):
    assert small.stages == (Group((NO_STAGE,), 4, D("2400.00")),)


def test_a_month_whose_rate_rests_on_one_unit_is_withheld(small):
    months = {m.month: m for m in small.months}
    assert len(small.months) == 24 and small.months[0].month == "2024-04" and small.months[-1].month == "2026-03"
    # 2025-12: only F had bills due in 2025
    assert (months["2025-12"].rate, months["2025-12"].due) == (None, None)
    # 2026-02: Jan and Feb bills of six units (2400.00), nothing paid by 02-28, B's 50.00 waived
    assert (months["2026-02"].rate, months["2026-02"].due, months["2026-02"].waived) == (D("0.0000"), D("2400.00"), D("50.00"))
    assert months["2026-03"].rate == small.rate
    assert months["2026-03"].received == D("1800.00")  # four payers in March
    assert months["2026-02"].received == D("0.00")  # nobody: zero units, shown as 0


def test_the_monthly_rates_are_the_dashboards_where_not_withheld(small_desk, small):
    from generator.views.dashboard import monthly_rates

    dashboard = [(r.month, r.rate) for r in monthly_rates(small_desk)]
    # 2026 months rest on all six units; 2025-10 .. 2025-12 on F alone (withheld); before, on none (0.00, no rate)
    assert [(m.month, m.rate) for m in small.months if m.rate is not None] == [r for r in dashboard if r[0] >= "2026-01"]
    assert [m.month for m in small.months if m.due is None] == ["2025-10", "2025-11", "2025-12"]
    assert {m.due for m in small.months if m.month < "2025-10"} == {D("0.00")}


def test_complaints_of_two_units_are_withheld(tmp_path):
    c = Community(tmp_path)
    for unit in "ABCD":
        complaints = [{"opened": "2026-03-01", "category": "repair", "said": "漏水", "owner": "王"}] if unit in "AB" else []
        c.unit(unit, billing_start="2026-01-01", complaints=complaints)
    s = summarise(c.desk(AS_OF), "c")
    assert (s.complaints_open, s.opened_12m, s.complaints_held) == (None, None, Figure(None, None))
    c.units["C"]["complaints"] = [{"opened": "2026-03-02", "category": "noise", "said": "吵", "owner": "王"},
                                  {"opened": "2025-12-01", "category": "repair", "said": "灯坏", "owner": "王", "resolved": "2026-01-05"}]
    s = summarise(c.desk(AS_OF), "c")
    # open: A, B and C's noise (3 units); opened in 12 months: 4 complaints of 3 units; resolved: 1 unit, withheld
    assert (s.complaints_open, s.opened_12m, s.resolved_12m, s.days_12m) == (3, 4, None, None)


def test_the_summary_holds_no_unit_id_or_owner_name(small):
    text = dumps(small)
    assert "业主" not in text  # the builder names every owner 业主<unit>
    assert not any(f'"{unit}"' in text for unit in "ABCDEF")


# -- writing and reading ----------------------------------------------------------------------------------------

def test_a_summary_reads_back_as_it_was_written(small):
    assert loads(dumps(small).encode("utf-8")) == small
    data = summary_json(small)
    assert data["totals"]["waived"] is None and data["units"] == 6 and data["totals"]["paid"] == "1800.00"


def _broken(small, change) -> str:
    data = json.loads(dumps(small))
    change(data)
    with pytest.raises(SummaryProblem) as caught:
        parse_summary(json.loads(json.dumps(data), parse_float=Decimal))
    return str(caught.value)


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d.update(units=2), "units：是 2：不足 3 户"),
    (lambda d: d["totals"].update(paid=1800.0), "totals.paid：应是写成文字的金额"),
    (lambda d: d.update(owners=["张三"]), "未知的字段“owners”"),
    (lambda d: d.update(format="other/1"), "format：应是“cuijiao-summary/1”"),
    (lambda d: d.update(community="../etc"), "community：只能由"),
    (lambda d: d["aging"].reverse(), "aging：账龄段应按"),
    (lambda d: d["over_one_year"].update(units="<3"), "over_one_year：户数是“<3”时金额应是 null"),
    (lambda d: d["months"].reverse(), "月份应从早到晚排列"),
    (lambda d: d.pop("stages"), "缺少字段“stages”"),
])
def test_a_malformed_summary_is_refused_naming_the_field(small, change, words):
    assert words in _broken(small, change)


def test_duplicate_keys_and_non_json_are_refused():
    with pytest.raises(SummaryProblem, match="出现了两次"):
        loads(b'{"format": "a", "format": "b"}')
    with pytest.raises(SummaryProblem, match="不是有效的 JSON"):
        loads(b"{")
    with pytest.raises(SummaryProblem, match="UTF-8"):
        loads(b"\xff\xfe")
    with pytest.raises(SummaryProblem, match="嵌套太深|应是一个对象"):
        loads(b"[" * 100_000 + b"]" * 100_000)


# -- many summaries added up --------------------------------------------------------------------------------------

def _community(small, slug, due, paid, outstanding, aging, rate, months=None):
    return dataclasses.replace(
        small, community=slug, name=slug, rate=rate, year=Figure(3, due), year_paid=paid, year_waived=D("0.00"),
        totals={**small.totals, "outstanding": outstanding}, aging=aging, months=months if months is not None else small.months)


def test_the_portfolio_adds_amounts_and_computes_the_rate_from_the_sums(small):
    x = _community(small, "x", D("1000.00"), D("900.00"), D("100.00"), (Group(("1-30",), 3, D("100.00")),), D("0.9000"))
    y = _community(small, "y", D("3000.00"), D("1500.00"), D("200.00"), (Group(("1-30", "31-90"), 3, D("200.00")),), D("0.5000"))
    z = _community(small, "z", None, None, None, (Group(("1-30",), None, None),), None)
    z = dataclasses.replace(z, year=Figure(None, None))
    p = portfolio([z, y, x])
    assert [s.community for s in p.communities] == ["x", "y", "z"]
    assert [s.community for s in p.ranking] == ["x", "y", "z"]  # highest rate first, withheld last
    assert p.rate == D("0.6000")  # (900 + 1500) / (1000 + 3000), not the mean of 0.9 and 0.5
    assert (p.totals["outstanding"].value, p.totals["outstanding"].withheld) == (D("300.00"), 1)
    assert [(c.name, c.units, c.amount) for c in p.aging] == [("1-30", 3, D("100.00")), ("31-90", 0, D("0.00"))]
    assert (p.aging_merged, p.aging_withheld) == (D("200.00"), 1)
    assert p.units.value == 18 and p.units.withheld == 0  # 6 each


def test_the_portfolios_months_add_each_communitys_sums(small):
    x = _community(small, "x", D("1.00"), D("1.00"), D("1.00"), small.aging, D("1.0000"))
    y = dataclasses.replace(x, community="y")
    p = portfolio([x, y])
    march = p.months[-1]
    # each: due 3600, paid 1750, waived 50 in 2026-03; both: 3500 / 7100 = 0.49295... -> 0.4930; received 2 x 1800
    assert (march.month, march.rate, march.received, march.communities) == ("2026-03", D("0.4930"), D("3600.00"), 2)
    assert p.months[-4].month == "2025-12" and p.months[-4].rate is None and p.months[-4].communities == 0


def test_two_summaries_of_one_community_are_refused(small):
    with pytest.raises(SummaryProblem, match="两份汇总"):
        portfolio([small, small])


def test_an_earlier_summary_is_listed_as_behind(small):
    older = dataclasses.replace(small, community="old", as_of=date(2026, 2, 28))
    p = portfolio([small, older])
    assert p.as_of == date(2026, 3, 20) and [s.community for s in p.behind] == ["old"]


def test_a_policy_name_with_control_characters_or_too_long_still_makes_a_readable_summary(small_desk):
    import msgspec

    odd = msgspec.structs.replace(small_desk.policy, community="甲\x1b[31m\n" + "乙" * 300)
    s = summarise(msgspec.structs.replace(small_desk, policy=odd), "odd")
    assert s.name.startswith("甲\ufffd[31m 乙") and len(s.name) == 200
    assert loads(dumps(s).encode("utf-8")).name == s.name
