"""What a collector should do next for a unit, and when: derived rules beyond the spec.

Priority: an installment plan in force, then a promise to pay (kept waiting
or broken), then the dunning ladder (do the stage's action, wait out a
letter's ``wait_days`` or a lawyer letter's ``deadline_days``, repeat what
the next stage ``requires``, or escalate when its ``after_days`` come).

Complaints (issue 16) bend the ladder: while a complaint is open, any step
past the notice stage becomes "先处理投诉" (``complaint``) as long as the
complaint is younger than the policy's ``hold_lawyer_days``; after that the
step goes ahead, its text still led by the complaint. A resolution the owner
confirmed is a reason to call again within ``call_after_days``
(``complaint_resolved``) until a contact after the confirmation is logged.

The user guide (docs/guide/rules.md) describes the same rules.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import msgspec

from generator.core import labels
from generator.core.model import (
    Complaint,
    ComplaintRule,
    Contact,
    Payment,
    Policy,
    Stage,
)
from generator.core.money import ZERO, fmt_grouped
from generator.rules.complaints import (
    complaint_hold_why,
    complaint_summary,
    complaint_title,
    holds_lawyer,
    latest_confirmed,
    open_complaints,
)
from generator.rules.dunning import fulfilment_counts, fulfils
from generator.rules.plans import BEHIND, ON_TRACK, PlanState
from generator.speed.records import Record


class PromiseState(Record):
    contact: Contact
    paid: Decimal  # paid from the promise's contact day up to min(promise day, as_of)
    kept: bool
    broken: bool  # due date passed and not kept
    superseded: bool  # a later contact followed up the broken promise


class NextAction(Record):
    kind: str  # none | upcoming | do_stage | wait | repeat | escalate | final | plan | plan_behind | promise | promise_broken | barred | authorise | complaint | complaint_resolved
    date: date | None
    text: str
    why: str
    stage: str | None = None  # the stage whose action this is
    letter: str | None = None  # the letter this action sends, if any


def channels_text(stage: Stage) -> str:
    return "、".join(labels.CHANNEL.get(c, c) for c in stage.channels)


def promise_states(contacts: tuple[Contact, ...], payments: list[Payment], as_of: date) -> list[PromiseState]:
    states = []
    for contact in contacts:
        if contact.outcome != "promised" or contact.promise is None or contact.date > as_of:
            continue
        promise = contact.promise
        end = min(promise.date, as_of)
        paid = sum((p.amount for p in payments if contact.date <= p.date <= end), ZERO)
        kept = paid > 0 if promise.amount is None else paid >= promise.amount
        broken = not kept and promise.date < as_of
        superseded = broken and any(promise.date < c.date <= as_of for c in contacts)
        states.append(PromiseState(contact, paid, kept, broken, superseded))
    states.sort(key=lambda s: s.contact.date)
    return states


DEFAULT_COMPLAINT_RULE = ComplaintRule()


def next_action(
    *,
    stages: tuple[Stage, ...],
    stage: Stage | None,
    contacts: tuple[Contact, ...],
    oldest_due: date | None,
    outstanding: Decimal,
    plan: PlanState | None,
    promises: list[PromiseState],
    as_of: date,
    authority: Policy | None = None,
    barred: Decimal = ZERO,
    complaints: tuple[Complaint, ...] = (),
    complaint_rule: ComplaintRule = DEFAULT_COMPLAINT_RULE,
) -> NextAction:
    """The next step; ``authority``: the policy when no authorisation lets the issuer demand for the creditor today;
    ``barred``: the overdue principal past limitation (when it is all of it, there is nothing to demand);
    ``complaints``: the unit's complaints opened by ``as_of`` (they hold escalation, see the module's docstring)."""
    action = _next_action(stages, stage, contacts, oldest_due, outstanding, plan, promises, as_of, barred)
    if action.kind in LADDER and outstanding > 0:
        action = _with_complaints(action, stages, complaints, contacts, complaint_rule, as_of)
    if authority is not None and action.kind in DEMANDING:
        return _authorise(action, authority, as_of)
    return action


# the actions that put the claim to the owner: the issuer needs the creditor's authority for them
DEMANDING = frozenset({"do_stage", "repeat", "escalate", "final", "plan_behind", "promise_broken", "complaint_resolved"})
# the dunning ladder's actions: the ones a complaint holds or a confirmed resolution replaces
LADDER = frozenset({"upcoming", "do_stage", "wait", "repeat", "escalate", "final"})


def resolved_call_text(rule: ComplaintRule) -> str:
    return f"投诉已解决，{rule.call_after_days} 天内回访并再次沟通缴费"


def _past_notice(action: NextAction, stages: tuple[Stage, ...]) -> bool:
    """A step a young open complaint holds: a lawyer letter, or any step of a stage after the notice stage
    (the stage sending the ``notice``; in a ladder without one, the lawyer letter's stage and those after it)."""
    if action.kind not in ("do_stage", "repeat", "escalate", "final"):
        return False
    if action.letter == "lawyer":
        return True
    ids = [s.id for s in stages]
    if action.stage not in ids:
        return False
    notice = next((i for i, s in enumerate(stages) if s.letter == "notice"), None)
    if notice is not None:
        return ids.index(action.stage) > notice
    lawyer = next((i for i, s in enumerate(stages) if s.letter == "lawyer"), None)
    return lawyer is not None and ids.index(action.stage) >= lawyer


def _with_complaints(action: NextAction, stages, complaints, contacts, rule: ComplaintRule, as_of: date) -> NextAction:
    opened = open_complaints(complaints, as_of)
    if opened:
        if not _past_notice(action, stages):
            return action
        held = [c for c in opened if holds_lawyer(c, rule, as_of)]
        if held:
            first = held[0]
            return NextAction("complaint", as_of,
                              f"先处理投诉：{complaint_summary(first, as_of)}；原定下一步：{action.text}",
                              complaint_hold_why(first, rule, as_of), action.stage, None)
        oldest = opened[0]
        return msgspec.structs.replace(
            action, text=f"先处理投诉：{complaint_summary(oldest, as_of)}；同时{action.text}",
            why=f"{action.why}；投诉 {oldest.opened} 提出，已超过 {rule.hold_lawyer_days} 天仍未解决，不再暂缓")
    confirmed = latest_confirmed(complaints, as_of)
    if confirmed is None or any(c.date > confirmed.confirmed for c in contacts):
        return action
    by = confirmed.confirmed + timedelta(days=rule.call_after_days)
    if as_of > by:
        return action
    return NextAction("complaint_resolved", by, resolved_call_text(rule),
                      f"业主 {confirmed.confirmed} 确认投诉{complaint_title(confirmed)}已解决："
                      f"{confirmed.resolution or '已处理'}；趁热回访", action.stage, None)


def _authorise(action: NextAction, policy: Policy, as_of: date) -> NextAction:
    """No authorisation covers today: the issuer's demands would not be the creditor's (rule 10), so no letter either."""
    latest = max((a for a in policy.authorisations if a.valid_from <= as_of), key=lambda a: a.valid_from, default=None)
    if latest is not None and latest.valid_until is not None:
        why = f"债权人“{policy.creditor_name}”的授权（{latest.document}）已于 {latest.valid_until} 到期"
    elif policy.authorisations:
        first = min(policy.authorisations, key=lambda a: a.valid_from)
        why = f"债权人“{policy.creditor_name}”的授权（{first.document}）自 {first.valid_from} 起才生效"
    else:
        why = f"政策里没有债权人“{policy.creditor_name}”的授权"
    return NextAction(
        "authorise", as_of,
        f"先取得债权人“{policy.creditor_name}”的书面授权，或请债权人的人员自己催缴；原定下一步：{action.text}",
        why + "：落款单位此时的催缴不算债权人主张权利，不中断诉讼时效，也不生成催缴函件",
        action.stage, None,
    )


# The sentences of the follow-up actions, shared by the next action and the site's queue
PROMISE_BROKEN_TEXT = "承诺未兑现：再次联系业主，约定新的付款日期和金额"


def promised_amount_text(promise) -> str:
    """" 300.00 元" for a promise with an amount, "" without."""
    return f" {fmt_grouped(promise.amount)} 元" if promise.amount is not None else ""


def promise_waiting_text(promise) -> str:
    return f"等待业主兑现承诺：{promise.date} 前付{promised_amount_text(promise)}"


def plan_behind_text(plan: PlanState) -> str:
    return f"分期逾期：联系业主补缴已到期的 {fmt_grouped(plan.due_so_far - plan.paid)} 元"


def plan_behind_why(plan: PlanState) -> str:
    return f"分期协议（{plan.plan.signed} 签订）已到期 {fmt_grouped(plan.due_so_far)} 元，只付了 {fmt_grouped(plan.paid)} 元"


def installment_text(due: date, amount: Decimal) -> str:
    return f"按分期协议跟进：{due} 前应付 {fmt_grouped(amount)} 元"


def _next_action(stages, stage, contacts, oldest_due, outstanding, plan, promises, as_of, barred) -> NextAction:
    if outstanding <= 0 or oldest_due is None:
        return NextAction("none", None, "无需催缴", "没有逾期欠费")
    if plan is not None and plan.status == ON_TRACK and plan.next_installment:
        due, amount = plan.next_installment
        return NextAction("plan", due, installment_text(due, amount), f"分期协议（{plan.plan.signed} 签订）按期履行中，暂停升级催缴")
    if plan is not None and plan.status == BEHIND:
        return NextAction("plan_behind", as_of, plan_behind_text(plan), plan_behind_why(plan))
    if promises:
        latest = promises[-1]
        promise = latest.contact.promise
        assert promise is not None
        amount = promised_amount_text(promise)
        if not latest.kept and not latest.broken:
            return NextAction("promise", promise.date, promise_waiting_text(promise), f"{latest.contact.date} {latest.contact.by or ''}联系时业主承诺付款".replace("  ", " "))
        if latest.broken and not latest.superseded:
            return NextAction("promise_broken", promise.date + timedelta(days=1), PROMISE_BROKEN_TEXT, f"业主承诺 {promise.date} 前付{amount}，到期只付了 {fmt_grouped(latest.paid)} 元")
    if barred >= outstanding:  # nothing in time: no dunning step, no letter, no suit
        return NextAction(
            "barred", None, "全部欠费已过诉讼时效：如实说明，请业主自愿缴纳",
            f"逾期本金 {fmt_grouped(outstanding)} 元都已过诉讼时效，业主可以拒付（民法典第一百九十二条）；不再发催缴函件，不以起诉相威胁",
        )
    return _ladder(stages, stage, contacts, oldest_due, as_of)


def _ladder(stages: tuple[Stage, ...], stage: Stage | None, contacts: tuple[Contact, ...], oldest_due: date, as_of: date) -> NextAction:
    days = (as_of - oldest_due).days
    if not stages:
        return NextAction("do_stage", as_of, "联系业主催缴", "政策未设催缴阶段")
    if stage is None:
        first = stages[0]
        when = oldest_due + timedelta(days=first.after_days)
        return NextAction("upcoming", max(when, as_of), f"{first.name}：通过{channels_text(first)}联系", f"逾期 {days} 天，未到“{first.name}”阶段（逾期 {first.after_days} 天起）", first.id, first.letter)
    counts = fulfilment_counts(stages, contacts, oldest_due, as_of)
    done = [c for c in contacts if fulfils(c, stage, oldest_due, as_of)]
    if not done:
        return _do(stage, as_of, f"逾期 {days} 天，已到“{stage.name}”阶段，尚未记录这一步")
    last = max(c.date for c in done)
    window = stage.wait_days or stage.deadline_days or 0
    if window and last + timedelta(days=window) >= as_of:
        end = last + timedelta(days=window)
        word = "等待期" if stage.wait_days else "函件限期"
        return NextAction("wait", end, f"等待业主回应：{stage.name}于 {last} 发出，{word}至 {end}", f"{stage.name}后给业主 {window} 天{word}", stage.id)
    position = stages.index(stage)
    if position + 1 == len(stages):
        return NextAction("final", as_of, f"{stage.name}：推进中，跟进案件进度", f"已到最后阶段“{stage.name}”", stage.id, stage.letter)
    upcoming = stages[position + 1]
    for needed, count in upcoming.requires:
        if counts.get(needed, 0) < count:
            target = next(s for s in stages if s.id == needed)
            have = counts.get(needed, 0)
            return NextAction("repeat", as_of, f"再次{target.name}（第 {have + 1} 次，进入“{upcoming.name}”前需 {count} 次）：{channels_text(target)}", f"“{upcoming.name}”要求先完成 {count} 次“{target.name}”，目前 {have} 次", target.id, target.letter)
    when = oldest_due + timedelta(days=upcoming.after_days)
    if when > as_of:
        return NextAction("escalate", when, f"{when} 起进入“{upcoming.name}”：{channels_text(upcoming)}；此前继续{stage.name}", f"逾期满 {upcoming.after_days} 天进入下一阶段，目前 {days} 天", upcoming.id, upcoming.letter)
    return _do(upcoming, as_of, f"逾期 {days} 天，可进入“{upcoming.name}”")


def _do(stage: Stage, as_of: date, why: str) -> NextAction:
    return NextAction("do_stage", as_of, f"{stage.name}：{channels_text(stage)}", why, stage.id, stage.letter)
