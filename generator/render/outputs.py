"""Write build outputs safely: build beside the old output, swap only when everything succeeded.

``cuijiao build --out DIR`` owns exactly the folders of DIR it builds
(``site``, ``letters``, ``receipts-YYYY-MM``); nothing else in DIR is ever
written, moved or deleted. Each is
made in a fresh folder beside it and swapped in only after all of them were
made. A folder that exists but was not made by cuijiao (no marker file, not
a previous build's layout) is never replaced, and an ``--out`` that is the
community folder or holds (or lies inside) its ``ledger/`` or ``owners/``
is refused.

Files whose bytes did not change keep the old file (same inode and
mtime), so a rebuild after one new contact rewrites only what changed.
"""
from __future__ import annotations

import filecmp
import functools
import os
import re
import shutil
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from generator.core.errors import UsageProblem
from generator.reading.files import read_data_file

MARKER = ".cuijiao-output"
MARKER_TEXT = "本文件夹由 cuijiao 生成，每次生成时整个替换，请不要在里面存放别的文件。\n".encode("utf-8")
PROTECTED = ("ledger", "owners")


class OutputError(UsageProblem, ValueError):
    """The output folder would put the community's own files at risk (Chinese message)."""


@dataclass(frozen=True, slots=True)
class Published:
    path: Path
    written: int  # files new or changed
    kept: int  # files identical to the previous build, left untouched


def check_out_dir(out: Path, root: Path) -> None:
    """Refuse an output folder that is the community folder, or is, holds or lies inside ledger/ or owners/."""
    out_r, root_r = out.resolve(), root.resolve()
    if out_r == root_r:
        raise OutputError(
            f"输出文件夹“{out}”就是小区文件夹本身：生成的网站和函件会和台账数据混在一起。"
            "请换一个专用的输出文件夹，例如 --out build。"
        )
    for name in PROTECTED:
        protected = root_r / name
        if out_r.is_relative_to(protected):
            where = f"是小区的 {name}/ 文件夹或在它里面"
        elif protected.is_relative_to(out_r):
            where = f"包含小区的 {name}/ 文件夹"
        else:
            continue
        raise OutputError(f"输出文件夹“{out}”{where}：为保护台账数据，不能在这里生成。请换一个专用的输出文件夹，例如 --out build。")


def _is_ours(folder: Path) -> bool:
    """A folder cuijiao made: it has the marker, or the layout of a build made before the marker existed."""
    if not folder.exists():
        return True
    if not folder.is_dir() or folder.is_symlink():
        return False
    if (folder / MARKER).is_file() or not any(folder.iterdir()):
        return True
    site_like = (folder / "index.html").is_file() and (folder / "assets" / "stylesheets" / "cuijiao.css").is_file()
    letters_like = (folder / "manifest.json").is_file() and (folder / "print").is_dir()
    return site_like or letters_like


def publish_outputs(out: Path, names: Iterable[str], produce: Callable[[dict[str, Path]], None], root: Path | None = None) -> Published:
    """Run ``produce({name: tmp})`` into fresh folders beside ``out/name``; swap each in only if it returns.

    Only ``out/name`` for the given names is ever replaced; everything else
    in ``out`` stays as it was.
    """
    out = out.absolute()
    if root is not None:
        check_out_dir(out, root)
    names = tuple(names)
    for name in names:
        if not _is_ours(out / name):
            raise OutputError(
                f"“{out / name}”已经存在，但不是 cuijiao 生成的（里面没有 {MARKER} 标记文件）：为免删掉别的文件，不会替换它。"
                "请换一个输出文件夹，或先自行移走这个文件夹。"
            )
    out.mkdir(parents=True, exist_ok=True)
    pid = os.getpid()
    tmps = {name: out / f".{name}.tmp-{pid}" for name in names}
    olds = {name: out / f".{name}.old-{pid}" for name in names}
    remove_leftovers(out, names)
    written = kept = 0
    try:
        for tmp in tmps.values():
            tmp.mkdir()
            (tmp / MARKER).write_bytes(MARKER_TEXT)  # marks it ours from the start: a killed build's folder is cleaned next time
        produce(dict(tmps))
        for name, tmp in tmps.items():
            (tmp / MARKER).write_bytes(MARKER_TEXT)
            w, k = _reuse_unchanged(out / name, tmp)
            written, kept = written + w, kept + k
    except BaseException:
        for tmp in tmps.values():
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    for name, tmp in tmps.items():  # everything was made: now swap each in
        target = out / name
        if target.exists():
            os.rename(target, olds[name])
        os.rename(tmp, target)
        shutil.rmtree(olds[name], ignore_errors=True)
    return Published(out, written, kept)


_LEFTOVER = re.compile(r"\.(?P<name>[^/]+)\.(?:tmp|old)-(?P<pid>\d+)")


def remove_leftovers(out: Path, names: tuple[str, ...]) -> None:
    """Delete the work folders of builds that were killed: ours by name and marker, and their process gone.

    A folder whose name looks like ours but is a link, has no marker, or
    belongs to a build still running is left alone.
    """
    try:
        entries = list(os.scandir(out))
    except OSError:
        return
    for entry in entries:
        match = _LEFTOVER.fullmatch(entry.name)
        if match is None or match["name"] not in names or not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        pid = int(match["pid"])
        if pid != os.getpid() and _running(pid):
            continue
        if (folder / MARKER).is_file() and not (folder / MARKER).is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or a name we did not make: leave it
    return True


def publish(target: Path, produce: Callable[[Path], None], root: Path | None = None) -> Published:
    """Run ``produce(tmp)`` into a fresh folder beside ``target``; swap it in only if it returns."""
    target = target.absolute()
    result = publish_outputs(target.parent, (target.name,), lambda tmps: produce(tmps[target.name]), root)
    return Published(target, result.written, result.kept)


def _entries(folder: Path) -> Iterator[tuple[str, str]]:
    """(relative posix path, path) of everything under ``folder`` but folders; a linked folder is listed, not entered."""
    top = str(folder)
    for dirpath, dirs, names in os.walk(top):  # os.walk never descends into a linked folder
        rel_dir = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in names:
            yield prefix + name, os.path.join(dirpath, name)
        for name in dirs:  # os.walk counts a link to a folder as a folder
            if os.path.islink(os.path.join(dirpath, name)):
                yield prefix + name, os.path.join(dirpath, name)


def regular_files(folder: Path) -> dict[str, os.stat_result]:
    """The regular files under ``folder`` (relative posix paths) with their lstat, links to files or folders not followed."""
    found: dict[str, os.stat_result] = {}
    if folder.is_symlink() or not folder.is_dir():
        return found
    for rel, path in _entries(folder):
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            found[rel] = info
    return found


def file_inodes(folder: Path) -> tuple[dict[str, int], list[str]]:
    """The regular files under ``folder`` (relative posix paths) with their inode numbers as the folder lists them
    (no stat per file), and everything else but real folders (links to files or folders, FIFOs…), not entered.
    A ``folder`` that is a link or not a folder has neither."""
    files: dict[str, int] = {}
    others: list[str] = []
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return files, others
    except OSError:
        return files, others
    todo = [(str(folder), "")]
    while todo:
        path, prefix = todo.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                todo.append((entry.path, rel + "/"))
            elif entry.is_file(follow_symlinks=False):
                files[rel] = entry.inode()
            else:
                others.append(rel)
    return files, others


def same_device(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` (not followed if links) are on one file system: their inode numbers compare."""
    try:
        return os.lstat(a).st_dev == os.lstat(b).st_dev
    except OSError:
        return False


def _reuse_unchanged(previous: Path, fresh: Path) -> tuple[int, int]:
    """Keep the previous build's file where the new one has the same bytes; only real files inside ``previous`` are moved.

    Two names of one file (a rebuild links unchanged pages from the kept build, as the previous one did) are
    the same bytes without reading them. Whatever is decided, ``fresh`` keeps the new bytes: an old file is put
    in place of a new one only when they compare equal."""
    written = kept = 0
    reusable, _ = file_inodes(previous)
    one_device = same_device(previous, fresh)
    for rel, inode in file_inodes(fresh)[0].items():
        old = reusable.get(rel)
        new_file = fresh / rel
        if old is not None and one_device and old == inode:
            kept += 1  # already the old file
        elif old is not None and filecmp.cmp(previous / rel, new_file, shallow=False):
            # keep the old inode and mtime, unless the new file has other names: a site's page linked from (or
            # into) the kept build stays that file, so the next rebuild finds them one file, not two to compare
            if os.lstat(new_file).st_nlink == 1:
                os.replace(previous / rel, new_file)
            kept += 1
        else:
            written += 1
    return written, kept


def link_or_copy(source: Path, dest: Path) -> None:
    """Put ``source`` at ``dest``: a hard link where the file system allows it (no second copy on disk), else a copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() or dest.is_symlink():
        dest.unlink()
    try:
        os.link(source, dest, follow_symlinks=False)  # a link put at ``source`` meanwhile is linked as a link, never followed
    except OSError:
        shutil.copyfile(source, dest, follow_symlinks=False)


def sync_tree(folder: Path, files: dict[str, bytes], same: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Make ``folder`` hold exactly ``files``; write only what changed. Returns (written, removed).

    ``same``: files of ``folder`` to leave as they are, whether in ``files`` or not (not compared, not removed).

    The folder may be in a work folder someone else wrote (a CI cache): nothing is read, written or
    removed through a link. A link (or file) where the folder or one of its subfolders should be is
    removed and a real folder made; files are compared without following a link and written as new
    files renamed into place, so a link planted under a file's name is replaced, never written through.
    """
    real_folder(folder)
    written = removed = 0
    checked: set[str] = set()  # subfolders found (or made) real folders
    for rel, content in files.items():
        if rel in same:
            continue
        parent, _, _name = rel.rpartition("/")
        if parent and parent not in checked:
            step = folder
            for part in parent.split("/"):
                step = step / part
                real_folder(step, parents=False)
            checked.add(parent)
        path = folder / rel
        if holds(path, content):
            continue
        write_new(path, content)
        written += 1
    for rel, path in list(_entries(folder)):  # anything else, a link included, goes
        if rel not in files and rel not in same:
            os.unlink(path)
            removed += 1
    return written, removed


def real_folder(path: Path, parents: bool = True) -> None:
    """Make ``path`` a real folder: a link or a file in its place (in a folder of ours) is removed first."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            return
        os.unlink(path)
    except FileNotFoundError:
        pass
    path.mkdir(parents=parents, exist_ok=True)


def write_new(path: Path, content: bytes) -> None:
    """``path`` := content, written as a new file renamed over whatever is there (a link is replaced, not followed).

    The file gets the mode a plain ``open`` would give it (0666 less the umask), not mkstemp's 0600: letters
    linked into a site a web server serves must stay readable to it as they were."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where the mode means little
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    """This process's umask (read by setting it and putting it back, once, before any thread or worker starts)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def holds(path: Path, content: bytes) -> bool:
    """``path`` is a regular file (reached without a link) holding exactly ``content``."""
    raw, _problem = read_data_file(path.parent, path.name)
    return raw == content


@contextmanager
def work_folder_lock(work: Path) -> Iterator[None]:
    """One build at a time in a community's work folder: two at once would write the same site sources.

    The folder is the user's own (``core/paths.work_folder``); the lock is an
    ``flock`` on ``WORK/.lock`` that goes with the process. Without ``fcntl``
    (Windows) builds are not serialised.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    work.mkdir(parents=True, exist_ok=True)
    fd = os.open(work / ".lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
