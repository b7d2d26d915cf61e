"""The generator against a second reading of the spec (``oracle.py``), on generated communities, to the cent.

The oracle is written from ``ledger-format.md`` alone and simulates day by day with exact fractions;
the generator is fast and shares nothing with it. Where they disagree, one of them misreads the spec.
"""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.community import TODAY
from tests.rules import oracle
from tests.rules.test_properties import (
    UNITS,
    amounts,
    build,
    entries,
    large_amounts,
    policies,
    scenarios,
)

ORACLE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DECIDED = ("unit", "outstanding", "not_due", "credit", "late_fee", "late_fee_barred", "oldest_due", "days_overdue", "aging",
           "limitation")


@st.composite
def long_scenarios(draw):
    """Seven years of history against a three-year limitation: charges expire before they are paid, demands and
    plans come before and after expiry, payments settle barred and live charges in the legal order."""
    unit_ids = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=2, unique=True))
    units = []
    for unit_id in unit_ids:
        start = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2022, 12, 31)))
        opening = None
        if draw(st.booleans()):
            opening = {"amount": draw(amounts | large_amounts), "due": start - timedelta(days=draw(st.integers(1, 900)))}
        units.append({"unit_id": unit_id, "billing_start": start, "opening": opening,
                      "area": draw(st.sampled_from(["45.00", "89.50"])), "occupancy": draw(st.sampled_from([None, "vacant"]))})
    as_of = draw(st.dates(min_value=date(2024, 1, 1), max_value=TODAY))
    policy = draw(policies())
    policy["fees"] = [dict(f, cycle=draw(st.sampled_from([3, 6, 12]))) for f in policy["fees"]]  # fewer bills, same rules
    dated = st.dates(min_value=date(2019, 1, 1), max_value=as_of)
    return {"policy": policy, "units": units, "entries": draw(entries(unit_ids, dates=dated)), "as_of": as_of}


def _agrees(scenario: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = build(Path(tmp), scenario).report(scenario["as_of"])
    expected = oracle.report(scenario)
    assert {k: v for k, v in report["totals"].items() if k in expected["totals"]} == expected["totals"]
    assert [{k: row[k] for k in DECIDED} for row in report["units"]] == expected["units"]


@ORACLE
@given(scenarios())
def test_the_report_agrees_with_a_second_reading_of_the_spec_to_the_cent(scenario):
    _agrees(scenario)


@ORACLE
@given(long_scenarios())
def test_over_years_of_limitation_the_report_agrees_with_the_second_reading(scenario):
    _agrees(scenario)
