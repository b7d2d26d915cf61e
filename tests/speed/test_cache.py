"""The load cache: plain data signed with the user's key, so nothing in a cache file can run code or change the money."""
from __future__ import annotations

import hmac
import os
import pickle
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from generator.core.diagnostics import Pos
from generator.core.model import Entries
from generator.core.paths import work_folder
from generator.reading import load
from tests.community import Community, fee
from tests.support import PROJECT, user_cache  # noqa: F401 (user_cache: an autouse fixture)

BROKEN = Path(__file__).resolve().parents[1] / "broken"


def _community(tmp_path) -> Community:
    c = Community(tmp_path / "c", fees=[fee()])
    c.unit("1-1-101", area="89.50", billing_start="2024-01-01")
    c.payment("1-1-101", "2024-03-01", "500.00")
    c.payment("1-1-101", "2024-04-01", "120.00")
    c.write()
    return c


def _cache_file(root: Path) -> Path:
    return work_folder(root) / f"files-v{load.CACHE_VERSION}.msgpack"


def _amounts(root: Path) -> list[Decimal]:
    ledger, _ = load.load(root)
    return [p.amount for p in ledger.payments]


def _no_reading(monkeypatch) -> None:
    def refuse(path, *args, **kwargs):
        raise AssertionError(f"{path} was read although the cache has it")
    monkeypatch.setattr(load, "read_file", refuse)


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_in_the_cache_folder_is_never_run(tmp_path):
    c = _community(tmp_path)
    marker = tmp_path / "the-cache-ran-code"
    planted = pickle.dumps(_RunsCode(marker))
    for folder in (c.root / ".cuijiao-cache", work_folder(c.root)):  # where the cache was, and where it is
        folder.mkdir(parents=True)
        (folder / "files-v1.pickle").write_bytes(planted)  # the name the pickle cache had
        (folder / f"files-v{load.CACHE_VERSION}.msgpack").write_bytes(planted)  # and the name of today's cache
    assert _amounts(c.root) == [Decimal("500.00"), Decimal("120.00")]
    assert not marker.exists()


def test_a_cache_inside_the_community_folder_is_never_looked_at(tmp_path, user_cache, monkeypatch):
    c = _community(tmp_path)
    _amounts(c.root)
    key = (user_cache / "cuijiao" / "cache-key").read_bytes()
    forged = _cache_file(c.root).read_bytes()[32:].replace(b"500.00", b"999.99")
    planted = c.root / ".cuijiao-cache" / _cache_file(c.root).name
    planted.parent.mkdir()
    planted.write_bytes(hmac.digest(key, forged, "sha256") + forged)  # even signed with the user's own key
    _cache_file(c.root).unlink()
    assert _amounts(c.root) == [Decimal("500.00"), Decimal("120.00")]
    assert not work_folder(c.root).is_relative_to(c.root)


def test_a_forged_cache_entry_does_not_change_the_money(tmp_path, user_cache, monkeypatch):
    c = _community(tmp_path)
    assert _amounts(c.root) == [Decimal("500.00"), Decimal("120.00")]  # writes the cache
    data = _cache_file(c.root).read_bytes()
    signature, payload = data[:32], data[32:]
    assert payload.count(b"500.00") == 1
    forged = payload.replace(b"500.00", b"999.99")
    attacker_key = b"k" * load.KEY_BYTES
    for planted in (signature + forged, hmac.digest(attacker_key, forged, "sha256") + forged, forged):
        _cache_file(c.root).write_bytes(planted)
        assert _amounts(c.root) == [Decimal("500.00"), Decimal("120.00")]
    # what stops it is the signature: signed with this user's own key, the same bytes would be believed
    key = (user_cache / "cuijiao" / "cache-key").read_bytes()
    _cache_file(c.root).write_bytes(hmac.digest(key, forged, "sha256") + forged)
    _no_reading(monkeypatch)
    assert _amounts(c.root) == [Decimal("999.99"), Decimal("120.00")]


def test_a_cache_file_that_does_not_decode_is_ignored_and_rewritten(tmp_path, user_cache):
    c = _community(tmp_path)
    _amounts(c.root)
    key = (user_cache / "cuijiao" / "cache-key").read_bytes()
    garbage = b"\x92\xa3not the cache\xc1"
    _cache_file(c.root).write_bytes(hmac.digest(key, garbage, "sha256") + garbage)
    assert _amounts(c.root) == [Decimal("500.00"), Decimal("120.00")]
    assert _cache_file(c.root).read_bytes()[32:] != garbage


def test_the_signing_key_is_the_users_own_outside_the_community(tmp_path, user_cache):
    c = _community(tmp_path)
    _amounts(c.root)
    key_file = user_cache / "cuijiao" / "cache-key"
    assert len(key_file.read_bytes()) == load.KEY_BYTES
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not any("key" in p.name for p in c.root.rglob("*"))
    first = key_file.read_bytes()
    _community(tmp_path / "second")
    _amounts(tmp_path / "second" / "c")
    assert key_file.read_bytes() == first  # made once, then kept


def test_without_a_place_for_the_key_there_is_no_cache_and_the_same_ledger(tmp_path, monkeypatch):
    c = _community(tmp_path)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert load.cache_key() is None
    assert load.load(c.root) == load.load(c.root, use_cache=False)
    assert not work_folder(c.root).exists() and not (c.root / ".cuijiao-cache").exists()


def _cases() -> list[str]:
    return sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and not p.name.startswith("_"))


def test_the_demo_and_the_broken_corpus_come_back_from_the_cache_as_read(tmp_path, monkeypatch):
    roots = []
    demo = tmp_path / "demo"
    for folder in ("ledger", "owners"):
        shutil.copytree(PROJECT / folder, demo / folder)
    roots.append(demo)
    for case in _cases():
        root = tmp_path / case
        shutil.copytree(BROKEN / "_base", root)
        removed = BROKEN / case / "removed.txt"
        for rel in removed.read_text(encoding="utf-8").split() if removed.exists() else []:
            (root / rel).unlink()
        shutil.copytree(BROKEN / case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "removed.txt"))
        roots.append(root)
    read = {root: load.load(root) for root in roots}  # cold: every file read and cached
    again = []
    original = load.read_file
    monkeypatch.setattr(load, "read_file", lambda path, *a, **k: again.append(path) or original(path, *a, **k))
    for root in roots:
        again.clear()
        assert load.load(root) == read[root], root.name
        errors = {p.pos.path for p in read[root][1] if p.severity == "error"}
        assert set(again) <= errors, root.name  # only a file with errors may be read again


def test_a_reading_the_cache_would_not_give_back_exactly_is_not_kept(tmp_path):
    c = _community(tmp_path)
    ledger, _ = load.load(c.root, use_cache=False)
    unit_path, entries_path = "owners/1-1-101.yaml", "ledger/entries.yaml"
    cache = load.FileCache(c.root)
    # a unit whose position lost its keys (Pos where the model has RecordPos): decoding could not give it back
    unit = ledger.units[0]
    cache.put(unit_path, "u", load.FileResult("unit", msgspec.structs.replace(unit, pos=Pos(unit_path, 1, 1)), ()))
    cache.put(entries_path, "e", load.FileResult("entries", Entries(payments=ledger.payments), ()))
    cache.save({unit_path, entries_path})
    again = load.FileCache(c.root)
    assert again.get(unit_path, "u") is None
    assert again.get(entries_path, "e") == load.FileResult("entries", Entries(payments=ledger.payments), ())
    # an int where the model has a Decimal: equal to Decimal(500), but it would come back a Decimal
    odd = msgspec.structs.replace(ledger.payments[0], amount=500)
    cache = load.FileCache(c.root)
    cache.put(entries_path, "odd", load.FileResult("entries", Entries(payments=(odd,)), ()))
    cache.save({entries_path})
    assert load.FileCache(c.root).get(entries_path, "odd") is None
