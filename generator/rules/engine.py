"""The pipeline's compute step: apply rules 1-11 to a loaded ledger as of one day.

``compute`` is a pure function of (ledger, as_of): anything dated after
``as_of`` is ignored, so any past day can be recomputed.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Callable, TypeVar

import msgspec

from generator.core.lookup import find
from generator.core.model import (
    REACHED_OUTCOMES,
    Complaint,
    Contact,
    Ledger,
    Payment,
    Plan,
    Policy,
    Stage,
    Unit,
    Waiver,
)
from generator.core.money import ZERO
from generator.rules.aging import aging
from generator.rules.allocation import Piece, allocate, credit_order, own_events
from generator.rules.billing import KIND_OPENING, Charge, unit_charges
from generator.rules.complaints import (
    disputed_periods,
    is_disputed,
    latest_confirmed,
    open_complaints,
)
from generator.rules.dunning import current_stage
from generator.rules.followup import (
    NextAction,
    PromiseState,
    next_action,
    promise_states,
)
from generator.rules.latefee import LateFeeLine, charge_late_fee, unit_late_fee
from generator.rules.limitation import (
    EXPIRED,
    ChargeLimitation,
    UnitClock,
    unit_interruptions,
    worst,
)
from generator.rules.plans import BEHIND, PlanState, latest_plan, plan_state
from generator.rules.stats import collection_rate
from generator.speed.forking import can_fork, in_two_processes
from generator.speed.gcpause import paused_gc
from generator.speed.records import Record
from generator.speed.shares import ENCODER as SHARE_ENCODER
from generator.speed.shares import Adds, NotCents, Shares, Tally, summed

T = TypeVar("T")


class ChargeState(Record):
    charge: Charge
    pieces: tuple[Piece, ...]
    unpaid: Decimal
    paid: Decimal  # settled by payments
    waived: Decimal  # settled by principal waivers
    overdue: bool
    days_overdue: int | None
    late_fee: LateFeeLine | None
    # rule 10 for unpaid overdue charges, and for paid ones whose late fee it decides; None otherwise
    limitation: ChargeLimitation | None
    late_fee_frozen: date | None = None  # a kept plan with late_fee: freeze stopped the days here (rule 6)
    disputed: bool = False  # an open complaint disputes its period (issue 16, rules.complaints.is_disputed)

    @property
    def limitation_status(self) -> str | None:
        """The limitation status of an unpaid overdue charge (a paid one has a clock only for its late fee)."""
        if self.limitation is None or self.unpaid <= 0:
            return None
        return self.limitation.status

    @property
    def late_fee_barred(self) -> bool:
        """The charge's late fee is past limitation with it (rule 6): reported apart, never claimed."""
        return self.limitation is not None and self.limitation.barred


class UnitLimitation(Record):
    earliest_expiry: date | None
    status: str | None
    expired_amount: Decimal  # unpaid overdue principal past limitation: never demanded, never threatened with a suit


class UnitState(Record):
    unit: Unit
    charges: tuple[ChargeState, ...]
    payments: tuple[Payment, ...]
    waivers: tuple[Waiver, ...]
    plans: tuple[Plan, ...]
    contacts: tuple[Contact, ...]  # dated <= as_of, by date
    charged: Decimal
    paid: Decimal
    waived: Decimal
    late_fee_waived: Decimal
    outstanding: Decimal
    not_due: Decimal
    credit: Decimal
    late_fee: Decimal
    late_fee_barred: Decimal  # late fee of charges past limitation (rule 6): not part of late_fee
    late_fee_paid: Decimal  # late-fee payments (``for: late_fee``)
    late_fee_overpaid: Decimal  # what late-fee payments paid beyond the late fee: not credit
    oldest_due: date | None
    days_overdue: int | None
    aging: dict[str, Decimal]
    stage: Stage | None
    plan: PlanState | None
    limitation: UnitLimitation
    promises: tuple[PromiseState, ...]
    next_action: NextAction
    reasons: tuple[str, ...]  # arrears reasons from the contact log, most recent first
    last_reached: date | None  # the last contact that reached the owner, or the last plan signed with them
    complaints: tuple[Complaint, ...] = ()  # opened by as_of, oldest first (issue 16)
    open_complaints: tuple[Complaint, ...] = ()  # of those, the ones not resolved by as_of
    latest_confirmed: Complaint | None = None  # the complaint whose resolution the owner confirmed last
    disputed: tuple[str, ...] = ()  # the billing periods the open complaints dispute (rules.complaints.is_disputed)

    @property
    def in_arrears(self) -> bool:
        return self.outstanding > 0

    @property
    def broken_promises(self) -> int:
        return sum(1 for p in self.promises if p.broken)


class Totals(Record):
    charged: Decimal
    paid: Decimal
    waived: Decimal
    outstanding: Decimal
    not_due: Decimal
    credit: Decimal
    late_fee: Decimal
    units_in_arrears: int
    collection_rate: Decimal | None
    late_fee_barred: Decimal = ZERO


class Desk(Record):
    """Everything computed for one day: what the site, letters and reports show."""

    as_of: date
    policy: Policy
    units: tuple[UnitState, ...]  # or ``LazyState``s, when computed with ``shares``
    totals: Totals
    # each unit's ``input_digest``, in the order of units, when ``compute`` was asked for them (the site keeps
    # the pages of units whose inputs did not change); empty otherwise
    digests: tuple[str, ...] = ()
    shares: Shares | None = None  # what each unit adds to the all-unit figures, kept between builds

    def unit(self, unit_id: str) -> UnitState | None:
        return find(self.units, unit_id, key=lambda state: state.unit.id)

    def tally(self, name: str, adds: Callable[[UnitState], Adds]) -> Tally:
        """The sum over the units of ``adds(state)`` (``speed.shares``): key -> [units adding to it, *sums]. ``name``
        names ``adds`` with every argument it is made with besides the state (those the shares' context covers)."""
        if self.shares is not None:
            try:
                return self.shares.tally(name, self.units, adds)
            except NotCents:  # a value with more than two decimals: summed afresh, as without shares
                pass
        return summed(self.units, adds)


class UnitCore(Record):
    """The few figures of a unit the all-unit lists sort, filter and count by: kept between builds (``LazyState``)."""

    outstanding: Decimal
    late_fee: Decimal
    late_fee_barred: Decimal
    oldest_due: date | None
    days_overdue: int | None
    stage: int | None  # its place in the policy's dunning stages
    limitation: UnitLimitation
    reasons: tuple[str, ...]
    last_reached: date | None
    aging: dict[str, Decimal]
    next_action: NextAction


def unit_core(state: UnitState, policy: Policy) -> UnitCore:
    return UnitCore(state.outstanding, state.late_fee, state.late_fee_barred, state.oldest_due, state.days_overdue,
                    None if state.stage is None else policy.dunning.index(state.stage), state.limitation, state.reasons,
                    state.last_reached, state.aging, state.next_action)


_CORE = msgspec.msgpack.Decoder(UnitCore)
_CORE_FIELDS = frozenset(UnitCore.__struct_fields__) | {"in_arrears"}
_NO_COMPLAINTS = {"complaints": (), "open_complaints": (), "latest_confirmed": None, "disputed": ()}


class LazyState:
    """A unit's state, computed only when something asks for more than what the last build kept of it.

    Reads like a ``UnitState``. ``unit`` is its input; the ``UnitCore`` figures and every ``share`` are taken
    from the parts the last build kept for the same inputs (``speed.shares``); anything else computes the
    state (``unit_state``), which is then the answer to everything. Equal inputs, equal state: the shares'
    context covers the policy, as_of and code, the digest the unit's own inputs.
    """

    __slots__ = ("args", "digest", "parts", "_state", "_core", "_values")

    def __init__(self, args: tuple, digest: str, parts: dict) -> None:
        self.args, self.digest, self.parts = args, digest, parts
        self._state: UnitState | None = None
        self._core: UnitCore | None = None
        self._values: dict = {}

    @property
    def unit(self) -> Unit:
        return self.args[1]

    @property
    def state(self) -> UnitState:
        if self._state is None:
            self._state = unit_state(*self.args)
            self.core  # kept for the next build, which may need only that  # noqa: B018
        return self._state

    @property
    def core(self) -> UnitCore:
        if self._core is None:
            self._core = self.share("core", _CORE, lambda state: unit_core(state, self.args[0]))
        return self._core

    def share(self, name: str, decoder: msgspec.msgpack.Decoder, make: Callable[[UnitState], T]) -> T:
        """``make(state)``, or the value the last build kept under ``name`` for these inputs (then decoded)."""
        if name in self._values:
            return self._values[name]
        raw = self.parts.get(name)
        value = None
        if raw is not None:
            try:
                value = decoder.decode(raw)
            except (msgspec.DecodeError, ValueError, TypeError):
                value = None
        if value is None:
            value = make(self.state)
            self.parts[name] = msgspec.Raw(SHARE_ENCODER.encode(value))  # kept for the next build by ``Shares.save``
        self._values[name] = value
        return value

    def __getattr__(self, name: str):
        if name.startswith("__"):  # a protocol asked of the object (Jinja's ``__html__``): a state has none either
            raise AttributeError(name)
        if self._state is None:
            if name in _CORE_FIELDS:
                core = self.core
                if name == "in_arrears":
                    return core.outstanding > 0
                if name == "stage":
                    return None if core.stage is None else self.args[0].dunning[core.stage]
                return getattr(core, name)
            if name in _NO_COMPLAINTS and not self.unit.complaints:
                return _NO_COMPLAINTS[name]
        return getattr(self.state, name)


def share(state, name: str, decoder: msgspec.msgpack.Decoder, make: Callable[[UnitState], T]) -> T:
    """``make(state)``; for a ``LazyState``, what the last build kept of it for the same inputs. ``name`` names
    ``make`` with every argument it is made with besides the state (those the shares' context covers)."""
    if type(state) is LazyState:
        return state.share(name, decoder, make)
    return make(state)


def _by_unit(records, as_of: date, date_of) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for record in records:
        if date_of(record) <= as_of:
            grouped[record.unit].append(record)
    return grouped


def compute(ledger: Ledger, as_of: date, digests: bool = False, shares: Shares | None = None) -> Desk:
    """``digests``: also each unit's ``input_digest`` (0.3 s at 5,000 units, so only for who uses them).

    ``shares``: what the last build kept of each unit (``speed.shares``, made for this policy and as_of): the
    units are ``LazyState``s, and only those whose inputs changed are computed, when something asks.
    """
    with paused_gc():  # millions of records and no cycles: the collector would only slow it down
        return _compute(ledger, as_of, digests or shares is not None, shares)


def _compute(ledger: Ledger, as_of: date, digests: bool, shares: Shares | None) -> Desk:
    inputs = unit_inputs(ledger, as_of)
    keys = tuple(map(input_digest, inputs)) if digests else ()
    if shares is not None:
        lazy = tuple(LazyState(args, key, shares.unit_parts(args[1].id, key)) for args, key in zip(inputs, keys))
        desk = Desk(as_of, ledger.policy, lazy, Totals(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, 0, None), keys, shares)
        return msgspec.structs.replace(desk, totals=totals_of(desk))
    states = [unit_state(*args) for args in inputs]
    desk = Desk(as_of, ledger.policy, tuple(states), Totals(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, 0, None), keys)
    return msgspec.structs.replace(desk, totals=totals_of(desk))


def _fraction(value):
    if isinstance(value, Fraction):
        return (value.numerator, value.denominator)
    raise NotImplementedError(type(value))


RECORD_ENCODER = msgspec.msgpack.Encoder(enc_hook=_fraction)  # records to digest (a Fraction as its two integers)


def input_digest(args: tuple) -> str:
    """SHA-256 of one unit's own arguments to ``unit_state`` (``unit_inputs``): its record with contacts and
    complaints, payments, waivers, one-off charges and plans. The policy and as_of, the same for every unit,
    are left out: whoever compares digests compares those apart. Equal digests, equal states."""
    return hashlib.sha256(RECORD_ENCODER.encode(args[1:6])).hexdigest()


def unit_inputs(ledger: Ledger, as_of: date) -> list[tuple]:
    """unit_state's arguments for every unit, in ledger order."""
    policy = ledger.policy
    payments = _by_unit(ledger.payments, as_of, lambda p: p.date)
    waivers = _by_unit(ledger.waivers, as_of, lambda w: w.date)
    charges = _by_unit(ledger.charges, as_of, lambda c: c.issued)
    plans = _by_unit(ledger.plans, as_of, lambda p: p.signed)
    return [
        (policy, unit, payments.get(unit.id, []), waivers.get(unit.id, []), charges.get(unit.id, []), plans.get(unit.id, []), as_of)
        for unit in ledger.units
    ]


def unit_state(policy: Policy, unit: Unit, payments: list[Payment], waivers: list[Waiver], extra, plans: list[Plan], as_of: date) -> UnitState:
    charges = unit_charges(unit, policy.fees, extra, as_of)
    contacts = tuple(sorted((c for c in unit.contacts if c.date <= as_of), key=lambda c: c.date))
    clock = UnitClock(unit_interruptions(policy, unit, contacts, plans, as_of), policy.limitation.years)
    late_fee_payments = [p for p in payments if p.designation and p.for_late_fee]
    principal_payments = [p for p in payments if not p.designation or not p.for_late_fee] if late_fee_payments else payments
    principal_waivers = [w for w in waivers if w.applies_to == "principal"]
    allocation = allocate(charges, credit_order(principal_payments, principal_waivers), clock)
    # rule 6: a plan with late_fee: freeze stops the days of the charges it covers while it is not behind
    freezing = [p for p in plans if p.late_fee == "freeze" and plan_state(p, payments, as_of).status != BEHIND]

    states: list[ChargeState] = []
    outstanding = not_due = ZERO
    overdue_rows: list[tuple[int, Decimal]] = []
    oldest_due: date | None = None
    late_rule = policy.late_fee
    rule = policy.limitation
    claimable: list[LateFeeLine] = []  # rule 6: the late fee of charges not past limitation
    late_fee_barred = ZERO
    complaints = tuple(sorted((c for c in unit.complaints if c.opened <= as_of), key=lambda c: c.opened)) if unit.complaints else ()
    disputed = disputed_periods(complaints, as_of) if complaints else ()
    for charge, pieces, unpaid in zip(charges, allocation.pieces, allocation.unpaid):
        due = charge.due
        overdue = due < as_of
        days = (as_of - due).days if overdue else None
        late = charge_late_fee(late_rule, charge, pieces, unpaid, as_of) if late_rule and (late_rule.on_opening or charge.kind != KIND_OPENING) else None
        limit = None
        frozen = None
        # rule 10 for what is owed, and for a paid charge's late fee once its clock may have run out
        if overdue and (unpaid > 0 or (late is not None and late.amount > 0 and (freezing or clock.may_have_expired(due, as_of)))):
            limit = clock.limitation(due, own_events(charge, pieces, as_of), rule, as_of)
            if late is not None and late.amount > 0 and freezing:
                frozen = min((p.signed for p in freezing if limit.interrupted_by(p)), default=None)
                if frozen is not None:
                    late = charge_late_fee(late_rule, charge, pieces, unpaid, as_of, frozen)
        if late is not None:
            if limit is not None and limit.status == EXPIRED:
                late_fee_barred += late.amount
            else:
                claimable.append(late)
        if unpaid > 0:
            if overdue:
                outstanding += unpaid
                overdue_rows.append((days, unpaid))
                if oldest_due is None or due < oldest_due:
                    oldest_due = due
            else:
                not_due += unpaid
        paid = waived = ZERO
        for piece in pieces:
            if piece.by_payment:
                paid += piece.amount
            else:
                waived += piece.amount
        states.append(ChargeState(charge, pieces, unpaid, paid, waived, overdue, days, late, limit, frozen,
                                  bool(disputed) and is_disputed(charge.period, disputed)))

    limits = [s for s in states if s.overdue and s.unpaid > 0]
    limitation = UnitLimitation(
        earliest_expiry=min((s.limitation.expiry for s in limits), default=None),
        status=worst(s.limitation.status for s in limits),
        expired_amount=sum((s.unpaid for s in limits if s.limitation.status == EXPIRED), ZERO),
    )
    late_fee_waived = sum((w.amount for w in waivers if w.applies_to == "late_fee"), ZERO)
    late_fee_paid = sum((p.amount for p in late_fee_payments), ZERO)
    late_fee = late_fee_overpaid = ZERO
    if policy.late_fee:
        late_fee = unit_late_fee(claimable, late_fee_waived + late_fee_paid)
        beyond = late_fee_waived + late_fee_paid - sum((line.amount for line in claimable), ZERO)
        late_fee_overpaid = min(beyond, late_fee_paid) if beyond > 0 else ZERO
    else:
        late_fee_overpaid = late_fee_paid
    stage = current_stage(policy.dunning, contacts, oldest_due, as_of)
    plan = latest_plan(plans, payments, as_of)
    promises = promise_states(contacts, payments, as_of)
    action = next_action(
        stages=policy.dunning, stage=stage, contacts=contacts, oldest_due=oldest_due,
        outstanding=outstanding, plan=plan, promises=promises, as_of=as_of,
        authority=None if policy.issuer_may_demand(as_of) else policy, barred=limitation.expired_amount,
        complaints=complaints, complaint_rule=policy.complaints,
    )
    reasons: list[str] = []
    for contact in reversed(contacts):
        if contact.reason and contact.reason not in reasons:
            reasons.append(contact.reason)
    # a plan is signed with the owner: as much a contact that got through as a call that did
    last_reached = max([c.date for c in contacts if c.outcome in REACHED_OUTCOMES] + [p.signed for p in plans if p.signed and p.signed <= as_of],
                       default=None)
    return UnitState(
        unit=unit, charges=tuple(states), payments=tuple(payments), waivers=tuple(waivers), plans=tuple(plans),
        contacts=contacts,
        charged=sum((c.amount for c in charges), ZERO),
        paid=sum((p.amount for p in payments), ZERO),
        waived=sum((w.amount for w in principal_waivers), ZERO),
        late_fee_waived=late_fee_waived,
        outstanding=outstanding, not_due=not_due, credit=allocation.credit, late_fee=late_fee,
        late_fee_barred=late_fee_barred, late_fee_paid=late_fee_paid, late_fee_overpaid=late_fee_overpaid,
        oldest_due=oldest_due, days_overdue=(as_of - oldest_due).days if oldest_due else None,
        aging=aging(overdue_rows), stage=stage, plan=plan, limitation=limitation,
        promises=tuple(promises), next_action=action, reasons=tuple(reasons), last_reached=last_reached,
        complaints=complaints, open_complaints=open_complaints(complaints, as_of),
        latest_confirmed=latest_confirmed(complaints, as_of), disputed=disputed,
    )


def totals_of(desk: Desk) -> Totals:
    """The totals, from ``totals_adds`` of every unit (``Desk.tally``: only the changed units' for a kept desk)."""
    as_of = desk.as_of
    row = desk.tally(f"totals {as_of}", lambda state: {(): totals_part(state, as_of)}).get((), None)
    if row is None:  # no unit
        return sum_totals([])
    _, charged, paid, waived, outstanding, not_due, credit, late_fee, arrears, amount, rate_paid, rate_waived, barred = row
    return Totals(charged=charged, paid=paid, waived=waived, outstanding=outstanding, not_due=not_due, credit=credit,
                  late_fee=late_fee, units_in_arrears=arrears, collection_rate=collection_rate([(amount, rate_paid, rate_waived)]),
                  late_fee_barred=barred)


def totals_part(state: UnitState, as_of: date) -> tuple:
    """What one unit adds to the totals, as plain values (a forked helper sends these back)."""
    year_start = date(as_of.year, 1, 1)
    amount = paid = waived = ZERO
    for c in state.charges:
        if year_start <= c.charge.due <= as_of:  # rule 11's window
            amount += c.charge.amount
            paid += c.paid
            waived += c.waived
    return (state.charged, state.paid, state.waived, state.outstanding, state.not_due, state.credit, state.late_fee,
            1 if state.outstanding > 0 else 0, amount, paid, waived, state.late_fee_barred)


def sum_totals(parts: list[tuple]) -> Totals:
    def total(i: int) -> Decimal:
        return sum((p[i] for p in parts), ZERO)

    return Totals(
        charged=total(0), paid=total(1), waived=total(2), outstanding=total(3), not_due=total(4), credit=total(5),
        late_fee=total(6), units_in_arrears=sum(p[7] for p in parts), collection_rate=collection_rate([p[8:11] for p in parts]),
        late_fee_barred=total(11),
    )


# Below this many units, one process computes everything (a fork and its pipe cost more than they save).
PARALLEL_MIN_UNITS = 1000


def summaries(ledger: Ledger, as_of: date, summarise: Callable[[UnitState], T]) -> tuple[list[T], Totals]:
    """``summarise(state)`` of every unit (in ledger order) and the totals, without keeping the states.

    For outputs that need a few values per unit (the reports): on a large
    community a forked helper computes the second half of the units and
    sends back only their summaries, so two cores share the work. The
    numbers are those of ``compute``: the same ``unit_state`` and totals.
    """
    def part(inputs: list[tuple]) -> list[tuple]:
        out = []
        for args in inputs:
            state = unit_state(*args)
            out.append((summarise(state), totals_part(state, as_of)))
        return out

    with paused_gc():
        inputs = unit_inputs(ledger, as_of)
        if len(inputs) >= PARALLEL_MIN_UNITS and can_fork():
            half = len(inputs) // 2
            rows, theirs = in_two_processes(lambda: part(inputs[:half]), lambda: part(inputs[half:]))
            rows += theirs if theirs is not None else part(inputs[half:])
        else:
            rows = part(inputs)
    return [r[0] for r in rows], sum_totals([r[1] for r in rows])
