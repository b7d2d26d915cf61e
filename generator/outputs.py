"""Write build outputs safely: build beside the old output, swap only when everything succeeded.

Files whose bytes did not change keep the old file (same inode and
mtime), so a rebuild after one new contact rewrites only what changed.
"""
from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True, slots=True)
class Published:
    path: Path
    written: int  # files new or changed
    kept: int  # files identical to the previous build, left untouched


def publish(target: Path, produce: Callable[[Path], None]) -> Published:
    """Run ``produce(tmp)`` into a fresh folder beside ``target``; swap it in only if it returns."""
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    for leftover in (tmp, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    tmp.mkdir()
    try:
        produce(tmp)
        written, kept = _reuse_unchanged(target, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if target.exists():
        os.rename(target, old)
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return Published(target, written, kept)


def _reuse_unchanged(previous: Path, fresh: Path) -> tuple[int, int]:
    written = kept = 0
    for dirpath, _dirs, files in os.walk(fresh):
        for name in files:
            new_file = Path(dirpath, name)
            old_file = previous / new_file.relative_to(fresh)
            if old_file.is_file() and filecmp.cmp(old_file, new_file, shallow=False):
                os.replace(old_file, new_file)  # keep the old inode and mtime
                kept += 1
            else:
                written += 1
    return written, kept


def sync_tree(folder: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Make ``folder`` hold exactly ``files``; write only what changed. Returns (written, removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = removed = 0
    for rel, content in files.items():
        path = folder / rel
        if path.is_file() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)
        written += 1
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath, name)
            if path.relative_to(folder).as_posix() not in files:
                path.unlink()
                removed += 1
    return written, removed
