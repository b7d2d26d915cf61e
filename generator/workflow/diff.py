"""The money diff: what a change to the data does to the money, in Chinese Markdown.

Both sides go through the one pipeline (``pipeline.check`` then
``pipeline.desk_for``) at the same as-of date. A Git revision is
materialised from Git's objects (the data files of ``ledger/`` and
``owners/``; never a link, a submodule or a file over the reading limits,
which are errors of that side) into a temporary folder; the working tree
is read in place. When a side has data errors the diff lists them instead
of numbers: numbers from bad data are never shown.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from msgspec.structs import fields, replace

from generator import pipeline
from generator.core import labels
from generator.core.diagnostics import Diagnostic, Pos, error, sorted_diagnostics
from generator.core.errors import UsageProblem
from generator.core.inert import for_markdown, visible
from generator.core.model import Ledger, Policy
from generator.core.money import ZERO, fmt_grouped
from generator.reading.files import (
    COMMUNITIES_FOLDER,
    DATA_FOLDERS,
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    SHARED_FOLDER,
    SHARED_POLICY,
)
from generator.reading.validate import validate
from generator.rules.engine import Desk, UnitState, compute

MAX_ERRORS = 50


class GitError(UsageProblem):
    """A revision that cannot be read; the message is Chinese."""


@dataclass(frozen=True, slots=True)
class Side:
    label: str  # how the Markdown names this side
    checked: pipeline.Checked
    desk: Desk | None  # None when the data has errors


# -- Git ---------------------------------------------------------------------

def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), "-c", "core.quotePath=false", *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("找不到 git 命令，请先安装 Git") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return done.stdout


def changed_paths(repo: Path, base: str) -> list[str]:
    """The repository paths a change since ``base`` (its merge base with HEAD) touches; GitError in Chinese
    when ``base`` cannot be compared (in CI: fetch the base branch first)."""
    try:
        listing = _git(repo, "diff", "--name-only", "-z", f"{base}...HEAD", "--")
    except GitError as exc:
        raise GitError(f"无法比较“{base}”：{exc}（在 CI 里请先 git fetch 基准分支）") from None
    return [p for p in listing.decode("utf-8", "surrogateescape").split("\0") if p]


def git_location(root: Path) -> tuple[Path, str]:
    """The repository's top folder and the community's path inside it ('' or 'sub/dir/')."""
    try:
        top = _git(root, "rev-parse", "--show-toplevel").decode().strip()
        prefix = _git(root, "rev-parse", "--show-prefix").decode("utf-8").strip()
    except GitError:
        raise GitError(f"“{root}”不在 Git 仓库里，无法比较版本") from None
    return Path(top), prefix


def resolve(root: Path, revision: str) -> str:
    """The commit id of a revision, or GitError in Chinese."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}").decode().strip()
    except GitError:
        raise GitError(f"找不到版本“{revision}”（可以是分支名、标签或提交号；在 CI 里请先 git fetch）") from None


def materialise(root: Path, commit: str, dest: Path) -> tuple[Path, list[Diagnostic]]:
    """Write the data files of ledger/ and owners/ of ``commit`` under ``dest``; the community folder there, and
    the entries refused.

    The revision is read from Git's objects, never from the working tree:
    only regular files whose name ends in .yaml or .yml are written (the
    others are never read). A symbolic link, a submodule or a file over the
    reading limits is not written but refused with an error at its path, as
    ``check`` refuses them in a folder: a link is never followed, its target
    never read.
    """
    top, prefix = git_location(root)
    listing = _git(top, "ls-tree", "-r", "-l", "-z", commit, "--", *(f":(literal){prefix}{f}" for f in DATA_FOLDERS))
    community = dest / prefix if prefix else dest
    community.mkdir(parents=True, exist_ok=True)
    wanted: list[tuple[str, str, int]] = []  # (object, path inside the community, size)
    refused: list[Diagnostic] = []
    total = 0
    for record in filter(None, listing.decode("utf-8", "surrogateescape").split("\0")):
        meta, _, full = record.partition("\t")
        mode, _kind, obj, size = meta.split()
        path = _inside(full, prefix)
        if path is None or any(part.startswith(".") for part in path.split("/")):
            continue  # never read: a hidden file (or a name no community folder could hold)
        shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if mode == "120000":
            where = shown + "/" if path in DATA_FOLDERS else shown
            refused.append(error(Pos(where), f"{where} 在这个版本里是一个链接（符号链接），比较时不读取，也不读取它指向的文件", _LINK_HINT))
        elif mode == "160000":
            refused.append(error(Pos(shown + "/"), f"{shown} 在这个版本里是一个 Git 子模块，比较时不读取", "台账数据要直接放在本仓库的 ledger/ 和 owners/ 里"))
        elif not mode.startswith("100") or not path.endswith((".yaml", ".yml")):
            continue
        elif int(size) > MAX_FILE_BYTES or total + int(size) > MAX_TOTAL_BYTES:
            limit = "一个文件最多" if int(size) > MAX_FILE_BYTES else "数据文件合计最多"
            cap = MAX_FILE_BYTES if int(size) > MAX_FILE_BYTES else MAX_TOTAL_BYTES
            refused.append(error(Pos(shown), f"{shown} 在这个版本里有 {int(size) / 1048576:.0f} MB，{limit} {cap // 1048576} MB，比较时不读取",
                                 "按月或按年拆成几个文件，或检查它是不是误放的别的文件"))
        else:
            total += int(size)
            wanted.append((obj, path, int(size)))
    _write_blobs(top, wanted, community)
    if re.fullmatch(f"{COMMUNITIES_FOLDER}/[^/]+/", prefix):  # communities/<name>/: the policy the communities share
        refused += _materialise_shared(top, commit, dest / COMMUNITIES_FOLDER / SHARED_FOLDER)
    return community, refused


def _materialise_shared(top: Path, commit: str, folder: Path) -> list[Diagnostic]:
    """``communities/_shared/policy.yaml`` of ``commit`` into ``folder``, refused as ``materialise`` refuses a data file."""
    path = f"{COMMUNITIES_FOLDER}/{SHARED_FOLDER}/policy.yaml"
    listing = _git(top, "ls-tree", "-l", "-z", commit, "--", f":(literal){path}")
    for record in filter(None, listing.decode("utf-8", "surrogateescape").split("\0")):
        meta, _, _full = record.partition("\t")
        mode, _kind, obj, size = meta.split()
        if mode == "120000":
            return [error(Pos(SHARED_POLICY), f"{SHARED_POLICY} 在这个版本里是一个链接（符号链接），比较时不读取", _LINK_HINT)]
        if mode.startswith("100") and int(size) <= MAX_FILE_BYTES:
            folder.mkdir(parents=True, exist_ok=True)
            _write_blobs(top, [(obj, "policy.yaml", int(size))], folder)
    return []


_LINK_HINT = "cuijiao 只读取真实文件：请把链接换成文件本身（复制过来），或删除它"


def _inside(full: str, prefix: str) -> str | None:
    """``full`` (a path in the repository) relative to the community, when it is a plain relative path inside it."""
    if not full.startswith(prefix):
        return None
    path = full[len(prefix):]
    parts = path.split("/")
    if parts[0] not in DATA_FOLDERS or any(part in ("", ".", "..") or "\0" in part for part in parts):
        return None
    return path


def _write_blobs(top: Path, wanted: list[tuple[str, str, int]], community: Path) -> None:
    """Each object's bytes into ``community/path``, streamed from one ``git cat-file --batch``: one file in memory at a time."""
    if not wanted:
        return
    process = subprocess.Popen(["git", "-C", str(top), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    feeder = threading.Thread(target=_feed, args=(process.stdin, "".join(obj + "\n" for obj, _, _ in wanted).encode()), daemon=True)
    feeder.start()
    try:
        for obj, path, size in wanted:
            header = process.stdout.readline().split()
            if len(header) != 3 or header[0].decode() != obj or header[1] != b"blob" or int(header[2]) != size:
                raise GitError(f"读取版本里的 {path} 失败（git cat-file 的输出不对），请确认仓库完整（git fsck）")
            target = community / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as handle:  # a fresh folder of ours: "x" never follows or replaces anything
                left = size
                while left:
                    chunk = process.stdout.read(min(left, 1 << 20))
                    if not chunk:
                        raise GitError(f"读取版本里的 {path} 失败（git cat-file 提前结束），请确认仓库完整（git fsck）")
                    handle.write(chunk)
                    left -= len(chunk)
            process.stdout.read(1)  # the newline after each object
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        feeder.join()


def _feed(stdin, data: bytes) -> None:
    try:
        stdin.write(data)
        stdin.close()
    except OSError:  # git stopped reading (it failed, or we killed it)
        pass


# -- the two sides -------------------------------------------------------------

def read_side(root: Path, label: str, as_of: date, today: date, use_cache: bool, refused: Sequence[Diagnostic] = ()) -> Side:
    """One side checked and computed; ``refused``: the entries ``materialise`` did not write, errors of this side."""
    checked = pipeline.check(root, as_of, today, use_cache)
    if refused:
        checked = pipeline.Checked(checked.ledger, tuple(sorted_diagnostics([*checked.problems, *refused])))
    desk = pipeline.desk_for(checked, as_of) if not checked.errors else None
    return Side(label, checked, desk)


def _label(revision: str, commit: str) -> str:
    """How the Markdown names a revision: as typed, in a code span (without backticks), and its short commit id."""
    return f"`{revision.replace('`', '')}`（{commit[:7]}）"


@contextmanager
def sides(root: Path, base: str, head: str | None, as_of: date, today: date, use_cache: bool = True) -> Iterator[tuple[Side, Side]]:
    base_commit = resolve(root, base)
    head_commit = resolve(root, head) if head is not None else None
    with tempfile.TemporaryDirectory(prefix="cuijiao-diff-") as tmp:
        before_root, refused = materialise(root, base_commit, Path(tmp) / "base")
        before = read_side(before_root, _label(base, base_commit), as_of, today, False, refused)
        if head_commit is None:
            after = read_side(root, "工作区", as_of, today, use_cache)
        else:
            after_root, refused = materialise(root, head_commit, Path(tmp) / "head")
            after = read_side(after_root, _label(head, head_commit), as_of, today, False, refused)
        yield before, after


# -- Markdown ---------------------------------------------------------------------

def md(text: object) -> str:
    """Data text made inert in Markdown (names, notes, approvals come from the committee): ``core.inert.for_markdown``,
    the function the site uses, so a link, an image, a tag or a line break in the data is shown as written."""
    return for_markdown(str(text))


def money(amount: Decimal) -> str:
    return fmt_grouped(amount)


def _values(record, skip: tuple[str, ...] = ("pos", "seq")) -> tuple:
    """A record's data without its place in the files, for comparing two versions."""
    return tuple(getattr(record, f.name) for f in fields(record) if f.name not in skip)


def _listed_values(records) -> list[tuple]:
    """A list of policy records as comparable values, positions left out."""
    return [_values(r) for r in records]


def _changes(before, after) -> tuple[list, list]:
    """Records added and removed, compared by value (moving an entry between files is no change)."""
    old = Counter(_values(r) for r in before)
    new = Counter(_values(r) for r in after)
    added_keys, removed_keys = new - old, old - new
    added = [r for r in after if _take(added_keys, _values(r))]
    removed = [r for r in before if _take(removed_keys, _values(r))]
    return added, removed


def _take(counter: Counter, key) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def _stage_name(state: UnitState | None) -> str:
    return md(state.stage.name) if state is not None and state.stage is not None else "无"


def _action(state: UnitState | None) -> str:
    if state is None:
        return "无"
    action = state.next_action
    if action.date is None or str(action.date) in action.text:
        return action.text
    return f"{action.text}（{action.date}）"


def _plan(state: UnitState | None) -> str:
    if state is None or state.plan is None:
        return "无"
    return labels.PLAN_STATUS.get(state.plan.status, state.plan.status)


def _limitation(state: UnitState | None) -> str:
    """The worst limitation status of what the unit owes (rule 10) in words; never "正常" when a late fee is barred."""
    if state is None:
        return "无"
    status = state.limitation.status
    if status in (None, "ok") and state.late_fee_barred > 0:
        return "违约金有已过时效的部分"
    return "无" if status is None else labels.LIMITATION_STATUS.get(status, status)


def _arrow(before: str, after: str) -> str:
    return f"{before} → {after}" if before != after else f"{after}（不变）"


def unit_lines(unit_id: str, old: UnitState | None, new: UnitState | None) -> list[str]:
    """The Markdown lines for one unit, or [] when nothing about its money changed."""
    def amount(state, name):
        return money(getattr(state, name)) if state is not None else "—"

    def expired(state):
        return money(state.limitation.expired_amount) if state is not None else "—"

    rows = [
        ("违约金", amount(old, "late_fee"), amount(new, "late_fee")),
        ("已过诉讼时效的违约金（不计入违约金）", amount(old, "late_fee_barred"), amount(new, "late_fee_barred")),
        ("诉讼时效", _limitation(old), _limitation(new)),
        ("已过诉讼时效的欠费", expired(old), expired(new)),
        ("未到期", amount(old, "not_due"), amount(new, "not_due")),
        ("预缴余额", amount(old, "credit"), amount(new, "credit")),
        ("催缴阶段", _stage_name(old), _stage_name(new)),
        ("分期协议", _plan(old), _plan(new)),
        ("下一步", md(_action(old)), md(_action(new))),
    ]
    head_old, head_new = amount(old, "outstanding"), amount(new, "outstanding")
    if head_old == head_new and all(b == a for _, b, a in rows):
        return []
    mark = "（新增）" if old is None else "（已删除）" if new is None else ""
    lines = [f"- {unit_id}{mark}: 欠费 {_arrow(head_old, head_new)}"]
    lines += [f"  - {name}：{b} → {a}" for name, b, a in rows if b != a]
    return lines


def _expired(desk: Desk) -> Decimal:
    return sum((s.limitation.expired_amount for s in desk.units), ZERO)


def _totals_lines(before: Desk, after: Desk) -> list[str]:
    b, a = before.totals, after.totals
    rows = [
        ("欠费合计", money(b.outstanding), money(a.outstanding)),
        ("其中已过诉讼时效", money(_expired(before)), money(_expired(after))),
        ("违约金合计", money(b.late_fee), money(a.late_fee)),
        ("已过诉讼时效的违约金（不计入）", money(b.late_fee_barred), money(a.late_fee_barred)),
        ("欠费户数", str(b.units_in_arrears), str(a.units_in_arrears)),
        ("已缴合计", money(b.paid), money(a.paid)),
        ("减免合计", money(b.waived), money(a.waived)),
    ]
    return [f"| {name} | {x} | {y} | {'' if x == y else '有变化'} |" for name, x, y in rows]


def _entry_sections(before: Ledger, after: Ledger) -> list[str]:
    out: list[str] = []

    def section(title: str, added: list[str], removed: list[str]) -> None:
        if not added and not removed:
            return
        out.extend(["", f"### {title}", ""])
        out.extend(f"- 新增 {line}" for line in added)
        out.extend(f"- 删除 {line}" for line in removed)

    added, removed = _changes(before.payments, after.payments)
    section("缴费", [_payment(p) for p in added], [_payment(p) for p in removed])
    added, removed = _changes(before.charges, after.charges)
    section("一次性收费", [_charge(c) for c in added], [_charge(c) for c in removed])
    added, removed = _changes(before.waivers, after.waivers)
    section("减免", [_waiver(w) for w in added], [_waiver(w) for w in removed])
    unprotected = sorted({w.pos.path for w in added if not w.pos.path.startswith("ledger/waivers/")})
    if unprotected:
        out.extend(["", (f"> 注意：新增的减免写在 ledger/waivers/ 以外的文件里（{md('、'.join(unprotected))}），"
                         "不受 CODEOWNERS 的第二审批人保护，请特别留意审核。")])
    added, removed = _changes(before.plans, after.plans)
    section("分期协议", [_plan_line(p) for p in added], [_plan_line(p) for p in removed])
    old_contacts = [(u.id, c) for u in before.units for c in u.contacts]
    new_contacts = [(u.id, c) for u in after.units for c in u.contacts]
    added, removed = _changes_pairs(old_contacts, new_contacts)
    section("催收记录", [_contact(u, c) for u, c in added], [_contact(u, c) for u, c in removed])
    complaints = complaint_lines(before, after)
    if complaints:
        out.extend(["", "### 投诉", "", *complaints])
    return out


def _complaint_name(unit_id: str, c) -> str:
    return f"{unit_id} {c.opened} {labels.COMPLAINT_CATEGORY.get(c.category, c.category)}投诉“{md(c.said)}”"


def complaint_lines(before: Ledger, after: Ledger) -> list[str]:
    """Complaints opened, resolved, confirmed, reopened or deleted, and steps taken on them (issue 16); a
    complaint is the same one on both sides when its unit, day, category and the owner's words are."""
    def by_key(ledger: Ledger) -> dict:
        return {(u.id, c.opened, c.category, c.said): c for u in ledger.units for c in u.complaints}
    old, new = by_key(before), by_key(after)
    lines: list[str] = []
    for key, c in new.items():
        name, was = _complaint_name(key[0], c), old.get(key)
        if was is None:
            handler = f"，负责人：{md(c.owner)}" if c.owner else "，没有负责人"
            promised = f"，承诺 {c.promised} 前解决" if c.promised else ""
            lines.append(f"- 新投诉 {name}{handler}{promised}")
            was = replace(c, updates=(), resolved=None, confirmed=None)
        lines += [f"- 处理进展 {name}：{u.date} {md(u.text)}" for u in c.updates[len(was.updates):] if u not in was.updates]
        if c.resolved is not None and was.resolved is None:
            how = f"：{md(c.resolution)}" if c.resolution else ""
            lines.append(f"- 已解决 {name}，{c.resolved} 解决{how}")
        elif c.resolved is None and was.resolved is not None:
            lines.append(f"- 重新打开 {name}（原记 {was.resolved} 解决）")
        if c.confirmed is not None and was.confirmed is None:
            lines.append(f"- 业主确认 {name}，{c.confirmed} 确认已解决")
    lines += [f"- 删除 {_complaint_name(key[0], c)}" for key, c in old.items() if key not in new]
    return lines


def _changes_pairs(before: list[tuple[str, object]], after: list[tuple[str, object]]):
    old = Counter((u, _values(c)) for u, c in before)
    new = Counter((u, _values(c)) for u, c in after)
    added_keys, removed_keys = new - old, old - new
    return ([(u, c) for u, c in after if _take(added_keys, (u, _values(c)))],
            [(u, c) for u, c in before if _take(removed_keys, (u, _values(c)))])


def _payment(p) -> str:
    receipt = f"，收据 {md(p.receipt)}" if p.receipt else ""
    designated = ""
    if p.designation:
        words = {"opening": "期初欠费", "late_fee": "违约金"}
        designated = "，业主指定缴：" + "、".join(words.get(d, d) for d in p.designation)
    return f"{p.unit} {p.date} 缴费 {money(p.amount)} 元（{labels.METHOD.get(p.method, p.method)}{receipt}{designated}）"


def _charge(c) -> str:
    period = f"（{md(c.period)}）" if c.period else ""
    return f"{c.unit} {md(c.item)}{period} {money(c.amount)} 元，{c.due} 到期"


def _waiver(w) -> str:
    consent = f"，债权人同意：{md(w.consent)}" if w.consent else ""
    return (f"{w.unit} {w.date} 减免{labels.APPLIES_TO.get(w.applies_to, w.applies_to)} {money(w.amount)} 元，"
            f"批准：{md(w.approved_by)}，理由：{md(w.reason)}{consent}")


def _plan_line(p) -> str:
    steps = "、".join(f"{i.due} {money(i.amount)}" for i in p.installments)
    terms = "".join((
        "，承认全部欠费（含已过诉讼时效的）" if p.covers == "all" else "",
        "，按期履行期间违约金停止计算" if p.late_fee == "freeze" else "",
    ))
    return f"{p.unit} {p.signed} 签订，共 {len(p.installments)} 期 {money(p.total)} 元（{steps}）{terms}"


def _contact(unit_id: str, c) -> str:
    parts = [f"{unit_id} {c.date} {labels.CHANNEL.get(c.channel, c.channel)}，{labels.OUTCOME.get(c.outcome, c.outcome)}"]
    if c.promise is not None:
        amount = f" {money(c.promise.amount)} 元" if c.promise.amount is not None else ""
        parts.append(f"承诺 {c.promise.date} 前付{amount}")
    if c.purpose != "demand":
        parts.append(f"用途：{labels.PURPOSE.get(c.purpose, c.purpose)}（不算催缴）")
    if c.party == "creditor":
        parts.append("债权人自己的人员")
    if c.outcome == "promised" and c.covers == "all":
        parts.append("承认全部欠费（含已过诉讼时效的）")
    if c.by:
        parts.append(f"经办：{md(c.by)}")
    if c.evidence:
        parts.append(f"证据：{md(c.evidence)}")
    return "，".join(parts)


# -- policy ------------------------------------------------------------------------

def policy_lines(before: Policy, after: Policy) -> list[str]:
    """One line per changed part of the policy; [] when the policy is the same."""
    lines: list[str] = []
    for label, changed, text in (
        ("小区名称", before.community != after.community, lambda p: md(p.community)),
        ("落款单位", before.issuer != after.issuer, lambda p: md(p.issuer.name)),
        ("债权人", before.creditor_name != after.creditor_name, lambda p: md(p.creditor_name)),
        ("债权人的授权", _listed_values(before.authorisations) != _listed_values(after.authorisations), _authorisations_text),
    ):
        if changed:
            lines.append(f"- {label}：{text(before)} → {text(after)}")
    if before.payment_channels != after.payment_channels:
        lines.append("- 缴费方式（印在函件上）有修改")
    old_fees = {(f.id, f.valid_from): f for f in before.fees}
    new_fees = {(f.id, f.valid_from): f for f in after.fees}
    for key in sorted(old_fees.keys() | new_fees.keys(), key=lambda k: (k[0], str(k[1]))):
        old, new = old_fees.get(key), new_fees.get(key)
        since = f"（{key[1]} 起）" if key[1] else ""
        if old is None:
            lines.append(f"- 新增收费项目 {md(new.name)}{since}：{_fee_text(new)}")
        elif new is None:
            lines.append(f"- 删除收费项目 {md(old.name)}{since}")
        elif _values(old, ("pos", "order")) != _values(new, ("pos", "order")):
            lines.append(f"- 收费项目 {md(new.name)}{since}：{_fee_text(old)} → {_fee_text(new)}")
    for label, changed, text in (
        ("违约金", before.late_fee != after.late_fee, _late_fee_text),
        ("催缴阶段", _listed_values(before.dunning) != _listed_values(after.dunning), _stages_text),
    ):
        if changed:
            lines.append(f"- {label}：{text(before)} → {text(after)}")
    if before.limitation != after.limitation:
        b, a = before.limitation, after.limitation
        lines.append(f"- 诉讼时效：{b.years} 年、提前 {b.warn_days} 天提醒 → {a.years} 年、提前 {a.warn_days} 天提醒")
    if before.complaints != after.complaints:
        b, a = before.complaints, after.complaints
        lines.append(f"- 投诉处理：未解决的投诉不满 {b.hold_lawyer_days} 天不发律师函、业主确认后 {b.call_after_days} 天内回访 → "
                     f"{a.hold_lawyer_days} 天、{a.call_after_days} 天内回访")
    if before.publish_unit_amounts != after.publish_unit_amounts:
        word = {True: "公示房号和金额", False: "只公示总数"}
        lines.append(f"- 公示栏：{word[before.publish_unit_amounts]} → {word[after.publish_unit_amounts]}")
    return lines


def _authorisations_text(policy: Policy) -> str:
    return "、".join(f"{md(a.document)}（{a.valid_from} 起{f'至 {a.valid_until}' if a.valid_until else '，不限期'}）"
                    for a in policy.authorisations) or "无"


def _fee_text(fee) -> str:
    if fee.rate is not None:
        rate = str(fee.rate)
    else:
        rate = "、".join(f"{md(name)} {value}" for name, value in fee.rates)
    basis = "元/平方米/月" if fee.basis == "area" else "元/户/月"
    extra = f"，空置系数 {fee.vacant_factor}" if fee.vacant_factor != 1 else ""
    until = f"，至 {fee.valid_until}" if fee.valid_until else ""
    return f"{rate} {basis}，每 {fee.cycle} 个月一期，{fee.due_day} 日到期{extra}{until}"


def _late_fee_text(policy: Policy) -> str:
    lf = policy.late_fee
    if lf is None:
        return "不计"
    return f"每日 {lf.daily_rate}，宽限 {lf.grace_days} 天，上限 {lf.cap} 倍"


def _stages_text(policy: Policy) -> str:
    return "、".join(f"{md(s.name)}（{s.after_days} 天）" for s in policy.dunning) or "无"


def policy_affected(before: Ledger, after_policy: Policy, before_desk: Desk, as_of: date, today: date) -> int | None:
    """How many units the policy change alone moves: the old data under the new policy, compared with the old desk."""
    trial = replace(before, policy=after_policy)
    if any(p.severity == "error" for p in validate(trial, max(today, as_of))):
        return None
    trial_desk = compute(trial, as_of)
    old = {s.unit.id: s for s in before_desk.units}
    return sum(1 for s in trial_desk.units if unit_lines(s.unit.id, old.get(s.unit.id), s))


# -- the whole report ----------------------------------------------------------------

def _errors_section(side: Side, which: str) -> list[str]:
    errors = side.checked.errors
    lines = ["", f"> **{which}（{side.label}）的数据有 {len(errors)} 处错误，无法计算金额变化。** 请先改正：", ""]
    lines += [f"- `{str(p.pos).replace('`', '')}` {md(p.message)}" + (f"（{md(p.hint)}）" if p.hint else "") for p in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        lines.append(f"- ……另有 {len(errors) - MAX_ERRORS} 处，运行 cuijiao check 查看全部")
    return lines


def render(before: Side, after: Side, as_of: date, today: date) -> str:
    """The diff in Markdown, for the terminal and a CI summary alike: data text inert (``md``), no control character."""
    return visible(_render(before, after, as_of, today))


def _render(before: Side, after: Side, as_of: date, today: date) -> str:
    lines = [f"## 金额变化（按 {as_of} 计算）", "", f"比较：{before.label} → {after.label}"]
    if before.desk is None or after.desk is None:
        if after.desk is None:
            lines += _errors_section(after, "改动后")
        if before.desk is None:
            lines += _errors_section(before, "改动前")
        return "\n".join(lines) + "\n"
    old_ledger, new_ledger = before.checked.ledger, after.checked.ledger
    assert old_ledger is not None and new_ledger is not None
    old = {s.unit.id: s for s in before.desk.units}
    new = {s.unit.id: s for s in after.desk.units}
    unit_section: list[str] = []
    for unit_id in sorted(old.keys() | new.keys()):
        unit_section += unit_lines(unit_id, old.get(unit_id), new.get(unit_id))
    entries = _entry_sections(old_ledger, new_ledger)
    policy = policy_lines(old_ledger.policy, new_ledger.policy)
    if not unit_section and not entries and not policy:
        lines += ["", "这次改动不影响任何金额、诉讼时效、阶段、催收记录或投诉。"]
        return "\n".join(lines) + "\n"
    lines += ["", "| 合计 | 改动前 | 改动后 | |", "|---|---:|---:|---|"] + _totals_lines(before.desk, after.desk)
    if unit_section:
        lines += ["", f"### 各户变化（{sum(1 for l in unit_section if l.startswith('- '))} 户）", ""] + unit_section
    if policy:
        affected = policy_affected(old_ledger, new_ledger.policy, before.desk, as_of, today)
        count = f"单看政策改动，影响 {affected} 户的金额、诉讼时效、阶段或下一步。" if affected is not None else "新政策与改动前的数据不兼容，无法单独统计影响户数。"
        lines += ["", "### 收费政策", ""] + policy + ["", count]
    lines += entries
    return "\n".join(lines) + "\n"
