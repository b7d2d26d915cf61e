"""``cuijiao import``: a spreadsheet of households into owner files, all or nothing, its arrears reconciled."""
from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path

import click

from generator.cli.chinese import CuijiaoCommand
from generator.core.inert import visible
from generator.core.money import fmt_grouped
from generator.workflow.edit import edit_lock
from generator.workflow.importer import Reconciled, plan_import, write_drafts

# -- the command ------------------------------------------------------------------------------

@click.command("import", cls=CuijiaoCommand)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="表格文件")
@click.option("--dry-run", is_flag=True, help="只显示将写入的文件和欠费核对，不写入")
@click.option("--accept-differences", is_flag=True, help="表格的欠费与按规则计算的不一致时，仍以计算结果为准写入")
@click.option("--update", is_flag=True, help="用表格更新已有的房屋文件（保留催收记录等表格里没有的内容），并显示改动")
@click.pass_obj
def command(obj, file: Path, dry_run: bool, accept_differences: bool, update: bool) -> None:
    """从现有的 Excel/CSV 台账导入房屋和欠费到 owners/，并核对欠费。

    表头（中英文均可，常见的别名也认得）：房号、业主、电话、地址、面积、类型、居住状态、
    计费开始、已缴至、欠费、备注。

    有已缴至的，从它的第二天起按收费标准出账单；只有欠费合计的，记为一笔未分期的期初欠费。
    表格的欠费按 --as-of 那天（默认今天）与计算结果逐户核对，不一致就不写入。

    有任何错误都不写入；已有的房屋文件不会被覆盖，除非加 --update（只改表格里有的列，
    催收记录、标签等原样保留）。先用 --dry-run 看看会写什么。
    """
    when = obj.as_of  # --as-of, written before or after "import"
    # under the edit lock: nothing another command writes meanwhile is judged by an old check
    with nullcontext() if dry_run else edit_lock(obj.root):
        result = plan_import(obj.root, file, when, obj.today, obj.use_cache, accept_differences, update)
        for problem in result.problems:
            click.echo(visible(problem.render()), err=True)
        new = [d for d in result.drafts if not d.skipped]
        skipped = len(result.drafts) - len(new)
        changed = [d for d in new if d.old_text is not None and d.edit.text != d.old_text]
        same = sum(1 for d in new if d.old_text is not None) - len(changed)
        for draft in new:
            if draft.old_text is None and dry_run:
                click.echo(f"将写入 {draft.edit.path}：")
                click.echo(visible("".join("    " + line + "\n" for line in draft.edit.text.splitlines())), nl=False)
            elif draft in changed:
                click.echo(f"{'将更新' if dry_run else '更新'} {draft.edit.path}：")
                click.echo(visible(draft.diff), nl=False)
        if result.reconciled and (dry_run or result.errors):
            click.echo(reconciliation_table(result.reconciled, str(when)))
        if result.reconciled:
            click.echo(reconciliation_total(result.reconciled, str(when)))
        if result.errors:
            click.echo(f"未写入任何文件：{visible(file.name)} 有 {len(result.errors)} 处错误（见上），改正后重新导入。", err=True)
            raise SystemExit(1)
        counts = _counts(len(new) - len(changed) - same, len(changed), same, skipped)
        if dry_run:
            click.echo(f"试运行：将{counts}；未写入任何文件。")
            return
        write_drafts(obj.root, new)
    click.echo(f"已{counts}。")


def _counts(added: int, changed: int, same: int, skipped: int) -> str:
    """导入 3 户到 owners/，更新 2 户，1 户没有变化，跳过 1 户（文件已存在）."""
    text = f"导入 {added} 户到 owners/"
    if changed:
        text += f"，更新 {changed} 户"
    if same:
        text += f"，{same} 户没有变化"
    if skipped:
        text += f"，跳过 {skipped} 户（文件已存在）"
    return text


def reconciliation_table(rows: list[Reconciled], as_of: str) -> str:
    """Each household: the sheet's arrears beside the computed ones, a mark where they differ."""
    lines = [f"欠费核对（按 {as_of} 计算，只算本金，不含违约金）："]
    width = max(len(r.unit) for r in rows)
    for r in rows:
        sheet = "（无）" if r.sheet is None else fmt_grouped(r.sheet)
        mark = "" if r.agrees else f"  ✗ 相差 {fmt_grouped(r.computed - r.sheet)}"
        if r.not_due:
            mark += f"  （{'含' if r.with_not_due else '另有'}未到期 {fmt_grouped(r.not_due)}）"
        lines.append(f"  第 {r.row:>4} 行  {r.unit:<{width}}  表格 {sheet:>12}  计算 {fmt_grouped(r.computed):>12}{mark}")
    return "\n".join(lines)


def reconciliation_total(rows: list[Reconciled], as_of: str) -> str:
    """The community's line: the sheet's total beside the computed one, and the rows that differ."""
    computed = sum((r.computed for r in rows), Decimal("0.00"))
    line = f"欠费合计（{len(rows)} 户，按 {as_of} 计算）：计算 {fmt_grouped(computed)} 元"
    dated = [r for r in rows if r.sheet is not None]
    if not dated:
        return line + "；表格没有欠费一列，未核对"
    sheet = sum((r.sheet for r in dated), Decimal("0.00"))
    differ = [r for r in rows if not r.agrees]
    line += f"，表格 {fmt_grouped(sheet)} 元"
    if not differ:
        return line + "，逐户一致"
    rows_text = "、".join(f"第 {r.row} 行" for r in differ[:10]) + (f" 等 {len(differ)} 行" if len(differ) > 10 else "")
    return line + f"；{len(differ)} 户不一致：{rows_text}"
