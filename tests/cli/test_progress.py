"""Progress of the build commands: one plain line a stage on stderr in a log, a rich bar on a terminal.

Progress goes to stderr only, and never changes a byte of what is built.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from generator import pipeline
from generator.cli import main as cli
from generator.cli.progress import Bar, Plain, reporter
from generator.printing import print_run
from generator.render.fonts import letter_font
from tests.community import TODAY, Community, fee, stage
from tests.support import PROJECT, cuijiao_here

AS_OF = TODAY.isoformat()  # 2026-11-22
SECONDS = r"用时 \d+\.\d 秒"
DUNNING = [
    stage("reminder", 1, ["sms"]),
    stage("notice", 30, ["letter"], letter="notice", wait_days=7),
    stage("lawyer", 90, ["lawyer_letter"], letter="lawyer", deadline_days=14, requires={"notice": 1}),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """Three households owing since January 2026 (each gets letters), one paying in November (one receipt)."""
    c = Community(tmp_path_factory.mktemp("progress") / "c", fees=[fee(rate="2.00", cycle=3)],
                  late_fee={"daily_rate": "0.0003"}, dunning=DUNNING)
    for unit in ("1-1-101", "1-1-102", "1-1-103"):
        c.unit(unit, billing_start="2026-01-01")
        c.units[unit]["owners"] = [{"name": "王丽", "phone": "13800000000"}]
    c.payment("1-1-102", "2026-11-10", "100.00", receipt="R1")
    return c.write()


@pytest.fixture(scope="module")
def fonts(tmp_path_factory) -> Path:
    """The letters' font cut once for the module (8 s); each test's fresh work folder starts with it."""
    cache = tmp_path_factory.mktemp("font-cache")
    letter_font(cache)
    return cache / "fonts"


@pytest.fixture
def fresh(fonts, tmp_path, monkeypatch) -> Callable[[str], Path]:
    """``fresh(name)``: a new work folder for the command (no letter rendered yet), the font already cut."""
    def make(name: str) -> Path:
        cache = tmp_path / name
        shutil.copytree(fonts, cache / "fonts")
        monkeypatch.setenv("CUIJIAO_CACHE_DIR", str(cache))
        return cache

    return make


def run(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    return cuijiao_here(capsys, "--root", str(root), "--as-of", AS_OF, "--no-cache", *args)


def stage_lines(err: str) -> list[str]:
    """The stage lines with their seconds masked."""
    return [re.sub(SECONDS, "用时 X 秒", line) for line in err.splitlines()]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def letters_made(out: Path) -> int:
    return len(json.loads((out / "letters" / "manifest.json").read_text(encoding="utf-8"))["letters"])


# -- in a log: one plain line a stage -----------------------------------------------------------------

def test_build_in_a_log_writes_each_stage_as_one_plain_line_on_stderr_in_order(capsys, root, tmp_path, fresh):
    fresh("cache")
    out = tmp_path / "out"
    code, stdout, err = run(capsys, root, "build", "--out", str(out))
    assert code == 0, err
    letters = letters_made(out)
    pages = len(list((out / "site").rglob("*.html")))
    assert letters >= 6 and pages > 10
    assert stage_lines(err) == [
        "检查数据：3 户，用时 X 秒",
        "计算欠费：3 户，用时 X 秒",
        f"生成函件：{letters} 封，用时 X 秒",
        f"生成网站：{pages} 个网页，用时 X 秒",
    ]
    assert "\x1b" not in err  # no escape code in a log
    assert stdout == f"已生成：网站 {out}/site/index.html，函件 {out}/letters/（更新 {len(tree(out))} 个文件，0 个未变）\n"

    code, stdout, err = run(capsys, root, "build", "--out", str(out))
    assert code == 0, err
    assert stage_lines(err)[2] == f"生成函件：{letters} 封，全部未变，沿用上次的结果，用时 X 秒"
    assert stdout.startswith("已生成：网站") and stdout.count("\n") == 1


@pytest.mark.parametrize(("args", "stages"), [
    (("letters",), ["检查数据：3 户", "计算欠费：3 户", "生成函件：{letters} 封"]),
    (("receipts", "--month", "2026-11"), ["检查数据：3 户", "生成收据：1 张"]),
])
def test_each_print_command_reports_its_own_stages(capsys, root, tmp_path, fresh, args, stages):
    fresh("cache")
    out = tmp_path / "out"
    code, stdout, err = run(capsys, root, *args, "--out", str(out))
    assert code == 0, err
    letters = letters_made(out) if args[0] == "letters" else 0
    assert stage_lines(err) == [s.format(letters=letters) + "，用时 X 秒" for s in stages]
    assert len(stdout.splitlines()) == 1 and not re.search(SECONDS, stdout)


def test_the_site_command_reports_checking_computing_and_the_site(capsys, root, tmp_path):
    code, _stdout, err = run(capsys, root, "site", "--no-search", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert [line.split("：")[0] for line in err.splitlines()] == ["检查数据", "计算欠费", "生成网站"]


def test_data_with_errors_shows_its_errors_and_no_stage_line(capsys, tmp_path):
    c = Community(tmp_path / "bad", fees=[fee()])
    c.unit("1-1-101")
    c.payment("1-1-101", "2026-03-01", "1.001")
    code, stdout, err = run(capsys, c.write(), "build", "--out", str(tmp_path / "out"))
    assert (code, stdout) == (1, "")
    assert "：用时" not in err and "检查数据" not in err
    assert err.splitlines()[-1] == "数据有 1 处错误，请先改正（运行 cuijiao check 查看全部问题）。"


def test_report_json_and_check_print_no_progress(capsys, root):
    code, stdout, err = run(capsys, root, "report", "--format", "json")
    assert (code, err) == (0, "")
    assert [u["unit"] for u in json.loads(stdout)["units"]] == ["1-1-101", "1-1-102", "1-1-103"]
    code, stdout, err = run(capsys, root, "check")
    assert (code, err) == (0, "") and stdout.startswith("检查通过：3 户")


# -- on a terminal: a bar with done of total and time left ----------------------------------------------

def terminal() -> tuple[Bar, io.StringIO]:
    screen = io.StringIO()
    return Bar(Console(file=screen, force_terminal=True, width=100, color_system=None)), screen


def frames(screen: io.StringIO) -> list[str]:
    """What the terminal showed, one redraw a line, escape codes removed."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    return [line.strip() for line in re.split(r"[\r\n]", text) if line.strip()]


def test_the_terminal_bar_shows_done_of_total_then_time_left_then_a_checked_line():
    bar, screen = terminal()
    with bar.stage("生成函件", "封") as step:
        step.total(80)
        step.total(80, done=20)  # the cache held 20: no pace yet
        step.advance(40)
    shown = frames(screen)
    assert any(re.fullmatch(r"生成函件 [━╸╺ ]+ 0/80 封 已用 0:00:\d\d", f) for f in shown)
    assert any(re.fullmatch(r"生成函件 [━╸╺ ]+ 20/80 封 已用 0:00:\d\d", f) for f in shown)
    assert any(re.fullmatch(r"生成函件 [━╸╺ ]+ 60/80 封 剩余约 0:00:\d\d 已用 0:00:\d\d", f) for f in shown)
    assert re.fullmatch(r"✓ 生成函件：80 封，其中 20 封未变，沿用上次的结果，" + SECONDS, shown[-1])


def test_a_failed_stage_leaves_no_line_on_the_terminal_nor_in_a_log():
    bar, screen = terminal()
    log = io.StringIO()
    for stages in (bar, Plain(log)):
        with pytest.raises(RuntimeError), stages.stage("生成网站") as step:
            step.tally(3)
            raise RuntimeError("失败")
        with stages.stage("检查数据", "户") as step:
            step.drop()
    assert not [f for f in frames(screen) if f.startswith("✓")]
    assert log.getvalue() == ""


def test_a_closed_pipe_stops_the_lines_not_the_work():
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    log = Plain(Closed())
    done = []
    for name in ("检查数据", "生成函件"):
        with log.stage(name) as step:
            step.tally(3)
        done.append(name)
    assert done == ["检查数据", "生成函件"] and log.stream is None


def test_a_log_or_a_pipe_gets_plain_lines_and_a_terminal_the_bar():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert type(reporter(io.StringIO())) is Plain
    assert type(reporter(Tty())) is Bar


def test_rich_is_loaded_only_to_draw_a_bar():
    """Every command starts without it (70 ms); ``report`` loads it for its table, a build on a terminal for the bar."""
    code = "import sys, generator.cli.main; print('rich' in sys.modules)"
    started = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT)
    assert started.stdout == "False\n"


def test_letters_on_a_terminal_count_every_letter_and_come_out_byte_identical(capsys, root, tmp_path, fresh, monkeypatch):
    """The real command with the bar drawn into a string: 0/n, then n/n letters; the same files as in a log."""
    fresh("cache")
    bar, screen = terminal()
    monkeypatch.setattr(cli, "reporter", lambda: bar)
    code, stdout, err = run(capsys, root, "letters", "--out", str(tmp_path / "bar"))
    assert (code, err) == (0, "")
    assert stdout.startswith("函件已生成：")
    letters = letters_made(tmp_path / "bar")
    shown = frames(screen)
    assert any(re.search(rf" 0/{letters} 封 ", f) for f in shown) and any(re.search(rf" {letters}/{letters} 封 ", f) for f in shown)
    assert [re.sub(SECONDS, "用时 X 秒", f) for f in shown if f.startswith("✓")] == [
        "✓ 检查数据：3 户，用时 X 秒", "✓ 计算欠费：3 户，用时 X 秒", f"✓ 生成函件：{letters} 封，用时 X 秒"]
    monkeypatch.undo()
    fresh("plain-cache")
    code, _out, err = run(capsys, root, "letters", "--out", str(tmp_path / "plain"))
    assert code == 0 and "全部未变" not in err
    assert tree(tmp_path / "bar" / "letters") == tree(tmp_path / "plain" / "letters")


# -- the print run: progress as batches finish, the same bytes -------------------------------------------

class Heard:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def total(self, count: int, done: int = 0) -> None:
        self.calls.append(("total", count, done))

    def advance(self, count: int) -> None:
        self.calls.append(("advance", count))


def test_the_print_run_reports_each_batch_and_keeps_order_and_bytes(root, tmp_path, fonts, monkeypatch):
    """Batches of one letter across two workers finish in any order; the run is the silent one's, byte for byte."""
    desk = pipeline.desk_for(pipeline.check(root, TODAY, TODAY, use_cache=False), TODAY)
    monkeypatch.setattr(print_run, "CHUNK", 1)
    for name in ("silent", "heard"):
        shutil.copytree(fonts, tmp_path / name / "fonts")
    silent = print_run.render_letters(desk, root, tmp_path / "silent", workers=1)
    heard = Heard()
    run = print_run.render_letters(desk, root, tmp_path / "heard", workers=2, progress=heard)
    count = len(silent.files)
    assert count >= 6
    assert heard.calls == [("total", count, 0), ("total", count, 0)] + [("advance", 1)] * count
    assert [(f.letter.file, f.sha256, f.pages) for f in run.files] == [(f.letter.file, f.sha256, f.pages) for f in silent.files]
    assert print_run.letter_folder(desk, run) == print_run.letter_folder(desk, silent)

    again = Heard()
    print_run.render_letters(desk, root, tmp_path / "heard", workers=2, progress=again)
    assert again.calls == [("total", count, 0), ("total", count, count)]  # all from the cache: nothing to advance
