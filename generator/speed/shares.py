"""What each unit adds to the all-unit figures, kept between builds by the digest of the unit's inputs.

A rebuild after one new contact changes one unit, yet the site's lists and
dashboard read every unit's state, and computing 5,000 states takes 3.3 s.
``Shares`` keeps, for each unit, a few values the all-unit pages are made of
(its *parts*: the figures the lists sort and filter by, its rows of the
queue, ...), and for each all-unit sum (a *tally*: the month sums, the
period speeds, the totals) the sum itself. The next build with the same
context (policy, as_of, code, libraries: ``context``) takes a part as kept
when the unit's inputs have the same digest, and brings a tally up to date
by taking out what the changed units added last time and adding what they
add now: only the changed units are computed (``rules.engine.LazyState``).

Sums stay exact and the same to the digit as a full pass: every value added
is a Decimal with at most two decimals (cents; a value with more makes the
tally a full pass, ``NotCents``) or an int, and a sum starts from
``core.money.ZERO`` ("0.00"), so its exponent is -2 however it was reached.
A key no unit adds to any more is dropped, as a full pass would never make it.

Kept like every cache of the work folder (``speed.signed``): signed with the
user's key, decoded only into the types asked for, written atomically, and
best effort: a missing, foreign or stale file is simply not used.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import msgspec

from generator.speed.signed import read_decoded, write_signed

FILE = "shares.msgpack"
ZERO = Decimal("0.00")  # ``core.money.ZERO``, which a full pass starts its sums from (speed sits below core)

Adds = dict[tuple[str, ...], tuple]  # what one unit adds: key -> values (Decimal or int)
Tally = dict[tuple[str, ...], list]  # the sum over units: key -> [how many units add to it, *summed values]
_TALLY = msgspec.msgpack.Decoder(dict[tuple[str, ...], list[Decimal | int]])
_ADDS = msgspec.msgpack.Decoder(dict[tuple[str, ...], list[Decimal | int]])


class _Kept(msgspec.Struct, frozen=True, array_like=True):
    digest: str  # of the unit's inputs (``rules.engine.input_digest``)
    parts: dict[str, msgspec.Raw]  # part name -> its value, encoded


class _SharesFile(msgspec.Struct, frozen=True, array_like=True):
    context: str
    units: dict[str, _Kept]  # unit id -> what it added
    tallies: dict[str, msgspec.Raw]  # tally name -> its sum over ``units``


_DECODER = msgspec.msgpack.Decoder(_SharesFile)
ENCODER = msgspec.msgpack.Encoder()


class NotCents(ValueError):
    """A value with more than two decimals: its sum would not have the exponent of a full pass."""


class Shares:
    """The parts and tallies of the last build with the same ``context``; this build's, kept by ``save``."""

    def __init__(self, folder: Path, key: bytes | None, context: str) -> None:
        self.folder, self.key, self.context = folder, key, context
        stored = read_decoded(folder, FILE, key, _DECODER)
        fits = stored is not None and stored.context == context
        self.kept: dict[str, _Kept] = stored.units if fits else {}
        self.kept_tallies: dict[str, msgspec.Raw] = stored.tallies if fits else {}
        self.units: dict[str, tuple[str, dict[str, msgspec.Raw]]] = {}  # this build's: unit id -> (digest, parts)
        self.tallies: dict[str, Tally] = {}
        self.changed = not fits

    def unit_parts(self, unit_id: str, digest: str) -> dict[str, msgspec.Raw]:
        """The parts of a unit in this build: those kept for the same digest, to which computed parts are added."""
        kept = self.kept.get(unit_id)
        parts = dict(kept.parts) if kept is not None and kept.digest == digest else {}
        self.units[unit_id] = (digest, parts)
        if not parts:
            self.changed = True
        return parts

    def is_kept(self, unit_id: str, digest: str) -> bool:
        kept = self.kept.get(unit_id)
        return kept is not None and kept.digest == digest

    def tally(self, name: str, states: Iterable, adds: Callable) -> Tally:
        """The sum of ``adds(state)`` over ``states`` (``rules.engine.LazyState``): the kept sum with the changed
        units' old values taken out and their new ones added, or a full pass when there is nothing to start from."""
        if name in self.tallies:
            return self.tallies[name]
        states = list(states)
        total = self._from_kept(name, states, adds)
        if total is None:
            total = {}
            for state in states:
                _add(total, state.share(name, _ADDS, lambda real: _checked(adds(real))), 1)
        self.tallies[name] = total
        return total

    def _from_kept(self, name: str, states: list, adds: Callable) -> Tally | None:
        raw = self.kept_tallies.get(name)
        if raw is None:
            return None
        try:
            total = _TALLY.decode(raw)
            current = set()
            for state in states:
                unit_id = state.unit.id
                current.add(unit_id)
                if self.is_kept(unit_id, state.digest):
                    continue  # what it adds is in the kept sum already
                kept = self.kept.get(unit_id)
                if kept is not None:
                    _add(total, _ADDS.decode(kept.parts[name]), -1)
                _add(total, state.share(name, _ADDS, lambda real: _checked(adds(real))), 1)
            for unit_id, kept in self.kept.items():
                if unit_id not in current:
                    _add(total, _ADDS.decode(kept.parts[name]), -1)
        except NotCents:
            raise  # a full pass would meet the same value: summed afresh at once (``Desk.tally``)
        except (KeyError, msgspec.DecodeError, ValueError, TypeError):
            return None  # a unit without this part, or values of another shape: a full pass
        return total

    def save(self) -> None:
        """Keep this build's parts and tallies when anything was computed; a tally only when every unit added to it."""
        if self.key is None or not (self.changed or self.units.keys() != self.kept.keys()
                                    or any(len(parts) != len(self.kept[u].parts) for u, (_, parts) in self.units.items())):
            return  # the same units with the same parts: the kept file holds them already
        units = {unit_id: _Kept(digest, parts) for unit_id, (digest, parts) in self.units.items()}
        tallies = {name: msgspec.Raw(ENCODER.encode(total)) for name, total in self.tallies.items()
                   if all(name in kept.parts for kept in units.values())}
        write_signed(self.folder, FILE, self.key, ENCODER.encode(_SharesFile(self.context, units, tallies)))


def _checked(adds: Adds) -> Adds:
    for values in adds.values():
        for value in values:
            if type(value) is Decimal and value.as_tuple().exponent < -2:
                raise NotCents(value)
    return adds


def _add(total: Tally, adds: Adds, sign: int) -> None:
    """Add (sign 1) or take out (sign -1) one unit's values; a key no unit adds to any more goes."""
    for key, values in adds.items():
        row = total.get(key)
        if row is None:
            row = total[key] = [0, *(ZERO if type(v) is Decimal else 0 for v in values)]
        row[0] += sign
        if sign > 0:
            for i, value in enumerate(values, 1):
                row[i] += value
        else:
            for i, value in enumerate(values, 1):
                row[i] -= value
        if row[0] == 0:
            del total[key]


def summed(states: Iterable, adds: Callable) -> Tally:
    """The sum of ``adds(state)`` over ``states`` in one pass: a tally of states kept by no ``Shares``."""
    total: Tally = {}
    for state in states:
        _add(total, adds(state), 1)
    return total
