"""The lists' rows remembered between builds (site.fragments): a {% cache %} block is rendered once for its keys,
taken back only from this user's signed file made for the same context, and gives the bytes rendering gives."""
from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment
from jinja2.sandbox import SandboxedEnvironment

from generator.site.fragments import (
    _ENCODER,
    FILE,
    CacheExtension,
    FragmentCache,
    _FragmentsFile,
)
from generator.speed.signed import read_signed, write_signed

KEY, OTHER_KEY = b"k" * 32, b"o" * 32
PAGE = "{% for u in units %}{% cache 'row', u, keys[u] %}<tr>{{ u }} {{ seen(u) }}</tr>\n{% endcache %}{% endfor %}"


def _render(tmp_path, kind=Environment, key=KEY, context="c1", keys=None, cache=True) -> tuple[str, list[str], FragmentCache | None]:
    env = kind(loader=DictLoader({"page": PAGE}), autoescape=True, extensions=[CacheExtension], trim_blocks=True)
    rendered: list[str] = []
    fragments = FragmentCache(tmp_path, key, context) if cache else None
    env.fragment_cache = fragments
    keys = keys or {"1-101": "a", "1-102": "b"}
    html = env.get_template("page").render(units=list(keys), keys=keys, seen=lambda u: rendered.append(u) or "<b>")
    if fragments is not None:
        fragments.save()
    return html, rendered, fragments


@pytest.mark.parametrize("kind", [Environment, SandboxedEnvironment])
def test_a_block_is_rendered_once_and_taken_back_the_same_by_the_next_build(tmp_path, kind):
    first, rendered, _ = _render(tmp_path, kind)
    assert rendered == ["1-101", "1-102"]
    assert first == "<tr>1-101 &lt;b&gt;</tr>\n<tr>1-102 &lt;b&gt;</tr>\n"
    again, rendered, _ = _render(tmp_path, kind)
    assert again == first and rendered == []


def test_a_block_whose_keys_changed_is_rendered_again_and_only_this_builds_blocks_are_kept(tmp_path):
    _render(tmp_path)
    html, rendered, _ = _render(tmp_path, keys={"1-101": "a", "1-103": "c"})
    assert rendered == ["1-103"] and html == "<tr>1-101 &lt;b&gt;</tr>\n<tr>1-103 &lt;b&gt;</tr>\n"
    assert len(FragmentCache(tmp_path, KEY, "c1").kept) == 2


@pytest.mark.parametrize("key, context", [(OTHER_KEY, "c1"), (KEY, "c2")])
def test_blocks_signed_by_another_key_or_made_for_another_context_are_not_used(tmp_path, key, context):
    write_signed(tmp_path, FILE, key, _ENCODER.encode(_FragmentsFile(context, {repr(("row", "1-101", "a")): "<tr>planted</tr>"})))
    html, rendered, _ = _render(tmp_path)
    assert "planted" not in html and rendered == ["1-101", "1-102"]


def test_without_a_cache_every_block_is_rendered_and_nothing_is_written(tmp_path):
    html, rendered, _ = _render(tmp_path, cache=False)
    assert rendered == ["1-101", "1-102"] and html.count("<tr>") == 2
    assert not (tmp_path / FILE).exists()


def test_an_unchanged_build_writes_nothing(tmp_path):
    _render(tmp_path)
    before = (tmp_path / FILE).stat().st_mtime_ns
    (tmp_path / FILE).touch()
    touched = (tmp_path / FILE).stat().st_mtime_ns
    _render(tmp_path)
    assert (tmp_path / FILE).stat().st_mtime_ns == touched >= before
    assert read_signed(tmp_path, FILE, KEY) is not None


@pytest.mark.parametrize("body, reads", [
    ("{{ u }} of {{ t.outstanding }}", True),
    ("{% include 'other' %}", True),
    ("{% from 'other' import x %}{{ x }}", True),
    ("{{ u }} {{ seen(u) }}", False),
])
def test_a_block_that_may_read_the_totals_is_rendered_again_when_they_change_and_only_such_a_block(tmp_path, body, reads):
    """The totals are a key of the blocks that name them (or bring in another template), not of the context:
    a new contact that moves a late fee between claimable and barred changes them, and the other rows stay kept."""
    templates = {"page": "{% for u in units %}{% cache 'row', u %}" + body + "{% endcache %}{% endfor %}",
                 "other": "{% macro x() %}{{ t }}{% endmacro %}{{ t }}"}
    env = Environment(loader=DictLoader(templates), extensions=[CacheExtension])
    rendered: list[str] = []
    for totals in ("100", "100", "120"):
        env.fragment_cache = FragmentCache(tmp_path, KEY, "c1")
        env.get_template("page").render(units=["1-101"], t={"outstanding": totals}, seen=rendered.append)
        env.fragment_cache.save()
        made = env.fragment_cache.made
    assert made == (1 if reads else 0)


def test_no_row_of_the_project_s_lists_reads_the_totals():
    """So a new contact that changes the totals renders no row again but its unit's."""
    from jinja2 import nodes

    from generator.core.paths import PROJECT_DIR
    from generator.site.build import environment

    env = environment(PROJECT_DIR)
    blocks = 0
    for name in ("arrears.md.j2", "queue.md.j2", "limitation.md.j2"):
        source, _, _ = env.loader.get_source(env, name)
        for block in env.parse(source).find_all(nodes.CallBlock):
            keys = block.call.args[0].items
            blocks += 1
            assert not any(isinstance(k, nodes.Name) and k.name == "t" for k in keys), name
    assert blocks == 4
