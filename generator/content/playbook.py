"""The collection playbook: stage guides, tactics, owner segments, arrears reasons,
the yearly rhythm and the do-not list, and which tactics fit a household.

Data lives in ``site_templates/playbook/*.yaml`` (the project's, then the
community's own files of the same names, whose entries replace or add by
id) and is read with the ledger's position-keeping loader; problems are
``Diagnostic``s. ``match_tactics`` ranks the tactics whose ``fits`` a unit
meets: every condition of a ``fits`` mapping must hold, and the score adds
a weight per condition, so the more specific fit ranks first.

Scripts may carry their own ``when`` / ``unless`` conditions (the same keys):
a match lists only the scripts that hold for the household, those a
collector can read out as they are first; ``［…］`` marks a fact the collector
must fill in (a script with one is never the one shown ready to read).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content.legal import LegalBook, load_legal
from generator.core import labels
from generator.core.diagnostics import Diagnostic, Pos, error
from generator.core.lookup import find, merge_by_key
from generator.core.model import CHANNELS, FAILED_OUTCOMES, OCCUPANCIES, REASONS
from generator.core.money import fmt_grouped
from generator.core.paths import PROJECT_DIR
from generator.reading.fields import (
    Enum,
    Integer,
    ListOf,
    Reader,
    boolean,
    stage_id,
    text,
)
from generator.reading.files import UnsafeFile, read_own
from generator.reading.yamlsource import SequenceNode, compose

PLAYBOOK_DIR = "site_templates/playbook"
PLACEHOLDERS = (
    "业主", "房号", "欠费", "时效内欠费", "已过时效欠费", "小区", "落款", "电话",
    "下期日期", "下期金额", "分期欠缴", "约定日期", "书面催告次数",
)
WRITTEN_DEMANDS = ("letter", "registered_mail")
LIMITATION_STATES = ("ok", "warning", "expired")
PLAN_STATES = ("none", "on_track", "behind", "completed")
NO_STAGE = "none"

# Weight of each condition that holds; the most specific fit ranks first.
WEIGHTS = {
    "limitation": 40, "limitation_all": 40, "reasons": 30, "reasons_older": 20, "broken_promises": 25,
    "tags": 20, "contacted": 20, "types": 15, "occupancy": 15, "plan": 45, "stages": 10, "days": 5, "late_fee": 5,
}
LIMITATION_WORDS = {"ok": "诉讼时效正常", "warning": "有欠费诉讼时效即将届满", "expired": "有欠费已过诉讼时效"}
PLAN_WORDS = {"none": "没有分期协议", **labels.PLAN_STATUS}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_BLANK = re.compile(r"［[^［］]+］")  # a fact the collector fills in before saying it


# -- records -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Fits:
    """One set of conditions; all that are given must hold."""

    reasons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    occupancy: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    broken_promises: int | None = None
    limitation: tuple[str, ...] = ()
    limitation_all: tuple[str, ...] = ()
    plan: tuple[str, ...] = ()
    min_days: int | None = None
    max_days: int | None = None
    late_fee: bool | None = None
    contacted: tuple[str, ...] = ()  # a contact on one of these channels since the arrears began

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) not in ((), None) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Script:
    title: str
    text: str
    when: tuple[Fits, ...] = ()  # alternatives; empty: always
    unless: Fits | None = None

    def fill(self, values: dict[str, str]) -> str:
        """The script with ``{房号}`` etc. replaced; placeholders without a value become 〔房号〕, ［…］ blanks stay."""
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or f"〔{m.group(1)}〕", self.text)

    @property
    def blank(self) -> str:
        """The script as the playbook page shows it: 〔房号〕 for each placeholder."""
        return self.fill({})

    @property
    def blanks(self) -> tuple[str, ...]:
        """The ［facts］ a collector must fill in before reading the script out."""
        return tuple(_BLANK.findall(self.text))

    @property
    def ready(self) -> bool:
        """True when the script can be read out as it is filled for a unit."""
        return not self.blanks

    @property
    def conditional(self) -> bool:
        return bool(self.when) or self.unless is not None

    def holds(self, f: Facts) -> bool:
        if _ruled_out(self.unless, f):
            return False
        return not self.when or fits_state(self.when, f) is not None


@dataclass(frozen=True, slots=True)
class Tactic:
    """One way of collecting, with the households it fits, its steps, scripts, risks and the law behind it."""

    id: str
    name: str
    aka: str  # what the training material called it
    summary: str
    fits: tuple[Fits, ...]  # alternatives: any one may match
    unless: Fits | None  # any condition that holds rules the tactic out
    priority: int  # higher first among equally specific fits
    steps: tuple[str, ...]  # what to do, in order
    scripts: tuple[Script, ...]  # what to say (话术)
    record: tuple[str, ...]  # what to write into the contact log
    risks: tuple[str, ...]  # legal or neighbourly risks, said plainly
    laws: tuple[str, ...]  # article ids of the legal book
    pos: Pos


@dataclass(frozen=True, slots=True)
class StageGuide:
    """The playbook's guide to one dunning stage: its goal, what to do and record, the laws and tactics it uses."""

    id: str  # a stage id of the policy's dunning ladder, or a generic one matched by channel
    name: str
    channels: tuple[str, ...]  # contact channels of the stage (how guide_for matches a community's own stage)
    goal: str  # what the stage is for, one sentence
    do: tuple[str, ...]  # the steps, in order
    record: tuple[str, ...]  # what to write into the contact log afterwards
    laws: tuple[str, ...]  # article ids of the legal book
    tactics: tuple[str, ...]  # tactic ids that fit the stage
    pos: Pos


@dataclass(frozen=True, slots=True)
class Segment:
    """A kind of owner (the training material's 业主分类): how to recognise them and how to approach them."""

    id: str
    name: str
    fits: tuple[Fits, ...]  # alternatives: a household in any of them belongs to the segment
    traits: tuple[str, ...]  # how they are recognised
    approach: tuple[str, ...]  # what works with them
    cautions: tuple[str, ...]  # what to avoid
    tactics: tuple[str, ...]  # tactic ids
    pos: Pos


@dataclass(frozen=True, slots=True)
class ReasonGuide:
    """Why owners do not pay (a contact's ``reason``) and how to answer it."""

    id: str  # a reason code of the contact log
    name: str
    signs: tuple[str, ...]  # what the owner says or does
    approach: tuple[str, ...]  # how to answer
    tactics: tuple[str, ...]  # tactic ids
    laws: tuple[str, ...]  # article ids
    pos: Pos


@dataclass(frozen=True, slots=True)
class Period:
    """A season of the collection year (year end, Spring Festival, …) and what to do in it."""

    id: str
    name: str
    months: tuple[int, ...]  # 1-12
    focus: str
    actions: tuple[str, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class MonthlyStep:
    """One step of the collector's monthly routine (``when``: the days of the month it falls on)."""

    when: str
    do: str


@dataclass(frozen=True, slots=True)
class Dont:
    """A practice the playbook forbids: why (the law it breaks or the harm it does) and what to do instead."""

    id: str
    name: str
    why: str
    instead: str
    laws: tuple[str, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Playbook:
    stages: tuple[StageGuide, ...]
    tactics: tuple[Tactic, ...]
    segments: tuple[Segment, ...]
    reasons: tuple[ReasonGuide, ...]
    periods: tuple[Period, ...]
    monthly: tuple[MonthlyStep, ...]
    donts: tuple[Dont, ...]
    legal: LegalBook
    problems: tuple[Diagnostic, ...] = ()

    def tactic(self, tactic_id: str) -> Tactic:
        tactic = find(self.tactics, tactic_id)
        if tactic is None:
            raise KeyError(f"no tactic {tactic_id!r} in the playbook")
        return tactic

    def stage_guide(self, guide_id: str) -> StageGuide | None:
        return find(self.stages, guide_id)

    def reason(self, reason_id: str) -> ReasonGuide | None:
        return find(self.reasons, reason_id)

    def guide_for(self, stage) -> StageGuide | None:
        """The guide for a policy stage: same id, else the most escalated guide sharing a channel."""
        if stage is None:
            return None
        own = self.stage_guide(stage.id)
        if own is not None:
            return own
        for guide in reversed(self.stages):
            if set(guide.channels) & set(stage.channels):
                return guide
        return None

    def period_for(self, month: int) -> Period | None:
        for period in self.periods:
            if month in period.months:
                return period
        return None

    @property
    def errors(self) -> list[Diagnostic]:
        """The playbook's and its legal book's errors."""
        return [p for p in (*self.legal.problems, *self.problems) if p.severity == "error"]


# -- matching ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Facts:
    """What the matcher knows about a unit, read from its UnitState."""

    in_arrears: bool
    stages: tuple[str, ...]  # the policy stage id and its guide's id, or ("none",)
    stage_name: str | None
    reasons: tuple[str, ...]  # most recent first; "unreachable" first when the last contact failed
    failed_outcome: str | None  # the last contact's outcome when it was unreachable / returned
    tags: tuple[str, ...]
    occupancy: str
    type: str
    broken_promises: int
    plan: str  # none | on_track | behind | completed
    limitation: frozenset[str]  # statuses of the unpaid overdue charges
    days_overdue: int | None
    late_fee: Any  # Decimal
    contacted: frozenset[str] = frozenset()  # channels of the demands that reached the owner since the arrears began


@dataclass(frozen=True, slots=True)
class Match:
    tactic: Tactic  # its scripts: those that hold for the household, ready ones first
    score: int
    why: str  # Chinese: what matched, joined with "；"
    matched: tuple[str, ...] = field(default=())

    @property
    def script(self) -> Script:
        """The script to show first."""
        return self.tactic.scripts[0]

    @property
    def ready(self) -> bool:
        """False when even the first script has ［facts］ to fill in: the page must not offer it as ready to read."""
        return self.script.ready


def facts(state, playbook: Playbook) -> Facts:
    stage = state.stage
    if stage is None:
        stage_ids: tuple[str, ...] = (NO_STAGE,)
        stage_name = None
    else:
        guide = playbook.guide_for(stage)
        stage_ids = (stage.id,) if guide is None or guide.id == stage.id else (stage.id, guide.id)
        stage_name = stage.name
    reasons = list(state.reasons)
    failed = None
    if state.contacts and state.contacts[-1].outcome in FAILED_OUTCOMES:
        failed = state.contacts[-1].outcome
        if "unreachable" in reasons:
            reasons.remove("unreachable")
        reasons.insert(0, "unreachable")
    statuses = frozenset(status for c in state.charges for status in (c.limitation_status,) if status)
    contacted = frozenset(c.channel for c in _demands_since_arrears(state))
    unit = state.unit
    return Facts(
        in_arrears=state.outstanding > 0,
        stages=stage_ids,
        stage_name=stage_name,
        reasons=tuple(reasons),
        failed_outcome=failed,
        tags=tuple(unit.tags),
        occupancy=unit.occupancy,
        type=unit.type,
        broken_promises=state.broken_promises,
        plan=state.plan.status if state.plan is not None else "none",
        limitation=statuses,
        days_overdue=state.days_overdue,
        late_fee=state.late_fee,
        contacted=contacted,
    )


def _demands_since_arrears(state) -> list:
    """The demands (v2 ``purpose: demand``) that reached the owner after the oldest unpaid due date (all of them with no arrears).

    A repair or follow-up visit (``purpose: service``) is no "已有…记录" for a tactic and no written demand to count.
    """
    since = state.oldest_due
    return [c for c in state.contacts
            if c.purpose == "demand" and c.outcome not in FAILED_OUTCOMES and (since is None or c.date > since)]


def _check(fits: Fits, f: Facts) -> list[tuple[str, int, str]] | None:
    """(condition, weight, why) for each condition of ``fits``, or None when one fails."""
    out: list[tuple[str, int, str]] = []
    if fits.reasons:
        hits = [r for r in f.reasons if r in fits.reasons]
        if not hits:
            return None
        latest = f.reasons[0] in fits.reasons
        words = []
        for r in hits:
            if r == f.reasons[0] and f.failed_outcome:
                words.append(f"最近一次联系结果为“{labels.OUTCOME.get(f.failed_outcome, f.failed_outcome)}”")
            elif r == f.reasons[0]:
                words.append(f"欠费原因“{labels.REASON.get(r, r)}”（最近一次记录）")
            else:
                words.append(f"欠费原因“{labels.REASON.get(r, r)}”")
        out.append(("reasons", WEIGHTS["reasons" if latest else "reasons_older"], "、".join(words)))
    if fits.tags:
        hits = [t for t in f.tags if t in fits.tags]
        if not hits:
            return None
        out.append(("tags", WEIGHTS["tags"], "标签：" + "、".join(hits)))
    if fits.types:
        if f.type not in fits.types:
            return None
        out.append(("types", WEIGHTS["types"], f"房屋类型：{f.type}"))
    if fits.occupancy:
        if f.occupancy not in fits.occupancy:
            return None
        out.append(("occupancy", WEIGHTS["occupancy"], f"使用情况：{labels.OCCUPANCY.get(f.occupancy, f.occupancy)}"))
    if fits.broken_promises is not None:
        if f.broken_promises < fits.broken_promises:
            return None
        out.append(("broken_promises", WEIGHTS["broken_promises"], f"已有 {f.broken_promises} 次承诺未兑现"))
    if fits.limitation:
        hits = [s for s in LIMITATION_STATES if s in f.limitation and s in fits.limitation]
        if not hits:
            return None
        out.append(("limitation", WEIGHTS["limitation"], "、".join(LIMITATION_WORDS[s] for s in hits)))
    if fits.limitation_all:
        if not f.limitation or not f.limitation <= set(fits.limitation_all):
            return None
        words = "、".join(labels.LIMITATION_STATUS.get(s, s) for s in LIMITATION_STATES if s in f.limitation)
        out.append(("limitation_all", WEIGHTS["limitation_all"], f"全部逾期欠费的诉讼时效状态：{words}"))
    if fits.plan:
        if f.plan not in fits.plan:
            return None
        out.append(("plan", WEIGHTS["plan"], f"分期协议：{PLAN_WORDS.get(f.plan, f.plan)}"))
    if fits.stages:
        if not set(f.stages) & set(fits.stages):
            return None
        out.append(("stages", WEIGHTS["stages"], f"当前阶段：{f.stage_name}" if f.stage_name else "尚未进入催缴阶段"))
    if fits.min_days is not None or fits.max_days is not None:
        days = f.days_overdue
        if days is None or (fits.min_days is not None and days < fits.min_days) or (fits.max_days is not None and days > fits.max_days):
            return None
        out.append(("days", WEIGHTS["days"], f"逾期 {days} 天"))
    if fits.late_fee is not None:
        has = f.late_fee is not None and f.late_fee > 0
        if has != fits.late_fee:
            return None
        out.append(("late_fee", WEIGHTS["late_fee"], f"违约金 {fmt_grouped(f.late_fee)} 元" if has else "没有违约金"))
    if fits.contacted:
        hits = [c for c in fits.contacted if c in f.contacted]
        if not hits:
            return None
        out.append(("contacted", WEIGHTS["contacted"], "已有" + "、".join(labels.CHANNEL.get(c, c) for c in hits) + "记录"))
    return out


def _ruled_out(unless: Fits | None, f: Facts) -> bool:
    """True when any single condition of ``unless`` holds."""
    if unless is None:
        return False
    for name in unless.__slots__:
        value = getattr(unless, name)
        if value in ((), None):
            continue
        single = Fits(**{name: value})
        if name in ("min_days", "max_days"):
            single = Fits(min_days=unless.min_days, max_days=unless.max_days)
        if _check(single, f) is not None:
            return True
    return False


def fits_state(fits: tuple[Fits, ...], f: Facts) -> tuple[int, tuple[str, ...]] | None:
    """The best alternative's (score, why parts), or None when no alternative holds."""
    best = None
    for alternative in fits:
        checked = _check(alternative, f)
        if checked is None:
            continue
        score = sum(weight for _, weight, _ in checked)
        if best is None or score > best[0]:
            best = (score, tuple(why for _, _, why in checked))
    return best


def match_tactics(unit_state, playbook: Playbook) -> tuple[Match, ...]:
    """The tactics that fit a unit in arrears, best first (score, then priority, then file order)."""
    f = facts(unit_state, playbook)
    if not f.in_arrears:
        return ()
    found = []
    for order, tactic in enumerate(playbook.tactics):
        if _ruled_out(tactic.unless, f):
            continue
        best = fits_state(tactic.fits, f)
        if best is None:
            continue
        score, parts = best
        shown = dataclasses.replace(tactic, scripts=scripts_for(tactic, f))
        found.append((-(score + tactic.priority), order, Match(shown, score + tactic.priority, "；".join(parts), parts)))
    found.sort(key=lambda item: item[:2])
    return tuple(m for _, _, m in found)


def scripts_for(tactic: Tactic, f: Facts) -> tuple[Script, ...]:
    """The tactic's scripts that hold for the household, ready-to-read ones first (file order otherwise).

    When none holds (a community's own conditions), all of them, ready ones first.
    """
    holding = [s for s in tactic.scripts if s.holds(f)] or list(tactic.scripts)
    return tuple(sorted(holding, key=lambda s: not s.ready))


def match_segments(unit_state, playbook: Playbook) -> tuple[Segment, ...]:
    """The owner segments a unit belongs to, in file order (whether or not it is in arrears)."""
    f = facts(unit_state, playbook)
    return tuple(s for s in playbook.segments if fits_state(s.fits, f) is not None)


def script_values(unit_state, policy) -> dict[str, str]:
    """What the placeholders of a script stand for on this unit's page ("" when the data has no value)."""
    unit = unit_state.unit
    barred = unit_state.limitation.expired_amount
    plan = unit_state.plan
    upcoming = plan.next_installment if plan is not None else None
    behind = plan.due_so_far - plan.paid if plan is not None else 0
    promise = _last_promise(unit_state)
    written = sum(1 for c in _demands_since_arrears(unit_state) if c.channel in WRITTEN_DEMANDS)
    return {
        "业主": unit.owners[0].name if unit.owners else "",
        "房号": unit.id,
        "欠费": fmt_grouped(unit_state.outstanding),
        "时效内欠费": fmt_grouped(unit_state.outstanding - barred),
        "已过时效欠费": fmt_grouped(barred) if barred > 0 else "",
        "小区": policy.community,
        "落款": policy.issuer.name,
        "电话": policy.issuer.phone,
        "下期日期": _cn_date(upcoming[0]) if upcoming else "",
        "下期金额": fmt_grouped(upcoming[1]) if upcoming else "",
        "分期欠缴": fmt_grouped(behind) if behind > 0 else "",
        "约定日期": _cn_date(promise.date) if promise is not None else "",
        "书面催告次数": str(written) if written else "",
    }


def _last_promise(unit_state):
    """The latest promise of the contact log, broken ones preferred (what a follow-up call is about)."""
    promises = unit_state.promises
    broken = [p for p in promises if p.broken]
    chosen = (broken or list(promises))[-1:]
    return chosen[0].contact.promise if chosen else None


def _cn_date(day) -> str:
    return f"{day.month}月{day.day}日"


def describe(fits: tuple[Fits, ...], playbook: Playbook) -> tuple[str, ...]:
    """Plain-Chinese lines saying when a tactic or segment fits, one per alternative."""
    return tuple(_describe_one(alternative, playbook) for alternative in fits)


def describe_unless(unless: Fits | None, playbook: Playbook) -> str:
    """Plain Chinese for the exclusions of a tactic ("" when it has none)."""
    if unless is None or unless.empty:
        return ""
    return _describe_one(unless, playbook, joiner="，或")


def _describe_one(fits: Fits, playbook: Playbook, joiner: str = "，且") -> str:
    parts = []
    if fits.reasons:
        parts.append("欠费原因为" + "、".join(labels.REASON.get(r, r) for r in fits.reasons))
    if fits.tags:
        parts.append("标签含" + "、".join(fits.tags))
    if fits.types:
        parts.append("房屋类型为" + "、".join(fits.types))
    if fits.occupancy:
        parts.append("房屋" + "、".join(labels.OCCUPANCY.get(o, o) for o in fits.occupancy))
    if fits.stages:
        names = []
        for s in fits.stages:
            guide = playbook.stage_guide(s)
            if s != NO_STAGE:
                names.append(guide.name if guide else s)
        stages = "处于" + "、".join(names) + "阶段" if names else ""
        if NO_STAGE in fits.stages:
            stages = "尚未进入催缴阶段" + ("或" + stages if stages else "")
        parts.append(stages)
    if fits.broken_promises is not None:
        parts.append(f"至少 {fits.broken_promises} 次承诺未兑现")
    if fits.limitation:
        parts.append("、".join(LIMITATION_WORDS[s] for s in fits.limitation))
    if fits.limitation_all:
        parts.append("全部欠费" + "、".join(labels.LIMITATION_STATUS.get(s, s) for s in fits.limitation_all))
    if fits.plan:
        parts.append("分期协议" + "、".join(PLAN_WORDS.get(p, p) for p in fits.plan))
    if fits.min_days is not None and fits.max_days is not None:
        parts.append(f"逾期 {fits.min_days} 到 {fits.max_days} 天")
    elif fits.min_days is not None:
        parts.append(f"逾期至少 {fits.min_days} 天")
    elif fits.max_days is not None:
        parts.append(f"逾期不超过 {fits.max_days} 天")
    if fits.late_fee is not None:
        parts.append("有违约金" if fits.late_fee else "没有违约金")
    if fits.contacted:
        parts.append("已有" + "、".join(labels.CHANNEL.get(c, c) for c in fits.contacted) + "记录")
    return joiner.join(parts)


# -- reading -------------------------------------------------------------------

def _node(r, node, key):
    return node


def _lines(r: Reader, node, key: str):
    return ListOf(text)(r, node, key)


def _stage_ref(r: Reader, node, key: str):
    return stage_id(r, node, key)


_FITS_SPEC = {
    "reasons": (ListOf(Enum(REASONS, "reason")), False),
    "tags": (ListOf(text), False),
    "occupancy": (ListOf(Enum(OCCUPANCIES, "occupancy")), False),
    "types": (ListOf(text), False),
    "stages": (ListOf(_stage_ref), False),
    "broken_promises": (Integer(1), False),
    "limitation": (ListOf(Enum(LIMITATION_STATES, "limitation")), False),
    "limitation_all": (ListOf(Enum(LIMITATION_STATES, "limitation")), False),
    "plan": (ListOf(Enum(PLAN_STATES, "plan")), False),
    "min_days": (Integer(0), False),
    "max_days": (Integer(0), False),
    "late_fee": (boolean, False),
    "contacted": (ListOf(Enum(CHANNELS, "channel")), False),
}
_SCRIPT_SPEC = {"title": (text, True), "text": (text, True), "when": (_node, False), "unless": (_node, False)}
_TACTIC_SPEC = {
    "id": (stage_id, True), "name": (text, True), "aka": (text, False), "summary": (text, True),
    "fits": (_node, True), "unless": (_node, False), "priority": (Integer(0, 100), False),
    "steps": (_lines, True), "scripts": (_node, True), "record": (_lines, True), "risks": (_lines, True),
    "laws": (ListOf(stage_id), True),
}
_STAGE_SPEC = {
    "id": (stage_id, True), "name": (text, True), "channels": (ListOf(Enum(CHANNELS, "channel")), True),
    "goal": (text, True), "do": (_lines, True), "record": (_lines, True),
    "laws": (ListOf(stage_id), True), "tactics": (ListOf(stage_id), False),
}
_SEGMENT_SPEC = {
    "id": (stage_id, True), "name": (text, True), "fits": (_node, True), "traits": (_lines, True),
    "approach": (_lines, True), "cautions": (_lines, False), "tactics": (ListOf(stage_id), False),
}
_REASON_SPEC = {
    "id": (Enum(REASONS, "reason"), True), "name": (text, True), "signs": (_lines, True),
    "approach": (_lines, True), "tactics": (ListOf(stage_id), False), "laws": (ListOf(stage_id), False),
}
_PERIOD_SPEC = {
    "id": (stage_id, True), "name": (text, True), "months": (ListOf(Integer(1, 12)), True),
    "focus": (text, True), "actions": (_lines, True),
}
_MONTHLY_SPEC = {"when": (text, True), "do": (text, True)}
_DONT_SPEC = {
    "id": (stage_id, True), "name": (text, True), "why": (text, True), "instead": (text, True),
    "laws": (ListOf(stage_id), True),
}

# file name -> (top-level key, item spec, what it is called in messages)
_FILES = {
    "stages.yaml": ("stages", _STAGE_SPEC, "催缴阶段指引"),
    "tactics.yaml": ("tactics", _TACTIC_SPEC, "催收招数"),
    "segments.yaml": ("segments", _SEGMENT_SPEC, "业主类型"),
    "reasons.yaml": ("reasons", _REASON_SPEC, "欠费原因"),
    "calendar.yaml": ("periods", _PERIOD_SPEC, "全年节奏"),
    "donts.yaml": ("donts", _DONT_SPEC, "禁止事项"),
}


def _read_fits(r: Reader, node, what: str) -> tuple[Fits, ...] | None:
    alternatives = r.sequence(node, what) if type(node) is SequenceNode else [node]
    if alternatives is None:
        return None
    if not alternatives:
        r.error(node, f"{what}不能为空", "至少写一个条件，例如 reasons: [forgot]")
        return None
    out = []
    for alternative in alternatives:
        values = r.fields(alternative, what, _FITS_SPEC)
        if values is None:
            return None
        fits = Fits(**values)
        if fits.empty:
            r.error(alternative, f"{what}不能为空", "至少写一个条件，例如 reasons: [forgot]")
            return None
        if fits.min_days is not None and fits.max_days is not None and fits.min_days > fits.max_days:
            r.error(alternative, "min_days 大于 max_days", "检查逾期天数的范围")
            return None
        out.append(fits)
    return tuple(out)


def _read_scripts(r: Reader, node) -> tuple[Script, ...] | None:
    items = r.sequence(node, "scripts（话术）")
    if items is None:
        return None
    scripts = []
    for item in items:
        values = r.fields(item, "话术", _SCRIPT_SPEC)
        if values is None:
            return None
        unknown = [m for m in _PLACEHOLDER.findall(values["text"]) if m not in PLACEHOLDERS]
        if unknown:
            r.error(item, f"话术里有未知的占位符：{'、'.join('{' + u + '}' for u in unknown)}", "可用：" + "、".join("{" + p + "}" for p in PLACEHOLDERS))
            return None
        when: tuple[Fits, ...] = ()
        unless = None
        if "when" in values:
            read = _read_fits(r, values["when"], "when（话术的适用条件）")
            if read is None:
                return None
            when = read
        if "unless" in values:
            unless = _read_unless(r, values["unless"], "unless（话术的排除条件）")
            if unless is _FAILED:
                return None
        scripts.append(Script(values["title"], values["text"], when, unless))
    if len(scripts) < 2:
        r.error(node, "每一招至少要有两段话术", "在 scripts 里再写一段，适合另一个场合")
        return None
    if all(s.blanks for s in scripts):
        r.error(node, "每一招至少要有一段不用现场填空的话术", "［…］表示要经办人按实际情况填写的内容；再写一段不含［…］、可以直接照着说的话术")
        return None
    return tuple(scripts)


_FAILED = object()  # a value that could not be read; its error is recorded


def _read_unless(r: Reader, node, what: str):
    """The one mapping of exclusions (any that holds rules out), or _FAILED after recording why not."""
    read = _read_fits(r, node, what)
    if read is None:
        return _FAILED
    if len(read) != 1:
        r.error(node, "unless 只能写一个映射", "把排除条件写在同一个映射里，任一项成立即排除")
        return _FAILED
    return read[0]


def _build(kind: str, r: Reader, node, v: dict):
    pos = r.pos(node)
    if kind == "tactics":
        fits = _read_fits(r, v["fits"], "fits（适用条件）")
        unless = None
        if "unless" in v:
            unless = _read_unless(r, v["unless"], "unless（排除条件）")
            if unless is _FAILED:
                return None
        scripts = _read_scripts(r, v["scripts"])
        if fits is None or scripts is None:
            return None
        for key in ("steps", "risks", "record", "laws"):
            if not v[key]:
                r.error(node, f"招数 {v['id']} 的 {key} 不能为空")
                return None
        return Tactic(v["id"], v["name"], v.get("aka", ""), v["summary"], fits, unless, v.get("priority", 0),
                      v["steps"], scripts, v["record"], v["risks"], v["laws"], pos)
    if kind == "stages":
        return StageGuide(v["id"], v["name"], v["channels"], v["goal"], v["do"], v["record"], v["laws"], v.get("tactics", ()), pos)
    if kind == "segments":
        fits = _read_fits(r, v["fits"], "fits（适用条件）")
        if fits is None:
            return None
        return Segment(v["id"], v["name"], fits, v["traits"], v["approach"], v.get("cautions", ()), v.get("tactics", ()), pos)
    if kind == "reasons":
        return ReasonGuide(v["id"], v["name"], v["signs"], v["approach"], v.get("tactics", ()), v.get("laws", ()), pos)
    if kind == "periods":
        return Period(v["id"], v["name"], v["months"], v["focus"], v["actions"], pos)
    return Dont(v["id"], v["name"], v["why"], v["instead"], v["laws"], pos)


def _read_file(name: str, path: str, raw: bytes) -> tuple[dict[str, list], list[Diagnostic]]:
    """One playbook file: {top-level key: [records]} ("monthly" too for the calendar)."""
    key, spec, what = _FILES[name]
    source, problems = compose(path, raw)
    if problems or source.node is None:
        return {}, problems
    r = Reader(path)
    top_spec = {key: (_node, False)}
    if name == "calendar.yaml":
        top_spec["monthly"] = (_node, False)
    top = r.fields(source.node, f"{what}文件", top_spec)
    if top is None:
        return {}, r.problems
    out: dict[str, list] = {}
    if key in top:
        records, seen = [], {}
        for node in r.sequence(top[key], what) or []:
            values = r.fields(node, what, spec)
            if values is None:
                continue
            ident = values["id"]
            if ident in seen:
                r.error(node, f"重复的 id“{ident}”", f"已在第 {seen[ident]} 行定义；同一文件里每个 id 只能出现一次")
                continue
            seen[ident] = r.pos(node).line
            record = _build(key, r, node, values)
            if record is not None:
                records.append(record)
        out[key] = records
    if "monthly" in top:
        steps = []
        for node in r.sequence(top["monthly"], "monthly（每月节奏）") or []:
            values = r.fields(node, "每月节奏", _MONTHLY_SPEC)
            if values is not None:
                steps.append(MonthlyStep(values["when"], values["do"]))
        out["monthly"] = steps
    return out, r.problems


def load_playbook(root: Path | None = None, legal: LegalBook | None = None) -> Playbook:
    """The project's playbook with the community's ``site_templates/playbook/*.yaml`` on top (by id)."""
    legal = legal if legal is not None else load_legal(root)
    folders = [PROJECT_DIR / PLAYBOOK_DIR]
    if root is not None:
        own = Path(root) / PLAYBOOK_DIR
        if own.is_dir() and own.resolve() != folders[0].resolve():
            folders.append(own)
    problems: list[Diagnostic] = []
    data: dict[str, list] = {"stages": [], "tactics": [], "segments": [], "reasons": [], "periods": [], "donts": [], "monthly": []}
    for folder in folders:
        for name in _FILES:
            path = folder / name
            rel = f"{PLAYBOOK_DIR}/{name}"
            if not (path.is_file() or path.is_symlink()):
                if folder == folders[0]:
                    problems.append(error(Pos(rel), f"缺少催收手册文件 {rel}"))
                continue
            try:
                raw = read_own(PROJECT_DIR if folder == folders[0] else Path(root), path)
            except UnsafeFile as exc:
                problems.append(error(Pos(rel), f"读不到催收手册文件 {rel}：{exc}", "把它换成小区文件夹里的普通文件"))
                continue
            found, issues = _read_file(name, rel, raw)
            problems.extend(issues)
            for key, records in found.items():
                data[key] = records if key == "monthly" else merge_by_key(data[key], records)
    book = Playbook(
        stages=tuple(data["stages"]), tactics=tuple(data["tactics"]), segments=tuple(data["segments"]),
        reasons=tuple(data["reasons"]), periods=tuple(data["periods"]), monthly=tuple(data["monthly"]),
        donts=tuple(data["donts"]), legal=legal,
    )
    problems.extend(_cross_check(book))
    return Playbook(book.stages, book.tactics, book.segments, book.reasons, book.periods, book.monthly, book.donts, legal, tuple(problems))


def _cross_check(book: Playbook) -> list[Diagnostic]:
    """References between the files: law ids, tactic ids, months."""
    problems: list[Diagnostic] = []
    tactic_ids = {t.id for t in book.tactics}
    holders = [*book.stages, *book.tactics, *book.reasons, *book.donts]
    for item in holders:
        unknown = [i for i in item.laws if not book.legal.has(i)]
        if unknown:
            problems.append(error(item.pos, f"{item.id} 引用了法律依据里没有的条文：{'、'.join(unknown)}", "laws 只能写 site_templates/legal/laws.yaml 里的条文 id"))
    for item in [*book.stages, *book.segments, *book.reasons]:
        unknown = [i for i in item.tactics if i not in tactic_ids]
        if unknown:
            problems.append(error(item.pos, f"{item.id} 提到了不存在的招数：{'、'.join(unknown)}", "tactics 只能写 tactics.yaml 里的 id"))
    seen: dict[int, str] = {}
    for period in book.periods:
        for month in period.months:
            if month in seen:
                problems.append(error(period.pos, f"{month} 月同时属于“{seen[month]}”和“{period.name}”", "每个月只能属于一个时段"))
            seen[month] = period.name
    return problems
