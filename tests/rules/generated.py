"""Generated communities for the property tests and the second reading of the spec (hypothesis strategies).

``scenarios`` draws units, a policy and entries as plain data; ``build`` writes them as a community folder.
``test_properties.py`` checks what must hold for any of them, ``test_oracle.py`` compares the report with
``oracle.py``, which reads the same data without the loader.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from tests.community import TODAY, Community, fee

START = date(2024, 1, 1)
UNITS = ("1-1-101", "1-1-102", "2-1-301")
FILES = ("ledger/entries.yaml", "ledger/2025/payments.yaml", "ledger/z.yaml", "ledger/a/b/c.yaml")

days = st.dates(min_value=START, max_value=TODAY)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1500.00"), places=2).map(str)
large_amounts = st.decimals(min_value=Decimal("1500.00"), max_value=Decimal("60000.00"), places=2).map(str)  # prepayments


@st.composite
def units(draw):
    unit_ids = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True))
    result = []
    for unit_id in unit_ids:
        start = draw(st.dates(min_value=START, max_value=date(2025, 12, 31)))
        opening = None
        if draw(st.booleans()):
            opening = {"amount": draw(amounts), "due": start - timedelta(days=draw(st.integers(1, 400)))}
        result.append({
            "unit_id": unit_id, "billing_start": start, "opening": opening,
            "area": draw(st.sampled_from(["45.00", "89.50", "120.33"])),
            "occupancy": draw(st.sampled_from([None, "vacant", "rented"])),
        })
    return result


def entries(unit_ids, dates=days):
    unit = st.sampled_from(unit_ids)
    payment = st.tuples(st.just("payment"), unit, dates, amounts | large_amounts)
    waiver = st.tuples(st.just("waiver"), unit, dates, amounts, st.sampled_from(["principal", "late_fee"]))
    charge = st.tuples(st.just("charge"), unit, dates, amounts, st.integers(-20, 40))  # issued = due + n days
    plan = st.tuples(st.just("plan"), unit, dates, amounts)
    contact = st.tuples(st.just("contact"), unit, dates, st.sampled_from(["letter", "phone", "sms"]),
                        st.sampled_from(["reached", "delivered", "returned", "no_answer"]), st.booleans())
    return st.lists(st.one_of(payment, waiver, charge, plan, contact), max_size=14)


@st.composite
def policies(draw):
    late_fee = draw(st.none() | st.fixed_dictionaries({
        "daily_rate": st.sampled_from(["0.0003", "0.005", "0.05"]),
        "grace_days": st.integers(0, 30),
        "cap": st.sampled_from(["0.1", "0.15", "0.333", "1"]),
    }))
    fees = [fee(rate=draw(st.sampled_from(["1.50", "2.20", "3.33"])), cycle=draw(st.sampled_from([1, 3, 6, 12])),
                due_day=draw(st.integers(1, 28)), vacant_factor="0.7")]
    if draw(st.booleans()):
        fees.append(fee(id="water", name="二次供水", basis="unit", rate="12.50", cycle=draw(st.sampled_from([1, 3])), due_day=1))
    return {"fees": fees, "late_fee": late_fee}


@st.composite
def scenarios(draw):
    unit_list = draw(units())
    unit_ids = [u["unit_id"] for u in unit_list]
    as_of = draw(st.dates(min_value=date(2024, 6, 1), max_value=TODAY))
    on_or_before = st.dates(min_value=START, max_value=as_of)
    return {
        "policy": draw(policies()),
        "units": unit_list,
        "entries": draw(entries(unit_ids, dates=on_or_before | on_or_before | days)),  # mostly counted at as_of
        "as_of": as_of,
    }


DUNNING = [
    {"id": "reminder", "name": "提醒", "after_days": 1, "channels": ["sms"]},
    {"id": "notice", "name": "通知书", "after_days": 30, "channels": ["letter"]},
    {"id": "lawyer", "name": "律师函", "after_days": 90, "channels": ["lawyer_letter"], "requires": {"notice": 2}},
]


def build(root: Path, scenario: dict, extra=(), file_of=None) -> Community:
    """A Community with the scenario's units and entries; ``file_of(i, entry)`` picks each entry's file."""
    policy = scenario["policy"]
    c = Community(root, fees=policy["fees"], late_fee=policy["late_fee"], dunning=DUNNING)
    for u in scenario["units"]:
        c.unit(u["unit_id"], area=u["area"], billing_start=u["billing_start"], occupancy=u["occupancy"], opening=u["opening"])
    for index, entry in enumerate(list(scenario["entries"]) + list(extra)):
        file = file_of(index, entry) if file_of else FILES[0]
        kind, unit_id, day = entry[:3]
        if kind == "payment":
            c.payment(unit_id, day, entry[3], file=file)
        elif kind == "waiver":
            c.waiver(unit_id, day, entry[3], entry[4], file=file)
        elif kind == "charge":
            c.charge(unit_id, "杂费", entry[3], day, issued=day + timedelta(days=entry[4]), file=file)
        elif kind == "plan":
            c.plan(unit_id, day, [(day + timedelta(days=30), entry[3])], file=file)
        else:
            c.contact(unit_id, day, entry[3], entry[4], evidence="凭证" if entry[5] else None)
    return c
