"""Build the private MkDocs Material site from the computed Desk.

Pages are rendered from Jinja templates (``site_templates/pages``, the
community's own first) into a work folder beside a generated ``mkdocs.yml``
and the merged theme overrides (see ``siteconfig``); only changed files are
written. MkDocs builds it in-process with ``strict``: any warning fails the
build. Output depends only on the data and ``as_of`` (SOURCE_DATE_EPOCH is
set from ``as_of``).

A unit page is two files: ``docs/units/<房号>.md``, the title and the few
words search needs, and ``overrides/cj-units/<房号>.html``, the detail,
which the theme includes as it is. So Markdown and the search plugin see a
few lines per unit, not a page of tables: the bulk of a large site's build
time before.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import msgspec
from jinja2 import (
    Environment,
    TemplateError,
)
from markupsafe import Markup, escape

from generator.content.legal import CHECKED_WORDS
from generator.content.playbook import (
    PLAYBOOK_DIR,
    Match,
    Playbook,
    Segment,
    StageGuide,
    describe,
    describe_unless,
    load_playbook,
    match_segments,
    match_tactics,
    script_values,
)
from generator.core.diagnostics import sorted_diagnostics
from generator.core.inert import for_markdown
from generator.core.labels import COMPLAINT_CATEGORY
from generator.core.money import ZERO
from generator.core.paths import PROJECT_DIR
from generator.reading.files import inside, own_files, read_data_file, read_own
from generator.render import templates
from generator.render.outputs import holds, link_or_copy, sync_tree, write_new
from generator.render.templates import template_dirs
from generator.rules.aging import BUCKET_NAMES
from generator.rules.engine import RECORD_ENCODER, Desk, UnitState, share
from generator.rules.followup import channels_text
from generator.site import config as siteconfig
from generator.site.asis import MARK, AsIsBlocks, put_back
from generator.site.config import SiteBuildError
from generator.site.export import arrears_sheet, queue_sheet, workbook
from generator.site.fragments import CacheExtension, FragmentCache
from generator.views.complaints import AGE_GROUPS, CATEGORIES, complaints_view
from generator.views.dashboard import QUEUE_GROUPS, QUEUE_HORIZON_DAYS, dashboard, queue
from generator.views.unitpage import unit_history

GUIDE_DIR = PROJECT_DIR / "docs" / "guide"


@dataclass(frozen=True, slots=True)
class LetterLink:
    unit: str
    title: str
    file: str  # relative to the letters folder (and to the site's letters/ folder)
    court: bool = False  # part of the household's case file (printing.dossier.COURT_KINDS): the queue links it


@dataclass(frozen=True, slots=True)
class SiteInputs:
    root: Path  # the community folder
    work: Path  # persistent folder for the generated mkdocs.yml, docs/ and overrides/ (only changed files are rewritten)
    letters: tuple[LetterLink, ...] = field(default=())
    letters_dir: Path | None = None  # where the letters' files are; each linked one is put under the site's letters/
    search: bool = True  # False: a site to publish: no search index, no workbook (nothing staticrypt would leave plain)


MANIFEST_LIMIT = 64 * 1024 * 1024  # bytes: far above the manifest of a 5,000-unit community (a few MB)
# What a letter's "file" may be (printing.letters): "<kind>/<doc number>.pdf", letters, digits, "-" and "_"
# (unit ids may be Chinese), no ".", "..", separator or leading dot. Anything else is not ours.
LETTER_FILE = re.compile(r"[^\W_][\w-]*/[^\W_][\w-]*\.pdf")


def letter_source(folder: Path, file: object) -> Path | None:
    """``folder/file`` when ``file`` names a letter the way a build writes it and is a regular file there.

    The manifest is data, never a path to trust: an absolute path, "..", a
    name of another shape, a symbolic link (the file, its kind's folder or
    the letters folder itself) or anything that resolves outside ``folder``
    gives None, so nothing outside the output folder is ever read, linked or
    deleted because a manifest names it.
    """
    if not isinstance(file, str) or not LETTER_FILE.fullmatch(file):
        return None
    kind, name = file.split("/")
    try:
        for path, want in ((folder, stat.S_ISDIR), (folder / kind, stat.S_ISDIR), (folder / kind / name, stat.S_ISREG)):
            if not want(os.lstat(path).st_mode):  # lstat: a symbolic link is neither
                return None
        source = folder / kind / name
        return source if source.resolve(strict=True).is_relative_to(folder.resolve(strict=True)) else None
    except (OSError, RuntimeError, ValueError):
        return None


def _read_manifest(folder: Path) -> object:
    """The letters folder's manifest.json as JSON, or None: read only when it is a regular file of sane size."""
    try:
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            return None
        fd = os.open(folder / "manifest.json", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MANIFEST_LIMIT:
            return None
        try:
            return json.loads(handle.read(MANIFEST_LIMIT + 1).decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None


@dataclass(frozen=True, slots=True)
class ExportLink:
    file: str  # in the site
    name: str  # the name a download is saved under


def export_name(as_of) -> ExportLink:
    """The workbook of the arrears list and the queue: an ASCII path, a Chinese name to save it under."""
    return ExportLink(f"exports/cuijiao-{as_of}.xlsx", f"欠费清单与跟催表-{as_of}.xlsx")


def _manifest_entries(folder: Path | None, key: str) -> list[dict]:
    """The mappings under ``key`` of the letters folder's manifest (none when it is missing or malformed)."""
    manifest = _read_manifest(folder) if folder is not None else None
    entries = manifest.get(key) if isinstance(manifest, dict) else None
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def existing_print_files(folder: Path | None) -> tuple[LetterLink, ...]:
    """The combined print files (``print/<kind>-all.pdf``) the letters folder's manifest lists and that are there.

    ``unit`` is empty; ``title`` says the kind and how many letters the file holds.
    """
    links = []
    for entry in _manifest_entries(folder, "combined"):
        title, file, count = entry.get("title"), entry.get("file"), entry.get("letters")
        if isinstance(title, str) and title and type(count) is int and letter_source(folder, file) is not None:
            links.append(LetterLink("", f"{title}（{count} 份）", file))
    return tuple(links)


def existing_letters(folder: Path) -> tuple[LetterLink, ...]:
    """The unit letters an earlier ``build`` left in ``folder`` (its manifest.json), those whose file is still there.

    Entries whose file is not a letter of ``folder`` (``letter_source``) are left out.
    """
    links = []
    for entry in _manifest_entries(folder, "letters"):
        unit, title, file = entry.get("unit"), entry.get("title"), entry.get("file")
        if isinstance(unit, str) and unit and isinstance(title, str) and title and letter_source(folder, file) is not None:
            links.append(LetterLink(unit, title, file, entry.get("court") is True))
    return tuple(links)


def _inert(value) -> Markup:
    """Every value a page template prints: data text inert in Markdown and HTML alike (``core.inert.for_markdown``:
    no link, image, tag, table cell or ``{`` construct, shown as typed); the templates' own markup (macros) as it is."""
    if hasattr(value, "__html__"):
        return value
    text = str(value)
    inert = for_markdown(text)
    return escape(text) if inert is text else Markup(inert)  # escape: the same text, wrapped faster (most values)


def environment(root: Path) -> Environment:
    return templates.environment(template_dirs(root, "site_templates", "pages"), keep_trailing_newline=True, finalize=_inert,
                                 extensions=[CacheExtension])




@dataclass(frozen=True, slots=True)
class UnitAdvice:
    """What the playbook says about one unit: fitting tactics (best first), segments, the stage's guide."""

    matches: tuple[Match, ...]
    segments: tuple[Segment, ...]
    guide: StageGuide | None
    values: dict  # script placeholders filled for this unit
    message: str | None = None  # what to send by SMS or WeChat (``reminder_text``)


ADVICE_SHOWN = 3  # tactics shown in full on a unit page


def unit_advice(state: UnitState, book: Playbook, policy) -> UnitAdvice:
    matches, guide, values = match_tactics(state, book), book.guide_for(state.stage), script_values(state, policy)
    return UnitAdvice(matches, match_segments(state, book), guide, values, reminder_text(state, matches, guide, values))


class AdviceBook(dict):
    """Unit id -> ``unit_advice``, each worked out the first time it is asked for: the lists ask for the units in
    arrears, a rebuild renders few unit pages, so the other units' advice is never needed (1 s at 5,000 units)."""

    def __init__(self, desk: Desk, book: Playbook) -> None:
        super().__init__()
        self.states = {state.unit.id: state for state in desk.units}
        self.book, self.policy = book, desk.policy

    def __missing__(self, unit_id: str) -> UnitAdvice:
        advice = self[unit_id] = unit_advice(self.states[unit_id], self.book, self.policy)
        return advice


def reminder_text(state: UnitState, matches: tuple[Match, ...], guide: StageGuide | None, values: dict) -> str | None:
    """The text the lists offer to send by SMS or WeChat: the first script of the stage's own tactics (else of any
    fitting tactic) that is complete as filled in, no ［fact］ or 〔value〕 left open. None while the issuer may
    not demand (no authorisation covers the day: the queue asks for one first)."""
    if state.next_action.kind == "authorise":
        return None
    own = guide.tactics if guide else ()
    complete = [(m, text) for m in matches if m.ready and "〔" not in (text := m.script.fill(values))]
    return next((text for m, text in complete if m.tactic.id in own), complete[0][1] if complete else None)


def playbook_or_error(root: Path) -> Playbook:
    """The community's playbook and legal book; a SiteBuildError listing file:line:col when they have errors."""
    book = load_playbook(root)
    if book.errors:
        lines = "\n".join("  " + p.render() for p in sorted_diagnostics(book.errors))
        raise SiteBuildError(f"催收手册或法律依据的数据有错误：\n{lines}")
    return book


def _link(page: str, anchor: str) -> Markup:
    """A link target the templates print as it is: a page of ours and an entry's id (inert, as any data)."""
    return Markup(f"{page}#{for_markdown(anchor)}")


def cited_by(book: Playbook) -> dict[str, list[tuple[str, str | None]]]:
    """Article id -> (label, link from the legal page) of every playbook entry and letter that cites it."""
    out: dict[str, list[tuple[str, str | None]]] = {a.id: [] for a in book.legal.articles}
    entries = [
        *((g.laws, g.name + "阶段", _link("playbook/stages.md", g.id)) for g in book.stages),
        *((t.laws, t.name, _link("playbook/tactics.md", t.id)) for t in book.tactics),
        *((r.laws, "欠费原因：" + r.name, _link("playbook/reasons.md", r.id)) for r in book.reasons),
        *((d.laws, f"禁止事项第 {i} 条", _link("playbook/donts.md", d.id)) for i, d in enumerate(book.donts, 1)),
        *((ids, book.legal.context_label(context), None) for context, ids in book.legal.uses),
    ]
    for ids, label, href in entries:
        for article_id in ids:
            if article_id in out and (label, href) not in out[article_id]:
                out[article_id].append((label, href))
    return out


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _content_text(text: str) -> str:
    """Playbook and legal text for the Markdown pages: as inert as any data, but its `inline code` (a key to write,
    ``purpose: service``) shown as <code>."""
    if "`" not in text:
        return text
    parts = _CODE_SPAN.split(text)
    return Markup("".join(f"<code>{for_markdown(p)}</code>" if i % 2 else for_markdown(p) for i, p in enumerate(parts)))


def with_code_spans(value):
    """A copy of the playbook (or any of its records) whose texts with `inline code` are ``_content_text``'s markup."""
    if isinstance(value, str):
        return _content_text(value)
    if isinstance(value, tuple):
        return tuple(with_code_spans(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: with_code_spans(getattr(value, f.name)) for f in fields(value) if f.name not in ("id", "pos")})
    return value


def playbook_pages(env: Environment, desk: Desk, book: Playbook, advice: AdviceBook, root: Path,
                   first_tactic=None) -> dict[str, str | bytes]:
    """The 催收手册 section and the 法律依据 page. ``first_tactic(state)``: the id of the tactic that fits the unit
    best ("" for none), when the caller remembers it (``render``); else worked out from ``advice``."""
    shown = with_code_spans(book)
    common = {"as_of": desk.as_of, "policy": desk.policy, "pb": shown, "legal": shown.legal}
    files: dict[str, str | bytes] = {}
    for base in (root, PROJECT_DIR):  # the community's own index.md wins
        folder = base / PLAYBOOK_DIR
        if (folder / "index.md").is_file() and inside(base, folder):
            files["playbook/index.md"] = read_own(folder, folder / "index.md")
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
        first = first_tactic(state) if first_tactic is not None else _first_tactic(advice, state)
        if first:
            firsts.setdefault(first, []).append(state.unit.id)
    stage_rows = [(stage, shown.guide_for(stage), counts.get(stage.id, 0)) for stage in desk.policy.dunning]
    files["playbook/stages.md"] = env.get_template("playbook/stages.md.j2").render(
        common, stage_rows=stage_rows, channels=channels_text,
    )
    files["playbook/tactics.md"] = env.get_template("playbook/tactics.md.j2").render(
        common, firsts=firsts, describe=lambda fits: describe(fits, book), describe_unless=lambda unless: describe_unless(unless, book),
    )
    files["playbook/segments.md"] = env.get_template("playbook/segments.md.j2").render(
        common, describe_fits=lambda fits: describe(fits, book),
    )
    files["playbook/reasons.md"] = env.get_template("playbook/reasons.md.j2").render(common, reason_counts=reason_counts)
    files["playbook/calendar.md"] = env.get_template("playbook/calendar.md.j2").render(common, current=shown.period_for(desk.as_of.month))
    files["playbook/donts.md"] = env.get_template("playbook/donts.md.j2").render(common)
    files["legal.md"] = env.get_template("legal.md.j2").render(common, checked_words=CHECKED_WORDS, cited_by=cited_by(book))
    return files


def _first_tactic(advice: AdviceBook, state: UnitState) -> str:
    matches = advice[state.unit.id].matches
    return matches[0].tactic.id if matches else ""


def _guide_files(root: Path) -> dict[str, bytes]:
    """The user guide: the project's pages, each replaced by the community's docs/guide/ page of the same name."""
    files: dict[str, bytes] = {}
    for base, folder in ((PROJECT_DIR, GUIDE_DIR), (root, root / "docs" / "guide")):
        if folder.is_dir() and inside(base, folder):
            for path in own_files(folder, "*.md", recursive=False):
                files["guide/" + path.name] = read_own(folder, path)
    return files


@dataclass(frozen=True, slots=True)
class Rendered:
    docs: dict[str, bytes]  # the docs folder, by relative path
    details: dict[str, bytes]  # cj-units/<房号>.html of the theme overrides
    units: dict[str, str] = field(default_factory=dict)  # 房号 -> digest of what its page is rendered from
    env: str = ""  # digest of what every unit page is rendered from besides its unit
    charts: dict[str, str] = field(default_factory=dict)  # chart file -> "digest-of-its-data digest-of-its-svg"
    blocks: dict[str, str] = field(default_factory=dict)  # the pages' as-is blocks (``site.asis``), by digest
    light: dict[str, str] = field(default_factory=dict)  # docs path -> the page's Markdown with its blocks as marks
    # docs and theme paths of the unit pages left as they are in the work folder: not rendered, not read (they are
    # in neither ``docs`` nor ``details``); ``kept_sources`` has their pages' source digests as the last build kept them
    same: frozenset[str] = frozenset()
    kept_sources: dict[str, str] = field(default_factory=dict)


def _unit_env(env: Environment, desk: Desk, inputs: SiteInputs) -> str:
    """Everything a unit page is rendered from besides its own state and letters: the templates and the
    community's content (playbook, legal book), the policy, as_of, the code and the installed libraries'
    versions; the totals only when a unit template names them."""
    from jinja2 import meta

    from generator import pipeline

    # the libraries too: chinese-calendar's holidays move deadlines, Jinja and markupsafe shape the HTML
    digest = hashlib.sha256(f"{desk.as_of} {pipeline.code_fingerprint()} {pipeline.installed_versions()}".encode())
    digest.update(RECORD_ENCODER.encode(desk.policy))
    for folder in (inputs.root / "site_templates", PROJECT_DIR / "site_templates"):
        tree = pipeline.tree_digest(folder)
        if tree is None:
            return ""
        digest.update(tree)
    names, todo, seen = set(), ["unit.md.j2", "unit.html.j2"], set()
    while todo:  # the unit templates and every template they include, import or extend
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source, _, _ = env.loader.get_source(env, name)
        tree = env.parse(source)
        names |= meta.find_undeclared_variables(tree)
        referenced = list(meta.find_referenced_templates(tree))
        if None in referenced:  # a template named by a variable: any of them may be used
            return ""
        todo.extend(referenced)
    if "t" in names:
        digest.update(RECORD_ENCODER.encode(desk.totals))
    return digest.hexdigest()


def render(desk: Desk, inputs: SiteInputs, kept=None, cache_key: bytes | None = None) -> Rendered:
    """Every generated file: the docs folder and the unit details the theme includes.

    ``kept`` (``reuse.Kept``, the last build's): a unit page whose unit, letters and everything else it is
    rendered from are as they were then is left as it is in the work folder instead of rendered again.
    ``cache_key`` (the user's): the lists' rows in ``{% cache %}`` blocks are kept in the work folder and
    taken from there by the next build (``site.fragments``).
    """
    env = environment(inputs.root)
    blocks = env.filters["as_is"] = AsIsBlocks()
    unit_env = _unit_env(env, desk, inputs)
    reusable = kept is not None and unit_env and kept.unit_env == unit_env
    letters_by_unit: dict[str, list[LetterLink]] = {}
    for link in inputs.letters:
        letters_by_unit.setdefault(link.unit, []).append(link)
    units: dict[str, str] = {}  # 房号 -> digest of what its rows and page are rendered from
    for i, state in enumerate(desk.units):
        # the unit's inputs when computed with them (equal inputs, equal state; the policy and as_of are in
        # unit_env), else its state; and its letters
        made_from = desk.digests[i].encode() if desk.digests else RECORD_ENCODER.encode(state)
        units[state.unit.id] = hashlib.sha256(made_from + repr(letters_by_unit.get(state.unit.id, [])).encode()).hexdigest()
    fragments = None
    if cache_key is not None and unit_env:
        fragments = env.fragment_cache = FragmentCache(inputs.work.absolute(), cache_key, unit_env)
    book = playbook_or_error(inputs.root)
    advice = AdviceBook(desk, book)
    board = dashboard(desk)
    complaints = complaints_view(desk)
    common = {"as_of": desk.as_of, "policy": desk.policy, "t": desk.totals, "unit_keys": units}
    files: dict[str, str | bytes] = {}
    arrears = sorted((s for s in desk.units if s.in_arrears), key=lambda s: (s.oldest_due, s.unit.id))
    work = queue(desk)
    export = export_name(desk.as_of) if inputs.search else None  # a site to publish holds no workbook: it stays plain
    lists = {"advice": advice, "letters": letters_by_unit, "export": export}
    try:
        files["index.md"] = env.get_template("index.md.j2").render(common, d=board, cv=complaints, aging_names=BUCKET_NAMES)
        files["complaints.md"] = env.get_template("complaints.md.j2").render(
            common, cv=complaints, categories=COMPLAINT_CATEGORY, category_codes=CATEGORIES, age_groups=AGE_GROUPS)
        files["arrears.md"] = env.get_template("arrears.md.j2").render(common | lists, rows=arrears, unit_status=unit_status)
        files["queue.md"] = env.get_template("queue.md.j2").render(
            common | lists, queue=work, groups=QUEUE_GROUPS, horizon=QUEUE_HORIZON_DAYS,
            horizon_end=desk.as_of + timedelta(days=QUEUE_HORIZON_DAYS), prints=existing_print_files(inputs.letters_dir),
            queued=[item.state for items in work.values() for item in items],
        )
        page = limitation_page(desk)
        files["limitation.md"] = env.get_template("limitation.md.j2").render(
            common, rows=page.rows, page=page, warn_days=desk.policy.limitation.warn_days, years=desk.policy.limitation.years,
        )
        unit_page = env.get_template("unit.md.j2")
        unit_detail = env.get_template("unit.html.j2")
        details: dict[str, bytes] = {}
        late_rule = desk.policy.late_fee
        same: set[str] = set()
        kept_sources: dict[str, str] = {}
        work_dir = inputs.work.absolute()
        present = _kept_unit_files(work_dir) if reusable else frozenset()
        for state in desk.units:
            uid = state.unit.id
            if reusable and kept.units.get(uid) == units[uid]:
                source = _kept_unit(uid, kept, present)
                if source is not None:
                    kept_sources[f"units/{uid}.md"] = source
                    same.update((f"units/{uid}.md", f"cj-units/{uid}.html"))
                    continue
            files[f"units/{uid}.md"] = unit_page.render(common, s=state, u=state.unit)
            details[f"cj-units/{uid}.html"] = _squeeze(unit_detail.render(
                common, s=state, u=state.unit, h=unit_history(state, desk.as_of, desk.policy), letters=letters_by_unit.get(uid, []),
                advice=advice[uid], shown=ADVICE_SHOWN, legal=book.legal, unit_status=unit_status(state), late_rule=late_rule,
            )).encode("utf-8")
        files.update(playbook_pages(env, desk, book, advice, inputs.root, first_tactic=None if fragments is None else (
            lambda state: fragments.block(("first-tactic", units[state.unit.id]), lambda: _first_tactic(advice, state)))))
    except TemplateError as exc:
        raise SiteBuildError(f"网页模板有错误：{_where(exc)}{exc.message or exc}\n请检查小区 site_templates/pages/ 里自己改过的模板。") from None
    charts, chart_keys = chart_files(board, complaints, inputs.work.absolute(), kept)
    files.update(charts)
    files["robots.txt"] = "User-agent: *\nDisallow: /\n"
    if export is not None:
        files[export.file] = workbook([arrears_sheet(arrears), queue_sheet(work, QUEUE_GROUPS)], desk.as_of, fragments)
    if fragments is not None:
        fragments.save()
    for folder in reversed(template_dirs(inputs.root, "site_templates", "assets")):  # the community's assets win
        for path in own_files(folder):
            files["assets/" + path.relative_to(folder).as_posix()] = read_own(folder, path)
    files.update(_guide_files(inputs.root))
    light = {k: v for k, v in files.items() if isinstance(v, str) and k.endswith(".md") and MARK.search(v)}
    docs = {k: put_back(v, blocks).encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}
    return Rendered(docs, details, units, unit_env, chart_keys, dict(blocks), light, frozenset(same), kept_sources)


def chart_files(board, complaints, work: Path, kept=None) -> tuple[dict[str, str | bytes], dict[str, str]]:
    """The dashboard's three charts, and for each the digest of what it is drawn from and of its SVG.

    A chart drawn from the same numbers with the same code, libraries and fonts as in the last build
    (``kept.charts``) is taken from the work folder, its bytes checked against the kept digest: a rebuild
    after a new contact draws nothing and never imports matplotlib (0.9 s).
    """
    from generator import pipeline
    from generator.site.reuse import installed_fonts

    drawn_from = {  # file -> the function of site.charts that draws it, and its arguments but the font
        "charts/aging.svg": ("aging_chart", (board.aging,)),
        "charts/rates.svg": ("rate_chart", (board.monthly_rates,)),
        "charts/complaints.svg": ("complaint_chart", (complaints.months, COMPLAINT_CATEGORY)),
    }
    salt = installed_fonts() + f"{pipeline.installed_versions()} {pipeline.code_fingerprint()}".encode()
    files: dict[str, str | bytes] = {}
    keys: dict[str, str] = {}
    family = None
    for name, (draw, args) in drawn_from.items():
        source = hashlib.sha256(salt + repr((draw, args)).encode()).hexdigest()
        old = kept.charts.get(name, "").split() if kept is not None else []
        if len(old) == 2 and old[0] == source:
            raw, _problem = read_data_file(work / "docs" / "charts", name.split("/")[1])
            if raw is not None and hashlib.sha256(raw).hexdigest() == old[1]:
                files[name], keys[name] = raw, " ".join(old)
                continue
        from generator.site import charts  # matplotlib: only when a chart is drawn

        family = family or charts.cjk_family()
        svg = getattr(charts, draw)(*args, family)
        files[name], keys[name] = svg, f"{source} {hashlib.sha256(svg.encode('utf-8')).hexdigest()}"
    return files, keys


def _kept_unit(uid: str, kept, present: frozenset[str]) -> str | None:
    """The source digest the last build kept for a unit's page, if its page and detail are still regular files of
    the work folder (``present``). They are not read: MkDocs reads them only to render the page again, and then
    ``kept_unit_holds`` checks them first (a rebuild after one contact reads none of 5,000 pages)."""
    page = kept.pages.get(f"units/{uid}.md")
    return page.source if page is not None and uid in present else None


def _kept_unit_files(work: Path) -> frozenset[str]:
    """The units whose page and detail are regular files (no link) of the work folder: two folder listings,
    not 10,000 ``lstat`` calls."""
    found = []
    for folder, suffix in _unit_folders(work):
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):  # a link in the folder's place: nothing in it is kept
                return frozenset()
            with os.scandir(folder) as entries:
                found.append({e.name[:-len(suffix)] for e in entries if e.name.endswith(suffix) and e.is_file(follow_symlinks=False)})
        except OSError:
            return frozenset()
    return frozenset(found[0] & found[1])


def kept_unit_holds(work: Path, rel: str, source: str) -> bool:
    """Whether the work folder's page ``units/<房号>.md`` and its detail are the sources whose digest is ``source``."""
    (md, _), (detail, _) = (read_data_file(folder, name) for folder, name in _unit_sources(work, rel[len("units/"):-len(".md")]))
    return md is not None and detail is not None and _digest(md, detail) == source


def _unit_folders(work: Path) -> tuple[tuple[Path, str], tuple[Path, str]]:
    """Where the unit pages' Markdown and details are in the work folder: (folder, suffix) each."""
    return (work / "docs" / "units", ".md"), (work / siteconfig.OVERRIDES / "cj-units", ".html")


def _unit_sources(work: Path, uid: str) -> tuple[tuple[Path, str], ...]:
    """Where a unit page's Markdown and its detail are in the work folder: (folder, file name) each."""
    return tuple((folder, uid + suffix) for folder, suffix in _unit_folders(work))


def pages(desk: Desk, inputs: SiteInputs) -> dict[str, bytes]:
    """Every generated file of the docs folder, by relative path."""
    return render(desk, inputs).docs


def _squeeze(html: str) -> str:
    """Drop the newlines between tags: a unit detail is written once per unit."""
    return _BETWEEN_TAGS.sub("><", html)


_BETWEEN_TAGS = re.compile(r">\n+<")


def _where(exc: TemplateError) -> str:
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    return f"{name}:{line}: " if name and line else (f"{name}: " if name else "")


def unit_status(state: UnitState) -> str | None:
    """The unit's worst limitation status over its unpaid overdue charges (rule 10): never "ok" when any is barred."""
    return state.limitation.status


@dataclass(frozen=True, slots=True)
class LimitationPage:
    """What the limitation page lists (rule 10)."""

    rows: list  # (unit, charge, status): unpaid charges expired or within warn_days, soonest first
    capped: list  # (unit, charge): unpaid charges whose expiry the 20-year cap set, by expiry
    barred_fees: list  # units with a late fee past limitation, largest first
    expired_amount: object  # unpaid principal past limitation, all units
    expired_units: int
    warning_amount: object
    warning_units: int


class KeptCharge:
    """One unpaid charge of the limitation page, as a unit's share keeps it: its place among the unit's charges
    (``index``, what a kept row is keyed by), expiry, status, unpaid amount and whether the 20-year cap set its
    expiry. Anything else is the unit's ``ChargeState``'s (a kept unit is then computed)."""

    __slots__ = ("state", "index", "expiry", "status", "unpaid", "capped")

    def __init__(self, state, index: int, expiry, status: str, unpaid, capped: bool) -> None:
        self.state, self.index, self.expiry, self.status, self.unpaid, self.capped = state, index, expiry, status, unpaid, capped

    @property
    def limitation_status(self) -> str:
        return self.status

    def __getattr__(self, name: str):
        return getattr(self.state.charges[self.index], name)


_LIMITS = msgspec.msgpack.Decoder(list[tuple[int, date, str, Decimal, bool]])


def _limits(state: UnitState) -> list[tuple[int, date, str, Decimal, bool]]:
    """A unit's unpaid charges with a limitation status: (index, expiry, status, unpaid, capped)."""
    return [(i, c.limitation.expiry, status, c.unpaid, c.limitation.capped)
            for i, c in enumerate(state.charges) for status in (c.limitation_status,) if status]


def unit_limits(state: UnitState) -> list[KeptCharge]:
    """``_limits`` of the unit as a share (``rules.engine.share``): a rebuild works out only the changed units'."""
    return [KeptCharge(state, *row) for row in share(state, "limitation-rows", _LIMITS, _limits)]


def limitation_rows(desk: Desk) -> list[tuple[UnitState, KeptCharge, str]]:
    """Every unpaid charge whose limitation ends within warn_days or has ended, soonest first."""
    rows = [(s, c, c.status) for s in desk.units if s.limitation.status for c in unit_limits(s) if c.status in ("warning", "expired")]
    rows.sort(key=lambda r: (r[1].expiry, r[0].unit.id))
    return rows


def limitation_page(desk: Desk) -> LimitationPage:
    rows = limitation_rows(desk)
    capped = sorted(((s, c) for s in desk.units if s.limitation.status for c in unit_limits(s) if c.capped),
                    key=lambda r: (r[1].expiry, r[0].unit.id))
    barred = sorted((s for s in desk.units if s.late_fee_barred > 0), key=lambda s: (-s.late_fee_barred, s.unit.id))
    warning = [r for r in rows if r[2] == "warning"]
    return LimitationPage(
        rows=rows, capped=capped, barred_fees=barred,
        expired_amount=sum((s.limitation.expired_amount for s in desk.units), ZERO),
        expired_units=sum(1 for s in desk.units if s.limitation.expired_amount > 0),
        warning_amount=sum((c.unpaid for _, c, _ in warning), ZERO), warning_units=len({s.unit.id for s, _, _ in warning}),
    )


config_file = siteconfig.config_file


def prepare(desk: Desk, inputs: SiteInputs) -> tuple[Path, int, bool]:
    """Write the work folder (mkdocs.yml, docs/, overrides/), only what changed.

    Returns the config file, how many files changed, and whether the theme has
    templates of the community's own (to render in Jinja's sandbox).

    The folder then builds with either engine: MkDocs in-process (``build_site``)
    or ``zensical build -f WORK/mkdocs.yml``.
    """
    return _prepare(desk, inputs)[:3]


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _prepare(desk: Desk, inputs: SiteInputs, kept=None, cache_key: bytes | None = None) -> tuple[Path, int, bool, dict[str, str], str, Rendered]:
    """``prepare``, and what ``site.incremental`` compares with the last build: each page's source digest (its
    Markdown, and a unit's detail) and the digest of everything else a page's HTML depends on. ``kept`` and
    ``cache_key``: as ``render``'s."""
    work = inputs.work.absolute()
    config = siteconfig.site_config(inputs.root, desk.policy.community, search=inputs.search)
    rendered = render(desk, inputs, kept, cache_key)
    written, _ = sync_tree(work / "docs", rendered.docs, rendered.same)
    overrides = siteconfig.override_files(config.overrides)
    theme = {**overrides, **rendered.details}
    changed, _ = sync_tree(work / siteconfig.OVERRIDES, theme, rendered.same)
    config_path = work / "mkdocs.yml"
    text = config.text.encode("utf-8")
    if not holds(config_path, text):
        write_new(config_path, text)
        written += 1
    own_theme = any(not folder.resolve().is_relative_to(PROJECT_DIR) for folder in config.overrides)
    sources = dict(rendered.kept_sources)
    for rel, content in rendered.docs.items():
        if rel.endswith(".md"):
            detail = rendered.details.get(f"cj-units/{rel[len('units/'):-len('.md')]}.html") if rel.startswith("units/") else None
            sources[rel] = _digest(content, detail or b"")
    from generator import pipeline

    env = _digest(text, repr(sorted((k, hashlib.sha256(v).hexdigest()) for k, v in overrides.items())).encode(),
                  f"{desk.as_of} {inputs.search} {own_theme}".encode(), pipeline.code_fingerprint().encode(),
                  pipeline.installed_versions().encode())
    return config_path, written + changed, own_theme, sources, env, rendered


def build_site(desk: Desk, inputs: SiteInputs, site_dir: Path, saved=None) -> int:
    """Render, sync and build; returns how many generated source files changed.

    ``saved`` (``reuse.SavedSite``): the last build kept in the work folder; only the pages whose sources
    changed since are rendered by MkDocs (``site.incremental``), and this build is kept in turn.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from generator import pipeline
    from generator.site import incremental
    from generator.site import plugin as compact_plugin
    from generator.site.segments import Segmenter

    kept = saved.previous() if saved is not None else None
    cache_key = saved.memo.key if saved is not None else None
    config_path, written, own_theme, sources, env, rendered = _prepare(desk, inputs, kept, cache_key)
    siteconfig.quiet_search_segmenter()
    # with the work folder in use (the user's cache key), the search's word breaks are remembered between builds
    segmenter = Segmenter(inputs.work.absolute(), cache_key, pipeline.installed_versions()) if saved is not None else None
    collected = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collected)

    def loaded():
        try:
            config = load_config(config_file=str(config_path), site_dir=str(site_dir.absolute()), strict=True)
        except (Abort, ConfigurationError) as exc:
            raise collected.failure(
                f"网站配置（{siteconfig.config_file(inputs.root)}）有错误，MkDocs 无法读取。"
                "请对照项目自带的 mkdocs.yml 检查下面提到的那一项（MkDocs 的原话是英文）：", exc) from None
        compact_plugin.install(config, sandboxed=own_theme, blocks=rendered.blocks, light=rendered.light, segmenter=segmenter)
        return config

    kept_dir = saved.folder if saved is not None else site_dir
    work = inputs.work.absolute()

    def source_holds(uri: str) -> bool:  # a unit page left unread in the work folder is checked before MkDocs reads it
        source = rendered.kept_sources.get(uri)
        return source is None or kept_unit_holds(work, uri, source)

    def mkdocs_build():
        try:
            return incremental.build(loaded(), sources, env, kept, kept_dir, source_holds)
        except incremental.Restart:  # a title in the menu changed: every page is built
            return incremental.build(loaded(), sources, env, None, kept_dir, source_holds)

    with siteconfig.source_date(desk.as_of):
        try:
            try:
                try:
                    pages, titles, taken = mkdocs_build()
                except incremental.Stale:  # a unit page left unread was changed in the work folder: render them all
                    config_path, again, own_theme, sources, env, rendered = _prepare(desk, inputs, None, cache_key)
                    written += again
                    pages, titles, taken = mkdocs_build()
            except (Abort, ConfigurationError) as exc:
                raise collected.failure(
                    "网站生成失败：MkDocs 报告了问题（严格模式下，警告也算失败）。"
                    "下面是 MkDocs 的原话（英文），通常是某个链接指向的页面不存在，或模板、配置写错了：", exc) from None
            except TemplateError as exc:
                raise SiteBuildError(f"网站主题模板有错误：{_where(exc)}{exc.message or exc}\n请检查小区 site_templates/overrides/ 里自己改过的文件。") from None
        finally:
            mkdocs_logger.removeHandler(collected)
    if saved is not None:
        saved.keep(site_dir, env, pages, titles, rendered.units, rendered.env, taken, rendered.charts)
    if segmenter is not None:
        segmenter.save()
    link_letters(inputs, site_dir)
    return written


def link_letters(inputs: SiteInputs, site_dir: Path) -> None:
    """Put each linked letter and print file under the site's letters/ (a hard link where possible)."""
    if inputs.letters_dir is not None:
        for link in inputs.letters + existing_print_files(inputs.letters_dir):
            source = letter_source(inputs.letters_dir, link.file)
            if source is not None:
                link_or_copy(source, site_dir / "letters" / link.file)


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a failed build can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"  {record.levelname}: {record.getMessage()}")

    def failure(self, what: str, exc: Exception) -> SiteBuildError:
        """The Chinese error of a failed build: what failed, MkDocs' own words and the warnings before it."""
        details = "\n".join(self.messages)
        return SiteBuildError(f"{what}\n  {exc}\n{details}".rstrip())
