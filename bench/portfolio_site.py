"""Benchmark of the portfolio build (issue 17, item 2): ``cuijiao portfolio`` over N community summaries.

    python bench/portfolio_site.py                  # 200 summaries, 3 timed builds
    python bench/portfolio_site.py --communities 500 --repeat 1

The summaries are made quickly from the demo community: its desk computed at
a few as-of days (the last days of the months before 2026-11-22), each
summary given its own folder name and display name, written as
``OUT/reports/summary-<name>/summary.json`` as the CI's portfolio job
downloads them. Only the build is timed: one whole ``cuijiao portfolio``
process each (start-up and imports included), from the same reports, the
first into an empty output folder and the next ones over the previous
output. The target is under 60 s on a 2-core machine for 200 summaries.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from generator import pipeline
from generator.views.portfolio import dumps, summarise

DEMO_AS_OF = date(2026, 11, 22)


def make_reports(folder: Path, count: int, days: int = 6) -> None:
    """``count`` summaries in ``folder``: the demo at ``days`` as-of days, cycled, each with its own names."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    checked = pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    assert not checked.errors, [p.render() for p in checked.errors[:5]]
    as_ofs = [DEMO_AS_OF] + [date(DEMO_AS_OF.year, DEMO_AS_OF.month, 1) - timedelta(days=1 + 31 * i) for i in range(days - 1)]
    summaries = []
    for as_of in as_ofs:
        day = pipeline.check(PROJECT, as_of, DEMO_AS_OF, use_cache=False)
        summaries.append(summarise(pipeline.desk_for(day, as_of), "demo"))
    for i in range(count):
        base = summaries[i % len(summaries)]
        slug = f"c{i:03d}"
        summary = dataclasses.replace(base, community=slug, name=f"{base.name}{i + 1}期")
        target = folder / f"summary-{slug}" / "summary.json"
        target.parent.mkdir()
        target.write_text(dumps(summary), encoding="utf-8")


def build_once(reports: Path, out: Path) -> float:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "generator", "portfolio", "--reports", str(reports), "--out", str(out)],
                         cwd=PROJECT, capture_output=True, text=True, encoding="utf-8", check=False)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"cuijiao portfolio failed ({run.returncode}):\n{run.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "portfolio")
    args = parser.parse_args()
    reports, out = args.out / "reports", args.out / "build"
    start = time.perf_counter()
    make_reports(reports, args.communities)
    print(f"{args.communities} summaries written in {time.perf_counter() - start:.1f} s ({reports})")
    shutil.rmtree(out, ignore_errors=True)
    times = [build_once(reports, out) for _ in range(args.repeat)]
    pages = sum(1 for _ in (out / "portfolio").rglob("*.html"))
    size = sum(f.stat().st_size for f in (out / "portfolio").rglob("*") if f.is_file())
    print(f"cuijiao portfolio, {args.communities} communities, {pages} HTML pages, {size / 1e6:.1f} MB: "
          f"first {times[0]:.1f} s, median {statistics.median(times):.1f} s, max {max(times):.1f} s "
          f"on {os.cpu_count()} CPUs (target: under 60 s)")


if __name__ == "__main__":
    main()
