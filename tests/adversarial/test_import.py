"""Attacks on ``cuijiao import`` (issue 12, item 8 and "import is exact or refuses").

Each test makes its sheet in ``tmp_path`` (a real .xlsx written by openpyxl and, where
openpyxl cannot make the attack, its XML changed or the zip written by hand) and runs the
real ``cuijiao import`` in a fresh interpreter over a copy of the clean one-unit community:
every row is imported, or a Chinese message names what is wrong, with exit 1 (2 for a
wrong command line), no traceback and nothing written anywhere.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import stat
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.support import PROJECT, cuijiao

BASE = PROJECT / "tests" / "broken" / "_base"
HEADER = ["房号", "业主", "类型", "面积", "计费开始", "欠费"]
SHEET = "xl/worksheets/sheet1.xml"
SHEET_AS_OF = date(2026, 6, 30)


@pytest.fixture
def community(tmp_path) -> Path:
    """The clean one-unit community (1-1-101, rates for 高层 only) in ``tmp_path/c``."""
    root = tmp_path / "c"
    shutil.copytree(BASE, root)
    return root


def household(unit: str, arrears: object = 100) -> list:
    return [unit, f"业主{unit}", "高层", 90, datetime(2026, 7, 1), arrears]


def households(count: int) -> list[list]:
    """Rows 2-1-1, 2-1-2, ... owing 100, 200, ..."""
    return [household(f"2-1-{i}", 100 * i) for i in range(1, count + 1)]


def workbook(path: Path, rows: list[list], header: list = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rewrite(path: Path, member: str, change) -> Path:
    """The .xlsx with one part's text replaced by ``change(text)``."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(name, change(data.decode("utf-8")).encode("utf-8") if name == member else data)
    return path


def hand_zip(path: Path, parts: dict[str, tuple[bytes, int, int]]) -> Path:
    """A zip written byte by byte: name -> (raw deflate stream, CRC-32, declared unpacked size)."""
    out, central = bytearray(), bytearray()
    for name, (data, crc, size) in parts.items():
        encoded = name.encode("utf-8")
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, len(out)) + encoded
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0) + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def parts_of(path: Path) -> dict[str, tuple[bytes, int, int]]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: deflated(archive.read(info)) for info in archive.infolist()}


def inflating(prefix: bytes, filler: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """prefix + filler * times + suffix as one deflate stream, made without compressing it all: after a
    full flush the compressor starts afresh, so the filler's bytes are the same every time."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    body = packer.compress(filler) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(filler, crc)
    return head + body * times + tail, zlib.crc32(suffix, crc), len(prefix) + len(filler) * times + len(suffix)


def tree(folder: Path) -> dict[str, object]:
    """Every file and folder under ``folder`` (links not followed): what must not change."""
    found: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            mode = path.lstat().st_mode
            found[path.relative_to(folder).as_posix()] = path.read_bytes() if stat.S_ISREG(mode) else stat.S_IFMT(mode)
    return found


def run_import(community: Path, source: Path | str, *options: str, timeout: float = 120) -> subprocess.CompletedProcess:
    # the sheets' arrears are counted on 2026-06-30, the day before their billing starts
    return cuijiao("import", str(source), *options, root=community, as_of=SHEET_AS_OF, no_cache=True, timeout=timeout)


def measured(community: Path, source: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    """``cuijiao import`` as in ``run_import``, with its own wall time (s) and peak memory (MB)."""
    command = [sys.executable, "-m", "generator", "--root", str(community), "--as-of", str(SHEET_AS_OF),
               "--no-cache", "import", str(source)]
    out, err = (source.parent / "out.txt").open("w+b"), (source.parent / "err.txt").open("w+b")
    start = time.monotonic()
    child = subprocess.Popen(command, cwd=PROJECT, stdout=out, stderr=err)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's
    seconds = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    texts = []
    for handle in (out, err):
        handle.seek(0)
        texts.append(handle.read().decode("utf-8"))
        handle.close()
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KB on Linux, bytes on macOS
    return subprocess.CompletedProcess(command, child.returncode, *texts), seconds, usage.ru_maxrss / scale


def imported(result: subprocess.CompletedProcess, count: int) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert f"已导入 {count} 户到 owners/" in result.stdout


def refused(result: subprocess.CompletedProcess, *words: str, code: int = 1) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert "Traceback" not in output
    assert "已导入" not in output
    for word in words:
        assert word in output, output


# -- every row, whatever the stored dimension says --------------------------------------------------

def set_dimension(ref: str):
    return lambda text: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', text)


def test_a_stale_dimension_still_imports_every_row(community, tmp_path):
    """Issue 12, 8: a sheet whose <dimension> says A1:E3 imported 2 of its 5 rows."""
    sheet = rewrite(workbook(tmp_path / "名单.xlsx", households(5)), SHEET, set_dimension("A1:E3"))
    imported(run_import(community, sheet), 5)
    fifth = (community / "owners/2-1-5.yaml").read_text(encoding="utf-8")
    assert 'amount: "500.00"' in fifth  # column F, outside the stated A:E, too


def test_a_dimension_claiming_the_whole_sheet_imports_the_real_rows_at_once(community, tmp_path):
    """Issue 12, 8: a 5 KB .xlsx declaring A1:XFD1048576 hung."""
    sheet = rewrite(workbook(tmp_path / "名单.xlsx", households(3)), SHEET, set_dimension("A1:XFD1048576"))
    assert sheet.stat().st_size < 10_000
    result, seconds, megabytes = measured(community, sheet)
    imported(result, 3)
    assert seconds < 10 and megabytes < 300, (seconds, megabytes)


def test_a_dimension_starting_below_the_header_still_reads_from_the_first_row(community, tmp_path):
    sheet = rewrite(workbook(tmp_path / "名单.xlsx", households(4)), SHEET, set_dimension("C4:D5"))
    imported(run_import(community, sheet), 4)


def test_rows_and_cells_without_numbers_are_counted_as_excel_counts_them(community, tmp_path):
    sheet = rewrite(workbook(tmp_path / "名单.xlsx", households(3)), SHEET,
                    lambda text: re.sub(r' r="[A-Z]*\d+"', "", text))
    imported(run_import(community, sheet), 3)
    assert 'amount: "300.00"' in (community / "owners/2-1-3.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("change", "words"), [
    (lambda t: t.replace('<row r="4"', '<row r="3"'), ("名单.xlsx 已损坏", "第 3 行之后的行号“3”重复、倒序")),
    (lambda t: re.sub(r'(<row r="4".*?</row>)(<row r="5".*?</row>)', r"\2\1", t), ("第 5 行之后的行号“4”重复、倒序",)),
    (lambda t: t.replace('r="B3"', 'r="A3"'), ("第 3 行的单元格“A3”", "重复、倒序")),
    (lambda t: t.replace('r="B3"', 'r="B7"'), ("第 3 行的单元格“B7”不属于这一行",)),
    (lambda t: t.replace('<row r="4"', '<row r="0"'), ("行号“0”",)),
    (lambda t: t.replace("</row>", "", 1).replace('</sheetData>', '</row></sheetData>'), ("一行套在另一行里",)),
], ids=["repeated-row", "rows-out-of-order", "repeated-cell", "cell-of-another-row", "row-zero", "nested-rows"])
def test_rows_openpyxl_would_drop_silently_are_refused(community, tmp_path, change, words):
    """openpyxl drops a row that repeats or comes out of order without a word: refused instead."""
    sheet = rewrite(workbook(tmp_path / "名单.xlsx", households(4)), SHEET, change)
    before = tree(tmp_path)
    refused(run_import(community, sheet), *words)
    assert tree(tmp_path) == before


def test_a_hidden_first_sheet_is_refused_rather_than_imported_unseen(community, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "旧名单"
    book.active.append(HEADER)
    book.active.append(household("9-9-9"))
    book.active.sheet_state = "hidden"
    shown = book.create_sheet("名单")
    shown.append(HEADER)
    shown.append(household("2-1-1"))
    book.active = 1
    book.save(tmp_path / "两张表.xlsx")
    refused(run_import(community, tmp_path / "两张表.xlsx"), "第一个工作表“旧名单”是隐藏的")


# -- formulas ----------------------------------------------------------------------------------------

def formula_sheet(tmp_path: Path) -> Path:
    """Five households; 2-1-3's arrears (F4) a formula, saved by openpyxl: no stored result."""
    rows = households(5)
    rows[2][5] = "=100*3"
    return workbook(tmp_path / "名单.xlsx", rows)


def test_a_formula_without_a_stored_result_is_an_error_naming_the_cell(community, tmp_path):
    """Issue 12, 8: an arrears cell holding a formula without a cached value imported as no arrears."""
    sheet = formula_sheet(tmp_path)
    assert "<f>100*3</f><v" in zipfile.ZipFile(sheet).read(SHEET).decode()
    before = tree(tmp_path)
    result = run_import(community, sheet)
    refused(result, "名单.xlsx:4:6: 错误: 第 F 列“欠费”：单元格 F4 是公式，但文件里没有保存它的计算结果，不能当作空白")
    assert tree(tmp_path) == before


def test_a_formula_with_a_stored_result_imports_that_result(community, tmp_path):
    sheet = rewrite(formula_sheet(tmp_path), SHEET, lambda t: re.sub(r"<f>100\*3</f><v\s*/>", "<f>100*3</f><v>300</v>", t))
    rewrite(sheet, "xl/workbook.xml", lambda t: t.replace(' fullCalcOnLoad="1"', ""))
    imported(run_import(community, sheet), 5)
    assert 'amount: "300.00"' in (community / "owners/2-1-3.yaml").read_text(encoding="utf-8")


def test_stored_results_are_not_believed_when_the_file_asks_for_recalculation(community, tmp_path):
    """XlsxWriter stores 0 for every formula and asks Excel to compute them all on opening."""
    sheet = rewrite(formula_sheet(tmp_path), SHEET, lambda t: re.sub(r"<f>100\*3</f><v\s*/>", "<f>100*3</f><v>0</v>", t))
    assert 'fullCalcOnLoad="1"' in zipfile.ZipFile(sheet).read("xl/workbook.xml").decode()
    refused(run_import(community, sheet), "名单.xlsx:4:6:", "单元格 F4 是公式，而这个文件要求打开时重新计算全部公式")


def test_a_row_of_formulas_only_is_an_error_not_an_empty_row(community, tmp_path):
    rows = households(2)
    rows.insert(1, ["=A2", "=B2", "=C2", "=D2", "=E2", "=F2"])
    refused(run_import(community, workbook(tmp_path / "名单.xlsx", rows)), "名单.xlsx:3:1:", "单元格 A3 是公式")


# -- limits, checked before the work -------------------------------------------------------------------

@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 1.5 MB .xlsx whose sheet unpacks to 1.5 GB: valid XML, a real zip, every CRC right."""
    folder = tmp_path_factory.mktemp("bomb")
    parts = parts_of(workbook(folder / "model.xlsx", households(1)))
    parts[SHEET] = inflating(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
                             b" " * (1 << 20), 1500, b"</sheetData></worksheet>")
    return hand_zip(folder / "炸弹.xlsx", parts)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(community, bomb):
    """Issue 12, 8: a 1.5 MB zip bomb took 3 GB."""
    assert bomb.stat().st_size < 2_000_000
    result, seconds, megabytes = measured(community, bomb)
    refused(result, "炸弹.xlsx 里的 xl/worksheets/sheet1.xml 压缩比", "上限 100:1", "压缩炸弹")
    assert seconds < 10 and megabytes < 300, (seconds, megabytes)


def test_parts_that_unpack_to_more_than_100_mb_in_all_are_refused(community, tmp_path):
    parts = parts_of(workbook(tmp_path / "model.xlsx", households(1)))
    digits = format(int.from_bytes(random.Random(12).randbytes(1 << 17), "big"), "b").encode()
    parts["xl/media/data.bin"] = inflating(b"", digits, 105, b"")  # 1 MB of 0s and 1s packs 6:1, as text does
    refused(run_import(community, hand_zip(tmp_path / "大.xlsx", parts)), "大.xlsx 解压后共有", "超过导入上限 100.0 MB")


def test_a_part_that_inflates_past_its_declared_size_is_cut_there(community, tmp_path):
    """The declared sizes bound the work only if nothing is unpacked past them: Python's zipfile stops."""
    parts = parts_of(workbook(tmp_path / "model.xlsx", households(1)))
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    data, _, _ = inflating(head, b" " * (1 << 20), 1500, b"</sheetData></worksheet>")
    parts[SHEET] = (data, zlib.crc32(head), len(head))  # claims to be the first 85 bytes
    result, seconds, megabytes = measured(community, hand_zip(tmp_path / "谎报.xlsx", parts))
    refused(result, "谎报.xlsx")
    assert seconds < 10 and megabytes < 300, (seconds, megabytes)


def test_a_zip_with_thousands_of_parts_is_refused(community, tmp_path):
    parts = parts_of(workbook(tmp_path / "model.xlsx", households(1)))
    parts.update({f"xl/media/{i}.png": deflated(b"") for i in range(1001)})
    refused(run_import(community, hand_zip(tmp_path / "部件.xlsx", parts)), "部件.xlsx 里有 1010 个部件，超过上限 1000")


@pytest.mark.parametrize(("member", "change", "words"), [
    ("xl/styles.xml", lambda t: t.replace("</styleSheet>", "<a/>" * 2_500_000 + "</styleSheet>"),
     "里的 XML 元素超过 2,000,000 个"),
    (SHEET, lambda t: t.replace("</sheetData>", "<a/>" * 600_000 + "</sheetData>"), "单元格以外的 XML 元素超过 500,000 个"),
    (SHEET, lambda t: t.replace("</row>", '<c r="Z1"><v>1</v>' + "<a/>" * 250_000 + "</c></row>", 1),
     "第 1 行里的 XML 元素超过 200,000 个"),
    (SHEET, lambda t: t.replace("</row>", '<c r="Z1"' + "".join(f' a{i}=""' for i in range(20_000)) + "/></row>", 1),
     "有一个超过 100,000 字节的 XML 标记"),
], ids=["elements-in-styles", "elements-outside-rows", "elements-in-a-row", "a-long-tag"])
def test_a_small_file_of_countless_xml_elements_is_refused_before_openpyxl_builds_them(community, tmp_path, member, change, words):
    """10 MB of <a/> is 2.5 million elements and, as a tree, 200 MB: counted first, never built."""
    sheet = rewrite(workbook(tmp_path / "元素.xlsx", households(1)), member, change)
    result, seconds, megabytes = measured(community, sheet)
    refused(result, "元素.xlsx", words)
    assert seconds < 10 and megabytes < 300, (seconds, megabytes)


def test_a_compression_method_xlsx_never_uses_is_refused(community, tmp_path):
    sheet = workbook(tmp_path / "model.xlsx", households(1))
    with zipfile.ZipFile(sheet) as source, zipfile.ZipFile(tmp_path / "bz.xlsx", "w", zipfile.ZIP_BZIP2) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    refused(run_import(community, tmp_path / "bz.xlsx"), "用了 .xlsx 不用的压缩方式")


def sheet_xml(rows: str) -> str:
    return f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_sheet_with_more_than_20000_rows_is_refused(community, tmp_path):
    rows = "".join(f'<row r="{n}">{text_cell(f"A{n}", "x")}</row>' for n in range(1, 20_002))
    sheet = rewrite(workbook(tmp_path / "大表.xlsx", []), SHEET, lambda _: sheet_xml(rows))
    result, seconds, _ = measured(community, sheet)
    refused(result, "大表.xlsx 有内容的行超过 20000 行（到第 20001 行为止），超过导入上限")
    assert seconds < 10


def test_a_value_beyond_column_gr_is_refused(community, tmp_path):
    rows = f'<row r="1">{text_cell("A1", "房号")}</row><row r="2">{text_cell("A2", "1")}{text_cell("GS2", "备注")}</row>'
    sheet = rewrite(workbook(tmp_path / "宽表.xlsx", []), SHEET, lambda _: sheet_xml(rows))
    refused(run_import(community, sheet), "宽表.xlsx 第 2 行的第 GS 列有内容，超过导入上限 200 列（最右到第 GR 列）")


def test_empty_styled_cells_far_right_and_far_down_cost_nothing(community, tmp_path):
    """A row formatted to the last column, rows formatted to the last row: nothing in them, nothing refused."""
    def change(text: str) -> str:
        text = text.replace('</row><row r="3"', '<c r="XFD2" s="1"/></row><row r="3"')
        return text.replace("</sheetData>", '<row r="1048576" s="1" customFormat="1"><c r="A1048576" s="1"/></row></sheetData>')
    sheet = rewrite(workbook(tmp_path / "名单.xlsx", households(3)), SHEET, change)
    result, seconds, _ = measured(community, sheet)
    imported(result, 3)
    assert seconds < 10


def test_a_csv_over_20_mb_is_refused_unread(community, tmp_path):
    source = tmp_path / "大.csv"
    with source.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        out.write(("," * 99 + "\n") * 210_000)
    refused(run_import(community, source), "大.csv 有 20.", "超过 CSV 导入的上限 20.0 MB")


def test_a_csv_with_more_than_20000_rows_is_refused(community, tmp_path):
    source = tmp_path / "长.csv"
    source.write_text(",".join(HEADER) + "\n" + "".join(f"2-1-{i},户,高层,90,2026-07-01,\n" for i in range(20_001)), encoding="utf-8")
    refused(run_import(community, source), "长.csv 有内容的行超过 20000 行")


def test_a_csv_cell_longer_than_csv_allows_is_a_message(community, tmp_path):
    source = tmp_path / "长格.csv"
    source.write_text(",".join(HEADER) + '\n"' + "x" * 200_000 + '",a,高层,1,2026-07-01,\n', encoding="utf-8")
    refused(run_import(community, source), "长格.csv 第 2 行不能按 CSV 读取")


# -- unit ids ---------------------------------------------------------------------------------------

def csv_sheet(path: Path, *units: str) -> Path:
    path.write_text(",".join(HEADER) + "\n" + "".join(f"{u},业主,高层,90,2026-07-01,100\n" for u in units), encoding="utf-8")
    return path


def test_a_full_width_id_is_imported_as_its_ascii_form_and_the_dry_run_says_so(community, tmp_path):
    source = csv_sheet(tmp_path / "名单.csv", "Ｓ－０３")
    dry = run_import(community, source, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "名单.csv:2:1: 警告: 第 A 列“房号”：房号“Ｓ－０３”按标准写法导入为“S-03”" in dry.stderr
    assert "将写入 owners/S-03.yaml：" in dry.stdout
    imported(run_import(community, source), 1)
    assert "unit: S-03\n" in (community / "owners/S-03.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("unit", "words"), [
    ("\u0405-03", ("房号“Ѕ-03”里有“Ѕ”（U+0405，西里尔字母）", "房号只能用英文字母、数字、汉字和“-”")),
    ("3-\u0391-101", ("“Α”（U+0391，希腊字母）",)),
    ("3-1-1\u200b01", ("房号“3-1-1<U+200B>01”里有看不见的字符 U+200B",)),
    ("3\u20141-101", ("符号“—”（U+2014）",)),
    ("3-1 101", ("空格（U+0020）",)),
    ("-3-1", ("房号“-3-1”的“-”只能写在两段之间",)),
    ("1" * 41, ("太长（41 个字，上限 40）",)),
], ids=["cyrillic", "greek", "zero-width", "em-dash", "space", "leading-dash", "too-long"])
def test_a_look_alike_or_odd_character_in_an_id_is_refused_with_its_code_point(community, tmp_path, unit, words):
    source = csv_sheet(tmp_path / "名单.csv", "2-1-1", unit)
    before = tree(tmp_path)
    refused(run_import(community, source), "名单.csv:3:1: 错误: 第 A 列“房号”：", *words)
    assert tree(tmp_path) == before


def test_a_chinese_unit_id_is_imported(community, tmp_path):
    imported(run_import(community, csv_sheet(tmp_path / "名单.csv", "东区-3-101", "花园-甲-1")), 2)
    assert "unit: 东区-3-101\n" in (community / "owners/东区-3-101.yaml").read_text(encoding="utf-8")
    assert (community / "owners/花园-甲-1.yaml").is_file()


@pytest.mark.parametrize(("first", "second"), [("S-03", "Ｓ-０３"), ("S-03", "s-03"), ("ｓ-03", "S-０3")])
def test_two_rows_naming_one_unit_are_a_duplicate_naming_both_rows(community, tmp_path, first, second):
    source = csv_sheet(tmp_path / "名单.csv", first, "2-1-1", second)
    refused(run_import(community, source), f"名单.csv:4:1: 错误: 第 A 列“房号”：房号“{second}”与第 2 行的“{first}”是同一户")


@pytest.mark.parametrize(("written", "skip"), [
    ("１-１-１０１", "owners/1-1-101.yaml 已存在，这一行跳过"),
    ("ａ-1", "owners/A-1.yaml 已存在（与房号 a-1 只差全角半角或大小写，是同一户），这一行跳过"),
])
def test_an_id_naming_an_existing_unit_differently_is_skipped_not_a_second_unit(community, tmp_path, written, skip):
    owner = (community / "owners/1-1-101.yaml").read_text(encoding="utf-8")
    (community / "owners/A-1.yaml").write_text(owner.replace("unit: 1-1-101", "unit: A-1"), encoding="utf-8")
    result = run_import(community, csv_sheet(tmp_path / "名单.csv", written, "2-1-1"))
    imported(result, 1)
    assert f"名单.csv:2:1: 警告: {skip}" in result.stderr
    assert sorted(p.name for p in (community / "owners").iterdir()) == ["1-1-101.yaml", "2-1-1.yaml", "A-1.yaml"]


# -- the import source and the owners folder -------------------------------------------------------------

def test_a_fifo_is_refused_without_waiting_for_a_writer(community, tmp_path):
    os.mkfifo(tmp_path / "名单.csv")
    refused(run_import(community, tmp_path / "名单.csv", timeout=30), "名单.csv 不是普通文件")


def test_a_link_to_dev_zero_is_refused_unread(community, tmp_path):
    (tmp_path / "名单.csv").symlink_to("/dev/zero")
    (tmp_path / "名单.xlsx").symlink_to("/dev/zero")
    refused(run_import(community, tmp_path / "名单.csv", timeout=30), "名单.csv 不是普通文件")
    refused(run_import(community, tmp_path / "名单.xlsx", timeout=30), "名单.xlsx 不是普通文件")


def test_a_truncated_or_foreign_xlsx_is_a_message(community, tmp_path):
    whole = workbook(tmp_path / "完整.xlsx", households(2)).read_bytes()
    cases = {
        "半个.xlsx": whole[: len(whole) // 2],
        "空.xlsx": b"",
        "文本.xlsx": "房号,业主\n".encode(),
        "加密.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),  # an encrypted workbook is an OLE file
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        refused(run_import(community, tmp_path / name), f"{name} 不是有效的 .xlsx 文件", "设置了打开密码")


def test_a_damaged_part_is_a_message(community, tmp_path):
    sheet = workbook(tmp_path / "坏.xlsx", households(2))
    data = bytearray(sheet.read_bytes())
    at = data.find(b"worksheets/sheet1.xml") + len("worksheets/sheet1.xml") + 40  # inside its deflate stream
    data[at:at + 8] = b"\xff" * 8
    sheet.write_bytes(bytes(data))
    refused(run_import(community, sheet), "坏.xlsx")


def test_a_sheet_that_is_not_xml_is_a_message(community, tmp_path):
    sheet = rewrite(workbook(tmp_path / "坏.xlsx", households(2)), SHEET, lambda t: t[: len(t) // 2])
    refused(run_import(community, sheet), "坏.xlsx 已损坏（工作表的结构不对：XML 第 1 行有错）")


@pytest.mark.parametrize(("name", "words", "code"), [
    ("没有.xlsx", ("找不到“", "没有.xlsx"), 2),
    ("文件夹.xlsx", ("是文件夹，这里要写文件",), 2),
    ("普通文件.csv/名单.csv", ("找不到“",), 2),
])
def test_a_missing_source_or_a_folder_is_a_usage_error(community, tmp_path, name, words, code):
    (tmp_path / "文件夹.xlsx").mkdir()
    (tmp_path / "普通文件.csv").write_text("x", encoding="utf-8")
    refused(run_import(community, tmp_path / name), *words, code=code)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_source_is_a_message(community, tmp_path):
    source = csv_sheet(tmp_path / "名单.csv", "2-1-1")
    source.chmod(0)
    refused(run_import(community, source), "名单.csv")


def test_an_owners_file_instead_of_a_folder_is_a_message_and_nothing_is_written(community, tmp_path):
    shutil.rmtree(community / "owners")
    (community / "owners").write_text("不是文件夹", encoding="utf-8")
    source = csv_sheet(tmp_path / "名单.csv", "2-1-1")
    before = tree(tmp_path)
    refused(run_import(community, source), "owners")
    assert tree(tmp_path) == before


def test_an_owners_link_elsewhere_is_refused_and_nothing_is_written_there(community, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(community / "owners", elsewhere)
    (community / "owners").symlink_to(elsewhere)
    source = csv_sheet(tmp_path / "名单.csv", "2-1-1")
    before = tree(tmp_path)
    refused(run_import(community, source), "owners")
    assert tree(tmp_path) == before


@contextmanager
def read_only(folder: Path):
    """``folder`` made read-only: by its mode, or for root (who writes anywhere) immutable (chattr +i)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("root, and this file system cannot make a folder immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.skipif(os.name != "posix", reason="a folder's mode or chattr")
def test_a_read_only_owners_folder_is_a_message_and_nothing_is_written(community, tmp_path):
    source = csv_sheet(tmp_path / "名单.csv", "2-1-1", "2-1-2")
    before = tree(tmp_path)
    with read_only(community / "owners"):
        refused(run_import(community, source), "无法写入 owners/2-1-1.yaml：没有权限")
    assert tree(tmp_path) == before


# -- issue 13: notes, several owners in a cell, --update --------------------------------------------

def test_text_from_the_sheet_cannot_add_keys_to_an_owner_file(community, tmp_path):
    """A 备注 with line breaks becomes one comment line; names with YAML syntax stay names."""
    source = tmp_path / "名单.csv"
    source.write_text('房号,业主,类型,面积,计费开始,欠费,备注\n'
                      '2-1-1,"王丽}, type: 别墅","高层",90,2026-07-01,100,"老人\ntype: 别墅\r\nopening: {amount: 99999, due: 2020-01-01}"\n',
                      encoding="utf-8")
    imported(run_import(community, source), 1)
    text = (community / "owners/2-1-1.yaml").read_text(encoding="utf-8")
    assert "# 备注（表格里的）：老人 type: 别墅 opening: {amount: 99999, due: 2020-01-01}\n" in text
    result = cuijiao("report", "--format", "json", root=community, as_of=SHEET_AS_OF, no_cache=True)
    assert result.returncode == 0, result.stderr
    unit = next(u for u in json.loads(result.stdout)["units"] if u["unit"] == "2-1-1")
    assert (unit["outstanding"], unit["not_due"]) == ("0.00", "100.00")  # the 100 of the sheet, not 99,999
    data = yaml.safe_load(text)  # the comma parts two owners; their names, whatever they hold, stay names
    assert data["type"] == "高层" and data["owners"] == [{"name": "王丽}"}, {"name": "type: 别墅"}]
    assert data["opening"] == {"amount": "100.00", "due": date(2026, 6, 30), "period": "导入时的累计欠费（未分期）"}


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_update_never_reads_or_writes_an_owner_file_through_a_link(community, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((community / "owners/1-1-101.yaml").read_bytes())
    (community / "owners/1-1-101.yaml").unlink()
    (community / "owners/1-1-101.yaml").symlink_to(outside)
    source = tmp_path / "名单.csv"
    source.write_text(",".join(HEADER) + "\n1-1-101,别人,高层,90,2026-07-01,100\n", encoding="utf-8")
    before = tree(tmp_path)
    refused(run_import(community, source, "--update"), "名单.csv:2:1: 错误: 第 A 列“房号”：“owners/1-1-101.yaml”会写到小区文件夹以外")
    assert tree(tmp_path) == before
