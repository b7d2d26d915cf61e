"""Load a community folder: find the files, read each (or take it from the cache), assemble.

The cache holds, per file, the records and diagnostics that reading it gave,
keyed by path and the SHA-256 of its bytes, so an unchanged file is never
parsed twice; reading a file is a pure function of (path, bytes), so the
cache cannot change any result, only how fast it comes. It is msgpack written
by ``msgspec``: plain data decoded into the record types, never code (unlike
pickle), kept in the community's work folder in the user's cache directory
(``core/paths.work_folder``, never inside the community folder), and signed
with a key kept there too: a cache file that someone else wrote, that does
not decode, or that other reading code wrote is ignored and the YAML is read
again. A ``.cuijiao-cache/`` inside a community folder (planted, committed,
zipped) is never looked at.
"""
from __future__ import annotations

import hashlib
import itertools
import operator
import os
import secrets
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec

from generator.core.diagnostics import Diagnostic, Pos, error
from generator.core.model import (
    Entries,
    Ledger,
    OneOffCharge,
    Payment,
    Plan,
    Policy,
    Unit,
    Waiver,
)
from generator.core.paths import user_cache, work_folder
from generator.reading.fastpath import GiveUp, read_fast
from generator.reading.fields import Reader
from generator.reading.files import (
    SHARED_FOLDER,
    SHARED_POLICY,
    Budget,
    discover,
    read_data_file,
    shared_policy,
)
from generator.reading.parts import PARTS_MIN_CHARS, read_in_parts
from generator.reading.shared import read_shared_policy
from generator.reading.specs import read_entries, read_policy, read_unit
from generator.reading.yamlsource import compose, decode, scan
from generator.speed.forking import can_fork, in_background, in_two_processes
from generator.speed.gcpause import paused_gc
from generator.speed.signed import read_signed, write_signed

POLICY_PATH = "ledger/policy.yaml"
CACHE_VERSION = 3  # bump when the records or the reading rules change


@dataclass(frozen=True, slots=True)
class FileResult:
    """What reading one file gave: a policy, a unit or entries, and its problems."""

    kind: str  # policy | unit | entries
    record: Policy | Unit | Entries | None
    problems: tuple[Diagnostic, ...]


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
    """Read one file with libyaml's nodes: every diagnostic with its line and column.

    A large entries file is read in parts (``parts.py``) so that its nodes never
    all exist at once; one that cannot be cut is scanned first (``scan``, no
    nodes), so a syntax error or a refused feature is found without composing.
    """
    if len(raw) >= PARTS_MIN_CHARS and file_kind(path) == "entries":
        text, problems = decode(path, raw)
        if text is None:
            return FileResult("entries", Entries(), tuple(problems))
        parted = read_in_parts(path, text)
        if parted is not None:
            return FileResult("entries", parted[0], tuple(parted[1]))
        problems, readable = scan(path, text)
        if not readable:
            return FileResult("entries", Entries(), tuple(problems))
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


# -- the cache's and the helper process's format --------------------------------------------------
#
# Payments, one-off charges and waivers are most of a large ledger. They are
# kept column by column: each field as indices into a table of distinct values
# that all files of one cache file (or one message from the helper process)
# share, as the records themselves share them (one string per unit, one Decimal
# per amount written, however many files use it); ``seq`` and ``pos`` as the
# file's path with the index, line and column. Records are built back by ``map``
# over the columns, with no Python code per record: as fast as decoding each
# record on its own and, with the values still shared, no more memory than the
# reading gave (decoding the records as they are takes 75 MB more at 300,000
# payments). The other records (units, the policy, files with problems) are
# stored as they are.
_BULK = (("payments", Payment), ("charges", OneOffCharge), ("waivers", Waiver))
_PLACED = ("seq", "pos")  # given by the file's path with an index, line and column
_TABLED = {cls: tuple(f for f in msgspec.structs.fields(cls) if f.name not in _PLACED) for _, cls in _BULK}
_FIELDS = {cls: tuple(f.name for f in msgspec.structs.fields(cls)) for _, cls in _BULK}
_TYPES = tuple(dict.fromkeys(f.type for _, cls in _BULK for f in _TABLED[cls]))  # one shared table per field type
_Tables = msgspec.defstruct("Tables", [(f"of_{i}", list[t]) for i, t in enumerate(_TYPES)], frozen=True, array_like=True, gc=False)
_COLUMNS = {
    cls: msgspec.defstruct(f"{cls.__name__}Columns", [(f.name, list[int]) for f in _TABLED[cls]] + [(n, list[int]) for n in ("seq", "line", "col")],
                           frozen=True, array_like=True, gc=False)
    for _, cls in _BULK
}
_EntriesColumns = msgspec.defstruct("EntriesColumns", [(name, _COLUMNS[cls]) for name, cls in _BULK] + [("plans", tuple[Plan, ...])],
                                    frozen=True, array_like=True, gc=False)
_POS, _SEQ, _PATH, _LINE, _COL = map(operator.attrgetter, ("pos", "seq", "path", "line", "col"))
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


class _Stored(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One file's reading as plain data, typed by the records."""

    kind: str
    policy: Policy | None = None
    unit: Unit | None = None
    entries: Entries | None = None
    columns: _EntriesColumns | None = None  # an entries file without problems: its records as columns
    problems: tuple[Diagnostic, ...] = ()


class _Packer:
    """Turns readings into ``_Stored`` values whose columns index tables shared by all of them."""

    def __init__(self) -> None:
        self.values: dict[object, list] = {t: [] for t in _TYPES}
        self.number: dict[object, dict[int, int]] = {t: {} for t in _TYPES}  # id(value) -> its place

    def stored(self, path: str, result: FileResult) -> _Stored:
        if result.kind == "entries" and type(result.record) is Entries and not result.problems:
            columns = [self._columns(path, getattr(result.record, name), cls) for name, cls in _BULK]
            if None not in columns:
                return _Stored("entries", columns=_EntriesColumns(*columns, result.record.plans))
        return _Stored(result.kind, problems=result.problems, **({} if result.record is None else {result.kind: result.record}))

    def tables(self) -> _Tables:
        return _Tables(*self.values.values())

    def _columns(self, path: str, records: tuple, cls: type):
        """The records as columns, or None when one is not placed in this file as the reader places it."""
        poses, seqs = list(map(_POS, records)), list(map(_SEQ, records))
        if (set(map(type, records)) | {cls} != {cls} or set(map(type, poses)) | {Pos} != {Pos}
                or set(map(_PATH, poses)) | {path} != {path} or set(map(_FIRST, seqs)) | {path} != {path}):
            return None
        tabled = [self._column(list(map(operator.attrgetter(f.name), records)), f.type) for f in _TABLED[cls]]
        return _COLUMNS[cls](*tabled, list(map(_SECOND, seqs)), list(map(_LINE, poses)), list(map(_COL, poses)))

    def _column(self, values: list, kind) -> list[int]:
        """Each value's place in the table of its type; a value is the same as another only if it is
        the same object (as the reader shares them), so 1.0 and 1.00 stay apart."""
        table, number = self.values[kind], self.number[kind]
        ids = list(map(id, values))
        distinct = dict(zip(ids, values))
        fresh = list(itertools.filterfalse(number.__contains__, distinct))
        number.update(zip(fresh, itertools.count(len(table))))
        table.extend(map(distinct.__getitem__, fresh))
        return list(map(number.__getitem__, ids))


def _result(path: str, stored: _Stored, tables: _Tables) -> FileResult:
    """The reading that ``stored`` keeps, its columns looked up in ``tables``."""
    if stored.columns is None:
        return FileResult(stored.kind, getattr(stored, stored.kind), stored.problems)
    values = dict(zip(_TYPES, msgspec.structs.astuple(tables)))
    same = itertools.repeat(path)
    lists = []
    for name, cls in _BULK:
        columns = getattr(stored.columns, name)
        made = {f.name: map(values[f.type].__getitem__, getattr(columns, f.name)) for f in _TABLED[cls]}
        made["seq"] = zip(same, columns.seq)
        made["pos"] = map(Pos, same, columns.line, columns.col)
        lists.append(tuple(map(cls, *(made[n] for n in _FIELDS[cls]))))
    return FileResult("entries", Entries(*lists, stored.columns.plans), ())


class _Helped(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """What the helper process sends back: its readings and their tables."""

    tables: _Tables
    files: dict[str, _Stored]


class _CacheFile(msgspec.Struct, frozen=True, array_like=True, gc=False):
    fingerprint: str
    tables: _Tables
    files: dict[str, tuple[str, msgspec.Raw]]  # path -> (sha256 of its bytes, its _Stored: decoded when asked for)


class _CacheFileOut(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """_CacheFile as written: the tables already encoded (and checked)."""

    fingerprint: str
    tables: msgspec.Raw
    files: dict[str, tuple[str, msgspec.Raw]]


_ENCODER = msgspec.msgpack.Encoder()
_STORED = msgspec.msgpack.Decoder(_Stored)
_TABLES = msgspec.msgpack.Decoder(_Tables)
_HELPED = msgspec.msgpack.Decoder(_Helped)
_CACHED = msgspec.msgpack.Decoder(_CacheFile)
_NOT_DATA = (msgspec.DecodeError, ValueError, TypeError)  # msgspec.ValidationError is a DecodeError
KEY_BYTES = 32


def cache_key() -> bytes | None:
    """The secret this user's cache files are signed with, kept outside every community folder.

    Made on first use in the user's cache directory (``platformdirs``); None
    when it cannot be kept there, and then no cache is read or written.
    """
    file = user_cache() / "cache-key"
    try:
        if not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=file.parent)  # readable by this user only
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(secrets.token_bytes(KEY_BYTES))
                os.link(tmp, file)  # never replaces a key another process has just made
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        key = file.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


class FileCache:
    """What reading each file gave, by (path, sha256); best effort, never required, never trusted unsigned."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.folder = work_folder(root)
        self.file = self.folder / f"files-v{CACHE_VERSION}.msgpack"
        self.key = cache_key() if enabled else None
        self.enabled = self.key is not None
        self.fingerprint = reading_fingerprint() if self.enabled else ""
        self.tables = _Tables(*([] for _ in _TYPES))
        self.entries: dict[str, tuple[str, FileResult | msgspec.Raw]] = {}  # Raw: not asked for yet
        self.dirty = False
        if self.enabled:
            self._read()

    def _read(self) -> None:
        """Take the cache file's entries if it is signed with this user's key, decodes, and was written by this reading code."""
        payload = read_signed(self.file.parent, self.file.name, self.key)  # no link followed, a FIFO not waited on
        if payload is None:
            return
        try:
            cached = _CACHED.decode(payload)
        except _NOT_DATA:
            return
        if cached.fingerprint == self.fingerprint:
            self.tables, self.entries = cached.tables, dict(cached.files)

    def get(self, path: str, digest: str) -> FileResult | None:
        hit = self.entries.get(path)
        if hit is None or hit[0] != digest:
            return None
        result = hit[1]
        if type(result) is msgspec.Raw:
            try:
                result = _result(path, _STORED.decode(result), self.tables)
            except (*_NOT_DATA, IndexError):
                return None
            self.entries[path] = (digest, result)
        return result

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
            in_background(self._write)
        else:
            self._write()

    def _write(self) -> None:
        """Write every entry that comes back exactly as reading gave it (see ``_packed``)."""
        packer = _Packer()
        stored = {}
        for path, (digest, result) in self.entries.items():
            if type(result) is msgspec.Raw:  # not asked for in this run
                result = self.get(path, digest)
            if result is not None:
                stored[path] = (digest, packer.stored(path, result))
        tables = _packed(packer.tables(), _TABLES)
        if tables is None:
            return
        files = {path: (digest, encoded) for path, (digest, value) in stored.items() if (encoded := _packed(value, _STORED)) is not None}
        payload = _ENCODER.encode(_CacheFileOut(self.fingerprint, tables, files))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # a new file only (O_EXCL): a link planted under the name, even a dangling one, is never written through
            fd = os.open(self.folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("*\n")
        except FileExistsError:
            pass
        except OSError:
            return  # a read-only checkout still works, only slower
        write_signed(self.folder, self.file.name, self.key, payload)  # a full disk leaves no half-written file behind


def _packed(value, decoder: msgspec.msgpack.Decoder) -> msgspec.Raw | None:
    """``value`` encoded, if it decodes to an equal value of the same types, else None.

    Encoded again, the decoded value must give the same bytes: 5 and
    Decimal(5) are equal but encode apart. A file with errors may hold a
    record with a value missing, which does not decode: it is not kept, and
    is read again next time.
    """
    encoded = _ENCODER.encode(value)
    try:
        decoded = decoder.decode(encoded)
    except _NOT_DATA:
        return None
    if decoded != value or _ENCODER.encode(decoded) != encoded:
        return None
    return msgspec.Raw(encoded)


def load(root: Path, use_cache: bool = True, overrides: Mapping[str, bytes] | None = None) -> tuple[Ledger | None, list[Diagnostic]]:
    """Read every file of the community; the Ledger is None when the policy is unusable.

    ``overrides`` (posix path -> bytes) are files as an edit would leave them,
    read instead of (or beside) what is on disk; the cache is then not saved.
    """
    paths, problems = discover(root, ledger_optional=shared_policy(root) is not None)
    if overrides:
        paths = sorted(set(paths) | set(overrides))
    with paused_gc():
        cache = FileCache(root, enabled=use_cache)
        found: dict[str, FileResult] = {}
        todo: list[tuple[str, bytes, str]] = []
        budget = Budget()
        total = 0  # bytes of the files read: what writing the cache costs grows with them, not with what changed
        shared = _shared_policy_bytes(root, budget, problems)
        if shared is not None and POLICY_PATH not in paths:
            paths = sorted([*paths, POLICY_PATH])  # the shared policy as it is
        for path in paths:
            if overrides and path in overrides:
                raw = overrides[path]
            elif shared is not None and path == POLICY_PATH and not os.path.lexists(root / POLICY_PATH):
                raw = None
            else:
                raw, refused = read_data_file(root, path, budget)
                if raw is None:
                    found[path] = FileResult(file_kind(path), None, (refused,))
                    continue
            if shared is not None and path == POLICY_PATH:
                found[path] = _policy_over_shared(shared, raw)
                continue
            total += len(raw)
            digest = hashlib.sha256(raw).hexdigest()
            result = cache.get(path, digest)
            if result is None:
                todo.append((path, raw, digest))
            else:
                found[path] = result
        for path, digest, result in _read_all(todo):
            cache.put(path, digest, result)
            found[path] = result
        if not overrides:
            cache.save(set(paths), background=total >= PARALLEL_MIN_BYTES)  # one file changed in 33 MB: 0.6 s behind
        return assemble([(path, found[path]) for path in paths], problems)


def _shared_policy_bytes(root: Path, budget: Budget, problems: list[Diagnostic]) -> bytes | None:
    """The shared policy's bytes when the community has one (``files.shared_policy``); a refused one is an error."""
    shared = shared_policy(root)
    if shared is None:
        return None
    folder = Path(os.path.abspath(root)).parent / SHARED_FOLDER
    if folder.is_symlink() or not folder.is_dir():
        problems.append(error(Pos(shared), f"{SHARED_FOLDER} 不是普通文件夹（可能是链接），共用的收费政策不会读取",
                              "把 communities/_shared/ 换成真实的文件夹，里面放 policy.yaml"))
        return b""
    raw, refused = read_data_file(root, shared, budget)
    if raw is None:
        problems.append(refused)
        return b""
    return raw


def _missing_policy() -> Diagnostic:
    return error(Pos(POLICY_PATH), "缺少 ledger/policy.yaml", "每个小区都需要一份收费政策文件，可从示例小区复制后修改")


def read_policy_file(root: Path, own: bytes | None) -> FileResult:
    """The community's policy from its file's bytes (None: it has none), as ``load`` reads it: laid over the
    shared policy in a repository of many. For the helpers that need the policy without loading everything."""
    problems: list[Diagnostic] = []
    shared = _shared_policy_bytes(root, Budget(), problems)
    if shared is None:
        if own is None:
            return FileResult("policy", None, (_missing_policy(),))
        return read_exact(POLICY_PATH, own)
    result = _policy_over_shared(shared, own)
    return FileResult("policy", result.record, tuple(problems) + result.problems)


def _policy_over_shared(shared: bytes, own: bytes | None) -> FileResult:
    """The community's policy laid over the shared one (small files, read the exact way, not cached)."""
    record, problems = read_shared_policy(POLICY_PATH, SHARED_POLICY, shared, own)
    return FileResult("policy", record, tuple(problems))


# A large community is read by two processes when there are two cores: a
# forked helper reads about half of the entries files (by size) and sends
# their records back as the cache keeps them (see _Packer), which the parent
# turns into records much faster than it would read the YAML. Reading is a pure
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
        lambda: _helped(path_raw for path_raw in todo if path_raw[0] in helper),
        dump=lambda result, out: out.write(_ENCODER.encode(result)),
        load=lambda incoming: _HELPED.decode(incoming.read()),
    )
    if theirs is not None:
        for path, stored in theirs.files.items():
            mine[path] = _result(path, stored, theirs.tables)
    return [(path, digest, mine[path] if path in mine else read_file(path, raw, memo)) for path, raw, digest in todo]


def _helped(todo) -> _Helped:
    """The helper process's part: its files read, as the cache keeps them."""
    memo: dict = {}
    packer = _Packer()
    files = {path: packer.stored(path, read_file(path, raw, memo)) for path, raw, _ in todo}
    return _Helped(packer.tables(), files)


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
        problems.append(_missing_policy())
    if policy is None:
        return None, problems
    units.sort(key=lambda u: u.id)
    ledger = Ledger(
        policy=policy, units=tuple(units), payments=tuple(payments), charges=tuple(charges),
        waivers=tuple(waivers), plans=tuple(plans), files=tuple(p for p, _ in results),
    )
    return ledger, problems
