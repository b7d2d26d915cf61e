"""The readable terminal form of the report (rich handles the width of Chinese text).

The limitation column never says "正常" for a unit with an amount past
limitation: it gives the unpaid principal that is barred, and the late fee
barred with it (rule 10, rule 6). The table fits the terminal it is printed
on: all columns from 150 columns up, fewer and merged ones on a narrower
terminal (80 and 120 columns stay readable); output to a file or a pipe is
160 columns wide. Cells and the title are plain text (``rich.text.Text``,
control characters shown as U+FFFD by ``core.inert.visible``): a stage name or
community holding "[link=…]" or an escape sequence prints as it is written.
"""
from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from generator.core.inert import visible
from generator.core.labels import LIMITATION_STATUS, PLAN_STATUS
from generator.core.model import Ledger
from generator.core.money import ZERO, fmt_grouped
from generator.rules.engine import Totals, UnitState, summaries

# (header, justify, no_wrap) of every cell arrears_row makes, in its order
COLUMNS = [("房号", "left", True), ("欠费", "right", True), ("违约金", "right", True), ("最早到期", "left", True),
           ("逾期天数", "right", True), ("阶段", "left", False), ("分期", "left", False), ("诉讼时效", "left", False),
           ("下一步", "left", False)]
HEADERS = [(header, justify) for header, justify, _ in COLUMNS]
FULL_WIDTH = 150  # from here on every column has room
MEDIUM_WIDTH = 100  # from here to FULL_WIDTH: no oldest due day (days overdue says it), the plan under the stage
PIPE_WIDTH = 160  # output that is not a terminal


def limitation_text(s: UnitState) -> str:
    """The unit's limitation in words: the worst status over its unpaid charges, with the amounts barred."""
    lines = []
    limit = s.limitation
    if limit.status == "expired":
        lines.append(f"已过时效 {fmt_grouped(limit.expired_amount)}")
    elif limit.status == "warning":
        lines.append(f"即将届满 {limit.earliest_expiry}")
    elif limit.status is not None and s.late_fee_barred <= 0:
        lines.append(LIMITATION_STATUS[limit.status])
    if s.late_fee_barred > 0:
        lines.append(f"违约金已过时效 {fmt_grouped(s.late_fee_barred)}")
    return "\n".join(lines) or "—"


def arrears_row(s: UnitState) -> tuple | None:
    """(sort key, cells, unpaid principal past limitation) of a unit in arrears, None otherwise: all the table needs of a unit."""
    if not s.in_arrears:
        return None
    cells = (
        s.unit.id, fmt_grouped(s.outstanding), fmt_grouped(s.late_fee), str(s.oldest_due), str(s.days_overdue),
        s.stage.name if s.stage else "—", PLAN_STATUS.get(s.plan.status, "") if s.plan else "—",
        limitation_text(s), s.next_action.text,
    )
    return (s.oldest_due, s.unit.id), cells, s.limitation.expired_amount


def print_ledger(ledger: Ledger, as_of: date, console: Console | None = None) -> None:
    """The same table straight from the ledger, keeping only the rows (see engine.summaries)."""
    rows, totals = summaries(ledger, as_of, arrears_row)
    print_report(ledger.policy.community, as_of, totals, rows, console)


def _layout(width: int, cells: tuple) -> tuple:
    """The cells shown at this width (see _table)."""
    if width >= FULL_WIDTH:
        return cells
    unit, outstanding, late_fee, _oldest, days, stage, plan, limitation, action = cells
    if width >= MEDIUM_WIDTH:
        return unit, outstanding, late_fee, days, stage if plan == "—" else f"{stage}\n分期{plan}", limitation, action
    if plan != "—":
        stage = f"{stage} · 分期{plan}"
    return unit, outstanding, late_fee, days, limitation, f"{stage}\n下一步：{action}"


def _cell(text: str) -> Text:
    """Data text as it is: rich reads no markup ("[link=…]") or emoji codes in it, and no control character is printed."""
    return Text(visible(text))


def _table(title: Text, width: int) -> Table:
    """All of COLUMNS from FULL_WIDTH on; narrower, no oldest due day (days overdue says it) and the plan beside
    the stage; below MEDIUM_WIDTH the next step under the stage too, and no vertical rules."""
    if width >= FULL_WIDTH:
        table = Table(title=title)
        columns = COLUMNS
    else:
        narrow = width < MEDIUM_WIDTH
        table = Table(title=title, box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD, show_lines=True, pad_edge=not narrow)
        days = ("逾期\n天数", "right", True)
        if width >= MEDIUM_WIDTH:
            columns = [*COLUMNS[:3], days, COLUMNS[5], COLUMNS[7], COLUMNS[8]]
        else:
            columns = [*COLUMNS[:3], days, COLUMNS[7], ("阶段 · 下一步", "left", False)]
    for header, justify, no_wrap in columns:
        table.add_column(header, justify=justify, no_wrap=no_wrap, overflow="fold", ratio=1 if "下一步" in header else None,
                         min_width=14 if header == "诉讼时效" else None, max_width=14 if header == "诉讼时效" and width < FULL_WIDTH else None)
    return table


def print_report(community: str, as_of: date, t: Totals, rows: list[tuple | None], console: Console | None = None) -> None:
    """Units in arrears (``arrears_row``'s), oldest first, then the totals in one sentence."""
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=PIPE_WIDTH)
    width = console.width
    table = _table(_cell(f"{community} 欠费情况（截至 {as_of}）"), width)
    rows = sorted(row for row in rows if row is not None)
    for row in rows:
        table.add_row(*map(_cell, _layout(width, row[1])))
    expired = sum((row[2] for row in rows), ZERO)
    console.print(table)
    rate = f"{t.collection_rate * 100:.2f}%" if t.collection_rate is not None else "—"
    of_it = f"（其中已过诉讼时效 {fmt_grouped(expired)} 元）" if expired > 0 else ""
    barred = f"（另有 {fmt_grouped(t.late_fee_barred)} 元已过诉讼时效，不计入）" if t.late_fee_barred > 0 else ""
    console.print(
        f"合计：应收 {fmt_grouped(t.charged)} 元，已收 {fmt_grouped(t.paid)} 元，减免 {fmt_grouped(t.waived)} 元，"
        f"逾期欠费 {fmt_grouped(t.outstanding)} 元{of_it}，未到期 {fmt_grouped(t.not_due)} 元，预存 {fmt_grouped(t.credit)} 元，"
        f"违约金 {fmt_grouped(t.late_fee)} 元{barred}；欠费 {t.units_in_arrears} 户；{as_of.year} 年收缴率 {rate}。"
    )
