"""Cache files signed with the user's cache key: what every cache of the work folder is written and read with.

The work folder may be a CI cache restored from someone else's run, so a
file in it is used only when it is a regular file reached without a link
and its HMAC-SHA256 under the user's key (``reading.load.cache_key``) is
right. Anything else (missing, a link, a FIFO, foreign, truncated) reads as
None: the caller makes the result again. Writes go to a fresh temporary
file (never through a link planted under the final name) renamed over the
old one, so a reader sees the old file or the new one, never half of one.
"""
from __future__ import annotations

import hmac
import os
import stat
import tempfile
from pathlib import Path

import msgspec

SIGNATURE_BYTES = 32
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def write_signed(folder: Path, name: str, key: bytes, payload: bytes) -> bool:
    """``folder/name`` := HMAC-SHA256(key, payload) + payload, atomically; False (and nothing written) on failure."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):  # a link in the folder's place: nothing is written through it
            return False
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(hmac.digest(key, payload, "sha256"))
            handle.write(payload)
        os.replace(tmp, folder / name)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    return True


def read_signed(folder: Path, name: str, key: bytes | None, touch: bool = False) -> bytes | None:
    """The payload ``write_signed`` stored in ``folder/name`` under ``key``, or None when it cannot be trusted.

    ``touch``: mark the file as used now (its modification time), for caches pruned by last use.
    """
    if key is None:
        return None
    try:
        fd = os.open(folder / name, _READ_FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    else:
        if touch:
            try:
                os.utime(fd)
            except OSError:  # a read-only cache is still read; it is only not pruned by use
                pass
    finally:
        os.close(fd)
    payload = memoryview(data)[SIGNATURE_BYTES:]
    if len(data) < SIGNATURE_BYTES or not hmac.compare_digest(data[:SIGNATURE_BYTES], hmac.digest(key, payload, "sha256")):
        return None
    return bytes(payload)


def read_decoded(folder: Path, name: str, key: bytes | None, decoder: msgspec.msgpack.Decoder):
    """``read_signed``'s payload decoded by ``decoder`` (msgspec, typed), or None when it is not there, not to be
    trusted or does not decode into the type."""
    payload = read_signed(folder, name, key)
    if payload is None:
        return None
    try:
        return decoder.decode(payload)
    except (msgspec.DecodeError, ValueError, TypeError):
        return None
