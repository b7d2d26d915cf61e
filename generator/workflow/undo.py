"""``cuijiao undo``: take back the last write of an editing helper, while it is not committed to Git.

Every helper's write (``edit.apply``) leaves a small journal in the community's
work folder (``core.paths.work_folder``, in the user's cache: nothing in the
community folder is ever taken for it; signed with the user's cache key, so a
journal planted in a restored work folder is refused): for each file written, its bytes from
before (none for a new file) and the SHA-256 of the bytes written. Undo puts
the old bytes back (or deletes the new file) only when every file still holds
exactly the bytes written, and the write is not committed (Git's ``HEAD`` does
not hold those bytes), all under the edit lock; then the journal is gone, so
one write is undone at most once. Anything else is refused in Chinese, and
nothing is changed.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.core.paths import work_folder
from generator.reading.load import cache_key
from generator.speed.signed import read_signed, write_signed
from generator.workflow.diff import GitError, _git, git_location
from generator.workflow.edit import (
    Edit,
    EditError,
    edit_lock,
    read_bytes,
    remove_file,
    write,
)

JOURNAL = "last-edit.json"
VERSION = 1


@dataclass(frozen=True, slots=True)
class Undone:
    what: str  # the helper's own words for the write, e.g. "1-1-101 2026-11-20 缴费 600.00 元（微信）"
    when: str  # when it was written, local time, ISO
    restored: tuple[str, ...]  # files put back as they were
    removed: tuple[str, ...]  # files the write had made, deleted


def _journal_path(root: Path) -> Path:
    return work_folder(root) / JOURNAL


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def remember(root: Path, edits: list[Edit], before: dict[str, bytes | None], what: str = "") -> None:
    """Keep the journal of a write just made (called under the edit lock, after ``edit.write``).

    When the journal cannot be written, the old one is removed, so undo never takes back an
    earlier write in place of this one; the write itself stands either way."""
    path = _journal_path(root)
    record = {
        "version": VERSION,
        "root": str(Path(root).resolve()),
        "what": what,
        "when": datetime.now().isoformat(timespec="seconds"),
        "files": [{"path": e.path,
                   "before": None if before.get(e.path) is None else base64.b64encode(before[e.path]).decode("ascii"),
                   "after": _digest(e.text.encode("utf-8"))} for e in edits],
    }
    payload = json.dumps(record, ensure_ascii=False).encode("utf-8")
    key = cache_key()
    if key is None or not write_signed(path.parent, JOURNAL, key, payload):
        with suppress(OSError):
            path.unlink()


def _load(root: Path) -> dict:
    nothing = EditError("没有可以撤销的修改：cuijiao undo 只撤销 log、pay、waive、plan、match --write 最近一次写入的内容，"
                        "而这个小区还没有这样的写入，或它已经撤销过了。其他改动请用 Git 查看和恢复（git diff、git checkout -- 文件）")
    path = _journal_path(root)
    if not os.path.lexists(path):
        raise nothing
    payload = read_signed(path.parent, JOURNAL, cache_key())
    try:
        if payload is None:  # not signed with this user's key: not a journal this program wrote
            raise ValueError
        record = json.loads(payload.decode("utf-8"))
    except ValueError:
        raise EditError(f"读不懂上一次写入的记录（{path}），或它不是本机这个用户写下的，无法撤销；请用 Git 查看和恢复改动") from None
    if not isinstance(record, dict) or record.get("version") != VERSION or record.get("root") != str(Path(root).resolve()):
        raise nothing
    return record


def _committed(root: Path, path: str, data: bytes) -> bool:
    """Git's HEAD holds ``path`` with exactly ``data``: the write was committed. Without Git (or outside a
    repository, or before the first commit) nothing is committed."""
    try:
        top, prefix = git_location(root)
        return _git(top, "cat-file", "blob", f"HEAD:{prefix}{path}") == data
    except GitError:
        return False


def undo(root: Path) -> Undone:
    """Take back the last helper write, under the edit lock; EditError in Chinese (nothing changed) when it cannot be."""
    with edit_lock(root):
        record = _load(root)
        files = record["files"]
        for entry in files:
            now = read_bytes(root, entry["path"])
            if now is None or _digest(now) != entry["after"]:
                raise EditError(f"不能撤销：{entry['path']} 在那次写入（{record['when']}，{record['what']}）之后又改过了"
                                f"{'（已被删除）' if now is None else ''}，撤销会丢掉后来的改动。请用 git diff 查看后手工改回；"
                                "未改动任何文件")
            if _committed(root, entry["path"], now):
                raise EditError(f"不能撤销：那次写入（{record['when']}，{record['what']}）已经提交到 Git。"
                                "请用 git revert 撤销那次提交，或手工改回后再提交；未改动任何文件")
        olds = [(e["path"], None if e["before"] is None else base64.b64decode(e["before"])) for e in files]
        restored = tuple(path for path, old in olds if old is not None)
        removed = tuple(path for path, old in olds if old is None)
        write(root, [Edit(path, old.decode("utf-8"), created=False) for path, old in olds if old is not None])
        for path in removed:
            remove_file(root, path)
        with suppress(OSError):
            _journal_path(root).unlink()
    return Undone(record["what"], record["when"], restored, removed)
