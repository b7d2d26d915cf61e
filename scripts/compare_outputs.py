"""Snapshot every output of a cuijiao source tree, and compare two snapshots byte for byte.

A refactor must not change what a committee sees. This script runs the CLI of
one source tree (``--tree``, default this checkout) over fixed input data and
records a SHA-256 of every byte it produces: the site and the letters of
``build``, ``report`` (terminal and JSON), ``check`` on the demo, on a
generated community and on every broken case, the editor schemas, an import
dry run, a money diff between two commits, and every command's ``--help``.

    python scripts/compare_outputs.py data DATA            # the inputs, once: demo + 500 units
    python scripts/compare_outputs.py snapshot DATA OUT [--tree TREE]
    python scripts/compare_outputs.py compare OUT_A OUT_B  # exit 1 on any difference

Run ``snapshot`` with ``--tree`` pointing at a checkout of the old commit
(``git worktree add /tmp/before <commit>``) and again on the new one, over
the same DATA, then ``compare``. Paths of the temporary folders are replaced
by placeholders in captured text so that two runs in different folders agree.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22"
SYNTH_UNITS = 500
COMMANDS = ["", "build", "check", "diff", "import", "letters", "log", "pay", "plan", "report", "schemas", "site", "waive"]
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2026-11-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-11-01T00:00:00Z"}


def write_data(data: Path) -> None:
    """The fixed inputs: the demo as committed here, a 500-unit synthetic community, the broken corpus."""
    if data.exists():
        shutil.rmtree(data)
    demo = data / "demo"
    demo.mkdir(parents=True)
    for name in ("owners", "ledger"):
        shutil.copytree(PROJECT / name, demo / name)
    sys.path.insert(0, str(PROJECT / "bench"))
    import synth  # noqa: PLC0415 - the benchmark's generator, only needed here

    synth.generate(data / "synth", SYNTH_UNITS, 5)
    broken = data / "broken"
    sys.path.insert(0, str(PROJECT))
    from tests.acceptance.test_broken_corpus import CASES, assemble  # noqa: PLC0415

    for case in CASES:
        assemble(case, broken / case)
    shutil.copytree(PROJECT / "tests" / "data" / "import", data / "import")
    # a two-commit history of the demo for `diff`: the second commit records one payment
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", str(demo)], check=True, env=env)
    subprocess.run(["git", "-C", str(demo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(demo), "commit", "-qm", "base"], check=True, env=env)


def cli(tree: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "100", "LANG": "C.UTF-8", "NO_COLOR": "1", **GIT_ENV}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, cwd=cwd or tree, env=env, timeout=900)


def snapshot(data: Path, out: Path, tree: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    work = out / "work"
    shutil.copytree(data, work, symlinks=True)
    captured = out / "captured"
    captured.mkdir()
    placeholders = {str(work): "<WORK>", str(tree): "<TREE>", str(out): "<OUT>"}

    def keep(name: str, proc: subprocess.CompletedProcess) -> None:
        text = proc.stdout + b"\n--- stderr ---\n" + proc.stderr + f"\n--- rc {proc.returncode} ---\n".encode()
        for real, placeholder in placeholders.items():
            text = text.replace(real.encode(), placeholder.encode())
        text = re.sub(r"用时 \d+(\.\d+)? 秒".encode(), "用时 … 秒".encode(), text)  # the stage lines' timings vary run to run
        (captured / f"{name}.txt").write_bytes(text)

    jobs: list[tuple[str, tuple[str, ...]]] = []
    for community in ("demo", "synth"):
        root = str(work / community)
        base = ("--root", root, "--as-of", AS_OF, "--no-cache")
        jobs += [
            (f"{community}-check", (*base, "check")),
            (f"{community}-report", (*base, "report")),
            (f"{community}-report-json", (*base, "report", "--format", "json")),
            (f"{community}-schemas", (*base, "schemas", "--out", str(out / "schemas" / community))),
        ]
    for case in sorted(p.name for p in (work / "broken").iterdir()):
        jobs.append((f"broken-{case}", ("--root", str(work / "broken" / case), "--as-of", AS_OF, "--no-cache", "check")))
    for sheet in sorted((work / "import").iterdir()):
        jobs.append((f"import-{sheet.stem}", ("--root", str(work / "demo"), "--as-of", AS_OF, "import", "--dry-run", str(sheet))))
    for command in COMMANDS:
        jobs.append((f"help-{command or 'main'}", tuple(a for a in (command, "--help") if a)))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for (name, _), proc in zip(jobs, pool.map(lambda job: cli(tree, *job[1]), jobs)):
            keep(name, proc)
    # builds one after the other: each is parallel inside
    for community in ("demo", "synth"):
        keep(f"{community}-build", cli(tree, "--root", str(work / community), "--as-of", AS_OF, "--no-cache",
                                       "build", "--out", str(out / "build" / community)))
    # the money diff: one recorded payment on top of the committed demo
    demo = work / "demo"
    keep("demo-pay", cli(tree, "--root", str(demo), "--as-of", AS_OF, "--no-cache", "pay", "1-1-101", "500",
                         "--date", "2026-11-20", "--method", "wechat", "--receipt", "CMP-0001"))
    keep("demo-diff", cli(tree, "--root", str(demo), "--as-of", AS_OF, "--no-cache", "diff", "HEAD"))
    digests = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and "work" not in p.relative_to(out).parts[:1]):
        digests[str(path.relative_to(out))] = hashlib.sha256(path.read_bytes()).hexdigest()
    (out / "digests.json").write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(digests)} files hashed into {out / 'digests.json'}")


def compare(a: Path, b: Path) -> int:
    left = json.loads((a / "digests.json").read_text(encoding="utf-8"))
    right = json.loads((b / "digests.json").read_text(encoding="utf-8"))
    only_left = sorted(set(left) - set(right))
    only_right = sorted(set(right) - set(left))
    changed = sorted(k for k in set(left) & set(right) if left[k] != right[k])
    for label, names in (("only in A", only_left), ("only in B", only_right), ("differ", changed)):
        for name in names:
            print(f"{label}: {name}")
    same = len(left) - len(only_left) - len(changed)
    print(f"{same} identical, {len(changed)} differ, {len(only_left)} only in A, {len(only_right)} only in B")
    return 1 if only_left or only_right or changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data")
    data.add_argument("data", type=Path)
    snap = sub.add_parser("snapshot")
    snap.add_argument("data", type=Path)
    snap.add_argument("out", type=Path)
    snap.add_argument("--tree", type=Path, default=PROJECT)
    comp = sub.add_parser("compare")
    comp.add_argument("a", type=Path)
    comp.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "data":
        write_data(args.data.resolve())
        return 0
    if args.command == "snapshot":
        snapshot(args.data.resolve(), args.out.resolve(), args.tree.resolve())
        return 0
    return compare(args.a.resolve(), args.b.resolve())


if __name__ == "__main__":
    sys.exit(main())
