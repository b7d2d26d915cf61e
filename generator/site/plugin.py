"""The MkDocs plugin of the in-process build: every page without its indentation and blank lines.

A real ``BasePlugin`` with MkDocs' events, added to the loaded configuration
by ``site.build`` (the generated ``mkdocs.yml`` stays the community's plain
MkDocs file). Imported only when a site is built: MkDocs is slow to import.
"""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from generator.site.compact import compact_html


class CompactPages(BasePlugin):
    """Compacts the HTML of pages and of the theme's HTML templates (404.html); other outputs pass as they are."""

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return compact_html(output)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        return compact_html(output_content) if template_name.endswith(".html") else output_content


def install(config: MkDocsConfig) -> None:
    """Add the plugin to a loaded configuration, its (empty) options validated like any plugin's."""
    plugin = CompactPages()
    errors, warnings = plugin.load_config({})
    assert not errors and not warnings, (errors, warnings)  # it has no options
    config.plugins["cuijiao/compact"] = plugin
