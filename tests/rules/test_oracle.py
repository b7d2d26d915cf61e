"""The generator against a second reading of the spec (``oracle.py``), on generated communities, to the cent.

The oracle is written from ``ledger-format.md`` alone and simulates day by day with exact fractions;
the generator is fast and shares nothing with it. Where they disagree, one of them misreads the spec.
"""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.community import TODAY, Community, fixture_value
from tests.rules import oracle
from tests.rules.generated import (
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


# -- v2: who may demand, what acknowledges, designations, late-fee payments, freezes, assignments --------------

SPEC_DUNNING = [  # the spec's example ladder (ledger-format.md), without its letter keys
    {"id": "reminder", "name": "温馨提醒", "after_days": 1, "channels": ["sms", "wechat"]},
    {"id": "call", "name": "电话沟通", "after_days": 15, "channels": ["phone", "visit"]},
    {"id": "notice", "name": "催缴通知书", "after_days": 30, "channels": ["letter", "registered_mail"]},
    {"id": "lawyer", "name": "律师函", "after_days": 90, "channels": ["lawyer_letter"], "requires": {"notice": 2}},
    {"id": "legal", "name": "诉讼或支付令", "after_days": 180, "channels": ["court"], "requires": {"lawyer": 1}},
]
CONTACT_CHANNELS = ("phone", "sms", "visit", "letter", "registered_mail", "lawyer_letter", "court")
CONTACT_OUTCOMES = ("reached", "promised", "refused", "delivered", "returned", "unreachable", "no_answer", "disputed")


@st.composite
def v2_scenarios(draw):
    """Seven years of history with the v2 keys: a creditor other than the issuer (or the issuer under another
    spelling), authorisations, contacts with purpose, party and covers, a confirmed service address, opening
    items with an assignment date, payments for named months, the opening or the late fee, plans that cover
    everything or freeze the late fee."""
    as_of = draw(st.dates(min_value=date(2024, 1, 1), max_value=TODAY))
    dated = st.dates(min_value=date(2019, 1, 1), max_value=as_of)
    issuer = fixture_value("issuer")["name"]
    creditor = draw(st.sampled_from([None, "示例物业服务有限公司", issuer]))
    authorisations = []
    if creditor not in (None, issuer):
        for _ in range(draw(st.integers(0, 2))):
            start = draw(dated)
            authorisations.append({"from": start, "until": draw(st.none() | st.dates(min_value=start, max_value=TODAY)),
                                   "document": "授权委托书"})
    policy = draw(policies())
    policy["late_fee"] = policy["late_fee"] or {"daily_rate": "0.0003", "grace_days": 0, "cap": "1"}
    policy["fees"] = [dict(f, cycle=draw(st.sampled_from([3, 6, 12]))) for f in policy["fees"]]
    if draw(st.booleans()):  # the property fee by type, its rate changed from the first day of a cycle
        first = policy["fees"][0]
        cycle = first["cycle"]
        year = draw(st.integers(2020, 2024))
        change = date(year, draw(st.sampled_from(range(1, 13, cycle))), 1)
        rates = {"高层": draw(st.sampled_from(["1.50", "2.20"])), "洋房": draw(st.sampled_from(["2.80", "3.05"]))}
        raised = {k: str(Decimal(v) + Decimal("0.35")) for k, v in rates.items()}
        policy["fees"][0:1] = [dict(first, rate=rates, until=change - timedelta(days=1)), dict(first, rate=raised, **{"from": change})]
    policy.update(issuer_name=issuer, creditor={"name": creditor} if creditor else None, authorisations=authorisations,
                  dunning=SPEC_DUNNING)
    unit_ids = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=2, unique=True))
    units, entries_ = [], []
    for unit_id in unit_ids:
        start = draw(st.dates(min_value=date(2019, 6, 1), max_value=date(2022, 12, 31)))
        items = []
        for _ in range(draw(st.integers(0, 2))):
            due = start - timedelta(days=draw(st.integers(1, 900) | st.integers(6000, 8000)))  # some older than the 20-year cap
            item = {"amount": draw(amounts | large_amounts), "due": due}
            if draw(st.booleans()):
                item["assignment_notified"] = draw(st.dates(min_value=due + timedelta(days=1), max_value=as_of))
            items.append(item)
        contacts = []
        for _ in range(draw(st.integers(0, 5))):
            contact = {"date": draw(dated), "channel": draw(st.sampled_from(CONTACT_CHANNELS)),
                       "outcome": draw(st.sampled_from(CONTACT_OUTCOMES)), "evidence": draw(st.sampled_from([None, "录音"]))}
            contact["purpose"] = draw(st.sampled_from([None, "demand", "service"]))
            if creditor:
                contact["party"] = draw(st.sampled_from([None, "creditor"]))
            if contact["outcome"] == "promised":
                contact["promise"] = {"date": contact["date"] + timedelta(days=10), "amount": "100.00"}
                contact["covers"] = draw(st.sampled_from([None, "all"]))
            contacts.append(contact)
        address = None
        if draw(st.booleans()):
            address = {"address": "示例花园1幢", "confirmed": draw(dated), "evidence": "送达地址确认书"}
        units.append({"unit_id": unit_id, "billing_start": start, "opening": items or None, "area": "89.50",
                      "type": draw(st.sampled_from(["高层", "洋房"])),
                      "occupancy": None, "contacts": contacts, "service_address": address})
        for _ in range(draw(st.integers(0, 8))):
            day = draw(dated)
            kind = draw(st.sampled_from(["payment", "payment", "payment", "waiver", "plan", "charge"]))
            if kind == "payment":
                named = draw(st.sampled_from([None, "months", "opening", "late_fee"]))
                entry = {"kind": kind, "unit": unit_id, "date": day, "amount": draw(amounts | large_amounts)}
                if named == "months":
                    entry["for"] = [draw(st.dates(min_value=date(2019, 1, 1), max_value=as_of)).strftime("%Y-%m")]
                elif named == "opening" and items:
                    entry["for"] = ["opening"]
                elif named == "late_fee":
                    entry["for"] = ["late_fee"]
            elif kind == "waiver":
                entry = {"kind": kind, "unit": unit_id, "date": day, "amount": draw(amounts),
                         "applies_to": draw(st.sampled_from(["principal", "late_fee"]))}
            elif kind == "plan":
                entry = {"kind": kind, "unit": unit_id, "date": day,
                         "installments": [(day + timedelta(days=30 * (i + 1)), draw(amounts)) for i in range(draw(st.integers(1, 3)))],
                         "covers": draw(st.sampled_from([None, "all"])), "late_fee": draw(st.sampled_from([None, "freeze"]))}
            else:
                entry = {"kind": kind, "unit": unit_id, "date": day, "amount": draw(amounts),
                         "issued": day + timedelta(days=draw(st.integers(-20, 40)))}
            entries_.append(entry)
    return {"policy": policy, "units": units, "entries": entries_, "as_of": as_of}


def _without_none(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v is not None}


def build_v2(root: Path, scenario: dict) -> Community:
    policy = scenario["policy"]
    extra = {}
    if policy["creditor"]:
        extra["creditor"] = policy["creditor"]
    if policy["authorisations"]:
        extra["authorisations"] = [_without_none(a) for a in policy["authorisations"]]
    c = Community(root, fees=policy["fees"], late_fee=policy["late_fee"], dunning=policy["dunning"], **extra)
    consent = {"consent": "债权人书面同意"} if policy["creditor"] and policy["creditor"]["name"] != policy["issuer_name"] else {}
    for u in scenario["units"]:
        c.unit(u["unit_id"], type=u["type"], area=u["area"], billing_start=u["billing_start"], opening=u["opening"],
               **({"service_address": u["service_address"]} if u["service_address"] else {}))
        for contact in u["contacts"]:
            more = _without_none({k: contact.get(k) for k in ("purpose", "party", "promise", "covers")})
            c.contact(u["unit_id"], contact["date"], contact["channel"], contact["outcome"], evidence=contact["evidence"], **more)
    for e in scenario["entries"]:
        if e["kind"] == "payment":
            c.payment(e["unit"], e["date"], e["amount"], **({"for": e["for"]} if e.get("for") else {}))
        elif e["kind"] == "waiver":
            c.waiver(e["unit"], e["date"], e["amount"], e["applies_to"], **consent)
        elif e["kind"] == "plan":
            c.plan(e["unit"], e["date"], e["installments"], **_without_none({"covers": e["covers"], "late_fee": e["late_fee"]}))
        else:
            c.charge(e["unit"], "杂费", e["amount"], e["date"], issued=e["issued"])
    return c


@ORACLE
@given(v2_scenarios())
def test_with_every_v2_rule_the_report_agrees_with_the_second_reading(scenario):
    with tempfile.TemporaryDirectory() as tmp:
        c = build_v2(Path(tmp), scenario)
        checked = c.checked(scenario["as_of"])
        assume(not checked.errors)
        report = c.report(scenario["as_of"])
    expected = oracle.report(scenario)
    assert {k: v for k, v in report["totals"].items() if k in expected["totals"]} == expected["totals"]
    assert [{k: row[k] for k in (*DECIDED, "stage", "plan")} for row in report["units"]] == expected["units"]
