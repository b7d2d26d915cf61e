"""The corpus of broken communities: the real CLI reports each problem where it is, in Chinese, and exits 1.

Each ``tests/broken/<case>/`` holds only what differs from ``tests/broken/_base/``
(a clean one-unit community): its files are laid over a copy of the base,
``removed.txt`` lists base files to delete, and ``expected.txt`` lists the
errors ``cuijiao check`` must print, one ``path:line:col  key phrase`` per line
(``path:line`` where the column does not matter), in the order they are printed.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from tests.support import cuijiao

CORPUS = Path(__file__).resolve().parents[1] / "broken"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
AS_OF = "2026-11-22"
AS_OF_DATE = date.fromisoformat(AS_OF)
ERROR_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): 错误: ")


def assemble(case: str | None, root: Path) -> Path:
    shutil.copytree(BASE, root)
    if case is None:
        return root
    removed = CORPUS / case / "removed.txt"
    if removed.exists():
        for rel in removed.read_text(encoding="utf-8").split():
            (root / rel).unlink()
    shutil.copytree(CORPUS / case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "removed.txt"))
    return root


def cuijiao_check(root: Path) -> subprocess.CompletedProcess:
    return cuijiao("check", root=root, as_of=AS_OF, no_cache=True, timeout=60)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Run the CLI once per case, a few at a time (each run is a fresh interpreter)."""
    folder = tmp_path_factory.mktemp("broken")
    roots = {case: assemble(case, folder / case) for case in CASES}
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2) * 2)) as pool:
        return dict(zip(CASES, pool.map(lambda case: cuijiao_check(roots[case]), CASES)))


def expected(case: str) -> list[tuple[str, str]]:
    rows = []
    for line in (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            place, phrase = line.split(None, 1)
            rows.append((place, phrase.strip()))
    return rows


def test_the_corpus_is_large_and_every_case_says_what_it_expects():
    assert len(CASES) >= 30
    for case in CASES:
        assert expected(case), case


def test_the_base_community_is_clean(tmp_path):
    result = cuijiao_check(assemble(None, tmp_path / "base"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("检查通过：1 户，1 笔缴费")


@pytest.mark.parametrize("case", CASES)
def test_broken_input_is_reported_at_its_place(results, case):
    result = results[case]
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == 1, output
    errors = [line for line in result.stdout.splitlines() if ERROR_LINE.match(line)]
    want = expected(case)
    assert len(errors) == len(want), output  # every problem, and nothing else
    for line, (place, phrase) in zip(errors, want):
        assert line.startswith(place + ":"), (line, place)
        assert phrase in line, (line, phrase)
        assert "错误" in line
    assert f"发现 {len(want)} 处错误" in result.stderr


@pytest.mark.parametrize("case", [c for c in CASES if len(expected(c)) > 1])
def test_several_problems_are_all_reported_sorted_by_path_and_line(results, case):
    places = []
    for line in results[case].stdout.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            places.append((match["path"], int(match["line"]), int(match["col"])))
    assert len(places) == len(expected(case)) > 1
    assert places == sorted(places)


def test_every_problem_in_the_corpus_says_how_to_fix_it(tmp_path):
    """Each diagnostic has a hint (怎么改), in Chinese, and no English outside libyaml's bracketed words."""
    for case in CASES:
        root = assemble(case, tmp_path / case)
        checked = pipeline.check(root, AS_OF_DATE, AS_OF_DATE, use_cache=False)
        assert checked.problems, case
        for problem in checked.problems:
            assert problem.hint.strip(), (case, problem.render())
            assert re.search(r"[\u4e00-\u9fff]", problem.message) and re.search(r"[\u4e00-\u9fff]", problem.hint), (case, problem.render())


@pytest.mark.parametrize("as_of", ["9999-12-31", "1989-12-31", "0001-01-01", "2101-01-01"])
def test_an_as_of_outside_the_supported_years_is_a_usage_error_not_a_traceback(tmp_path, as_of):
    root = assemble(None, tmp_path / "base")
    result = cuijiao("report", "--format", "json", root=root, as_of=as_of, no_cache=True, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "用法错误" in result.stderr and "1990-01-01 到 2100-12-31" in result.stderr


def test_the_last_supported_as_of_computes(tmp_path):
    root = assemble(None, tmp_path / "base")
    result = cuijiao("report", "--format", "json", root=root, as_of="2100-12-31", no_cache=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert '"as_of": "2100-12-31"' in result.stdout
