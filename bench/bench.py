"""Benchmark of cuijiao on seeded synthetic communities: whole processes, as a committee runs them.

    python bench/bench.py --units 500,1000,2000,5000 --years 5 --repeat 5
    python bench/bench.py --section site          # site build: the demo, 120 and 5,000 units, incremental rebuild
    python bench/bench.py --section rebuild --repeat 3   # 5,000 units: warm report, site after no change and one contact
    python bench/bench.py --section letters       # 1,000 notices and the demo's letter set, cold and warm
    python bench/bench.py --section beancount     # the same payments through bean-check, for scale
    python bench/bench.py --section all
    python bench/bench.py --trees now=.,before=/tmp/before   # two source trees side by side in one run

Every figure is a whole ``cuijiao`` process (start-up, imports, output
included), timed from outside: wall time (median of --repeat runs), CPU
time (user + system) and peak memory (max RSS of the process and its
children, from wait4). "cold" runs start with the per-file cache
(``.cuijiao-cache/``) removed; "warm" runs find it complete, no file
changed. Communities are written by ``bench/synth.py`` into ``bench/out/``
(git-ignored) and reused while their parameters are unchanged. Results are
printed as Markdown and saved in ``bench/out/results-*.md`` and ``.json``.
See bench/README.md for what the figures mean and the targets.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

AS_OF = date(2026, 11, 22)
TARGETS = {"units": 5000, "cold_s": 10.0, "warm_s": 3.0, "peak_mib": 1536.0}
GIB = 1024 * 1024 * 1024


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and its children
    maxrss_kib: int  # peak resident set of the process or any of its children
    rc: int
    stdout: bytes
    stderr: bytes


def run_reaped(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """One process, timed from outside; wait4 gives its own resource usage (its children included)."""
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks: dict[str, bytes] = {}

    def drain(name, pipe):
        chunks[name] = pipe.read()
        pipe.close()

    threads = [threading.Thread(target=drain, args=("out", proc.stdout)), threading.Thread(target=drain, args=("err", proc.stderr))]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen never waits for it again
    for t in threads:
        t.join()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, chunks.get("out", b""), chunks.get("err", b""))


class Bench:
    def __init__(self, args) -> None:
        self.args = args
        self.out = Path(args.out).resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        self.python = args.python
        self.trees = parse_trees(args.trees)
        self.tree_name, self.tree = self.trees[0]
        self.env = {k: v for k, v in os.environ.items() if k != "CUIJIAO_CACHE_DIR"}
        self.lines: list[str] = []
        self.results: dict = {"machine": machine(), "args": vars(args)}

    # -- helpers -----------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)

    def cuijiao(self, root: Path, *command: str) -> list[str]:
        """The command line; its work folder is ROOT/.cuijiao-cache (CUIJIAO_CACHE_DIR), so a cold run can remove it."""
        return ["env", f"CUIJIAO_CACHE_DIR={root / '.cuijiao-cache'}",
                self.python, "-m", "generator", "--root", str(root), "--as-of", AS_OF.isoformat(), *command]

    def each_tree(self):
        """Measure the same thing with each source tree in turn (one tree: just once); yields the row label."""
        for name, tree in self.trees:
            self.tree_name, self.tree = name, tree
            yield f" ({name})" if len(self.trees) > 1 else ""

    def timed(self, cmd: list[str], before=None) -> Run:
        if before:
            before()
        # "python -m generator" imports the package of the tree it runs in
        result = run_reaped(cmd, cwd=self.tree, env={**self.env, "PYTHONPATH": str(self.tree)})
        if result.rc != 0:
            raise SystemExit(f"command failed ({result.rc}): {' '.join(cmd)}\n{result.stderr.decode('utf-8', 'replace')[-2000:]}")
        return result

    def community(self, units: int, years: int, **extra) -> tuple[Path, dict]:
        """The synthetic community for these parameters, written once and reused."""
        tag = f"{units}u-{years}y" + "".join(f"-{k}{v}" for k, v in sorted(extra.items()))
        root = self.out / f"community-{tag}"
        stamp = root / ".synth.json"
        code = hashlib.sha256((HERE / "synth.py").read_bytes()).hexdigest()[:16]
        wanted = {"units": units, "years": years, "seed": self.args.seed, "synth": code, **extra}
        if stamp.is_file():
            saved = json.loads(stamp.read_text(encoding="utf-8"))
            if saved.get("params") == wanted:
                return root, saved["stats"]
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        started = time.perf_counter()
        stats = asdict(synth.generate(root, units, years, seed=self.args.seed, as_of=AS_OF, **extra))
        stamp.write_text(json.dumps({"params": wanted, "stats": stats}), encoding="utf-8")
        print(f"  (wrote {root.name}: {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s)", flush=True)
        return root, stats

    def demo(self) -> Path:
        """A copy of the project's demo community (ledger/ and owners/), so its cache and output stay in bench/out."""
        root = self.out / "demo-community"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        for folder in ("ledger", "owners"):
            shutil.copytree(PROJECT / folder, root / folder)
        return root

    def repeat(self, cmd: list[str], times: int, before=None) -> dict:
        runs = [self.timed(cmd, before) for _ in range(times)]
        return {
            "wall": statistics.median(r.wall for r in runs),
            "wall_min": min(r.wall for r in runs),
            "wall_max": max(r.wall for r in runs),
            "cpu": statistics.median(r.cpu for r in runs),
            "peak_mib": max(r.maxrss_kib for r in runs) / 1024,
            "stdout_bytes": len(runs[-1].stdout),
        }

    # -- check and report -------------------------------------------------------------------------
    def core(self) -> None:
        args = self.args
        units_list = [int(u) for u in args.units.split(",")]
        self.say(f"## check and report --format json ({args.years} years of monthly payments, median of {args.repeat}, as of {AS_OF})")
        self.say()
        self.say("| units | payments | YAML MB | check cold s | check warm s | report cold s | report warm s | report cold CPU s | peak MiB | cache MB |")
        self.say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        rows = []
        for units in units_list:
            root, stats = self.community(units, args.years)
            cache = root / ".cuijiao-cache"

            def drop_cache(cache=cache):
                shutil.rmtree(cache, ignore_errors=True)

            for label in self.each_tree():
                row = {"units": units, "tree": self.tree_name, "payments": stats["payments"], "yaml_mb": stats["bytes"] / 1e6}
                for name, command in (("check", ["check"]), ("report", ["report", "--format", "json"])):
                    cmd = self.cuijiao(root, *command)
                    row[f"{name}_cold"] = self.repeat(cmd, args.repeat, drop_cache)
                    self.timed(cmd)  # the cache is complete now
                    row[f"{name}_warm"] = self.repeat(cmd, args.repeat)
                row["cache_mb"] = sum(f.stat().st_size for f in cache.glob("*")) / 1e6 if cache.is_dir() else 0.0
                peak = max(row[k]["peak_mib"] for k in ("check_cold", "check_warm", "report_cold", "report_warm"))
                row["peak_mib"] = peak
                rows.append(row)
                self.say(
                    f"| {units:,}{label} | {stats['payments']:,} | {row['yaml_mb']:.1f} | {row['check_cold']['wall']:.2f} | {row['check_warm']['wall']:.2f} "
                    f"| {row['report_cold']['wall']:.2f} | {row['report_warm']['wall']:.2f} | {row['report_cold']['cpu']:.2f} | {peak:.0f} | {row['cache_mb']:.1f} |"
                )
        self.results["core"] = rows
        self.say()
        first = [r for r in rows if r["tree"] == self.trees[0][0]]
        self.linearity(first)
        self.verdict(first)

    def linearity(self, rows: list[dict]) -> None:
        if len(rows) < 2:
            return
        self.say("Time per unit (ms), to see that cost grows linearly with the community:")
        self.say()
        self.say("| units | check cold | check warm | report cold | report warm | peak MiB per 1,000 units |")
        self.say("|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            per = {k: 1000 * row[k]["wall"] / row["units"] for k in ("check_cold", "check_warm", "report_cold", "report_warm")}
            self.say(f"| {row['units']:,} | {per['check_cold']:.2f} | {per['check_warm']:.2f} | {per['report_cold']:.2f} | {per['report_warm']:.2f} | {1000 * row['peak_mib'] / row['units']:.0f} |")
        self.say()
        # slope of log(time) against log(units): 1.0 is linear; start-up makes small communities look sub-linear
        import math

        first, last = rows[0], rows[-1]
        grow = last["units"] / first["units"]
        parts = []
        for key in ("check_cold", "check_warm", "report_cold", "report_warm"):
            exponent = math.log(last[key]["wall"] / first[key]["wall"]) / math.log(grow)
            ratio = (last[key]["wall"] / last["units"]) / (first[key]["wall"] / first["units"])
            parts.append(f"{key.replace('_', ' ')}: x{last[key]['wall'] / first[key]['wall']:.1f} time for x{grow:.0f} units (exponent {exponent:.2f}, time per unit x{ratio:.2f})")
        self.say("Growth from {:,} to {:,} units: ".format(first["units"], last["units"]) + "; ".join(parts) + ".")
        self.say("Linear means an exponent at most 1 (start-up is a fixed cost, so it is below 1 at small sizes).")
        self.say()

    def verdict(self, rows: list[dict]) -> None:
        target = next((r for r in rows if r["units"] == TARGETS["units"]), None)
        if target is None:
            return
        checks = []
        for name in ("check", "report"):
            cold, warm = target[f"{name}_cold"]["wall"], target[f"{name}_warm"]["wall"]
            checks.append(f"{name} cold {cold:.2f} s {'<' if cold < TARGETS['cold_s'] else '>='} {TARGETS['cold_s']:.0f} s")
            checks.append(f"{name} warm {warm:.2f} s {'<' if warm < TARGETS['warm_s'] else '>='} {TARGETS['warm_s']:.0f} s")
        peak = target["peak_mib"]
        checks.append(f"peak {peak:.0f} MiB {'<' if peak < TARGETS['peak_mib'] else '>='} {TARGETS['peak_mib']:.0f} MiB")
        ok = all(" < " in c for c in checks)
        self.say(f"Targets at {TARGETS['units']:,} units: {'MET' if ok else 'NOT MET'} ({'; '.join(checks)}).")
        self.say()

    # -- site -------------------------------------------------------------------------------------
    def site(self) -> None:
        self.say("## cuijiao site")
        self.say()
        self.say("| community | units | build s | build CPU s | peak MiB | site MB | files | search index MB | rebuild after one new contact s | rebuild CPU s | files changed |")
        self.say("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        rows = []
        demo = self.demo()
        communities = [("demo 桐荫花园", demo, len(list((demo / "owners").glob("*.yaml"))))]
        communities += [(f"synthetic, {self.args.years} years", self.community(int(u), self.args.years)[0], int(u)) for u in self.args.site_units.split(",")]
        for community, root, units in communities:
            for tree_label in self.each_tree():
                label = community + tree_label
                out = self.out / f"site-{units}u-{self.tree_name}"
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(root / ".cuijiao-cache", ignore_errors=True)
                cmd = self.cuijiao(root, "site", "--out", str(out))
                first = self.timed(cmd)
                site_dir = out / "site"
                before = snapshot(site_dir)
                size = sum(s for s, _ in before.values())
                index = site_dir / "search" / "search_index.json"
                owner = sorted((root / "owners").glob("*.yaml"))[0]
                original = owner.read_bytes()
                try:
                    owner.write_bytes(original + new_contact(original).encode("utf-8"))
                    second = self.timed(cmd)
                finally:
                    owner.write_bytes(original)
                after = snapshot(site_dir)
                changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
                row = {
                    "community": label, "units": units, "build_s": first.wall, "build_cpu_s": first.cpu, "peak_mib": first.maxrss_kib / 1024,
                    "site_mb": size / 1e6, "files": len(before), "index_mb": index.stat().st_size / 1e6 if index.is_file() else None,
                    "rebuild_s": second.wall, "rebuild_cpu_s": second.cpu, "rebuild_peak_mib": second.maxrss_kib / 1024,
                    "changed": len(changed), "changed_files": changed[:20],
                }
                rows.append(row)
                index_text = f"{row['index_mb']:.2f}" if row["index_mb"] is not None else "-"
                self.say(f"| {label} | {units:,} | {first.wall:.1f} | {first.cpu:.1f} | {row['peak_mib']:.0f} | {row['site_mb']:.1f} | {len(before):,} | {index_text} | {second.wall:.1f} | {second.cpu:.1f} | {len(changed)} |")
                self.timed(cmd)  # leave the site matching the data again
        self.results["site"] = rows
        self.say()
        for row in rows:
            self.say(f"Files changed by one new contact ({row['community']}, {row['units']:,} units): " + ", ".join(row["changed_files"]) + (" …" if row["changed"] > 20 else ""))
        self.say()

    # -- rebuild only what changed ----------------------------------------------------------------
    def rebuild(self) -> None:
        """Issue 17, item 4, in one run at --rebuild-units: cold and warm report, a full site build, a rebuild after
        no change, rebuilds after one new contact (each to another unit), and the last rebuild compared file by
        file with a fresh full build into another folder with nothing kept."""
        units, repeat = self.args.rebuild_units, self.args.repeat
        source, _ = self.community(units, self.args.years)
        root = self.out / f"rebuild-{units}u"  # a copy: the contacts are written into it
        shutil.rmtree(root, ignore_errors=True)
        for folder in ("ledger", "owners"):
            shutil.copytree(source / folder, root / folder)
        cache, out, fresh = root / ".cuijiao-cache", self.out / f"rebuild-{units}u-out", self.out / f"rebuild-{units}u-fresh"
        for folder in (cache, out, fresh):
            shutil.rmtree(folder, ignore_errors=True)
        self.say(f"## Rebuild only what changed ({units:,} units, {self.args.years} years, as of {AS_OF}; median of {repeat} where repeated)")
        self.say()
        self.say("| step | s | CPU s | peak MiB | files changed |")
        self.say("|---|---:|---:|---:|---:|")
        rows = []

        def row(step: str, runs: list[Run], changed: int | None = None) -> None:
            wall = statistics.median(r.wall for r in runs)
            entry = {"step": step, "wall": wall, "walls": [r.wall for r in runs], "cpu": statistics.median(r.cpu for r in runs),
                     "peak_mib": max(r.maxrss_kib for r in runs) / 1024, "changed": changed}
            rows.append(entry)
            shown = "" if changed is None else f"{changed:,}"
            self.say(f"| {step} | {wall:.2f} | {entry['cpu']:.2f} | {entry['peak_mib']:.0f} | {shown} |")

        report_text, report_json = self.cuijiao(root, "report"), self.cuijiao(root, "report", "--format", "json")
        row("report, cold (no cache at all)", [self.timed(report_json, lambda: shutil.rmtree(cache, ignore_errors=True))])
        row("report --format json, warm", [self.timed(report_json) for _ in range(repeat)])
        self.timed(report_text)
        row("report (text), warm", [self.timed(report_text) for _ in range(repeat)])
        site = self.cuijiao(root, "site", "--out", str(out))
        row("site, full build (nothing kept)", [self.timed(site)])
        before = snapshot(out / "site")
        row("site after no change", [self.timed(site) for _ in range(repeat)], 0)
        owners = sorted((root / "owners").glob("*.yaml"))
        report = json.loads(self.timed(report_json).stdout)
        owing = sorted(u["unit"] for u in report["units"] if Decimal(u["outstanding"]) > 0)
        series = (
            ("each to another unit, picked by place in the list", [owners[(n + 1) * len(owners) // (repeat + 2)] for n in range(repeat)]),
            # whom a committee calls: the lists, the queue and the dashboard change with the unit's row
            ("each to another unit in arrears", [root / "owners" / f"{owing[(n + 1) * len(owing) // (repeat + 2)]}.yaml" for n in range(repeat)]),
        )
        for what, chosen in series:
            contacts = []
            for owner in chosen:
                text = owner.read_bytes()
                owner.write_bytes(text + new_contact(text).encode("utf-8"))
                contacts.append(self.timed(site))
            after = snapshot(out / "site")
            changed = sum(1 for p in set(before) | set(after) if before.get(p) != after.get(p))
            row(f"site after one new contact ({repeat} contacts, {what}; files changed by all)", contacts, changed)
            before = after
        full = ["env", f"CUIJIAO_CACHE_DIR={self.out / f'rebuild-{units}u-fresh-cache'}", *site[2:-1], str(fresh)]
        shutil.rmtree(self.out / f"rebuild-{units}u-fresh-cache", ignore_errors=True)
        row("site, full build of the same data into another folder (nothing kept)", [self.timed(full)])
        same = snapshot(out / "site") == snapshot(fresh / "site")
        self.results["rebuild"] = {"units": units, "rows": rows, "same_bytes": same}
        self.say()
        self.say(f"The site after the contacts is byte for byte the fresh full build: {'yes' if same else 'NO'} "
                 f"({len(after):,} files compared). Targets: warm report < 1 s, rebuild after no change < 5 s, "
                 f"after one new contact < 5 s.")
        self.say()

    # -- letters ----------------------------------------------------------------------------------
    def letters(self) -> None:
        self.say("## cuijiao letters")
        self.say()
        probe = run_reaped([self.python, "-m", "generator", "letters", "--help"], cwd=self.tree, env={**self.env, "PYTHONPATH": str(self.tree)})
        if probe.rc != 0:
            self.say("Skipped: this cuijiao has no `letters` command yet (`cuijiao letters --help` exits "
                     f"{probe.rc}).")
            self.say()
            self.results["letters"] = {"skipped": "no letters command"}
            return
        notices = self.args.notices
        synthetic, _ = self.community(notices, 1, recent_stops=1.0)
        demo = self.demo()
        self.say("| community | run | letters | of them notices | s | CPU s | letters/s | KB per letter (own PDF) | combined print files MB | peak MiB |")
        self.say("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        rows = {}
        runs = []
        for name, root in ((f"{notices:,} units due a notice", synthetic), ("demo 桐荫花园", demo)):
            for tree_name, tree in self.trees:
                out = self.out / f"letters-{root.name}-{tree_name}"

                def cold_start(out=out, root=root):
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(root / ".cuijiao-cache", ignore_errors=True)

                shown = name + (f" ({tree_name})" if len(self.trees) > 1 else "")
                runs += [(shown, root, out, "cold (no cache, empty folder)", cold_start, (tree_name, tree)),
                         (shown, root, out, "warm (same data again)", None, (tree_name, tree))]
        for name, root, out, label, before, (self.tree_name, self.tree) in runs:
            cmd = self.cuijiao(root, "letters", "--out", str(out))
            result = self.timed(cmd, before)
            manifest = json.loads((out / "letters" / "manifest.json").read_text(encoding="utf-8"))
            letters = manifest["letters"]
            own = sum((out / "letters" / entry["file"]).stat().st_size for entry in letters)
            combined = sum((out / "letters" / entry["file"]).stat().st_size for entry in manifest.get("combined", []))
            count = len(letters)
            kinds = {}
            for entry in letters:
                kinds[entry["type"]] = kinds.get(entry["type"], 0) + 1
            one_page = [entry for entry in letters if entry.get("pages") == 1]
            row = {"s": result.wall, "cpu": result.cpu, "letters": count, "kinds": kinds, "letters_per_s": count / result.wall,
                   "kb_per_letter": own / 1024 / max(count, 1), "combined_mb": combined / 1e6, "peak_mib": result.maxrss_kib / 1024,
                   "kb_per_one_page_letter_max": max(((out / "letters" / e["file"]).stat().st_size / 1024 for e in one_page), default=None)}
            rows[f"{name}: {label}"] = row
            self.say(f"| {name} | {label} | {count:,} | {kinds.get('notice', 0):,} | {result.wall:.1f} | {result.cpu:.1f} | {row['letters_per_s']:.1f} | {row['kb_per_letter']:.1f} | {row['combined_mb']:.1f} | {row['peak_mib']:.0f} |")
        self.results["letters"] = rows
        self.say()
        for key, row in rows.items():
            if "cold" in key:
                self.say(f"{key.split(':')[0]}: " + ", ".join(f"{k} {v}" for k, v in sorted(row["kinds"].items()))
                         + f"; largest one-page letter {row['kb_per_one_page_letter_max']:.1f} KB.")
        self.say()

    # -- Beancount, for scale -------------------------------------------------------------------------
    def beancount(self) -> None:
        self.say("## Beancount for scale: the same payments as bean-check transactions")
        self.say()
        bean_check = find_bean_check(self.out, self.args.install_beancount)
        if bean_check is None:
            self.say("Skipped: bean-check is not available (run with --install-beancount to put Beancount into a throwaway "
                     "virtualenv under bench/out/, never into the project's dependencies).")
            self.say()
            self.results["beancount"] = {"skipped": "bean-check not available"}
            return
        units = int(self.args.units.split(",")[-1])
        root, stats = self.community(units, self.args.years)
        ledger = self.out / f"payments-{units}u-{self.args.years}y.beancount"
        count, accounts = write_beancount(root, ledger)
        cache = ledger.with_name(ledger.name + ".picklecache")
        cache.unlink(missing_ok=True)
        cold = self.repeat([bean_check, "-C", str(ledger)], max(1, min(3, self.args.repeat)))
        self.timed([bean_check, str(ledger)])  # writes its pickle cache
        warm = self.repeat([bean_check, str(ledger)], max(1, min(3, self.args.repeat)))
        self.say("| transactions | accounts | ledger MB | bean-check -C (no cache) s | with its cache s | peak MiB |")
        self.say("|---:|---:|---:|---:|---:|---:|")
        self.say(f"| {count:,} | {accounts:,} | {ledger.stat().st_size / 1e6:.1f} | {cold['wall']:.2f} | {warm['wall']:.2f} | {max(cold['peak_mib'], warm['peak_mib']):.0f} |")
        self.say()
        self.results["beancount"] = {"transactions": count, "accounts": accounts, "cold": cold, "warm": warm}

    # -- output -------------------------------------------------------------------------------------
    def save(self) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        (self.out / f"results-{stamp}.md").write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        (self.out / f"results-{stamp}.json").write_text(json.dumps(self.results, indent=2, default=str), encoding="utf-8")
        print(f"(saved {self.out / f'results-{stamp}.md'} and .json)")


def parse_trees(text: str) -> list[tuple[str, Path]]:
    trees = []
    for item in text.split(","):
        name, _, path = item.partition("=")
        if not path or not (Path(path) / "generator" / "__main__.py").is_file():
            raise SystemExit(f"--trees: {item!r} is not NAME=PATH of a cuijiao source tree")
        trees.append((name, Path(path).resolve()))
    return trees


def machine() -> dict:
    info = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "loadavg": os.getloadavg(), "date": datetime.now().isoformat(timespec="seconds")}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["mem_gib"] = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def calibrate() -> float:
    """Milliseconds for a fixed pure-Python workload (best of 5): this machine's speed right now.

    Shared virtual machines change speed by 50% over an hour; compare figures
    from different runs only together with this number.
    """
    import timeit

    work = "d = {}\nfor i in range(200000):\n    d[i & 1023] = (i, str(i & 255))\n"
    return 1000 * min(timeit.repeat(work, number=1, repeat=5))


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``folder``: size and SHA-256."""
    found = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath, name)
            data = path.read_bytes()
            found[path.relative_to(folder).as_posix()] = (len(data), hashlib.sha256(data).hexdigest())
    return found


def new_contact(owner_text: bytes) -> str:
    """A contact to append to a synthetic owner file (where contacts, when present, is the last key)."""
    line = "  - {date: 2026-11-20, channel: phone, by: 基准测试, outcome: reached, evidence: 通话录音 bench.m4a, note: 基准测试追加的一条记录}\n"
    return line if b"\ncontacts:\n" in owner_text else "contacts:\n" + line


def find_bean_check(out: Path, install: bool) -> str | None:
    found = shutil.which("bean-check")
    if found:
        return found
    venv = out / "beancount-venv"
    candidate = venv / "bin" / "bean-check"
    if candidate.exists():
        return str(candidate)
    if not install:
        return None
    print("  (installing Beancount into bench/out/beancount-venv ...)", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "beancount"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"  (could not install Beancount: {exc})", flush=True)
        return None
    return str(candidate) if candidate.exists() else None


def write_beancount(root: Path, target: Path) -> tuple[int, int]:
    """The community's payments as two-posting Beancount transactions, one income account per unit."""
    sys.path.insert(0, str(PROJECT))
    from generator.reading.load import load

    ledger, _ = load(root, use_cache=False)
    units = sorted(u.id for u in ledger.units)
    opened = "1990-01-01"
    lines = ['option "operating_currency" "CNY"', ""]
    lines += [f"{opened} open Assets:Bank:{m.capitalize()} CNY" for m in ("wechat", "alipay", "bank", "cash", "pos", "other")]
    lines += [f"{opened} open Income:Fees:U{u} CNY" for u in units]
    lines.append("")
    count = 0
    for p in sorted(ledger.payments, key=lambda p: (p.date, p.seq)):
        lines.append(f'{p.date.isoformat()} * "{p.unit}" "物业费 {p.receipt}"')
        lines.append(f"  Assets:Bank:{p.method.capitalize()}  {p.amount} CNY")
        lines.append(f"  Income:Fees:U{p.unit}  -{p.amount} CNY")
        count += 1
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count, len(units) + 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 2)[2])
    parser.add_argument("--units", default="500,1000,2000,5000", help="community sizes for check/report (default: %(default)s)")
    parser.add_argument("--years", type=int, default=5, help="years of monthly history (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, median reported (default: %(default)s)")
    parser.add_argument("--section", choices=["core", "site", "rebuild", "letters", "beancount", "all"], default="core")
    parser.add_argument("--rebuild-units", type=int, default=5000, help="community size for the rebuild section (default: %(default)s)")
    parser.add_argument("--site-units", default="120,5000", help="community sizes for the site section (default: %(default)s)")
    parser.add_argument("--notices", type=int, default=1000, help="notices for the letters section (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--out", default=str(HERE / "out"), help="work folder (default: bench/out)")
    default_python = PROJECT / ".venv" / "bin" / "python"
    parser.add_argument("--python", default=str(default_python) if default_python.exists() else sys.executable,
                        help="the Python that has cuijiao installed (default: .venv/bin/python)")
    parser.add_argument("--trees", default=f"now={PROJECT}",
                        help="source trees to measure side by side, NAME=PATH,... (e.g. now=.,before=/tmp/before from git worktree add); "
                             "each figure is taken for every tree in turn, the first tree's rows make the linearity and verdict")
    parser.add_argument("--install-beancount", action="store_true", help="install Beancount into bench/out/beancount-venv if bean-check is missing")
    args = parser.parse_args()

    bench = Bench(args)
    info = bench.results["machine"]
    info["reference_ms_before"] = before = calibrate()
    bench.say(f"# cuijiao benchmark, {info['date']}")
    bench.say()
    bench.say(f"{info.get('cpu', platform.processor())}, {info['cpus']} CPUs, {info.get('mem_gib', '?')} GiB, Python {info['python']}, "
              f"load average before: {info['loadavg'][0]:.2f}, reference workload {before:.0f} ms (lower is faster)")
    bench.say()
    sections = ["core", "site", "rebuild", "letters", "beancount"] if args.section == "all" else [args.section]
    for section in sections:
        getattr(bench, section)()
    after = calibrate()
    bench.results["reference_ms_after"] = after
    bench.say(f"Load average after: {os.getloadavg()[0]:.2f}, reference workload {after:.0f} ms.")
    bench.save()


if __name__ == "__main__":
    main()
