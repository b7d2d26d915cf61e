"""What one unit's page shows, derived from its computed state (pure; presentation is in templates).

The page keeps recent and unpaid items in full and folds charges settled
more than half a year ago into one row per year. Every folded row carries the
late fee of its charges (and how much of it is barred), so the rows shown
always add up to the unit's late fee card; each payment lists the charges it
settled, folded or not.

Rule 10 on the page: the unpaid overdue charges grouped by the chain of
events that interrupted them (charges with the same chain and status share
a row, which keeps a 5,000-unit site small), the settled charges whose late
fee is barred with the event that set their expiry, and for each contact and
plan in the log whether it interrupted anything and, if not, why.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from msgspec.structs import replace

from generator.core.model import Contact, Payment, Plan, Policy, Unit
from generator.core.money import ZERO
from generator.rules.engine import ChargeState, UnitState
from generator.rules.limitation import (
    NO_EVIDENCE,
    NOT_THROUGH,
    PAYMENT,
    SEVERITY,
    Interruption,
    contact_standing,
)

HISTORY_DAYS = 183  # half a year in full: a monthly payer's page stays small on a 5,000-unit site
SETTLES_LISTED = 3  # a payment that settled more charges than this shows them per item, first to last period


@dataclass(frozen=True, slots=True)
class ChargeRow:
    c: ChargeState
    settled: date | None  # the day the last piece settled it, for a charge fully settled
    days_late: int  # for a settled charge: days after its due day it was settled (0: on time)
    status: str | None  # limitation status of an unpaid overdue charge


@dataclass(frozen=True, slots=True)
class YearSummary:
    year: int
    count: int
    amount: Decimal
    late_fee: Decimal  # the late fee of the folded charges (rule 6, before late-fee waivers)
    late_fee_barred: Decimal = ZERO  # of it, the late fee of charges past limitation (not claimed)


@dataclass(frozen=True, slots=True)
class Settled:
    text: str  # item and period(s)
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentRow:
    p: Payment
    settles: tuple[Settled, ...]
    to_credit: Decimal  # what of it settled nothing yet (prepaid); a late-fee payment is never credit


@dataclass(frozen=True, slots=True)
class EventLink:
    """An event of a charge's chain, and the anchor of its entry in the page's list of events."""

    event: Interruption
    anchor: str


@dataclass(frozen=True, slots=True)
class LimitationRow:
    """Unpaid overdue charges that share one chain of interruptions and one status (rule 10)."""

    charges: str  # item and period(s)
    count: int
    unpaid: Decimal
    late_fee: Decimal  # their late fee (barred with them when expired)
    status: str
    expiry_from: date
    expiry_to: date  # == expiry_from when the charges expire on one day
    chain: tuple[EventLink, ...]  # the events that interrupted them, in date order (the last set the expiry)
    capped: bool  # the 20-year cap (民法典第一百八十八条第二款) set the expiry


@dataclass(frozen=True, slots=True)
class BarredFee:
    """Settled charges of one item whose late fee is past limitation (rule 6), with the event that set
    their expiry: one row for those whose last event was their own payment (the usual case), else one per event."""

    charges: str  # item and period(s)
    count: int
    late_fee: Decimal
    expiry_from: date
    expiry_to: date
    set_by: Interruption | None  # the event that set the expiry; None: the clock ran from the due date
    own_payment: bool  # each charge's expiry was set by its own payment (set_by is then the first one's, or None for several)
    capped: bool


@dataclass(frozen=True, slots=True)
class ContactNote:
    """What a contact in the log did to the limitation periods."""

    standing: tuple[str, ...]  # why it interrupts nothing (limitation.contact_standing, and the next reason); () when it counts
    interrupted: int  # charges whose clock it restarted
    missed: int  # unpaid charges due before it that were already expired on its date: not revived
    covers_all: bool  # a promise that acknowledged every charge, barred ones included


@dataclass(frozen=True, slots=True)
class PlanNote:
    """What a plan did to the limitation periods and the late fee."""

    interrupted: int  # charges it covers (whose clock it restarted)
    missed: int
    frozen: int  # charges whose late fee stopped at its signing (late_fee: freeze, plan kept)


@dataclass(frozen=True, slots=True)
class UnitHistory:
    charges: tuple[ChargeRow, ...]  # newest first
    older_charges: tuple[YearSummary, ...]
    payments: tuple[PaymentRow, ...]  # newest first
    older_payments: tuple[YearSummary, ...]
    late_fee_shown: Decimal  # late fees of the rows shown in full
    late_fee_folded: Decimal  # late fees of the folded rows
    late_fee_waived: Decimal
    limitation: tuple[LimitationRow, ...] = ()  # unpaid overdue charges, expired first
    events: tuple[EventLink, ...] = ()  # every event in those rows' chains, once, by date
    barred_fees: tuple[BarredFee, ...] = ()  # settled charges whose late fee is barred, by due date
    timeline: tuple[tuple[Contact, ContactNote], ...] = ()  # the contact log, newest first, with what each did
    plans: tuple[tuple[Plan, PlanNote], ...] = ()


def _charge_row(c: ChargeState) -> ChargeRow:
    settled = None
    days_late = 0
    if c.unpaid == 0 and c.pieces:
        settled = max(p.settled for p in c.pieces)
        days_late = max(0, (settled - c.charge.due).days)
    return ChargeRow(c, settled, days_late, c.limitation_status)


def _settles(pieces: list[tuple[ChargeState, Decimal]]) -> tuple[Settled, ...]:
    if len(pieces) <= SETTLES_LISTED:
        return tuple(Settled(f"{c.charge.item} {c.charge.period}".rstrip(), amount) for c, amount in pieces)
    by_item: dict[str, list[tuple[ChargeState, Decimal]]] = {}
    for c, amount in pieces:
        by_item.setdefault(c.charge.item, []).append((c, amount))
    out = []
    for item, group in by_item.items():
        first, last = group[0][0].charge.period, group[-1][0].charge.period
        span = first if first == last else f"{first} 至 {last}"
        out.append(Settled(f"{item} {span}（{len(group)} 笔）", sum((a for _, a in group), ZERO)))
    return tuple(out)


def _charges_text(charges: list[ChargeState]) -> str:
    """Item and periods of some charges: each one when few, else first to last period per item."""
    if len(charges) <= SETTLES_LISTED:
        return "、".join(f"{c.charge.item} {c.charge.period}".rstrip() for c in charges)
    by_item: dict[str, list[ChargeState]] = {}
    for c in charges:
        by_item.setdefault(c.charge.item, []).append(c)
    out = []
    for item, group in by_item.items():
        first, last = group[0].charge.period, group[-1].charge.period
        out.append(f"{item} {first}".rstrip() if len(group) == 1 else f"{item} {first} 至 {last}（{len(group)} 笔）")
    return "、".join(out)


def limitation_rows(state: UnitState) -> tuple[tuple[LimitationRow, ...], tuple[EventLink, ...]]:
    """The unpaid overdue charges grouped by (chain of interruptions, status, cap), expired first, then by
    expiry; and the events of their chains, once each, in date order."""
    groups: dict[tuple, list[ChargeState]] = {}
    for c in state.charges:
        if c.limitation_status is not None:
            limit = c.limitation
            groups.setdefault((limit.chain, limit.status, limit.capped), []).append(c)
    anchors: dict[Interruption, EventLink] = {}  # by value: a payment's event is made anew for each charge it settled
    for event in sorted({e for key in groups for e in key[0]}, key=lambda e: (e.date, e.kind, e.evidence)):
        anchors[event] = EventLink(event, f"cj-e{len(anchors) + 1}")
    rows = []
    for (chain, status, capped), charges in groups.items():
        expiries = [c.limitation.expiry for c in charges]
        rows.append(LimitationRow(
            _charges_text(charges), len(charges), sum((c.unpaid for c in charges), ZERO),
            sum((c.late_fee.amount for c in charges if c.late_fee), ZERO), status, min(expiries), max(expiries),
            tuple(anchors[e] for e in chain), capped,
        ))
    rows.sort(key=lambda r: (-SEVERITY[r.status], r.expiry_from))
    return tuple(rows), tuple(anchors.values())


def barred_fees(state: UnitState) -> tuple[BarredFee, ...]:
    """Settled charges whose late fee is past limitation, by item, then by the event that set the expiry."""
    groups: dict[tuple, list[ChargeState]] = {}
    for c in state.charges:
        if c.unpaid == 0 and c.late_fee_barred and c.late_fee is not None and c.late_fee.amount > 0:
            event = c.limitation.interruption
            own = event is not None and event.kind == PAYMENT
            groups.setdefault((c.charge.item, own, None if own else event, c.limitation.capped), []).append(c)
    rows = []
    for (_item, own, event, capped), charges in groups.items():
        expiries = [c.limitation.expiry for c in charges]
        rows.append(BarredFee(
            _charges_text(charges), len(charges), sum((c.late_fee.amount for c in charges), ZERO), min(expiries), max(expiries),
            charges[0].limitation.interruption if (not own or len(charges) == 1) else None, own, capped,
        ))
    return tuple(rows)


def why_not(contact: Contact, unit: Unit, policy: Policy) -> tuple[str, ...]:
    """Why a contact interrupts nothing: contact_standing's reason, and for one without evidence also the next
    (a call nobody answered lacks more than evidence). () when it counts, or when it records a payment
    (the payment itself is what counts)."""
    first = contact_standing(contact, unit, policy)
    if first is None or contact.outcome == "paid":
        return ()
    if first != NO_EVIDENCE:
        return (first,)
    second = contact_standing(replace(contact, evidence="-"), unit, policy)
    return (first,) if second is None else (second, first) if second == NOT_THROUGH else (first, second)


def event_notes(state: UnitState, policy: Policy | None) -> tuple[list[ContactNote], list[PlanNote]]:
    """For each contact and plan of the unit (in its order): the charges it interrupted, the unpaid ones it could
    not revive, and why not."""
    interrupted: dict[int, int] = {}
    for c in state.charges:
        if c.limitation is not None:
            for event in {id(e.source) for e in c.limitation.chain}:
                interrupted[event] = interrupted.get(event, 0) + 1
    owed = [c for c in state.charges if c.limitation_status is not None]  # in charge order: by due date
    dues = [c.charge.due for c in owed]

    def missed(source, day: date) -> int:
        return sum(1 for c in owed[:bisect_left(dues, day)] if not c.limitation.interrupted_by(source))

    contacts = []
    for contact in state.contacts:
        standing = why_not(contact, state.unit, policy) if policy is not None else ()
        counts = not standing and contact.outcome != "paid"
        covers_all = counts and contact.outcome == "promised" and contact.covers == "all"
        contacts.append(ContactNote(standing, interrupted.get(id(contact), 0), missed(contact, contact.date) if counts else 0, covers_all))
    plans = []
    for plan in state.plans:
        frozen = sum(1 for c in state.charges if c.late_fee_frozen == plan.signed and c.limitation.interrupted_by(plan))
        plans.append(PlanNote(interrupted.get(id(plan), 0), missed(plan, plan.signed), frozen))
    return contacts, plans


def unit_history(state: UnitState, as_of: date, policy: Policy | None = None) -> UnitHistory:
    """``policy``: to say why a contact interrupts nothing (without it, contacts carry no such note)."""
    cutoff = as_of - timedelta(days=HISTORY_DAYS)
    recent: list[ChargeRow] = []
    older: dict[int, list] = {}
    shown_fee = folded_fee = ZERO
    by_payment: dict[int, list[tuple[ChargeState, Decimal]]] = {}
    for c in state.charges:
        for piece in c.pieces:
            if piece.by_payment:
                by_payment.setdefault(id(piece.source), []).append((c, piece.amount))
    for c in reversed(state.charges):
        fee = c.late_fee.amount if c.late_fee else ZERO
        if c.unpaid > 0 or c.charge.due >= cutoff:
            recent.append(_charge_row(c))
            shown_fee += fee
        else:
            row = older.setdefault(c.charge.due.year, [0, ZERO, ZERO, ZERO])
            row[0] += 1
            row[1] += c.charge.amount
            row[2] += fee
            if c.late_fee_barred:
                row[3] += fee
            folded_fee += fee
    payments: list[PaymentRow] = []
    older_payments: dict[int, list] = {}
    for p in sorted(state.payments, key=lambda p: (p.date, p.seq), reverse=True):
        if p.date >= cutoff:
            pieces = by_payment.get(id(p), [])
            credit = ZERO if p.designation and p.for_late_fee else p.amount - sum((a for _, a in pieces), ZERO)
            payments.append(PaymentRow(p, _settles(pieces), credit))
        else:
            row = older_payments.setdefault(p.date.year, [0, ZERO, ZERO])
            row[0] += 1
            row[1] += p.amount
    contact_notes, plan_notes = event_notes(state, policy)
    rows, events = limitation_rows(state)
    return UnitHistory(
        charges=tuple(recent),
        older_charges=tuple(YearSummary(y, *older[y]) for y in sorted(older, reverse=True)),
        payments=tuple(payments),
        older_payments=tuple(YearSummary(y, *older_payments[y]) for y in sorted(older_payments, reverse=True)),
        late_fee_shown=shown_fee, late_fee_folded=folded_fee, late_fee_waived=state.late_fee_waived,
        limitation=rows, events=events, barred_fees=barred_fees(state),
        timeline=tuple(zip(state.contacts, contact_notes))[::-1], plans=tuple(zip(state.plans, plan_notes)),
    )
