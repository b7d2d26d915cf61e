"""load -> validate -> compute, the one path every command takes."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.core.diagnostics import Diagnostic, sorted_diagnostics, warning
from generator.core.holidays import holiday_problems
from generator.core.model import Ledger
from generator.core.money import fmt_grouped
from generator.reading.load import load
from generator.reading.validate import validate
from generator.rules.engine import Desk, compute, unit_inputs, unit_state


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


def check(root: Path, as_of: date, today: date, use_cache: bool = True, overrides: Mapping[str, bytes] | None = None) -> Checked:
    """Load and validate. Future-dated entries are errors past max(today, as_of).

    ``overrides``: files as an edit would write them (path -> bytes), checked before anything is written.
    """
    ledger, problems = load(root, use_cache=use_cache, overrides=overrides)
    if ledger is not None:
        problems = problems + validate(ledger, max(today, as_of))
        problems = problems + holiday_problems(ledger.policy, as_of)  # rule 12: deadlines in a year nobody gave
        if not any(p.severity == "error" for p in problems):
            problems = problems + late_fee_payment_problems(ledger, as_of)
    problems = problems + community_content_problems(root)
    return Checked(ledger, tuple(sorted_diagnostics(problems)))


def late_fee_payment_problems(ledger: Ledger, as_of: date) -> list[Diagnostic]:
    """Rule 6: what a late-fee payment pays beyond the late fee is not credit; say so at the payment.

    Only the units with a late-fee payment are computed, so a large ledger checks as fast as before.
    """
    paying = {p.unit for p in ledger.payments if p.designation and p.for_late_fee and p.date <= as_of}  # designation first: cheap
    if not paying:
        return []
    problems = []
    for args in unit_inputs(ledger, as_of):
        unit = args[1]
        if unit.id not in paying:
            continue
        state = unit_state(*args)
        if state.late_fee_overpaid > 0:
            last = max((p for p in state.payments if p.for_late_fee), key=lambda p: (p.date, p.seq))
            problems.append(warning(
                last.pos, f"{unit.id} 交的违约金比应付的多 {fmt_grouped(state.late_fee_overpaid)} 元（按 {as_of} 计算），多出的部分不算预存款",
                "核对这笔缴费：如果业主交的其实是物业费，删除 for 里的 late_fee；如果确实多收了，请退还或与业主另行约定"))
    return problems


def community_content_problems(root: Path) -> list[Diagnostic]:
    """A community's own playbook and legal files are checked with its data, not first at build time."""
    own = root / "site_templates"
    if not ((own / "playbook").is_dir() or (own / "legal" / "laws.yaml").is_file()):
        return []
    # imported here, not at the top: only a community with its own content pays for it (66 ms at start-up)
    from generator.content.playbook import load_playbook

    book = load_playbook(root)
    return [*book.legal.problems, *book.problems]


def desk_for(checked: Checked, as_of: date) -> Desk:
    assert checked.ledger is not None and not checked.errors
    return compute(checked.ledger, as_of)
