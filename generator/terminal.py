"""The readable terminal form of the report (rich handles the width of Chinese text)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .engine import Desk
from .labels import LIMITATION_STATUS, PLAN_STATUS
from .money import fmt_grouped


def print_report(desk: Desk, console: Console | None = None) -> None:
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal or console.width < 140:
            console = Console(highlight=False, width=160)
    t = desk.totals
    arrears = sorted((s for s in desk.units if s.in_arrears), key=lambda s: (s.oldest_due, s.unit.id))
    table = Table(title=f"{desk.policy.community} 欠费情况（截至 {desk.as_of}）", show_lines=False)
    for header, justify in [("房号", "left"), ("欠费", "right"), ("违约金", "right"), ("最早到期", "left"), ("逾期天数", "right"),
                            ("阶段", "left"), ("分期", "left"), ("诉讼时效", "left"), ("下一步", "left")]:
        table.add_column(header, justify=justify)
    for s in arrears:
        table.add_row(
            s.unit.id, fmt_grouped(s.outstanding), fmt_grouped(s.late_fee), str(s.oldest_due), str(s.days_overdue),
            s.stage.name if s.stage else "—", PLAN_STATUS.get(s.plan.status, "") if s.plan else "—",
            LIMITATION_STATUS.get(s.limitation.status or "", "—"), s.next_action.text,
        )
    console.print(table)
    rate = f"{t.collection_rate * 100:.2f}%" if t.collection_rate is not None else "—"
    console.print(
        f"合计：应收 {fmt_grouped(t.charged)} 元，已收 {fmt_grouped(t.paid)} 元，减免 {fmt_grouped(t.waived)} 元，"
        f"逾期欠费 {fmt_grouped(t.outstanding)} 元，未到期 {fmt_grouped(t.not_due)} 元，预存 {fmt_grouped(t.credit)} 元，"
        f"违约金 {fmt_grouped(t.late_fee)} 元；欠费 {t.units_in_arrears} 户；{desk.as_of.year} 年收缴率 {rate}。"
    )
