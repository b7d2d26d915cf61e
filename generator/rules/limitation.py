"""Rule 10 (v2): the limitation period (诉讼时效) of each charge, and the events that set it.

Each charge is its own claim with its own clock (民法典第一百八十八条), which
starts at its due date. Events interrupt a clock and start it again
(第一百九十五条), but only a clock that is still running:

- a demand made for the creditor with proof (a contact whose purpose is a
  demand, with evidence, that reached the owner; or a letter returned from
  the owner's confirmed service address, 诉讼时效规定第八条), a court filing;
- the owner's acknowledgment: a promise made in such a demand, or a plan.
  ``covers: all`` acknowledges every charge due before it, even one whose
  period has run out (诉讼时效规定第十九条: agreeing to pay a barred debt
  takes the defence away); ``in_time`` acts as a demand;
- a payment piece towards this charge (partial performance, 第十四条);
- the notice of assignment of an opening item (第十七条).

No interruption carries a claim past 20 years from its due date
(第一百八十八条第二款). Every function here is pure.
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

from generator.core.dates import add_years
from generator.core.model import (
    FAILED_OUTCOMES,
    Contact,
    LimitationRule,
    Payment,
    Plan,
    Policy,
    Unit,
)
from generator.speed.records import Record

DEMAND_OUTCOMES = frozenset({"reached", "promised", "refused", "disputed", "delivered"})
INTERRUPTING_OUTCOMES = DEMAND_OUTCOMES  # the name the rest of the desk has used for these outcomes
LETTER_CHANNELS = frozenset({"letter", "registered_mail", "lawyer_letter"})
MAX_YEARS = 20  # 第一百八十八条第二款
OK, WARNING, EXPIRED = "ok", "warning", "expired"
SEVERITY = {None: 0, OK: 1, WARNING: 2, EXPIRED: 3}

# Interruption kinds
DEMAND, PROMISE, PLAN, PAYMENT, ASSIGNMENT, COURT = "demand", "promise", "plan", "payment", "assignment", "court"
ACKNOWLEDGING = frozenset({PROMISE, PLAN})


class Interruption(Record):
    """An event that may restart a charge's clock, with what proves it.

    Two interruptions are the same event when date, kind, evidence and reach
    agree: where the entry stands in the files (its ``source``) is left out,
    so moving an entry between files changes no chain.
    """

    date: date
    kind: str  # demand | promise | plan | payment | assignment | court
    evidence: str
    covers_all: bool = False  # acknowledges every charge due before it, barred ones included
    source: object = None  # the Contact, Plan, Payment or Opening; not compared

    def _event(self) -> tuple:
        return (self.date, self.kind, self.evidence, self.covers_all)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._event() == other._event()

    def __hash__(self) -> int:
        return hash(self._event())

    @property
    def acknowledges(self) -> bool:
        """The owner's own agreement to pay (a promise or a plan)."""
        return self.kind in ACKNOWLEDGING


class ChargeLimitation(Record):
    start: date  # the day the clock last (re)started: the due date or the last interruption
    interruption: Interruption | None  # the event that set the expiry; None: the clock runs from the due date
    expiry: date
    status: str
    chain: tuple[Interruption, ...] = ()  # every event that interrupted this charge, in date order
    capped: bool = False  # the 20-year cap set the expiry

    @property
    def barred(self) -> bool:
        """Past limitation: never threatened with a suit, its late fee not claimed."""
        return self.status == EXPIRED

    def interrupted_by(self, source: object) -> bool:
        """Whether this record (a Plan, a Contact) interrupted the charge: a plan or promise then *covers* it."""
        return any(event.source is source for event in self.chain)


def made_for_creditor(contact: Contact, policy: Policy) -> bool:
    """Rule 10: a demand counts only when made by or for the creditor."""
    return contact.party == "creditor" or policy.issuer_may_demand(contact.date)


# Why a contact interrupts nothing (``contact_standing``); the site and letters word these in Chinese.
NOT_A_DEMAND, NO_EVIDENCE, NOT_THROUGH, NOT_FOR_CREDITOR = "not_a_demand", "no_evidence", "not_through", "not_for_creditor"


def contact_standing(contact: Contact, unit: Unit, policy: Policy) -> str | None:
    """None when the contact is a demand rule 10 counts; else why not (one of the constants above)."""
    if contact.purpose != "demand":
        return NOT_A_DEMAND
    if not contact.evidence.strip():
        return NO_EVIDENCE
    if contact.outcome not in DEMAND_OUTCOMES and not (
        contact.outcome in FAILED_OUTCOMES and contact.channel in LETTER_CHANNELS and unit.address_confirmed_on(contact.date)
    ):  # 诉讼时效规定第八条第一款第二项: a letter sent to the address the owner confirmed "should have arrived"
        return NOT_THROUGH
    if not made_for_creditor(contact, policy):
        return NOT_FOR_CREDITOR
    return None


def arrival(contact: Contact) -> date:
    """The day a demand takes effect: a letter's recorded ``delivered_on`` when later than its sending (诉讼时效规定
    第八条第一款第二项: it interrupts when it reaches the owner, so one sent in time but arriving late is late);
    the contact's own day otherwise (a call, a visit, a filing, or a letter whose delivery was not recorded)."""
    if contact.channel in LETTER_CHANNELS and contact.delivered_on is not None and contact.delivered_on > contact.date:
        return contact.delivered_on
    return contact.date


def contact_event(contact: Contact, unit: Unit, policy: Policy) -> Interruption | None:
    """What a contact is for the limitation period, or None when it interrupts nothing."""
    if contact_standing(contact, unit, policy) is not None:
        return None
    if contact.outcome == "promised":
        return Interruption(contact.date, PROMISE, contact.evidence, contact.covers == "all", contact)
    return Interruption(arrival(contact), COURT if contact.channel == "court" else DEMAND, contact.evidence, False, contact)


def plan_event(plan: Plan) -> Interruption:
    return Interruption(plan.signed, PLAN, f"分期付款协议（{plan.signed} 签订）", plan.covers == "all", plan)


def _event_order(event: Interruption) -> tuple:
    return (event.date, not event.covers_all)  # same day: acknowledgments of everything first


def unit_interruptions(policy: Policy, unit: Unit, contacts: Sequence[Contact], plans: Sequence[Plan], as_of: date) -> tuple[Interruption, ...]:
    """The events of the unit that may interrupt any of its charges, in the order rule 10 takes them."""
    events = [e for c in contacts if c.date <= as_of for e in (contact_event(c, unit, policy),) if e is not None and e.date <= as_of]
    events += [plan_event(p) for p in plans if p.signed <= as_of]
    events.sort(key=_event_order)
    return tuple(events)


def payment_event(payment: Payment, settled: date) -> Interruption:
    """Partial performance on the day a piece of the payment settled the charge (rule 4's settlement date:
    credit that waited settles a later charge on its issue date); the payment is the evidence."""
    return Interruption(settled, PAYMENT, payment.receipt, False, payment)


def run_clock(due: date, events: Sequence[Interruption], years: int, before: date | None = None) -> tuple[date, Interruption | None, tuple[Interruption, ...], bool]:
    """(expiry, the event it runs from, the events that interrupted, capped) from ``events`` dated after ``due`` and before ``before``.

    ``events`` must be in rule 10's order (``_event_order``).
    """
    expiry = add_years(due, years)
    chain: list[Interruption] = []
    for event in events:
        day = event.date
        if before is not None and day >= before:
            break
        if day <= due:
            continue
        if event.covers_all or expiry >= day:  # a running clock, or the owner agreed to pay even a barred charge
            expiry = add_years(day, years)
            chain.append(event)
    cap = add_years(due, MAX_YEARS)
    capped = expiry > cap
    return (cap if capped else expiry), (chain[-1] if chain else None), tuple(chain), capped


class UnitClock(Record):
    """The unit-wide events, ready to run the clock of any of its charges."""

    events: tuple[Interruption, ...]
    years: int

    def charge_events(self, due: date, own: Sequence[Interruption]) -> Sequence[Interruption]:
        """The unit's events and the charge's own (``own`` in date order, as ``own_events`` gives them)."""
        if not own:
            return self.events
        if not self.events:
            return own
        return sorted((*self.events, *own), key=_event_order)

    def may_have_expired(self, due: date, day: date) -> bool:
        """False when a charge due on ``due`` cannot be expired on ``day``: no interruption shortens a clock."""
        return add_years(due, self.years) < day

    def expired_on(self, due: date, own: Sequence[Interruption], day: date) -> bool:
        """Rule 4's test: is the charge expired on ``day``, with only the events dated before it?"""
        if not self.may_have_expired(due, day):
            return False
        expiry = run_clock(due, self.charge_events(due, own), self.years, before=day)[0]
        return expiry < day

    def limitation(self, due: date, own: Sequence[Interruption], rule: LimitationRule, as_of: date) -> ChargeLimitation:
        expiry, last, chain, capped = run_clock(due, self.charge_events(due, own), self.years, before=None)
        return ChargeLimitation(last.date if last else due, last, expiry, status_of(expiry, rule, as_of), chain, capped)


def status_of(expiry: date, rule: LimitationRule, as_of: date) -> str:
    if expiry < as_of:
        return EXPIRED
    if (expiry - as_of).days <= rule.warn_days:
        return WARNING
    return OK


def worst(statuses) -> str | None:
    result = None
    for status in statuses:
        if SEVERITY[status] > SEVERITY[result]:
            result = status
    return result
