"""Smaller HTML pages that render the same: indentation and blank lines dropped.

Material's templates indent every tag and leave many blank lines; on a
5,000-unit site that is about a tenth of every page. A line break and the
white space around it collapse to one space when rendered, so each such run
becomes a single line break, except inside ``<pre>``, ``<textarea>``,
``<script>`` and ``<style>``, which are kept as they are.
"""
from __future__ import annotations

import re

_RUNS = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)|[ \t]*\n\s*", re.S | re.I)


def compact_html(html: str) -> str:
    return _RUNS.sub(lambda m: m.group(1) or "\n", html)
