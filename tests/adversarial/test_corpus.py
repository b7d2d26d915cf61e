"""The corpus of attacks: each ``tests/adversarial/cases/<case>/`` is a small hostile folder and what must happen.

A case folder holds ``case.yaml`` and, beside it, files laid over a copy of
``tests/broken/_base/`` (a clean one-unit community). ``case.yaml`` says:

- ``about``: the attack, in a sentence;
- ``setup``: steps done in order before the run, each one of
  ``link: {at, to}`` (a symbolic link), ``fifo: PATH``, ``mkdir: PATH``,
  ``write: {path, text}``, ``run: [ARGS]`` (a command that must succeed,
  such as a first build) or ``remove: PATH``;
- ``run``: the command's arguments after ``--root`` and ``--as-of``;
- ``exit``: the exit code expected (1 bad data or a failed operation, 2 wrong use);
- ``says``: phrases the output must hold; ``never_says``: phrases it must not;
- ``gone`` and ``kept``: paths that must be gone, or still there, afterwards.

Paths may use ``{root}`` (the community), ``{out}`` (an output folder beside
it) and ``{outside}`` (a folder beside it holding ``sentinel.txt`` and
``secret.yaml``); other paths are relative to the community. Every case also
checks: no traceback, nothing in ``{outside}`` changed, no secret text echoed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from tests.support import cuijiao

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
BASE = HERE.parent / "broken" / "_base"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "case.yaml").is_file())
SECRET = "SECRET-OUTSIDE-7f3a"
OUTSIDE_FILES = {"sentinel.txt": "这个文件在小区文件夹以外，任何命令都不能改动或删除它。\n",
                 "secret.yaml": f"owners:\n  - name: {SECRET}\n",
                 "index.html": "<p>not cuijiao's</p>\n"}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


class Attack:
    def __init__(self, case: str, tmp: Path) -> None:
        self.case = case
        self.spec = yaml.safe_load((CASES_DIR / case / "case.yaml").read_text(encoding="utf-8"))
        self.root, self.out, self.outside = tmp / "community", tmp / "out", tmp / "outside"
        shutil.copytree(BASE, self.root)
        shutil.copytree(CASES_DIR / case, self.root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("case.yaml"))
        self.outside.mkdir()
        for name, text in OUTSIDE_FILES.items():
            (self.outside / name).write_text(text, encoding="utf-8")

    def path(self, text: str) -> Path:
        text = self.fill(text)
        return Path(text) if text.startswith("/") else self.root / text

    def fill(self, text: str) -> str:
        return text.replace("{root}", str(self.root)).replace("{out}", str(self.out)).replace("{outside}", str(self.outside))

    def setup(self) -> None:
        for step in self.spec.get("setup") or []:
            (action, value), = step.items()
            if action == "link":
                at = self.path(value["at"])
                at.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(self.fill(value["to"]), at)
            elif action == "fifo":
                os.mkfifo(self.path(value))
            elif action == "mkdir":
                self.path(value).mkdir(parents=True, exist_ok=True)
            elif action == "write":
                target = self.path(value["path"])
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(self.fill(value["text"]), encoding="utf-8")
            elif action == "remove":
                target = self.path(value)
                shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
            elif action == "run":
                done = self.cuijiao([self.fill(a) for a in value])
                assert done.returncode == 0, done.stdout + done.stderr
            else:
                raise AssertionError(f"{self.case}: unknown setup step {action}")

    def cuijiao(self, args: list[str]):
        return cuijiao(*args, root=self.root, as_of="2026-11-22", timeout=120)


@pytest.mark.parametrize("case", CASES)
def test_attack_gets_a_clear_answer_and_touches_nothing_outside(case, tmp_path):
    attack = Attack(case, tmp_path)
    attack.setup()
    before = _snapshot(attack.outside)
    result = attack.cuijiao([attack.fill(a) for a in attack.spec["run"]])
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == attack.spec["exit"], output
    for phrase in attack.spec.get("says") or []:
        assert attack.fill(phrase) in output, f"{case}: missing “{phrase}” in:\n{output}"
    for phrase in [SECRET, *(attack.spec.get("never_says") or [])]:
        assert attack.fill(phrase) not in output, f"{case}: “{phrase}” must not be shown:\n{output}"
    assert _snapshot(attack.outside) == before, f"{case}: a file outside the community and --out changed"
    for path in attack.spec.get("gone") or []:
        assert not os.path.lexists(attack.path(path)), f"{case}: {path} should be gone"
    for path in attack.spec.get("kept") or []:
        assert os.path.lexists(attack.path(path)), f"{case}: {path} should still be there"


def test_the_corpus_covers_the_attacks_of_issue_12():
    assert len(CASES) >= 15
    for case in CASES:
        spec = yaml.safe_load((CASES_DIR / case / "case.yaml").read_text(encoding="utf-8"))
        assert spec["about"] and spec["run"] and spec["exit"] in (0, 1, 2), case
