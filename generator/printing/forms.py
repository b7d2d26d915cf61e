"""Forms to hand out or sign: 送达地址确认书, 调解申请书, 授权委托书, 债权转让通知 (issue 15; being built)."""
from __future__ import annotations

from generator.printing.letters import Letter
from generator.rules.engine import Desk

FORM_TITLES: dict[str, str] = {}
FORM_PREFIXES: dict[str, str] = {}


def form_letters(desk: Desk, laws) -> list[Letter]:
    """The forms of the day."""
    return []
