"""The JSON report of the spec, and its readable terminal form."""
from __future__ import annotations

import json
from decimal import Decimal

from .aging import BUCKET_NAMES
from .engine import Desk, UnitState
from .money import fmt


def _money(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def unit_json(state: UnitState) -> dict:
    return {
        "unit": state.unit.id,
        "outstanding": fmt(state.outstanding),
        "not_due": fmt(state.not_due),
        "credit": fmt(state.credit),
        "late_fee": fmt(state.late_fee),
        "oldest_due": state.oldest_due.isoformat() if state.oldest_due else None,
        "days_overdue": state.days_overdue,
        "aging": {name: fmt(state.aging[name]) for name in BUCKET_NAMES},
        "stage": state.stage.id if state.stage else None,
        "plan": state.plan.status if state.plan else None,
        "limitation": {
            "earliest_expiry": state.limitation.earliest_expiry.isoformat() if state.limitation.earliest_expiry else None,
            "status": state.limitation.status,
            "expired_amount": fmt(state.limitation.expired_amount),
        },
        "next_action": {
            "kind": state.next_action.kind,
            "date": state.next_action.date.isoformat() if state.next_action.date else None,
            "text": state.next_action.text,
        },
        "reasons": list(state.reasons),
    }


def desk_json(desk: Desk) -> dict:
    t = desk.totals
    return {
        "as_of": desk.as_of.isoformat(),
        "totals": {
            "charged": fmt(t.charged),
            "paid": fmt(t.paid),
            "waived": fmt(t.waived),
            "outstanding": fmt(t.outstanding),
            "not_due": fmt(t.not_due),
            "credit": fmt(t.credit),
            "late_fee": fmt(t.late_fee),
            "units_in_arrears": t.units_in_arrears,
            "collection_rate": None if t.collection_rate is None else str(t.collection_rate),
        },
        "units": [unit_json(s) for s in sorted(desk.units, key=lambda s: s.unit.id)],
    }


def to_json(desk: Desk) -> str:
    return json.dumps(desk_json(desk), ensure_ascii=False, indent=2) + "\n"
