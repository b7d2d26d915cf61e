"""SVG charts made at build time (matplotlib, no JavaScript, readable in print).

Text is drawn as paths, so the SVG needs no font in the browser; ids are
salted with a constant so the same numbers give the same bytes.
"""
from __future__ import annotations

import io
from decimal import Decimal

import matplotlib

matplotlib.use("svg")
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from generator.render.fonts import INSTALL_HINT, NoCJKFont  # noqa: E402
from generator.rules.aging import BUCKET_NAMES  # noqa: E402
from generator.views.complaints import CATEGORIES, ComplaintMonth  # noqa: E402
from generator.views.dashboard import MonthRate  # noqa: E402

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC")
TEAL = "#00897b"
ORANGE = "#e64a19"
# One colour per complaint category, in CATEGORIES order (distinct in print and for most colour vision)
CATEGORY_COLOURS = ("#00897b", "#1e88e5", "#5e35b1", "#fb8c00", "#8d6e63", "#e53935", "#fdd835", "#9e9e9e")


def cjk_family() -> str:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    raise NoCJKFont("找不到中文字体，图表无法显示中文。" + INSTALL_HINT)


def _render(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "cuijiao", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return buffer.getvalue()


def _figure(family: str) -> Figure:
    figure = Figure(figsize=(7.5, 3.2), dpi=100)
    return figure


def aging_chart(aging: dict[str, Decimal], family: str) -> str:
    figure = _figure(family)
    axes = figure.add_subplot()
    labels = [f"{name}天" for name in BUCKET_NAMES]
    values = [int(aging[name]) for name in BUCKET_NAMES]  # whole yuan are enough for bar heights
    bars = axes.bar(labels, values, color=TEAL)
    for bar, name in zip(bars, BUCKET_NAMES):
        axes.annotate(f"{aging[name]:,.0f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                      ha="center", va="bottom", fontsize=8, fontfamily=family)
    axes.set_title("逾期欠费账龄（元）", fontfamily=family)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontfamily(family)
        label.set_fontsize(8)
    axes.spines[["top", "right"]].set_visible(False)
    return _render(figure)


def rate_axis(values: list[float]) -> tuple[float, float]:
    """The y-axis (percent) of the rate chart: from the round ten at least 5 points below the lowest
    rate (never below 0) to 101, so rates around 90% are not drawn flat against the top."""
    if not values:
        return (0, 101)
    low = min(values)
    bottom = max(0, int((low - 5) // 10) * 10)
    return (bottom, 101)


def month_number(month: str) -> int:
    """``YYYY-MM`` as a count of months, so that months are places on one axis (2026-01 follows 2025-12)."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def rate_points(rates: tuple[MonthRate, ...]) -> tuple[list[int], list[float], list[int], list[str]]:
    """The chart's points (x = months since the first month shown, y = percent to 2 places) and its month ticks.

    Each month has its own place on the axis, whether or not it has a rate, so a point
    is always drawn above its own month (plotting the months as categories put the
    points of a year with gaps in the wrong months).
    """
    if not rates:
        return [], [], [], []
    first = month_number(rates[0].month)
    xs = [month_number(r.month) - first for r in rates if r.rate is not None]
    ys = [int(r.rate * 10000) / 100 for r in rates if r.rate is not None]
    return xs, ys, [month_number(r.month) - first for r in rates], [r.month for r in rates]


def rate_chart(rates: tuple[MonthRate, ...], family: str) -> str:
    figure = _figure(family)
    axes = figure.add_subplot()
    xs, ys, ticks, labels = rate_points(rates)
    if xs:
        axes.plot(xs, ys, marker="o", markersize=3, color=ORANGE)
    axes.set_title("本年累计收缴率（按月末，%）", fontfamily=family)
    axes.set_ylim(*rate_axis(ys))
    axes.set_xticks(ticks)
    axes.set_xticklabels(labels, rotation=60)
    return _finished(figure, axes, family)


def _finished(figure, axes, family: str) -> str:
    """The line and bar charts' common finish: small tick labels in the CJK font, a light grid, no top or right frame."""
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontfamily(family)
        label.set_fontsize(7)
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return _render(figure)


def complaint_points(months: tuple[ComplaintMonth, ...]) -> tuple[list[int], list[list[int]], list[str]]:
    """x (months since the first month shown, one place per month as in ``rate_points``), the counts of each
    category (CATEGORIES order) at those places, and the month labels."""
    if not months:
        return [], [[] for _ in CATEGORIES], []
    first = month_number(months[0].month)
    xs = [month_number(m.month) - first for m in months]
    return xs, [[m.opened[i] for m in months] for i in range(len(CATEGORIES))], [m.month for m in months]


def complaint_chart(months: tuple[ComplaintMonth, ...], names: dict[str, str], family: str) -> str:
    """Complaints opened each month, stacked by category; only the categories that occur are in the legend."""
    figure = _figure(family)
    axes = figure.add_subplot()
    xs, counts, labels = complaint_points(months)
    bottom = [0] * len(xs)
    for code, colour, values in zip(CATEGORIES, CATEGORY_COLOURS, counts):
        if any(values):
            axes.bar(xs, values, bottom=bottom, color=colour, label=names.get(code, code))
            bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_title("每月新受理的投诉（件，按类别）", fontfamily=family)
    axes.set_xticks(xs)
    axes.set_xticklabels(labels, rotation=60)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if any(bottom):
        axes.legend(prop={"family": family, "size": 7}, frameon=False, loc="upper left", ncols=4)
        axes.set_ylim(0, max(bottom) * 1.35 + 1)  # room for the legend above the bars
    return _finished(figure, axes, family)
