"""load -> validate -> compute, the one path every command takes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .diagnostics import Diagnostic, sorted_diagnostics
from .engine import Desk, compute
from .load import load
from .model import Ledger
from .validate import validate


@dataclass(frozen=True, slots=True)
class Checked:
    ledger: Ledger | None
    problems: tuple[Diagnostic, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "warning"]


def check(root: Path, as_of: date, today: date, use_cache: bool = True) -> Checked:
    """Load and validate. Future-dated entries are errors past max(today, as_of)."""
    ledger, problems = load(root, use_cache=use_cache)
    if ledger is not None:
        problems = problems + validate(ledger, max(today, as_of))
    problems = problems + community_content_problems(root)
    return Checked(ledger, tuple(sorted_diagnostics(problems)))


def community_content_problems(root: Path) -> list[Diagnostic]:
    """A community's own playbook and legal files are checked with its data, not first at build time."""
    own = root / "site_templates"
    if not ((own / "playbook").is_dir() or (own / "legal" / "laws.yaml").is_file()):
        return []
    from .playbook import load_playbook

    book = load_playbook(root)
    return [*book.legal.problems, *book.problems]


def desk_for(checked: Checked, as_of: date) -> Desk:
    assert checked.ledger is not None and not checked.errors
    return compute(checked.ledger, as_of)
