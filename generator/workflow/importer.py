"""Import the committee's existing spreadsheet (.xlsx or .csv) into owners/<unit>.yaml.

One row per unit. Columns are found by their header (Chinese or English, with
the synonyms of ``COLUMNS``); the header may sit below a title row, and every
column it does not know is named in a warning. Values may carry ￥, 元 and ㎡,
full-width digits, and 无 / - / / for nothing; a cell may hold several owners
or phones (刘伟、刘芳). The arrears, as described in the user guide:

- ``已缴至`` (paid_through): billing_start is the day after it and the rules
  bill the fees from there; no opening item.
- ``已缴至`` with a later ``计费开始``: the sheet's ``欠费`` between them become
  opening items, one per billing period of the policy, filled from the latest
  period back (``opening_items``).
- per-period columns (``2025年欠费``, ``2026年上半年欠费``: ``header_period``):
  each amount split the same way within its period, which must end before
  billing_start.
- ``合计`` rows are not units; their arrears are compared with the rows' sum.
- ``欠费`` with ``计费开始`` only: one opening item due the day before
  billing_start, marked ``UNDATED_PERIOD``, and a warning.
- The sheet's ``欠费`` are reconciled with the engine's arrears as of
  ``--as-of`` (``reconcile``): a household that differs is an error unless
  the differences are accepted.
- Phones are digits: Excel numbers (13800000000.0) lose the ``.0``, a
  zero-padded number format gets its zeros back, scientific notation is an
  error, spaces and dashes go.

Every file the import would write is checked, with the rest of the
community, through the same validation as ``cuijiao check``; problems are
reported as ``FILE:row:column: 错误: …（…）`` and then nothing is written.
An existing owner file is never overwritten: its row is skipped; with ``update`` (``import --update``)
the keys the sheet has columns for are replaced and everything else in the file (the contact log,
tags, consents, comments) is kept; the diff of each file is shown.

The sheet is read exactly or refused (the file may come from anyone):

- every row, whatever the stored ``<dimension>`` says; a row or cell that
  repeats or comes out of order (openpyxl would drop it) refuses the file;
- a formula whose result the file does not hold (or does not vouch for:
  ``fullCalcOnLoad``) is an error at its cell, never a blank;
- sizes are checked before the work: the file, the zip's declared unpacked
  sizes and ratios, then the rows and columns that hold something (``MAX_*``);
- unit ids are NFKC-normalised (``Ｓ－０３`` is ``S-03``, and a warning says
  so), then held to ``UNIT_ID`` (ASCII letters and digits, 汉字, "-"): a
  look-alike letter (Cyrillic ``Ѕ``) is refused by its code point; ids equal
  after normalisation and case folding are one unit (a duplicate, or the
  existing file).
"""
from __future__ import annotations

import csv
import difflib
import io
import os
import re
import stat
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator import pipeline
from generator.core import labels
from generator.core.dates import days_in_month, month_index, month_start
from generator.core.diagnostics import (
    Diagnostic,
    Pos,
    error,
    sorted_diagnostics,
    warning,
)
from generator.core.errors import CuijiaoError, UsageProblem, os_reason
from generator.core.model import OCCUPANCIES
from generator.core.money import fmt, round_cents
from generator.reading.fields import UNIT_ID, odd_char
from generator.reading.yamlsource import MappingNode, SequenceNode, compose
from generator.rules.billing import period_label
from generator.workflow.edit import (
    Edit,
    check_with,
    dump,
    money_text,
    read_policy,
    read_text,
    write,
    yaml_for,
)

# field -> accepted headers (compared after NFKC, without spaces, case-insensitive, and without a
# unit in brackets at the end: "面积（平方米）" and "欠费(元)" are "面积" and "欠费")
COLUMNS = {
    "unit": ("房号", "户号", "门牌", "门牌号", "房屋", "房间号", "房屋编号", "unit"),
    "owner": ("业主", "业主姓名", "姓名", "户主", "owner", "name"),
    "phone": ("电话", "手机", "联系方式", "联系电话", "手机号", "手机号码", "电话号码", "phone"),
    "address": ("地址", "通讯地址", "address"),
    "area": ("面积", "建筑面积", "面积（平方米）", "房屋面积", "area"),
    "type": ("类型", "户型", "物业类型", "房屋类型", "type"),
    "occupancy": ("居住状态", "入住状态", "occupancy"),
    "billing_start": ("计费开始", "起始计费日期", "交房日期", "计费开始日", "计费开始日期", "起计日期", "billing_start"),
    "arrears": ("欠费", "欠费金额", "累计欠费", "期初欠费", "欠费合计", "arrears"),
    "paid_through": ("已缴至", "缴费截止", "缴至", "缴费至", "缴费截止日期", "已交至", "paid_through"),
    "note": ("备注", "说明", "note"),
}
REQUIRED = ("unit", "owner", "type")
HEADER_SEARCH_ROWS = 10
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ZERO_FORMAT = re.compile(r"0+")
_HEADER_UNIT = re.compile(r"\((?:元|人民币|rmb|平方米|平米|m2|m²|㎡)\)$")
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计", "合计金额", "total"})  # a row that sums the others
SHEET_DATE = re.compile(r"(?:截至|截止|截止到|截止日期|统计日期)[:：]?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)")
EMPTY_MARKERS = frozenset({"无", "-", "--", "/", "—", "——", "空", "n/a", "na", "null", "none"})
_CURRENCY = ("¥", "rmb", "cny")  # after NFKC: ￥ is ¥
_MONEY_UNITS = ("元", "rmb", "cny")
_AREA_UNITS = ("m2", "m²", "平方米", "平米", "平方")  # after NFKC: ㎡ is m2
_LIST_SEPARATORS = re.compile(r"[、,;/|\n]+")  # after NFKC: ， ； ／ are , ; /
_PHONE_JUNK = re.compile(r"[\s\-()]+")


@dataclass
class Row:
    number: int  # the spreadsheet's row number (1-based, header included)
    cells: list  # raw values: str for CSV; str, int, float, datetime or None for .xlsx
    formats: list = field(default_factory=list)  # .xlsx number formats, parallel to cells
    formulas: dict = field(default_factory=dict)  # .xlsx: 0-based column -> why its formula's value is unusable


@dataclass
class Draft:
    """One owner file the import would write, and where its values came from."""

    unit: str
    row: int
    columns: dict[str, int]  # YAML key -> spreadsheet column (1-based)
    edit: Edit
    skipped: bool = False
    existing: str | None = None  # the owner file already there for this unit (so it is skipped)
    arrears: Decimal | None = None  # the sheet's arrears (None: the sheet has no arrears column)
    undated: bool = False  # the arrears became one opening item without periods
    old_text: str | None = None  # with --update: the owner file as it was (the edit replaces it)

    @property
    def diff(self) -> str:
        """What an update changes, as a unified diff of the owner file ("" for a new file or no change)."""
        if self.old_text is None:
            return ""
        return "".join(difflib.unified_diff(self.old_text.splitlines(keepends=True), self.edit.text.splitlines(keepends=True),
                                            f"{self.edit.path}（原来）", f"{self.edit.path}（导入后）", n=1))


@dataclass(frozen=True)
class Reconciled:
    """One household's arrears: the sheet's beside the engine's, as of the import's date."""

    row: int
    unit: str
    sheet: Decimal | None  # None: the sheet has no arrears column
    outstanding: Decimal  # overdue principal (rule 5)
    not_due: Decimal  # billed, not yet due

    @property
    def agrees(self) -> bool:
        """The sheet counts overdue charges only, or every charge billed by then."""
        return self.sheet is None or self.sheet in (self.outstanding, self.outstanding + self.not_due)

    @property
    def with_not_due(self) -> bool:
        """The figure the sheet is compared with includes what is billed but not yet due (the sheet counts it)."""
        return bool(self.not_due) and self.sheet == self.outstanding + self.not_due and self.sheet != self.outstanding

    @property
    def computed(self) -> Decimal:
        return self.outstanding + self.not_due if self.with_not_due else self.outstanding


@dataclass
class ImportResult:
    drafts: list[Draft]
    problems: list[Diagnostic]
    checked: pipeline.Checked | None = None
    reconciled: list[Reconciled] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "error"]


# -- limits ----------------------------------------------------------------------------------------
# Far beyond any community (20,000 rows x 8 columns is 8 MB of sheet XML, packed about 11:1),
# and small enough that a hostile file is refused within a second, before it is unpacked.
MAX_ROWS = 20_000  # rows holding something
MAX_COLUMNS = 200  # the rightmost column holding something (GR)
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_XLSX_BYTES = 20 * 1024 * 1024  # the file itself
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # all the parts of the .xlsx, unpacked
MAX_RATIO = 100  # unpacked : packed, for a part larger than RATIO_FROM_BYTES
RATIO_FROM_BYTES = 10 * 1024 * 1024
MAX_PARTS = 1_000
# XML elements: openpyxl builds a tree of most parts (styles, the workbook) whole, and keeps every
# element of a sheet outside its rows (merged cells, links: a few per row) until the end, a row's
# until the row is read. 20,000 rows x 8 columns are 420,000 elements; `<a/>` is 4 bytes and 80 in memory.
MAX_ELEMENTS = 2_000_000  # in all the parts
MAX_OTHER_ELEMENTS = 500_000  # in the sheet, outside its rows
MAX_ROW_ELEMENTS = 200_000  # in one row (16,384 cells with rich text would be far below)
MAX_TAG_BYTES = 100_000  # one tag with its attributes (a formula is at most 8,192 characters)
MAX_UNIT_CHARS = 40
_LAST_ROW = 1_048_576  # Excel's own limits
_LAST_COLUMN = 16_384


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# -- reading the table ------------------------------------------------------------------

def read_rows(path: Path) -> list[Row]:
    """Every non-empty row of the first sheet (or of the CSV), or a CuijiaoError saying why not."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    raise UsageProblem(f"只能导入 .xlsx 或 .csv 文件：“{path.name}”（.xls 请先在 Excel/WPS 里另存为 .xlsx）")


def _open_regular(path: Path, limit: int, kind: str):
    """``path`` opened for reading if it is a regular file of at most ``limit`` bytes.

    Opened without blocking and checked on the open file, so a FIFO or a device
    (``/dev/zero`` behind a link) is refused instead of read forever.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise CuijiaoError(f"无法打开 {path.name}：{os_reason(exc)}") from None
    handle = os.fdopen(fd, "rb")
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        handle.close()
        raise CuijiaoError(f"{path.name} 不是普通文件（是文件夹、管道或设备），不能导入。请指定表格文件本身")
    if info.st_size > limit:
        handle.close()
        raise CuijiaoError(f"{path.name} 有 {_mb(info.st_size)}，超过 {kind} 导入的上限 {_mb(limit)}。"
                           "请检查是不是选错了文件；表格里有图片的，只把数据复制到新表格再导入")
    return handle


def _check_size(name: str, count: int, number: int, width: int) -> None:
    """Refuse a sheet once it holds more than MAX_ROWS rows or reaches past column MAX_COLUMNS."""
    if count > MAX_ROWS:
        raise CuijiaoError(f"{name} 有内容的行超过 {MAX_ROWS} 行（到第 {number} 行为止），超过导入上限。"
                           "一个小区不会有这么多户：请检查是不是选错了文件，或把表格拆开分几次导入")
    if width > MAX_COLUMNS:
        raise CuijiaoError(f"{name} 第 {number} 行的第 {_column_letter(width - 1)} 列有内容，超过导入上限 "
                           f"{MAX_COLUMNS} 列（最右到第 {_column_letter(MAX_COLUMNS - 1)} 列）。"
                           "请删掉多余的列，或只把需要的列复制到新表格再导入")


def _csv_rows(path: Path) -> list[Row]:
    name = path.name
    with _open_regular(path, MAX_CSV_BYTES, "CSV") as handle:
        try:
            raw = handle.read(MAX_CSV_BYTES + 1)
        except OSError as exc:
            raise CuijiaoError(f"无法读取 {name}：{os_reason(exc)}") from None
    if len(raw) > MAX_CSV_BYTES:  # it grew after it was measured
        raise CuijiaoError(f"{name} 超过 CSV 导入的上限 {_mb(MAX_CSV_BYTES)}，请检查是不是选错了文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CuijiaoError(f"{name} 既不是 UTF-8 也不是 GBK 编码，请在表格软件里另存为“CSV UTF-8”")
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            filled = [col for col, cell in enumerate(cells) if cell.strip()]
            if filled:
                _check_size(name, len(rows) + 1, number, filled[-1] + 1)
                rows.append(Row(number, cells))
    except csv.Error:
        raise CuijiaoError(f"{name} 第 {number + 1} 行不能按 CSV 读取（可能有一格特别长，或引号不成对）。"
                           "请在表格软件里打开检查这一行，另存为“CSV UTF-8”后再导入") from None
    return rows


def _xlsx_rows(path: Path) -> list[Row]:
    name = path.name
    with _open_regular(path, MAX_XLSX_BYTES, ".xlsx") as handle:
        archive = _open_archive(name, handle)
        import openpyxl  # slow to import; only the import command needs it

        with warnings.catch_warnings():  # openpyxl's notes on unsupported features are English noise
            warnings.simplefilter("ignore")
            try:
                book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises many kinds for a damaged file
                raise CuijiaoError(f"无法打开 {name}：文件已损坏，或不是 Excel/WPS 保存的 .xlsx（{exc}）") from None
            try:
                return _sheet_rows(name, archive, book)
            finally:
                book.close()


def _open_archive(name: str, handle) -> zipfile.ZipFile:
    """The .xlsx as a zip whose parts were measured before anything is unpacked.

    Python's zipfile never unpacks more than a part's declared size (a part that
    inflates further fails its check), so the declared sizes bound the work.
    """
    try:
        archive = zipfile.ZipFile(handle)
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise CuijiaoError(f"{name} 不是有效的 .xlsx 文件：打不开它的压缩结构（文件可能已损坏、只复制了一部分，"
                           "或设置了打开密码）。请用 Excel/WPS 打开后另存为 .xlsx 再导入") from None
    bomb = "这样的文件可能是故意做成的“压缩炸弹”，不导入。请用 Excel/WPS 打开后另存为 .xlsx 再导入"
    if len(parts) > MAX_PARTS:
        raise CuijiaoError(f"{name} 里有 {len(parts)} 个部件，超过上限 {MAX_PARTS}；{bomb}")
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CuijiaoError(f"{name} 里的 {part.filename} 用了 .xlsx 不用的压缩方式；{bomb}")
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * part.compress_size:
            ratio = part.file_size // max(part.compress_size, 1)
            raise CuijiaoError(f"{name} 里的 {part.filename} 压缩比 {ratio}:1 异常（上限 {MAX_RATIO}:1）；{bomb}")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNZIPPED_BYTES:
        raise CuijiaoError(f"{name} 解压后共有 {_mb(total)}，超过导入上限 {_mb(MAX_UNZIPPED_BYTES)}；{bomb}")
    _count_elements(name, archive, parts, bomb)
    return archive


_LONG_TAG = re.compile(rb"<[^<>]{%d}" % MAX_TAG_BYTES)


class _Crowded(Exception):
    pass


def _count_elements(name: str, archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], bomb: str) -> None:
    """Refuse a file whose parts hold more than MAX_ELEMENTS XML elements or a tag longer than
    MAX_TAG_BYTES, counted with expat (no tree is built) before openpyxl builds any."""
    from xml.parsers import expat

    count = 0

    def start(_tag, _attributes) -> None:
        nonlocal count
        count += 1
        if count > MAX_ELEMENTS:
            raise _Crowded

    for part in parts:
        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        carry = b""  # the end of the previous piece, from its last "<" or ">": a tag may go on here
        try:
            with archive.open(part) as stream:
                while piece := stream.read(1 << 20):
                    window = carry + piece
                    if _LONG_TAG.search(window):
                        raise CuijiaoError(f"{name} 里的 {part.filename} 有一个超过 {MAX_TAG_BYTES:,} 字节的 XML 标记；{bomb}")
                    cut = max(window.rfind(b"<"), window.rfind(b">"))
                    carry = window[cut:] if cut >= 0 else b""
                    parser.Parse(piece, False)
                parser.Parse(b"", True)
        except _Crowded:
            raise CuijiaoError(f"{name} 里的 XML 元素超过 {MAX_ELEMENTS:,} 个，远多于任何真实的表格；{bomb}") from None
        except expat.ExpatError:
            continue  # not XML (a picture), or damaged XML: openpyxl says so if it is read
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            raise CuijiaoError(f"{name} 已损坏（解压 {part.filename} 时出错，文件可能只复制了一部分）。"
                               "请重新复制或另存这个文件") from None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _VALUE, _FORMULA, _INLINE = (_MAIN + tag for tag in ("row", "v", "f", "is"))
_CELL_REF = re.compile(r"[$]?([A-Za-z]{1,3})[$]?(\d+)")  # as openpyxl reads a cell's r="D4"


@dataclass(frozen=True)
class SheetShape:
    """What the first sheet holds, found by reading its XML once before openpyxl reads the values."""

    rows: frozenset[int]  # the rows with a value, a text or a formula in some cell
    width: int  # the rightmost column (1-based) with one
    formulas: dict[int, dict[int, str]]  # row -> 0-based column -> why its formula's value cannot be used


def _whole(text: str) -> int | None:
    """A row number as openpyxl reads r="5" (and "5.0"), None for anything else."""
    try:
        return int(text)
    except ValueError:
        try:
            number = Decimal(text)  # no float in generator/, not even for a row number
        except InvalidOperation:
            return None
        if not number.is_finite() or number.adjusted() > 7:  # "1e999999999" must not become a billion-digit int
            return None
        return int(number) if number == number.to_integral_value() else None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def scan_sheet(name: str, stream, recalculate: bool) -> SheetShape:
    """The rows, width and formula cells of a sheet's XML, every row checked to come once and in order.

    openpyxl (read-only) fills missing rows and columns from the stored
    ``<dimension>`` and silently drops a row that repeats or comes out of order;
    the rows it yields match what is here only when every row and cell number
    rises, which is checked here. ``recalculate``: the workbook asks for every
    formula to be computed again on opening (XlsxWriter stores 0 for each), so
    no stored result of a formula is believed.
    """
    damaged = f"{name} 已损坏（工作表的结构不对"
    rows: set[int] = set()
    width = 0
    formulas: dict[int, dict[int, str]] = {}
    previous = 0
    stack: list = []  # the open elements: a finished one is taken from its parent, unless inside a row
    in_row = False
    other = inside = 0  # elements outside the rows so far, in the current row
    crowded = f"{name} 的工作表结构异常：{{}}的 XML 元素超过 {{:,}} 个，不像正常的表格，可能是故意做成的，不导入。请用 Excel/WPS 打开后另存为 .xlsx 再导入"
    try:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            if event == "start":
                if element.tag == _ROW:
                    if in_row:
                        raise CuijiaoError(f"{damaged}：第 {previous + 1} 行附近一行套在另一行里）。请用 Excel/WPS 打开后另存为 .xlsx 再导入")
                    in_row = True
                stack.append(element)
                continue
            stack.pop()
            if in_row and element.tag != _ROW:
                inside += 1
                if inside > MAX_ROW_ELEMENTS:
                    raise CuijiaoError(crowded.format(f"第 {previous + 1} 行里", MAX_ROW_ELEMENTS))
                continue
            if element.tag != _ROW:
                other += 1
                if other > MAX_OTHER_ELEMENTS:
                    raise CuijiaoError(crowded.format("单元格以外", MAX_OTHER_ELEMENTS))
            else:
                in_row = False
                inside = 0
                r = element.get("r")
                number = previous + 1 if r is None else _whole(r)
                if number is None or not previous < number <= _LAST_ROW:
                    raise CuijiaoError(f"{damaged}：第 {previous} 行之后的行号“{r}”重复、倒序或超出范围）。"
                                       "请用 Excel/WPS 打开后另存为 .xlsx 再导入")
                previous = number
                column = 0
                for cell in element:  # every child is a cell to openpyxl
                    ref = cell.get("r")
                    if ref is None:
                        column += 1
                    else:
                        match = _CELL_REF.fullmatch(ref)
                        at = _column_number(match[1]) if match else 0
                        if not match or int(match[2]) != number or not column < at <= _LAST_COLUMN:
                            raise CuijiaoError(f"{damaged}：第 {number} 行的单元格“{ref}”不属于这一行，或与同行的单元格重复、倒序）。"
                                               "请用 Excel/WPS 打开后另存为 .xlsx 再导入")
                        column = at
                    value = cell.find(_VALUE)
                    formula = cell.find(_FORMULA) is not None
                    if not (formula or (value is not None and value.text) or cell.find(_INLINE) is not None):
                        continue
                    rows.add(number)
                    width = max(width, column)
                    _check_size(name, len(rows), number, column)
                    if formula and not (value is not None and (value.text or cell.get("t") == "str")):
                        formulas.setdefault(number, {})[column - 1] = "missing"
                    elif formula and recalculate:
                        formulas.setdefault(number, {})[column - 1] = "recalculate"
            if stack:
                stack[-1].remove(element)  # keep nothing that was read: memory stays flat
    except ElementTree.ParseError as exc:
        raise CuijiaoError(f"{damaged}：XML 第 {exc.position[0]} 行有错）。请用 Excel/WPS 打开后另存为 .xlsx 再导入") from None
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise CuijiaoError(f"{name} 已损坏（解压工作表时出错，文件可能只复制了一部分）。请重新复制或另存这个文件") from None
    return SheetShape(frozenset(rows), width, formulas)


def _recalculates(archive: zipfile.ZipFile) -> bool:
    """Whether the workbook asks for every formula to be computed again on opening
    (``<calcPr fullCalcOnLoad="1">``); openpyxl reports True when the file does not say."""
    from openpyxl.xml.constants import XLSM, XLSX, XLTM, XLTX

    types = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    workbook = "xl/workbook.xml"  # where openpyxl looks when the content types do not say
    with archive.open("[Content_Types].xml") as stream:
        for _, element in ElementTree.iterparse(stream):
            if element.tag == types + "Override" and element.get("ContentType") in (XLSX, XLSM, XLTX, XLTM):
                workbook = element.get("PartName", "").lstrip("/")
                break
    with archive.open(workbook) as stream:
        for _, element in ElementTree.iterparse(stream):
            if element.tag == _MAIN + "calcPr":
                return element.get("fullCalcOnLoad") in ("1", "true")
    return False


def _sheet_rows(name: str, archive: zipfile.ZipFile, book) -> list[Row]:
    if not book.worksheets:
        raise CuijiaoError(f"{name} 里没有工作表")
    sheet = book.worksheets[0]
    if sheet.sheet_state != "visible":
        raise CuijiaoError(f"{name} 的第一个工作表“{sheet.title}”是隐藏的：导入只读第一个工作表，会和你看到的不一样。"
                           "请在 Excel/WPS 里取消隐藏，或把要导入的工作表移到最前面")
    part = sheet._worksheet_path  # openpyxl gives the read-only sheet's zip part no public name
    try:
        recalculate = _recalculates(archive)
        with archive.open(part) as stream:
            shape = scan_sheet(name, stream, recalculate)
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise CuijiaoError(f"{name} 已损坏（读不出工作簿或第一个工作表）。请用 Excel/WPS 打开后另存为 .xlsx 再导入") from None
    if not shape.rows:
        return []
    sheet.reset_dimensions()  # the stored <dimension> may be stale or hostile: read what is there
    rows: list[Row] = []
    seen = 0
    try:
        lines = sheet.iter_rows(min_row=1, min_col=1, max_row=max(shape.rows), max_col=shape.width)
        for number, cells in enumerate(lines, start=1):  # one line per row number, the rows being in order
            if number not in shape.rows:
                continue
            seen += 1
            values = [cell.value for cell in cells]
            formulas = shape.formulas.get(number, {})
            if formulas or any(v not in (None, "") for v in values):
                rows.append(Row(number, values, [cell.number_format or "General" for cell in cells], formulas))
    except Exception as exc:  # a damaged part found only now
        raise CuijiaoError(f"无法读取 {name}：文件已损坏（{exc}）。请用 Excel/WPS 打开后另存为 .xlsx 再导入") from None
    if seen != len(shape.rows):
        raise CuijiaoError(f"无法完整读取 {name}：应有 {len(shape.rows)} 行内容，只读到 {seen} 行。请用 Excel/WPS 打开后另存为 .xlsx 再导入")
    return rows


def _norm(header) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(header or ""))).lower()
    return _HEADER_UNIT.sub("", text)


_LOOKUP = {_norm(name): key for key, names in COLUMNS.items() for name in names}


def find_header(rows: list[Row]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, field -> 0-based column), found by the unit column."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row.cells):
            key = _LOOKUP.get(_norm(cell))
            if key and key not in found:
                found[key] = col
        if "unit" in found:
            return index, found
    return None


def accepted_names() -> str:
    """The table of column names, as the warnings and the guide show it: 房号（或 户号、门牌…）；…"""
    return "；".join(f"{names[0]}（也可写 {'、'.join(names[1:])}）" for names in COLUMNS.values())


def unused_columns(header_row: Row, cols: dict[str, int]) -> list[tuple[int, str]]:
    """(0-based column, header) of every named column the import does not read: unknown, or a second
    column for a field (only the first is read)."""
    used = set(cols.values())
    return [(col, _text(cell)) for col, cell in enumerate(header_row.cells)
            if col not in used and _text(cell)]


# -- converting cells ------------------------------------------------------------------------

class CellError(ValueError):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_empty(value) -> bool:
    """A blank cell, or one of the marks sheets use for nothing: 无, -, /, —."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    return unicodedata.normalize("NFKC", value).strip().lower() in EMPTY_MARKERS | {""}


def cell_phones(value, number_format: str = "General") -> list[str]:
    """The phone numbers of a cell, each as digits only: ``138 0013 8000`` is ``13800138000``;
    several numbers are separated by 、 , ; / or a line break (or spaces between whole numbers)."""
    if is_empty(value):
        return []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"电话“{value}”不是整数", "把这一列设为“文本”格式后重新输入")
        digits = str(int(value))
        if _ZERO_FORMAT.fullmatch(number_format or "") and len(number_format) > len(digits):
            digits = digits.zfill(len(number_format))  # a "00000000000" format shows the leading zero
        return [digits]
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):
        raise CellError(f"电话“{text}”被表格软件改成了科学计数法，号码已经丢失", "把这一列设为“文本”格式后重新输入号码")
    phones: list[str] = []
    for piece in _LIST_SEPARATORS.split(text):
        words = piece.split()
        if len(words) > 1 and all(len(_PHONE_JUNK.sub("", w)) >= 7 for w in words):
            parts = words  # "13800000001 13900000002": two whole numbers
        else:
            parts = [piece]
        for part in parts:
            digits = _PHONE_JUNK.sub("", part)
            if digits.endswith(".0") and digits[:-2].isdigit():
                digits = digits[:-2]
            digits = digits.removeprefix("+86")
            if not digits:
                continue
            if not digits.isdigit():
                raise CellError(f"电话“{_text(value)}”里有数字以外的字", "只写号码；几个号码之间用“、”隔开，例如 13800000000、13900000000")
            phones.append(digits)
    return phones


def cell_phone(value, number_format: str = "General") -> str:
    """The cell's phone numbers as one text, ``13800000000、13900000000`` for two."""
    return "、".join(cell_phones(value, number_format))


def cell_names(value) -> list[str]:
    """The owners of a cell: ``刘伟、刘芳`` (or 刘伟,刘芳 / 刘伟；刘芳) are two."""
    if is_empty(value):
        return []
    text = _text(value)
    return [name.strip() for name in re.split(r"[、,，;；/／\n]+", text) if name.strip()]


def _strip_units(text: str, units: tuple[str, ...]) -> str:
    lowered = text.lower()
    for prefix in _CURRENCY if units is _MONEY_UNITS else ():
        if lowered.startswith(prefix):
            text, lowered = text[len(prefix):].strip(), lowered[len(prefix):].strip()
    for unit in units:
        if lowered.endswith(unit):
            return text[: len(text) - len(unit)].strip()
    return text


def cell_decimal(value, what: str, places: int = 2, units: tuple[str, ...] = _MONEY_UNITS) -> Decimal | None:
    """A number from a cell as Decimal, never through arithmetic on floats: ``￥860.25``, ``96.5㎡``,
    ``1,500.00 元`` and full-width ``１，５００．００`` are numbers; 无, - and / are no value."""
    if is_empty(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"{what}“{value}”不是数字")
    if isinstance(value, (int, float)):
        number = Decimal(repr(value))  # the shortest text that gives this float back
    else:
        text = _strip_units(unicodedata.normalize("NFKC", str(value)).strip(), units).replace(",", "").strip()
        if not _NUMBER.fullmatch(text):
            example = "96.50" if units is _AREA_UNITS else "1200.50"
            raise CellError(f"{what}“{value}”不是有效数字", f"只写数字，例如 {example}")
        number = Decimal(text)
    if number < 0:
        raise CellError(f"{what}“{value}”不能为负数", "预缴（多交）的钱不在这里导入")
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum)
    if abs(rounded - number) > Decimal("0.000001"):  # more than float noise from a formula
        raise CellError(f"{what}“{value}”超过 {places} 位小数", "在表格里先四舍五入到分")
    return rounded


def cell_area(value) -> Decimal | None:
    return cell_decimal(value, "面积", units=_AREA_UNITS)


def cell_date(value, what: str) -> date | None:
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise CellError(f"{what}“{_text(value)}”是数字而不是日期", "把这一列设为“日期”格式，或写成 2023-07-20")
    match = _DATE_TEXT.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        raise CellError(f"{what}“{value}”不是有效日期", "写成 2023-07-20")
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(f"{what}“{value}”这一天不存在", "检查月份和日子") from None


def unit_key(unit: str) -> str:
    """What two ids that name the same unit have in common: ``Ｓ-０３``, ``s-03`` and ``S-03`` alike."""
    return unicodedata.normalize("NFKC", unit).casefold()


def _shown(text: str) -> str:
    """``text`` with invisible and control characters written as U+XXXX."""
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)


def cell_unit(value) -> str:
    """The unit id of a cell, NFKC-normalised (full-width ``Ｓ-０３`` is ``S-03``); a look-alike letter is refused."""
    if isinstance(value, (datetime, date)):
        raise CellError(f"房号被表格软件当成了日期（{value:%Y-%m-%d}）", "把房号这一列设为“文本”格式后重新输入")
    written = _text(value)
    if not written:
        raise CellError("缺少房号")
    unit = unicodedata.normalize("NFKC", written).strip()
    odd = odd_char(unit)  # after NFKC: the look-alikes it cannot map (Cyrillic, Greek, invisible ones)
    if odd is not None:
        raise CellError(f"房号“{_shown(written)}”里有{odd}：房号只能用英文字母、数字、汉字和“-”",
                        "和字母、数字长得像的其他字符会被当成另一户；请用英文输入法重新输入这个房号，例如 3-2-1802")
    if not UNIT_ID.fullmatch(unit):
        raise CellError(f"房号“{unit}”的“-”只能写在两段之间", "例如 3-2-1802")
    if len(unit) > MAX_UNIT_CHARS:
        raise CellError(f"房号“{unit[:MAX_UNIT_CHARS]}…”太长（{len(unit)} 个字，上限 {MAX_UNIT_CHARS}）", "例如 3-2-1802")
    return unit


def cell_occupancy(value) -> str:
    text = _text(value)
    if not text:
        return ""
    by_word = {w: k for k, w in labels.OCCUPANCY.items()}
    result = by_word.get(text, text)
    if result not in OCCUPANCIES:
        raise CellError(f"居住状态“{text}”不认识", "可写：自住、出租、空置")
    return result


# -- rows -> owner files ------------------------------------------------------------------------

def _format(row: Row, col: int) -> str:
    return row.formats[col] if col < len(row.formats) else "General"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def draft_rows(root: Path, source: Path, rows: list[Row], update: bool = False) -> ImportResult:
    name = source.name
    header = find_header(rows)
    if header is None:
        return ImportResult([], [error(Pos(name, 1, 1), "找不到表头：前几行里没有“房号”一列",
                                       "第一行写列名：房号、业主、电话、面积、类型、计费开始、欠费（或 缴至）")])
    header_index, cols = header
    header_row = rows[header_index]
    problems: list[Diagnostic] = []
    period_cols = {col: found for col, cell in enumerate(header_row.cells)
                   if col not in cols.values() and (found := header_period(cell)) is not None}
    unused = [(col, header) for col, header in unused_columns(header_row, cols) if col not in period_cols]
    if unused:
        listed = "、".join(f"第 {_column_letter(col)} 列“{header}”" for col, header in unused)
        problems.append(warning(Pos(name, header_row.number, unused[0][0] + 1),
                                f"这些列的列名不认识，没有导入：{listed}",
                                f"要导入就把列名改成下面的一个（同一项有两列时只读第一列）：{accepted_names()}"))
    missing = [k for k in REQUIRED if k not in cols]
    if "billing_start" not in cols and "paid_through" not in cols:
        missing.append("billing_start")
    if missing:
        words = "、".join(f"{COLUMNS[k][0]}（也可写 {'、'.join(COLUMNS[k][1:])}）" for k in missing)
        problems.append(error(Pos(name, header_row.number, 1), f"表头缺少这些列：{words}",
                              "计费开始 和 已缴至 写其中一列即可"))
        return ImportResult([], sorted_diagnostics(problems))
    drafts: list[Draft] = []
    stated: tuple[int, Decimal | None] | None = None  # the sheet's 合计 row: its number and arrears
    seen: dict[str, tuple[int, str]] = {}  # unit_key -> the first row with it and the id as written there
    existing = existing_owner_files(root)
    policy = read_policy(root)

    def at(row: Row, key: str) -> Pos:
        return Pos(name, row.number, cols.get(key, cols["unit"]) + 1)

    def column_word(key: str) -> str:
        return _column_header(header_row, cols.get(key, cols["unit"]))

    for row in rows[header_index + 1:]:
        def get(key: str):
            col = cols.get(key)
            if col is None or col >= len(row.cells):
                return None
            if col in row.formulas:
                raise CellError(_FORMULA_PROBLEMS[row.formulas[col]].format(cell=f"{_column_letter(col)}{row.number}"),
                                "用 Excel 或 WPS 打开这个文件并保存一次，公式就有了结果，再导入；或把这一列“选择性粘贴”为数值")
            value = row.cells[col]
            return None if is_empty(value) else value

        first = next((cell for cell in row.cells if not is_empty(cell)), None)
        if _norm(first) in TOTAL_WORDS:  # the sheet's own total: not a unit, compared with the rows' sum
            try:
                stated = (row.number, cell_decimal(get("arrears"), "欠费") if "arrears" in cols else None)
            except CellError as exc:
                problems.append(error(at(row, "arrears"), f"{column_word('arrears')}：{exc}", exc.hint))
            continue
        values: dict[str, object] = {}
        bad = False
        converters = {
            "unit": lambda v: cell_unit(v),
            "owner": cell_names,
            "phone": lambda v: cell_phones(v, _format(row, cols["phone"])),
            "address": lambda v: _text(v),
            "area": cell_area,
            "type": lambda v: _text(v),
            "occupancy": cell_occupancy,
            "billing_start": lambda v: cell_date(v, "计费开始日"),
            "arrears": lambda v: cell_decimal(v, "欠费"),
            "paid_through": lambda v: cell_date(v, "已缴至日期"),
            "note": lambda v: _text(v),
        }
        for key in cols:
            try:
                values[key] = converters[key](get(key))
            except CellError as exc:
                problems.append(error(at(row, key), f"{column_word(key)}：{exc}", exc.hint))
                bad = True
        values["periods"] = []
        for col, (first, last, label) in period_cols.items():
            try:
                amount = cell_decimal(None if col >= len(row.cells) or is_empty(row.cells[col]) else row.cells[col], "欠费")
            except CellError as exc:
                problems.append(error(Pos(name, row.number, col + 1), f"{_column_header(header_row, col)}：{exc}", exc.hint))
                bad = True
                continue
            if amount:
                values["periods"].append((label, first, last, amount))
        if bad:
            continue
        unit = values["unit"]
        written = _text(get("unit"))
        if unit != written:
            problems.append(warning(at(row, "unit"), f"{column_word('unit')}：房号“{written}”按标准写法导入为“{unit}”",
                                    "全角字母、数字和“－”换成了半角"))
        for key in ("owner", "type"):
            if not values.get(key):
                problems.append(error(at(row, key), f"{column_word(key)}：{unit} 缺少{COLUMNS[key][0]}"))
                bad = True
        if len(values.get("phone") or ()) > max(len(values.get("owner") or ()), 1):
            problems.append(warning(at(row, "phone"), f"{column_word('phone')}：{unit} 的电话比业主多，多出的号码记在最后一位业主名下"))
        start, through = values.get("billing_start"), values.get("paid_through")
        if through and start and start > through + timedelta(days=1) and values.get("arrears") and policy is None:
            problems.append(error(at(row, "arrears"), f"{column_word('arrears')}：ledger/policy.yaml 有错或不存在，"
                                  "无法按收费周期拆分欠费", "先运行 cuijiao check 改正 policy.yaml，再导入"))
            bad = True
        elif through and not (start and start > through + timedelta(days=1)):
            start = through + timedelta(days=1)  # the fee bills after the paid-through date: no opening
        elif not start:
            key = "billing_start" if "billing_start" in cols else "paid_through"
            problems.append(error(at(row, key), f"{column_word(key)}：{unit} 缺少计费开始日（或缴至日期）"))
            bad = True
        first = seen.get(unit_key(unit))
        if first is not None and first[1] == written:
            problems.append(error(at(row, "unit"), f"{column_word('unit')}：房号 {unit} 重复，已在第 {first[0]} 行出现"))
            bad = True
        elif first is not None:
            problems.append(error(at(row, "unit"), f"{column_word('unit')}：房号“{written}”与第 {first[0]} 行的“{first[1]}”"
                                  "是同一户（只差全角半角或大小写），重复", "同一户只写一行；房号统一用半角字母和数字"))
            bad = True
        seen.setdefault(unit_key(unit), (row.number, written))
        if bad:
            continue
        if "arrears" in cols and values.get("arrears") is None:
            values["arrears"] = Decimal("0.00")  # an empty cell (or 无, -) in the arrears column: owes nothing
        elif "arrears" not in cols and period_cols:
            values["arrears"] = sum((amount for *_, amount in values["periods"]), Decimal("0.00"))
        try:
            opening, notes = opening_items(values, start, policy)
        except CellError as exc:
            col = next(c for c, found in period_cols.items() if f"“{found[2]}”" in str(exc))
            problems.append(error(Pos(name, row.number, col + 1), f"{_column_header(header_row, col)}：{unit} {exc}", exc.hint))
            continue
        note_col = cols.get("arrears", next(iter(period_cols), cols["unit"]))
        for note in notes:
            problems.append(warning(Pos(name, row.number, note_col + 1), f"{_column_header(header_row, note_col)}：{unit} {note}"))
        draft = _draft(root, name, row.number, unit, values, start, cols, existing.get(unit_key(unit)), opening)
        if update and draft.skipped:
            try:
                draft = updated(root, draft, values, {"arrears": next(iter(period_cols))} | cols if period_cols else cols)
            except CuijiaoError as exc:
                problems.append(error(at(row, "unit"), f"{column_word('unit')}：{exc}"))
                continue
        draft.arrears = values.get("arrears")
        draft.undated = bool(opening) and opening[0].get("period") == UNDATED_PERIOD
        drafts.append(draft)
    if stated is not None and stated[1] is not None:
        counted = sum((d.arrears or Decimal("0.00") for d in drafts), Decimal("0.00"))
        if counted != stated[1]:
            problems.append(warning(at(Row(stated[0], []), "arrears"),
                                    f"{column_word('arrears')}：“合计”一行的欠费 {fmt(stated[1])} 元，与各户相加的 "
                                    f"{fmt(counted)} 元相差 {fmt(stated[1] - counted)} 元（合计行不导入）",
                                    "检查合计的公式是否包括了每一行；有错误的行改正后再比较"))
    undated = [d for d in drafts if d.undated and not d.skipped]
    if undated:
        rows_text = "、".join(f"第 {d.row} 行" for d in undated[:10]) + (f" 等 {len(undated)} 行" if len(undated) > 10 else "")
        problems.append(warning(Pos(name, undated[0].row, cols["arrears"] + 1),
                                f"{len(undated)} 户的欠费只有合计、没有所属期间（{rows_text}）：每户记为一笔“{UNDATED_PERIOD}”的期初欠费，"
                                "到期日按计费开始日的前一天记，账龄和诉讼时效从这一天算，实际的欠费可能早得多",
                                "在表格里加一列“已缴至”（缴费截止日期），欠费就按收费周期拆成一期一期，各有到期日"))
    for draft in drafts:
        if draft.skipped:
            same = "" if draft.existing == draft.edit.path else f"（与房号 {draft.unit} 只差全角半角或大小写，是同一户）"
            problems.append(warning(Pos(name, draft.row, cols["unit"] + 1),
                                    f"{draft.existing} 已存在{same}，这一行跳过，导入不会覆盖已有的房屋文件",
                                    "要用表格更新已有的房屋文件（保留催收记录），加 --update；也可以直接编辑那个文件"))
    return ImportResult(drafts, sorted_diagnostics(problems))


_FORMULA_PROBLEMS = {
    "missing": "单元格 {cell} 是公式，但文件里没有保存它的计算结果，不能当作空白",
    "recalculate": "单元格 {cell} 是公式，而这个文件要求打开时重新计算全部公式，里面保存的结果不可信",
}


def _column_header(header_row: Row, col: int) -> str:
    return f"第 {_column_letter(col)} 列“{_text(header_row.cells[col])}”"


def existing_owner_files(root: Path) -> dict[str, str]:
    """unit_key -> the owner file already there (``owners/S-03.yaml``), so that ``s-03`` is not a second unit."""
    try:
        names = sorted(entry.name for entry in os.scandir(root / "owners"))
    except OSError:  # no owners/ yet, or not a folder: pipeline.check says so
        return {}
    return {unit_key(n.removesuffix(".yaml")): f"owners/{n}" for n in reversed(names) if n.endswith(".yaml")}


def one_line(text: str) -> str:
    """``text`` fit for one YAML comment line: line breaks and control characters become spaces."""
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text).split())


def owners_list(names: list[str], phones: list[str], address: str) -> CommentedSeq:
    """One flow mapping per owner; the n-th phone goes with the n-th owner, extra phones with the last."""
    owners = CommentedSeq()
    for index, name in enumerate(names):
        owner = CommentedMap(name=name)
        mine = phones[index:index + 1] if index < len(names) - 1 else phones[index:]
        if mine:
            owner["phone"] = DoubleQuotedScalarString("、".join(mine))  # text, whatever it looks like
        if address:
            owner["address"] = address
        owner.fa.set_flow_style()
        owners.append(owner)
    return owners


UNDATED_PERIOD = "导入时的累计欠费（未分期）"


def _months(first: date, last: date) -> Fraction:
    """Rule 1's month count of the span [first, last]: each month's days in it over the month's days."""
    months, day = Fraction(0), first
    while day <= last:
        dim = days_in_month(day.year, day.month)
        end = min(date(day.year, day.month, dim), last)
        months += Fraction((end - day).days + 1, dim)
        day = end + timedelta(days=1)
    return months


def _fee_in_force(fees, fee_id: str, day: date):
    versions = [f for f in fees if f.id == fee_id]
    for fee in versions:
        if (fee.valid_from is None or fee.valid_from <= day) and (fee.valid_until is None or day <= fee.valid_until):
            return fee
    return min(versions, key=lambda f: f.valid_from or date.min)  # before the policy's first version: its rate


def billing_periods(policy, values: dict, first: date, last: date) -> list[tuple[date, date, date, Decimal]]:
    """(start, end, due, the policy's fees for it) of each billing period of [first, last], oldest first:
    calendar-aligned cycles of the policy's first fee, cut at ``first`` and ``last``; due on the fee's
    due day (not before ``first``), as rule 1 bills them."""
    lead = policy.fees[0]
    periods = []
    cycle_month = month_index(first) - month_index(first) % lead.cycle
    while month_start(cycle_month) <= last:
        cycle_start = month_start(cycle_month)
        cycle_end = month_start(cycle_month + lead.cycle) - timedelta(days=1)
        a, b = max(cycle_start, first), min(cycle_end, last)
        amount = Decimal("0.00")
        for fee_id in dict.fromkeys(f.id for f in policy.fees):
            fee = _fee_in_force(policy.fees, fee_id, cycle_start)
            rate = fee.rate_for(values["type"]) or 0
            base = Fraction(rate) * (Fraction(values.get("area") or 0) if fee.basis == "area" else 1)
            if values.get("occupancy") == "vacant":
                base *= Fraction(fee.vacant_factor)
            amount += round_cents(base * _months(a, b))
        periods.append((a, b, max(date(cycle_start.year, cycle_start.month, lead.due_day), a), amount))
        cycle_month += lead.cycle
    return periods


def opening_items(values: dict, start: date, policy) -> tuple[list[CommentedMap], list[str]]:
    """The opening items of a row's arrears, and notes for the treasurer.

    - per-period columns (2025年欠费, 2026年上半年欠费): each amount split by the policy's billing periods
      within its period (``split``);
    - with a paid-through date the fees after it are billed from billing_start (the day after): no item;
    - with a paid-through date and a later billing start, the arrears between them are ``split``;
    - with a total only, one item due the day before billing start, marked as undated.
    """
    arrears, through = values.get("arrears"), values.get("paid_through")
    if values.get("periods"):
        items: list[CommentedMap] = []
        notes: list[str] = []
        for label, first, last, amount in values["periods"]:
            if last >= start:
                raise CellError(f"“{label}”的欠费在计费开始日 {start} 之后还有期间，会和按收费标准出的账单重复",
                                "这一列只写计费开始以前的欠费；或把计费开始（已缴至）改到这段期间之后")
            more, said = split(amount, first, last, policy, values, f"“{label}”")
            items += more
            notes += said
        return items, notes
    if not arrears:
        return [], []
    if through is None:
        return [_item(arrears, start - timedelta(days=1), UNDATED_PERIOD, flow=False)], []
    if start <= through + timedelta(days=1):
        return [], []
    return split(arrears, through + timedelta(days=1), start - timedelta(days=1), policy, values, "已缴至之后到计费开始前")


def _item(amount: Decimal, due: date, period: str, flow: bool = True) -> CommentedMap:
    item = CommentedMap(amount=money_text(amount), due=due, period=period)
    if flow:
        item.fa.set_flow_style()
    return item


def split(arrears: Decimal, first: date, last: date, policy, values: dict, span: str) -> tuple[list[CommentedMap], list[str]]:
    """``arrears`` owed for [first, last] as opening items by the policy's billing periods: the latest
    period takes its fee, then the one before, until the arrears are used up; what is left when
    ``first`` is reached goes to the oldest. Notes say where the arrears are not the fees."""
    periods = billing_periods(policy, values, first, last) if policy is not None and policy.fees else []
    if not any(amount for *_, amount in periods):  # no fee for this unit's type: no way to split
        return [_item(arrears, last, f"{first}至{last}")], [f"{span}的欠费无法按收费周期拆分（收费标准里没有这类房屋的费率），记为一笔，{last} 到期"]
    left, taken = arrears, []
    for a, b, due, amount in reversed(periods):
        if left <= 0:
            break
        part = min(left, amount) if (a, b, due, amount) != periods[0] else left
        if part > 0:
            taken.append((a, b, due, part))
        left -= part
    notes = []
    owed = sum((amount for *_, amount in periods), Decimal("0.00"))
    if arrears > owed:
        notes.append(f"的欠费 {fmt(arrears)} 元比{span}按收费标准应收的 {fmt(owed)} 元多 "
                     f"{fmt(arrears - owed)} 元，多出的部分记在最早的一期")
    elif arrears < owed:
        notes.append(f"的欠费 {fmt(arrears)} 元比{span}按收费标准应收的 {fmt(owed)} 元少 "
                     f"{fmt(owed - arrears)} 元：按从近到远拆分，较早的几期视为已缴")
    items = [_item(part, due, period_label(month_index(a), month_index(b))) for a, b, due, part in reversed(taken)]
    return items, notes


_PERIOD_HEADER = re.compile(
    r"(?:欠费|欠款)?[(]?(\d{4})\s*年?(?:度)?"
    r"(?:(上半年|下半年)|第?([1-4一二三四])季度|q([1-4])|(\d{1,2})\s*(?:月)?\s*[-~至到]\s*(\d{1,2})\s*月|(\d{1,2})\s*月)?"
    r"(?:份)?[)]?(?:欠费|欠款)?(?:金额)?")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}


def header_period(header) -> tuple[date, date, str] | None:
    """(first day, last day, label) of a per-period arrears column: 2025年欠费, 2026年上半年欠费,
    欠费（2025年第3季度）, 2025年7-9月欠费, 2025年7月欠费; None for any other header."""
    text = _norm(header)
    if "欠" not in text:
        return None
    match = _PERIOD_HEADER.fullmatch(text)
    if not match:
        return None
    year = int(match[1])
    half, quarter, q, since, until, month = match[2], match[3], match[4], match[5], match[6], match[7]
    if half:
        months = (1, 6) if half == "上半年" else (7, 12)
        label = f"{year}年{half}"
    elif quarter or q:
        number = int(q) if q else _QUARTERS.get(quarter) or int(quarter)
        months = (3 * number - 2, 3 * number)
        label = f"{year}年第{number}季度"
    elif since:
        months = (int(since), int(until))
        label = f"{year}年{months[0]}-{months[1]}月"
    elif month:
        months = (int(month), int(month))
        label = f"{year}年{months[0]}月"
    else:
        months, label = (1, 12), f"{year}年"
    if not 1 <= months[0] <= months[1] <= 12:
        return None
    return date(year, months[0], 1), date(year, months[1], days_in_month(year, months[1])), label


def _draft(root: Path, source_name: str, row: int, unit: str, values: dict, start: date, cols: dict[str, int],
           existing: str | None = None, opening: list[CommentedMap] | None = None) -> Draft:
    data = CommentedMap()
    columns: dict[str, int] = {}

    def put(key: str, value, column: str) -> None:
        data[key] = value
        columns[key] = cols.get(column, cols["unit"]) + 1

    put("unit", unit, "unit")
    put("type", values["type"], "type")
    if values.get("area") is not None:
        put("area", money_text(values["area"]), "area")
    put("billing_start", start, "billing_start" if "billing_start" in cols else "paid_through")
    if values.get("occupancy"):
        put("occupancy", values["occupancy"], "occupancy")
    put("owners", owners_list(values["owner"], values.get("phone") or [], values.get("address") or ""), "owner")
    if opening:
        put("opening", opening[0] if len(opening) == 1 else CommentedSeq(opening), "arrears")
    path = f"owners/{unit}.yaml"
    header = ""
    if (root / "schemas" / "owner.schema.json").is_file():
        header += "# yaml-language-server: $schema=../schemas/owner.schema.json\n"
    header += f"# 由 cuijiao import 从 {one_line(source_name)} 第 {row} 行导入\n"
    if values.get("note"):
        header += f"# 备注（表格里的）：{one_line(values['note'])}\n"
    text = header + dump(yaml_for(""), data)
    if existing is None and (root / path).exists():
        existing = path
    return Draft(unit, row, columns, Edit(path, text, created=True), skipped=existing is not None, existing=existing)


# the keys an update takes from the sheet, by the column they come from (None: always)
_SHEET_KEYS = {"type": None, "billing_start": None, "owners": None, "area": "area", "occupancy": "occupancy",
               "opening": "arrears"}


def updated(root: Path, draft: Draft, values: dict, cols: dict[str, int]) -> Draft:
    """``draft`` as an update of the owner file already there: the keys the sheet has columns for take the
    sheet's values; every other key (contacts, tags, tenant, consents…) and the comments stay as they are.
    An owner of the same name keeps the phone and address the sheet has no column for."""
    path = draft.existing
    old_text = read_text(root, path)
    if old_text is None:
        raise CuijiaoError(f"{path} 在检查时还在，现在不见了；请重新运行导入")
    yaml = yaml_for(old_text)
    try:
        data = yaml.load(old_text)
    except YAMLError:
        data = None
    if not isinstance(data, CommentedMap):
        raise CuijiaoError(f"无法读取 {path}，不能更新它：请先运行 cuijiao check 改正这个文件")
    new = yaml_for("").load(draft.edit.text)
    old_owners = {o.get("name"): o for o in data.get("owners") or () if isinstance(o, CommentedMap)}
    for owner in new["owners"]:
        before = old_owners.get(owner["name"], {})
        for key, column in (("phone", "phone"), ("address", "address")):
            if column not in cols and key in before:
                owner[key] = before[key]
    for key, column in _SHEET_KEYS.items():
        if column is not None and column not in cols:
            continue
        if key in new:
            data[key] = new[key]
        elif key in data:
            del data[key]
    text = dump(yaml, data)
    kept = yaml_for("").load(text)
    if any(kept.get(k) != v for k, v in yaml_for("").load(old_text).items() if k not in _SHEET_KEYS):
        raise CuijiaoError(f"更新 {path} 时会改动表格以外的内容，已停止（请把这个文件报告给维护者）")
    unit = path.removeprefix("owners/").removesuffix(".yaml")
    return Draft(unit, draft.row, draft.columns, Edit(path, text, created=False), arrears=draft.arrears,
                 undated=draft.undated, old_text=old_text)


# -- validation, mapped back to the spreadsheet ------------------------------------------------

def _key_spans(node, top: str | None = None, spans=None) -> list[tuple[tuple[int, int], tuple[int, int], str, str]]:
    """(start, end, top-level key, key) of every key/value pair, with 1-based line and column."""
    spans = [] if spans is None else spans
    if type(node) is MappingNode:
        for key_node, value_node in node.value:
            start, end = key_node.start_mark, value_node.end_mark
            spans.append(((start.line + 1, start.column + 1), (end.line + 1, end.column + 1), top or key_node.value, key_node.value))
            _key_spans(value_node, top or key_node.value, spans)
    elif type(node) is SequenceNode:
        for child in node.value:
            _key_spans(child, top, spans)
    return spans


_FIELD_WORDS = {"房屋类型": "type", "建筑面积": "area", "面积": "area"}


def locate(draft: Draft, problem: Diagnostic, source_name: str, cols: dict[str, int]) -> Diagnostic:
    """A diagnostic in a generated owner file, moved to the row and column its value came from."""
    source, _ = compose(draft.edit.path, draft.edit.text.encode("utf-8"))
    here = (problem.pos.line, problem.pos.col)
    inside = [s for s in _key_spans(source.node) if s[0] <= here <= s[1]]
    column = cols["unit"] + 1
    if inside:
        _, _, top, key = inside[-1]  # the innermost pair holding the position
        if top == "owners" and key in ("phone", "address"):
            column = cols[key] + 1
        elif top == "opening" and key == "due":
            column = draft.columns["billing_start"]
        elif top == "unit":  # the whole unit: the validator names the field in its message
            field_name = next((k for word, k in _FIELD_WORDS.items() if word in problem.message), "unit")
            column = cols.get(field_name, cols["unit"]) + 1
        else:
            column = draft.columns.get(top, column)
    message = problem.message if draft.unit in problem.message else f"{draft.unit}：{problem.message}"
    return Diagnostic(Pos(source_name, draft.row, column), problem.severity, message, problem.hint)


def plan_import(root: Path, source: Path, as_of: date, today: date, use_cache: bool = True,
                accept_differences: bool = False, update: bool = False) -> ImportResult:
    """What the import would write, and every problem: the rows' own, the validator's on the good rows,
    and each household whose arrears the rules compute differently from the sheet (an error unless
    ``accept_differences``)."""
    rows = read_rows(source)
    result = draft_rows(root, source, rows, update)
    header = find_header(rows)
    if header is None or not result.drafts:
        return result
    index, cols = header
    counted_on = sheet_date(rows[:index])
    if counted_on is not None and counted_on[1] != as_of:
        row, day = counted_on
        result.problems.append(warning(Pos(source.name, row, 1), f"表格标题说欠费是截至 {day} 的，核对却按 {as_of} 计算",
                                       f"用 cuijiao --as-of {day} import … 按表格的日子核对"))
    new = [d for d in result.drafts if not d.skipped]
    try:
        checked = check_with(root, [d.edit for d in new], as_of, today, use_cache)
    except OSError as exc:  # reading the community to check the new files with it
        raise CuijiaoError(f"无法读取 {exc.filename or '小区文件夹'}：{os_reason(exc)}；没有写入任何文件") from None
    by_path = {d.edit.path: d for d in new}
    problems = list(result.problems)
    for problem in checked.problems:
        draft = by_path.get(problem.pos.path)
        problems.append(locate(draft, problem, source.name, cols) if draft is not None else problem)
    result.checked = checked
    if not checked.errors and not any(p.severity == "error" for p in problems):
        result.reconciled = reconcile(checked, new, as_of)
        problems.extend(differences(result.reconciled, source.name, cols, as_of, accept_differences))
    result.problems = sorted_diagnostics(problems)
    return result


def sheet_date(rows: list[Row]) -> tuple[int, date] | None:
    """(row, day) of a title like 欠费明细（截至2026年11月22日） above the header."""
    for row in rows:
        for cell in row.cells:
            match = SHEET_DATE.search(unicodedata.normalize("NFKC", _text(cell)))
            if match:
                try:
                    day = cell_date(match[1].replace(" ", ""), "")
                except CellError:
                    continue
                if day is not None:
                    return row.number, day
    return None


def reconcile(checked: pipeline.Checked, drafts: list[Draft], as_of: date) -> list[Reconciled]:
    """Each drafted household's arrears by the sheet and by the rules (the real engine over the checked data)."""
    desk = pipeline.desk_for(checked, as_of)
    states = {state.unit.id: state for state in desk.units}
    out = []
    for draft in drafts:
        state = states[draft.unit]
        out.append(Reconciled(draft.row, draft.unit, draft.arrears, state.outstanding, state.not_due))
    return out


def differences(reconciled: list[Reconciled], source_name: str, cols: dict[str, int], as_of: date,
                accept: bool) -> list[Diagnostic]:
    """A diagnostic at the arrears cell of every household the rules compute differently from the sheet."""
    out = []
    column = cols.get("arrears", cols["unit"]) + 1
    for r in reconciled:
        if r.agrees:
            continue
        computed = f"按规则算到 {as_of} 欠费 {fmt(r.outstanding)} 元" + (f"（另有未到期 {fmt(r.not_due)} 元）" if r.not_due else "")
        message = f"{r.unit}：表格里的欠费 {fmt(r.sheet)} 元，{computed}，相差 {fmt(r.outstanding - r.sheet)} 元"
        if accept:
            out.append(warning(Pos(source_name, r.row, column), message + "；已按 --accept-differences 以计算结果为准"))
        else:
            out.append(error(Pos(source_name, r.row, column), message, DIFFERENCE_HINT))
    return out


DIFFERENCE_HINT = ("先确认表格的欠费是算到哪一天的，用 --as-of 指定那一天；再核对这一户的面积、类型、已缴至和收费标准。"
                   "确认以计算结果为准时加 --accept-differences")


def write_drafts(root: Path, drafts: list[Draft]) -> None:
    """Write the new and updated owner files, all or none: when one cannot be written, the new ones
    already written are removed again and the updated ones get their old text back."""
    drafts = [d for d in drafts if d.edit.text != d.old_text]
    done: list[Draft] = []
    try:
        for draft in drafts:
            write(root, [draft.edit])
            done.append(draft)
    except (OSError, CuijiaoError) as exc:
        left = []
        for draft in done:
            try:
                if draft.old_text is None:
                    (root / draft.edit.path).unlink(missing_ok=True)
                else:
                    write(root, [Edit(draft.edit.path, draft.old_text, created=False)])
            except (OSError, CuijiaoError):
                left.append(draft.edit.path)
        failed = drafts[len(done)].edit.path
        first = f"无法写入 {failed}：{os_reason(exc)}" if isinstance(exc, OSError) else str(exc).rstrip("。")
        if left:
            raise CuijiaoError(f"{first}。本次导入先写入的 {'、'.join(left)} 无法撤回，请用 git 恢复或手工删除") from None
        if not done:
            raise CuijiaoError(f"{first}。") from None
        raise CuijiaoError(f"{first}。已撤回本次导入先写入的 {len(done)} 个文件，owners/ 与导入前相同") from None
