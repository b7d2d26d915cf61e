"""``cuijiao match``: statements (WeChat Pay, Alipay, bank) matched to units; written only when asked."""
from __future__ import annotations

import os
import stat
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import click

from generator import pipeline
from generator.cli.chinese import CuijiaoCommand
from generator.core.errors import CuijiaoError, os_reason
from generator.core.inert import visible
from generator.core.money import fmt_grouped
from generator.workflow import match as matching
from generator.workflow import statements
from generator.workflow.match import CONFIDENCE_NAMES, HIGH, Matching, Proposal
from generator.workflow.statements import SOURCE_NAMES, Line

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("match", cls=CuijiaoCommand)
@click.argument("files", nargs=-1, type=_FILE, metavar="流水文件...")
@click.option("--write", "write", is_flag=True, help="把“高”把握的建议记为缴费（收据号为流水号，写过的不会再写）")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), metavar="待确认.csv",
              help="把其余的流水（中、低、未匹配）写进这个 CSV：填好“房号”一列后用 --confirm 写入")
@click.option("--confirm", "filled", type=_FILE, metavar="待确认.csv",
              help="读入填好“房号”的 CSV（或另存的 .xlsx），把填了房号的行记为缴费")
@click.option("--ask", "ask", is_flag=True,
              help="在终端里逐笔询问其余流水的房号（回车跳过，y 采用建议的房号，q 结束询问），答完一起写入")
@click.pass_obj
def command(obj, files: tuple[Path, ...], write: bool, csv_out: Path | None, filled: Path | None, ask: bool) -> None:
    """银行流水核对：读微信支付商户账单、支付宝账务明细、银行账户明细（CSV 或 .xlsx），为每笔收入建议房号。

    房号从备注或付款方里的房号（3-2-1802、3栋2单元1802、3#2-1802 都认得）、业主姓名、这个付款方以前的缴费找；
    再看金额是否等于该户的一期账单或欠费合计。每条建议写明把握（高、中、低）和理由。
    已经记过账的流水（收据号就是流水号）会认出来并跳过。

    默认只显示，不写入任何文件。--write 把高把握的记为缴费；--csv 导出其余的，填好房号后用
    cuijiao match --confirm 待确认.csv 写入。同一笔流水不会写两次。
    """
    if filled is not None:
        if files or write or csv_out or ask:
            raise click.UsageError("--confirm 单独使用：cuijiao match --confirm 待确认.csv")
        _confirm(obj, filled)
        return
    if not files:
        raise click.UsageError("请给出流水文件，例如 cuijiao match 微信账单.csv 银行明细.xlsx")
    if ask and not _interactive():
        raise click.UsageError("--ask 要在终端里使用；不在终端里时，用 --csv 导出后填写，再用 --confirm 写入")
    lines: list[Line] = []
    for path in files:
        statement = statements.read(path)
        skipped = "；跳过 " + "、".join(f"{why} {n} 笔" for why, n in statement.skipped) if statement.skipped else ""
        click.echo(visible(f"读取 {path.name}（{SOURCE_NAMES[statement.source]}）：收入 {len(statement.lines)} 笔{skipped}"))
        lines.extend(statement.lines)
    checked = obj.checked_or_exit()
    result = matching.propose(lines, checked.ledger, pipeline.desk_for(checked, obj.as_of))
    if result.later:
        click.echo(f"日期在 {obj.as_of} 之后的流水 {len(result.later)} 笔，跳过（要核对它们，用 --as-of 写更晚的日期）")
    _show(result)
    sure = result.of(HIGH)
    rest = [p for p in result.proposals if p.confidence != HIGH]
    if csv_out is not None and rest:
        _write_csv(csv_out, rest)
        click.echo(f"其余 {len(rest)} 笔已写入 {csv_out}：在“房号”一列填上房号（不确定的留空），保存后运行 "
                   f"cuijiao match --confirm {csv_out}")
    elif csv_out is not None:
        click.echo(f"除高把握的以外没有别的流水，没有写 {csv_out}。")
    answered = _ask(rest, {unit.id for unit in checked.ledger.units}) if ask and rest else []
    entries = ([(p.unit, p.line) for p in sure] if write else []) + answered
    if entries or write:
        _record(obj, entries)
    if sure and not write:
        done = "高把握的这些没有写入" if answered else "未写入任何缴费"
        click.echo(f"{done}。确认无误后加 --write，把高把握的 {len(sure)} 笔记为缴费。")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(proposals: Sequence[Proposal], unit_ids: set[str]) -> list[tuple[str, Line]]:
    """Ask the unit of each proposal in the terminal; each answer is checked when it is given."""
    folded = {u.casefold(): u for u in unit_ids}
    answers: list[tuple[str, Line]] = []
    click.echo(f"逐笔确认其余 {len(proposals)} 笔：输入房号；回车跳过；y 采用建议的房号；q 结束询问（已答的照样写入）。")
    for proposal in proposals:
        click.echo(visible(_proposal_text(proposal)))
        hint = f"，y 采用 {proposal.unit}" if proposal.unit else ""
        while True:
            answer = click.prompt(f"房号（回车跳过{hint}）", default="", show_default=False).strip()
            if answer.lower() == "q":
                return answers
            if answer.lower() == "y" and proposal.unit:
                answer = proposal.unit
            if not answer:
                break
            unit = folded.get(unicodedata.normalize("NFKC", answer).casefold())
            if unit is None:
                click.echo(visible(f"房号“{answer}”不存在（owners/ 里没有这个文件），请重新输入，或回车跳过"), err=True)
                continue
            answers.append((unit, proposal.line))
            break
    return answers


def _line_text(line: Line) -> str:
    who = f"  {line.counterparty}" if line.counterparty and line.source != "wechat" else ""
    remark = f"  “{line.remark}”" if line.remark else ""
    reference = f"  流水号 {line.reference}" if line.reference else ""
    return f"{line.date}  {fmt_grouped(line.amount):>10} 元{who}{remark}{reference}（{line.file} 第 {line.row} 行）"


def _show(result: Matching) -> None:
    if result.recorded:
        click.echo(f"已经记账 {len(result.recorded)} 笔，跳过：")
        for done in result.recorded:
            click.echo(visible(f"  {_line_text(done.line)} → {done.payment.unit}（{done.why}）"))
    if result.repeated:
        click.echo(f"重复的流水 {len(result.repeated)} 笔（流水号在前面的文件里已出现），跳过")
    counts = "，".join(f"{CONFIDENCE_NAMES[c]} {len(result.of(c))} 笔" for c in CONFIDENCE_NAMES if result.of(c))
    if not result.proposals:
        click.echo("没有需要核对的新流水。")
        return
    click.echo(f"建议（{counts}）：")
    for proposal in result.proposals:
        click.echo(visible(_proposal_text(proposal)))


def _proposal_text(proposal: Proposal) -> str:
    target = f"→ {proposal.unit}" if proposal.unit else "→ ？"
    reasons = "；".join(proposal.reasons)
    return f"  [{CONFIDENCE_NAMES[proposal.confidence]}] {_line_text(proposal.line)} {target}\n      理由：{reasons}"


def _write_csv(path: Path, proposals: Sequence[Proposal]) -> None:
    """The CSV to fill; a path that is a link, a folder or a device is refused (a file is replaced)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise CuijiaoError(f"无法写入 {path}：{os_reason(exc)}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise CuijiaoError(f"{path} 不是普通文件（是链接、文件夹或设备），没有写入。请换一个文件名")
    try:
        path.write_text(matching.to_fill_csv(proposals), encoding="utf-8", newline="")
    except OSError as exc:
        raise CuijiaoError(f"无法写入 {path}：{os_reason(exc)}") from None


def _record(obj, entries: list[tuple[str, Line]], nothing: str = "没有高把握的建议，未写入任何缴费。") -> None:
    if not entries:
        click.echo(nothing)
        return
    done = matching.record(obj.root, entries, obj.as_of, obj.today, obj.use_cache)
    for problem in done.checked.problems:
        click.echo(problem.render(), err=True)
    if done.checked.errors:
        click.echo(f"未写入任何文件：写入后的数据有 {len(done.checked.errors)} 处错误（见上）。", err=True)
        sys.exit(1)
    for already in done.already:
        click.echo(visible(f"已经记账，没有再写：{_line_text(already.line)}（{already.why}）"))
    for unit, line in done.written:
        click.echo(visible(f"已记为缴费：{unit}  {line.date}  {fmt_grouped(line.amount)} 元  收据号 {line.reference or '（无）'}"))
    for edit in done.edits:
        click.echo(visible(f"已{'新建' if edit.created else '写入'} {edit.path}"))
    if not done.written:
        click.echo("没有新的缴费需要写入。")


def _confirm(obj, filled: Path) -> None:
    checked = obj.checked_or_exit()
    result = matching.read_filled(filled, checked.ledger)
    click.echo(f"{filled.name}：填了房号 {len(result.entries)} 笔，留空 {result.left} 笔（不写入）")
    _record(obj, list(result.entries), "没有填了房号的行，未写入任何缴费。")
