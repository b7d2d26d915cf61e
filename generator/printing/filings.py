"""Court filings for households at the court stage: 支付令申请书 and 民事起诉状, and the cover note of the
evidence list (issue 15).

Each is a ``letters.Letter`` rendered like every letter (``print_run``). Who files and what is claimed:

- filings are made for every household in arrears at the policy's last dunning stage (as the
  evidence list, ``letters.evidence_letters``), whether or not an authorisation covers the day: they
  are the creditor's own papers, not the issuer's demands;
- the claimant (申请人 / 原告) is the creditor (``policy.creditor``, else the issuer), with its address,
  representative and credit code, blanks where the policy has none; the respondents (被申请人 / 被告)
  are the unit's owners, their ID numbers always blank (the data holds none), their address the
  ``service_address`` the owner confirmed on or before the day, else the unit itself;
- the claim is the unpaid principal still in time (rule 10: barred charges are never claimed), plus
  the late fee only where the policy names the agreement it rests on (``letters.claims_late_fee``);
  a household whose every charge is barred gets no filing;
- the court is ``policy.court.name`` or a blank; the fees are ``rules.courtfees`` on the claim;
- the 起诉状 lays the ledger out period by period and gives each group of charges its limitation
  chain, the same grouping the unit page shows (``views.unitpage.limitation_rows``).

The cover note (``evidence_note``) is for the committee, never filed: what the evidence list still
needs, the contacts the list leaves out and why, and what a lawyer must check.
"""
from __future__ import annotations

from datetime import date

from generator.core.model import Organisation, Policy, Unit
from generator.printing.letters import (
    Letter,
    _common,
    arrears_context,
    claims_late_fee,
    counted_demands,
    deadline_days,
    doc_no,
    evidence_letters,
    held_by_complaint,
    hold_why,
)
from generator.rules.courtfees import FEE_NOTE, fees_for
from generator.rules.engine import Desk, UnitState
from generator.rules.limitation import EXPIRED
from generator.views.unitpage import limitation_rows

FILING_TITLES: dict[str, str] = {
    "payorder": "支付令申请书",
    "suit": "民事起诉状",
    "evidence_note": "证据目录使用说明（内部，不提交法院）",
}
FILING_PREFIXES: dict[str, str] = {"payorder": "ZFL", "suit": "QSZ", "evidence_note": "ZJSM"}
# The articles each filing cites when the legal book names no ``letter:<kind>`` context for it (ids missing
# from the book are left out).
FILING_LAWS: dict[str, tuple[str, ...]] = {
    "payorder": ("civil-procedure-225", "civil-procedure-226", "civil-procedure-227", "civil-procedure-228",
                 "civil-code-944"),
    "suit": ("civil-procedure-122", "civil-procedure-123", "civil-procedure-124", "civil-procedure-165",
             "civil-code-944", "civil-code-188", "civil-code-195"),
    "evidence_note": ("civil-code-188", "civil-code-192", "civil-code-195", "spc-limitation-8", "civil-procedure-122",
                      "civil-procedure-225"),
}

def court_stage(desk: Desk) -> list[UnitState]:
    """The households in arrears at the policy's last dunning stage."""
    if not desk.policy.dunning:
        return []
    last = desk.policy.dunning[-1].id
    return [s for s in desk.units if s.in_arrears and s.stage is not None and s.stage.id == last]


def party(org: Organisation, committee: bool) -> dict:
    """The claimant as a court form asks for it; "" where the policy has nothing (the template prints a blank)."""
    return {
        "name": org.name, "address": org.address, "phone": org.phone,
        "representative": org.representative, "credit_code": org.credit_code,
        "representative_label": "负责人" if committee else "法定代表人",
    }


def claimant(policy: Policy) -> dict:
    """The creditor (申请人 / 原告); a committee that is its own creditor names its 负责人, not a 法定代表人."""
    if policy.issuer_is_creditor:
        return party(policy.issuer, committee=True)
    return party(policy.creditor, committee=False)


def respondents(unit: Unit, policy: Policy, day: date) -> list[dict]:
    """The owners (被申请人 / 被告): name, phone, and the address the court should serve."""
    if unit.address_confirmed_on(day):
        address, confirmed = unit.service_address.address, True
    else:
        address, confirmed = f"{policy.community}{unit.id}", False
    return [{"name": o.name, "phone": o.phone, "address": address, "confirmed": confirmed} for o in unit.owners]


def filing_laws(laws, kind: str) -> tuple:
    """The articles a filing cites: the book's ``letter:<kind>`` context, else ``FILING_LAWS``."""
    if laws is None:
        return ()
    named = laws.for_context(f"letter:{kind}")
    return named or tuple(laws.article(i) for i in FILING_LAWS[kind] if laws.has(i))


def _filing(desk: Desk, laws, state: UnitState, kind: str, **extra) -> Letter:
    policy = desk.policy
    number = doc_no(kind, desk.as_of, state.unit.id, FILING_PREFIXES[kind])
    arrears = arrears_context(desk, state, deadline_days(desk, kind), late_fee=claims_late_fee(policy))
    context = _common(desk, None, kind) | arrears | {
        "laws": filing_laws(laws, kind),
        "doc_no": number, "title": FILING_TITLES[kind], "s": state, "u": state.unit,
        "claimant": claimant(policy), "respondents": respondents(state.unit, policy, desk.as_of),
        "court": policy.court.name if policy.court else "",
        "fees": fees_for(arrears["total"], policy.court), "fee_note": FEE_NOTE,
        "demands": counted_demands(state, policy),
        "statement_no": doc_no("statement", desk.as_of, state.unit.id),
        "evidence_no": doc_no("evidence", desk.as_of, state.unit.id),
    } | extra
    return Letter(kind, number, state.unit.id, FILING_TITLES[kind], f"{kind}/{number}.pdf", context["total"],
                  f"{kind}.html.j2", context)


def chain_rows(state: UnitState) -> list:
    """The limitation chains of the charges claimed (barred groups are not claimed, so not argued)."""
    rows, _events = limitation_rows(state)
    return [r for r in rows if r.status != EXPIRED]


def evidence_note(desk: Desk, laws, evidence: Letter) -> Letter:
    """The cover note of an evidence list: for the committee and its lawyer, never filed."""
    policy = desk.policy
    state = next(s for s in desk.units if s.unit.id == evidence.unit)
    number = doc_no("evidence_note", desk.as_of, evidence.unit, FILING_PREFIXES["evidence_note"])
    standing = evidence.context["contacts_standing"]
    court_events = [c for c in state.contacts if c.channel == "court"]
    context = evidence.context | {
        "laws": filing_laws(laws, "evidence_note"),
        "doc_no": number, "title": FILING_TITLES["evidence_note"], "evidence_no": evidence.doc_no,
        "payorder_no": doc_no("payorder", desk.as_of, state.unit.id, FILING_PREFIXES["payorder"]),
        "suit_no": doc_no("suit", desk.as_of, state.unit.id, FILING_PREFIXES["suit"]),
        "claimant": claimant(policy), "court": policy.court.name if policy.court else "",
        "wage_known": policy.court is not None and policy.court.average_wage is not None,
        "fees": fees_for(evidence.total, policy.court), "fee_note": FEE_NOTE,
        "to_supply": [(i, item) for i, item in enumerate(evidence.context["items"], 1) if item.missing],
        "not_counted": [(c, why) for c, why in zip(evidence.context["contacts_with_evidence"], standing) if why],
        "court_events": court_events,
        "objected": [c for c in court_events if c.outcome == "disputed"],
        "held_why": hold_why(state, policy, desk.as_of),  # no filing is made while a young complaint is open
    }
    return Letter("evidence_note", number, state.unit.id, FILING_TITLES["evidence_note"], f"evidence_note/{number}.pdf",
                  evidence.total, "evidence_note.html.j2", context)


def filing_letters(desk: Desk, laws) -> list[Letter]:
    """The filings of the day: a 支付令申请书 and a 民事起诉状 per household at the court stage with a claim in time
    and no young open complaint holding it (issue 16: every step past the notice stage waits), and the cover
    note of each evidence list (which says when filings are held)."""
    out = [evidence_note(desk, laws, e) for e in evidence_letters(desk, laws)]
    for state in court_stage(desk):
        if held_by_complaint(state, desk.policy, desk.as_of):
            continue
        payorder = _filing(desk, laws, state, "payorder")
        if payorder.total <= 0:
            continue  # everything owed is barred: nothing to claim
        out.append(payorder)
        out.append(_filing(desk, laws, state, "suit", chains=chain_rows(state)))
    return out
