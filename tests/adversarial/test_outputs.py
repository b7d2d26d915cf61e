"""Output folders that someone else has been into: a rebuild never moves, deletes or writes through a link."""
from __future__ import annotations

import os
import shutil

import pytest

from tests.support import cuijiao

BASE = __import__("pathlib").Path(__file__).resolve().parents[1] / "broken" / "_base"


def _community(tmp_path):
    root = tmp_path / "c"
    shutil.copytree(BASE, root)
    return root


def test_a_rebuild_never_takes_files_through_a_linked_folder_of_the_previous_output(tmp_path):
    root, out, outside = _community(tmp_path), tmp_path / "out", tmp_path / "outside"
    first = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
    assert first.returncode == 0, first.stderr
    # the previous site's assets/ becomes a link to a folder outside holding the very same files
    shutil.copytree(out / "site" / "assets", outside)
    shutil.rmtree(out / "site" / "assets")
    os.symlink(outside, out / "site" / "assets")
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    again = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
    assert again.returncode == 0, again.stderr
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before  # nothing moved out of it
    assert not (out / "site" / "assets").is_symlink() and (out / "site" / "assets" / "stylesheets" / "cuijiao.css").is_file()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_a_chinese_error_and_the_old_site_stays(tmp_path):
    root, out = _community(tmp_path), tmp_path / "out"
    assert cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22").returncode == 0
    index = (out / "site" / "index.html").read_bytes()
    out.chmod(0o555)
    try:
        result = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-01")
    finally:
        out.chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "没有权限" in result.stderr
    assert (out / "site" / "index.html").read_bytes() == index


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes regardless of permissions")
def test_a_read_only_community_folder_still_builds(tmp_path):
    root, out = _community(tmp_path), tmp_path / "out"
    for folder in (root / "owners", root / "ledger", root):
        folder.chmod(0o555)
    try:
        result = cuijiao("build", "--out", str(out), root=root, as_of="2026-11-22")
    finally:
        for folder in (root, root / "owners", root / "ledger"):
            folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert (out / "site" / "index.html").is_file()


def test_builds_of_one_community_at_the_same_time_each_give_the_whole_site(tmp_path):
    """They share the community's work folder: the lock makes them take turns instead of writing it at once."""
    import subprocess
    import sys

    root = _community(tmp_path)
    outs = [tmp_path / f"out{i}" for i in range(3)]
    procs = [subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "--as-of", "2026-11-22", "site", "--out", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=BASE.parents[2]) for out in outs]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode("utf-8")
    sites = [{p.relative_to(out): p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()} for out in outs]
    assert len(sites[0]) > 50 and sites[0] == sites[1] == sites[2]


def test_files_synced_into_a_folder_get_the_usual_mode_and_replace_links_without_following_them(tmp_path):
    """sync_tree writes new files renamed into place: a link planted under a name is replaced, not written through,
    and the files are as readable as a plain write makes them (a web server serving the site reads the letters)."""
    import os
    import stat

    from generator.render.outputs import sync_tree

    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"mine")
    folder = tmp_path / "letters"
    (folder / "notice").mkdir(parents=True)
    (folder / "notice" / "a.pdf").symlink_to(secret)
    (folder / "print").symlink_to(tmp_path)
    mask = os.umask(0o022)
    os.umask(mask)  # this process's umask, as it was
    written, _removed = sync_tree(folder, {"notice/a.pdf": b"%PDF a", "print/all.pdf": b"%PDF all"})
    assert (written, secret.read_bytes()) == (2, b"mine") and not (tmp_path / "all.pdf").exists()
    for rel in ("notice/a.pdf", "print/all.pdf"):
        info = os.lstat(folder / rel)
        assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o666 & ~mask
