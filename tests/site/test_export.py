"""The meeting workbook (``generator/site/export.py``) as a spreadsheet program reads it back.

export.py writes the data rows as XML itself instead of placing and styling
each cell through openpyxl (issue 17, item 4: that took most of a second at
5,000 units). These tests read the workbook back with openpyxl and pin what a
committee member relies on: every value with its type, text that stays text,
amounts as numbers in MONEY_FORMAT, the bold frozen header, the filter over the
data, the column widths, the document properties and bytes that depend only on
the data and the day. The last test compares it, read back, with the workbook
openpyxl writes cell by cell, the way export.py wrote it before.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from generator.site.export import MONEY_FORMAT, ZIP_TIME, Sheet, workbook

AS_OF = date(2026, 11, 22)
LONG = "业主委员会" * 8000  # 40,000 characters: a cell holds 32,767

ARREARS = Sheet(
    "欠费清单",
    ("房号", "业主", "欠费（元）", "最早到期", "逾期天数", "备注"),
    (
        ("1-101", "=1+1", Decimal("0.10"), date(2026, 1, 2), 7, "@SUM(A1)"),
        ("1-102", "-5", Decimal("1234.00"), None, 0, ""),
        ("1-103", '=HYPERLINK("https://evil.example","点我")', Decimal("9.20"), date(2025, 12, 31), 400, "a\x07b\x1b[31m\u202e"),
        ("1-104", None, Decimal("-0.05"), None, None, LONG),
        ("1-105", " 王 芳 ", Decimal("99999999999.99"), datetime(2026, 1, 2, 3, 4), True, "第一行\n第二行 & <b>"),
        ("1-106", "x\ufffey", Decimal(0), "", -3, "#N/A"),
    ),
    (10, 14, 12, 11, 8, 40),
)
QUEUE = Sheet(
    "跟催表",
    ("类别", "房号", "要做的事", "欠费（元）"),
    (("今天要打的电话", "1-101", "打电话：问付款计划", Decimal("0.10")), ("本周", "1-102", "=A1", Decimal("1234.56"))),
    (16, 10, 40, 12),
)


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def cells(ws) -> dict[str, tuple]:
    return {c.coordinate: (c.value, c.data_type) for row in ws.iter_rows() for c in row if c.value is not None}


def test_every_value_reads_back_as_the_list_holds_it_text_as_text_and_amounts_as_numbers():
    got = cells(read(workbook([ARREARS], AS_OF))["欠费清单"])

    s, n = "s", "n"
    assert got == {
        "A1": ("房号", s), "B1": ("业主", s), "C1": ("欠费（元）", s), "D1": ("最早到期", s), "E1": ("逾期天数", s), "F1": ("备注", s),
        "A2": ("1-101", s), "B2": ("=1+1", s), "C2": (0.1, n), "D2": ("2026-01-02", s), "E2": (7, n), "F2": ("@SUM(A1)", s),
        "A3": ("1-102", s), "B3": ("-5", s), "C3": (1234, n), "E3": (0, n),
        "A4": ("1-103", s), "B4": ('=HYPERLINK("https://evil.example","点我")', s), "C4": (9.2, n), "D4": ("2025-12-31", s),
        "E4": (400, n), "F4": ("a\ufffdb\ufffd[31m\ufffd", s),  # the controls as U+FFFD (core.inert.visible)
        "A5": ("1-104", s), "C5": (-0.05, n), "F5": (LONG[:32767], s),
        "A6": ("1-105", s), "B6": (" 王 芳 ", s), "C6": (99999999999.99, n), "D6": ("2026-01-02T03:04:00", s),
        "E6": ("True", s), "F6": ("第一行\n第二行 & <b>", s),
        "A7": ("1-106", s), "B7": ("x\ufffdy", s), "C7": (0, n), "E7": (-3, n), "F7": ("#N/A", s),  # U+FFFE: not XML
    }


def test_no_text_from_the_data_is_written_as_a_formula():
    sheet = zipfile.ZipFile(io.BytesIO(workbook([ARREARS, QUEUE], AS_OF))).read("xl/worksheets/sheet1.xml").decode("utf-8")

    assert "<f>" not in sheet and "<f " not in sheet
    assert '<t>=HYPERLINK("https://evil.example","点我")</t>' in sheet.replace("&quot;", '"')


def test_spaces_around_a_text_are_kept_for_spreadsheet_programs():
    sheet = zipfile.ZipFile(io.BytesIO(workbook([ARREARS], AS_OF))).read("xl/worksheets/sheet1.xml").decode("utf-8")

    # without xml:space="preserve" a spreadsheet program may drop them; a text without such spaces needs none
    assert '<t xml:space="preserve"> 王 芳 </t>' in sheet and "<t>1-105</t>" in sheet


def test_an_amount_is_written_with_its_own_digits_in_the_money_format():
    book = read(workbook([ARREARS, QUEUE], AS_OF))
    sheet = zipfile.ZipFile(io.BytesIO(workbook([ARREARS], AS_OF))).read("xl/worksheets/sheet1.xml").decode("utf-8")

    # 9.20 as 9.2, never float's 9.199999999999999; 1234.00 as the whole number 1234
    assert "<v>9.2</v>" in sheet and "<v>0.1</v>" in sheet and "<v>1234</v>" in sheet and "99999999999.99</v>" in sheet
    assert "9.1999" not in sheet
    assert [book["欠费清单"].cell(r, 3).number_format for r in range(2, 8)] == [MONEY_FORMAT] * 6
    assert [book["跟催表"].cell(r, 4).number_format for r in (2, 3)] == [MONEY_FORMAT] * 2
    assert book["跟催表"]["D3"].value == 1234.56
    assert book["欠费清单"]["E2"].number_format == "General"  # days are plain numbers, the header plain text


def test_the_header_is_bold_and_frozen_the_filter_covers_the_data_and_each_column_has_its_width():
    book = read(workbook([ARREARS, QUEUE], AS_OF))

    assert book.sheetnames == ["欠费清单", "跟催表"]
    arrears, queue = book["欠费清单"], book["跟催表"]
    assert [c.font.b for c in arrears[1]] == [True] * 6 and not arrears["A2"].font.b and not arrears["C2"].font.b
    assert arrears.freeze_panes == queue.freeze_panes == "A2"
    assert arrears.auto_filter.ref == arrears.dimensions == "A1:F7"
    assert queue.auto_filter.ref == queue.dimensions == "A1:D3"
    assert [arrears.column_dimensions[c].width for c in "ABCDEF"] == [10, 14, 12, 11, 8, 40]
    assert [queue.column_dimensions[c].width for c in "ABCD"] == [16, 10, 40, 12]
    assert cells(queue) == {
        "A1": ("类别", "s"), "B1": ("房号", "s"), "C1": ("要做的事", "s"), "D1": ("欠费（元）", "s"),
        "A2": ("今天要打的电话", "s"), "B2": ("1-101", "s"), "C2": ("打电话：问付款计划", "s"), "D2": (0.1, "n"),
        "A3": ("本周", "s"), "B3": ("1-102", "s"), "C3": ("=A1", "s"), "D3": (1234.56, "n"),
    }


def test_a_reader_that_streams_the_sheet_sees_every_row():
    book = load_workbook(io.BytesIO(workbook([ARREARS, QUEUE], AS_OF)), read_only=True)  # sized by the sheet's <dimension>

    assert (book["欠费清单"].max_row, book["欠费清单"].max_column) == (7, 6)
    assert [r[0] for r in book["欠费清单"].iter_rows(values_only=True)] == ["房号", "1-101", "1-102", "1-103", "1-104", "1-105", "1-106"]


def test_a_sheet_without_rows_keeps_its_header_and_has_no_filter():
    book = read(workbook([Sheet("欠费清单", ARREARS.headers, (), ARREARS.widths), QUEUE], AS_OF))

    empty = book["欠费清单"]
    assert [c.value for c in empty[1]] == list(ARREARS.headers) and empty.max_row == 1
    assert empty.auto_filter.ref is None and empty.freeze_panes == "A2"
    assert cells(book["跟催表"])["D3"] == (1234.56, "n")


def test_the_bytes_depend_only_on_the_data_and_the_day():
    first, second = workbook([ARREARS, QUEUE], AS_OF), workbook([ARREARS, QUEUE], AS_OF)

    assert first == second
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {ZIP_TIME}
    props = read(first).properties
    assert props.created == props.modified == datetime(2026, 11, 22)
    assert props.creator == props.lastModifiedBy == "cuijiao"
    assert read(workbook([ARREARS, QUEUE], date(2026, 11, 23))).properties.modified == datetime(2026, 11, 23)


def openpyxl_cell_by_cell(sheets: list[Sheet]) -> bytes:
    """The workbook as export.py wrote it before it wrote the rows itself: openpyxl, cell by cell (the reference)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from generator.core.inert import visible

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
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
                    cell.data_type = "s"
        for c, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
        if sheet.rows:
            ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_reads_back_as_the_workbook_openpyxl_writes_cell_by_cell():
    sheets = [Sheet(ARREARS.title, ARREARS.headers, ARREARS.rows[:-1], ARREARS.widths), QUEUE]  # U+FFFE: openpyxl writes no XML

    def seen(data: bytes) -> list:
        book = read(data)
        return [book.sheetnames] + [
            (ws.freeze_panes, ws.auto_filter.ref, ws.dimensions, {k: d.width for k, d in ws.column_dimensions.items()},
             [(c.coordinate, c.value, type(c.value), c.data_type, c.number_format, c.font.b) for row in ws.iter_rows() for c in row])
            for ws in book.worksheets
        ]

    assert seen(workbook(sheets, AS_OF)) == seen(openpyxl_cell_by_cell(sheets))


def test_the_filter_s_defined_range_covers_the_data_rows():
    """Spreadsheet programs take the filter's range from the workbook's _FilterDatabase name as well."""
    import re

    book = zipfile.ZipFile(io.BytesIO(workbook([ARREARS, QUEUE], AS_OF))).read("xl/workbook.xml").decode("utf-8")
    ranges = re.findall(r'<definedName name="_xlnm._FilterDatabase" localSheetId="(\d)" hidden="1">([^<]*)</definedName>', book)
    assert ranges == [("0", "'欠费清单'!$A$1:$F$7"), ("1", "'跟催表'!$A$1:$D$3")]


def test_frames_kept_for_other_row_counts_give_the_bytes_of_a_workbook_made_afresh(tmp_path):
    """openpyxl's part (the frames) depends on the titles, headers, widths and day, not on the rows: it is kept, and a
    workbook made from kept frames is the workbook made afresh, for more rows, fewer rows and none."""
    from generator.site.fragments import FragmentCache

    kept = FragmentCache(tmp_path, b"k" * 32, "context")
    for arrears, queue in ((6, 2), (2, 1), (4, 2), (0, 1), (0, 2)):
        sheets = [Sheet(ARREARS.title, ARREARS.headers, ARREARS.rows[:arrears], ARREARS.widths),
                  Sheet(QUEUE.title, QUEUE.headers, QUEUE.rows[:queue], QUEUE.widths)]
        assert workbook(sheets, AS_OF, kept) == workbook(sheets, AS_OF)
    assert kept.made == 2  # one frame with rows in both sheets, one with the arrears sheet empty


def test_a_workbook_from_kept_frames_does_not_import_openpyxl(tmp_path):
    """openpyxl imports numpy: 0.3 s of a rebuild. In a fresh interpreter the first workbook imports it; with
    the frames kept, a workbook with other rows is made after openpyxl and numpy are forgotten without them."""
    import subprocess
    import sys

    script = f"""
import sys
from datetime import date
from pathlib import Path
from generator.site.export import Sheet, workbook
from generator.site.fragments import FragmentCache
kept = FragmentCache(Path({str(tmp_path)!r}), b"k" * 32, "context")
workbook([Sheet("欠费清单", ("房号",), (("1-101",),), (10,))], date(2026, 11, 22), kept)
kept.save()
for name in [m for m in sys.modules if m.split(".")[0] in ("openpyxl", "numpy")]:
    del sys.modules[name]
workbook([Sheet("欠费清单", ("房号",), (("1-101",), ("1-102",)), (10,))], date(2026, 11, 22), FragmentCache(kept.folder, b"k" * 32, "context"))
print(sorted(m for m in sys.modules if m.split(".")[0] in ("openpyxl", "numpy")))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
