"""Build the private MkDocs Material site from the computed Desk.

Pages are rendered from Jinja templates (``site_templates/pages``, the
community's own first), synced into a work folder (only changed files are
written) and built by MkDocs in-process with ``strict``: any warning fails
the build. Output depends only on the data and ``as_of``
(SOURCE_DATE_EPOCH is set from ``as_of``).
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import labels
from .aging import BUCKET_NAMES
from .charts import aging_chart, cjk_family, rate_chart
from .dashboard import QUEUE_GROUPS, QUEUE_HORIZON_DAYS, dashboard, queue
from .diagnostics import sorted_diagnostics
from .engine import Desk, UnitState
from .legal import CHECKED_WORDS
from .money import ZERO, fmt_grouped
from .outputs import sync_tree
from .playbook import PLAYBOOK_DIR, Match, Playbook, Segment, StageGuide, describe, describe_unless, load_playbook, match_segments, match_tactics, script_values

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUIDE_DIR = PROJECT_DIR / "docs" / "guide"


class SiteBuildError(RuntimeError):
    """MkDocs refused to build (a warning under --strict, or a broken template)."""


@dataclass(frozen=True, slots=True)
class LetterLink:
    unit: str
    title: str
    href: str  # relative to the site root


@dataclass(frozen=True, slots=True)
class SiteInputs:
    root: Path  # the community folder
    work: Path  # persistent folder for generated Markdown (only changed files are rewritten)
    letters: tuple[LetterLink, ...] = field(default=())


def template_dirs(root: Path, sub: str) -> list[Path]:
    """The community's own templates first, then the project's."""
    dirs = [root / "site_templates" / sub, PROJECT_DIR / "site_templates" / sub]
    return [d for d in dirs if d.is_dir()]


def environment(root: Path) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(root, "pages")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=fmt_grouped,
        pct=_percent,
        channel=lambda v: labels.CHANNEL.get(v, v),
        outcome=lambda v: labels.OUTCOME.get(v, v),
        reason=lambda v: labels.REASON.get(v, v),
        occupancy=lambda v: labels.OCCUPANCY.get(v, v),
        method=lambda v: labels.METHOD.get(v, v),
        applies_to=lambda v: labels.APPLIES_TO.get(v, v),
        plan_status=lambda v: labels.PLAN_STATUS.get(v, v),
        limitation_status=lambda v: labels.LIMITATION_STATUS.get(v, v),
    )
    return env


def _percent(value, missing: str = "—") -> str:
    if value is None:
        return missing
    return f"{value * 100:.2f}%"


@dataclass(frozen=True, slots=True)
class YearSummary:
    year: int
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class UnitHistory:
    """A unit's history as its page shows it: recent and unpaid items in full, older settled ones per year."""

    charges: tuple  # ChargeState, newest first
    older_charges: tuple[YearSummary, ...]
    payments: tuple  # Payment, newest first
    older_payments: tuple[YearSummary, ...]


HISTORY_DAYS = 365


def unit_history(state: UnitState, as_of) -> UnitHistory:
    cutoff = as_of - timedelta(days=HISTORY_DAYS)
    recent, older = [], {}
    for c in reversed(state.charges):
        if c.unpaid > 0 or c.charge.due >= cutoff:
            recent.append(c)
        else:
            count, amount = older.get(c.charge.due.year, (0, ZERO))
            older[c.charge.due.year] = (count + 1, amount + c.charge.amount)
    payments, older_payments = [], {}
    for p in sorted(state.payments, key=lambda p: (p.date, p.seq), reverse=True):
        if p.date >= cutoff:
            payments.append(p)
        else:
            count, amount = older_payments.get(p.date.year, (0, ZERO))
            older_payments[p.date.year] = (count + 1, amount + p.amount)
    return UnitHistory(
        tuple(recent), tuple(YearSummary(y, *older[y]) for y in sorted(older, reverse=True)),
        tuple(payments), tuple(YearSummary(y, *older_payments[y]) for y in sorted(older_payments, reverse=True)),
    )


@dataclass(frozen=True, slots=True)
class UnitAdvice:
    """What the playbook says about one unit: fitting tactics (best first), segments, the stage's guide."""

    matches: tuple[Match, ...]
    segments: tuple[Segment, ...]
    guide: StageGuide | None
    values: dict  # script placeholders filled for this unit


ADVICE_SHOWN = 3  # tactics shown in full on a unit page
LETTER_CONTEXTS = {
    "letter:notice": "催缴通知书", "letter:lawyer": "律师函", "letter:statement": "对账单",
    "letter:plan": "分期协议", "letter:board": "欠费公示", "letter:evidence": "证据清单",
}


def unit_advice(state: UnitState, book: Playbook, policy) -> UnitAdvice:
    return UnitAdvice(match_tactics(state, book), match_segments(state, book), book.guide_for(state.stage), script_values(state, policy))


def playbook_or_error(root: Path) -> Playbook:
    """The community's playbook and legal book; a SiteBuildError listing file:line:col when they have errors."""
    book = load_playbook(root)
    if book.errors:
        lines = "\n".join("  " + p.render() for p in sorted_diagnostics(book.errors))
        raise SiteBuildError(f"催收手册或法律依据的数据有错误：\n{lines}")
    return book


def cited_by(book: Playbook) -> dict[str, list[tuple[str, str | None]]]:
    """Article id -> (label, link from the legal page) of every playbook entry and letter that cites it."""
    out: dict[str, list[tuple[str, str | None]]] = {a.id: [] for a in book.legal.articles}
    entries = [
        *((g.laws, g.name + "阶段", f"playbook/stages.md#{g.id}") for g in book.stages),
        *((t.laws, t.name, f"playbook/tactics.md#{t.id}") for t in book.tactics),
        *((r.laws, "欠费原因：" + r.name, f"playbook/reasons.md#{r.id}") for r in book.reasons),
        *((d.laws, f"禁止事项第 {i} 条", f"playbook/donts.md#{d.id}") for i, d in enumerate(book.donts, 1)),
        *((ids, "函件：" + LETTER_CONTEXTS.get(context, context), None) for context, ids in book.legal.uses),
    ]
    for ids, label, href in entries:
        for article_id in ids:
            if article_id in out and (label, href) not in out[article_id]:
                out[article_id].append((label, href))
    return out


def playbook_pages(env: Environment, desk: Desk, book: Playbook, advice: dict[str, UnitAdvice], root: Path) -> dict[str, str | bytes]:
    """The 催收手册 section and the 法律依据 page."""
    common = {"as_of": desk.as_of, "policy": desk.policy, "pb": book, "legal": book.legal}
    files: dict[str, str | bytes] = {}
    for folder in (root / PLAYBOOK_DIR, PROJECT_DIR / PLAYBOOK_DIR):  # the community's own index.md wins
        if (folder / "index.md").is_file():
            files["playbook/index.md"] = (folder / "index.md").read_bytes()
            break
    counts: dict[str, int] = {}
    reason_counts: dict[str, int] = {}
    firsts: dict[str, list[str]] = {}
    for state in desk.units:
        if not state.in_arrears:
            continue
        if state.stage is not None:
            counts[state.stage.id] = counts.get(state.stage.id, 0) + 1
        for reason in state.reasons:
            reason_counts[reason] = reason_counts.get(reason, 0) + 1
        matches = advice[state.unit.id].matches
        if matches:
            firsts.setdefault(matches[0].tactic.id, []).append(state.unit.id)
    stage_rows = [(stage, book.guide_for(stage), counts.get(stage.id, 0)) for stage in desk.policy.dunning]
    files["playbook/stages.md"] = env.get_template("playbook/stages.md.j2").render(
        common, stage_rows=stage_rows, channels=lambda stage: "、".join(labels.CHANNEL.get(c, c) for c in stage.channels),
    )
    files["playbook/tactics.md"] = env.get_template("playbook/tactics.md.j2").render(
        common, firsts=firsts, describe=lambda fits: describe(fits, book), describe_unless=lambda unless: describe_unless(unless, book),
    )
    files["playbook/segments.md"] = env.get_template("playbook/segments.md.j2").render(
        common, describe_fits=lambda fits: describe(fits, book),
    )
    files["playbook/reasons.md"] = env.get_template("playbook/reasons.md.j2").render(common, reason_counts=reason_counts)
    files["playbook/calendar.md"] = env.get_template("playbook/calendar.md.j2").render(common, current=book.period_for(desk.as_of.month))
    files["playbook/donts.md"] = env.get_template("playbook/donts.md.j2").render(common)
    files["legal.md"] = env.get_template("legal.md.j2").render(common, checked_words=CHECKED_WORDS, cited_by=cited_by(book))
    return files


def pages(desk: Desk, inputs: SiteInputs) -> dict[str, bytes]:
    """Every generated file of the docs folder, by relative path."""
    env = environment(inputs.root)
    book = playbook_or_error(inputs.root)
    advice = {state.unit.id: unit_advice(state, book, desk.policy) for state in desk.units}
    board = dashboard(desk)
    common = {"as_of": desk.as_of, "policy": desk.policy, "t": desk.totals}
    files: dict[str, str | bytes] = {}
    files["index.md"] = env.get_template("index.md.j2").render(common, d=board, aging_names=BUCKET_NAMES)
    arrears = sorted((s for s in desk.units if s.in_arrears), key=lambda s: (s.oldest_due, s.unit.id))
    files["arrears.md"] = env.get_template("arrears.md.j2").render(common, rows=arrears)
    files["queue.md"] = env.get_template("queue.md.j2").render(
        common, queue=queue(desk), groups=QUEUE_GROUPS, horizon=QUEUE_HORIZON_DAYS,
        horizon_end=desk.as_of + timedelta(days=QUEUE_HORIZON_DAYS),
    )
    expiring = [
        (s, c) for s in desk.units for c in s.charges
        if c.limitation is not None and c.limitation.status in ("warning", "expired")
    ]
    expiring.sort(key=lambda sc: (sc[1].limitation.expiry, sc[0].unit.id))
    files["limitation.md"] = env.get_template("limitation.md.j2").render(common, rows=expiring, warn_days=desk.policy.limitation.warn_days)
    unit_template = env.get_template("unit.md.j2")
    letters_by_unit: dict[str, list[LetterLink]] = {}
    for link in inputs.letters:
        letters_by_unit.setdefault(link.unit, []).append(
            LetterLink(link.unit, link.title, "../" + link.href)
        )
    for state in desk.units:
        files[f"units/{state.unit.id}.md"] = unit_template.render(
            common, s=state, u=state.unit, h=unit_history(state, desk.as_of), letters=letters_by_unit.get(state.unit.id, []),
            advice=advice[state.unit.id], shown=ADVICE_SHOWN, legal=book.legal,
        )
    files.update(playbook_pages(env, desk, book, advice, inputs.root))
    family = cjk_family()
    files["charts/aging.svg"] = aging_chart(board.aging, family)
    files["charts/rates.svg"] = rate_chart(board.monthly_rates, family)
    files["robots.txt"] = "User-agent: *\nDisallow: /\n"
    for folder in reversed(template_dirs(inputs.root, "assets")):  # the community's assets win
        for path in folder.rglob("*"):
            if path.is_file():
                files["assets/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    if GUIDE_DIR.is_dir():
        for path in sorted(GUIDE_DIR.glob("*.md")):
            files["guide/" + path.name] = path.read_bytes()
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}


def config_file(root: Path) -> Path:
    own = root / "mkdocs.yml"
    return own if own.is_file() else PROJECT_DIR / "mkdocs.yml"


@contextmanager
def _build_date(desk: Desk):
    """MkDocs stamps the sitemap with the build date: make it the as-of day."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = datetime(desk.as_of.year, desk.as_of.month, desk.as_of.day, tzinfo=timezone.utc)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def build_site(desk: Desk, inputs: SiteInputs, site_dir: Path) -> int:
    """Render, sync and build; returns how many generated source files changed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    docs = (inputs.work / "docs").absolute()
    written, _removed = sync_tree(docs, pages(desk, inputs))
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # pragma: no cover - jieba is a declared dependency
        pass
    collected = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collected)
    with _build_date(desk):
        try:
            config = load_config(
                config_file=str(config_file(inputs.root)), docs_dir=str(docs), site_dir=str(site_dir.absolute()),
                strict=True, site_name=f"{desk.policy.community} 催缴台账",
            )
            build(config)
        except (Abort, ConfigurationError) as exc:
            details = "\n".join(collected.messages)
            raise SiteBuildError(f"网站生成失败：{exc}\n{details}".rstrip()) from None
        finally:
            mkdocs_logger.removeHandler(collected)
    return written


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a failed build can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"  {record.levelname}: {record.getMessage()}")
