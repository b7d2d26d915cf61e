"""Big blocks of a page's HTML kept out of Markdown and search, put back in the built page as they are.

The list templates mark their big tables ``{% filter as_is %}…{% endfilter %}``
(``AsIsBlocks`` is the filter). Each block is raw HTML that Markdown only
passes through and that search skips (``data-search-exclude``), but parsing
2 MB of it cost both about a second per list page at 5,000 units. So the
in-process build reads each such page with a comment naming the block's
SHA-256 where the block was (``light``), and the site's plugin puts the
block back after Markdown and search have run (``put_back``). The page's
file in the work folder keeps its blocks (``full``): another engine
(``zensical build``) reads it as any Markdown page, and the page's source
digest covers the blocks.
"""
from __future__ import annotations

import hashlib
import re

from markupsafe import Markup

MARK = re.compile(r"<!--cj-as-is ([0-9a-f]{64})-->")


class AsIsBlocks(dict):
    """Digest -> block, filled by the templates' ``as_is`` filter while a page renders."""

    def __call__(self, html) -> Markup:
        text = str(html)
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self[key] = text
        return Markup(f"\n\n<!--cj-as-is {key}-->\n\n")


def put_back(text: str, blocks: dict[str, str]) -> str:
    """``text`` with each mark of a known block replaced by the block, in one pass (a block put back is never
    searched again, so no text from the data can be taken for a mark); unknown marks stay as they are."""
    if "<!--cj-as-is " not in text:
        return text
    return MARK.sub(lambda m: blocks.get(m[1], m[0]), text)
