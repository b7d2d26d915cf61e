"""The print run: every letter of the day as PDF, combined print files and the manifest.

A month's receipts (``receipts.py``) are a print run of their own (``render_receipts``,
``receipt_folder``): the same rendering, cache, combined file and manifest.

Templates come from the community's ``letters/`` folder first, then the
project's.  Each letter is cached (``cache.LetterCache``: signed, pruned
after a month unused) under the hash of everything that shapes its bytes
(its HTML, the shared head, the font, the WeasyPrint version), so a rebuild
renders only letters whose content changed; new ones are laid out in
batches across worker processes.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from pathlib import Path

from jinja2 import (
    Environment,
    TemplateNotFound,
)

from generator.core.errors import CuijiaoError
from generator.core.model import Ledger, Policy
from generator.core.money import fmt
from generator.core.progress import SILENT, Progress
from generator.printing.cache import LetterCache
from generator.printing.dossier import TITLES, for_court, plan_all
from generator.printing.letters import Letter, filters
from generator.printing.pdf import Batch, Section, render_chunk, render_sections
from generator.printing.receipts import KIND as RECEIPT
from generator.printing.receipts import TITLE as RECEIPT_TITLE
from generator.printing.receipts import plan_receipts
from generator.reading.load import cache_key
from generator.render import templates
from generator.render.fonts import LetterFont, letter_font, missing_characters
from generator.rules.engine import Desk

CACHE_VERSION = "2"  # 2: tagged PDFs (PDF/UA-1)
KIND_TITLES = TITLES | {RECEIPT: RECEIPT_TITLE}  # every kind a print run makes, receipts included
CHUNK = 40  # letters laid out together in one worker
_TAGS = re.compile(r"<[^>]*>")


class LetterError(CuijiaoError, RuntimeError):
    """A letter cannot be made (a missing template, a character no font can print)."""


@dataclass(frozen=True, slots=True)
class LetterFile:
    letter: Letter
    pdf: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def template_dirs(root: Path) -> list[Path]:
    """The community's letter templates first, then the project's."""
    return templates.template_dirs(root, "letters")


def environment(root: Path) -> Environment:
    return templates.environment(template_dirs(root), filters())


def _laws(root: Path):
    from generator.content.legal import load_legal

    return load_legal(root)


def anchor(letter: Letter) -> str:
    return "L-" + letter.doc_no


def _html(env: Environment, letter: Letter) -> str:
    try:
        template = env.get_template(letter.template)
    except TemplateNotFound:
        raise LetterError(
            f"找不到函件模板 letters/{letter.template}（催缴阶段要求发送“{letter.kind}”函件）。"
            f"请在小区文件夹的 letters/ 里添加这个模板，或把政策中该阶段的 letter 改为 notice 或 lawyer"
        ) from None
    return template.render(letter.context, letter=letter, anchor=anchor(letter))


def _head(env: Environment, font: LetterFont, kind: str) -> str:
    return env.get_template("_head.html.j2").render(
        title=KIND_TITLES.get(kind, kind), font_url=font.subset.as_uri(), fallback_family=font.family,
    )


def _cache_key(head: str, html: str, font: LetterFont) -> str:
    from importlib.metadata import (
        version,  # not ``import weasyprint``: a warm build need not load it
    )

    stamp = f"{CACHE_VERSION}|{version('weasyprint')}|{font.digest}\n"
    return hashlib.sha256((stamp + head + "\n" + html).encode("utf-8")).hexdigest()


# (pages with few rows, rows that still fit them): a first guess at each letter's page total, so
# that most letters are laid out once; a wrong guess costs one more layout of that letter.
PAGE_GUESS = {"notice": (1, 20), "lawyer": (2, 24), "statement": (1, 32), "plan": (1, 12), "board": (1, 24), "evidence": (1, 8),
              "payorder": (2, 12), "suit": (3, 12),
              RECEIPT: (1, 16)}
ROWS_PER_PAGE = 40


def _guess_pages(letter: Letter) -> int:
    """The page total a letter will likely take: a wrong guess costs a second layout of its batch, never a wrong letter.

    A statement prints more than four payments two to a row, and with many rows a denser page
    (``letters/statement.html.j2``): its rows are counted the same way.
    """
    c = letter.context
    history = c.get("history") or {}
    rows = sum(len(c.get(key, ())) for key in ("lines", "installments", "listed", "contacts_with_evidence", "owed"))
    payments = len(history.get("payments", ()))
    rows += (payments + 1) // 2 if letter.kind == "statement" and payments > 4 else payments
    rows += len(history.get("waivers", ()))
    base, fits = PAGE_GUESS.get(letter.kind, (1, 20))
    return base + max(0, -(-(rows - fits) // ROWS_PER_PAGE))


@dataclass(frozen=True, slots=True)
class PrintRun:
    files: list[LetterFile]  # in print order
    combined: dict[str, bytes]  # kind -> all its letters in one PDF


def render_letters(desk: Desk, root: Path, cache_dir: Path, workers: int | None = None, progress: Progress = SILENT) -> PrintRun:
    """Every letter of the day, rendered or taken from the cache, in print order.

    Letters of a kind are laid out in fixed batches of ``CHUNK`` (in print order), so a batch is
    cached as a whole: its letters and its combined PDF, whose one embedded font serves all of
    them. A batch is rendered again only when one of its letters changed.
    """
    return render_planned(plan_all(desk, _laws(root)), root, cache_dir, workers, progress)


def render_planned(letters: list[Letter], root: Path, cache_dir: Path, workers: int | None = None,
                   progress: Progress = SILENT) -> PrintRun:
    """The given letters (in print order), rendered or taken from the cache: ``render_letters``' work for any plan.

    ``progress`` hears how many letters there are, again with how many the cache holds, then each batch as it is laid out.
    """
    progress.total(len(letters))
    root, cache_dir = root.absolute(), cache_dir.absolute()
    env = environment(root)
    font = letter_font(cache_dir)
    heads: dict[str, str] = {}
    by_kind: dict[str, list[tuple[Letter, Section, str]]] = {}
    for letter in letters:
        head = heads.get(letter.kind) or heads.setdefault(letter.kind, _head(env, font, letter.kind))
        html = _html(env, letter)
        missing = missing_characters(_TAGS.sub("", html), font)
        if missing:
            where = f"{letter.unit} 的" if letter.unit else ""
            raise LetterError(f"{where}{letter.title}里有字体无法显示的字：{'、'.join(missing)}。请安装 fonts-noto-cjk-extra，或检查数据里是否有错字")
        by_kind.setdefault(letter.kind, []).append((letter, Section(anchor(letter), html, _guess_pages(letter)), _cache_key(head, html, font)))
    cache = LetterCache(cache_dir, cache_key())
    batches: list[tuple[str, str, list]] = []  # (kind, batch key, items)
    for kind, items in by_kind.items():
        for start in range(0, len(items), CHUNK):
            part = items[start:start + CHUNK]
            batch_key = hashlib.sha256("\n".join(key for _l, _s, key in part).encode()).hexdigest()
            batches.append((kind, batch_key, part))
    # A kind of one batch prints from the batch's own combined PDF (one embedded font, tagged); a kind of
    # several prints from its letters joined, so no page is painted twice (a quarter of a large run's time).
    single = {kind: sum(1 for k, _key, _part in batches if k == kind) == 1 for kind in by_kind}
    found = {key: got for _kind, _batch, part in batches for _l, _s, key in part if (got := cache.letter(key)) is not None}
    combined: dict[str, bytes] = {}
    for kind, batch_key, _part in batches:
        if single[kind] and (pdf := cache.batch(batch_key)) is not None:
            combined[kind] = pdf
    todo = [b for b in batches if (single[b[0]] and b[0] not in combined) or any(key not in found for _l, _s, key in b[2])]
    progress.total(len(letters), len(letters) - sum(len(part) for _kind, _key, part in todo))
    allowed = tuple(str(d) for d in template_dirs(root)) + (str(font.subset.parent),)
    base_url = template_dirs(root)[-1].as_uri() + "/"
    results = _run([(heads[kind], [s for _l, s, _k in part], base_url, allowed, single[kind]) for kind, _key, part in todo],
                   workers, lambda batch: progress.advance(len(batch.letters)))
    for (kind, batch_key, part), batch in zip(todo, results):
        for (_letter, _section, key), result in zip(part, batch.letters):
            found[key] = (result.pdf, result.pages)
            cache.put_letter(key, result.pdf, result.pages)
        if single[kind]:
            combined[kind] = batch.combined
            cache.put_batch(batch_key, batch.combined)
    files = [LetterFile(letter, *found[key]) for _kind, _batch, part in batches for letter, _section, key in part]
    for kind, items in by_kind.items():
        if not single[kind]:
            combined[kind] = _joined(cache, kind, [key for _l, _s, key in items], [f.pdf for f in files if f.letter.kind == kind])
    cache.prune()
    return PrintRun(files, {kind: combined[kind] for kind in by_kind})


def _joined(cache: LetterCache, kind: str, keys: list[str], pdfs: list[bytes]) -> bytes:
    """``_join(pdfs)``, kept in the cache under the keys of its letters in order: the same letters give the same
    print file, and joining is nearly all of a run whose letters are all cached (pypdf reads every letter again:
    150 s for 3,287 letters)."""
    data = cache.joined(kind, keys)
    if data is None:
        data = _join(pdfs)
        cache.put_joined(kind, keys, data)
    return data


def _run(args: list[tuple], workers: int | None, done: Callable[[Batch], None]) -> list[Batch]:
    """Each batch laid out, in the order given; ``done(batch)`` is called as each one finishes (in any order)."""
    workers = workers or min(os.cpu_count() or 1, 4)
    if len(args) <= 1 or workers <= 1:
        results = []
        for a in args:
            results.append(render_sections(*a))
            done(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=min(workers, len(args)), mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(render_chunk, a) for a in args]
        for future in as_completed(futures):
            done(future.result())
        return [future.result() for future in futures]


def _join(pdfs: list[bytes]) -> bytes:
    """The letters of one kind as one print file (each letter keeps its own page numbers)."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def letter_folder(desk: Desk, run: PrintRun) -> dict[str, bytes]:
    """The letters folder: each letter, one combined PDF per kind, manifest.json."""
    return print_folder(desk.policy, desk.as_of, run)


def print_folder(policy: Policy, as_of: date, run: PrintRun, **about) -> dict[str, bytes]:
    """A folder of rendered letters: each letter, one combined PDF per kind, manifest.json.

    ``about``: more top-level keys of the manifest (a receipts folder's ``month``); a letter's
    ``context["manifest"]`` adds keys to its own entry (a receipt's number and date).
    """
    files = run.files
    out: dict[str, bytes] = {f.letter.file: f.pdf for f in files}
    by_kind: dict[str, list[LetterFile]] = {}
    for f in files:
        by_kind.setdefault(f.letter.kind, []).append(f)
    combined_entries = []
    for kind, group in by_kind.items():
        name = f"print/{kind}-all.pdf"
        out[name] = run.combined[kind]
        combined_entries.append({
            "type": kind, "title": KIND_TITLES.get(kind, kind), "file": name, "letters": len(group),
            "sha256": hashlib.sha256(out[name]).hexdigest(),
        })
    authority = None if policy.issuer_is_creditor else policy.authorisation_on(as_of)
    manifest = {
        "community": policy.community,
        "issuer": policy.issuer.name,
        "creditor": policy.creditor_name,
        # the authorisation the issuer's demands of the day rest on (None: it is the creditor, or none covers the day)
        "authorisation": authority.document if authority else None,
        "as_of": as_of.isoformat(),
        **about,
        "letters": [
            {
                "doc_no": f.letter.doc_no, "unit": f.letter.unit, "type": f.letter.kind, "title": f.letter.title,
                "total": fmt(f.letter.total) if f.letter.total is not None else None,
                "pages": f.pages, "file": f.letter.file, "sha256": f.sha256, "court": for_court(f.letter),
            } | f.letter.context.get("manifest", {})
            for f in files
        ],
        "combined": combined_entries,
    }
    out["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return out


def render_receipts(ledger: Ledger, month: tuple[int, int], as_of: date, root: Path, cache_dir: Path, workers: int | None = None,
                    progress: Progress = SILENT) -> PrintRun:
    """The receipts of the month's payments up to ``as_of`` (receipts.py), rendered like the letters."""
    return render_planned(plan_receipts(ledger, month, as_of, _laws(root)), root, cache_dir, workers, progress)


def receipt_folder(ledger: Ledger, month: tuple[int, int], as_of: date, run: PrintRun) -> dict[str, bytes]:
    """A month's receipts: each as ``receipt/<number>.pdf``, ``print/receipt-all.pdf`` and manifest.json (with ``month``)."""
    return print_folder(ledger.policy, as_of, run, month=f"{month[0]}-{month[1]:02d}")
