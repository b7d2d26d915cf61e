"""The arrears list and the follow-up queue as one Excel workbook, for committee meetings.

Built with the site (``exports/``) from the same rows the two pages show. Every
text from the data is written as a text cell: a name typed as
``=HYPERLINK(...)`` stays text, never a formula. Amounts are numbers
(Decimal, shown with two decimals). The bytes depend only on the data and
``as_of``: the workbook's dates are ``as_of`` and every zip entry carries
the same fixed time.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from generator.core.inert import visible
from generator.core.labels import LIMITATION_STATUS

MONEY_FORMAT = "#,##0.00"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: no build's clock in the file


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    widths: tuple[int, ...]  # column widths in characters


def owner_names(state) -> str:
    return "、".join(o.name for o in state.unit.owners)


def owner_phones(state) -> str:
    return "、".join(o.phone for o in state.unit.owners if o.phone)


def limitation_words(state) -> str:
    """The unit's limitation in words, as the lists show it (an amount past limitation named, never "正常")."""
    lim = state.limitation
    if lim.status == "expired":
        return f"已过时效 {lim.expired_amount}"
    if state.late_fee_barred > 0:
        return f"违约金 {state.late_fee_barred} 已过时效"
    return LIMITATION_STATUS.get(lim.status, "") if lim.status else ""


def arrears_sheet(rows) -> Sheet:
    return Sheet(
        "欠费清单",
        ("房号", "楼栋", "业主", "电话", "欠费（元）", "违约金（元）", "最早到期", "逾期天数", "阶段", "下一步", "日期", "诉讼时效"),
        tuple(
            (s.unit.id, s.unit.building, owner_names(s), owner_phones(s), s.outstanding, s.late_fee, s.oldest_due,
             s.days_overdue, s.stage.name if s.stage else "", s.next_action.text, s.next_action.date, limitation_words(s))
            for s in rows
        ),
        (10, 6, 14, 16, 12, 12, 11, 8, 12, 40, 11, 18),
    )


def queue_sheet(groups: dict, titles: dict[str, str]) -> Sheet:
    return Sheet(
        "跟催表",
        ("类别", "房号", "业主", "电话", "日期", "要做的事", "原因", "欠费（元）", "已逾期"),
        tuple(
            (titles[key], i.state.unit.id, owner_names(i.state), owner_phones(i.state), i.date, i.text, i.why,
             i.state.outstanding, "是" if i.overdue else "")
            for key, items in groups.items() for i in items
        ),
        (16, 10, 14, 16, 11, 40, 40, 12, 6),
    )


def workbook(sheets: list[Sheet], as_of: date) -> bytes:
    """The sheets as .xlsx bytes: a bold frozen header row, filters on, money as numbers, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "cuijiao"
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = bold
        for r, row in enumerate(sheet.rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    cell.value = value
                    cell.number_format = MONEY_FORMAT
                elif isinstance(value, (int, date)) and not isinstance(value, bool):
                    cell.value = value.isoformat() if isinstance(value, date) else value
                else:
                    cell.value = visible(str(value))
                    cell.data_type = "s"  # text stays text: "=…" from the data is never a formula
        for c, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
        if sheet.rows:
            ws.auto_filter.ref = ws.dimensions
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()  # Workbook.save would stamp "modified" now
    return _fixed_times(raw.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same zip with every entry at ZIP_TIME: openpyxl stamps each entry with the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()
