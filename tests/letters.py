"""Helpers for the letter tests (tests/printing/): the hand-made communities' day and dunning ladder, a letter's
text read back (from its PDF or from its rendered HTML), and its pages laid out as WeasyPrint boxes, with where
the seal's place sits on them (``covered``). The demo's letters themselves are fixtures in
tests/printing/conftest.py (``demo``, ``cache_dir``).
"""
from __future__ import annotations

import html as htmllib
import io
import re
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from generator.content.legal import load_legal
from generator.core.money import fmt_grouped
from generator.printing.dossier import plan_all
from generator.printing.pdf import Section, first_pages, lay_out
from generator.printing.print_run import _head, _html, anchor, environment, template_dirs
from generator.render.fonts import letter_font
from tests.community import stage
from tests.support import DEMO_AS_OF, PROJECT

AS_OF = DEMO_AS_OF  # the demo's day, and the hand-made communities' here
DUNNING = [
    stage("reminder", 1, ["sms"]),
    stage("notice", 30, ["letter"], letter="notice", wait_days=7),
    stage("lawyer", 90, ["lawyer_letter"], letter="lawyer", deadline_days=14, requires={"notice": 1}),
    stage("legal", 180, ["court"], requires={"lawyer": 1}),
]
STAMPS = {"stamp", "stamp-box"}  # the seal's place: (盖章处) in a dashed circle


def text_of(pdf: bytes) -> str:
    """The PDF's text as a reader would copy it, whitespace removed (CJK line breaks fall anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def money_text(amount: Decimal) -> str:
    """An amount as letters print it (grouped, two places)."""
    return fmt_grouped(amount)


def html_text(letter, root: Path = PROJECT) -> str:
    """A letter's text as its template renders it (no PDF), tags and whitespace removed."""
    html = _html(environment(root), letter)
    return re.sub(r"\s+", "", htmllib.unescape(re.sub(r"<[^>]+>", "", html)))


def letters_for(desk, root: Path = PROJECT, kind: str | None = None) -> list:
    """The letters the desk calls for (all, or those of one kind), planned but not rendered."""
    found = plan_all(desk, load_legal(root))
    return [letter for letter in found if kind is None or letter.kind == kind]


def by_kind(files, kind):
    """The rendered letter files of one kind."""
    return [f for f in files if f.letter.kind == kind]


def state_of(desk, unit):
    """The unit's state on the desk."""
    return next(s for s in desk.units if s.unit.id == unit)


# -- the pages as laid out ---------------------------------------------------------------------------------------

def pages_of(letters: list, cache_dir) -> dict[str, list]:
    """Each letter's page boxes, by doc_no: laid out one document per kind, as the print run does."""
    env = environment(PROJECT)
    font = letter_font(cache_dir)
    allowed = tuple(str(d) for d in template_dirs(PROJECT)) + (str(font.subset.parent),)
    base_url = template_dirs(PROJECT)[-1].as_uri() + "/"
    kinds: dict[str, list] = {}
    for letter in letters:
        kinds.setdefault(letter.kind, []).append(letter)
    pages: dict[str, list] = {}
    for kind, group in kinds.items():
        sections = [Section(anchor(letter), _html(env, letter), 1) for letter in group]
        document = lay_out(_head(env, font, kind), sections, base_url, allowed)
        starts = first_pages(document, [s.anchor for s in sections])
        ends = [starts[s.anchor] for s in sections[1:]] + [len(document.pages)]
        for letter, section, end in zip(group, sections, ends):
            pages[letter.doc_no] = [page._page_box for page in document.pages[starts[section.anchor]:end]]
    return pages


def classes(box) -> set[str]:
    """The HTML classes of the element a box was made for."""
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def walk(box, in_stamp: bool = False):
    """(box, whether it is part of a seal's place) for the box and everything in it."""
    in_stamp = in_stamp or bool(classes(box) & STAMPS)
    yield box, in_stamp
    for child in getattr(box, "children", ()):
        yield from walk(child, in_stamp)


def rect(box) -> tuple[float, float, float, float]:
    """The box's border box as (x0, y0, x1, y1)."""
    x, y = box.border_box_x(), box.border_box_y()
    return x, y, x + box.border_width(), y + box.border_height()


def overlap(a, b) -> bool:
    """Whether two rectangles overlap (touching edges do not)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def outermost(page, name: str) -> list:
    """Boxes of the elements of class ``name`` that are not inside another box of the same element."""
    seen, found = set(), []
    for box, _ in walk(page):
        element = getattr(box, "element", None)
        if name in classes(box) and id(element) not in seen:
            seen.add(id(element))
            found.append(box)
    return found


def covered(page) -> tuple[int, list[str]]:
    """(how many seal places the page has, what they cover): text, and the blank signature lines."""
    stamps = [rect(box) for name in STAMPS for box in outermost(page, name)]
    marks = [
        (box, rect(box)) for box, in_stamp in walk(page) if not in_stamp
        and ((type(box).__name__ == "TextBox" and box.text.strip()) or "line" in classes(box))
    ]
    return len(stamps), [getattr(box, "text", "____") for stamp in stamps for box, r in marks if overlap(stamp, r)]
