"""The letter cache: each letter laid out once, kept signed in the work folder, dropped after a month unused.

A print run (``print_run``) asks for each letter by the digest of
everything that shapes its bytes. What it finds is used only if it is
signed with the user's cache key and reached without a link
(``speed.signed``): the work folder may be a CI cache written by someone
else, and a planted file must never become a committee's letter, nor a link
pull a file of the machine into the letters. Without a cache key nothing is
kept and every letter is laid out.

Each file read is marked as used (its modification time); a file of this
cache unused for ``UNUSED_DAYS`` is removed at the end of a run, so the
cache holds about a month of letters instead of every letter ever made (a
new day changes the dates in most of them). Only files whose names have
the exact shapes written here are ever removed. The unsigned cache of
earlier versions (``letters/``) is removed the same way, file by file.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from pathlib import Path

from generator.render.outputs import regular_files
from generator.speed.signed import read_signed, write_signed

FOLDER = "letter-cache"
UNUSED_DAYS = 30
_OURS = re.compile(r"(?:[0-9a-f]{64}|batch-[0-9a-f]{64}|joined-[0-9a-f]{16}-[0-9a-f]{64})")
_LEFT_BEHIND = re.compile(r"tmp[a-z0-9_]{8}\.tmp")  # ``write_signed``'s file of a run killed while writing
_LEGACY_FOLDER = "letters"  # before signing: <key>.pdf, <key>.pages, batch-<key>.pdf, joined-<kind>-<keys>.pdf
_LEGACY = re.compile(r"(?:[0-9a-f]{64}\.(?:pdf|pages)|batch-[0-9a-f]{64}\.pdf|joined-[0-9a-f]{16}-[0-9a-f]{64}\.pdf)(?:\.tmp)?")


class LetterCache:
    """Letters, batches' combined PDFs and joined print files of earlier runs, by the digests that name them."""

    def __init__(self, cache_dir: Path, key: bytes | None) -> None:
        self.folder = cache_dir / FOLDER
        # a link (or anything but a folder) in the cache's place: nothing is read, written or removed through it
        self.key = key if _folder_or_missing(self.folder) else None

    def letter(self, digest: str) -> tuple[bytes, int] | None:
        """A letter's PDF and page total."""
        payload = read_signed(self.folder, digest, self.key, touch=True)
        if payload is None or len(payload) < 4:
            return None
        return payload[4:], int.from_bytes(payload[:4], "big")

    def put_letter(self, digest: str, pdf: bytes, pages: int) -> None:
        self._put(digest, pages.to_bytes(4, "big") + pdf)

    def batch(self, digest: str) -> bytes | None:
        """A batch's combined PDF (one embedded font for all its letters)."""
        return read_signed(self.folder, f"batch-{digest}", self.key, touch=True)

    def put_batch(self, digest: str, pdf: bytes) -> None:
        self._put(f"batch-{digest}", pdf)

    def joined(self, kind: str, letters: list[str]) -> bytes | None:
        """A kind's print file: its letters (by digest, in order) joined."""
        return read_signed(self.folder, _joined_name(kind, letters), self.key, touch=True)

    def put_joined(self, kind: str, letters: list[str], pdf: bytes) -> None:
        """Keep the kind's print file, and only it of the kind: each is megabytes, and each day's letters make one."""
        name = _joined_name(kind, letters)
        self._put(name, pdf)
        family = name[:len("joined-") + 17]
        for other in regular_files(self.folder):
            if other.startswith(family) and other != name and _OURS.fullmatch(other):
                _remove(self.folder / other)

    def prune(self, now: float | None = None) -> None:
        """Remove this cache's files unused for ``UNUSED_DAYS``, and every file of the unsigned cache of before."""
        if self.key is None:
            return
        oldest = (time.time() if now is None else now) - UNUSED_DAYS * 86400
        for name, info in regular_files(self.folder).items():
            if (_OURS.fullmatch(name) or _LEFT_BEHIND.fullmatch(name)) and info.st_mtime < oldest:
                _remove(self.folder / name)
        legacy = self.folder.parent / _LEGACY_FOLDER
        for name in regular_files(legacy):
            if _LEGACY.fullmatch(name):
                _remove(legacy / name)
        try:
            legacy.rmdir()  # only when it is now empty: anything else in it stays
        except OSError:
            pass

    def _put(self, name: str, payload: bytes) -> None:
        if self.key is not None:
            write_signed(self.folder, name, self.key, payload)


def _joined_name(kind: str, letters: list[str]) -> str:
    # a kind may be a policy's letter key: only its digest names the file
    return f"joined-{hashlib.sha256(kind.encode()).hexdigest()[:16]}-{hashlib.sha256(chr(10).join(letters).encode()).hexdigest()}"


def _folder_or_missing(path: Path) -> bool:
    """``path`` is a real folder or not there yet (it is then made as one); False for a link or anything else."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _remove(path: Path) -> None:
    """Remove a regular file of ours (``regular_files`` lists no link and no folder)."""
    try:
        os.unlink(path)
    except OSError:
        pass
