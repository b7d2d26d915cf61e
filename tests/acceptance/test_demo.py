"""The demo community 桐荫花园: clean, showing every case the desk handles, and exactly what the script makes."""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from generator import pipeline
from generator.core.dates import add_years
from generator.core.model import CHANNELS, OUTCOMES, REASONS
from generator.rules.billing import KIND_CHARGE, KIND_FEE, KIND_OPENING
from generator.rules.dunning import fulfils
from generator.rules.latefee import charge_late_fee
from generator.rules.limitation import (
    ASSIGNMENT,
    EXPIRED,
    NOT_A_DEMAND,
    NOT_FOR_CREDITOR,
    NOT_THROUGH,
    OK,
    contact_standing,
)
from generator.rules.plans import ON_TRACK
from tests.support import DEMO_AS_OF, PROJECT

SCRIPT = PROJECT / "scripts" / "make_demo.py"
AS_OF = DEMO_AS_OF

pytestmark = pytest.mark.skipif(not (PROJECT / "ledger" / "policy.yaml").is_file(), reason="demo community not present")


@pytest.fixture(scope="module")
def checked():
    return pipeline.check(PROJECT, AS_OF, AS_OF, use_cache=False)


@pytest.fixture(scope="module")
def ledger(checked):
    assert checked.ledger is not None
    return checked.ledger


@pytest.fixture(scope="module")
def desk(checked):
    return pipeline.desk_for(checked, AS_OF)


def units_where(desk, test) -> list[str]:
    return [s.unit.id for s in desk.units if test(s)]


def all_contacts(ledger):
    return [c for unit in ledger.units for c in unit.contacts]


# -- (a) the check is clean ------------------------------------------------------------

def test_check_reports_no_errors(checked):
    assert checked.errors == [], [p.render() for p in checked.errors]


def test_check_reports_no_warnings(checked):
    assert checked.warnings == [], [p.render() for p in checked.warnings]


# -- the community looks like a real one -------------------------------------------------

def test_about_120_units_of_four_types(ledger):
    assert 110 <= len(ledger.units) <= 130
    types = {u.type for u in ledger.units}
    assert types == {"高层", "洋房", "别墅", "商铺"}


def test_unit_ids_follow_the_house_style(ledger):
    patterns = {"高层": r"\d-\d-\d0\d", "洋房": r"Y\d-\d0\d", "别墅": r"V\d\d", "商铺": r"S-\d\d"}
    for unit in ledger.units:
        assert re.fullmatch(patterns[unit.type], unit.id), unit.id
        assert (PROJECT / "owners" / f"{unit.id}.yaml").is_file()


def test_three_years_and_more_of_history(ledger):
    assert min(u.billing_start for u in ledger.units) <= date(2023, 1, 1)
    assert min(p.date for p in ledger.payments) < date(2023, 2, 1)
    assert max(p.date for p in ledger.payments) > date(2026, 11, 1)


def test_most_units_pay_collection_rate_realistic(desk):
    assert desk.totals.collection_rate is not None
    assert Decimal("0.85") <= desk.totals.collection_rate <= Decimal("0.92")


def test_arrears_are_concentrated_in_a_few_units(desk):
    assert 15 <= desk.totals.units_in_arrears <= 25


def test_policy_has_the_five_dunning_stages_and_two_fees(desk):
    policy = desk.policy
    assert [s.id for s in policy.dunning] == ["reminder", "call", "notice", "lawyer", "legal"]
    assert [s.letter for s in policy.dunning if s.letter] == ["notice", "lawyer"]
    assert {f.cycle for f in policy.fees} == {3, 12}
    assert policy.late_fee is not None
    assert (policy.limitation.years, policy.limitation.warn_days) == (3, 180)


# -- (b) every case is present ----------------------------------------------------------

def test_a_prorated_first_bill(desk):
    prorated = units_where(desk, lambda s: any(
        c.charge.kind == KIND_FEE and c.charge.months is not None and c.charge.months.denominator != 1 for c in s.charges))
    assert prorated
    assert all(desk.unit(u).unit.billing_start.day != 1 for u in prorated)


def test_a_prepayment_credit(desk):
    assert units_where(desk, lambda s: s.credit > 0)


def test_a_charge_issued_but_not_yet_due(desk):
    assert units_where(desk, lambda s: s.not_due > 0)


def test_vacant_units_billed_with_the_vacant_factor(desk):
    vacant = [s for s in desk.units if s.unit.occupancy == "vacant"]
    assert len(vacant) >= 3
    factor = next(f.vacant_factor for f in desk.policy.fees if f.id == "property")
    assert factor < 1
    for state in vacant:
        bill = next(c.charge for c in state.charges if c.charge.fee_id == "property")
        rate = next(f for f in desk.policy.fees if f.id == "property").rate_for(state.unit.type)
        assert bill.monthly_base == Fraction(state.unit.area) * Fraction(rate) * Fraction(factor)


def test_rented_units_with_a_tenant(ledger):
    rented = [u for u in ledger.units if u.occupancy == "rented"]
    assert len(rented) >= 5
    assert all(u.tenant is not None and u.tenant.name and u.tenant.phone for u in rented)


def test_shops_with_one_off_charges(desk):
    shops = units_where(desk, lambda s: s.unit.type == "商铺" and any(c.charge.kind == KIND_CHARGE for c in s.charges))
    assert len(shops) >= 3
    items = {c.charge.item for s in desk.units for c in s.charges if c.charge.kind == KIND_CHARGE}
    assert len(items) >= 3


def test_opening_arrears_settled_waived_and_still_owed(desk):
    openings = [(s, c) for s in desk.units for c in s.charges if c.charge.kind == KIND_OPENING]
    assert len(openings) >= 3
    assert any(c.unpaid == 0 and c.paid > 0 for _, c in openings)
    assert any(c.waived > 0 for _, c in openings)
    assert any(c.unpaid > 0 for _, c in openings)


@pytest.mark.parametrize("applies_to", ["principal", "late_fee"])
def test_waivers_of_each_kind_with_approval_and_reason(ledger, applies_to):
    waivers = [w for w in ledger.waivers if w.applies_to == applies_to]
    assert waivers
    assert all(w.approved_by and w.reason for w in waivers)


def test_late_fee_waivers_cover_the_whole_late_fee(desk, ledger):
    for waiver in ledger.waivers:
        if waiver.applies_to == "late_fee":
            assert desk.unit(waiver.unit).late_fee == 0, waiver.unit


@pytest.mark.parametrize("status", ["on_track", "behind", "completed"])
def test_plan_status(desk, status):
    assert units_where(desk, lambda s: s.plan is not None and s.plan.status == status)


def test_an_active_promise(desk):
    assert units_where(desk, lambda s: any(
        not p.kept and not p.broken and p.contact.promise.date >= AS_OF for p in s.promises))


def test_a_broken_promise(desk):
    assert units_where(desk, lambda s: s.broken_promises > 0 and s.next_action.kind == "promise_broken")


def test_a_kept_promise(desk):
    assert units_where(desk, lambda s: any(p.kept for p in s.promises))


@pytest.mark.parametrize("stage", ["reminder", "call", "notice", "lawyer", "legal"])
def test_some_unit_reaches_stage(desk, stage):
    assert units_where(desk, lambda s: s.stage is not None and s.stage.id == stage)


def test_units_without_a_stage_are_the_paid_up_majority(desk):
    clear = units_where(desk, lambda s: s.stage is None)
    assert len(clear) > len(desk.units) // 2
    assert all(desk.unit(u).outstanding == 0 for u in clear)


@pytest.mark.parametrize("status", ["ok", "warning", "expired"])
def test_limitation_status(desk, status):
    assert units_where(desk, lambda s: s.limitation.status == status)


def test_expired_debt_is_old_opening_arrears(desk):
    expired = [s for s in desk.units if s.limitation.status == "expired"]
    assert all(s.limitation.expired_amount > 0 for s in expired)
    assert any(c.charge.kind == KIND_OPENING and c.limitation and c.limitation.status == "expired" for s in expired for c in s.charges)


@pytest.mark.parametrize("reason", REASONS)
def test_every_arrears_reason_appears(ledger, reason):
    assert any(c.reason == reason for c in all_contacts(ledger))


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_contact_channel_appears(ledger, channel):
    assert any(c.channel == channel for c in all_contacts(ledger))


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_contact_outcome_appears(ledger, outcome):
    assert any(c.outcome == outcome for c in all_contacts(ledger))


@pytest.mark.parametrize("kind, pattern", [
    ("call recording", r"录音 .*\.m4a"), ("EMS tracking number", r"EMS \d{13}"), ("signed receipt", r"签收单 "),
])
def test_contacts_carry_evidence(ledger, kind, pattern):
    assert any(re.search(pattern, c.evidence) for c in all_contacts(ledger)), kind


def test_contact_notes_are_chinese(ledger):
    notes = [c.note for c in all_contacts(ledger) if c.note]
    assert len(notes) > 100
    assert all(re.search(r"[\u4e00-\u9fff]", n) for n in notes)


@pytest.mark.parametrize("tag", ["老人", "白天不在家", "出租", "长期在外", "房屋漏水"])
def test_owner_tags(ledger, tag):
    assert any(tag in u.tags for u in ledger.units)


def test_several_collectors(ledger):
    assert len({c.by for c in all_contacts(ledger) if c.by}) >= 4


def test_demo_phones_are_obviously_fake(ledger):
    for unit in ledger.units:
        for person in (*unit.owners, *([unit.tenant] if unit.tenant else [])):
            assert re.fullmatch(r"1\d\d0000\d{4}", person.phone), (unit.id, person.phone)


# -- (b2) the cases of the ledger spec v2 ------------------------------------------------

YEARS = 3
GAP_DAY = date(2025, 1, 20)  # between the two authorisations


def in_gap(policy, day: date) -> bool:
    """No authorisation covers the day, after the first one began (before it, the previous manager held the claims)."""
    return policy.authorisation_on(day) is None and day >= min(a.valid_from for a in policy.authorisations)


def chain_sources(state) -> list:
    """Every record that interrupted one of the unit's charges."""
    return [event.source for c in state.charges if c.limitation for event in c.limitation.chain]


def interrupted_any(state, record) -> bool:
    return any(source is record for source in chain_sources(state))


def test_the_creditor_is_the_company_and_the_committee_demands_under_its_authorisations(desk):
    policy = desk.policy
    assert policy.creditor is not None and policy.creditor.name == "桐荫物业服务有限公司"
    assert policy.issuer.name == "桐荫花园业主委员会"
    assert not policy.issuer_is_creditor
    assert [(a.valid_from, a.valid_until) for a in policy.authorisations] == [
        (date(2023, 1, 1), date(2024, 12, 31)), (date(2025, 3, 1), None)]
    assert all(a.document.startswith("授权委托书 ") for a in policy.authorisations)
    assert policy.authorisation_on(AS_OF).document == "授权委托书 TY-2025-02"
    assert policy.issuer_may_demand(AS_OF)
    assert not policy.issuer_may_demand(GAP_DAY) and not policy.issuer_may_demand(date(2025, 2, 28))
    assert policy.issuer_may_demand(date(2024, 12, 31)) and policy.issuer_may_demand(date(2025, 3, 1))
    # covered today: letters are produced, no unit waits for an authorisation
    assert units_where(desk, lambda s: s.next_action.kind == "authorise") == []
    assert any(policy.creditor.name in line for line in policy.payment_channels)


def test_every_waiver_has_the_creditors_written_consent(ledger):
    assert ledger.waivers
    assert all(w.consent.startswith("桐荫物业同意减免函 ") for w in ledger.waivers)


def test_a_committee_demand_in_the_gap_does_not_save_a_charge_from_expiring(desk):
    policy = desk.policy
    found = []
    for state in desk.units:
        for contact in state.contacts:
            if contact.party != "issuer" or not in_gap(policy, contact.date) or not contact.evidence:
                continue
            if contact_standing(contact, state.unit, policy) != NOT_FOR_CREDITOR:
                continue
            assert not interrupted_any(state, contact)
            for c in state.charges:
                # a charge still in time on the demand's day, expired today: the demand would have kept it alive
                if c.limitation_status == EXPIRED and c.charge.due < contact.date <= c.limitation.expiry:
                    assert add_years(contact.date, YEARS) >= AS_OF
                    found.append((state.unit.id, contact.date, c.charge.due, c.limitation.expiry, c.unpaid))
    assert found == [("2-1-802", date(2025, 1, 20), date(2023, 10, 15), date(2026, 11, 8), Decimal("915.75"))]
    state = desk.unit("2-1-802")
    assert state.limitation.status == EXPIRED and state.limitation.expired_amount == Decimal("915.75")
    expired = next(c for c in state.charges if c.limitation_status == EXPIRED)
    assert [(e.date, e.kind) for e in expired.limitation.chain] == [(date(2023, 11, 8), "demand")]
    assert state.late_fee == 0 and state.late_fee_barred > 0  # the barred charge's late fee is not claimed


def test_the_creditors_own_demand_in_the_gap_counts(desk):
    policy = desk.policy
    counted = [
        (state.unit.id, contact.date) for state in desk.units for contact in state.contacts
        if contact.party == "creditor" and in_gap(policy, contact.date)
        and contact_standing(contact, state.unit, policy) is None and interrupted_any(state, contact)
    ]
    assert counted == [("1-1-101", date(2025, 1, 16))]


def test_a_service_visit_interrupts_nothing_and_fulfils_no_stage(desk):
    visits = [(s, c) for s in desk.units for c in s.contacts if c.purpose == "service"]
    assert visits
    for state, visit in visits:
        assert visit.channel == "visit" and visit.outcome == "reached"
        assert re.search(r"现场照片 IMG_\d{8}_\d{4}\.jpg", visit.evidence)
        assert "未谈物业费" in visit.note
        assert contact_standing(visit, state.unit, desk.policy) == NOT_A_DEMAND
        assert not interrupted_any(state, visit)
        assert not any(fulfils(visit, stage, date(2000, 1, 1), AS_OF) for stage in desk.policy.dunning)
    # it would have restarted the clock of 2-1-301's 2024 arrears; they stay in the warning window
    state, visit = next((s, c) for s, c in visits if s.unit.id == "2-1-301")
    assert state.limitation.status == "warning"
    assert state.limitation.earliest_expiry == date(2027, 2, 26) < add_years(visit.date, YEARS)


def test_a_letter_returned_from_the_confirmed_address_counts_as_a_demand(desk):
    policy = desk.policy
    returned = [
        (s, c) for s in desk.units for c in s.contacts
        if c.channel == "registered_mail" and c.outcome == "returned" and s.unit.address_confirmed_on(c.date)
    ]
    assert len(returned) >= 2
    for state, letter in returned:
        assert state.unit.service_address.evidence and letter.evidence.startswith("EMS ")
        assert contact_standing(letter, state.unit, policy) is None
        assert interrupted_any(state, letter)
        assert not any(fulfils(letter, stage, date(2000, 1, 1), AS_OF) for stage in policy.dunning)  # rule 8 still needs delivery
    state = returned[0][0]
    oldest = min((c for c in state.charges if c.unpaid > 0), key=lambda c: c.charge.due)
    assert [e.source.outcome for e in oldest.limitation.chain] == ["returned"] * len(oldest.limitation.chain)
    assert oldest.limitation.expiry == add_years(returned[-1][1].date, YEARS)
    # a letter returned from an address nobody confirmed is not delivered
    unconfirmed = [
        (s, c) for s in desk.units for c in s.contacts
        if c.outcome == "returned" and c.evidence and not s.unit.address_confirmed_on(c.date)
    ]
    assert unconfirmed
    assert all(contact_standing(c, s.unit, policy) == NOT_THROUGH and not interrupted_any(s, c) for s, c in unconfirmed)


def test_a_payment_designated_to_a_month_settles_that_month_before_older_arrears(desk):
    state = desk.unit("Y1-102")
    payment = next(p for p in state.payments if p.designation == ("2026-07",))
    by_due = {c.charge.due: c for c in state.charges if c.charge.kind == KIND_FEE and c.charge.fee_id == "property"}
    named, older = by_due[date(2026, 7, 15)], by_due[date(2026, 4, 15)]
    assert [(piece.source, piece.amount) for piece in named.pieces] == [(payment, Decimal("1166.76"))]
    assert named.unpaid == 0
    assert older.unpaid == Decimal("1166.76") and older.limitation_status == OK  # in time: without `for` it came first
    assert state.credit == 0


def test_a_payment_designated_to_the_opening_arrears(desk):
    found = []
    for state in desk.units:
        for payment in state.payments:
            if payment.designation == ("opening",):
                opening = [c for c in state.charges if c.charge.kind == KIND_OPENING]
                assert opening and all(c.unpaid == 0 for c in opening)
                assert all(piece.source is payment for c in opening for piece in c.pieces)
                found.append((state.unit.id, payment.amount))
    assert found == [("1-1-301", Decimal("1286.40"))]


def test_owners_who_pay_each_quarter_by_name_keep_old_arrears_apart(desk):
    """2-1-802 and V08 name the month on every payment since 2024 / 2023: only the old debt is left."""
    for unit_id, since in (("2-1-802", date(2024, 1, 1)), ("V08", date(2023, 1, 1))):
        state = desk.unit(unit_id)
        designated = [p for p in state.payments if p.date >= since]
        assert len(designated) >= 10
        assert all(p.designation == (f"{p.date:%Y-%m}",) for p in designated)  # the bills due that month
        fees_unpaid = [c for c in state.charges if c.charge.kind == KIND_FEE and c.charge.due >= since and c.overdue and c.unpaid > 0]
        assert fees_unpaid == []


def test_a_late_fee_payment(desk):
    payers = [s for s in desk.units if s.late_fee_paid > 0]
    assert [s.unit.id for s in payers] == ["1-2-602"]
    state = payers[0]
    payment = next(p for p in state.payments if p.for_late_fee)
    assert payment.amount == state.late_fee_paid == Decimal("96.29")
    assert not any(piece.source is payment for c in state.charges for piece in c.pieces)  # it settles no principal
    charged = sum((c.late_fee.amount for c in state.charges if c.late_fee and not c.late_fee_barred), Decimal("0.00"))
    assert charged == payment.amount  # paid exactly what the statement showed
    assert state.late_fee == 0 and state.late_fee_overpaid == 0 and state.outstanding == 0


def test_an_inherited_opening_list_with_the_notice_of_assignment(desk):
    lists = [s for s in desk.units if len(s.unit.opening) >= 2]
    assert [s.unit.id for s in lists] == ["V08"]
    state = lists[0]
    assert [item.period for item in state.unit.opening] == ["2005年下半年", "2021年下半年", "2022年上半年"]
    assert all(item.assignment_notified == date(2023, 3, 10) for item in state.unit.opening)
    opening = [c for c in state.charges if c.charge.kind == KIND_OPENING]
    assert [c.charge.due for c in opening] == [date(2005, 7, 15), date(2021, 7, 15), date(2022, 1, 15)]
    for c in opening:
        events = [e for e in c.limitation.chain if e.kind == ASSIGNMENT]
        assert [e.date for e in events] == [date(2023, 3, 10)]
        assert c.charge.due < events[0].date
        assert c.unpaid == c.charge.amount


def test_an_acknowledgment_of_everything_revives_barred_charges(desk):
    """V08's opening items ran out on 2026-03-10 (three years after the notice of assignment); the signed
    promise of 2026-06-18 with covers: all starts them again, except the 2005 one that the 20-year cap bars.
    A demand in between (2026-05-28) could not revive them."""
    state = desk.unit("V08")
    revived = []
    for c in state.charges:
        chain = c.limitation.chain if c.limitation else ()
        for before, event in zip(chain, chain[1:]):
            if event.covers_all and add_years(before.date, YEARS) < event.date:
                revived.append((c.charge.period, add_years(before.date, YEARS), event.date, c.limitation.status))
    assert revived == [
        ("2005年下半年", date(2026, 3, 10), date(2026, 6, 18), EXPIRED),
        ("2021年下半年", date(2026, 3, 10), date(2026, 6, 18), OK),
        ("2022年上半年", date(2026, 3, 10), date(2026, 6, 18), OK),
    ]
    promise = next(c for c in state.contacts if c.date == date(2026, 6, 18))
    assert promise.covers == "all" and promise.outcome == "promised" and "还款承诺书" in promise.evidence
    between = next(c for c in state.contacts if c.date == date(2026, 5, 28))
    assert contact_standing(between, state.unit, desk.policy) is None and not interrupted_any(state, between)


def test_the_20_year_cap_expires_an_acknowledged_debt(desk):
    capped = [(s, c) for s in desk.units for c in s.charges if c.limitation and c.limitation.capped]
    assert [(s.unit.id, c.charge.period) for s, c in capped] == [("V08", "2005年下半年")]
    state, charge = capped[0]
    limitation = charge.limitation
    assert limitation.expiry == add_years(charge.charge.due, 20) == date(2025, 7, 15)
    assert limitation.status == EXPIRED and charge.limitation_status == EXPIRED
    # the owner signed for it again and again (the last time acknowledging everything): without the cap it would be in time
    chain = limitation.chain
    assert len(chain) >= 7 and all(e.kind == "promise" and e.covers_all for e in chain if e.kind != ASSIGNMENT)
    dates = [charge.charge.due] + [e.date for e in chain]
    assert all(add_years(a, YEARS) >= b or event.covers_all for a, b, event in zip(dates, dates[1:], chain))
    assert add_years(dates[-1], YEARS) > AS_OF
    assert state.limitation.expired_amount == charge.unpaid == Decimal("3017.09")
    assert charge.late_fee_barred and state.late_fee_barred == charge.late_fee.amount


def test_a_frozen_plan_stops_the_late_fee_of_what_it_covers(desk):
    frozen = [s for s in desk.units if s.plan is not None and s.plan.plan.late_fee == "freeze"]
    assert [s.unit.id for s in frozen] == ["2-2-302"]
    state = frozen[0]
    plan = state.plan.plan
    assert state.plan.status == ON_TRACK
    covered = [c for c in state.charges if c.limitation and c.limitation.interrupted_by(plan)]
    assert len(covered) >= 4
    rule = desk.policy.late_fee
    for c in covered:
        assert c.late_fee_frozen == plan.signed
        assert c.late_fee == charge_late_fee(rule, c.charge, c.pieces, c.unpaid, AS_OF, plan.signed)
        assert c.late_fee.amount < charge_late_fee(rule, c.charge, c.pieces, c.unpaid, AS_OF).amount
    later = [c for c in state.charges if c.overdue and c.charge.due > plan.signed]
    assert later and all(c.late_fee_frozen is None for c in later)


def test_owners_consented_to_publishing_their_arrears_but_the_board_lists_no_units(desk):
    consented = [s.unit for s in desk.units if s.unit.consented("publish_arrears", AS_OF)]
    assert 2 <= len(consented) <= 3
    assert all(c.evidence for unit in consented for c in unit.consents)
    assert desk.policy.publish_unit_amounts is False


# -- (c) the script makes exactly these files --------------------------------------------

def data_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for folder in ("owners", "ledger") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def test_script_regenerates_the_committed_demo_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True)
    made, committed = data_files(tmp_path), data_files(PROJECT)
    assert sorted(made) == sorted(committed)
    different = [name for name in made if made[name] != committed[name]]
    assert different == [], "运行 python scripts/make_demo.py 重新生成示例小区"


def test_script_replaces_what_was_there(tmp_path):
    (tmp_path / "owners").mkdir()
    (tmp_path / "owners" / "9-9-999.yaml").write_text("unit: 9-9-999\n", encoding="utf-8")
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True)
    assert not (tmp_path / "owners" / "9-9-999.yaml").exists()


# -- (d) nothing happens after the demo's day ---------------------------------------------

def test_nothing_dated_after_as_of_except_bills(ledger):
    late = []
    late += [("payment", p.unit, p.date) for p in ledger.payments if p.date > AS_OF]
    late += [("waiver", w.unit, w.date) for w in ledger.waivers if w.date > AS_OF]
    late += [("plan", p.unit, p.signed) for p in ledger.plans if p.signed > AS_OF]
    late += [("charge issued", c.unit, c.issued) for c in ledger.charges if c.issued > AS_OF]
    for unit in ledger.units:
        late += [("contact", unit.id, c.date) for c in unit.contacts if c.date > AS_OF]
        if unit.billing_start > AS_OF:
            late.append(("billing_start", unit.id, unit.billing_start))
        late += [("opening", unit.id, item.due) for item in unit.opening if item.due > AS_OF]
    assert late == []


# -- the files read as if people wrote them ------------------------------------------------

def test_every_data_file_names_its_json_schema(ledger):
    for rel, raw in data_files(PROJECT).items():
        first = raw.decode("utf-8").splitlines()[0]
        kind = "policy" if rel == "ledger/policy.yaml" else "owner" if rel.startswith("owners/") else "entries"
        schema = "../" * rel.count("/") + f"schemas/{kind}.schema.json"
        assert first == f"# yaml-language-server: $schema={schema}", rel
        assert (PROJECT / rel).parent.joinpath(schema).resolve().is_file(), rel


def test_money_and_phones_are_quoted():
    for rel, raw in data_files(PROJECT).items():
        text = raw.decode("utf-8")
        assert not re.search(r"\b(amount|area): \d", text), rel
        assert not re.search(r"\bphone: \d", text), rel


def test_payments_are_one_file_per_month_in_flow_style():
    files = sorted((PROJECT / "ledger" / "payments").glob("*.yaml"))
    assert [f.stem for f in files] == sorted({f.stem for f in files})
    assert len(files) >= 40
    for file in files:
        assert re.fullmatch(r"\d{4}-\d{2}", file.stem)
        lines = file.read_text(encoding="utf-8").splitlines()
        entries = [line for line in lines if line.startswith("  - ")]
        assert entries and all(line.startswith("  - {unit: ") for line in entries)
        assert all(f"date: {file.stem}-" in line for line in entries)
