"""Find and read a community's data files, trusting nothing about the folder.

A community folder may come from anyone (a pull request, a zip someone
sent). Only its own regular files are read: a symbolic link (to a file, a
folder, ``/dev/zero``), a FIFO, a device or a socket is refused with an
error at its path and never opened, so nothing outside the folder is read
and nothing can block or stream forever. Sizes are bounded per file and in
total, checked on the open file (``fstat``), so a file that grows while
it is read is cut at the limit, not followed.
"""
from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from generator.core.diagnostics import Diagnostic, Pos, error, warning
from generator.core.errors import CuijiaoError

DATA_FOLDERS = ("ledger", "owners")
MAX_FILE_BYTES = 256 * 1024 * 1024  # a month of payments for 5,000 units is under 1 MB
MAX_TOTAL_BYTES = 1024 * 1024 * 1024

_LINK_HINT = "cuijiao 只读取小区文件夹里的真实文件：请把链接换成文件本身（复制过来），或删除它"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def discover(root: Path, ledger_optional: bool = False) -> tuple[list[str], list[Diagnostic]]:
    """Every data file, as sorted posix paths relative to ``root``, and the entries that are refused.

    Links and special files anywhere under ``ledger/`` and ``owners/`` are
    errors (a link silently skipped would drop payments from the sums).
    ``ledger_optional``: a community under a shared policy may have no ledger/ yet (Git keeps no empty folder).
    """
    paths: list[str] = []
    notes: list[Diagnostic] = []
    for folder in DATA_FOLDERS:
        base = root / folder
        if base.is_symlink():
            notes.append(error(Pos(folder + "/"), f"{folder}/ 是一个链接，指向别处", _LINK_HINT))
            continue
        if not base.is_dir() and not (ledger_optional and folder == "ledger" and not os.path.lexists(base)):
            notes.append(error(Pos(folder + "/"), f"找不到 {folder}/ 文件夹", "用 --root 指向含有 ledger/ 和 owners/ 的小区文件夹"))
            continue
        if base.is_dir():
            _walk(base, folder, folder == "owners", paths, notes)
    paths.sort()
    notes.sort(key=lambda d: d.pos.path)
    return paths, notes


def _walk(folder: Path, rel: str, flat: bool, paths: list[str], notes: list[Diagnostic]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        notes.append(error(Pos(rel + "/"), f"无法读取文件夹 {rel}/（{exc.strerror}）", "检查这个文件夹的权限"))
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        path = f"{rel}/{name}"
        if entry.is_symlink():
            notes.append(error(Pos(path), f"{path} 是一个链接（符号链接），不会读取", _LINK_HINT))
        elif entry.is_dir(follow_symlinks=False):
            if flat:
                notes.append(warning(Pos(path + "/"), "owners/ 下的子文件夹不会被读取", "每户一个文件，直接放在 owners/ 里"))
            else:
                _walk(Path(entry.path), path, flat, paths, notes)
        elif name.endswith(".yaml"):
            if entry.is_file(follow_symlinks=False):
                paths.append(path)
            else:
                notes.append(error(Pos(path), f"{path} 不是普通文件（可能是管道、设备或套接字），不会读取", "请删除它，换成普通的 YAML 文件"))
        elif name.endswith(".yml"):
            notes.append(warning(Pos(path), "扩展名 .yml 的文件不会被读取", "请改名为 .yaml"))


# A repository of many communities keeps each in communities/<name>/; a policy they share may be kept in
# communities/_shared/policy.yaml, and each community's ledger/policy.yaml then holds only what differs.
COMMUNITIES_FOLDER = "communities"
SHARED_FOLDER = "_shared"
SHARED_POLICY = "../_shared/policy.yaml"  # relative to the community folder, as diagnostics show it


def shared_policy(root: Path) -> str | None:
    """``SHARED_POLICY`` when ``root`` is ``communities/<name>/`` and ``communities/_shared/policy.yaml`` is there
    (as anything: the loader refuses a link, a FIFO or a linked ``_shared`` folder with an error)."""
    parent = Path(os.path.abspath(root)).parent
    if parent.name != COMMUNITIES_FOLDER:
        return None
    try:
        os.lstat(parent / SHARED_FOLDER / "policy.yaml")
    except OSError:
        return None
    return SHARED_POLICY


def community_names(repo: Path) -> list[str]:
    """The communities of a repository of many: each real folder ``communities/<name>/`` holding ledger/ or owners/.

    ``_shared`` and hidden folders are not communities; a link is never followed.
    """
    folder = Path(repo) / COMMUNITIES_FOLDER
    if folder.is_symlink() or not folder.is_dir():
        return []
    names = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")) or not entry.is_dir(follow_symlinks=False):
            continue
        if any(os.path.isdir(os.path.join(entry.path, data)) for data in DATA_FOLDERS):
            names.append(entry.name)
    return names


class Budget:
    """The bytes left to read in this load (``MAX_TOTAL_BYTES`` in all)."""

    __slots__ = ("left",)

    def __init__(self, total: int = MAX_TOTAL_BYTES) -> None:
        self.left = total


def read_data_file(root: Path, path: str, budget: Budget | None = None) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of the regular file ``root/path``, or None and the error that says why not.

    Opened without following a link and without blocking (a FIFO put there
    after ``discover`` is refused, not waited on); its size is checked on
    the open file before anything is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(root / path, flags)
    except OSError as exc:
        if Path(root / path).is_symlink():
            return None, error(Pos(path), f"{path} 是一个链接（符号链接），不会读取", _LINK_HINT)
        return None, error(Pos(path), f"无法打开 {path}（{exc.strerror}）", "检查这个文件是否存在、有没有读取权限")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, error(Pos(path), f"{path} 不是普通文件（可能是管道、设备或套接字），不会读取", "请删除它，换成普通的 YAML 文件")
        limit = MAX_FILE_BYTES if budget is None else min(MAX_FILE_BYTES, budget.left)
        if info.st_size > limit:
            return None, _too_large(path, info.st_size, budget)
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 24, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return None, _too_large(path, size, budget)
    except OSError as exc:
        return None, error(Pos(path), f"无法读取 {path}（{exc.strerror}）", "检查这个文件是否完整、有没有读取权限")
    finally:
        os.close(fd)
    if budget is not None:
        budget.left -= size
    return b"".join(chunks), None


def _too_large(path: str, size: int, budget: Budget | None) -> Diagnostic:
    if size > MAX_FILE_BYTES:
        return error(Pos(path), f"{path} 太大（{_mib(size)}），一个文件最多 {_mib(MAX_FILE_BYTES)}",
                     "按月或按年拆成几个文件（例如 ledger/payments/2026-11.yaml），或检查它是不是误放的别的文件")
    return error(Pos(path), f"小区的数据文件合计超过 {_mib(MAX_TOTAL_BYTES)}，{path} 及之后的文件没有读取",
                 "检查 ledger/ 和 owners/ 里是否误放了很大的文件；正常的小区数据远小于这个上限")


# -- the community's other files: its templates, assets, guide pages, playbook, mkdocs.yml --------

class UnsafeFile(CuijiaoError):
    """A file of the community that is a link, not a regular file, outside it, or too large (Chinese message)."""


def read_own(folder: Path, path: Path) -> bytes:
    """The bytes of ``path``, a regular file under ``folder`` reached without any link; else UnsafeFile.

    For the files that shape the outputs (templates, assets, the site's
    configuration): a link there could copy any file of the machine into the
    site or a letter. ``folder`` itself is the caller's to have checked
    (``inside``).
    """
    rel = _shown(folder, path)
    if not inside(folder, path):
        raise UnsafeFile(f"{rel} 经过一个链接指向别处，不会读取：{_LINK_HINT}")
    raw, problem = read_data_file(path.parent, path.name)
    if raw is None:
        raise UnsafeFile(f"{path}：{problem.message.replace(path.name + ' ', '', 1)}（{problem.hint}）")
    return raw


def own_files(folder: Path, pattern: str = "*", recursive: bool = True) -> list[Path]:
    """The regular files under ``folder`` whose names match ``pattern``, sorted, never through a link.

    A link or a special file there is refused (UnsafeFile), not skipped: a
    page or style that silently vanished would be as confusing as a leak.
    """
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in [*dirnames, *filenames]:
            if Path(dirpath, name).is_symlink():
                raise UnsafeFile(f"{Path(dirpath, name)} 是一个链接（符号链接），不会读取：{_LINK_HINT}")
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if not path.is_file():
                raise UnsafeFile(f"{path} 不是普通文件（可能是管道、设备或套接字），不会读取：请删除它")
            if fnmatch.fnmatch(name, pattern):
                found.append(path)
        if not recursive:
            break
    return found


def inside(root: Path, path: Path) -> bool:
    """``path`` is ``root`` or under it, and no part of it below ``root`` is a link."""
    try:
        rel = path.absolute().relative_to(root.absolute())
    except ValueError:
        return False
    here = root.absolute()
    for part in rel.parts:
        here = here / part
        if here.is_symlink():
            return False
    return True


def _shown(root: Path, path: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)
