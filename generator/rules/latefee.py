"""Rule 6: the late fee (违约金) of a charge, from how long each piece of it was late."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from generator.core.model import LateFee
from generator.core.money import CENT, ZERO
from generator.rules.allocation import Piece
from generator.rules.billing import Charge
from generator.speed.records import Record


class LateFeeLine(Record):
    """How one charge's late fee came about, for the statement and the letters."""

    principal_days: Decimal  # sum of (principal x days late)
    uncapped: Decimal  # daily_rate x principal_days, before the cap
    cap: Decimal  # cap x amount
    amount: Decimal  # rounded, capped late fee
    capped: bool


_NO_DAYS = Decimal(0)


def days_late(settled: date, due: date, grace_days: int) -> int:
    return max(0, (settled - due).days - grace_days)


def charge_late_fee(rule: LateFee, charge: Charge, pieces: tuple[Piece, ...], unpaid: Decimal, as_of: date, frozen: date | None = None) -> LateFeeLine:
    """The charge's late fee; ``frozen``: a kept plan with ``late_fee: freeze`` stops the days at its signing (rule 6)."""
    due, grace_days = charge.due, rule.grace_days
    principal_days = _NO_DAYS
    if frozen is None:
        for piece in pieces:  # days_late, inlined: this runs for every piece of every charge
            late = (piece.settled - due).days - grace_days
            principal_days += piece.amount * (late if late > 0 else 0)
    else:
        for piece in pieces:
            late = (min(piece.settled, frozen) - due).days - grace_days
            principal_days += piece.amount * (late if late > 0 else 0)
        as_of = min(as_of, frozen)
    if unpaid > 0:
        principal_days += unpaid * days_late(as_of, due, grace_days)
    uncapped = rule.daily_rate * principal_days
    cap = rule.cap * charge.amount
    capped = uncapped > cap
    smaller = uncapped if uncapped < cap else cap  # min(cap, uncapped)
    return LateFeeLine(principal_days, uncapped, cap, smaller.quantize(CENT, rounding=ROUND_HALF_UP), capped)  # round_cents


def unit_late_fee(lines: list[LateFeeLine], reduced: Decimal) -> Decimal:
    """max(0, sum of the charges' late fees - late-fee waivers and payments); barred charges' lines are not given."""
    total = sum((line.amount for line in lines), ZERO)
    return max(ZERO, total - reduced)
