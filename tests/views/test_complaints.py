"""The complaints page's figures on the five-unit community counted by hand in tests/complaints.py (issue 16),
where the table of its units, payments and complaints is.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.views.complaints import CATEGORIES, age_group, complaints_view
from tests.community import Community
from tests.complaints import COMPLAINT_DESK_AS_OF, complaint_desk


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    return complaints_view(complaint_desk(tmp_path_factory.mktemp("complaints")))


def test_open_complaints_are_listed_oldest_first_with_their_age_and_days_past_the_promise(view):
    rows = [(r.state.unit.id, r.complaint.category, r.age, r.overdue) for r in view.open]
    assert rows == [("1-1-103", "noise", 80, 0), ("1-1-101", "repair", 50, 36), ("1-1-102", "parking", 15, 0)]


def test_only_a_promise_already_passed_is_overdue(view):
    assert [(r.state.unit.id, r.overdue, r.complaint.promised) for r in view.overdue] == [("1-1-101", 36, date(2026, 10, 15))]


def test_each_handler_has_their_open_complaints_by_age_group(view):
    assert [(h.handler, h.ages, h.open, h.overdue, h.oldest) for h in view.handlers] == [
        ("张工", (0, 0, 1, 1), 2, 1, 80), ("李主任", (0, 1, 0, 0), 1, 0, 15),
    ]


def test_age_groups_meet_at_their_edges():
    assert [age_group(d) for d in (0, 7, 8, 30, 31, 60, 61, 400)] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_arrears_held_are_what_units_in_arrears_with_an_open_complaint_owe(view):
    # 1-1-103 has an open complaint but owes nothing; 1-1-104 and 1-1-105 owe but have none open
    assert [(r.state.unit.id, r.state.outstanding) for r in view.held] == [("1-1-101", Decimal("2200.00")), ("1-1-102", Decimal("1200.00"))]
    assert view.held_amount == Decimal("3400.00")


def test_complaint_rate_counts_units_with_a_complaint_opened_in_the_month_over_all_units(view):
    months = {m.month: m for m in view.months}
    assert view.months[0].month == "2025-12" and view.this_month.month == "2026-11" and len(view.months) == 12
    assert view.units == 5
    # November: three complaints opened by as_of (parking, legacy at 1-1-102; fees at 1-1-104) in two units: 2 / 5
    assert (months["2026-11"].opened_total, months["2026-11"].units, months["2026-11"].rate) == (3, 2, Decimal("0.4000"))
    assert (months["2026-03"].units, months["2026-03"].rate) == (1, Decimal("0.2000"))
    assert (months["2026-02"].units, months["2026-02"].rate) == (0, Decimal("0.0000"))


def test_categories_by_month_count_each_complaint_opened_in_its_month(view):
    months = {m.month: dict(zip(CATEGORIES, m.opened)) for m in view.months}
    assert {k: n for k, n in months["2026-11"].items() if n} == {"parking": 1, "legacy": 1, "fees": 1}
    assert {k: n for k, n in months["2026-10"].items() if n} == {"repair": 1}
    assert {k: n for k, n in months["2026-09"].items() if n} == {"noise": 1}
    assert sum(sum(m.opened) for m in view.months) == 6  # 2025-10's repair falls before the window, 11-25's after as_of


def test_average_resolution_days_are_over_the_complaints_resolved_in_the_month(view):
    figures = {m.month: (m.resolved, m.average_days) for m in view.months if m.resolved}
    # March: 10 days; November: (8 + 1) / 2; January: opened 2025-10-10, resolved 2026-01-05
    assert figures == {"2026-01": (1, Decimal("87.0")), "2026-03": (1, Decimal("10.0")), "2026-11": (2, Decimal("4.5"))}


def test_totals_count_complaints_opened_by_as_of_and_those_resolved_and_confirmed(view):
    assert (view.total, view.resolved, view.confirmed) == (7, 4, 1)


def test_a_community_without_complaints_has_no_rows_a_zero_rate_and_no_resolution_time(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101")
    view = complaints_view(c.desk(COMPLAINT_DESK_AS_OF))
    assert (view.open, view.overdue, view.handlers, view.held, view.held_amount, view.total) == ((), (), (), (), Decimal(0), 0)
    assert {(m.opened_total, m.rate, m.average_days) for m in view.months} == {(0, Decimal("0.0000"), None)}
