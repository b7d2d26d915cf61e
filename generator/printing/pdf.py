"""HTML letters to PDF with WeasyPrint: many letters laid out as one document, split per letter.

Laying out letters together costs about half of laying them out one by one.
Each letter restarts its page numbers through a named page
(``@page letter-start { counter-reset: page 1 }``) and prints its own page
total from ``data-pages``; the first pass assumes the number of pages a
letter had before (or 1), and letters that came out longer are laid out
again with the right total.  A letter's PDF holds only its own pages and
the glyphs they use, so its bytes do not depend on which letters shared its
batch.

WeasyPrint may fetch only files under the allowed folders (the letter
templates and the cached font); anything else, ``file:`` or network, is
refused, so text in the data can never pull a local file into a PDF.

Every PDF is tagged (PDF/UA-1: a structure tree, ``/MarkInfo``, the
document's language and title), so that a screen reader reads headings,
paragraphs and table cells in order.  A letter's PDF is titled with its
kind and number (``催缴通知书 TZ-…``, the section's ``data-title``); a
combined file keeps the <title> of its kind.  WeasyPrint's tagging adds no
date or random identifier, so the bytes stay reproducible.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from pathlib import Path

MAX_PASSES = 3
PDF_VARIANT = "pdf/ua-1"  # tagged for screen readers; needs <html lang> and a title
_TITLE = re.compile(r'<section [^>]*data-title="([^"]*)"')


class FetchRefused(ValueError):
    """A letter asked for a resource outside the allowed folders."""


@dataclass(frozen=True, slots=True)
class Section:
    anchor: str  # the id of the letter's <section>
    html: str
    pages: int  # the page total printed in the letter's footer


@dataclass(frozen=True, slots=True)
class Rendered:
    anchor: str
    pdf: bytes
    pages: int


@dataclass(frozen=True, slots=True)
class Batch:
    letters: list[Rendered]
    combined: bytes  # all the batch's letters in one PDF, sharing one embedded font (b"" when not asked for)


def url_fetcher_for(allowed: tuple[str, ...]):
    """A WeasyPrint URL fetcher that serves only files inside ``allowed`` folders."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = tuple(str(Path(folder).resolve()) + "/" for folder in allowed)

    class AllowedFiles(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file" and str(Path(unquote(parsed.path)).resolve()).startswith(roots):
                return super().fetch(url, headers)
            raise FetchRefused(f"refused to fetch {url!r}")

    return AllowedFiles(allowed_protocols=("file",), allow_redirects=False)


def lay_out(head: str, sections: list[Section], base_url: str, allowed: tuple[str, ...], fonts=None):
    """The sections laid out as one WeasyPrint document (its pages' boxes are what the layout tests measure)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected, not news
    html = HTML(string=_document(head, sections), base_url=base_url, url_fetcher=url_fetcher_for(allowed))
    return html.render(font_config=fonts) if fonts is not None else html.render()


def render_sections(head: str, sections: list[Section], base_url: str, allowed: tuple[str, ...], combine: bool = True) -> Batch:
    """Lay out the sections as one document; re-lay out those whose page total was guessed wrong.

    ``combine``: also write all the sections as one PDF sharing one embedded font (painting every page
    a second time); without it the batch's ``combined`` is empty.
    """
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    done: dict[str, Rendered] = {}
    pages: dict[str, list] = {}  # each letter's laid-out pages, for the combined PDF
    todo = list(sections)
    first_document = None
    for _ in range(MAX_PASSES):
        if not todo:
            break
        document = lay_out(head, todo, base_url, allowed, fonts)
        first_document = first_document or document
        starts = first_pages(document, [s.anchor for s in todo])
        retry = []
        for i, section in enumerate(todo):
            first = starts[section.anchor]
            last = starts[todo[i + 1].anchor] if i + 1 < len(todo) else len(document.pages)
            count = last - first
            if count != section.pages:
                retry.append(Section(section.anchor, section.html, count))
                continue
            own = document.pages[first:last]
            pages[section.anchor] = own
            done[section.anchor] = Rendered(section.anchor, _pdf(document, own, _title(section.html)), count)
        todo = retry
    if todo:  # page totals that never settle
        raise RuntimeError(f"page count did not settle for {[s.anchor for s in todo]}")
    combined = _pdf(first_document, [page for s in sections for page in pages[s.anchor]], None) if combine else b""
    return Batch([done[s.anchor] for s in sections], combined)


def _pdf(document, pages: list, title: str | None) -> bytes:
    """The pages as a tagged PDF; ``title`` replaces the document's <title> (None: keep it)."""
    import copy

    part = document.copy(pages)
    if title:
        part.metadata = copy.copy(document.metadata)
        part.metadata.title = title
    return part.write_pdf(pdf_variant=PDF_VARIANT)


def _title(section_html: str) -> str | None:
    """A letter's own title (its section's ``data-title``: kind and number), as plain text; None without one."""
    found = _TITLE.search(section_html)
    return " ".join(htmllib.unescape(found.group(1)).split()) or None if found else None


def _document(head: str, sections: list[Section]) -> str:
    body = "".join(s.html.replace('data-pages="0"', f'data-pages="{s.pages}"', 1) for s in sections)
    return f"<!DOCTYPE html><html lang=\"zh-CN\"><head>{head}</head><body>{body}</body></html>"


def first_pages(document, anchors: list[str]) -> dict[str, int]:
    """The index of each anchor's first page in the laid-out document."""
    wanted = set(anchors)
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in wanted and anchor not in found:
                found[anchor] = number
    missing = wanted - found.keys()
    if missing:
        raise RuntimeError(f"letters without a page: {sorted(missing)}")
    return found


def render_chunk(job: tuple) -> Batch:
    """Worker entry point (picklable arguments only)."""
    head, sections, base_url, allowed, combine = job
    return render_sections(head, sections, base_url, allowed, combine)
