"""The portfolio site: many communities' summaries read, checked and built into one private MkDocs site.

``read_summaries(folder)`` reads every ``FOLDER/*/summary.json`` and
``FOLDER/*.json``: each is someone else's file (an artifact of another
job), so only regular files are opened (a link, FIFO or device is refused,
never followed or opened), each at most ``MAX_SUMMARY_BYTES``, and checked
field by field (``views.portfolio.loads``); every bad file is named in one
Chinese error. ``build_portfolio`` renders the pages from
``site_templates/portfolio/`` and builds them with MkDocs Material, strict,
offline (no Google Fonts, no CDN: the project's ``mkdocs.yml`` settings),
with the project's theme overrides and assets. Output depends only on the
summaries (SOURCE_DATE_EPOCH is the latest as-of day).
"""
from __future__ import annotations

import errno
import io
import json
import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, TemplateError
from markupsafe import Markup, escape

from generator.core.errors import CuijiaoError, UsageProblem
from generator.core.inert import visible
from generator.core.paths import PROJECT_DIR
from generator.reading.files import own_files, read_own
from generator.render import templates
from generator.render.outputs import sync_tree
from generator.site import config as siteconfig
from generator.site.build import _Collect, _inert, _where
from generator.site.charts import cjk_family, rate_axis, rate_chart
from generator.site.config import SiteBuildError
from generator.views.dashboard import MonthRate
from generator.views.portfolio import (
    SLUG,
    WITHHELD,
    Portfolio,
    Summary,
    SummaryProblem,
    loads,
)

TEMPLATES = PROJECT_DIR / "site_templates" / "portfolio"
ASSETS = PROJECT_DIR / "site_templates" / "assets"
OVERRIDES = PROJECT_DIR / "site_templates" / "overrides"
MAX_SUMMARY_BYTES = 1024 * 1024  # a summary is a few kB: 24 months and a few cells
MAX_SUMMARIES = 5000
MAX_ERRORS_SHOWN = 50
SITE_NAME = "多小区总览"
DEFAULT_SITE_LINK = "../{community}/site/index.html"
NAV = (("总览", "index.md"), ("按月趋势", "trends.md"), ("各小区", "communities.md"), ("数字说明", "about.md"))


class PortfolioInputError(CuijiaoError):
    """Summary files that cannot be used (Chinese, one line per file): exit 1."""


# -- reading the reports ---------------------------------------------------------------------------------------

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_regular(folder: Path, rel: str) -> bytes:
    """The bytes of ``folder/rel`` (``name.json`` or ``sub/summary.json``) if every step below ``folder`` is a real
    folder and the file a regular file of sane size: each step is opened relative to the one above it without
    following a link (a folder swapped for a link meanwhile is refused too), the file never blocks (a FIFO)."""
    fds = []
    try:
        try:
            fds.append(os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)))
            *steps, name = rel.split("/")
            for step in steps:
                fds.append(os.open(step, _FLAGS | getattr(os, "O_DIRECTORY", 0), dir_fd=fds[-1]))
            fd = os.open(name, _FLAGS, dir_fd=fds[-1])
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                raise SummaryProblem("是一个链接（符号链接）或经过一个链接，不会读取；请放真实的文件") from None
            raise SummaryProblem(f"无法打开（{exc.strerror}）") from None
        fds.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SummaryProblem("不是普通文件（可能是管道、设备或套接字），不会读取")
        if info.st_size > MAX_SUMMARY_BYTES:
            raise SummaryProblem(f"太大（{info.st_size} 字节），汇总文件最多 {MAX_SUMMARY_BYTES} 字节")
        data = b""
        while chunk := os.read(fd, MAX_SUMMARY_BYTES + 1 - len(data)):
            data += chunk
            if len(data) > MAX_SUMMARY_BYTES:
                raise SummaryProblem(f"太大，汇总文件最多 {MAX_SUMMARY_BYTES} 字节")
        return data
    except OSError as exc:
        raise SummaryProblem(f"无法读取（{exc.strerror}）") from None
    finally:
        for fd in reversed(fds):
            os.close(fd)


def report_files(folder: Path) -> list[str]:
    """``*/summary.json`` and ``*.json`` under ``folder`` (relative, sorted); names starting with "." are skipped.

    A sub-folder that is a link is listed when a summary.json is seen through it (and refused when read); a
    sub-folder without summary.json holds no report.
    """
    found = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise PortfolioInputError(f"无法读取汇总文件夹“{visible(str(folder))}”（{exc.strerror}）。") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.name.endswith(".json") and not entry.is_dir():
            found.append(entry.name)
        elif entry.is_dir() and os.path.lexists(Path(entry.path) / "summary.json"):
            found.append(entry.name + "/summary.json")
    return found


def read_summaries(folder: Path) -> list[Summary]:
    """Every summary under ``folder``; PortfolioInputError naming each bad file (and what is wrong) otherwise."""
    if not folder.is_dir():
        raise UsageProblem(f"找不到汇总文件夹“{visible(str(folder))}”：--reports 应指向放各小区 summary.json 的文件夹。")
    paths = report_files(folder)
    if len(paths) > MAX_SUMMARIES:
        raise PortfolioInputError(f"汇总文件太多（{len(paths)} 个，最多 {MAX_SUMMARIES} 个）。")
    summaries, problems, where = [], [], {}
    for rel in paths:
        shown = visible(str(folder / rel))
        try:
            summary = loads(_read_regular(folder, rel))
        except SummaryProblem as exc:
            problems.append(f"汇总文件 {shown}：{exc}")
            continue
        if summary.community in where:
            problems.append(f"汇总文件 {shown}：小区“{summary.community}”已经在 {where[summary.community]} 里，同一个小区不能有两份汇总")
            continue
        where[summary.community] = shown
        summaries.append(summary)
    if problems:
        lines = problems[:MAX_ERRORS_SHOWN]
        if len(problems) > MAX_ERRORS_SHOWN:
            lines.append(f"……另有 {len(problems) - MAX_ERRORS_SHOWN} 个文件有问题")
        raise PortfolioInputError("\n".join(lines) + f"\n有 {len(problems)} 个汇总文件不能使用，没有生成总览。"
                                  "请重新运行这些小区的 cuijiao summary，或移走不属于这里的文件。")
    if not summaries:
        raise PortfolioInputError(f"汇总文件夹“{visible(str(folder))}”里没有汇总文件（*/summary.json 或 *.json）："
                                  "先在每个小区运行 cuijiao summary --out 文件。")
    return summaries


# -- links to each community's own site -------------------------------------------------------------------------

def check_site_link(template: str) -> str:
    """``template`` if it makes a safe link for any community (relative, or https); else UsageProblem."""
    sample = site_link(template, "x", depth=0, checked=False)
    if sample is None:
        raise UsageProblem(
            f"--site-link “{visible(template)}”不能用：只能是相对链接（例如 {DEFAULT_SITE_LINK}）或 https:// 开头的网址，"
            "不能有空格、引号、反斜杠或控制字符，{community} 以外不能有花括号。")
    return template


def site_link(template: str, community: str, depth: int, checked: bool = True) -> Markup | None:
    """The link to ``community``'s site from a page ``depth`` folders below the portfolio's top: ``{community}``
    replaced by its name (percent-encoded); a relative link is taken from the top folder. None when not safe."""
    link = template.replace("{community}", quote(community, safe=""))
    if "{" in link or "}" in link or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F or c in "\\\"'<>`" for c in link):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme == "https" and parts.netloc:
        return Markup(escape(link))
    if parts.scheme or parts.netloc or link.startswith("/") or not link:
        return None
    return Markup(escape("../" * depth + link))


# -- pages -------------------------------------------------------------------------------------------------------

def _count(value: int | None) -> str:
    """A count grouped by thousands (200,000 units), or the withheld mark."""
    return WITHHELD if value is None else f"{value:,}"


def _breakable(text: str) -> Markup:
    """A long amount that may break after its commas in a narrow card, never inside a group of digits."""
    return Markup(",<wbr>").join(escape(text).split(","))


def front_title(text: str) -> Markup:
    """A page title for the front matter: one line without HTML's special characters (``siteconfig.safe_text``:
    the theme prints a title unescaped in <title>), as a JSON string, which YAML reads as the same string."""
    return Markup(json.dumps(siteconfig.safe_text(text), ensure_ascii=False))


def _env() -> Environment:
    """The portfolio's templates, every value inert in Markdown and HTML as on the community site."""
    return templates.environment([TEMPLATES], {"count": _count, "breakable": _breakable, "slug": lambda s: quote(s, safe=""), "front_title": front_title},
                                 keep_trailing_newline=True, finalize=_inert)


def _svg_env() -> Environment:
    return templates.environment([TEMPLATES], keep_trailing_newline=True)


@dataclass(frozen=True, slots=True)
class Spark:
    """A community's monthly collection rates as a small line chart (drawn by rate.svg.j2)."""

    width: int
    height: int
    left: int
    bottom: int  # the plot's lowest y in pixels
    lines: tuple[str, ...]  # polyline points "x,y x,y", one per run of months with a rate
    dots: tuple[tuple[float, float], ...]
    ticks: tuple[tuple[float, int], ...]  # (y, percent)
    months: tuple[tuple[float, str], ...]  # (x, YYYY-MM) of the first and last month


def spark(months, width: int = 360, height: int = 130) -> Spark:
    """The chart's geometry: one place per month, the y-axis as the site's rate chart (``charts.rate_axis``)."""
    left, right, top, bottom = 34, 8, 8, height - 22
    values = [float(m.rate * 100) for m in months if m.rate is not None]
    low, high = rate_axis(values)
    step = (width - left - right) / max(len(months) - 1, 1)

    def y(percent: float) -> float:
        return round(bottom - (percent - low) / (high - low) * (bottom - top), 1)

    lines, run, dots = [], [], []
    for i, m in enumerate(months):
        if m.rate is None:
            if run:
                lines.append(" ".join(run))
            run = []
            continue
        point = (round(left + i * step, 1), y(float(m.rate * 100)))
        run.append(f"{point[0]},{point[1]}")
        dots.append(point)
    if run:
        lines.append(" ".join(run))
    ticks = tuple((y(p), p) for p in sorted({low, (low + 100) // 2, 100}))
    labels = ((left, months[0].month), (round(left + (len(months) - 1) * step, 1), months[-1].month)) if months else ()
    return Spark(width, height, left, bottom, tuple(lines), tuple(dots), ticks, labels)


def render_portfolio(p: Portfolio, link_template: str) -> dict[str, bytes]:
    """Every file of the docs folder: pages, charts, assets."""
    env, svg = _env(), _svg_env()
    common = {"p": p, "as_of": p.as_of}
    files: dict[str, str | bytes] = {}
    try:
        files["index.md"] = env.get_template("index.md.j2").render(common)
        shown = p.months[-12:]
        grid = [(s, [rates.get(m.month) for m in shown]) for s in p.communities for rates in ({m.month: m.rate for m in s.months},)]
        files["trends.md"] = env.get_template("trends.md.j2").render(common, shown=shown, grid=grid)
        files["communities.md"] = env.get_template("communities.md.j2").render(common)
        files["about.md"] = env.get_template("about.md.j2").render(common)
        page, chart = env.get_template("community.md.j2"), svg.get_template("rate.svg.j2")
        for s in p.communities:
            files[f"communities/{s.community}.md"] = page.render(common, s=s, link=site_link(link_template, s.community, depth=1))
            files[f"charts/c/{s.community}.svg"] = chart.render(g=spark(s.months), name=s.name)
    except TemplateError as exc:
        raise SiteBuildError(f"总览的网页模板有错误：{_where(exc)}{exc.message or exc}") from None
    files["charts/rates.svg"] = rate_chart(tuple(MonthRate(m.month, m.rate) for m in p.months), cjk_family())
    files["robots.txt"] = "User-agent: *\nDisallow: /\n"
    for path in own_files(ASSETS):
        files["assets/" + path.relative_to(ASSETS).as_posix()] = read_own(ASSETS, path)
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}


def config_text(search: bool = True) -> str:
    """The project's mkdocs.yml (theme, offline, no Google Fonts, the CSS and scripts) with the portfolio's name and nav."""
    from ruamel.yaml.comments import CommentedMap

    source = PROJECT_DIR / "mkdocs.yml"
    data = siteconfig._load(source)
    data["site_name"] = SITE_NAME
    data["site_description"] = "多个小区的汇总数字，不含业主个人信息"
    data["copyright"] = "内部资料 · 只有汇总数字，不含业主个人信息 · 请勿外传"
    data["docs_dir"] = "docs"
    data["site_dir"] = "site"
    data["theme"]["custom_dir"] = siteconfig.OVERRIDES
    data["nav"] = [CommentedMap([(title, page)]) for title, page in NAV]
    features = data["theme"].get("features")
    if isinstance(features, list) and not search:
        features[:] = [f for f in features if not str(f).startswith("search.")]
    if not search:
        data["plugins"] = [p for p in data["plugins"] if not (p == "search" or (isinstance(p, dict) and "search" in p))]
    buffer = io.StringIO()
    buffer.write("# Generated by cuijiao portfolio from the project's mkdocs.yml.\n")
    siteconfig._yaml().dump(data, buffer)
    return buffer.getvalue()


def build_portfolio(p: Portfolio, site_dir: Path, link_template: str = DEFAULT_SITE_LINK, search: bool = True) -> int:
    """Render the pages into a fresh work folder and build them into ``site_dir``; returns the number of pages."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from generator.site import plugin as compact_plugin

    for s in p.communities:  # names become file names: checked again here, whoever made the Portfolio
        if not SLUG.fullmatch(s.community):
            raise SiteBuildError(f"小区名称“{visible(s.community)}”不能用作文件名")
    docs = render_portfolio(p, link_template)
    siteconfig.quiet_search_segmenter()
    with tempfile.TemporaryDirectory(prefix="cuijiao-portfolio-") as tmp:
        work = Path(tmp)
        sync_tree(work / "docs", docs)
        sync_tree(work / siteconfig.OVERRIDES, siteconfig.override_files((OVERRIDES,)))
        (work / "mkdocs.yml").write_text(config_text(search), encoding="utf-8")
        collected = _Collect()
        mkdocs_logger = logging.getLogger("mkdocs")
        mkdocs_logger.addHandler(collected)
        try:
            with siteconfig.source_date(p.as_of):
                config = load_config(config_file=str(work / "mkdocs.yml"), site_dir=str(site_dir.absolute()), strict=True)
                compact_plugin.install(config)
                build(config)
        except (Abort, ConfigurationError) as exc:
            raise collected.failure("总览网站生成失败：MkDocs 报告了问题（严格模式下，警告也算失败）。MkDocs 的原话（英文）：", exc) from None
        except TemplateError as exc:
            raise SiteBuildError(f"网站主题模板有错误：{_where(exc)}{exc.message or exc}") from None
        finally:
            mkdocs_logger.removeHandler(collected)
    return sum(1 for name in docs if name.endswith(".md"))
