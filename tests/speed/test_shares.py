"""What each unit adds to the all-unit figures, kept between builds (speed/shares.py, rules.engine.LazyState).

A desk computed with the shares of the last build computes only the units whose inputs changed, and every
all-unit figure the site shows is the one a full computation gives: value and Decimal exponent alike
(compared through ``repr``), after units changed, were added and were removed.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import msgspec
import pytest

from generator.rules.engine import LazyState, compute, totals_of
from generator.site.build import limitation_page
from generator.speed.shares import FILE, Shares
from generator.views.dashboard import dashboard, queue
from tests.support import synthetic_ledger

AS_OF = date(2026, 12, 1)
KEY = b"k" * 32


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return synthetic_ledger(tmp_path_factory.mktemp("synth"), units=60, years=4)


def figures(desk) -> str:
    """Everything all-unit the site shows from a desk, as text: what the pages are made of."""
    page = limitation_page(desk)
    work = queue(desk)
    return repr((
        desk.totals, dashboard(desk),
        [(key, i.state.unit.id, i.date, i.text, i.why, i.overdue) for key, items in work.items() for i in items],
        [(s.unit.id, c.index, c.expiry, c.unpaid, status) for s, c, status in page.rows],
        [(s.unit.id, c.index) for s, c in page.capped], [s.unit.id for s in page.barred_fees],
        page.expired_amount, page.expired_units, page.warning_amount, page.warning_units,
    ))


def forced(desk) -> set[str]:
    """The units whose state was computed."""
    return {s.unit.id for s in desk.units if s._state is not None}


def shares_in(folder, context: str = "context") -> Shares:
    return Shares(folder, KEY, context)


def changed(ledger):
    """The ledger with one unit's new contact, another's payment gone, a unit removed and one added."""
    units = list(ledger.units)
    contacted = next(i for i, u in enumerate(units) if u.contacts)
    unit = units[contacted]
    extra = msgspec.structs.replace(unit.contacts[-1], date=AS_OF - timedelta(days=3))
    units[contacted] = msgspec.structs.replace(unit, contacts=(*unit.contacts, extra))
    removed = units.pop(5)
    added = msgspec.structs.replace(units[7], id="99-9-999", contacts=())
    units.append(added)
    paid = {p.unit for p in ledger.payments}
    payer = next(u.id for u in units[10:] if u.id in paid)
    drop = next(i for i, p in enumerate(ledger.payments) if p.unit == payer)
    payments = ledger.payments[:drop] + ledger.payments[drop + 1:]
    return msgspec.structs.replace(ledger, units=tuple(units), payments=payments), {unit.id, added.id, payer}, removed.id


def test_a_desk_with_shares_shows_what_a_full_computation_shows(ledger, tmp_path):
    first = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    assert figures(first) == figures(compute(ledger, AS_OF))


def test_a_kept_desk_computes_only_the_units_whose_inputs_changed(ledger, tmp_path):
    first = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    figures(first)
    first.shares.save()
    again, touched, _removed = changed(ledger)
    desk = compute(again, AS_OF, shares=shares_in(tmp_path))
    shown = figures(desk)
    assert forced(desk) == touched
    assert all(type(s) is LazyState for s in desk.units)
    assert shown == figures(compute(again, AS_OF))


def test_the_same_inputs_again_compute_no_unit(ledger, tmp_path):
    first = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    figures(first)
    first.shares.save()
    desk = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    assert figures(desk) == figures(compute(ledger, AS_OF))
    assert forced(desk) == set()


def test_a_removed_unit_is_taken_out_of_every_sum(ledger, tmp_path):
    first = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    figures(first)
    first.shares.save()
    fewer = msgspec.structs.replace(ledger, units=ledger.units[:-3])
    desk = compute(fewer, AS_OF, shares=shares_in(tmp_path))
    assert figures(desk) == figures(compute(fewer, AS_OF))
    assert forced(desk) == set()
    assert desk.totals.charged < first.totals.charged


@pytest.mark.parametrize("other", ["context", "key"])
def test_shares_of_another_context_or_key_are_not_used(ledger, tmp_path, other):
    first = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    figures(first)
    first.shares.save()
    shares = Shares(tmp_path, KEY, "another") if other == "context" else Shares(tmp_path, b"x" * 32, "context")
    desk = compute(ledger, AS_OF, shares=shares)
    assert figures(desk) == figures(compute(ledger, AS_OF))
    assert forced(desk) == {u.id for u in ledger.units}


def test_a_tampered_shares_file_is_not_used(ledger, tmp_path):
    first = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    figures(first)
    first.shares.save()
    raw = bytearray((tmp_path / FILE).read_bytes())
    raw[-5] ^= 1
    (tmp_path / FILE).write_bytes(bytes(raw))
    desk = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    assert forced(desk) == {u.id for u in ledger.units}


def test_a_sum_with_a_value_of_more_than_two_decimals_is_made_afresh_with_its_exponent(ledger, tmp_path):
    """Sums of cents keep the exponent of a full pass only with cents: anything finer is summed over every unit."""
    desk = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    fine = {(): (Decimal("0.001"),)}
    assert desk.tally("fine", lambda state: fine) == {(): [len(ledger.units), Decimal("0.001") * len(ledger.units)]}
    assert repr(desk.tally("cents", lambda state: {(): (Decimal("1.5"), 2)})[()]) == repr([60, Decimal("90.00"), 120])


def test_a_key_no_unit_adds_to_any_more_is_dropped(ledger, tmp_path):
    first = compute(ledger, AS_OF, shares=shares_in(tmp_path))
    name = "by-unit"
    assert len(first.tally(name, lambda state: {(state.unit.id,): (1,)})) == 60
    first.shares.save()
    fewer = msgspec.structs.replace(ledger, units=ledger.units[:50])
    desk = compute(fewer, AS_OF, shares=shares_in(tmp_path))
    tally = desk.tally(name, lambda state: {(state.unit.id,): (1,)})
    assert sorted(tally) == sorted((u.id,) for u in fewer.units)
    assert forced(desk) == set()


def test_the_totals_are_the_engine_s_sums(ledger):
    desk = compute(ledger, AS_OF)
    assert totals_of(desk) == desk.totals
    assert desk.totals.charged == sum((s.charged for s in desk.units), Decimal("0.00"))
    assert desk.totals.units_in_arrears == sum(1 for s in desk.units if s.in_arrears)
