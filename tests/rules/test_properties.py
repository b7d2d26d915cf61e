"""Properties of the engine over generated communities (hypothesis): what must hold for any data."""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.money import round_cents
from tests.community import TODAY, Community
from tests.rules.generated import FILES, build, entries, scenarios

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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
