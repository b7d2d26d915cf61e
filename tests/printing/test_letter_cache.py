"""The letter cache trusts only what it signed, never reads or writes through a link, and forgets letters unused for a month."""
from __future__ import annotations

import os
import time
from pathlib import Path

from generator.printing.cache import FOLDER, UNUSED_DAYS, LetterCache

KEY = b"k" * 32
DIGEST = "a" * 64
OTHER = "b" * 64


def test_a_letter_comes_back_with_its_page_total(tmp_path):
    cache = LetterCache(tmp_path, KEY)
    cache.put_letter(DIGEST, b"%PDF-1.7 letter", 3)
    assert cache.letter(DIGEST) == (b"%PDF-1.7 letter", 3)
    assert LetterCache(tmp_path, b"x" * 32).letter(DIGEST) is None  # signed with another user's key


def test_a_planted_unsigned_letter_is_not_used(tmp_path):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / DIGEST).write_bytes(b"\0" * 32 + b"\0\0\0\1%PDF-1.7 forged")
    assert LetterCache(tmp_path, KEY).letter(DIGEST) is None


def test_a_link_in_place_of_a_letter_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"id_rsa")
    cache = LetterCache(tmp_path / "work", KEY)
    cache.put_letter(DIGEST, b"%PDF", 1)
    (cache.folder / OTHER).symlink_to(secret)
    assert cache.letter(OTHER) is None
    cache.put_letter(OTHER, b"%PDF again", 1)  # written by renaming a new file over the link, not through it
    assert secret.read_bytes() == b"id_rsa" and cache.letter(OTHER) == (b"%PDF again", 1)


def test_a_link_in_place_of_the_cache_folder_keeps_nothing_there(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / FOLDER).symlink_to(elsewhere)
    cache = LetterCache(tmp_path / "work", KEY)
    cache.put_letter(DIGEST, b"%PDF", 1)
    cache.prune()
    assert list(elsewhere.iterdir()) == [] and cache.letter(DIGEST) is None


def test_without_a_cache_key_nothing_is_kept(tmp_path):
    cache = LetterCache(tmp_path, None)
    cache.put_letter(DIGEST, b"%PDF", 1)
    assert cache.letter(DIGEST) is None and not (tmp_path / FOLDER).exists()


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then), follow_symlinks=False)


def test_files_unused_for_a_month_are_removed_and_a_used_one_is_kept(tmp_path):
    cache = LetterCache(tmp_path, KEY)
    cache.put_letter(DIGEST, b"%PDF used", 1)
    cache.put_letter(OTHER, b"%PDF stale", 1)
    cache.put_batch(OTHER, b"%PDF stale batch")
    for name in (DIGEST, OTHER, f"batch-{OTHER}"):
        _age(cache.folder / name, UNUSED_DAYS + 1)
    notes = cache.folder / "notes.txt"
    notes.write_bytes(b"someone's")
    _age(notes, 400)
    assert cache.letter(DIGEST) == (b"%PDF used", 1)  # reading it marks it used
    cache.prune()
    assert sorted(p.name for p in cache.folder.iterdir()) == [DIGEST, "notes.txt"]


def test_a_new_print_file_of_a_kind_replaces_the_old_one_only(tmp_path):
    cache = LetterCache(tmp_path, KEY)
    cache.put_joined("notice", [DIGEST], b"%PDF day one")
    cache.put_joined("statement", [DIGEST], b"%PDF statements")
    cache.put_joined("notice", [DIGEST, OTHER], b"%PDF day two")
    assert cache.joined("notice", [DIGEST]) is None
    assert cache.joined("notice", [DIGEST, OTHER]) == b"%PDF day two"
    assert cache.joined("statement", [DIGEST]) == b"%PDF statements"


def test_the_unsigned_cache_of_earlier_versions_is_removed_file_by_file(tmp_path):
    legacy = tmp_path / "letters"
    legacy.mkdir()
    ours = [f"{DIGEST}.pdf", f"{DIGEST}.pages", f"batch-{OTHER}.pdf", f"joined-{'c' * 16}-{OTHER}.pdf"]
    for name in ours:
        (legacy / name).write_bytes(b"old")
    LetterCache(tmp_path, KEY).prune()
    assert not legacy.exists()
    legacy.mkdir()
    (legacy / f"{DIGEST}.pdf").write_bytes(b"old")
    (legacy / "mine.pdf").write_bytes(b"not the cache's")
    LetterCache(tmp_path, KEY).prune()
    assert [p.name for p in legacy.iterdir()] == ["mine.pdf"]


def test_a_letter_that_cannot_be_marked_used_is_still_read(tmp_path, monkeypatch):
    """A read-only cache (marking a file used fails) still gives its letters; it is only not pruned by use."""
    from generator.speed import signed

    cache = LetterCache(tmp_path, KEY)
    cache.put_letter(DIGEST, b"%PDF", 2)

    def refused(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(signed.os, "utime", refused)
    assert cache.letter(DIGEST) == (b"%PDF", 2)
