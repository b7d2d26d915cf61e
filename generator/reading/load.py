"""Load a community folder: find the files, read each (or take it from the cache), assemble.

The cache holds, per file, the records and diagnostics that reading it gave,
keyed by path and the SHA-256 of its bytes, so an unchanged file is never
parsed twice; reading a file is a pure function of (path, bytes), so the
cache cannot change any result, only how fast it comes.
"""
from __future__ import annotations

import atexit
import dataclasses
import functools
import hashlib
import operator
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.core.diagnostics import Diagnostic, Pos, error, warning
from generator.core.model import (
    Entries,
    Ledger,
    OneOffCharge,
    Payment,
    Policy,
    Unit,
    Waiver,
)
from generator.reading.fastpath import GiveUp, read_fast
from generator.reading.fields import Reader
from generator.reading.specs import read_entries, read_policy, read_unit
from generator.reading.yamlsource import compose, decode
from generator.speed.forking import can_fork, in_two_processes
from generator.speed.gcpause import paused_gc
from generator.speed.records import fast_new

POLICY_PATH = "ledger/policy.yaml"
CACHE_VERSION = 1  # bump when the records or the reading rules change
CACHE_DIR_NAME = ".cuijiao-cache"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What reading one file gave: a policy, a unit or entries, and its problems."""

    kind: str  # policy | unit | entries
    record: Policy | Unit | Entries | None
    problems: tuple[Diagnostic, ...]


def discover(root: Path) -> tuple[list[str], list[Diagnostic]]:
    """Every data file, as sorted posix paths relative to ``root``."""
    paths: list[str] = []
    notes: list[Diagnostic] = []
    for folder in ("ledger", "owners"):
        base = root / folder
        if not base.is_dir():
            notes.append(error(Pos(folder + "/"), f"找不到 {folder}/ 文件夹", "用 --root 指向含有 ledger/ 和 owners/ 的小区文件夹"))
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                rel = Path(dirpath, name).relative_to(root).as_posix()
                if name.startswith("."):
                    continue
                if name.endswith(".yaml"):
                    if folder == "owners" and "/" in rel[len("owners/"):]:
                        notes.append(warning(Pos(rel), "owners/ 下的子文件夹不会被读取", "每户一个文件，直接放在 owners/ 里"))
                        continue
                    paths.append(rel)
                elif name.endswith(".yml"):
                    notes.append(warning(Pos(rel), "扩展名 .yml 的文件不会被读取", "请改名为 .yaml"))
    paths.sort()
    return paths, notes


def file_kind(path: str) -> str:
    if path == POLICY_PATH:
        return "policy"
    return "unit" if path.startswith("owners/") else "entries"


def read_file(path: str, raw: bytes, memo: dict | None = None) -> FileResult:
    """Read one file by its place in the tree. Pure: same path and bytes, same result.

    An ordinary entries or unit file is read the fast way (``fastpath``);
    anything it is not sure about, and the policy, is read the exact way.
    ``memo`` shares converted scalars between the files of one load.
    """
    kind = file_kind(path)
    if kind != "policy":
        text, problems = decode(path, raw)
        if text is not None:
            try:
                return FileResult(kind, read_fast(path, text, kind, {} if memo is None else memo), ())
            except GiveUp:
                pass
    return read_exact(path, raw)


def read_exact(path: str, raw: bytes) -> FileResult:
    """Read one file with libyaml's nodes: every diagnostic with its line and column."""
    source, problems = compose(path, raw)
    reader = Reader(path)
    kind = file_kind(path)
    readable = source.node is not None or not problems  # compose keeps the nodes when its problems leave them readable
    if kind == "policy":
        record = read_policy(reader, source.node) if readable else None
    elif kind == "unit":
        record = read_unit(reader, source.node, Path(path).stem) if readable else None
    else:
        record = read_entries(reader, source.node) if readable else Entries()
    return FileResult(kind, record, tuple(problems) + tuple(reader.problems))


# The modules whose code decides what reading a file gives: a change to any of
# them makes every cached result stale (so does CACHE_VERSION).
def _reading_code() -> tuple:
    from generator.core import diagnostics, model
    from generator.reading import fastpath, fields, specs, yamlsource
    from generator.speed import fastyaml, records

    return (model, diagnostics, records, yamlsource, fields, specs, fastyaml, fastpath, sys.modules[__name__])


def reading_fingerprint() -> str:
    digest = hashlib.sha256(f"cuijiao-cache-{CACHE_VERSION}".encode())
    for module in _reading_code():
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


class _RecordPickler(pickle.Pickler):
    """Pickles a record as a call of its fast constructor with its fields, in order.

    The default for frozen dataclasses with slots goes through Python-level
    ``__getstate__``/``__setstate__`` (3.5 s each way for a 300,000-payment
    ledger). The field order is part of the cache's fingerprint (the code of
    model.py and diagnostics.py), so a cache can never be read with another order.
    """

    def __init__(self, file) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.getters: dict[type, tuple | None] = {}

    def reducer_override(self, obj):
        cls = type(obj)
        found = self.getters.get(cls, _UNKNOWN)
        if found is _UNKNOWN:
            found = self.getters[cls] = _reduction(cls)
        if found is None:
            return NotImplemented
        builder, getter = found
        return builder, getter(obj)


_UNKNOWN = object()


def _record_classes() -> dict[str, type]:
    from generator.core import diagnostics, model

    classes = {name: value for module in (model, diagnostics) for name, value in vars(module).items()
               if isinstance(value, type) and value.__module__ == module.__name__ and dataclasses.is_dataclass(value)}
    classes["FileResult"] = FileResult
    return classes


def _reduction(cls: type):
    if _record_classes().get(cls.__name__) is not cls or hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)
    if not fields or not all(f.init for f in fields) or "__slots__" not in cls.__dict__:
        return None
    names = [f.name for f in fields]
    getter = operator.attrgetter(*names) if len(names) > 1 else (lambda obj, name=names[0]: (getattr(obj, name),))
    return getattr(_builders, cls.__name__), getter


class _Builders:
    """``_builders.Payment(*fields)``: ``records.fast_new``, made on first use, picklable by name."""

    def __getattr__(self, name: str):
        builder = fast_new(_record_classes()[name])
        builder.__module__ = __name__
        builder.__qualname__ = f"_builders.{name}"
        setattr(self, name, builder)
        return builder


_builders = _Builders()


# Payments, one-off charges and waivers are most of a large ledger: the cache
# keeps them as rows of plain values (their fields, then the line and column of
# their position), which pickle without a Python call per record.
_ROW_TYPES = (("payments", Payment), ("charges", OneOffCharge), ("waivers", Waiver))


@functools.lru_cache(maxsize=None)
def _row_codec(cls: type):
    """(record -> row, (rows, path) -> records) for a record with a ``pos``: its other fields, then pos's path, line and column."""
    names = [f.name for f in dataclasses.fields(cls)]
    plain = [n for n in names if n != "pos"]
    assert len(plain) == len(names) - 1, names
    to_row = operator.attrgetter(*plain, "pos.path", "pos.line", "pos.col")
    args = [f"a{i}" for i in range(len(plain))]
    pos_names = [f.name for f in dataclasses.fields(Pos)]
    assert pos_names == ["path", "line", "col"], pos_names
    # one loop, no call per record: both objects made and their slots set inline (as records.fast_new does)
    namespace = {"new": object.__new__, "cls": cls, "Pos": Pos, **{f"set_{n}": getattr(cls, n).__set__ for n in names},
                 **{f"pos_{n}": getattr(Pos, n).__set__ for n in pos_names}}
    body = "".join(f"        set_{n}(o, {a})\n" for n, a in zip(plain, args))
    exec(
        f"def from_rows(rows, path):\n    out = []\n    append = out.append\n"
        f"    for {', '.join(args)}, _, line, col in rows:\n"
        f"        p = new(Pos)\n        pos_path(p, path)\n        pos_line(p, line)\n        pos_col(p, col)\n"
        f"        o = new(cls)\n{body}        set_pos(o, p)\n        append(o)\n    return out\n",
        namespace,
    )
    return to_row, namespace["from_rows"]


def _encode_entries(path: str, result):
    """An entries FileResult as ("rows", payments, charges, waivers, plans), or itself when it is not plain."""
    if type(result) is not FileResult or result.kind != "entries" or result.problems or type(result.record) is not Entries:
        return result
    encoded: list = ["rows"]
    for name, cls in _ROW_TYPES:
        records = getattr(result.record, name)
        if any(type(r) is not cls for r in records):
            return result
        rows = list(map(_row_codec(cls)[0], records))
        if any(row[-3] != path for row in rows):
            return result
        encoded.append(rows)
    encoded.append(result.record.plans)
    return tuple(encoded)


def _decode_entries(path: str, stored: tuple) -> FileResult:
    _, payments, charges, waivers, plans = stored
    rows = [_row_codec(cls)[1](data, path) for (_, cls), data in zip(_ROW_TYPES, (payments, charges, waivers))]
    return FileResult("entries", Entries(tuple(rows[0]), tuple(rows[1]), tuple(rows[2]), plans), ())


class FileCache:
    """A pickle of FileResults by (path, sha256); best effort, never required."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        override = os.environ.get("CUIJIAO_CACHE_DIR")
        self.folder = Path(override) if override else root / CACHE_DIR_NAME
        self.file = self.folder / f"files-v{CACHE_VERSION}.pickle"
        self.entries: dict[str, tuple[str, FileResult]] = {}
        self.dirty = False
        self.fingerprint = reading_fingerprint() if enabled else ""
        if enabled:
            try:
                with open(self.file, "rb") as handle:
                    fingerprint, entries = pickle.load(handle)
                if fingerprint == self.fingerprint:
                    self.entries = entries
            except Exception:  # a missing or stale cache is simply rebuilt
                self.entries = {}

    def get(self, path: str, digest: str) -> FileResult | None:
        hit = self.entries.get(path)
        if hit is not None and hit[0] == digest:
            stored = hit[1]
            return _decode_entries(path, stored) if type(stored) is tuple else stored
        return None

    def put(self, path: str, digest: str, result: FileResult) -> None:
        self.entries[path] = (digest, result)
        self.dirty = True

    def save(self, live_paths: set[str], background: bool = False) -> None:
        """Write the cache (without the files that are gone), if anything changed.

        ``background``: write it from a forked process while this one goes on
        (validating, computing); this process waits for it before exiting, so
        the cache is complete when the command returns.
        """
        stale = set(self.entries) - live_paths
        for path in stale:
            del self.entries[path]
        if not self.enabled or not (self.dirty or stale):
            return
        if background and can_fork():
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    self._write()
                    code = 0
                finally:
                    os._exit(code)
            atexit.register(_wait_for, pid)
            return
        self._write()

    def _write(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            stored = {path: (digest, _encode_entries(path, result)) for path, (digest, result) in self.entries.items()}
            with os.fdopen(fd, "wb") as handle:
                _RecordPickler(handle).dump((self.fingerprint, stored))
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only checkout still works, only slower


def _wait_for(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def load(root: Path, use_cache: bool = True) -> tuple[Ledger | None, list[Diagnostic]]:
    """Read every file of the community; the Ledger is None when the policy is unusable."""
    paths, problems = discover(root)
    with paused_gc():
        cache = FileCache(root, enabled=use_cache)
        found: dict[str, FileResult] = {}
        todo: list[tuple[str, bytes, str]] = []
        for path in paths:
            raw = (root / path).read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            result = cache.get(path, digest)
            if result is None:
                todo.append((path, raw, digest))
            else:
                found[path] = result
        for path, digest, result in _read_all(todo):
            cache.put(path, digest, result)
            found[path] = result
        cache.save(set(paths), background=sum(len(raw) for _, raw, _ in todo) >= PARALLEL_MIN_BYTES)
        return assemble([(path, found[path]) for path in paths], problems)


# A large community is read by two processes when there are two cores: a
# forked helper reads about half of the entries files (by size) and sends
# their records back as rows (see _encode_entries), which the parent turns
# into records much faster than it would read the YAML. Reading is a pure
# function of (path, bytes), so who reads a file changes nothing but time;
# if the helper fails, the parent reads its files itself. Below this many
# bytes, one process.
PARALLEL_MIN_BYTES = 8_000_000


def _read_all(todo: list[tuple[str, bytes, str]]) -> list[tuple[str, str, FileResult]]:
    """(path, digest, result) for every file to read, in the order given."""
    memo: dict = {}
    total = sum(len(raw) for _, raw, _ in todo)
    helper: set[str] = set()
    if total >= PARALLEL_MIN_BYTES and can_fork():
        share = 0
        for path, raw, _ in sorted(todo, key=lambda t: -len(t[1])):  # the large entries files, about half the bytes
            if share >= total * 0.45:
                break
            if file_kind(path) == "entries":
                helper.add(path)
                share += len(raw)
    if not helper:
        return [(path, digest, read_file(path, raw, memo)) for path, raw, digest in todo]
    mine, theirs = in_two_processes(
        lambda: {path: read_file(path, raw, memo) for path, raw, _ in todo if path not in helper},
        lambda: {path: _encode_entries(path, read_file(path, raw, memo)) for path, raw, _ in todo if path in helper},
        dump=lambda result, out: _RecordPickler(out).dump(result),
    )
    for path, stored in (theirs or {}).items():
        mine[path] = _decode_entries(path, stored) if type(stored) is tuple else stored
    return [(path, digest, mine[path] if path in mine else read_file(path, raw, memo)) for path, raw, digest in todo]


def assemble(results: list[tuple[str, FileResult]], problems: list[Diagnostic]) -> tuple[Ledger | None, list[Diagnostic]]:
    """Put the per-file records together in load order."""
    policy: Policy | None = None
    units: list[Unit] = []
    payments, charges, waivers, plans = [], [], [], []
    have_policy_file = False
    for path, result in results:
        problems.extend(result.problems)
        if result.kind == "policy":
            have_policy_file = True
            policy = result.record  # type: ignore[assignment]
        elif result.kind == "unit":
            if result.record is not None:
                units.append(result.record)  # type: ignore[arg-type]
        elif result.record is not None:
            entries: Entries = result.record  # type: ignore[assignment]
            payments.extend(entries.payments)
            charges.extend(entries.charges)
            waivers.extend(entries.waivers)
            plans.extend(entries.plans)
    if not have_policy_file:
        problems.append(error(Pos(POLICY_PATH), "缺少 ledger/policy.yaml", "每个小区都需要一份收费政策文件，可从示例小区复制后修改"))
    if policy is None:
        return None, problems
    units.sort(key=lambda u: u.id)
    ledger = Ledger(
        policy=policy, units=tuple(units), payments=tuple(payments), charges=tuple(charges),
        waivers=tuple(waivers), plans=tuple(plans), files=tuple(p for p, _ in results),
    )
    return ledger, problems
