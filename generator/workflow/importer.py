"""Import the committee's existing spreadsheet (.xlsx or .csv) into owners/<unit>.yaml.

One row per unit. Columns are found by their header (Chinese or English,
see ``COLUMNS``); the header may sit below a title row. The rules, kept
simple on purpose and described in the user guide:

- ``欠费`` (arrears) becomes ``opening``: one charge of that amount, due the
  day before ``计费开始`` (billing_start). Set billing_start to the day after
  the date the spreadsheet's arrears were counted up to, so nothing is
  counted twice.
- ``缴至`` (paid_through) sets billing_start to the day after it.
- Phones stay text: Excel numbers (13800000000.0) lose the ``.0``, a
  zero-padded number format gets its zeros back, scientific notation is an
  error.

Every file the import would write is checked, with the rest of the
community, through the same validation as ``cuijiao check``; problems are
reported as ``FILE:row:column: 错误: …（…）`` and then nothing is written.
An existing owner file is never overwritten: its row is skipped.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator import pipeline
from generator.core import labels
from generator.core.diagnostics import (
    Diagnostic,
    Pos,
    error,
    sorted_diagnostics,
    warning,
)
from generator.core.errors import CuijiaoError, UsageProblem
from generator.core.model import OCCUPANCIES
from generator.reading.fields import UNIT_ID
from generator.reading.yamlsource import MappingNode, SequenceNode, compose
from generator.workflow.edit import Edit, check_with, dump, money_text, yaml_for

# field -> accepted headers (compared without spaces, case-insensitive)
COLUMNS = {
    "unit": ("房号", "房屋", "房间号", "房屋编号", "unit"),
    "owner": ("业主", "业主姓名", "姓名", "owner", "name"),
    "phone": ("电话", "联系电话", "手机", "手机号", "phone"),
    "address": ("地址", "通讯地址", "address"),
    "area": ("面积", "建筑面积", "面积(㎡)", "面积（㎡）", "area"),
    "type": ("类型", "房屋类型", "type"),
    "occupancy": ("居住状态", "入住状态", "occupancy"),
    "billing_start": ("计费开始", "计费开始日", "起计日期", "billing_start"),
    "arrears": ("欠费", "欠费金额", "期初欠费", "arrears"),
    "paid_through": ("缴至", "已缴至", "缴费至", "paid_through"),
}
REQUIRED = ("unit", "owner", "type")
HEADER_SEARCH_ROWS = 10
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ZERO_FORMAT = re.compile(r"0+")


@dataclass
class Row:
    number: int  # the spreadsheet's row number (1-based, header included)
    cells: list  # raw values: str for CSV; str, int, float, datetime or None for .xlsx
    formats: list = field(default_factory=list)  # .xlsx number formats, parallel to cells


@dataclass
class Draft:
    """One owner file the import would write, and where its values came from."""

    unit: str
    row: int
    columns: dict[str, int]  # YAML key -> spreadsheet column (1-based)
    edit: Edit
    skipped: bool = False


@dataclass
class ImportResult:
    drafts: list[Draft]
    problems: list[Diagnostic]
    checked: pipeline.Checked | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "error"]


# -- reading the table ------------------------------------------------------------------

def read_rows(path: Path) -> list[Row]:
    """Every non-empty row of the first sheet (or of the CSV)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    raise UsageProblem(f"只能导入 .xlsx 或 .csv 文件：“{path.name}”（.xls 请先在 Excel/WPS 里另存为 .xlsx）")


def _xlsx_rows(path: Path) -> list[Row]:
    import openpyxl  # slow to import; only the import command needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise CuijiaoError(f"无法打开 {path.name}：{exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for cells in sheet.iter_rows():
            values = [c.value for c in cells]
            if any(v not in (None, "") for v in values):
                number = next((c.row for c in cells if getattr(c, "row", None)), len(rows) + 1)
                rows.append(Row(number, values, [getattr(c, "number_format", "General") for c in cells]))
        return rows
    finally:
        book.close()


def _csv_rows(path: Path) -> list[Row]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CuijiaoError(f"{path.name} 既不是 UTF-8 也不是 GBK 编码，请在表格软件里另存为“CSV UTF-8”")
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if any(c.strip() for c in cells):
            rows.append(Row(number, cells))
    return rows


def _norm(header) -> str:
    return re.sub(r"\s+", "", str(header or "")).lower()


def find_header(rows: list[Row]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, field -> 0-based column), found by the unit column."""
    lookup = {_norm(name): key for key, names in COLUMNS.items() for name in names}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row.cells):
            key = lookup.get(_norm(cell))
            if key and key not in found:
                found[key] = col
        if "unit" in found:
            return index, found
    return None


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


def cell_phone(value, number_format: str = "General") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"电话“{value}”不是整数", "把这一列设为“文本”格式后重新输入")
        digits = str(int(value))
        if _ZERO_FORMAT.fullmatch(number_format or "") and len(number_format) > len(digits):
            digits = digits.zfill(len(number_format))  # a "00000000000" format shows the leading zero
        return digits
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):
        raise CellError(f"电话“{text}”被表格软件改成了科学计数法，号码已经丢失", "把这一列设为“文本”格式后重新输入号码")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def cell_decimal(value, what: str, places: int = 2) -> Decimal | None:
    """A number from a cell as Decimal, never through arithmetic on floats."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"{what}“{value}”不是数字")
    if isinstance(value, (int, float)):
        number = Decimal(repr(value))  # the shortest text that gives this float back
    else:
        text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元").removeprefix("¥").strip()
        if not _NUMBER.fullmatch(text):
            raise CellError(f"{what}“{value}”不是有效数字", "只写数字，例如 1200.50，不要带单位")
        number = Decimal(text)
    if number < 0:
        raise CellError(f"{what}“{value}”不能为负数", "预缴（多交）的钱不在这里导入")
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum)
    if abs(rounded - number) > Decimal("0.000001"):  # more than float noise from a formula
        raise CellError(f"{what}“{value}”超过 {places} 位小数", "在表格里先四舍五入到分")
    return rounded


def cell_date(value, what: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise CellError(f"{what}“{_text(value)}”是数字而不是日期", "把这一列设为“日期”格式，或写成 2023-07-20")
    match = _DATE_TEXT.fullmatch(str(value).strip())
    if not match:
        raise CellError(f"{what}“{value}”不是有效日期", "写成 2023-07-20")
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(f"{what}“{value}”这一天不存在", "检查月份和日子") from None


def cell_unit(value) -> str:
    if isinstance(value, (datetime, date)):
        raise CellError(f"房号被表格软件当成了日期（{value:%Y-%m-%d}）", "把房号这一列设为“文本”格式后重新输入")
    unit = _text(value)
    if not unit:
        raise CellError("缺少房号")
    if not UNIT_ID.fullmatch(unit):
        raise CellError(f"房号“{unit}”只能包含字母、数字和“-”", "例如 3-2-1802")
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


def draft_rows(root: Path, source: Path, rows: list[Row]) -> ImportResult:
    name = source.name
    header = find_header(rows)
    if header is None:
        return ImportResult([], [error(Pos(name, 1, 1), "找不到表头：前几行里没有“房号”一列",
                                       "第一行写列名：房号、业主、电话、面积、类型、计费开始、欠费（或 缴至）")])
    header_index, cols = header
    header_row = rows[header_index]
    problems: list[Diagnostic] = []
    missing = [k for k in REQUIRED if k not in cols]
    if "billing_start" not in cols and "paid_through" not in cols:
        missing.append("billing_start")
    if missing:
        words = "、".join(COLUMNS[k][0] for k in missing)
        return ImportResult([], [error(Pos(name, header_row.number, 1), f"表头缺少这些列：{words}",
                                       "计费开始 和 缴至 写其中一列即可")])
    drafts: list[Draft] = []
    seen: dict[str, int] = {}

    def at(row: Row, key: str) -> Pos:
        return Pos(name, row.number, cols.get(key, cols["unit"]) + 1)

    def column_word(key: str) -> str:
        col = cols.get(key, cols["unit"])
        return f"第 {_column_letter(col)} 列“{_text(header_row.cells[col])}”"

    for row in rows[header_index + 1:]:
        def get(key: str):
            col = cols.get(key)
            if col is None or col >= len(row.cells):
                return None
            return row.cells[col]

        values: dict[str, object] = {}
        bad = False
        converters = {
            "unit": lambda v: cell_unit(v),
            "owner": lambda v: _text(v),
            "phone": lambda v: cell_phone(v, _format(row, cols["phone"])),
            "address": lambda v: _text(v),
            "area": lambda v: cell_decimal(v, "面积"),
            "type": lambda v: _text(v),
            "occupancy": cell_occupancy,
            "billing_start": lambda v: cell_date(v, "计费开始日"),
            "arrears": lambda v: cell_decimal(v, "欠费"),
            "paid_through": lambda v: cell_date(v, "缴至日期"),
        }
        for key in cols:
            try:
                values[key] = converters[key](get(key))
            except CellError as exc:
                problems.append(error(at(row, key), f"{column_word(key)}：{exc}", exc.hint))
                bad = True
        if bad:
            continue
        unit = values["unit"]
        for key in ("owner", "type"):
            if not values.get(key):
                problems.append(error(at(row, key), f"{column_word(key)}：{unit} 缺少{COLUMNS[key][0]}"))
                bad = True
        start, through = values.get("billing_start"), values.get("paid_through")
        if start and through:
            problems.append(error(at(row, "paid_through"), f"{column_word('paid_through')}：同时填写了计费开始和缴至",
                                  "两者只填一个：缴至的第二天就是计费开始日"))
            bad = True
        elif through:
            start = through + timedelta(days=1)
        elif not start:
            key = "billing_start" if "billing_start" in cols else "paid_through"
            problems.append(error(at(row, key), f"{column_word(key)}：{unit} 缺少计费开始日（或缴至日期）"))
            bad = True
        if unit in seen:
            problems.append(error(at(row, "unit"), f"{column_word('unit')}：房号 {unit} 重复，已在第 {seen[unit]} 行出现"))
            bad = True
        seen.setdefault(unit, row.number)
        if bad:
            continue
        drafts.append(_draft(root, name, row.number, unit, values, start, cols))
    for draft in drafts:
        if draft.skipped:
            problems.append(warning(Pos(name, draft.row, cols["unit"] + 1),
                                    f"{draft.edit.path} 已存在，这一行跳过，导入不会覆盖已有的房屋文件",
                                    "要修改这户的信息，请直接编辑那个文件"))
    return ImportResult(drafts, sorted_diagnostics(problems))


def _draft(root: Path, source_name: str, row: int, unit: str, values: dict, start: date, cols: dict[str, int]) -> Draft:
    data = CommentedMap()
    columns: dict[str, int] = {}

    def put(key: str, value, column: str) -> None:
        data[key] = value
        columns[key] = cols[column] + 1

    put("unit", unit, "unit")
    put("type", values["type"], "type")
    if values.get("area") is not None:
        put("area", money_text(values["area"]), "area")
    put("billing_start", start, "billing_start" if "billing_start" in cols else "paid_through")
    if values.get("occupancy"):
        put("occupancy", values["occupancy"], "occupancy")
    owner = CommentedMap(name=values["owner"])
    if values.get("phone"):
        owner["phone"] = DoubleQuotedScalarString(values["phone"])  # text, whatever it looks like
    if values.get("address"):
        owner["address"] = values["address"]
    owner.fa.set_flow_style()
    put("owners", CommentedSeq([owner]), "owner")
    arrears = values.get("arrears")
    if arrears:
        opening = CommentedMap(amount=money_text(arrears), due=start - timedelta(days=1))
        put("opening", opening, "arrears")
    path = f"owners/{unit}.yaml"
    header = ""
    if (root / "schemas" / "owner.schema.json").is_file():
        header += "# yaml-language-server: $schema=../schemas/owner.schema.json\n"
    header += f"# 由 cuijiao import 从 {source_name} 第 {row} 行导入\n"
    text = header + dump(yaml_for(""), data)
    return Draft(unit, row, columns, Edit(path, text, created=True), skipped=(root / path).exists())


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


def plan_import(root: Path, source: Path, as_of: date, today: date, use_cache: bool = True) -> ImportResult:
    """What the import would write, and every problem: the rows' own and the validator's on the good rows."""
    rows = read_rows(source)
    result = draft_rows(root, source, rows)
    header = find_header(rows)
    if header is None or not result.drafts:
        return result
    cols = header[1]
    new = [d for d in result.drafts if not d.skipped]
    checked = check_with(root, [d.edit for d in new], as_of, today, use_cache)
    by_path = {d.edit.path: d for d in new}
    problems = list(result.problems)
    for problem in checked.problems:
        draft = by_path.get(problem.pos.path)
        problems.append(locate(draft, problem, source.name, cols) if draft is not None else problem)
    result.problems = sorted_diagnostics(problems)
    result.checked = checked
    return result
