"""The arrears list and the follow-up queue as one Excel workbook, for committee meetings.

Built with the site (``exports/``) from the same rows the two pages show. Every
text from the data is written as a text cell: a name typed as
``=HYPERLINK(...)`` stays text, never a formula. Amounts are numbers
(Decimal, shown with two decimals). The bytes depend only on the data and
``as_of``: the workbook's dates are ``as_of`` and every zip entry carries
the same fixed time.

openpyxl writes everything but the data rows, which are written here as the
XML openpyxl writes for the same cells (amounts with the Decimal's own
digits): placing and styling thousands of cells one by one in openpyxl took
most of a second at 5,000 units; writing the rows here is about five times faster.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

import msgspec

from generator.core.inert import REPLACEMENT, visible
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


def workbook(sheets: list[Sheet], as_of: date, kept=None) -> bytes:
    """The sheets as .xlsx bytes: a bold frozen header row, filters on, money as numbers, text as text.

    openpyxl writes the package with each sheet's header row alone (``_frames``: workbook, styles,
    properties, column widths, frozen pane, a filter on the header); the data rows are written here as XML
    (``_row``), the cells openpyxl would write for the same values, at a fraction of its cost per cell, and
    put into each sheet, with the filter and extents they make, while the package is zipped again with
    fixed times (``_package``). ``kept`` (``site.fragments.FragmentCache``): the frames, which depend on
    the titles, headers, widths and as_of and not on the rows, are kept there, so a rebuild does not even
    import openpyxl (0.3 s with numpy, which it imports).
    """
    columns = [max(len(row) for row in (sheet.headers, *sheet.rows)) for sheet in sheets]
    money = any(isinstance(v, Decimal) for sheet in sheets for row in sheet.rows for v in row)
    shape = repr((as_of, [(sheet.title, sheet.headers, sheet.widths, n, bool(sheet.rows)) for sheet, n in zip(sheets, columns)], money))
    make = lambda: msgspec.json.encode(_frames(sheets, as_of, columns, money)).decode("utf-8")  # noqa: E731
    text = make() if kept is None else kept.block(("workbook-frames", shape), make)
    money_style, paths, frames = msgspec.json.decode(text, type=tuple[str, list[str], str])
    fills = {}
    for i, (sheet, n, path) in enumerate(zip(sheets, columns, paths)):
        letters = [column_letter(c) for c in range(1, n + 1)]
        rows = "".join(_row(r, row, letters, money_style) for r, row in enumerate(sheet.rows, start=2))
        fills[path] = (i, f"A1:{column_letter(len(sheet.headers))}1", letters[-1], len(sheet.rows) + 1, rows)
    return _package(frames.encode("latin-1"), fills)


def _frames(sheets: list[Sheet], as_of: date, columns: list[int], money: bool) -> tuple[str, list[str], str]:
    """What openpyxl writes of the workbook, each sheet with its header row alone (its filter, when it has rows,
    on the header): the amounts' style id, each sheet's path in the package, the package (stored, as latin-1)."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "cuijiao"
    bold = Font(bold=True)
    money_style = ""
    for sheet, n in zip(sheets, columns):
        ws = book.create_sheet(sheet.title)
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = bold
        for c, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[column_letter(c)].width = width
        ws.freeze_panes = "A2"
        if money and not money_style:
            amount = Cell(ws)  # never placed in the sheet: it registers the amounts' style in the book
            amount.number_format = MONEY_FORMAT
            money_style = str(amount.style_id)
        if sheet.rows:
            ws.auto_filter.ref = f"A1:{column_letter(n)}1"  # widened to the rows by _with_rows
    frames = io.BytesIO()
    # stored, not compressed: the frames are small and _package compresses once; Workbook.save would stamp "modified" now
    ExcelWriter(book, zipfile.ZipFile(frames, "w", zipfile.ZIP_STORED)).save()
    paths = [ws.path.lstrip("/") for ws in book.worksheets]  # known once written
    return money_style, paths, frames.getvalue().decode("latin-1")


def column_letter(n: int) -> str:
    """Excel's name of column ``n`` (1 is A, 27 is AA), as ``openpyxl.utils.get_column_letter``."""
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


# What openpyxl writes for the same values (openpyxl.cell._writer.etree_write_cell): text inline, never a formula
_TEXT = '<c r="{}" t="inlineStr"><is><t>{}</t></is></c>'
_TEXT_SPACED = '<c r="{}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>'
_NUMBER = '<c r="{}" t="n"><v>{}</v></c>'
_AMOUNT = '<c r="{}" s="{}" t="n"><v>{}</v></c>'
MAX_TEXT = 32767  # the most characters a cell holds; openpyxl cuts a longer text there
# what XML cannot hold once ``visible`` has replaced the controls (YAML's "\uFFFE" or "\uD800" escapes give them):
# written as they are, no spreadsheet program could open the file
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _row(r: int, values: tuple, letters: list[str], money_style: str) -> str:
    """Row ``r`` of a sheet as XML: an empty value no cell, an amount a number in MONEY_FORMAT, an int a
    number, a date its ISO text, anything else its text with ``visible`` applied (and U+FFFD for what XML cannot hold)."""
    cells = []
    for letter, value in zip(letters, values):
        if value is None or value == "":
            continue
        if isinstance(value, Decimal):
            # the Decimal's own digits, no float on the way: 1234.00 -> 1234, 9.20 -> 9.2 (openpyxl writes "%.16g" of
            # a float, 9.199999999999999: the same double to a reader, and an int for 1234.00 as here)
            cells.append(_AMOUNT.format(f"{letter}{r}", money_style, format(value.normalize(), "f")))
        elif isinstance(value, int) and not isinstance(value, bool):
            cells.append(_NUMBER.format(f"{letter}{r}", value))
        else:
            text = value.isoformat() if isinstance(value, date) else _NOT_XML.sub(REPLACEMENT, visible(str(value)))[:MAX_TEXT]
            stripped = text.strip()
            cells.append((_TEXT_SPACED if stripped and stripped != text else _TEXT).format(f"{letter}{r}", escape(text)))
    return f'<row r="{r}">{"".join(cells)}</row>'


def _package(frames: bytes, fills: dict[str, tuple]) -> bytes:
    """The zip openpyxl wrote, each sheet with its data rows, its full extent and its filter over them
    (``_with_rows``), every entry at ZIP_TIME (openpyxl stamps each entry with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(frames)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in fills:
                data = _with_rows(data, *fills[info.filename][1:])
            elif info.filename == "xl/workbook.xml":
                data = _with_filters(data, fills.values())
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def _with_rows(frame: bytes, header: str, last: str, count: int, rows: str) -> bytes:
    """A sheet openpyxl wrote with its header row alone (extent ``header``, a filter on it when there are rows),
    given the data rows after that row: its extent and filter reach column ``last`` of row ``count``."""
    extent = f'<dimension ref="{header}" />'.encode()
    if frame.count(extent) != 1 or frame.count(b"</sheetData>") != 1:
        raise ValueError("openpyxl wrote a sheet this module does not know how to fill")  # a new openpyxl: see _row
    frame = frame.replace(extent, f'<dimension ref="A1:{last}{count}" />'.encode())
    if rows:
        header_filter = f'<autoFilter ref="A1:{last}1" />'.encode()
        if frame.count(header_filter) != 1:
            raise ValueError("openpyxl wrote a filter this module does not know how to widen")
        frame = frame.replace(header_filter, f'<autoFilter ref="A1:{last}{count}" />'.encode())
    return frame.replace(b"</sheetData>", rows.encode("utf-8") + b"</sheetData>")


def _with_filters(book: bytes, fills) -> bytes:
    """The workbook part with each filtered sheet's filter range (a defined name) reaching its last row."""
    for index, _header, last, count, rows in fills:
        if not rows:
            continue
        pattern = re.compile(rf'(<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">[^<]*!\$A\$1:\${last}\$)1(</definedName>)'.encode())
        book, found = pattern.subn(rb"\g<1>" + str(count).encode() + rb"\g<2>", book)
        if found != 1:
            raise ValueError("openpyxl wrote a workbook this module does not know how to fill")
    return book
