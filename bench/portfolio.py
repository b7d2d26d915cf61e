"""A generated portfolio: many communities in one repository, timed as CI runs them (issue 17, item 3).

    python bench/portfolio.py                          # 200 communities of 1,000 units, 2 years of payments
    python bench/portfolio.py --communities 20 --units 300   # a quick run

It writes ``bench/out/portfolio-<n>x<units>-<years>y/`` (git-ignored, reused
while the parameters are unchanged): ``communities/_shared/policy.yaml`` (the
synthetic policy) and ``communities/c001/`` … each a ``bench/synth.py``
community with its own seed whose ``ledger/policy.yaml`` holds only its name
and, for every third community, a late-fee rate of its own. Then, each as a
whole process from outside (``bench.run_reaped``):

- **one community's job**: the commands of the workflow's matrix job for one
  community, with an empty cache as on a fresh runner: ``check``, ``build``
  (site and letters), ``report --format json`` and ``summary``;
- **summaries**: ``summary`` for every community, two at a time (what the
  matrix's jobs upload), not a target, only the portfolio's input;
- **portfolio**: ``cuijiao portfolio --reports`` over all the summaries.

Targets (2 CPUs): one community's job under 2 minutes, the portfolio under 1 minute.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402
from bench import AS_OF, machine, run_reaped  # noqa: E402

JOB_TARGET_S = 120.0
PORTFOLIO_TARGET_S = 60.0


def generate(repo: Path, communities: int, units: int, years: int) -> Path:
    """The repository of ``communities`` synthetic communities under a shared policy; reused when complete."""
    done = repo / ".complete"
    if done.exists():
        return repo
    if repo.exists():
        shutil.rmtree(repo)
    shared = repo / "communities" / "_shared"
    for index in range(1, communities + 1):
        name = f"c{index:03d}"
        root = repo / "communities" / name
        synth.generate(root, units, years, seed=20261122 + index)
        policy = root / "ledger" / "policy.yaml"
        if not shared.exists():
            shared.mkdir(parents=True)
            shutil.copy(policy, shared / "policy.yaml")
        own = f"community: 示例小区{index:03d}\n"
        if index % 3 == 0:
            own += 'late_fee:\n  daily_rate: "0.0002"\n'
        policy.write_text(own, encoding="utf-8")
    done.write_text("", encoding="utf-8")
    return repo


def cuijiao(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", "--as-of", AS_OF.isoformat(), *args]


def one_job(repo: Path, name: str, out: Path) -> dict:
    """The matrix job's commands for one community, on an empty cache (a fresh runner has none)."""
    env = {**os.environ, "CUIJIAO_CACHE_DIR": tempfile.mkdtemp(prefix="cuijiao-bench-cache-")}
    root = str(repo / "communities" / name)
    build = out / name
    shutil.rmtree(build, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    steps = {
        "check": cuijiao("--root", root, "check", "--summary", str(out / f"{name}-check.txt")),
        "build": cuijiao("--root", root, "build", "--out", str(build)),
        "report": cuijiao("--root", root, "report", "--format", "json"),
        "summary": cuijiao("--root", root, "summary", "--out", str(build / "summary.json")),
    }
    figures = {}
    for step, cmd in steps.items():
        run = run_reaped(cmd, cwd=HERE.parent, env=env)
        if run.rc != 0:
            raise SystemExit(f"{step} failed ({run.rc}): {run.stderr.decode('utf-8', 'replace')[-2000:]}")
        figures[step] = {"wall": round(run.wall, 2), "cpu": round(run.cpu, 2), "peak_mib": round(run.maxrss_kib / 1024)}
    figures["total_wall"] = round(sum(f["wall"] for f in figures.values()), 2)
    shutil.rmtree(env["CUIJIAO_CACHE_DIR"], ignore_errors=True)
    return figures


def summaries(repo: Path, names: list[str], reports: Path, workers: int) -> float:
    """Every community's summary into ``reports/summary-<name>/summary.json``, as the portfolio job downloads them."""
    start = time.perf_counter()

    def one(name: str) -> None:
        target = reports / f"summary-{name}" / "summary.json"
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        run = run_reaped(cuijiao("--root", str(repo / "communities" / name), "summary", "--out", str(target)), cwd=HERE.parent)
        if run.rc != 0:
            raise SystemExit(f"summary of {name} failed: {run.stderr.decode('utf-8', 'replace')[-2000:]}")

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, names))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="summaries made at once")
    args = parser.parse_args()
    out = HERE / "out"
    repo = out / f"portfolio-{args.communities}x{args.units}-{args.years}y"
    start = time.perf_counter()
    generate(repo, args.communities, args.units, args.years)
    print(f"generated {repo} in {time.perf_counter() - start:.1f} s", flush=True)
    names = sorted(p.name for p in (repo / "communities").iterdir() if not p.name.startswith("_"))
    job = one_job(repo, names[0], out / "portfolio-job")
    print(f"one community's job ({args.units} units): {json.dumps(job)}", flush=True)
    reports = repo.parent / f"{repo.name}-reports"
    made = summaries(repo, names, reports, args.workers)
    print(f"{len(names)} summaries in {made:.1f} s ({args.workers} at a time)", flush=True)
    site = out / "portfolio-site"
    shutil.rmtree(site, ignore_errors=True)
    run = run_reaped(cuijiao("portfolio", "--reports", str(reports), "--out", str(site)), cwd=HERE.parent)
    if run.rc != 0:
        raise SystemExit(f"portfolio failed: {run.stderr.decode('utf-8', 'replace')[-2000:]}")
    pages = sum(1 for _ in (site / "portfolio").rglob("*.html"))
    result = {
        "machine": machine(), "communities": len(names), "units": args.units, "years": args.years,
        "one_job": job, "one_job_target_s": JOB_TARGET_S,
        "portfolio": {"wall": round(run.wall, 2), "cpu": round(run.cpu, 2), "peak_mib": round(run.maxrss_kib / 1024), "pages": pages},
        "portfolio_target_s": PORTFOLIO_TARGET_S,
    }
    print(f"portfolio of {len(names)} communities: {json.dumps(result['portfolio'])}")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"portfolio-results-{stamp}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
