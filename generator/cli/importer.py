"""``cuijiao import``: a spreadsheet of households into owner files, all or nothing."""
from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path

import click

from generator import pipeline
from generator.cli.chinese import CuijiaoCommand
from generator.workflow.edit import edit_lock
from generator.workflow.importer import plan_import, write_drafts

# -- the command ------------------------------------------------------------------------------

@click.command("import", cls=CuijiaoCommand)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="表格文件")
@click.option("--dry-run", is_flag=True, help="只显示将写入的文件，不写入")
@click.pass_obj
def command(obj, file: Path, dry_run: bool) -> None:
    """从现有的 Excel/CSV 台账导入房屋和期初欠费到 owners/。

    表头（中英文均可）：房号、业主、电话、地址、面积、类型、居住状态、计费开始、欠费 或 缴至。

    欠费记为期初欠费（计费开始日前一天到期）；写了缴至的，计费开始日为其第二天。

    有任何错误都不写入；已有的房屋文件不会被覆盖。先用 --dry-run 看看会写什么。
    """
    when = obj.as_of  # --as-of, written before or after "import"
    # under the edit lock: nothing another command writes meanwhile is judged by an old check
    with nullcontext() if dry_run else edit_lock(obj.root):
        result = plan_import(obj.root, file, when, obj.today, obj.use_cache)
        for problem in result.problems:
            click.echo(problem.render(), err=True)
        if result.errors:
            click.echo(f"未写入任何文件：{file.name} 有 {len(result.errors)} 处错误（见上），改正后重新导入。", err=True)
            raise SystemExit(1)
        new = [d for d in result.drafts if not d.skipped]
        skipped = len(result.drafts) - len(new)
        if dry_run:
            for draft in new:
                click.echo(f"将写入 {draft.edit.path}：")
                click.echo("".join("    " + line + "\n" for line in draft.edit.text.splitlines()), nl=False)
            click.echo(f"试运行：将导入 {len(new)} 户" + (f"，跳过 {skipped} 户（文件已存在）" if skipped else "") + "；未写入任何文件。")
            return
        write_drafts(obj.root, new)
    summary = f"已导入 {len(new)} 户到 owners/" + (f"，跳过 {skipped} 户（文件已存在）" if skipped else "")
    if new and result.checked is not None:
        from generator.core.money import fmt_grouped

        desk = pipeline.desk_for(result.checked, when)
        units = {d.unit for d in new}
        total = sum((s.outstanding for s in desk.units if s.unit.id in units), Decimal("0.00"))
        summary += f"；按 {when} 计算，这些户欠费合计 {fmt_grouped(total)} 元"
    click.echo(summary + "。")
