"""Forms to hand out or have signed: 送达地址确认书, 调解申请书, 授权委托书, 债权转让通知书 (issue 15).

Each is a ``letters.Letter`` rendered like every letter (``print_run``). Who gets which form on a day:

- ``address`` (送达地址确认书, one per unit): a unit in arrears that has reached the policy's first
  stage that sends a letter, or a later one, and has no ``service_address`` confirmed by the day.
  The owner fills in an address, phone, e-mail or WeChat and ticks consent to electronic service;
  the signed form is recorded back as the unit's ``service_address`` (诉讼时效规定第八条: a letter
  returned from that address still counts). It asks for no money, so it is made on any day.
- ``mediation`` (调解申请书, one per unit): a unit in arrears at the policy's last stage with an
  amount to claim in time: the creditor applies to the court's pre-suit mediation or a people's
  mediation committee (民事诉讼法第一百二十五条); the application interrupts limitation
  (诉讼时效规定第十二条). None for a unit already before a court (``before_court``). It claims what the evidence list claims: principal in time, the late fee
  only where ``letters.claims_late_fee``; barred charges never.
- ``authority`` (授权委托书, one per community): the creditor is not the issuer and no
  authorisation covers the day, or the one that does ends within ``RENEW_DAYS`` and none is recorded to
  follow it: a new one for the creditor to sign, from the first day none covers, recorded back as an
  ``authorisations`` entry whose ``document`` is the form's 文号.
- ``assignment`` (债权转让通知书, one per unit): a unit with opening items, unpaid and still in time,
  that have no ``assignment_notified``: the previous manager (name left blank, the data has none)
  and the creditor tell the owner the claim has passed (民法典第五百四十六条); the day it arrives is
  recorded back as those items' ``assignment_notified`` (诉讼时效规定第十七条).
"""
from __future__ import annotations

from datetime import date, timedelta

from generator.core.model import Person, Policy, Unit
from generator.core.money import ZERO, to_capitals
from generator.printing.letters import (
    Letter,
    agency,
    arrears_context,
    claims_late_fee,
    deadline_days,
    demands,
    doc_no,
    held_by_complaint,
    letter_laws,
)
from generator.rules.billing import KIND_OPENING
from generator.rules.engine import Desk, UnitState

FORM_TITLES = {
    "address": "送达地址确认书",
    "mediation": "调解申请书",
    "authority": "授权委托书",
    "assignment": "债权转让通知书",
}
FORM_PREFIXES = {"address": "SD", "mediation": "TJ", "authority": "SQ", "assignment": "ZR"}
RENEW_DAYS = 30  # an authorisation ending within this many days of the as-of day gets a renewal form


def form_no(kind: str, as_of: date, unit: str | None) -> str:
    """The form's 文号: its prefix, the day, the unit (``SD-20261122-1-1-101``)."""
    return f"{FORM_PREFIXES[kind]}-{as_of:%Y%m%d}" + (f"-{unit}" if unit else "")


def party_address(person: Person, unit: Unit, policy: Policy, day: date) -> str:
    """Where a court or mediator reaches an owner: the confirmed service address, else the owner's own, else the unit."""
    if unit.address_confirmed_on(day):
        return unit.service_address.address
    return person.address or f"{policy.community} {unit.id}"


def _form(desk: Desk, laws, kind: str, state: UnitState | None, **context) -> Letter:
    """A form's letter record; ``context["total"]``, when given, is its amount in the manifest."""
    unit = state.unit.id if state else None
    number = form_no(kind, desk.as_of, unit)
    title = FORM_TITLES[kind]
    conditions = context.pop("conditions", {})
    context = {
        "policy": desk.policy, "issuer": desk.policy.issuer, "as_of": desk.as_of, "kind": kind,
        "laws": letter_laws(laws, kind, **conditions), "doc_no": number, "title": title,
        "claimant": desk.policy.creditor if not desk.policy.issuer_is_creditor else desk.policy.issuer,
    } | agency(desk.policy, desk.as_of) | ({"s": state, "u": state.unit} if state else {}) | context
    return Letter(kind, number, unit, title, f"{kind}/{number}.pdf", context.get("total"), f"{kind}.html.j2", context)


def before_court(state: UnitState) -> bool:
    """Whether a court already has the unit's arrears: a ``court`` contact after its oldest unpaid charge fell due
    (a 支付令 applied for, a suit filed); charges due since are added to that case, not mediated apart."""
    since = state.oldest_due
    return any(c.channel == "court" and (since is None or c.date > since) for c in state.contacts)


def _first_letter_stage(policy: Policy) -> int | None:
    return next((i for i, s in enumerate(policy.dunning) if s.letter), None)


def address_forms(desk: Desk, laws) -> list[Letter]:
    """A 送达地址确认书 for each unit in arrears at a letter stage or later without a confirmed service address."""
    policy = desk.policy
    first = _first_letter_stage(policy)
    if first is None:
        return []
    order = {s.id: i for i, s in enumerate(policy.dunning)}
    out = []
    for state in desk.units:
        if not state.in_arrears or state.stage is None or order.get(state.stage.id, -1) < first:
            continue
        if state.unit.address_confirmed_on(desk.as_of):
            continue
        out.append(_form(desk, laws, "address", state))
    return out


def mediation_forms(desk: Desk, laws) -> list[Letter]:
    """A 调解申请书 for each unit in arrears at the policy's last stage with something in time to claim, unless a
    young open complaint holds the unit's escalation (``letters.held_by_complaint``)."""
    policy = desk.policy
    if not policy.dunning:
        return []
    last = policy.dunning[-1].id
    late_fee = claims_late_fee(policy)
    out = []
    for state in desk.units:
        if not state.in_arrears or state.stage is None or state.stage.id != last or before_court(state):
            continue
        if held_by_complaint(state, policy, desk.as_of):
            continue
        arrears = arrears_context(desk, state, deadline_days(desk, "mediation"), late_fee=late_fee)
        if arrears["total"] <= 0:
            continue
        parties = [(p, party_address(p, state.unit, policy, desk.as_of)) for p in state.unit.owners]
        conditions = {"late_fee": arrears["late_fee_basis"] is not None, "barred": arrears["barred"] > 0}
        out.append(_form(desk, laws, "mediation", state, conditions=conditions,
                         parties=parties, demands=demands(state, policy), **arrears,
                         evidence_no=doc_no("evidence", desk.as_of, state.unit.id)))
    return out


def authority_forms(desk: Desk, laws) -> list[Letter]:
    """One 授权委托书 for the community when the creditor is not the issuer and no authorisation covers the
    day or the one in force ends within ``RENEW_DAYS`` days with none recorded to follow it; it starts on the
    first day none covers."""
    policy = desk.policy
    if policy.issuer_is_creditor:
        return []
    horizon = desk.as_of + timedelta(days=RENEW_DAYS)
    start, current = desk.as_of, None
    while (following := policy.authorisation_on(start)) is not None:  # one already signed to follow counts
        if following.valid_until is None or following.valid_until > horizon:
            return []
        start, current = following.valid_until + timedelta(days=1), following
    previous = sorted((a for a in policy.authorisations if a != current), key=lambda a: a.valid_from)
    return [_form(desk, laws, "authority", None, current=current, start=start, previous=previous)]


def assignment_forms(desk: Desk, laws) -> list[Letter]:
    """A 债权转让通知书 for each unit whose unpaid opening items in time have no ``assignment_notified``."""
    out = []
    for state in desk.units:
        items = [c for c in state.charges if c.charge.kind == KIND_OPENING and c.unpaid > 0
                 and c.charge.assignment_notified is None]
        due = [c for c in items if not (c.limitation and c.limitation.barred)]
        if not due:
            continue
        total = sum((c.unpaid for c in due), ZERO)
        barred = sum((c.unpaid for c in items if c not in due), ZERO)
        out.append(_form(desk, laws, "assignment", state, total=total, items=due, total_capitals=to_capitals(total),
                         barred=barred, conditions={"barred": barred > 0}))
    return out


def form_letters(desk: Desk, laws) -> list[Letter]:
    """The forms of the day (see the module's docstring for who gets which)."""
    return address_forms(desk, laws) + mediation_forms(desk, laws) + authority_forms(desk, laws) + assignment_forms(desk, laws)
