"""The ``cuijiao`` command: Chinese messages for people, exit codes for scripts.

Exit codes: 0 success, 1 the data has errors, 2 the command was used wrongly.

The group, its global options and the build commands (check, report,
site, build, letters) are here; the editing, diff, import and schema
commands are in their own modules of this package, and everything click
would print in English is made Chinese by ``cli/chinese.py``.
``--root``, ``--as-of`` and ``--no-cache`` may be written before the
command or after it.
"""
from __future__ import annotations

import atexit
import os
import sys
from datetime import date
from pathlib import Path

import click
from click.core import ParameterSource

from generator import pipeline
from generator.cli import diff as diff_command
from generator.cli import edit as edit_commands
from generator.cli import importer as import_command
from generator.cli import match as match_command
from generator.cli import portfolio as portfolio_commands
from generator.cli import communities as communities_command
from generator.cli.communities import community_root, each_community, run_each
from generator.cli import schemas as schemas_command
from generator.cli.chinese import CuijiaoGroup, localise
from generator.cli.progress import Plain, reporter
from generator.core.diagnostics import first_of_each, left_out_text
from generator.core.paths import community_name, work_folder
from generator.reading.fields import FIRST_DATE, LAST_DATE
from generator.views.report import ledger_json


class Context:
    def __init__(self, root: Path, as_of: date, today: date, use_cache: bool) -> None:
        self.repo = root  # --root: the community folder, or the repository of many that --community looks in
        self.out_by_community = False  # --community all: each community's outputs in OUT/<name>/
        self.root = root
        self.community = community_name(root)  # the folder's name: communities/<name>/ in a repository of many
        self.work_dir = work_folder(root)
        self.as_of = as_of
        self.today = today
        self.use_cache = use_cache
        self.left_to_exit: list | None = None  # the installed command's: objects it frees by leaving (``console``)

    def leave_to_exit(self, value) -> None:
        """Keep ``value`` (a computed desk: millions of objects) until the installed command leaves with
        ``os._exit``, instead of freeing it object by object when the command returns (0.5 s at 5,000 units).
        Run any other way (tests, ``--community all``), ``value`` is freed as usual."""
        if self.left_to_exit is not None:
            self.left_to_exit.append(value)

    def out_for(self, out: Path) -> Path:
        """Where this community's outputs go: ``OUT``, or ``OUT/<name>`` under ``--community all``."""
        return out / self.community if self.out_by_community else out

    def checked(self) -> pipeline.Checked:
        return pipeline.check(self.root, self.as_of, self.today, self.use_cache)

    def checked_or_exit(self, stages: Plain | None = None) -> pipeline.Checked:
        """The checked data, or print the errors and exit 1: numbers from bad data are never shown.

        ``stages``: report the check as a stage (检查数据) of a build command's progress.
        """
        if stages is None:
            checked = self.checked()
        else:
            with stages.stage("检查数据", "户") as step:
                checked = self.checked()
                if checked.errors:
                    step.drop()  # the errors are shown next, not a line of progress
                else:
                    step.tally(len(checked.ledger.units))
        if checked.errors:
            shown, left_out = first_of_each(checked.errors)
            for problem in shown:
                click.echo(problem.render(), err=True)
            if left_out:
                click.echo(left_out_text(left_out), err=True)
            click.echo(f"数据有 {len(checked.errors)} 处错误，请先改正（运行 cuijiao check 查看全部问题）。", err=True)
            sys.exit(1)
        return checked


def _parse_date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2026-11-22") from None
    if not FIRST_DATE <= day <= LAST_DATE:  # the dates the data may hold: the rules' date arithmetic stays in range
        raise click.BadParameter(f"“{value}”超出支持的范围，只能按 {FIRST_DATE} 到 {LAST_DATE} 之间的日期计算")
    return day


# -- --root, --as-of and --no-cache, before or after the command ---------------------------------

_ROOT_HELP = "小区文件夹（含 ledger/ 和 owners/），默认当前文件夹"
_AS_OF_HELP = "按哪一天计算，默认今天"
_NO_CACHE_HELP = "不使用读取缓存（在用户缓存文件夹里，例如 ~/.cache/cuijiao/）"
_COMMUNITY_HELP = "多小区仓库里的哪个小区（communities/ 下的文件夹名）；all 表示逐个处理每个小区，输出放在 OUT/小区名/"


def _root_dir(value: Path) -> Path:
    if not value.is_dir():
        raise click.BadParameter(f"找不到文件夹“{value}”", param_hint="--root")
    return value


def _global_after(ctx: click.Context, param: click.Parameter, value):
    """A global option written after the command: the same as before it; both places must agree."""
    if value is None or value is False or ctx.resilient_parsing:
        return
    obj = ctx.find_object(Context)
    group = ctx.parent
    if obj is None or group is None:
        return
    name = param.name
    option = "--" + name.replace("_", "-")
    if name == "as_of":
        value = _parse_date(ctx, param, value)
    if group.get_parameter_source(name) is ParameterSource.COMMANDLINE and group.params.get(name) != value:
        raise click.UsageError(f"{option} 在命令前后各写了一次，而且不一样；只写一处即可", ctx)
    if name == "community":
        obj.root = community_root(obj.repo, value)
        obj.community = community_name(obj.root)
        obj.work_dir = work_folder(obj.root)
    elif name == "root":
        obj.repo = obj.root = _root_dir(value)
        obj.community = community_name(obj.root)
        obj.work_dir = work_folder(obj.root)
    elif name == "as_of":
        obj.as_of = value
    elif name == "no_cache":
        obj.use_cache = False


def _global_options() -> list[click.Option]:
    after = "（写在命令前后都可以）"
    return [
        click.Option(["--root"], type=click.Path(file_okay=False, path_type=Path), metavar="文件夹",
                     expose_value=False, callback=_global_after, help=_ROOT_HELP + after),
        click.Option(["--as-of", "as_of"], metavar="YYYY-MM-DD", expose_value=False, callback=_global_after,
                     help=_AS_OF_HELP + after),
        click.Option(["--no-cache"], is_flag=True, expose_value=False, callback=_global_after,
                     help=_NO_CACHE_HELP + after),
        click.Option(["--community"], metavar="小区名", expose_value=False, callback=_global_after,
                     help=_COMMUNITY_HELP + after),
    ]


class DeskGroup(CuijiaoGroup):
    """``cuijiao``: ``--community all`` runs the command once per community (``cli/communities.py``)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra):
        words = list(sys.argv[1:] if args is None else args)
        try:
            runs = each_community(self, words)
        except click.UsageError as exc:
            click.echo(f"用法错误：{exc.message}", err=True)
            runs, code = None, 2
        else:
            if runs is None:
                return super().main(words, prog_name, complete_var, standalone_mode, **extra)
            code = run_each(self, runs, prog_name)  # without ``obj``: each community's desk is freed after its run
        if standalone_mode:
            sys.exit(code)
        return code


@click.group("cuijiao", cls=DeskGroup, invoke_without_command=True, subcommand_metavar="命令 [参数]...",
             epilog="--root、--as-of、--no-cache 写在命令前后都可以，例如 cuijiao --as-of 2026-06-30 report 或 "
                    "cuijiao report --as-of 2026-06-30。每个命令的选项见 cuijiao 命令 --help，例如 cuijiao pay --help。")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", metavar="文件夹", help=_ROOT_HELP)
@click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD", help=_AS_OF_HELP)
@click.option("--no-cache", is_flag=True, help=_NO_CACHE_HELP)
@click.option("--community", metavar="小区名", help=_COMMUNITY_HELP)
@click.option("--out-by-community", is_flag=True, hidden=True)  # added by --community all to each community's run
@click.pass_context
def main(ctx: click.Context, root: Path, as_of: date | None, no_cache: bool, community: str | None,
         out_by_community: bool) -> None:
    """物业费催缴台账：校验数据、计算欠费、生成网站和催缴函件。"""
    if ctx.invoked_subcommand is None:  # "cuijiao" alone: the help, as a usage error
        click.echo(ctx.get_help(), err=True)
        ctx.exit(2)
    today = date.today()
    if not root.is_dir():
        raise click.BadParameter(f"找不到文件夹“{root}”", param_hint="--root")
    left_to_exit = ctx.obj if isinstance(ctx.obj, list) else None  # given by ``console``
    ctx.obj = Context(root, as_of or today, today, not no_cache)
    ctx.obj.left_to_exit = left_to_exit
    if community is not None:
        ctx.obj.root = community_root(root, community)
        ctx.obj.community = community_name(ctx.obj.root)
        ctx.obj.work_dir = work_folder(ctx.obj.root)
        ctx.obj.out_by_community = out_by_community


def _repo_relative(root: Path) -> str:
    """The community folder as the workflow's annotations name it: relative to the current folder, in posix form."""
    try:
        return Path(os.path.relpath(root.absolute(), Path.cwd())).as_posix()
    except ValueError:  # another drive (Windows)
        return ""


@main.command()
@click.option("--strict", is_flag=True, help="有警告也算失败")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path),
              help="同时把文字版的结果写进这个文件（CI 用 --format github 时，摘要从这一次校验来）")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text",
              help="text：逐行列出（默认）；github：输出 GitHub Actions 注释，错误会标在拉取请求的对应行上")
@click.pass_obj
def check(obj: Context, strict: bool, fmt: str, summary: Path | None) -> None:
    """校验全部数据，列出每一处问题。"""
    checked = obj.checked()
    shown, left_out = first_of_each(checked.problems)
    text = [problem.render() for problem in shown] + ([left_out_text(left_out)] if left_out else [])
    for problem, line in zip(shown, text):
        click.echo(line if fmt == "text" else problem.github_annotation(_repo_relative(obj.root)))
    if left_out:
        click.echo(text[-1])
    errors, warnings = len(checked.errors), len(checked.warnings)
    failed = bool(errors or (strict and warnings))
    if failed:
        verdict = f"发现 {errors} 处错误、{warnings} 条警告。"
    else:
        ledger = checked.ledger
        assert ledger is not None
        contacts = sum(len(u.contacts) for u in ledger.units)
        complaints = sum(len(u.complaints) for u in ledger.units)
        verdict = (f"检查通过：{len(ledger.units)} 户，{len(ledger.payments)} 笔缴费，{len(ledger.charges)} 笔一次性收费，"
                   f"{len(ledger.waivers)} 笔减免，{len(ledger.plans)} 份分期协议，{contacts} 条催收记录"
                   + (f"，{complaints} 条投诉" if complaints else "")
                   + (f"；{warnings} 条警告" if warnings else "") + "。")
    if summary is not None:  # the text report too, for CI's summary, from this one run
        summary.write_text("\n".join(text + [verdict]) + "\n", encoding="utf-8")
    click.echo(verdict, err=failed)
    if failed:
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text：终端表格（默认）；json：规范中的 JSON")
@click.pass_obj
def report(obj: Context, fmt: str) -> None:
    """欠费报表：终端表格，或 --format json 输出规范中的 JSON。"""
    # remembered by the inputs' fingerprint (pipeline.Memo): unchanged data is not loaded or computed again
    memo = pipeline.Memo(obj.root, obj.as_of, obj.today, obj.use_cache, obj.work_dir)
    if fmt == "json":
        text = memo.get("report-json", str)
        if text is None:
            text = ledger_json(obj.checked_or_exit().ledger, obj.as_of)
            memo.put("report-json", text, str)
        sys.stdout.write(text)
        return
    from rich.console import Console

    from generator.views.terminal import PIPE_WIDTH, arrears_row, print_report

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=PIPE_WIDTH)
    # the table as printed on a console like this one (rich's layout is most of the time), else its rows
    screen = f"report-screen-{console.width}-{console.color_system}-{console.is_terminal}-{console.encoding}"
    text = memo.get(screen, str)
    if text is None:
        table = memo.get("report-text", pipeline.ReportTable)
        if table is None:
            from generator.rules.engine import summaries

            ledger = obj.checked_or_exit().ledger
            rows, totals = summaries(ledger, obj.as_of, arrears_row)
            table = (ledger.policy.community, totals, [row for row in rows if row is not None])
            memo.put("report-text", table, pipeline.ReportTable)
        with console.capture() as captured:
            print_report(table[0], obj.as_of, table[1], table[2], console)
        text = captured.get()
        memo.put(screen, text, str)
    sys.stdout.write(text)


def _site_into(obj: Context, stages: Plain, desk, site_dir: Path, letters=(), letters_dir: Path | None = None,
               search: bool = True) -> int:
    """Build the site into ``site_dir`` from ``desk`` (or a function giving it: called only when the site is built).

    A site built before from the same inputs is taken from the work folder (``site.reuse``): no check, compute,
    render or MkDocs.
    """
    from generator.site.build import SiteInputs, build_site, existing_print_files, link_letters
    from generator.site.reuse import SavedSite

    inputs = SiteInputs(obj.root, obj.work_dir / "site", tuple(letters), letters_dir, search)
    saved = None
    if obj.use_cache:
        memo = pipeline.Memo(obj.root, obj.as_of, obj.today, True, obj.work_dir)
        saved = SavedSite(memo, obj.work_dir, obj.root, inputs.letters, existing_print_files(letters_dir), search)
        if saved.restore(site_dir):
            with stages.stage("生成网站", "个网页", clock=True) as step:
                link_letters(inputs, site_dir)
                step.tally(sum(1 for _ in site_dir.rglob("*.html")))
            return 0
    if callable(desk):
        desk = desk()
    with stages.stage("生成网站", "个网页", clock=True) as step:
        written = build_site(desk, inputs, site_dir, saved)
        step.tally(sum(1 for _ in site_dir.rglob("*.html")))
    if desk.shares is not None:
        desk.shares.save()
    return written


def _produce(obj: Context, stages: Plain, out: Path, names: tuple[str, ...], produce, compute: bool = True,
             lazy: bool = False, digests: bool = False, shares: bool = False):
    """Build ``OUT/<names>`` from the day's desk (or, ``compute=False``, the checked ledger): ``produce(desk, tmps)``
    fills fresh folders swapped in on success; ``stages`` shows each step's progress on stderr. ``lazy``:
    ``produce`` gets a function that checks and computes when first called (an output kept from the same
    inputs needs neither). ``digests``: the desk carries each unit's input digest (the site keeps unchanged pages).
    ``shares``: with the cache in use, what each unit adds to the all-unit figures is kept in the work folder
    (``pipeline.kept_shares``), so the next run computes only the units whose inputs changed.

    Only the folders named are ever replaced (site, letters, receipts-YYYY-MM); an --out that would endanger
    the data is refused before any work (a usage error).
    """
    from generator.render.outputs import (
        check_out_dir,
        publish_outputs,
        work_folder_lock,
    )

    out = obj.out_for(out)
    check_out_dir(out, obj.root)
    made = []

    def data():
        if not made:
            checked = obj.checked_or_exit(stages)
            if compute:
                with stages.stage("计算欠费", "户") as step:
                    work = obj.work_dir / "site" if shares and obj.use_cache else None
                    made.append(pipeline.desk_for(checked, obj.as_of, digests, work))
                    step.tally(len(made[0].units))
            else:
                made.append(checked.ledger)
        return made[0]

    if not lazy:
        data()
    try:
        with work_folder_lock(obj.work_dir):  # another build of this community waits: they share the work folder
            return publish_outputs(out, names, lambda tmps: produce(data if lazy else data(), tmps), root=obj.root)
    finally:
        obj.leave_to_exit(made)


_out_option = click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True,
                           help="输出文件夹")
_no_search_option = click.option("--no-search", is_flag=True, help="不生成搜索索引（要加密发布的网站用：索引无法加密）")


@main.command()
@_out_option
@_no_search_option
@click.pass_obj
def site(obj: Context, out: Path, no_search: bool) -> None:
    """只生成网站（OUT/site/）；OUT/letters/ 里已有的函件照样链接。"""
    from generator.site.build import existing_letters

    links, stages = existing_letters(obj.out_for(out) / "letters"), reporter()
    result = _produce(obj, stages, out, ("site",),
                      lambda desk, tmps: _site_into(obj, stages, desk, tmps["site"], links, obj.out_for(out) / "letters", not no_search),
                      lazy=True, digests=True, shares=True)
    click.echo(f"网站已生成：{result.path / 'site'}/index.html（更新 {result.written} 个文件，{result.kept} 个未变）")


@main.command()
@_out_option
@_no_search_option
@click.pass_obj
def build(obj: Context, out: Path, no_search: bool) -> None:
    """生成网站和全部函件（OUT/site/ 与 OUT/letters/）；数据有错误时不生成。"""
    stages = reporter()

    def produce(desk, tmps: dict[str, Path]) -> None:
        links = _letters_into(obj, stages, desk, tmps["letters"])
        _site_into(obj, stages, desk, tmps["site"], links, tmps["letters"], not no_search)

    result = _produce(obj, stages, out, ("site", "letters"), produce, digests=True)
    click.echo(f"已生成：网站 {result.path / 'site'}/index.html，函件 {result.path / 'letters'}/（更新 {result.written} 个文件，{result.kept} 个未变）")


def _letters_into(obj: Context, stages: Plain, desk, folder: Path) -> list:
    """Render the day's letters into ``folder``; returns the links the unit pages show."""
    from generator.printing.dossier import for_court
    from generator.printing.print_run import letter_folder, render_letters
    from generator.render.outputs import sync_tree
    from generator.site.build import LetterLink

    with stages.stage("生成函件", "封", clock=True) as step:
        run = render_letters(desk, obj.root, obj.work_dir, progress=step)
        sync_tree(folder, letter_folder(desk, run))
    return [LetterLink(f.letter.unit, f.letter.title, f.letter.file, for_court(f.letter)) for f in run.files if f.letter.unit]


@main.command()
@_out_option
@click.pass_obj
def letters(obj: Context, out: Path) -> None:
    """只生成函件（OUT/letters/）：通知书、律师函草稿、对账单、分期协议、公示、证据目录，合并打印文件和 manifest.json。"""
    stages = reporter()
    result = _produce(obj, stages, out, ("letters",), lambda desk, tmps: _letters_into(obj, stages, desk, tmps["letters"]))
    click.echo(f"函件已生成：{result.path / 'letters'}/（更新 {result.written} 个文件，{result.kept} 个未变；清单见 manifest.json）")


def _month(ctx, param, value: str | None) -> tuple[int, int] | None:
    from generator.printing.receipts import parse_month

    if value is not None and parse_month(value) is None:
        raise click.BadParameter(f"“{value}”不是月份，请写成 YYYY-MM，例如 2026-11")
    return None if value is None else parse_month(value)


@main.command()
@click.option("--month", callback=_month, metavar="YYYY-MM", help="哪个月的缴费，默认计算日所在的月")
@_out_option
@click.pass_obj
def receipts(obj: Context, month: tuple[int, int] | None, out: Path) -> None:
    """生成一个月里每笔缴费的收据（OUT/receipts-YYYY-MM/）：每张一个 PDF，合并打印文件和 manifest.json。"""
    from generator.printing.print_run import receipt_folder, render_receipts
    from generator.render.outputs import sync_tree

    month = month or (obj.as_of.year, obj.as_of.month)
    name, made, stages = f"receipts-{month[0]}-{month[1]:02d}", [], reporter()

    def produce(ledger, tmps: dict[str, Path]) -> None:
        with stages.stage("生成收据", "张", clock=True) as step:
            run = render_receipts(ledger, month, obj.as_of, obj.root, obj.work_dir, progress=step)
            sync_tree(tmps[name], receipt_folder(ledger, month, obj.as_of, run))
        made.append(len(run.files))

    result = _produce(obj, stages, out, (name,), produce, compute=False)
    where = f"{month[0]}年{month[1]}月（截至 {obj.as_of}）"
    if not made[0]:
        click.echo(f"{where}没有缴费记录，没有收据可生成：{result.path / name}/")
        return
    click.echo(f"收据已生成：{result.path / name}/，{where}共 {made[0]} 张；合并打印文件 print/receipt-all.pdf，清单见 manifest.json")


# The editing, diff, import and schema commands live in their own modules of this package.
main.add_command(diff_command.command)
for _command in edit_commands.COMMANDS:
    main.add_command(_command)
main.add_command(import_command.command)
main.add_command(match_command.command)
main.add_command(schemas_command.command)
main.add_command(portfolio_commands.summary_command)
main.add_command(portfolio_commands.portfolio_command)
main.add_command(communities_command.command)

localise(main)
for _command in main.commands.values():
    _command.params.extend(_global_options())
    localise(_command)


def console() -> None:
    """The installed command: ``run``, then leave without freeing the computed desk object by object.

    A large community's desk is millions of small objects; freeing them one
    by one at interpreter exit takes longer than the output did (0.4 s at
    5,000 units). The output is flushed and the exit handlers (the cache
    writer's wait) run first, as at a normal exit.
    """
    code = 0
    left_to_exit: list = []  # what the command hands over (``Context.leave_to_exit``): freed by os._exit below
    try:
        run(left_to_exit)
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


def run(left_to_exit: list | None = None) -> None:
    """Entry point: usage errors in Chinese with exit 2 (see ``CuijiaoGroup.main``). ``left_to_exit``: where a
    command leaves what the caller frees by leaving the process (``console``)."""
    main.main(obj=left_to_exit)
