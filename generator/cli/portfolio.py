"""``cuijiao summary`` and ``cuijiao portfolio`` (issue 17, item 2).

``summary``: one community's figures without personal data, as JSON
(``views.portfolio``: the small-cell rule is applied there). ``portfolio``:
the site over many summaries (``site.portfolio``), built beside the old
``OUT/portfolio`` and swapped in when it succeeded.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from generator import pipeline
from generator.cli.chinese import CuijiaoCommand
from generator.core.errors import UsageProblem
from generator.core.inert import json_text, visible


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _is_summary(path: Path) -> bool:
    """A regular file that a summary run wrote (its first lines name the format): the only kind --out replaces."""
    if not path.is_file():  # never opened otherwise: a FIFO would block
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(200)
    except OSError:
        return False
    return b'"format": "cuijiao-summary/' in head


@click.command("summary", cls=CuijiaoCommand)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="写进这个文件（默认输出到屏幕）")
@click.pass_obj
def summary_command(obj, out: Path | None) -> None:
    """小区汇总（不含个人信息）的 JSON：给多小区总览（cuijiao portfolio）用。

    只有汇总数字：不含房号、业主姓名、电话、地址和记录内容；不足 3 户的数字合并或不显示。
    """
    from generator.views.portfolio import SLUG, dumps, summarise

    if not SLUG.fullmatch(obj.community):
        raise UsageProblem(f"小区文件夹的名称“{visible(obj.community)}”不能用作汇总里的小区名：只能由字母、汉字、数字和 _ - . 组成，"
                           "不以 . 开头。请给文件夹改个名字。")
    if out is not None:
        out = obj.out_for(out.parent) / out.name  # --community all: OUT/<name>/summary.json for each
        for name in ("ledger", "owners"):
            if _inside(out, obj.root / name):
                raise UsageProblem(f"--out “{visible(str(out))}”在小区的 {name}/ 文件夹里：为保护台账数据，不能写在这里。")
        if out.is_symlink() or (out.exists() and not _is_summary(out)):
            raise UsageProblem(f"--out “{visible(str(out))}”已经存在，但不是以前生成的小区汇总：为免覆盖别的文件，不会写入。"
                               "请换一个文件名，或先自行移走这个文件。")
    checked = obj.checked_or_exit()
    desk = pipeline.desk_for(checked, obj.as_of)
    text = json_text(dumps(summarise(desk, obj.community)))
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    click.echo(f"汇总已写入：{out}", err=True)


def _site_link(ctx, param, value: str) -> str:
    from generator.site.portfolio import check_site_link

    try:
        return check_site_link(value)
    except UsageProblem as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("portfolio", cls=CuijiaoCommand)
@click.option("--reports", required=True, type=click.Path(file_okay=False, path_type=Path), metavar="文件夹",
              help="各小区汇总所在的文件夹：读取其中的 */summary.json 和 *.json")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True,
              help="输出文件夹：总览网站生成在 OUT/portfolio/")
@click.option("--site-link", default="../{community}/site/index.html", show_default=True, callback=_site_link, metavar="模板",
              help="各小区网站的链接，{community} 换成小区文件夹名；相对链接从 OUT/portfolio/ 算起，或写 https:// 网址")
@click.option("--no-search", is_flag=True, help="不生成搜索索引")
def portfolio_command(reports: Path, out: Path, site_link: str, no_search: bool) -> None:
    """多小区总览网站（OUT/portfolio/）：从各小区的汇总文件生成，只有汇总数字，不含个人信息。"""
    from generator.render.outputs import publish_outputs
    from generator.site.portfolio import build_portfolio, read_summaries
    from generator.views.portfolio import portfolio

    target = (out / "portfolio").absolute()
    if reports.exists() and _inside(reports, target):
        raise UsageProblem(f"--reports “{visible(str(reports))}”在输出的 {target} 里：生成时会替换整个 portfolio 文件夹。请分开放。")
    summaries = read_summaries(reports)
    view = portfolio(summaries)
    pages: list[int] = []
    result = publish_outputs(out, ("portfolio",),
                             lambda tmps: pages.append(build_portfolio(view, tmps["portfolio"], site_link, search=not no_search)))
    click.echo(f"多小区总览已生成：{result.path / 'portfolio'}/index.html（{len(view.communities)} 个小区，{pages[0]} 个网页；"
               f"更新 {result.written} 个文件，{result.kept} 个未变）")
