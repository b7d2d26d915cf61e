"""Rule 8: the dunning stage a unit has reached, from time overdue and the contacts made."""
from __future__ import annotations

from datetime import date

from generator.core.model import FAILED_OUTCOMES, Contact, Stage


def fulfils(contact: Contact, stage: Stage, oldest_due: date, as_of: date) -> bool:
    """Rule 8: a demand (v2: not a service visit) on one of the stage's channels, since the oldest charge fell due, that got through."""
    return (
        contact.purpose == "demand"
        and contact.channel in stage.channels
        and oldest_due < contact.date <= as_of
        and contact.outcome not in FAILED_OUTCOMES
    )


def fulfilment_counts(stages: tuple[Stage, ...], contacts: tuple[Contact, ...], oldest_due: date, as_of: date) -> dict[str, int]:
    return {s.id: sum(1 for c in contacts if fulfils(c, s, oldest_due, as_of)) for s in stages}


def requirements_met(stage: Stage, counts: dict[str, int]) -> bool:
    return all(counts.get(needed, 0) >= count for needed, count in stage.requires)


def current_stage(stages: tuple[Stage, ...], contacts: tuple[Contact, ...], oldest_due: date | None, as_of: date) -> Stage | None:
    """The last stage in policy order that time and the required contacts allow."""
    if oldest_due is None:
        return None
    days = (as_of - oldest_due).days
    counts = fulfilment_counts(stages, contacts, oldest_due, as_of)
    reached = None
    for stage in stages:
        if stage.after_days <= days and requirements_met(stage, counts):
            reached = stage
    return reached
