"""Properties of the engine over generated communities (hypothesis): what must hold for any data."""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.money import round_cents
from tests.community import TODAY, Community, fee

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


@FAST
@given(scenarios())
def test_charged_minus_paid_minus_waived_is_outstanding_plus_not_due_minus_credit(scenario):
    with tempfile.TemporaryDirectory() as folder:
        desk = build(Path(folder), scenario).desk(scenario["as_of"])
    for s in desk.units:
        assert s.charged - s.paid - s.waived == s.outstanding + s.not_due - s.credit, s.unit.id
        assert min(s.outstanding, s.not_due, s.credit, s.late_fee) >= 0
        assert s.outstanding == 0 or s.credit == 0  # a credit left over means every existing charge is settled
    t = desk.totals
    assert t.charged - t.paid - t.waived == t.outstanding + t.not_due - t.credit


@FAST
@given(scenarios())
def test_a_charges_late_fee_never_exceeds_cap_times_its_amount(scenario):
    if scenario["policy"]["late_fee"] is None:
        scenario = {**scenario, "policy": {**scenario["policy"], "late_fee": {"daily_rate": "0.05", "cap": "0.15"}}}
    cap = Decimal(scenario["policy"]["late_fee"].get("cap", "1"))
    with tempfile.TemporaryDirectory() as folder:
        desk = build(Path(folder), scenario).desk(scenario["as_of"])
    for s in desk.units:
        for charge in s.charges:
            # min(cap x amount, ...) is rounded per charge, so the bound is cap x amount to the cent
            assert charge.late_fee.amount <= round_cents(cap * charge.charge.amount)
            assert charge.late_fee.amount >= 0


@st.composite
def with_later_entries(draw):
    scenario = draw(scenarios())
    as_of = min(scenario["as_of"], TODAY - timedelta(days=1))
    scenario["as_of"] = as_of
    later = st.dates(min_value=as_of + timedelta(days=1), max_value=TODAY)
    extra = draw(entries([u["unit_id"] for u in scenario["units"]], dates=later))
    # a one-off charge issued after as_of (its due date may be earlier)
    extra = [(*e[:4], abs(e[4])) if e[0] == "charge" else e for e in extra]
    return scenario, extra


@FAST
@given(with_later_entries())
def test_entries_dated_after_as_of_change_nothing_at_as_of(data):
    scenario, extra = data
    with tempfile.TemporaryDirectory() as folder:
        before = build(Path(folder) / "before", scenario).report(scenario["as_of"])
        after = build(Path(folder) / "after", scenario, extra).report(scenario["as_of"])
    assert after == before


@st.composite
def with_file_layout(draw):
    scenario = draw(scenarios())
    count = len(scenario["entries"])
    files = draw(st.lists(st.sampled_from(FILES), min_size=count, max_size=count))
    return scenario, files


@FAST
@given(with_file_layout())
def test_moving_payments_and_waivers_between_files_changes_nothing(data):
    scenario, files = data

    def spread(index, entry):
        return files[index] if entry[0] in ("payment", "waiver") else FILES[0]

    with tempfile.TemporaryDirectory() as folder:
        one_file = build(Path(folder) / "one", scenario).report(scenario["as_of"])
        spread_out = build(Path(folder) / "spread", scenario, file_of=spread).report(scenario["as_of"])
    assert spread_out == one_file


@FAST
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_order_of_payments_and_waivers_inside_files_changes_nothing(scenario, rng):
    shuffled = dict(scenario)
    credits = [e for e in scenario["entries"] if e[0] in ("payment", "waiver")]
    others = [e for e in scenario["entries"] if e[0] not in ("payment", "waiver")]
    rng.shuffle(credits)
    shuffled["entries"] = credits + others
    with tempfile.TemporaryDirectory() as folder:
        original = build(Path(folder) / "a", scenario).report(scenario["as_of"])
        reordered = build(Path(folder) / "b", shuffled).report(scenario["as_of"])
    assert reordered == original


# -- rule 10 (v2): nothing but the owner's acknowledgment of everything revives a barred charge ------------------

OLD_DUE = date(2019, 3, 15)  # runs out after 2022-03-15 unless interrupted in time
contact_events = st.fixed_dictionaries({
    "day": st.dates(min_value=date(2019, 1, 1), max_value=TODAY),
    "channel": st.sampled_from(["sms", "wechat", "phone", "visit", "letter", "registered_mail", "lawyer_letter", "court", "other"]),
    "outcome": st.sampled_from(["promised", "promised", "reached", "refused", "disputed", "delivered", "returned", "unreachable", "no_answer", "paid"]),
    "evidence": st.sampled_from(["录音", "录音", None]),
    "purpose": st.sampled_from([None, None, "demand", "service", "other"]),
    "party": st.sampled_from([None, None, "issuer", "creditor"]),
})
barred_events = st.lists(st.one_of(
    st.tuples(st.just("contact"), contact_events),
    st.tuples(st.just("payment"), st.dates(min_value=date(2019, 1, 1), max_value=TODAY), st.sampled_from(["50.00", "300.00"]),
              st.sampled_from([None, ["2019-03"], ["opening"], ["2024-06"]])),
    st.tuples(st.just("plan"), st.dates(min_value=date(2019, 1, 1), max_value=TODAY)),
), max_size=10)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(barred_events, st.booleans(), st.booleans(),
       st.lists(st.dates(min_value=date(2019, 6, 1), max_value=TODAY), min_size=2, max_size=5, unique=True))
def test_no_contact_plan_or_payment_without_covers_all_turns_an_expired_charge_back(events, creditor, confirmed, as_of_days):
    with tempfile.TemporaryDirectory() as folder:
        policy = {"creditor": {"name": "测试物业服务有限公司"}, "authorisations": [{"from": "2021-01-01", "until": "2022-12-31", "document": "授权书"}]} if creditor else {}
        c = Community(Path(folder), fees=[], **policy)
        address = {"address": "1幢101室", "confirmed": "2020-06-01"} if confirmed else None
        c.unit("1-1-101", billing_start="2019-01-01", service_address=address)
        c.charge("1-1-101", "物业费", "1000.00", OLD_DUE)
        c.charge("1-1-101", "物业费", "500.00", date(2024, 6, 15))
        for event in events:
            if event[0] == "contact":
                e = event[1]
                promise = {"date": e["day"]} if e["outcome"] == "promised" else None
                c.contact("1-1-101", e["day"], e["channel"], e["outcome"], evidence=e["evidence"], promise=promise,
                          purpose=e["purpose"], party=e["party"])
            elif event[0] == "payment":
                extra = {"for": event[3]} if event[3] else {}
                c.payment("1-1-101", event[1], event[2], **extra)
            else:
                c.plan("1-1-101", event[1], [(event[1], "100.00")])
        expired_since = None
        for as_of in sorted(as_of_days):
            old = c.state("1-1-101", as_of).charges[0]
            if old.unpaid == 0 or old.limitation is None:
                continue
            if expired_since is not None:
                assert old.limitation.status == "expired", (expired_since, as_of)
            elif old.limitation.status == "expired":
                expired_since = as_of
