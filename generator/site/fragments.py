"""Rows of the all-unit lists remembered between builds: ``{% cache key, … %}…{% endcache %}`` in a page template.

The arrears list, the queue and the limitation page render a row for nearly
every unit (about 1.2 s at 5,000 units), although a rebuild after one new
contact changes the rows of one unit. A block of a page template wrapped in
``{% cache %}`` is rendered once for its keys and kept in the work folder,
signed with the user's cache key (``speed.signed``: a file someone else
wrote is never used); the next build takes the kept HTML for the same keys.

The same store keeps a few words per unit the pages are made from: the
tactic that fits each unit in arrears best, which the playbook's tactics
page counts (``build.playbook_pages``), so a rebuild works out no advice for
the units that did not change.

What a block may depend on: its keys, and what every page is rendered from
(``FragmentCache.context``: the templates, playbook and legal book, the
policy, as_of, the generator's code and libraries). The project's lists key
each row by the unit's digest (its inputs and its letters). A block that
names the totals (``t``), or includes or imports a template, has the totals
added to its keys when it is parsed: a new payment changes the totals, a new
contact rarely does, and the rows that do not show them stay kept either way.
A block must not read anything else: not ``loop``, not the page's other rows,
not the totals through a macro imported ``with context``.
"""
from __future__ import annotations

from pathlib import Path

import msgspec
from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup

from generator.speed.signed import read_decoded, write_signed

FILE = "fragments.msgpack"


class _FragmentsFile(msgspec.Struct, frozen=True, array_like=True):
    context: str  # digest of what every page is rendered from (``build.render``'s)
    blocks: dict[str, str]  # the keys of a block (repr) -> its HTML


_DECODER = msgspec.msgpack.Decoder(_FragmentsFile)
_ENCODER = msgspec.msgpack.Encoder()


class FragmentCache:
    """The blocks a build rendered, by their keys; those of the last build with the same ``context`` are reused.

    Only this build's blocks are written back: the file holds one build's rows, never more."""

    def __init__(self, folder: Path, key: bytes | None, context: str) -> None:
        self.folder, self.key, self.context = folder, key, context
        self.kept: dict[str, str] = {}
        self.used: dict[str, str] = {}
        self.made = 0
        stored = read_decoded(folder, FILE, key, _DECODER)
        if stored is not None and stored.context == context:
            self.kept = stored.blocks

    def block(self, keys: tuple, render) -> str:
        """The text kept for ``keys``, or ``render()``'s (then kept)."""
        name = repr(keys)
        html = self.used.get(name)
        if html is None:
            html = self.kept.get(name)
            if html is None:
                html = str(render())
                self.made += 1
            self.used[name] = html
        return html

    def save(self) -> None:
        """Keep this build's blocks when they differ from the kept ones."""
        if self.key is None or (not self.made and len(self.used) == len(self.kept)):
            return
        write_signed(self.folder, FILE, self.key, _ENCODER.encode(_FragmentsFile(self.context, self.used)))


class CacheExtension(Extension):
    """``{% cache k1, k2, … %}body{% endcache %}``: the body rendered once for those keys (``FragmentCache``).

    Without a cache (``environment.fragment_cache`` None) the body is simply rendered."""

    tags = frozenset({"cache"})

    def __init__(self, environment) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache=None)

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        if _may_read_totals(body):
            keys.append(nodes.Name("t", "load"))
        return nodes.CallBlock(self.call_method("_block", [nodes.Tuple(keys, "load")]), [], [], body).set_lineno(lineno)

    def _block(self, keys: tuple, caller) -> str:
        cache = self.environment.fragment_cache
        if cache is None:
            return caller()
        html = cache.block(keys, caller)
        return Markup(html) if self.environment.autoescape else html


def _may_read_totals(body: list[nodes.Node]) -> bool:
    """Whether a block names ``t`` or brings in another template (which may)."""
    kinds = (nodes.Name, nodes.Include, nodes.Import, nodes.FromImport)
    return any(not isinstance(found, nodes.Name) or found.name == "t"
               for node in body for found in (node, *node.find_all(kinds)) if isinstance(found, kinds))
