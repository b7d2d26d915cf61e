"""The JSON report of the spec."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from generator.core.inert import json_text
from generator.core.model import Ledger
from generator.core.money import fmt
from generator.rules.aging import BUCKET_NAMES
from generator.rules.engine import ChargeState, Desk, Totals, UnitState, summaries


def _money(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def unit_json(state: UnitState) -> dict:
    return {
        "unit": state.unit.id,
        "outstanding": fmt(state.outstanding),
        "not_due": fmt(state.not_due),
        "credit": fmt(state.credit),
        "late_fee": fmt(state.late_fee),
        "late_fee_barred": fmt(state.late_fee_barred),
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
        "charges": [charge_json(c) for c in state.charges if c.limitation_status is not None],
        "next_action": {
            "kind": state.next_action.kind,
            "date": state.next_action.date.isoformat() if state.next_action.date else None,
            "text": state.next_action.text,
        },
        "reasons": list(state.reasons),
    }


def charge_json(c: ChargeState) -> dict:
    """An unpaid overdue charge: its expiry and the event that set it (a paid charge's barred late fee is in the unit's late_fee_barred)."""
    limit = c.limitation
    event = limit.interruption
    return {
        "item": c.charge.item,
        "period": c.charge.period,
        "due": c.charge.due.isoformat(),
        "amount": fmt(c.charge.amount),
        "unpaid": fmt(c.unpaid),
        "late_fee": fmt(c.late_fee.amount) if c.late_fee else "0.00",
        "expiry": limit.expiry.isoformat(),
        "status": limit.status,
        "capped": limit.capped,
        "set_by": None if event is None else {"date": event.date.isoformat(), "kind": event.kind, "evidence": event.evidence},
    }


def desk_json(desk: Desk) -> dict:
    return _report(desk.as_of, desk.totals, [unit_json(s) for s in desk.units])


def _report(as_of, t: Totals, units: list[dict]) -> dict:
    return {
        "as_of": as_of.isoformat(),
        "totals": {
            "charged": fmt(t.charged),
            "paid": fmt(t.paid),
            "waived": fmt(t.waived),
            "outstanding": fmt(t.outstanding),
            "not_due": fmt(t.not_due),
            "credit": fmt(t.credit),
            "late_fee": fmt(t.late_fee),
            "late_fee_barred": fmt(t.late_fee_barred),
            "units_in_arrears": t.units_in_arrears,
            "collection_rate": None if t.collection_rate is None else str(t.collection_rate),
        },
        "units": sorted(units, key=lambda u: u["unit"]),
    }


def to_json(desk: Desk) -> str:
    return _dumps(desk_json(desk))


def ledger_json(ledger: Ledger, as_of: date) -> str:
    """The same report straight from the ledger: only each unit's summary is kept (see engine.summaries)."""
    units, totals = summaries(ledger, as_of, unit_json)
    return _dumps(_report(as_of, totals, units))


def _dumps(report: dict) -> str:
    """Indented at the top, one line per unit: readable, and written by json's C encoder
    (``indent`` makes json use its pure-Python encoder, 2 s for 5,000 units); no raw control character (``json_text``)."""
    units = ",\n".join("    " + json.dumps(u, ensure_ascii=False, separators=(", ", ": ")) for u in report["units"])
    head = {k: v for k, v in report.items() if k != "units"}
    text = json.dumps(head, ensure_ascii=False, indent=2)[:-2]  # without the closing "\n}"
    return json_text(text + (",\n" if head else "\n") + '  "units": [\n' + units + ("\n" if units else "") + "  ]\n}\n")
