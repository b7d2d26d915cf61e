"""load -> validate -> compute, the one path every command takes; and what it gave, remembered by its inputs.

``Memo`` keeps results computed from a community (the report's rows, the
JSON report) by the fingerprint of everything they depend on
(``input_fingerprint``), so a command run again on unchanged data skips
loading, validating and computing. It follows issue 9's rules for every
cache: kept in the community's work folder in the user's cache directory
(never in the community folder), signed with the user's cache key
(``reading.load.cache_key``), decoded only into the type asked for,
written atomically, and best effort: a missing, foreign, tampered or stale
entry is simply not used, never an error.
"""
from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import msgspec

from generator.core.diagnostics import Diagnostic, sorted_diagnostics, warning
from generator.core.holidays import holiday_problems
from generator.core.model import Ledger
from generator.core.money import fmt_grouped
from generator.core.paths import work_folder
from generator.reading.files import discover, read_data_file, shared_policy
from generator.reading.load import cache_key, load
from generator.reading.validate import validate
from generator.rules.engine import RECORD_ENCODER, Desk, Totals, compute, unit_inputs, unit_state
from generator.speed.shares import Shares
from generator.speed.signed import read_signed, write_signed


@dataclass(frozen=True, slots=True)
class Checked:
    ledger: Ledger | None
    problems: tuple[Diagnostic, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "warning"]


def check(root: Path, as_of: date, today: date, use_cache: bool = True, overrides: Mapping[str, bytes] | None = None) -> Checked:
    """Load and validate. Future-dated entries are errors past max(today, as_of).

    ``overrides``: files as an edit would write them (path -> bytes), checked before anything is written.
    """
    ledger, problems = load(root, use_cache=use_cache, overrides=overrides)
    if ledger is not None:
        problems = problems + validate(ledger, max(today, as_of))
        problems = problems + holiday_problems(ledger.policy, as_of)  # rule 12: deadlines in a year nobody gave
        if not any(p.severity == "error" for p in problems):
            problems = problems + late_fee_payment_problems(ledger, as_of)
    problems = problems + community_content_problems(root)
    return Checked(ledger, tuple(sorted_diagnostics(problems)))


def late_fee_payment_problems(ledger: Ledger, as_of: date) -> list[Diagnostic]:
    """Rule 6: what a late-fee payment pays beyond the late fee is not credit; say so at the payment.

    Only the units with a late-fee payment are computed, so a large ledger checks as fast as before.
    """
    paying = {p.unit for p in ledger.payments if p.designation and p.for_late_fee and p.date <= as_of}  # designation first: cheap
    if not paying:
        return []
    problems = []
    for args in unit_inputs(ledger, as_of):
        unit = args[1]
        if unit.id not in paying:
            continue
        state = unit_state(*args)
        if state.late_fee_overpaid > 0:
            last = max((p for p in state.payments if p.for_late_fee), key=lambda p: (p.date, p.seq))
            problems.append(warning(
                last.pos, f"{unit.id} 交的违约金比应付的多 {fmt_grouped(state.late_fee_overpaid)} 元（按 {as_of} 计算），多出的部分不算预存款",
                "核对这笔缴费：如果业主交的其实是物业费，删除 for 里的 late_fee；如果确实多收了，请退还或与业主另行约定"))
    return problems


def community_content_problems(root: Path) -> list[Diagnostic]:
    """A community's own playbook and legal files are checked with its data, not first at build time."""
    own = root / "site_templates"
    if not ((own / "playbook").is_dir() or (own / "legal" / "laws.yaml").is_file()):
        return []
    # imported here, not at the top: only a community with its own content pays for it (66 ms at start-up)
    from generator.content.playbook import load_playbook

    book = load_playbook(root)
    return [*book.legal.problems, *book.problems]


def desk_for(checked: Checked, as_of: date, digests: bool = False, work: Path | None = None) -> Desk:
    """``digests``: with each unit's input digest (``engine.input_digest``), for the site. ``work``: the folder
    where what each unit adds to the all-unit figures is kept between builds (``kept_shares``), signed with the
    user's cache key: then only the units whose inputs changed are computed, when something asks."""
    assert checked.ledger is not None and not checked.errors
    shares = kept_shares(work, checked.ledger, as_of) if work is not None else None
    return compute(checked.ledger, as_of, digests, shares)


@functools.cache  # asked four times a build, 0.09 s each; what is installed does not change while a command runs
def installed_versions() -> str:
    """Python's version and every installed distribution's: MkDocs, its theme and plugins shape the pages."""
    return repr((sys.version, sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())))


def kept_shares(work: Path, ledger: Ledger, as_of: date) -> Shares | None:
    """The ``speed.shares`` kept in ``work`` for this policy and as_of, made by this code with these libraries
    (chinese-calendar's holidays move deadlines); None without a cache key."""
    key = cache_key()
    if key is None:
        return None
    context = hashlib.sha256(f"{as_of} {code_fingerprint()} {installed_versions()}".encode() + RECORD_ENCODER.encode(ledger.policy))
    return Shares(work, key, context.hexdigest())


# -- results remembered by the fingerprint of their inputs ----------------------------------------

MEMO_VERSION = 1  # bump when what a memo holds changes meaning
GENERATOR_DIR = Path(__file__).resolve().parent


def code_fingerprint() -> str:
    """Every module of the generator, the Python and msgspec versions: other code may compute other results."""
    digest = hashlib.sha256(f"cuijiao-memo-{MEMO_VERSION} {sys.version} {msgspec.__version__}".encode())
    for path in sorted(GENERATOR_DIR.rglob("*.py")):
        digest.update(path.relative_to(GENERATOR_DIR).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class InputListing(NamedTuple):
    """What ``input_fingerprint`` and ``input_stats`` read, listed once for both."""

    files: list[str]  # the data files as load() finds them, relative to the community folder, the shared policy first
    notes: str  # what finding them said (repr of the notes)
    code: str  # ``code_fingerprint()``


def list_inputs(root: Path) -> InputListing:
    shared = shared_policy(root)
    paths, notes = discover(root, ledger_optional=shared is not None)  # as load() finds them
    return InputListing(([shared] if shared else []) + paths, repr([(n.severity, n.pos.path, n.message) for n in notes]),
                        code_fingerprint())


def input_fingerprint(root: Path, as_of: date, today: date, listing: InputListing | None = None) -> str | None:
    """SHA-256 over everything ``check`` and ``compute`` read: every data file (path and bytes), the shared
    policy, the community's own content (site_templates/), the generator's code, as_of and max(today, as_of)
    (validation depends on it). None when something is not a plain readable file: then nothing is remembered.
    """
    listing = listing or list_inputs(root)
    digest = hashlib.sha256(f"{listing.code} {as_of} {max(today, as_of)}".encode())
    digest.update(listing.notes.encode())
    for path in listing.files:
        raw, _refused = read_data_file(root, path)
        if raw is None:
            return None
        digest.update(path.encode() + b"\0" + hashlib.sha256(raw).digest())
    own = tree_digest(root / "site_templates")
    if own is None:
        return None
    digest.update(own)
    return digest.hexdigest()


def input_stats(root: Path, listing: InputListing | None = None) -> tuple:
    """How the files ``input_fingerprint`` reads look on disk (path, size, modification and change times,
    inode), with the generator's code fingerprint: the same before and after a computation means no input
    changed while it ran (any write sets a file's change time), found without reading the data again."""
    listing = listing or list_inputs(root)
    top = str(root)
    files = [os.path.join(top, path) for path in listing.files]
    for dirpath, dirnames, filenames in os.walk(os.path.join(top, "site_templates")):
        dirnames.sort()
        files += [os.path.join(dirpath, name) for name in sorted(filenames)]
    seen: list = [listing.notes, listing.code]
    for path in files:
        try:
            info = os.lstat(path)
        except OSError:
            seen.append((path, None))
            continue
        seen.append((path, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return tuple(seen)


def tree_digest(folder: Path) -> bytes | None:
    """SHA-256 over the names and bytes of the regular files under ``folder`` (b"" when there is none);
    None when it holds anything else (a link, a FIFO): the commands refuse those, nothing is remembered."""
    try:
        info = os.lstat(folder)
    except OSError:
        return b""
    if not stat.S_ISDIR(info.st_mode):
        return None
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in [*dirnames, *sorted(filenames)]:
            path = Path(dirpath, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                return None
            raw, _refused = read_data_file(path.parent, name)
            if raw is None:
                return None
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(raw).digest())
    return digest.digest()


# What ``report`` shows, remembered: the community's name, the totals and each unit's row in arrears
# (``views.terminal.arrears_row``: sort key, cells, unpaid principal past limitation); the JSON report as text.
ReportTable = tuple[str, Totals, list[tuple[tuple[date, str], tuple[str, ...], Decimal]]]


class _MemoFile(msgspec.Struct, frozen=True, array_like=True):
    fingerprint: str
    value: msgspec.Raw


_ENCODER = msgspec.msgpack.Encoder()
_MEMO_FILE = msgspec.msgpack.Decoder(_MemoFile)
_NOT_DATA = (msgspec.DecodeError, ValueError, TypeError)


RACY_NS = 100_000_000  # 0.1 s: far above the file systems' timestamp tick (a jiffy, 1 to 10 ms)


class Memo:
    """Results computed from one community's inputs as they are now, each kept by name in the work folder.

    ``get(name, type)`` gives the value a ``put(name, value)`` stored under the
    same input fingerprint, or None: a file missing, unsigned or signed with
    another key, written for other inputs or not decoding into ``type`` is
    never used. ``put`` stores only when the inputs did not change while the
    value was computed (``input_stats`` taken again: a file written since has another change time).
    """

    def __init__(self, root: Path, as_of: date, today: date, enabled: bool = True, folder: Path | None = None) -> None:
        self.root, self.as_of, self.today = root, as_of, today
        self.folder = (folder or work_folder(root)) / "memo"
        self.key = cache_key() if enabled else None
        self._fingerprint: str | None | bool = False  # False: not taken yet
        self._stats: tuple | None = None  # ``input_stats`` taken just before the fingerprint
        self._stats_at = 0  # when (time.time_ns)

    @property
    def fingerprint(self) -> str | None:
        if self._fingerprint is False:
            if self.key is None:
                self._fingerprint = None
            else:
                listing = list_inputs(self.root)
                self._stats = input_stats(self.root, listing)
                self._stats_at = time.time_ns()
                self._fingerprint = input_fingerprint(self.root, self.as_of, self.today, listing)
        return self._fingerprint

    def _racy(self) -> bool:
        """Whether a file's change time is so close to when the stats were taken that a second write in the same
        tick of the file system's clock (a few ms) would leave its times as they were (git's "racy clean")."""
        if self._stats is None:
            return True
        since = self._stats_at - RACY_NS
        return any(len(entry) == 6 and max(entry[3], entry[4]) >= since for entry in self._stats[2:])

    def _file(self, name: str) -> Path:
        return self.folder / f"{name}-v{MEMO_VERSION}.msgpack"

    def get(self, name: str, kind: type, any_inputs: bool = False):
        """``any_inputs``: the value kept under ``name`` whatever inputs it was made from (still signed and typed),
        for results that carry their own means of telling what is still valid (``site.incremental.Kept``)."""
        if self.key is None or (not any_inputs and self.fingerprint is None):
            return None
        payload = read_signed(self.folder, self._file(name).name, self.key)
        if payload is None:
            return None
        try:
            stored = _MEMO_FILE.decode(payload)
            if not any_inputs and stored.fingerprint != self.fingerprint:
                return None
            return msgspec.msgpack.decode(stored.value, type=kind)
        except _NOT_DATA:
            return None

    def forget(self, name: str) -> None:
        """Remove what is kept under ``name`` (whatever its inputs): for a value about to stop being true."""
        try:
            os.unlink(self._file(name))
        except OSError:
            pass

    def put(self, name: str, value, kind: type) -> None:
        """Keep ``value`` if it comes back from its encoding as ``kind`` equal and encoding to the same bytes."""
        before = self.fingerprint
        if before is None:
            return
        encoded = _ENCODER.encode(value)
        try:
            again = msgspec.msgpack.decode(encoded, type=kind)
        except _NOT_DATA:
            return
        if again != value or _ENCODER.encode(again) != encoded:
            return
        if self._racy():  # a file changed just before the stats were taken: only its bytes can tell
            self._fingerprint = False
            if self.fingerprint != before:  # the data changed while it was computed: keep nothing
                return
        elif input_stats(self.root) != self._stats:  # the data changed while it was computed: keep nothing
            return
        payload = _ENCODER.encode(_MemoFile(before, msgspec.Raw(encoded)))
        write_signed(self.folder, self._file(name).name, self.key, payload)
