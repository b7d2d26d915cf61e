"""A site built from exactly these inputs before: copied from the work folder instead of built again.

After a full build, the MkDocs output (everything but the letters, which are
linked afresh each time) is kept in the community's work folder
(``WORK/site-built/``, the user's cache; never read from the output folder,
which anyone may have written) with a signed record (``pipeline.Memo``)
naming the fingerprint of every input of the site and the SHA-256 of every
file. The next ``site`` or ``build`` whose inputs have the same fingerprint
takes those files, each checked against its SHA-256 first (one changed or
missing means a full build), and does not check, compute, render or run
MkDocs. The kept files are hard links where the file system allows (no
second copy on disk): a file of the output changed in place changes the
kept one too, which the check then refuses.

The fingerprint: the data's (``pipeline.input_fingerprint``: data files,
shared policy, the community's site_templates/, the generator's code,
as_of and today), the letters the pages link, the print files the queue
lists, search on or off, the project's templates, guide and mkdocs.yml, the
community's guide pages, every installed distribution's version, and the
font files on the system (the charts draw their glyphs). A community with
its own mkdocs.yml (which may name any folder of it) is always built in full
(the project's folder, whose mkdocs.yml is the project's, is not one).
"""
from __future__ import annotations

import filecmp
import hashlib
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import msgspec

from generator import pipeline
from generator.core.paths import PROJECT_DIR
from generator.reading.files import read_data_file
from generator.render.outputs import MARKER, same_device, file_inodes, link_or_copy, real_folder

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts", "/Library/Fonts",
             "~/Library/Fonts", "C:/Windows/Fonts")
SKIPPED = (MARKER, "letters")  # not MkDocs' output: the output marker and the letters linked after the build


class PageKept(msgspec.Struct, frozen=True, array_like=True):
    source: str  # digest of the page's sources (its Markdown and, for a unit, the detail the theme includes)
    output: str  # its HTML's path in the site
    entries: list[dict[str, Any]]  # its search entries, in order


class Kept(msgspec.Struct, frozen=True, array_like=True):
    """What a build leaves for the next one to reuse (``site.incremental``)."""

    env: str  # digest of everything but the pages' sources: configuration, theme, code, versions, as_of
    pages: dict[str, PageKept]  # by source path (docs/), in build order
    titles: list[tuple[str, str]]  # (source path, title) of the pages in the navigation
    files: dict[str, str]  # every output file kept (relative path -> SHA-256)
    units: dict[str, str] = {}  # 房号 -> digest of what its page was rendered from (``build.render``)
    unit_env: str = ""  # digest of what every unit page was rendered from besides its unit
    charts: dict[str, str] = {}  # chart file -> digests of what it was drawn from and of its SVG (``build.chart_files``)


class SiteRecord(msgspec.Struct, frozen=True, array_like=True):
    fingerprint: str  # of the site's inputs (``site_fingerprint``)
    kept: Kept


def site_fingerprint(memo: pipeline.Memo, root: Path, letters: tuple, prints: tuple, search: bool) -> str | None:
    """Everything the built site depends on, or None when it cannot be said (then the site is built in full)."""
    data = memo.fingerprint
    if data is None or ((root / "mkdocs.yml").exists() and root.resolve() != PROJECT_DIR.resolve()):
        return None
    digest = hashlib.sha256(f"{data} search={search}\n{letters!r}\n{prints!r}\n".encode())
    for folder in (PROJECT_DIR / "site_templates", PROJECT_DIR / "docs" / "guide", root / "docs" / "guide"):
        tree = pipeline.tree_digest(folder)
        if tree is None:
            return None
        digest.update(tree)
    config, _ = read_data_file(PROJECT_DIR, "mkdocs.yml")
    if config is None:
        return None
    digest.update(hashlib.sha256(config).digest())
    digest.update(pipeline.installed_versions().encode())
    digest.update(installed_fonts())
    return digest.hexdigest()


def installed_fonts() -> bytes:
    """The font files installed (names, sizes, times): a font added or changed draws other chart glyphs."""
    found = []
    for folder in FONT_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.expanduser(folder)):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    info = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                found.append((dirpath, name, info.st_size, info.st_mtime_ns))
    return repr(found).encode()


class SavedSite:
    """The work folder's copy of the last full build, and its signed record."""

    NAME = "site"

    def __init__(self, memo: pipeline.Memo, work: Path, root: Path, letters: tuple, prints: tuple, search: bool) -> None:
        self.memo = memo
        self.folder = work / "site-built"
        self.inputs = (root, letters, prints, search)
        self.fingerprint = site_fingerprint(memo, *self.inputs)

    def restore(self, site_dir: Path) -> bool:
        """Put the kept build into ``site_dir`` if it was made from these inputs and every file is as kept."""
        if self.fingerprint is None:
            return False
        record = self.memo.get(self.NAME, SiteRecord)
        if record is None or record.fingerprint != self.fingerprint:
            return False
        for rel, sha in record.kept.files.items():
            raw, _problem = read_data_file(self.folder, rel)  # a regular file, no link followed
            if raw is None or hashlib.sha256(raw).hexdigest() != sha:
                return False
        for rel in record.kept.files:
            link_or_copy(self.folder / rel, site_dir / rel)
        return True

    def previous(self) -> Kept | None:
        """What the last build kept, whatever its inputs were (each page is checked before use)."""
        if self.fingerprint is None:
            return None
        record = self.memo.get(self.NAME, SiteRecord, any_inputs=True)
        return None if record is None else record.kept

    def keep(self, site_dir: Path, env: str, pages: dict, titles: list, units: dict, unit_env: str,
             taken: dict[str, str] | None = None, charts: dict[str, str] | None = None) -> None:
        """Keep MkDocs' output in ``site_dir`` (before the letters are linked) for the next build.

        ``taken``: the SHA-256 of the outputs this build linked from the kept one after checking them
        (``incremental.build``): not read a second time. The kept folder is brought up to date in place: a
        file that is already the kept one (the same inode: a page this build linked from it) stays, one with
        the kept bytes is replaced in the site by the kept file, the others are linked in, and what the build
        no longer has is removed (a rebuild after one contact links a few files, not 5,000). The record is removed first and written last, so a build killed in between leaves
        no record and the next build is a full one. A kept folder that is a link, or holds links where its
        folders are, is made again from scratch."""
        taken = taken or {}
        if self.fingerprint is None:
            return
        self._remove_leftovers()
        self.memo.forget(self.NAME)
        try:
            files = self._update(site_dir, taken)
        except OSError:
            return
        if site_fingerprint(self.memo, *self.inputs) == self.fingerprint:  # nothing changed while it was built
            self.memo.put(self.NAME, SiteRecord(self.fingerprint, Kept(env, pages, titles, files, units, unit_env, charts or {})), SiteRecord)

    def _update(self, site_dir: Path, taken: dict[str, str]) -> dict[str, str]:
        """Make the kept folder hold MkDocs' output in ``site_dir``; returns every kept file's SHA-256."""
        built, _others = file_inodes(site_dir)
        built = {rel: inode for rel, inode in built.items() if rel.split("/", 1)[0] not in SKIPPED}
        old, planted = file_inodes(self.folder)
        try:
            real = stat.S_ISDIR(os.lstat(self.folder).st_mode)
        except OSError:
            real = False
        if not real or planted or not same_device(site_dir, self.folder):  # no kept folder, or a link in it: start again
            self._replace_folder()
            old = {}
        folders: set[str] = set()
        files: dict[str, str] = {}
        for rel, inode in built.items():
            dest = self.folder / rel
            have = old.get(rel)
            if have is not None and have != inode and filecmp.cmp(dest, site_dir / rel, shallow=False):
                # the bytes kept (a theme file MkDocs copied again, a page that came out the same): the site takes
                # the kept file, so its files keep their inodes and times from one build to the next
                link_or_copy(dest, site_dir / rel)
            elif have != inode:
                parent = rel.rpartition("/")[0]
                if parent and parent not in folders:
                    step = self.folder
                    for part in parent.split("/"):
                        step = step / part
                        real_folder(step, parents=False)
                    folders.add(parent)
                link_or_copy(site_dir / rel, dest)  # a link: whoever changes the output changes this copy,
            known = taken.get(rel)
            files[rel] = known or hashlib.sha256(dest.read_bytes()).hexdigest()  # which restore then refuses
        for rel in old:
            if rel not in built:
                os.unlink(self.folder / rel)
        return files

    def _replace_folder(self) -> None:
        """An empty kept folder in place of whatever is there (a link is removed, never followed)."""
        try:
            if stat.S_ISDIR(os.lstat(self.folder).st_mode):
                gone = self.folder.with_name(f"{self.folder.name}.old-{os.getpid()}")
                os.rename(self.folder, gone)
                shutil.rmtree(gone, ignore_errors=True)
            else:
                os.unlink(self.folder)
        except FileNotFoundError:
            pass
        self.folder.mkdir(parents=True)

    def _remove_leftovers(self) -> None:
        """Remove what a build killed while keeping left (``site-built.tmp-PID``, ``.old-PID``): a build keeps
        only while it holds the work folder's lock (``outputs.work_folder_lock``), so no other build is using one."""
        leftover = re.compile(re.escape(self.folder.name) + r"\.(?:tmp|old)-\d+")
        try:
            entries = list(os.scandir(self.folder.parent))
        except OSError:
            return
        for entry in entries:
            if leftover.fullmatch(entry.name):
                if entry.is_symlink():
                    os.unlink(entry.path)
                else:
                    shutil.rmtree(entry.path, ignore_errors=True)
