"""Every document of the day in print order: the dunning letters (``letters``), the court filings
(``filings``) and the forms (``forms``); one table of titles and number prefixes for them all."""
from __future__ import annotations

from generator.printing.filings import FILING_PREFIXES, FILING_TITLES, filing_letters
from generator.printing.forms import FORM_PREFIXES, FORM_TITLES, form_letters
from generator.printing.letters import PREFIXES as LETTER_PREFIXES
from generator.printing.letters import TITLES as LETTER_TITLES
from generator.printing.letters import Letter, dunning_letters
from generator.rules.engine import Desk

TITLES = LETTER_TITLES | FILING_TITLES | FORM_TITLES
PREFIXES = LETTER_PREFIXES | FILING_PREFIXES | FORM_PREFIXES
# a household's case file (the filings, the evidence list, the mediation application): the queue links them on its row
COURT_KINDS = frozenset(FILING_TITLES) | {"evidence", "mediation"}


def for_court(letter: Letter) -> bool:
    """Whether the letter belongs to a household's case file for the court (``COURT_KINDS``)."""
    return letter.kind in COURT_KINDS


def plan_all(desk: Desk, laws) -> list[Letter]:
    """Every document of the day, in print order: by kind, then unit."""
    letters = dunning_letters(desk, laws) + filing_letters(desk, laws) + form_letters(desk, laws)
    order = {kind: i for i, kind in enumerate(TITLES)}
    letters.sort(key=lambda l: (order.get(l.kind, len(order)), l.kind, l.unit or "", l.doc_no))
    return letters
