"""Complaints (issue 16): which are open on a day, which hold a lawyer letter, which periods are disputed, and their sentences.

A complaint is open from ``opened`` until ``resolved`` (``Complaint.open_on``). While it is open and
younger than the policy's ``hold_lawyer_days`` it holds the lawyer letter and every step past the
notice stage (``followup``). The periods an open complaint names in ``disputed`` are shown apart on the
unit page and statements; a charge is disputed when its months meet a disputed period's months.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from generator.core import labels
from generator.core.model import Complaint, ComplaintRule


def open_complaints(complaints: tuple[Complaint, ...], as_of: date) -> tuple[Complaint, ...]:
    """The complaints open on ``as_of`` (opened by then, not resolved by then), oldest first."""
    return tuple(sorted((c for c in complaints if c.open_on(as_of)), key=lambda c: c.opened))


def latest_confirmed(complaints: tuple[Complaint, ...], as_of: date) -> Complaint | None:
    """The complaint whose resolution the owner confirmed last, on or before ``as_of``."""
    confirmed = [c for c in complaints if c.confirmed is not None and c.confirmed <= as_of
                 and c.resolved is not None and c.resolved <= as_of]
    return max(confirmed, key=lambda c: (c.confirmed, c.opened), default=None)


def holds_lawyer(complaint: Complaint, rule: ComplaintRule, as_of: date) -> bool:
    """An open complaint younger than ``hold_lawyer_days``: no lawyer letter, no escalation past the notice stage."""
    return complaint.open_on(as_of) and (as_of - complaint.opened).days < rule.hold_lawyer_days


def complaint_title(complaint: Complaint) -> str:
    """维修“楼上漏水”: the category's label and what the owner said."""
    return f"{labels.COMPLAINT_CATEGORY.get(complaint.category, complaint.category)}“{complaint.said}”"


def complaint_summary(complaint: Complaint, as_of: date) -> str:
    """维修“楼上漏水”（王经理负责，已 12 天）: what a collector needs to know of an open complaint."""
    handler = f"{complaint.owner}负责，" if complaint.owner else ""
    return f"{complaint_title(complaint)}（{handler}已 {(as_of - complaint.opened).days} 天）"


def complaint_hold_why(complaint: Complaint, rule: ComplaintRule, as_of: date) -> str:
    """Why a lawyer letter (or any step past the notice stage) is held: the queue and the unit page print it."""
    until = complaint.opened + timedelta(days=rule.hold_lawyer_days)
    promised = f"，承诺 {complaint.promised} 前解决" if complaint.promised else ""
    return (f"投诉 {complaint.opened} 提出尚未解决{promised}；投诉未解决且不满 {rule.hold_lawyer_days} 天，"
            f"暂缓律师函等进一步催缴（至 {until}）")


_PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:~(\d{4})-(\d{2}))?$")


def months(period: str) -> tuple[int, int] | None:
    """2026-07~2026-09 -> (first, last) month as year*12+month-1; None for a period of another shape (期初欠费's text)."""
    match = _PERIOD.match(period.strip())
    if match is None:
        return None
    y1, m1, y2, m2 = match.groups()
    first = int(y1) * 12 + int(m1) - 1
    last = int(y2) * 12 + int(m2) - 1 if y2 else first
    return first, last


def disputed_periods(complaints: tuple[Complaint, ...], as_of: date) -> tuple[str, ...]:
    """The periods the complaints open on ``as_of`` dispute, in the order written, each once."""
    return tuple(dict.fromkeys(p for c in complaints if c.open_on(as_of) for p in c.disputed))


def is_disputed(period: str, disputed: tuple[str, ...]) -> bool:
    """A charge's period meets one of the disputed periods (the same text, or months in common)."""
    span = months(period)
    for other in disputed:
        if other.strip() == period.strip():
            return True
        theirs = months(other)
        if span is not None and theirs is not None and span[0] <= theirs[1] and theirs[0] <= span[1]:
            return True
    return False
