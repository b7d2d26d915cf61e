"""Rule 10: the limitation period (诉讼时效) of each unpaid overdue charge.

Each billing period is its own debt with its own clock (民法典第一百八十八条);
a proven demand, the owner's acknowledgement or a plan interrupts every
clock of the unit (第一百九十五条); a payment towards a charge interrupts
that charge's clock (诉讼时效规定第十四条).

The spec's rule 10 counts every such event, even one that came after the
period had already run out. The law does not: only a running period can be
interrupted (第一百九十五条), and once it has run out only the owner's own
agreement to pay or payment takes the defence away (第一百九十二条第二款,
诉讼时效规定第十九条). ``lapsed`` marks the charges the rule still counts as
running although a demand came too late; letters and scripts treat them as
past limitation, the JSON keeps the rule's figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import add_years
from .model import Contact, LimitationRule, Plan
from .records import speed_up

INTERRUPTING_OUTCOMES = frozenset({"reached", "promised", "refused", "disputed", "delivered"})
OK, WARNING, EXPIRED = "ok", "warning", "expired"
SEVERITY = {None: 0, OK: 1, WARNING: 2, EXPIRED: 3}


@dataclass(frozen=True, slots=True)
class Interruption:
    """An event that restarts the clock, with what proves it."""

    date: date
    kind: str  # contact | plan | payment
    evidence: str
    acknowledges: bool = False  # the owner's own agreement to pay (a promise, a plan, a payment)


@dataclass(frozen=True, slots=True)
class ChargeLimitation:
    last: date
    interruption: Interruption | None  # None: the clock runs from the due date
    expiry: date
    status: str
    lapsed: bool = False  # rule 10 says running, but the period ran out before a later demand (see above)
    lapsed_on: date | None = None  # when it ran out, if lapsed

    @property
    def barred(self) -> bool:
        """Past limitation, by the rule or because it lapsed: never threatened with a suit."""
        return self.status == EXPIRED or self.lapsed


def unit_interruptions(contacts: tuple[Contact, ...], plans: list[Plan], as_of: date) -> list[Interruption]:
    events = [
        Interruption(c.date, "contact", c.evidence, c.outcome == "promised")
        for c in contacts
        if c.date <= as_of and c.evidence.strip() and c.outcome in INTERRUPTING_OUTCOMES
    ]
    events += [Interruption(p.signed, "plan", f"分期付款协议（{p.signed} 签订）", True) for p in plans if p.signed <= as_of]
    return events


def charge_limitation(due: date, events: list[Interruption], rule: LimitationRule, as_of: date) -> ChargeLimitation:
    latest: Interruption | None = None
    for event in events:
        if event.date > due and (latest is None or event.date > latest.date):
            latest = event
    last = latest.date if latest else due
    expiry = add_years(last, rule.years)
    if expiry < as_of:
        status = EXPIRED
    elif (expiry - as_of).days <= rule.warn_days:
        status = WARNING
    else:
        status = OK
    if status == EXPIRED or latest is None:
        return ChargeLimitation(last, latest, expiry, status)
    lawful = lawful_expiry(due, events, rule.years)
    if lawful < as_of:
        return ChargeLimitation(last, latest, expiry, status, True, lawful)
    return ChargeLimitation(last, latest, expiry, status)


def lawful_expiry(due: date, events: list[Interruption], years: int) -> date:
    """The expiry when only a running period can be interrupted, and after it ran out only the owner's agreement counts."""
    expiry = add_years(due, years)
    for event in sorted((e for e in events if e.date > due), key=lambda e: e.date):
        if event.date <= expiry or event.acknowledges:
            expiry = add_years(event.date, years)
    return expiry


def worst(statuses) -> str | None:
    result = None
    for status in statuses:
        if SEVERITY[status] > SEVERITY[result]:
            result = status
    return result


speed_up(__name__)  # the same frozen records, built 2x faster (see records.py)
