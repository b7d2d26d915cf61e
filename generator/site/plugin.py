"""The MkDocs plugin of the in-process build: pages read without their as-is blocks and the blocks put back
in their HTML (``site.asis``); every page without its indentation and blank lines; the search index's
Chinese word breaks taken from the last builds' (``site.segments``).

A real ``BasePlugin`` with MkDocs' events, added to the loaded configuration
by ``site.build`` (the generated ``mkdocs.yml`` stays the community's plain
MkDocs file). Imported only when a site is built: MkDocs is slow to import.
"""
from __future__ import annotations

from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from generator.site.asis import put_back
from generator.site.compact import compact_html
from generator.site.segments import Segmenter


class CompactPages(BasePlugin):
    """Compacts the HTML of pages and of the theme's HTML templates (404.html); other outputs pass as they are.

    With ``sandboxed`` it also renders the theme in Jinja's sandbox: a community's
    ``site_templates/overrides`` are templates someone else may have written, and in
    MkDocs' plain environment a template can reach Python's internals
    (``''.__class__.__mro__``…) and run code. (The sandbox costs about a tenth of
    the build, so the project's own theme is rendered as MkDocs does.)
    """

    def __init__(self, sandboxed: bool = False, blocks: dict[str, str] | None = None, light: dict[str, str] | None = None,
                 segmenter: Segmenter | None = None) -> None:
        super().__init__()
        self.sandboxed = sandboxed
        self.blocks, self.light = blocks or {}, light or {}
        self.segmenter = segmenter

    def on_config(self, config: MkDocsConfig) -> None:
        if self.segmenter is not None:  # after the search plugin's on_config: this plugin is added last
            self.segmenter.install(config)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files) -> Environment:
        if not self.sandboxed:
            return env
        sandbox = SandboxedEnvironment(loader=env.loader, extensions=list(env.extensions), autoescape=env.autoescape,
                                       undefined=env.undefined, trim_blocks=env.trim_blocks, lstrip_blocks=env.lstrip_blocks,
                                       keep_trailing_newline=env.keep_trailing_newline, auto_reload=False)
        sandbox.filters.update(env.filters)
        sandbox.tests.update(env.tests)
        sandbox.globals.update(env.globals)
        sandbox.policies.update(env.policies)
        return sandbox

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.light.get(page.file.src_uri)  # None: MkDocs reads the file

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return compact_html(put_back(output, self.blocks) if page.file.src_uri in self.light else output)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        return compact_html(output_content) if template_name.endswith(".html") else output_content


def install(config: MkDocsConfig, sandboxed: bool = False, blocks: dict[str, str] | None = None,
            light: dict[str, str] | None = None, segmenter: Segmenter | None = None) -> None:
    """Add the plugin to a loaded configuration, its (empty) options validated like any plugin's.

    ``blocks`` and ``light``: this build's as-is blocks by digest, and the pages to read with marks instead
    (``site.asis``). ``segmenter``: the search index's word breaks remembered between builds (``site.segments``)."""
    plugin = CompactPages(sandboxed, blocks, light, segmenter)
    errors, warnings = plugin.load_config({})
    assert not errors and not warnings, (errors, warnings)  # it has no options
    config.plugins["cuijiao/compact"] = plugin
