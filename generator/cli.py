"""The ``cuijiao`` command: Chinese messages for people, exit codes for scripts.

Exit codes: 0 success, 1 the data has errors, 2 the command was used wrongly.
"""
from __future__ import annotations

import atexit
import os
import sys
from datetime import date
from pathlib import Path

import click

from . import pipeline
from .report import ledger_json


class Context:
    def __init__(self, root: Path, as_of: date, today: date, use_cache: bool) -> None:
        self.root = root
        self.work_dir = root / ".cuijiao-cache"
        self.as_of = as_of
        self.today = today
        self.use_cache = use_cache

    def checked(self) -> pipeline.Checked:
        return pipeline.check(self.root, self.as_of, self.today, self.use_cache)

    def checked_or_exit(self) -> pipeline.Checked:
        """The checked data, or print the errors and exit 1: numbers from bad data are never shown."""
        checked = self.checked()
        if checked.errors:
            for problem in checked.errors:
                click.echo(problem.render(), err=True)
            click.echo(f"数据有 {len(checked.errors)} 处错误，请先改正（运行 cuijiao check 查看全部问题）。", err=True)
            sys.exit(1)
        return checked

    def desk_or_exit(self):
        return pipeline.desk_for(self.checked_or_exit(), self.as_of)


def _parse_date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2026-11-22") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
              help="小区文件夹（含 ledger/ 和 owners/）")
@click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD", help="按哪一天计算，默认今天")
@click.option("--no-cache", is_flag=True, help="不使用读取缓存（.cuijiao-cache/）")
@click.pass_context
def main(ctx: click.Context, root: Path, as_of: date | None, no_cache: bool) -> None:
    """物业费催缴台账：校验数据、计算欠费、生成网站和催缴函件。"""
    today = date.today()
    if not root.is_dir():
        raise click.BadParameter(f"找不到文件夹“{root}”", param_hint="--root")
    ctx.obj = Context(root, as_of or today, today, not no_cache)


@main.command()
@click.option("--strict", is_flag=True, help="有警告也算失败")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github：输出 GitHub Actions 注释，错误会标在拉取请求的对应行上")
@click.pass_obj
def check(obj: Context, strict: bool, fmt: str) -> None:
    """校验全部数据，列出每一处问题。"""
    checked = obj.checked()
    for problem in checked.problems:
        click.echo(problem.render() if fmt == "text" else problem.github_annotation())
    errors, warnings = len(checked.errors), len(checked.warnings)
    if errors or (strict and warnings):
        click.echo(f"发现 {errors} 处错误、{warnings} 条警告。", err=True)
        sys.exit(1)
    ledger = checked.ledger
    assert ledger is not None
    contacts = sum(len(u.contacts) for u in ledger.units)
    click.echo(
        f"检查通过：{len(ledger.units)} 户，{len(ledger.payments)} 笔缴费，{len(ledger.charges)} 笔一次性收费，"
        f"{len(ledger.waivers)} 笔减免，{len(ledger.plans)} 份分期协议，{contacts} 条催收记录"
        + (f"；{warnings} 条警告" if warnings else "") + "。"
    )


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.pass_obj
def report(obj: Context, fmt: str) -> None:
    """欠费报表：终端表格，或 --format json 输出规范中的 JSON。"""
    ledger = obj.checked_or_exit().ledger
    if fmt == "json":
        sys.stdout.write(ledger_json(ledger, obj.as_of))
        return
    from .terminal import print_ledger

    print_ledger(ledger, obj.as_of)


def _site_into(obj: Context, desk, site_dir: Path, letters=()) -> int:
    from .fonts import NoCJKFont
    from .site import SiteBuildError, SiteInputs, build_site

    try:
        return build_site(desk, SiteInputs(obj.root, obj.work_dir / "site", tuple(letters)), site_dir)
    except (SiteBuildError, NoCJKFont) as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True, help="输出文件夹")
@click.pass_obj
def site(obj: Context, out: Path) -> None:
    """只生成网站（OUT/site/）。"""
    from .outputs import publish

    desk = obj.desk_or_exit()
    result = publish(out / "site", lambda tmp: _site_into(obj, desk, tmp))
    click.echo(f"网站已生成：{result.path}/index.html（更新 {result.written} 个文件，{result.kept} 个未变）")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True, help="输出文件夹")
@click.pass_obj
def build(obj: Context, out: Path) -> None:
    """生成网站和全部函件（OUT/site/ 与 OUT/letters/）；数据有错误时不生成。"""
    from .outputs import publish

    desk = obj.desk_or_exit()

    def produce(tmp: Path) -> None:
        links = _letters_into(obj, desk, tmp / "letters")
        _site_into(obj, desk, tmp / "site", links)

    result = publish(out, produce)
    click.echo(f"已生成：网站 {result.path}/site/index.html，函件 {result.path}/letters/（更新 {result.written} 个文件，{result.kept} 个未变）")


def _letters_into(obj: Context, desk, folder: Path) -> list:
    """Render the day's letters into ``folder``; returns the links the unit pages show."""
    from .fonts import NoCJKFont
    from .outputs import sync_tree
    from .print_run import LetterError, letter_folder, render_letters
    from .site import LetterLink

    try:
        run = render_letters(desk, obj.root, obj.work_dir)
    except (LetterError, NoCJKFont) as exc:
        raise click.ClickException(str(exc)) from None
    sync_tree(folder, letter_folder(desk, run))
    return [LetterLink(f.letter.unit, f.letter.title, "../letters/" + f.letter.file) for f in run.files if f.letter.unit]


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True, help="输出文件夹")
@click.pass_obj
def letters(obj: Context, out: Path) -> None:
    """只生成函件（OUT/letters/）：通知书、律师函草稿、对账单、分期协议、公示、证据目录，合并打印文件和 manifest.json。"""
    from .outputs import publish

    desk = obj.desk_or_exit()
    made: list = []
    result = publish(out / "letters", lambda tmp: made.extend(_letters_into(obj, desk, tmp)))
    click.echo(f"函件已生成：{result.path}/（更新 {result.written} 个文件，{result.kept} 个未变；清单见 manifest.json）")


# The Git workflow's commands (issue 6) live beside their logic; registered here.
from . import diff as _diff, edit as _edit, importer as _importer, jsonschema as _jsonschema  # noqa: E402

main.add_command(_diff.command)
for _command in _edit.COMMANDS:
    main.add_command(_command)
main.add_command(_importer.command)
main.add_command(_jsonschema.command)


def console() -> None:
    """The installed command: ``run``, then leave without freeing the computed desk object by object.

    A large community's desk is millions of small objects; freeing them one
    by one at interpreter exit takes longer than the output did (0.4 s at
    5,000 units). The output is flushed and the exit handlers (the cache
    writer's wait) run first, as at a normal exit.
    """
    code = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # ``cuijiao report | head``: the reader left early
        pass
    atexit._run_exitfuncs()
    os._exit(code)


def run() -> None:
    """Entry point that turns click's English usage errors into Chinese, exit 2."""
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        click.echo(f"用法错误：{_chinese_usage(exc)}", err=True)
        click.echo("运行 cuijiao --help 查看用法。", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(exc.format_message(), err=True)
        sys.exit(1)


def _chinese_usage(exc: click.UsageError) -> str:
    message = exc.format_message()
    if isinstance(exc, click.NoSuchOption):
        return f"没有这个选项：{exc.option_name}"
    if isinstance(exc, click.MissingParameter):  # a BadParameter too: test it first
        kind = "参数" if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument" else "选项"
        name = exc.param.human_readable_name if exc.param else ""
        return f"缺少{kind} {name}".rstrip()
    if isinstance(exc, click.BadParameter):
        return message.replace("Invalid value for", "参数无效").replace("'", "")
    if "No such command" in message:
        return message.replace("No such command", "没有这个命令")
    if "Missing" in message:
        return message.replace("Missing argument", "缺少参数").replace("Missing option", "缺少选项")
    return message
