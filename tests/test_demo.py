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
from generator.billing import KIND_CHARGE, KIND_FEE, KIND_OPENING
from generator.model import CHANNELS, OUTCOMES, REASONS

PROJECT = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT / "scripts" / "make_demo.py"
AS_OF = date(2026, 11, 22)

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


@pytest.mark.parametrize("tag", ["老人", "有小孩", "出租", "长期在外", "房屋漏水"])
def test_owner_tags(ledger, tag):
    assert any(tag in u.tags for u in ledger.units)


def test_several_collectors(ledger):
    assert len({c.by for c in all_contacts(ledger) if c.by}) >= 4


def test_demo_phones_are_obviously_fake(ledger):
    for unit in ledger.units:
        for person in (*unit.owners, *([unit.tenant] if unit.tenant else [])):
            assert re.fullmatch(r"1\d\d0000\d{4}", person.phone), (unit.id, person.phone)


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
