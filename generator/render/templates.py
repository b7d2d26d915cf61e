"""The one Jinja set-up of both outputs: template folders, the environment, the shared filters.

The site (``site_templates/``) and the letters (``letters/``) differ only in
what they add: the site finalises every value inert for Markdown, the letters
add capitals and letter-style dates. Everything else (where templates are
looked up, strictness, whitespace, the vocabulary of the enums) is here once.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from generator.core import labels
from generator.core.money import fmt_grouped
from generator.core.paths import PROJECT_DIR


def template_dirs(root: Path, *parts: str) -> list[Path]:
    """``root/<parts>`` (the community's own templates) first, then the project's; only those that exist."""
    dirs = [root.joinpath(*parts), PROJECT_DIR.joinpath(*parts)]
    return [d for d in dirs if d.is_dir()]


def percent(value, missing: str = "—") -> str:
    return missing if value is None else f"{value * 100:.2f}%"


def _words(table: dict[str, str]) -> Callable[[str], str]:
    """A filter giving the Chinese word of an enum value (the value itself when it has none)."""
    return lambda value: table.get(value, value)


def vocabulary_filters() -> dict[str, Callable]:
    """Money, percentages and the Chinese words of the data's enums, the same on the site and in letters."""
    return {
        "money": fmt_grouped,
        "pct": percent,
        "channel": _words(labels.CHANNEL),
        "outcome": _words(labels.OUTCOME),
        "reason": _words(labels.REASON),
        "occupancy": _words(labels.OCCUPANCY),
        "method": _words(labels.METHOD),
        "applies_to": _words(labels.APPLIES_TO),
        "plan_status": _words(labels.PLAN_STATUS),
        "limitation_status": _words(labels.LIMITATION_STATUS),
        "interruption": _words(labels.INTERRUPTION),
        "standing": _words(labels.STANDING),
        "consent": _words(labels.CONSENT),
    }


def environment(dirs: list[Path], filters: dict[str, Callable] | None = None, **options) -> Environment:
    """A strict environment over ``dirs`` (first wins), autoescaping, with the shared filters and ``filters`` on top."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **{"autoescape": True, **options},
    )
    env.filters.update(vocabulary_filters())
    env.filters.update(filters or {})
    return env
