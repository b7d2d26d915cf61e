"""Bounded memory on hostile sizes (issue 12): a 200 MB ledger, valid and with one bad value.

    python bench/hostile.py                 # writes bench/out/hostile-*, runs check on each
    python bench/hostile.py --units 2000    # a smaller run to try it out

Three communities, from ``synth.py`` (about 200 MB of YAML at 20,000 units
and 8 years): the ledger as it is (monthly payment files); the same with
one bad value in one month; and every payment in one file (about 200 MB)
with one bad value in the middle, which the fast reader gives up on and
the exact reader reads in parts. Each row is one whole ``cuijiao check``
process without the cache: wall time, peak memory (max RSS, children
included) and the answer. The issue asks for the right answer within
3 GB.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402
from bench import AS_OF, run_reaped  # noqa: E402

BAD = "    amount: 12.5\n"  # unquoted (a float to YAML) and a second amount: two errors at one place


def _spoil_one_value(file: Path) -> int:
    """Replace the amount line of the entry in the middle of ``file``; returns its line number."""
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    amounts = [i for i, line in enumerate(lines) if line.startswith("    amount: ")]
    at = amounts[len(amounts) // 2]
    lines[at + 1] = BAD  # the line after amount (method) becomes a second amount
    file.write_text("".join(lines), encoding="utf-8")
    return at + 2


def _one_file(root: Path) -> Path:
    """Every monthly payments file joined into ledger/payments/all.yaml."""
    folder = root / "ledger" / "payments"
    months = sorted(folder.glob("*.yaml"))
    target = folder / "all.yaml"
    with target.open("w", encoding="utf-8") as out:
        out.write("payments:\n")
        for month in months:
            out.write(month.read_text(encoding="utf-8").split("payments:\n", 1)[1])
            month.unlink()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--units", type=int, default=20000)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    base = args.out / f"hostile-{args.units}u-{args.years}y"
    if not (base / "ledger" / "policy.yaml").is_file():
        synth.generate(base, units=args.units, years=args.years)
    spoiled, joined = base.with_name(base.name + "-bad-month"), base.with_name(base.name + "-one-file-bad")
    for copy in (spoiled, joined):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base, copy)
    month = max((spoiled / "ledger" / "payments").glob("*.yaml"), key=lambda p: p.stat().st_size)
    where = [f"{month.relative_to(spoiled)}:{_spoil_one_value(month)}"]
    big = _one_file(joined)
    where.append(f"{big.relative_to(joined)}:{_spoil_one_value(big)}")
    size = sum(p.stat().st_size for p in base.rglob("*.yaml")) / 1e6
    print(f"| community ({size:.0f} MB of YAML) | bad value at | exit | wall s | peak MiB | answer |")
    print("|---|---|---:|---:|---:|---|")
    for name, root, bad in (("valid", base, "-"), ("one bad value in a month file", spoiled, where[0]),
                            (f"one {big.stat().st_size / 1e6:.0f} MB payments file, one bad value", joined, where[1])):
        run = run_reaped([args.python, "-m", "generator", "--root", str(root), "--as-of", AS_OF.isoformat(), "--no-cache", "check"],
                         cwd=HERE.parent)
        lines = (run.stdout + run.stderr).decode("utf-8").splitlines()
        answer = next((line for line in lines if bad != "-" and line.startswith(bad.rsplit(":", 1)[0] + ":")), lines[-1] if lines else "")
        print(f"| {name} | {bad} | {run.rc} | {run.wall:.1f} | {run.maxrss_kib / 1024:.0f} | {answer[:90]} |", flush=True)


if __name__ == "__main__":
    main()
