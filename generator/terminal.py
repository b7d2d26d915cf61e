"""The readable terminal form of the report (rich handles the width of Chinese text)."""
from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from .engine import Totals, UnitState, summaries
from .labels import LIMITATION_STATUS, PLAN_STATUS
from .model import Ledger
from .money import fmt_grouped

HEADERS = [("房号", "left"), ("欠费", "right"), ("违约金", "right"), ("最早到期", "left"), ("逾期天数", "right"),
           ("阶段", "left"), ("分期", "left"), ("诉讼时效", "left"), ("下一步", "left")]


def arrears_row(s: UnitState) -> tuple | None:
    """(sort key, cells) of a unit in arrears, None otherwise: all the table needs of a unit."""
    if not s.in_arrears:
        return None
    cells = (
        s.unit.id, fmt_grouped(s.outstanding), fmt_grouped(s.late_fee), str(s.oldest_due), str(s.days_overdue),
        s.stage.name if s.stage else "—", PLAN_STATUS.get(s.plan.status, "") if s.plan else "—",
        LIMITATION_STATUS.get(s.limitation.status or "", "—"), s.next_action.text,
    )
    return (s.oldest_due, s.unit.id), cells


def print_ledger(ledger: Ledger, as_of: date, console: Console | None = None) -> None:
    """The same table straight from the ledger, keeping only the rows (see engine.summaries)."""
    rows, totals = summaries(ledger, as_of, arrears_row)
    print_report(ledger.policy.community, as_of, totals, rows, console)


def print_report(community: str, as_of: date, t: Totals, rows: list[tuple | None], console: Console | None = None) -> None:
    """Units in arrears, oldest first, then the totals in one sentence."""
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal or console.width < 140:
            console = Console(highlight=False, width=160)
    table = Table(title=f"{community} 欠费情况（截至 {as_of}）", show_lines=False)
    for header, justify in HEADERS:
        table.add_column(header, justify=justify)
    for _key, cells in sorted(row for row in rows if row is not None):
        table.add_row(*cells)
    console.print(table)
    rate = f"{t.collection_rate * 100:.2f}%" if t.collection_rate is not None else "—"
    console.print(
        f"合计：应收 {fmt_grouped(t.charged)} 元，已收 {fmt_grouped(t.paid)} 元，减免 {fmt_grouped(t.waived)} 元，"
        f"逾期欠费 {fmt_grouped(t.outstanding)} 元，未到期 {fmt_grouped(t.not_due)} 元，预存 {fmt_grouped(t.credit)} 元，"
        f"违约金 {fmt_grouped(t.late_fee)} 元；欠费 {t.units_in_arrears} 户；{as_of.year} 年收缴率 {rate}。"
    )
