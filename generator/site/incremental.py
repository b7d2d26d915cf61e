"""MkDocs' build, step for step, that renders only the pages whose sources changed since the last build.

``build`` follows ``mkdocs.commands.build.build`` (same events, same order,
strict warnings) with MkDocs' own pieces (``get_files``, ``get_navigation``,
``_populate_page``, ``_build_page``, the theme's templates). Given what the
last build kept (``Kept``: each page's source digest, its output's SHA-256
and its search entries), a page outside the navigation whose sources did not
change is neither read nor rendered: its HTML is linked from the kept build
(each file checked against its SHA-256 first) and its search entries are put
back at its place in the index, so ``search_index.json`` comes out as a full
build writes it. A page of the navigation that is not read keeps the title
the kept build gave it (titles make every page's menu); if the title of a
page that was read differs from the kept one, the build starts again in
full. Static files, the theme's templates (404, sitemap) and
the search index are always written.

A full build (no ``Kept``, other theme or configuration, pages added or
removed) runs the same loop with every page rendered, so both kinds of build
give the same bytes (``tests/site/test_site_reuse.py`` compares them file by
file).
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs import utils
from mkdocs.commands.build import (
    _build_extra_template,
    _build_page,
    _build_theme_template,
    _populate_page,
)
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from generator.reading.files import read_data_file
from generator.render.outputs import link_or_copy
from generator.site.reuse import Kept, PageKept

log = logging.getLogger("mkdocs.commands.build")


class Restart(Exception):
    """A title in the navigation changed, so every page's menu does: build again in full, from a fresh config."""


class Stale(Exception):
    """A page to render is one whose sources were left unread in the work folder (``build.Rendered.same``) and
    they are not what the last build kept: render every page's sources again, then build."""


def _always(uri: str) -> bool:
    return True


def build(config, sources: dict[str, str], env: str, kept: Kept | None, kept_dir: Path,
          source_holds: Callable[[str], bool] = _always) -> tuple[dict[str, PageKept], list[tuple[str, str]], dict[str, str]]:
    """Build the site of ``config`` (loaded, strict); ``sources``: each page's source digest by docs path.

    Returns each page's kept data, the navigation's titles and the SHA-256 of each output taken from the kept
    build (checked on the way: keeping this build need not read those files again). Raises
    ``Restart`` when the kept build cannot be used after all (then nothing of it was used), and ``Stale``
    when ``source_holds(uri)`` is false for a page that must be read and rendered.
    """
    usable = kept is not None and kept.env == env and set(kept.pages) == set(sources)
    return _build(config, sources, kept if usable else None, kept_dir, source_holds)


def _verified(kept: Kept, kept_dir: Path, page: PageKept) -> bool:
    raw, _problem = read_data_file(kept_dir, page.output)
    return raw is not None and kept.files.get(page.output) == hashlib.sha256(raw).hexdigest()


def _build(config, sources: dict[str, str], kept: Kept | None, kept_dir: Path,
           source_holds: Callable[[str], bool]) -> tuple[dict[str, PageKept], list[tuple[str, str]], dict[str, str]]:
    logger = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(warning_counter)
    inclusion = InclusionLevel.is_included
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        doc_files = files.documentation_pages(inclusion=inclusion)
        reuse: dict[str, PageKept] = {}
        kept_titles = {uri: title for uri, title in kept.titles} if kept is not None else {}
        if kept is not None:
            for file in doc_files:
                uri = file.src_uri
                old = kept.pages.get(uri)
                if old is not None and old.source == sources.get(uri) and _verified(kept, kept_dir, old):
                    reuse[uri] = old
        for file in doc_files:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            assert file.page is not None
            if file.src_uri not in reuse:
                if not source_holds(file.src_uri):
                    raise Stale
                _populate_page(file.page, config, files)
            elif file.src_uri in kept_titles:  # a page of the menu, not read: its title as its sources gave it
                file.page.title = kept_titles[file.src_uri]
        titles = [(page.file.src_uri, str(page.title)) for page in nav.pages]
        if kept is not None and titles != [tuple(t) for t in kept.titles]:
            raise Restart

        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=inclusion)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)

        index = _search_index(config)
        pages: dict[str, PageKept] = {}
        taken: dict[str, str] = {}
        for file in doc_files:
            uri = file.src_uri
            if uri in reuse:
                old = reuse[uri]
                link_or_copy(kept_dir / old.output, Path(config.site_dir) / old.output)
                if index is not None:
                    index.entries.extend(old.entries)
                pages[uri] = old
                taken[old.output] = kept.files[old.output]
                continue
            start = len(index.entries) if index is not None else 0
            _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            entries = index.entries[start:] if index is not None else []
            pages[uri] = PageKept(sources.get(uri, ""), file.dest_uri, [dict(e) for e in entries])

        log_level = config.validation.links.anchors
        for file in doc_files:
            if file.src_uri not in reuse:
                file.page.validate_anchor_links(files=files, log_level=log_level)
        config.plugins.on_post_build(config=config)
        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
        return pages, titles, taken
    except (Restart, Stale):
        raise
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logger.removeHandler(warning_counter)


def _search_index(config):
    """The search plugin's index being built (Material's ``SearchIndex``), or None without search."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and hasattr(index, "entries") and getattr(plugin, "config", {}).get("enabled", True):
            return index
    return None
