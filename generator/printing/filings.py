"""Court filings for households at the court stage: 支付令申请书, 民事起诉状 (issue 15; being built).

Each is a ``letters.Letter`` rendered like every letter (``print_run``), in the
creditor's name as claimant, claiming only amounts in time (rule 10).
"""
from __future__ import annotations

from generator.printing.letters import Letter
from generator.rules.engine import Desk

FILING_TITLES: dict[str, str] = {}
FILING_PREFIXES: dict[str, str] = {}


def filing_letters(desk: Desk, laws) -> list[Letter]:
    """The filings of the day, one set per household at the court stage."""
    return []
