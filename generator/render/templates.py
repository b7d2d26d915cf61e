"""The one Jinja set-up of both outputs: template folders, the environment, the shared filters.

The site (``site_templates/``) and the letters (``letters/``) differ only in
what they add: the site finalises every value inert for Markdown, the letters
add capitals and letter-style dates. Everything else (where templates are
looked up, strictness, whitespace, the vocabulary of the enums) is here once.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    StrictUndefined,
    TemplateNotFound,
)
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from generator.core import labels
from generator.core.money import fmt_grouped
from generator.core.paths import PROJECT_DIR
from generator.reading.files import UnsafeFile, inside, read_own


def template_dirs(root: Path, *parts: str) -> list[Path]:
    """``root/<parts>`` (the community's own templates) first, then the project's; only those that exist.

    The community's folder must be its own (no link on the way): UnsafeFile otherwise.
    """
    own = root.joinpath(*parts)
    if (own.exists() or own.is_symlink()) and not inside(root, own):
        raise UnsafeFile(f"{'/'.join(parts)} 经过一个链接指向小区文件夹以外，不会读取：请把链接换成文件夹本身")
    dirs = [own, PROJECT_DIR.joinpath(*parts)]
    return [d for d in dirs if d.is_dir()]


class OwnFilesLoader(BaseLoader):
    """Templates from regular files in one folder, never through a link (``read_own``): a template
    that links to /etc/passwd is refused, not included in a page or a letter."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(self, environment: Environment, template: str):
        path = self.folder.joinpath(*split_template_path(template))
        if not (path.exists() or path.is_symlink()):
            raise TemplateNotFound(template)
        try:
            source = read_own(self.folder, path).decode("utf-8")
        except UnicodeDecodeError:
            raise UnsafeFile(f"模板 {path} 不是 UTF-8 编码，请用 UTF-8 另存") from None
        return source, str(path), lambda: True


def percent(value, missing: str = "—") -> str:
    return missing if value is None else f"{value * 100:.2f}%"


def _words(table: dict[str, str]) -> Callable[[str], str]:
    """A filter giving the Chinese word of an enum value (the value itself when it has none)."""
    return lambda value: table.get(value, value)


def tel(phone: str) -> str:
    """A phone number as a ``tel:`` link's target: its digits (and a leading +) only, whatever else was typed."""
    digits = "".join(c for c in phone if c in "0123456789")
    return ("+" if phone.lstrip().startswith("+") else "") + digits


def vocabulary_filters() -> dict[str, Callable]:
    """Money, percentages and the Chinese words of the data's enums, the same on the site and in letters."""
    return {
        "money": fmt_grouped,
        "pct": percent,
        "tel": tel,
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
        "complaint_category": _words(labels.COMPLAINT_CATEGORY),
    }


def environment(dirs: list[Path], filters: dict[str, Callable] | None = None, **options) -> Environment:
    """A strict environment over ``dirs`` (first wins), autoescaping, with the shared filters and ``filters`` on top.

    A community's own templates are data someone else may have written: with any
    folder outside the project the environment is Jinja's sandbox, where a
    template cannot reach Python's internals (``''.__class__.__mro__``…) to run code.
    """
    own = any(not d.resolve().is_relative_to(PROJECT_DIR) for d in dirs)
    env = (SandboxedEnvironment if own else Environment)(
        loader=ChoiceLoader([OwnFilesLoader(d) for d in dirs]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **{"autoescape": True, **options},
    )
    env.filters.update(vocabulary_filters())
    env.filters.update(filters or {})
    return env
