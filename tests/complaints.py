"""Two communities with complaints (issue 16), for the rules, views, letters and site tests that share them.

One unit at the lawyer-letter step (``lawyer_community``, ``with_complaints``): billed 200.00 a month from
2026-01 (due on the 15th), two notices delivered in March, so on AS_OF (2026-06-01, 137 days after the oldest
charge fell due) its ladder step is the lawyer letter. Complaints are built as records (``complaint``) and put
on the loaded ledger.

Five units counted by hand (``complaint_desk``), for the complaints page. Fee: 2.00/m² a month on 100 m², due
on the 15th from 2026-01: by COMPLAINT_DESK_AS_OF (2026-11-20) each unit owes 11 × 200 = 2,200.

    unit     paid    complaints (opened → resolved, handler, promised)
    1-1-101  0       repair 10-01 open, 张工, promised 10-15 · cleaning 03-10 → 03-20 (10 days), confirmed 03-21
    1-1-102  1,000   parking 11-05 open, 李主任 · legacy 11-10 → 11-18 (8 days)
    1-1-103  2,200   noise 09-01 open, 张工, promised 12-01
    1-1-104  0       fees 11-19 → 11-20 (1 day) · other 11-25 (after as_of: not counted)
    1-1-105  0       repair 2025-10-10 → 2026-01-05 (87 days)
"""
from __future__ import annotations

from datetime import date

import msgspec
from msgspec.structs import replace

from generator.core.diagnostics import Pos
from generator.core.model import Complaint, ComplaintRule, ComplaintUpdate
from generator.rules.engine import Desk, compute
from tests.community import Community, fixture_value

# -- one unit at the lawyer-letter step ---------------------------------------------------------------------------

AS_OF = date(2026, 6, 1)
UNIT = "1-1-101"


def complaint(opened: str, **extra) -> Complaint:
    """A repair complaint about a leak handled by 王经理, opened on ``opened``; ``extra``: resolved, confirmed, ..."""
    values = {"category": "repair", "said": "楼上漏水", "owner": "王经理", "pos": Pos(f"owners/{UNIT}.yaml", 9, 5)} | extra
    dates = {k: date.fromisoformat(v) if isinstance(v, str) and k in ("resolved", "confirmed", "promised") else v for k, v in values.items()}
    return Complaint(opened=date.fromisoformat(opened), **dates)


def lawyer_community(root, **policy) -> Community:
    """The unit at the lawyer-letter step on AS_OF (see the module's docstring)."""
    c = Community(root, dunning=fixture_value("dunning"), **policy)
    c.unit(UNIT)
    c.contact(UNIT, "2026-03-01", "registered_mail", "delivered", evidence="EMS-1")
    c.contact(UNIT, "2026-03-20", "registered_mail", "delivered", evidence="EMS-2")
    return c


def with_complaints(c: Community, as_of: date, complaints: dict[str, tuple[Complaint, ...]], rule: ComplaintRule | None = None) -> Desk:
    """The community's desk on ``as_of`` with these complaints in its units' owner files (and ``rule`` in its policy)."""
    checked = c.checked(as_of)
    assert not checked.errors, [p.render() for p in checked.errors]
    ledger = checked.ledger
    units = tuple(replace(u, complaints=complaints.get(u.id, u.complaints)) for u in ledger.units)
    policy = ledger.policy if rule is None else replace(ledger.policy, complaints=rule)
    return compute(replace(ledger, units=units, policy=policy), as_of)


# -- five units counted by hand -----------------------------------------------------------------------------------

COMPLAINT_DESK_AS_OF = "2026-11-20"


def _counted(opened: str, category: str, owner: str = "张工", said: str = "业主反映的问题", **extra) -> Complaint:
    days = {k: date.fromisoformat(v) if k in ("promised", "resolved", "confirmed") else v for k, v in extra.items()}
    return Complaint(date.fromisoformat(opened), category, said, owner, Pos("owners/x.yaml", 1, 1), **days)


COMPLAINTS = {
    "1-1-101": (_counted("2026-10-01", "repair", said="卫生间漏水 [点此](https://x.example) <b>", promised="2026-10-15",
                         updates=(ComplaintUpdate(date(2026, 10, 8), "师傅上门查看", "张工"),)),
                _counted("2026-03-10", "cleaning", resolved="2026-03-20", confirmed="2026-03-21")),
    "1-1-102": (_counted("2026-11-05", "parking", "李主任"), _counted("2026-11-10", "legacy", resolved="2026-11-18")),
    "1-1-103": (_counted("2026-09-01", "noise", promised="2026-12-01"),),
    "1-1-104": (_counted("2026-11-19", "fees", resolved="2026-11-20"), _counted("2026-11-25", "other")),
    "1-1-105": (_counted("2025-10-10", "repair", resolved="2026-01-05"),),
}


def complaint_desk(root) -> Desk:
    """The five units as of COMPLAINT_DESK_AS_OF, their complaints put on the units (the reading of
    ``complaints:`` is tested under tests/reading/)."""
    c = Community(root)
    for unit_id in COMPLAINTS:
        c.unit(unit_id)
    c.payment("1-1-102", "2026-06-01", "1000.00")
    c.payment("1-1-103", "2026-06-01", "2200.00")
    desk = c.desk(COMPLAINT_DESK_AS_OF)
    units = tuple(msgspec.structs.replace(s, unit=msgspec.structs.replace(s.unit, complaints=COMPLAINTS[s.unit.id]))
                  for s in desk.units)
    return msgspec.structs.replace(desk, units=units)
