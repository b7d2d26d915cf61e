"""The ``cuijiao`` command line: exit codes, Chinese messages, and the spec's JSON report."""
from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from generator.cli import chinese
from generator.cli import main as cli
from tests.community import Community, fee, stage
from tests.support import DEMO_AS_OF, PROJECT, cuijiao, cuijiao_here

MONEY = re.compile(r"^\d+\.\d{2}$")
BUCKETS = ["1-30", "31-90", "91-180", "181-365", "366-730", "731-1095", "1096+"]


@pytest.fixture
def community(tmp_path) -> Community:
    """Three units whose numbers at 2026-03-20 are worked out by hand in test_report_json_numbers."""
    c = Community(tmp_path / "小区", fees=[fee(rate="2.00")], late_fee={"daily_rate": "0.0003"},
                  dunning=[stage("reminder", 1, ["sms"]), stage("notice", 30, ["letter"])])
    c.unit("2-1-101", area="100.00", billing_start="2026-01-01")
    c.unit("10-1-101", area="50.00", billing_start="2026-03-01")
    c.unit("A-1", area="80.00", billing_start="2026-03-16")
    c.payment("2-1-101", "2026-02-10", "300.00", receipt="R1")
    c.payment("10-1-101", "2026-03-05", "500.00", receipt="R2")
    c.write()
    return c


def run(capsys, c: Community, *args: str, as_of: str = "2026-03-20"):
    return cuijiao_here(capsys, "--root", str(c.root), "--as-of", as_of, "--no-cache", *args)


# -- check ------------------------------------------------------------------------

def test_check_passes_with_a_one_line_chinese_summary(capsys, community):
    code, out, err = run(capsys, community, "check")
    assert (code, err) == (0, "")
    assert out == "检查通过：3 户，2 笔缴费，0 笔一次性收费，0 笔减免，0 份分期协议，0 条催收记录。\n"


def test_the_check_summary_counts_complaints_when_there_are_any():
    done = cuijiao("check", root=PROJECT, as_of=DEMO_AS_OF)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("223 条催收记录，5 条投诉。"), done.stdout


def test_warnings_are_printed_but_fail_only_with_strict(capsys, community):
    (community.root / "ledger" / "extra.yml").write_text("payments: []\n", encoding="utf-8")
    code, out, err = run(capsys, community, "check")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "ledger/extra.yml:1:1: 警告: 扩展名 .yml 的文件不会被读取（请改名为 .yaml）"
    assert lines[1].startswith("检查通过：3 户") and lines[1].endswith("；1 条警告。")
    code, out, err = run(capsys, community, "check", "--strict")
    assert code == 1
    assert "警告: 扩展名 .yml" in out
    assert err == "发现 0 处错误、1 条警告。\n"


def test_check_with_errors_exits_1_and_lists_them(capsys, community):
    (community.root / "ledger" / "bad.yaml").write_text("payments:\n  - {unit: 2-1-101, date: 2026-03-01, amount: 1.001, method: cash}\n", encoding="utf-8")
    code, out, err = run(capsys, community, "check")
    assert code == 1
    assert out.startswith("ledger/bad.yaml:2:")
    assert "错误: 金额“1.001”超过两位小数" in out
    assert err == "发现 1 处错误、0 条警告。\n"


def test_report_refuses_to_show_numbers_from_bad_data(capsys, community):
    (community.root / "ledger" / "bad.yaml").write_text("payments:\n  - {unit: 2-1-101, date: 2026-03-01, amount: 1.001, method: cash}\n", encoding="utf-8")
    code, out, err = run(capsys, community, "report", "--format", "json")
    assert code == 1
    assert out == ""
    assert "ledger/bad.yaml:2:" in err and "错误" in err


# -- usage errors -----------------------------------------------------------------

@pytest.mark.parametrize(("args", "phrase"), [
    (["--as-of", "2026-13-01", "check"], "选项 --as-of 的值不对：“2026-13-01”不是有效日期"),
    (["--as-of", "yesterday", "check"], "不是有效日期"),
    (["check", "--as-of", "2026-02-30"], "选项 --as-of 的值不对：“2026-02-30”不是有效日期"),
    (["chek"], "没有这个命令：chek（是不是 check？）"),
    (["check", "--strikt"], "没有这个选项：--strikt（是不是 --strict？）"),
    (["check", "--strict=yes"], "选项 --strict 不带值，直接写 --strict 即可"),
    (["check", "extra"], "多余的参数：extra"),
    (["report", "--format", "xml"], "选项 --format 的值不对：“xml”不在可选范围内，可选：text、json"),
    (["report", "--format"], "选项 --format 后面要写一个值"),
    (["diff"], "缺少参数 基准版本"),
    (["import", "没有这个文件.xlsx"], "参数 表格文件 的值不对：找不到“没有这个文件.xlsx”"),
    (["schemas", "--out", str(PROJECT / "README.md")], "是文件，这里要写文件夹"),
    (["--root", "/nonexistent/小区", "check"], "选项 --root 的值不对：找不到文件夹“/nonexistent/小区”"),
    (["check", "--root", "/nonexistent/小区"], "选项 --root 的值不对：找不到文件夹“/nonexistent/小区”"),
    (["--as-of", "2026-03-20", "report", "--as-of", "2026-03-21"], "--as-of 在命令前后各写了一次，而且不一样"),
])
def test_usage_errors_exit_2_in_chinese(capsys, community, args, phrase):
    if "--root" not in args:
        args = ["--root", str(community.root), *args]
    code, out, err = cuijiao_here(capsys, *args)
    assert code == 2
    assert out == ""
    first, hint = err.splitlines()
    assert first.startswith("用法错误：")
    assert phrase in first
    assert re.fullmatch(r"运行 cuijiao( \w+)? --help 查看用法。", hint)
    for english in ("Traceback", "Usage:", "Error", "Invalid value", "is not one of", "requires an argument", "unexpected extra"):
        assert english not in err


def test_a_usage_error_names_the_command_whose_help_to_read(capsys, community):
    code, out, err = cuijiao_here(capsys, "--root", str(community.root), "pay", "1-1-101")
    assert code == 2
    assert err == "用法错误：缺少参数 金额\n运行 cuijiao pay --help 查看用法。\n"
    code, out, err = cuijiao_here(capsys, "--root", str(community.root), "report", "--format")
    assert code == 2
    assert err == "用法错误：选项 --format 后面要写一个值\n运行 cuijiao report --help 查看用法。\n"


def test_global_options_may_follow_the_command(capsys, community):
    before = cuijiao_here(capsys, "--root", str(community.root), "--as-of", "2026-03-20", "--no-cache", "report", "--format", "json")
    after = cuijiao_here(capsys, "report", "--format", "json", "--as-of", "2026-03-20", "--root", str(community.root), "--no-cache")
    assert before[0] == 0 and after == before
    assert json.loads(after[1])["as_of"] == "2026-03-20"
    # the same value in both places is no conflict
    code, out, err = cuijiao_here(capsys, "--as-of", "2026-03-20", "--root", str(community.root), "check", "--as-of", "2026-03-20")
    assert (code, err) == (0, "")


def help_pages() -> list[list[str]]:
    return [[]] + [[name] for name in sorted(cli.main.commands)]


@pytest.mark.parametrize("command", help_pages(), ids=lambda c: " ".join(c) or "cuijiao")
def test_help_is_chinese_and_fits_an_80_column_terminal(capsys, command):
    code, out, err = cuijiao_here(capsys, *command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith(f"用法：{' '.join(['cuijiao', *command])} [选项]")
    assert "\n选项：\n" in out and "-h, --help" in out and "显示本帮助并退出。" in out
    for english in ("Usage", "Options", "Commands", "Arguments", "Show this message", "[default", "[required]",
                    "TEXT", "DIRECTORY", "FILE", "PATH", "[OPTIONS]", "COMMAND"):
        assert english not in out, english
    for line in out.splitlines():
        assert chinese.cell_width(line) <= 80, line
    if command:  # every command lists the global options too
        assert "--root 文件夹" in out and "--as-of YYYY-MM-DD" in out and "--no-cache" in out


def test_cuijiao_alone_shows_the_chinese_help_as_a_usage_error(capsys):
    code, out, err = cuijiao_here(capsys)
    assert code == 2 and out == ""
    assert err.startswith("用法：cuijiao [选项] 命令 [参数]...")
    assert "\n命令：\n" in err and re.search(r"\n  check +校验全部数据", err)  # the column is as wide as the longest name
    assert "写在命令前后都可以" in err


def test_help_wraps_chinese_by_display_width_without_splitting_words():
    assert chinese.cell_width("ab中文") == 6
    lines = chinese.wrap("联系方式：sms（短信）、registered_mail（挂号信/EMS）、lawyer_letter（律师函）", 20)
    assert all(chinese.cell_width(line) <= 20 for line in lines)
    assert "registered_mail" in "".join(lines).replace(" ", "")
    assert not any(line[0] in "，。、）：" for line in lines)  # no line starts with closing punctuation
    assert not any(line[-1] == "（" for line in lines)  # nor ends with an opening one
    assert chinese.wrap("a b  c", 3) == ["a b", "c"]


def test_python_dash_m_generator_runs_the_cli(cuijiao):
    result = cuijiao("--help")
    assert result.returncode == 0
    assert "物业费催缴台账" in result.stdout
    result = cuijiao("check", as_of="2026-02-30")
    assert result.returncode == 2
    assert "用法错误" in result.stderr and "Traceback" not in result.stderr


# -- report --format json -------------------------------------------------------------

def report(capsys, c: Community, as_of: str = "2026-03-20") -> dict:
    code, out, err = run(capsys, c, "report", "--format", "json", as_of=as_of)
    assert code == 0, err
    return json.loads(out)


def test_report_json_has_the_spec_shape(capsys, community):
    data = report(capsys, community)
    assert data["as_of"] == "2026-03-20"
    assert {"as_of", "totals", "units"} <= set(data)
    totals = data["totals"]
    assert {"charged", "paid", "waived", "outstanding", "not_due", "credit", "late_fee", "late_fee_barred", "units_in_arrears", "collection_rate"} <= set(totals)
    for key in ("charged", "paid", "waived", "outstanding", "not_due", "credit", "late_fee", "late_fee_barred"):
        assert MONEY.match(totals[key]), (key, totals[key])
    assert type(totals["units_in_arrears"]) is int
    assert re.fullmatch(r"\d\.\d{4}", totals["collection_rate"])
    # every unit, sorted by unit id (as text)
    assert [u["unit"] for u in data["units"]] == ["10-1-101", "2-1-101", "A-1"]
    for unit in data["units"]:
        assert {"unit", "outstanding", "not_due", "credit", "late_fee", "late_fee_barred", "oldest_due", "days_overdue",
                "aging", "stage", "plan", "limitation"} <= set(unit)
        for key in ("outstanding", "not_due", "credit", "late_fee", "late_fee_barred"):
            assert MONEY.match(unit[key]), (key, unit[key])
        assert list(unit["aging"]) == BUCKETS
        assert all(MONEY.match(v) for v in unit["aging"].values())
        assert set(unit["limitation"]) >= {"earliest_expiry", "status", "expired_amount"}
        assert MONEY.match(unit["limitation"]["expired_amount"])


def test_report_json_numbers(capsys, community):
    data = report(capsys, community)
    units = {u["unit"]: u for u in data["units"]}
    # 2-1-101: 100 m² x 2.00 = 200.00 for Jan, Feb, Mar (due 15th). 300.00 paid 02-10 settles Jan (200)
    # and 100 of Feb. Unpaid: Feb 100 (due 02-15, 33 days) + Mar 200 (due 03-15, 5 days).
    # Late fee: Jan 200 x 26 days (01-15 -> 02-10) + Feb 100 x 33 + Mar 200 x 5
    #   = 1.56 + 0.99 + 0.30 = 2.85 (each charge x 0.0003, rounded per charge)
    u = units["2-1-101"]
    assert (u["outstanding"], u["not_due"], u["credit"], u["late_fee"]) == ("300.00", "0.00", "0.00", "2.85")
    assert (u["oldest_due"], u["days_overdue"], u["stage"], u["plan"]) == ("2026-02-15", 33, "notice", None)
    assert u["aging"] == {**{b: "0.00" for b in BUCKETS}, "1-30": "200.00", "31-90": "100.00"}
    assert u["limitation"] == {"earliest_expiry": "2029-02-15", "status": "ok", "expired_amount": "0.00"}
    # 10-1-101: March 50 x 2.00 = 100.00 paid from 500.00 -> 400.00 credit; nothing overdue: nulls
    u = units["10-1-101"]
    assert (u["outstanding"], u["not_due"], u["credit"], u["late_fee"]) == ("0.00", "0.00", "400.00", "0.00")
    assert (u["oldest_due"], u["days_overdue"], u["stage"], u["plan"]) == (None, None, None, None)
    assert u["aging"] == {b: "0.00" for b in BUCKETS}
    assert u["limitation"] == {"earliest_expiry": None, "status": None, "expired_amount": "0.00"}
    # from 03-16, 80 x 2.00 x 16/31 = 82.580... -> 82.58, due max(03-15, 03-16) = 03-16: 4 days overdue;
    # late fee 82.58 x 4 x 0.0003 = 0.099... -> 0.10
    u = units["A-1"]
    assert (u["outstanding"], u["late_fee"], u["oldest_due"], u["days_overdue"], u["stage"]) == ("82.58", "0.10", "2026-03-16", 4, "reminder")
    # totals: charged 600 + 100 + 82.58; paid 300 + 500; outstanding 300 + 82.58; credit 400; late fee 2.85 + 0.10
    # collection rate: every charge is due in 2026 by 03-20; settled by payments 200 + 100 + 100 = 400 of 782.58
    rate = (Decimal(400) / Decimal("782.58")).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    assert data["totals"] == {
        "charged": "782.58", "paid": "800.00", "waived": "0.00", "outstanding": "382.58", "not_due": "0.00",
        "credit": "400.00", "late_fee": "2.95", "late_fee_barred": "0.00", "units_in_arrears": 2, "collection_rate": str(rate),
    }
    assert str(rate) == "0.5111"


def test_report_json_collection_rate_is_null_with_nothing_due_this_year(capsys, community):
    data = report(capsys, community, as_of="2026-01-10")  # January's bill is due 01-15
    assert data["totals"]["collection_rate"] is None
    assert data["totals"]["units_in_arrears"] == 0
    assert [u["unit"] for u in data["units"]] == ["10-1-101", "2-1-101", "A-1"]  # units not billed yet are listed too
    assert data["units"][0]["outstanding"] == "0.00"


def test_report_json_is_the_same_through_python_dash_m(community, cuijiao):
    result = cuijiao("report", "--format", "json", root=community.root, as_of="2026-03-20", no_cache=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == community.report("2026-03-20")


# -- report: the terminal table -------------------------------------------------------

@pytest.fixture
def barred(tmp_path) -> Community:
    """A: 1,000.00 opening arrears due 2022-06-30, never interrupted: barred since 2025-07-01, with its late fee
    (1,606 days at 0.05%: 803.00). B: 500.00 due 2022-01-15 paid 151 days late on 2022-06-15 (late fee 37.75,
    barred since 2025-06-16) and a 100.00 repair charge due 2026-10-15, in time (38 days: 1.90)."""
    c = Community(tmp_path / "小区", fees=[], late_fee={"daily_rate": "0.0005"})
    c.unit("A-101", billing_start="2023-01-01", opening={"amount": "1000.00", "due": "2022-06-30"})
    c.unit("B-102", billing_start="2023-01-01", opening={"amount": "500.00", "due": "2022-01-15"})
    c.payment("B-102", "2022-06-15", "500.00", receipt="R1")
    c.charge("B-102", "维修费", "100.00", "2026-10-15")
    c.write()
    return c


def _rows(out: str) -> dict[str, str]:
    """Each unit's table lines joined (a row may take several lines), by unit id."""
    rows: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        words = line.replace("│", " ").replace("┃", " ").split()
        first = words[0] if words else ""
        if re.fullmatch(r"[A-Z]-\d+", first):
            current = first
            rows[current] = []
        elif line.startswith(("└", "┗", "合计")) or not line.strip():
            current = None
        if current:
            rows[current].append(line)
    return {unit: " ".join(lines) for unit, lines in rows.items()}


def test_report_table_gives_barred_amounts_their_own_column_and_never_says_normal_for_them(capsys, barred):
    code, out, err = run(capsys, barred, "report", as_of="2026-11-22")
    assert (code, err) == (0, "")
    header = next(line for line in out.splitlines() if "房号" in line)
    assert [h.strip() for h in re.split(r"[┃]", header) if h.strip()] == [
        "房号", "欠费", "违约金", "最早到期", "逾期天数", "阶段", "分期", "诉讼时效", "下一步"]
    rows = _rows(out)
    assert "已过时效 1,000.00" in rows["A-101"] and "违约金已过时效 803.00" in rows["A-101"]
    assert "违约金已过时效 37.75" in rows["B-102"] and "   1.90 " in rows["B-102"]
    assert "正常" not in rows["A-101"] and "正常" not in rows["B-102"]
    total = " ".join(out.split("合计：")[1].split())
    assert "逾期欠费 1,100.00 元（其中已过诉讼时效 1,000.00 元）" in total
    assert "违约金 1.90 元（另有 840.75 元已过诉讼时效，不计入）" in total


@pytest.mark.parametrize("width", [80, 120])
def test_report_table_fits_80_and_120_column_terminals_without_cutting_a_value(barred, width):
    import io
    from datetime import date

    from rich.cells import cell_len
    from rich.console import Console

    from generator.views.terminal import print_ledger

    out = io.StringIO()
    print_ledger(barred.checked("2026-11-22").ledger, date(2026, 11, 22), Console(file=out, width=width, highlight=False))
    text = out.getvalue()
    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    rows = _rows(text)
    assert set(rows) == {"A-101", "B-102"}
    for unit, cells in {"A-101": ["1,000.00", "803.00", "已过时效", "1606"], "B-102": ["100.00", "1.90", "违约金已过时效", "37.75", "38"]}.items():
        for cell in cells:
            assert f" {cell} " in rows[unit] or f" {cell}\n" in rows[unit] or rows[unit].endswith(cell), (unit, cell, rows[unit])
    assert "下一步" in text and "诉讼时效" in text


def _run_installed(monkeypatch, *args: str) -> tuple[int, list]:
    """``cli.run`` as ``console`` calls it: the exit code and what the command left to the process exit."""
    left: list = []
    monkeypatch.setattr("sys.argv", ["cuijiao", *args])
    with pytest.raises(SystemExit) as exc:
        cli.run(left)
    return exc.value.code, left


def test_the_installed_command_leaves_the_computed_desk_to_the_process_exit_not_to_be_freed_object_by_object(
        tmp_path, monkeypatch, community):
    from generator.rules.engine import Desk

    code, left = _run_installed(monkeypatch, "--root", str(community.root), "--as-of", "2026-03-20", "site", "--out", str(tmp_path / "out"))
    assert code == 0
    assert [type(value) for made in left for value in made] == [Desk]


def test_community_all_frees_each_communitys_desk_after_its_run(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    for name in ("east", "west"):
        Community(repo / "communities" / name, fees=[fee()]).unit("1-101", billing_start="2026-01-01").write()
    code, left = _run_installed(monkeypatch, "--root", str(repo), "--community", "all", "--as-of", "2026-03-20",
                                "site", "--out", str(tmp_path / "out"))
    assert code == 0 and left == []
