"""``cuijiao diff``: the money diff between two Git revisions, for a pull request or the terminal."""
from __future__ import annotations

from pathlib import Path

import click

from generator.cli.chinese import CuijiaoCommand
from generator.core.inert import visible
from generator.workflow.diff import render, sides

# -- the command ------------------------------------------------------------------------

@click.command("diff", cls=CuijiaoCommand)
@click.argument("base", metavar="基准版本")
@click.argument("head", required=False, metavar="[新版本]")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="把结果写入这个文件（CI 里追加到 $GITHUB_STEP_SUMMARY）")
@click.pass_obj
def command(obj, base: str, head: str | None, output: Path | None) -> None:
    """金额变化：比较两个 Git 版本（新版本不写则为当前工作区），按同一天计算每户欠费、违约金、诉讼时效、阶段和下一步，并列出投诉的变化。

    \b
    例：cuijiao diff main             当前改动对金额的影响
        cuijiao diff origin/main HEAD  拉取请求的改动

    新版本的数据有错误时算不出金额：结果里只列出错误，退出码为 1。
    只有基准版本有错误时（这次改动正好改正了它们），同样只列错误，退出码为 0。
    """
    with sides(obj.root, base, head, obj.as_of, obj.today, obj.use_cache) as (before, after):
        text = render(before, after, obj.as_of, obj.today)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"金额变化已写入 {output}")
    if after.desk is None:
        errors = len(after.checked.errors)
        click.echo(visible(f"无法计算金额变化：改动后（{after.label.replace('`', '')}）的数据有 {errors} 处错误，"
                           "请先改正（运行 cuijiao check 查看全部问题）。"), err=True)
        raise SystemExit(1)
