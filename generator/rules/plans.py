"""Rule 9: how an installment plan (分期付款协议) stands."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from generator.core.model import Payment, Plan
from generator.core.money import ZERO
from generator.speed.records import Record

COMPLETED, BEHIND, ON_TRACK = "completed", "behind", "on_track"


class PlanState(Record):
    plan: Plan
    status: str
    paid: Decimal  # payments dated on or after signing, up to as_of
    due_so_far: Decimal  # installments due before as_of
    next_installment: tuple[date, Decimal] | None  # the first installment not yet covered by payments


def plan_state(plan: Plan, payments: list[Payment], as_of: date) -> PlanState:
    paid = sum((p.amount for p in payments if plan.signed <= p.date <= as_of), ZERO)
    due_so_far = sum((i.amount for i in plan.installments if i.due < as_of), ZERO)
    if paid >= plan.total:
        status = COMPLETED
    elif paid < due_so_far:
        status = BEHIND
    else:
        status = ON_TRACK
    covered = paid
    upcoming = None
    for step in sorted(plan.installments, key=lambda i: i.due):
        if covered >= step.amount:
            covered -= step.amount
            continue
        upcoming = (step.due, step.amount - covered)
        break
    return PlanState(plan, status, paid, due_so_far, upcoming)


def latest_plan(plans: list[Plan], payments: list[Payment], as_of: date) -> PlanState | None:
    """The unit's plan is its latest signed plan (ties: the one loaded last)."""
    signed = [p for p in plans if p.signed <= as_of]
    if not signed:
        return None
    latest = max(signed, key=lambda p: (p.signed, p.seq))
    return plan_state(latest, payments, as_of)
