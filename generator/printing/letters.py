"""Which letters a desk calls for on a day, and what each one says.

Pure: ``plan_letters(desk, laws)`` returns frozen ``Letter`` records whose
``context`` is everything the letter's template prints.  Rendering them to
PDF is ``pdf.py``'s job; writing the folder and manifest is ``print_run.py``'s.

Which letter goes to whom:
- the letter a dunning stage names (``letter: notice``) to every unit whose
  next action is to send it (do the stage, or repeat it before escalating);
- a statement (对账单) to every unit in arrears;
- an installment agreement for every unit's latest plan;
- an evidence list for every unit at the policy's last stage;
- one notice-board summary per build.

Who is owed: the policy's creditor. When it is not the issuer, every demand
says that the issuer acts for it under the authorisation in force on the
letter's day (``agency``); on a day no authorisation covers, no demand
letter (stage letter, statement) is made at all: the engine's next action is
then ``authorise`` and the queue says why.

Past limitation means ``barred`` (rule 10, limitation.py). Barred principal
is listed apart, never part of what a letter asks for, never threatened with
a suit; its late fee is the engine's ``late_fee_barred``, never claimed (the
late fee follows the principal, rule 6).

Complaints (issue 16): no lawyer letter while a complaint is open and younger than the policy's
``complaints.hold_lawyer_days`` (the engine's next action is then 先处理投诉 and the queue says why);
a notice to a household with an open complaint acknowledges it and its handler and threatens no
court (``complaints`` in its context); charges of the periods an open complaint disputes are marked
and listed apart (``disputed_lines``).

Deadlines run from receipt (收到本函之日起N日内); the printed latest date is
as-of + the policy's ``delivery_days`` + N, moved past rest days (rule 12).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from generator.core import labels
from generator.core.dates import next_workday
from generator.core.holidays import STATEMENT_DEADLINE_DAYS
from generator.core.model import Complaint, Contact, Policy
from generator.core.money import ZERO, to_capitals
from generator.rules.aging import BUCKETS
from generator.rules.allocation import own_events
from generator.rules.billing import KIND_OPENING
from generator.rules.complaints import complaint_hold_why, holds_lawyer
from generator.rules.engine import ChargeState, Desk, UnitState
from generator.rules.limitation import (
    DEMAND_OUTCOMES,
    NO_EVIDENCE,
    UnitClock,
    contact_standing,
    made_for_creditor,
    unit_interruptions,
)
from generator.rules.stats import collection_rate, year_window

TITLES = {
    "notice": "催缴通知书",
    "lawyer": "律师函（草稿）",
    "statement": "欠费明细对账单",
    "plan": "分期付款协议",
    "board": "物业费收缴情况公示",
    "evidence": "证据目录",
}
PREFIXES = {"notice": "TZ", "lawyer": "LS", "statement": "DZ", "plan": "FQ", "board": "GS", "evidence": "ZJ"}
DEFAULT_DEADLINE_DAYS = STATEMENT_DEADLINE_DAYS  # a statement's payment window when no letter stage names one
LETTER_CHANNELS = frozenset({"letter", "registered_mail", "lawyer_letter", "court"})
BOARD_MIN_UNITS = 3  # a board cell names fewer units in arrears than this only merged with others
PUBLISH_CONSENT = "publish_arrears"  # the consent a unit needs to be listed on the notice board


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str  # notice | lawyer | statement | plan | board | evidence | another stage's letter key
    doc_no: str  # stable for the same data and as-of day
    unit: str | None
    title: str
    file: str  # relative to the letters folder
    total: Decimal | None
    template: str
    context: dict = field(hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class ChargeLine:
    item: str
    period: str
    amount: Decimal
    unpaid: Decimal
    due: date
    days_overdue: int
    late_fee: Decimal
    limitation: str | None  # ok | warning | expired (rule 10)
    expiry: date | None
    barred: bool = False  # past limitation (rule 10)
    opening: bool = False  # opening arrears handed over from before (期初欠费)
    late_fee_frozen: date | None = None  # a kept plan with late_fee: freeze stopped its late fee on this day
    disputed: bool = False  # an open complaint disputes its period (issue 16)


def doc_no(kind: str, as_of: date, unit: str | None, prefix: str | None = None) -> str:
    """TZ-20261122-1-1-101: the kind's prefix (``prefix`` for kinds of other modules), the day, the unit."""
    prefix = prefix or PREFIXES.get(kind) or re.sub(r"[^A-Za-z0-9]", "", kind).upper()[:4] or "HJ"
    return f"{prefix}-{as_of:%Y%m%d}" + (f"-{unit}" if unit else "")


def _owed(c: ChargeState) -> bool:
    return c.overdue and c.unpaid > 0


def charge_lines(state: UnitState) -> list[ChargeLine]:
    """The unit's unpaid overdue charges, oldest first."""
    lines = []
    for c in state.charges:
        if not _owed(c):
            continue
        limit = c.limitation
        lines.append(ChargeLine(
            c.charge.item, c.charge.period, c.charge.amount, c.unpaid, c.charge.due, c.days_overdue or 0,
            c.late_fee.amount if c.late_fee else ZERO,
            limit.status if limit else None, limit.expiry if limit else None,
            bool(limit and limit.barred), c.charge.kind == KIND_OPENING, c.late_fee_frozen,
            c.disputed,
        ))
    return lines


def deadline_days(desk: Desk, kind: str) -> int:
    """The payment window a letter gives: its stage's deadline_days or wait_days."""
    stages = [s for s in desk.policy.dunning if s.letter == kind] if kind in _stage_letters(desk) else []
    stages = stages or [s for s in desk.policy.dunning if s.letter and (s.deadline_days or s.wait_days)]
    for stage in stages:
        if stage.deadline_days or stage.wait_days:
            return stage.deadline_days or stage.wait_days
    return DEFAULT_DEADLINE_DAYS


def _stage_letters(desk: Desk) -> set[str]:
    return {s.letter for s in desk.policy.dunning if s.letter}


def letter_deadline(policy: Policy, as_of: date, days: int) -> dict:
    """The payment window of a letter dated ``as_of``: N days from receipt (rule 12).

    The latest date printed allows for delivery: as_of + ``delivery_days`` + N, moved to the
    next working day (民法典第二百零三条) by the official schedule or the policy's ``holidays``.
    """
    arrival = as_of + timedelta(days=policy.delivery_days)
    plain = arrival + timedelta(days=days)
    deadline, exact = next_workday(plain, policy.holidays)
    return {
        "deadline": deadline,
        "deadline_days": days,
        "deadline_exact": exact,
        "deadline_moved": deadline != plain,
        "delivery_days": policy.delivery_days,
        "arrival": arrival,  # the day the letter is assumed to arrive
    }


def agency(policy: Policy, day: date) -> dict:
    """Who demands for whom on ``day``: ``agent`` when the issuer is not the creditor, with the authorisation in force."""
    agent = not policy.issuer_is_creditor
    return {
        "agent": agent,
        "authority": policy.authorisation_on(day) if agent else None,
        "creditor": policy.creditor_name,
        "creditor_party": policy.creditor if agent else None,
    }


def may_demand(desk: Desk) -> bool:
    """Whether the issuer may put the claim to owners today: it is the creditor, or an authorisation covers today."""
    return desk.policy.issuer_may_demand(desk.as_of)


def _late_fee_basis(desk: Desk) -> dict | None:
    rule = desk.policy.late_fee
    if rule is None:
        return None
    return {
        "daily_rate": rule.daily_rate,
        "daily_rate_text": _rate_text(rule.daily_rate),
        "grace_days": rule.grace_days,
        "cap_percent": format((rule.cap * 100).normalize(), "f"),
        "document": rule.basis,
        "on_opening": rule.on_opening,
    }


def claims_late_fee(policy: Policy) -> bool:
    """Whether a letter written for a suit (lawyer letter, evidence list) names the late fee: a rate and the agreement it rests on."""
    return policy.late_fee is not None and bool(policy.late_fee.basis.strip())


def _rate_text(rate: Decimal) -> str:
    """0.0003 -> 万分之三; any other rate as a percentage."""
    per_ten_thousand = rate * 10000
    if per_ten_thousand == per_ten_thousand.to_integral_value() and 0 < per_ten_thousand < 10:
        return "万分之" + "一二三四五六七八九"[int(per_ten_thousand) - 1]
    return f"{(rate * 100).normalize():f}%"


def arrears_context(desk: Desk, state: UnitState, days: int, late_fee: bool = True) -> dict:
    """What every dunning letter prints about one unit's arrears.

    Charges in time (``due_lines``) and charges past limitation (``barred_lines``) are
    listed apart. ``total`` is what the letter asks for: the unpaid principal in time
    (``suable``) and the claimable late fee (the engine's ``late_fee``, barred part
    already left out). Barred principal and its late fee (``late_fee_barred``, paid
    charges' included) are never part of it. ``late_fee=False``: the letter names no
    late fee at all (a lawyer letter without the agreement the late fee rests on).
    """
    lines = charge_lines(state)
    due_lines = [line for line in lines if not line.barred]
    barred_lines = [line for line in lines if line.barred]
    principal = sum((line.unpaid for line in lines), ZERO)
    barred = state.limitation.expired_amount
    suable = principal - barred
    rule = _late_fee_basis(desk) if late_fee else None
    claimable = state.late_fee if rule else ZERO
    total = suable + claimable
    settled = [c for c in state.charges if c.late_fee and not _owed(c)]
    barred_on_lines = sum((line.late_fee for line in barred_lines), ZERO)
    frozen = sorted({line.late_fee_frozen for line in due_lines if line.late_fee_frozen})
    disputed_lines = [line for line in due_lines if line.disputed]  # barred ones are not asked for at all
    return {
        "lines": lines,
        "due_lines": due_lines,
        "barred_lines": barred_lines,
        "principal": principal,
        "late_fee": claimable,
        "late_fee_lines": sum((line.late_fee for line in due_lines), ZERO),
        "late_fee_barred": state.late_fee_barred if rule else ZERO,
        "late_fee_barred_lines": barred_on_lines if rule else ZERO,
        "late_fee_barred_settled": (state.late_fee_barred - barred_on_lines) if rule else ZERO,
        "late_fee_opening": sum((line.late_fee for line in due_lines if line.opening), ZERO) if rule else ZERO,
        "late_fee_on_settled": sum((c.late_fee.amount for c in settled if not c.late_fee_barred), ZERO) if rule else ZERO,
        "late_fee_waived": state.late_fee_waived if rule else ZERO,
        "late_fee_paid": state.late_fee_paid if rule else ZERO,
        "late_fee_frozen": frozen,
        "late_fee_basis": rule,
        "total": total,
        "total_capitals": to_capitals(total),
        "credit": state.credit,
        "suable": suable,
        "suable_total": total,
        "barred": barred,
        "expired": barred,  # the old name, for communities' own templates
        "complaints": complaint_lines(state, desk.as_of),
        "disputed_lines": disputed_lines,
        "disputed_unpaid": sum((line.unpaid for line in disputed_lines), ZERO),
        "disputed_periods": state.disputed,
    } | letter_deadline(desk.policy, desk.as_of, days)


def complaint_lines(state: UnitState, as_of: date) -> list[dict]:
    """The unit's complaints open on ``as_of`` as a letter names them: when, what about, who handles it, by when."""
    return [
        {"opened": c.opened, "category": labels.COMPLAINT_CATEGORY.get(c.category, c.category), "said": c.said,
         "owner": c.owner, "promised": c.promised, "disputed": c.disputed}
        for c in state.open_complaints
    ]


def held_by_complaint(state: UnitState, policy: Policy, as_of: date) -> bool:
    """A complaint open and younger than ``hold_lawyer_days``: no lawyer letter to this unit today, and no court
    filing or mediation application either (every step past the notice stage is held, ``rules.complaints``)."""
    return holding_complaint(state, policy, as_of) is not None


def holding_complaint(state: UnitState, policy: Policy, as_of: date) -> Complaint | None:
    """The oldest open complaint that holds the unit's escalation today (``held_by_complaint``), if any."""
    return next((c for c in state.open_complaints if holds_lawyer(c, policy.complaints, as_of)), None)


def hold_why(state: UnitState, policy: Policy, as_of: date) -> str | None:
    """Why the unit's escalation is held today (``rules.complaints.complaint_hold_why``), or None when it is not."""
    held = holding_complaint(state, policy, as_of)
    return None if held is None else complaint_hold_why(held, policy.complaints, as_of)


def letter_laws(laws, kind: str, late_fee: bool = False, barred: bool = False, plan_barred: bool = False) -> tuple:
    """The articles a letter cites: its own context, then the late-fee and limitation ones when they apply."""
    if laws is None:
        return ()
    contexts = [f"letter:{kind}"]
    contexts += ["letter:late-fee"] if late_fee else []
    contexts += ["letter:barred"] if barred else []
    contexts += ["letter:plan-barred"] if plan_barred else []
    out: list = []
    for context in contexts:
        out += [a for a in laws.for_context(context) if a not in out]
    return tuple(out)


def _common(desk: Desk, laws, kind: str, day: date | None = None, **conditions) -> dict:
    """What every letter prints: the policy, who writes, who is owed and on whose authority (on ``day``, default as-of)."""
    return {
        "policy": desk.policy,
        "issuer": desk.policy.issuer,
        "as_of": desk.as_of,
        "laws": letter_laws(laws, kind, **conditions),
        "kind": kind,
    } | agency(desk.policy, day or desk.as_of)


def _unit_letter(desk: Desk, laws, state: UnitState, kind: str, title: str, days: int, late_fee: bool = True, **extra) -> Letter:
    number = doc_no(kind, desk.as_of, state.unit.id)
    arrears = arrears_context(desk, state, days, late_fee=late_fee)
    shows_late_fee = arrears["late_fee_basis"] is not None and kind not in ("plan", "board")
    context = _common(desk, laws, kind, late_fee=shows_late_fee, barred=arrears["barred"] > 0)
    context |= {"doc_no": number, "title": title, "s": state, "u": state.unit} | arrears | extra
    return Letter(kind, number, state.unit.id, title, f"{kind}/{number}.pdf", context["total"], f"{kind}.html.j2", context)


def is_demand(contact: Contact, state: UnitState, policy: Policy) -> bool:
    """A contact that put the claim to the owner for the creditor: a demand (purpose) that got through,
    made by or for the creditor; one without evidence is still listed (the letter says so)."""
    standing = contact_standing(contact, state.unit, policy)
    if standing is None:
        return True
    return standing == NO_EVIDENCE and contact.outcome in DEMAND_OUTCOMES and made_for_creditor(contact, policy)


def demands(state: UnitState, policy: Policy) -> list:
    """The demands made for the creditor since the oldest unpaid charge fell due, oldest first."""
    since = state.oldest_due
    return [c for c in state.contacts if (since is None or c.date > since) and is_demand(c, state, policy)]


def stage_letters(desk: Desk, laws) -> list[Letter]:
    """The letter of each unit whose next action sends one.

    None on a day the issuer may not demand, and none to a unit whose every unpaid charge is
    barred (with no claimable late fee): a demand letter would have nothing to ask for. No lawyer
    letter while a complaint is open and younger than ``hold_lawyer_days`` (issue 16).
    """
    if not may_demand(desk):
        return []
    out = []
    for state in desk.units:
        action = state.next_action
        if not state.in_arrears or not action.letter or action.kind not in ("do_stage", "repeat"):
            continue
        stage = desk.policy.stage(action.stage)
        kind = action.letter
        if kind == "lawyer" and held_by_complaint(state, desk.policy, desk.as_of):
            continue
        title = TITLES.get(kind) or (stage.name if stage else kind)
        days = (stage.deadline_days or stage.wait_days) if stage and (stage.deadline_days or stage.wait_days) else deadline_days(desk, kind)
        late_fee = claims_late_fee(desk.policy) if kind == "lawyer" else True
        letter = _unit_letter(desk, laws, state, kind, title, days, late_fee=late_fee, stage=stage, action=action,
                              demands=demands(state, desk.policy))
        if letter.total > 0:  # everything owed is barred: nothing to demand, no demand letter (the statement lists it)
            out.append(letter)
    return out


def statements(desk: Desk, laws) -> list[Letter]:
    """A statement for every unit in arrears: it asks for payment, so none on a day the issuer may not demand."""
    if not may_demand(desk):
        return []
    days = deadline_days(desk, "statement")
    return [_unit_letter(desk, laws, s, "statement", TITLES["statement"], days, history=_history(s, desk.as_of)) for s in desk.units if s.in_arrears]


STATEMENT_HISTORY_DAYS = 730


def _history(state: UnitState, as_of: date) -> dict:
    """Payments and waivers of the last two years, for the statement."""
    since = as_of - timedelta(days=STATEMENT_HISTORY_DAYS)
    return {
        "payments": sorted((p for p in state.payments if p.date >= since), key=lambda p: (p.date, p.seq)),
        "waivers": sorted((w for w in state.waivers if w.date >= since), key=lambda w: (w.date, w.seq)),
        "since": since,
    }


@dataclass(frozen=True, slots=True)
class CoveredCharge:
    """A charge an installment plan covers: overdue and unpaid on the day it was signed."""

    item: str
    period: str
    due: date
    unpaid: Decimal  # what was unpaid on the signing day
    barred: bool  # past limitation on the signing day
    covered: bool = True  # the plan acknowledges it: in time, or barred with covers: all (rule 10)


def plan_covers(state: UnitState, desk: Desk) -> list[CoveredCharge]:
    """What the unit owed when its plan was signed; a function of the data up to that day only."""
    plan = state.plan.plan
    signed = plan.signed
    clock = UnitClock(unit_interruptions(desk.policy, state.unit, state.contacts, state.plans, signed), desk.policy.limitation.years)
    out = []
    for c in state.charges:
        if c.charge.due >= signed:
            continue
        unpaid = c.charge.amount - sum((p.amount for p in c.pieces if p.settled < signed), ZERO)
        if unpaid <= 0:
            continue
        barred = clock.expired_on(c.charge.due, own_events(c.charge, c.pieces, signed), signed)
        out.append(CoveredCharge(c.charge.item, c.charge.period, c.charge.due, unpaid, barred, plan.covers == "all" or not barred))
    return out


def plan_letters(desk: Desk, laws) -> list[Letter]:
    """One agreement per plan. It prints nothing that changes after the signing day, so its bytes stay put.

    It lists the charges the plan acknowledges (``plan_covers``: with ``covers: in_time``
    a charge past limitation on the signing day is not one of them), says what the plan
    does to the late fee (``late_fee: freeze`` or ``accrue``), and who signs for the
    creditor: the issuer as its agent under the authorisation in force on the signing
    day, or, with none, the creditor itself.
    """
    out = []
    for state in desk.units:
        if state.plan is None:
            continue
        plan = state.plan.plan
        number = f"{PREFIXES['plan']}-{plan.signed:%Y%m%d}-{state.unit.id}"
        charges = plan_covers(state, desk)
        covers = [c for c in charges if c.covered]
        left_out = [c for c in charges if not c.covered]
        covered = sum((c.unpaid for c in covers), ZERO)
        barred = sum((c.unpaid for c in covers if c.barred), ZERO)
        not_covered = sum((c.unpaid for c in left_out), ZERO)
        context = _common(desk, laws, "plan", day=plan.signed, plan_barred=barred > 0) | {
            "doc_no": number, "title": TITLES["plan"], "s": state, "u": state.unit, "p": state.plan, "plan": plan,
            "installments": sorted(plan.installments, key=lambda i: i.due),
            "total": plan.total, "total_capitals": to_capitals(plan.total),
            "covers": covers, "covered": covered, "covered_barred": barred, "difference": plan.total - covered,
            "not_covered": not_covered,  # barred on the signing day and not acknowledged (covers: in_time)
            "late_fee_basis": _late_fee_basis(desk),
        }
        out.append(Letter("plan", number, state.unit.id, TITLES["plan"], f"plan/{number}.pdf", plan.total, "plan.html.j2", context))
    return out


def cn_date(day: date) -> str:
    """2026年3月1日: a date as letters print it."""
    return f"{day.year}年{day.month}月{day.day}日"


def proof(contact: Contact) -> dict:
    """A demand as evidence: the contact, whether its proof is a paper original (a letter's receipt, a
    post office's record) or a recording, photo or screenshot, and its delivery record (issue 15)."""
    return {
        "c": contact,
        "paper": contact.channel in LETTER_CHANNELS,
        "tracking": contact.tracking,
        "delivered_on": contact.delivered_on,
        "document": contact.document,
    }


def counted_demands(state: UnitState, policy: Policy) -> list[dict]:
    """The demands since the oldest unpaid charge fell due that rule 10 counts (evidence, through, for the creditor)."""
    return [proof(c) for c in demands(state, policy) if contact_standing(c, state.unit, policy) is None]


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One row of the evidence list. ``missing``: what the committee must still supply or fill in (the cover
    note's checklist); the list itself prints the row with blanks (［…］) where the ledger has nothing."""

    name: str
    source: str
    purpose: str
    original: str  # 原件 | 复印件 | 原始载体 | 原件（查询件）
    missing: str = ""


def evidence_items(desk: Desk, state: UnitState) -> list[EvidenceItem]:
    """What a court expects in a claim for 物业费, in the creditor's name: the contract, the appointment (or, for
    a committee, its filing and the assembly's authority), the handover, ownership, the fee standard, the
    service records, the authorisations the issuer's demands rest on, each demand with its proof of delivery,
    the statement of account."""
    policy = desk.policy
    creditor = policy.creditor_name
    owners = "、".join(o.name for o in state.unit.owners)
    house = f"{policy.community}{state.unit.id}房屋"
    late_fee = f"，违约金的约定（{policy.late_fee.basis}）" if claims_late_fee(policy) else ""
    items = []
    if policy.issuer_is_creditor:
        items += [
            EvidenceItem("业主大会关于自行管理、收取物业费的决定及管理规约", creditor, f"{creditor}依业主大会决定管理{policy.community}、收取费用" + late_fee,
                         "复印件", "业主大会决定（表决结果）和管理规约的复印件，核对原件"),
            EvidenceItem("业主委员会备案证明；业主大会授权业主委员会提起诉讼的决定", "街道办事处（乡镇人民政府）备案；业主大会",
                         f"{creditor}的主体资格及其以自己名义主张权利的授权", "复印件", "备案证明和业主大会授权诉讼的决定"),
        ]
    else:
        items += [
            EvidenceItem("物业服务合同（［合同名称、签订日期］）", creditor, f"{creditor}与业主之间的物业服务合同关系，服务内容和收费约定" + late_fee,
                         "原件", "物业服务合同原件，填写合同名称和签订日期"),
            EvidenceItem("业主大会选聘物业服务人的决定及合同备案材料（前期物业服务合同的，为招投标及备案材料）",
                         "业主大会；房地产行政主管部门", f"{creditor}经合法选聘，是{policy.community}的物业服务人", "复印件",
                         "选聘决定（或前期物业的招投标材料）和备案回执"),
        ]
    items += [
        EvidenceItem("交房（入住）通知书、房屋交付确认书或入住登记表", "建设单位；物业服务中心",
                     f"{house}已交付，自 {cn_date(state.unit.billing_start)} 起计收物业费", "复印件", "交房或入住的书面材料"),
        EvidenceItem("不动产登记信息（房屋权属查询结果）", "不动产登记机构", f"{owners}是{house}的业主", "原件（查询件）",
                     "到不动产登记机构查询房屋权属（或由法院调查）"),
        EvidenceItem(f"收费标准及公示材料（{'、'.join(dict.fromkeys(f.name for f in policy.fees))}）",
                     "业主大会决定或价格主管部门备案；小区公示", "收费项目、单价、计费周期和缴费期限", "复印件",
                     "收费标准的决定或备案文件，以及公示照片"),
        EvidenceItem("物业服务记录（［期间］的保洁、秩序维护、设施设备维修养护记录等）", creditor,
                     f"{creditor}已按约定提供物业服务", "复印件", "欠费期间的服务记录，选取有代表性的几份"),
    ]
    if not policy.issuer_is_creditor:
        for a in sorted(policy.authorisations, key=lambda a: a.valid_from):
            period = f"有效期{cn_date(a.valid_from)}至{cn_date(a.valid_until)}" if a.valid_until else f"{cn_date(a.valid_from)}起有效"
            items.append(EvidenceItem(
                f"{a.document}（{period}）", creditor,
                f"{creditor}委托{policy.issuer.name}催缴物业费，委托期间{policy.issuer.name}的催告是为{creditor}作出的", "原件"))
    for d in counted_demands(state, policy):
        c = d["c"]
        court = c.channel == "court"
        document = f"（文号 {d['document']}）" if d["document"] else ""
        delivery = "".join([f"，邮件号 {d['tracking']}" if d["tracking"] else "",
                            f"，{cn_date(d['delivered_on'])}送达" if d["delivered_on"] else ""])
        by = creditor if c.party == "creditor" or policy.issuer_is_creditor else f"{policy.issuer.name}（受{creditor}委托）"
        name = f"{cn_date(c.date)}{labels.CHANNEL.get(c.channel, c.channel)}{document}"
        if court:
            items.append(EvidenceItem(f"{name}：{c.evidence}", "人民法院", f"{creditor}已就本债权向人民法院主张权利，诉讼时效中断", "复印件"))
            continue
        paper = d["paper"]
        missing = "" if not paper or (d["tracking"] or d["delivered_on"]) else f"{c.date} 的{labels.CHANNEL.get(c.channel, c.channel)}：台账未记录送达日期和邮件号，请核对签收单或邮件妥投记录，记入 delivered_on、tracking"
        items.append(EvidenceItem(
            name + ("及送达凭证" if paper else "") + f"：{c.evidence}", by,
            f"{cn_date(c.date)}向{owners}催告缴纳欠费{delivery}；诉讼时效自此中断",
            "原件" if paper else "原始载体（录音、照片或截图）", missing))
    items.append(EvidenceItem(
        f"欠费明细对账单（文号 {doc_no('statement', desk.as_of, state.unit.id)}）", creditor,
        "欠费的项目、所属期间、金额、到期日" + ("及违约金的计算" if claims_late_fee(policy) else ""), "原件"))
    return items


def evidence_letters(desk: Desk, laws) -> list[Letter]:
    """An evidence list (证据目录) for each unit at the policy's last stage: the claimant's document for a
    支付令 application or a suit, in the creditor's name (``evidence_items``).

    It demands nothing of the owner, so it is made on a day without an authorisation too. What the
    committee must still supply, the contacts that do not count and the limitation table are on the cover
    note (``filings``, kind ``evidence_note``), never in the filing: the context carries them for it.
    """
    if not desk.policy.dunning:
        return []
    last = desk.policy.dunning[-1]
    policy = desk.policy
    out = []
    for state in desk.units:
        if not state.in_arrears or state.stage is None or state.stage.id != last.id:
            continue
        with_evidence = [c for c in state.contacts if c.evidence]
        items = evidence_items(desk, state)
        out.append(_unit_letter(
            desk, laws, state, "evidence", TITLES["evidence"], deadline_days(desk, "evidence"),
            late_fee=claims_late_fee(policy), items=items,
            contacts_with_evidence=with_evidence,
            contacts_standing=[contact_standing(c, state.unit, policy) for c in with_evidence],
            statement_no=doc_no("statement", desk.as_of, state.unit.id), fees=policy.fees,
            authorisations=sorted(policy.authorisations, key=lambda a: a.valid_from) if not policy.issuer_is_creditor else [],
            late_fee_unfounded=policy.late_fee is not None and not claims_late_fee(policy),
        ))
    return out


@dataclass(frozen=True, slots=True)
class BoardRow:
    name: str
    units: int
    in_arrears: int
    outstanding: Decimal
    rate: Decimal | None
    merged: tuple[str, ...] = ()  # the buildings of a merged row


@dataclass(frozen=True, slots=True)
class AgingCell:
    low: int  # days overdue, from
    high: int | None  # to (None: and more)
    amount: Decimal
    units: int  # units in arrears with money in this range

    @property
    def label(self) -> str:
        return f"{self.low}-{self.high}" if self.high is not None else f"{self.low}+"


def board_letter(desk: Desk, laws) -> Letter:
    """The notice-board summary: no names, no phones, and no cell that points at one or two households.

    A building with fewer than ``BOARD_MIN_UNITS`` units in arrears is merged with the
    others like it (and, if the merged row would still point at one or two, with the
    smallest building shown on its own, so no row can be worked out from the totals);
    aging ranges are merged the same way. Unit numbers and amounts are listed only when the
    policy opts in (``notice_board.list_units``), and then only the units whose owner gave a
    separate consent to publish them (``publish_arrears``, 个人信息保护法第二十五条) that is
    in force on the day; the letter says how many were left out for want of one.
    """
    start, end = year_window(desk.as_of)
    buildings: dict[str, list[UnitState]] = {}
    for state in desk.units:
        buildings.setdefault(state.unit.building, []).append(state)
    rows = _board_rows(sorted(buildings.items()), start, end)
    arrears = [s for s in desk.units if s.in_arrears]
    aging = _aging_cells(arrears)
    listing = desk.policy.publish_unit_amounts
    consenting = [s for s in arrears if s.unit.consented(PUBLISH_CONSENT, desk.as_of)] if listing else []
    listed = sorted((s.unit.id, s.outstanding) for s in consenting)
    number = doc_no("board", desk.as_of, None)
    context = _common(desk, laws, "board") | {
        "doc_no": number, "title": TITLES["board"], "t": desk.totals, "rows": rows, "aging": aging,
        "year": desk.as_of.year, "listed": listed, "units": len(desk.units), "min_units": BOARD_MIN_UNITS,
        "listing": listing, "unlisted": len(arrears) - len(consenting) if listing else 0,
        "merged_rows": any(r.merged for r in rows), "merged_aging": len(aging) < len(BUCKETS),
    }
    return Letter("board", number, None, TITLES["board"], f"board/{number}.pdf", desk.totals.outstanding, "board.html.j2", context)


def _board_row(name: str, states: list[UnitState], start: date, end: date, merged: tuple[str, ...] = ()) -> BoardRow:
    return BoardRow(name, len(states), sum(1 for s in states if s.in_arrears), sum((s.outstanding for s in states), ZERO),
                    collection_rate(_rate_rows(states, start, end)), merged)


def _board_rows(buildings: list[tuple[str, list[UnitState]]], start: date, end: date) -> list[BoardRow]:
    def arrears(states):
        return sum(1 for s in states if s.in_arrears)

    small = [(n, s) for n, s in buildings if 0 < arrears(s) < BOARD_MIN_UNITS]
    shown = [(n, s) for n, s in buildings if not 0 < arrears(s) < BOARD_MIN_UNITS]
    while small and sum(arrears(s) for _, s in small) < BOARD_MIN_UNITS:
        others = [b for b in shown if arrears(b[1]) > 0]
        if not others:
            break
        fewest = min(others, key=lambda b: (arrears(b[1]), b[0]))
        shown.remove(fewest)
        small.append(fewest)
    rows = [_board_row(n, s, start, end) for n, s in shown]
    if small:
        names = tuple(sorted(n for n, _ in small))
        rows.append(_board_row("、".join(names), [s for _, states in small for s in states], start, end, names))
    return rows


def _aging_cells(arrears: list[UnitState]) -> list[AgingCell]:
    """The aging ranges, oldest merged into younger ones until each names at least BOARD_MIN_UNITS units (or none)."""
    bounds = []
    low = 1
    for name, upper in BUCKETS:
        bounds.append((name, low, upper))
        low = (upper or 0) + 1
    groups: list[list[tuple[str, int, int | None]]] = []
    pending: list[tuple[str, int, int | None]] = []

    def units(group) -> int:
        return sum(1 for s in arrears if any(s.aging[name] > 0 for name, _, _ in group))

    for bucket in reversed(bounds):  # oldest first
        pending.append(bucket)
        if units(pending) == 0 or units(pending) >= BOARD_MIN_UNITS:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1] = groups[-1] + pending
            while len(groups) > 1 and 0 < units(groups[-1]) < BOARD_MIN_UNITS:
                last = groups.pop()
                groups[-1] = groups[-1] + last
        else:
            groups.append(pending)
    cells = []
    for group in reversed(groups):  # youngest first, as printed
        names = [name for name, _, _ in group]
        amount = sum((s.aging[name] for s in arrears for name in names), ZERO)
        lows = [lo for _, lo, _ in group]
        highs = [hi for _, _, hi in group]
        cells.append(AgingCell(min(lows), None if None in highs else max(highs), amount, units(group)))
    return cells


def _rate_rows(states: list[UnitState], start: date, end: date) -> list[tuple[Decimal, Decimal, Decimal]]:
    return [
        (c.charge.amount, c.paid, c.waived)
        for s in states for c in s.charges if start <= c.charge.due <= end
    ]


def dunning_letters(desk: Desk, laws) -> list[Letter]:
    """The day's letters of the dunning procedure, the statements, plans, evidence lists and the notice board
    (``dossier.plan_all`` adds the court filings and forms and sets the print order)."""
    return stage_letters(desk, laws) + statements(desk, laws) + plan_letters(desk, laws) + evidence_letters(desk, laws) + [
        board_letter(desk, laws)]


def filters() -> dict:
    """The letters' own Jinja filters, on top of the shared vocabulary (render.templates): capitals, letter-style dates."""
    return {
        "capitals": to_capitals,
        "cn_date": cn_date,
        "designation": _designation,
        "limitation_status": lambda v: labels.LIMITATION_STATUS.get(v, v) if v else "—",
    }


def _designation(values) -> str:
    """A payment's ``for`` as the owner said it: 2026-03、期初欠费、违约金."""
    words = {"opening": "期初欠费", "late_fee": "违约金"}
    return "、".join(words.get(v, v) for v in values)


__all__ = ["Letter", "ChargeLine", "ChargeState", "TITLES", "dunning_letters", "filters", "arrears_context", "doc_no"]
