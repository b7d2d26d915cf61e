"""letters/manifest.json is data, never a path to trust (issue 12, item 3).

``cuijiao site`` links the unit letters an earlier ``build`` left in
OUT/letters. Whatever the manifest says, nothing outside OUT is read,
linked or deleted: only "<kind>/<doc number>.pdf" files that are regular
files inside the letters folder are linked.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator.site.build import LetterLink, existing_letters, letter_source

GOOD = "notice/TZ-20261122-1-1-101.pdf"


def letters_folder(root: Path, entries: list[dict]) -> Path:
    folder = root / "letters"
    (folder / "notice").mkdir(parents=True)
    (folder / GOOD).write_bytes(b"%PDF good")
    (folder / "manifest.json").write_text(json.dumps({"letters": entries}, ensure_ascii=False), encoding="utf-8")
    return folder


def entry(file, unit="1-1-101", title="催缴通知书") -> dict:
    return {"unit": unit, "title": title, "file": file}


@pytest.fixture
def victim(tmp_path) -> Path:
    path = tmp_path / "outside" / "v.pdf"
    path.parent.mkdir()
    path.write_bytes(b"not yours")
    return path


def test_a_letter_of_the_expected_shape_inside_the_folder_is_linked(tmp_path):
    folder = letters_folder(tmp_path, [entry(GOOD), entry("board/GS-20261122.pdf", unit=None)])
    assert existing_letters(folder) == (LetterLink("1-1-101", "催缴通知书", GOOD),)


def test_a_chinese_unit_id_in_the_file_name_is_accepted(tmp_path):
    folder = letters_folder(tmp_path, [])
    (folder / "notice" / "TZ-20261122-商铺-3.pdf").write_bytes(b"%PDF")
    assert letter_source(folder, "notice/TZ-20261122-商铺-3.pdf") == folder / "notice" / "TZ-20261122-商铺-3.pdf"


@pytest.mark.parametrize("file", [
    "/tmp/v.txt", "../outside/v.pdf", "notice/../../outside/v.pdf", "./notice/TZ-20261122-1-1-101.pdf",
    "notice//TZ-20261122-1-1-101.pdf", "notice\\TZ-20261122-1-1-101.pdf", "notice/TZ-20261122-1-1-101.pdf/",
    "notice/.hidden.pdf", "notice/TZ.txt", "TZ-20261122-1-1-101.pdf", "a/b/c.pdf", "", None, 5, ["notice", "x.pdf"],
])
def test_a_file_not_of_the_shape_a_build_writes_is_refused(tmp_path, file):
    folder = letters_folder(tmp_path, [entry(file)])
    assert letter_source(folder, file) is None
    assert existing_letters(folder) == ()


def test_symbolic_links_are_never_followed_out_of_the_letters_folder(tmp_path, victim):
    folder = letters_folder(tmp_path, [])
    (folder / "notice" / "link.pdf").symlink_to(victim)
    (folder / "evil").symlink_to(victim.parent, target_is_directory=True)
    os.mkfifo(folder / "notice" / "fifo.pdf")
    (folder / "manifest.json").write_text(json.dumps({"letters": [
        entry("notice/link.pdf"), entry("evil/v.pdf"), entry("notice/fifo.pdf"), entry("notice/missing.pdf"),
    ]}), encoding="utf-8")
    assert existing_letters(folder) == ()


def test_a_letters_folder_or_manifest_that_is_a_link_is_not_read(tmp_path, victim):
    real = letters_folder(tmp_path / "real", [entry(GOOD)])
    linked = tmp_path / "out" / "letters"
    linked.parent.mkdir()
    linked.symlink_to(real, target_is_directory=True)
    assert existing_letters(linked) == ()
    folder = letters_folder(tmp_path / "other", [])
    (folder / "manifest.json").unlink()
    (folder / "manifest.json").symlink_to(real / "manifest.json")
    assert existing_letters(folder) == ()


@pytest.mark.parametrize("text", [b"[1, 2]", b'{"letters": {"file": "x"}}', b'{"letters": [1, "x", null]}', b"{", b"[" * 100_000, b"\xff"])
def test_a_manifest_that_is_not_a_list_of_letters_links_nothing(tmp_path, text):
    folder = letters_folder(tmp_path, [])
    (folder / "manifest.json").write_bytes(text)
    assert existing_letters(folder) == ()


def test_site_after_a_tampered_manifest_touches_nothing_outside_out(tmp_path, cuijiao, victim):
    """The issue's case: an absolute path in the manifest was unlinked by the next ``site`` run."""
    base = Path(__file__).resolve().parent.parent / "broken" / "_base"
    root = tmp_path / "c"
    shutil.copytree(base, root)
    out = tmp_path / "out"
    built = cuijiao("build", "--out", str(out), root=root, as_of="2026-11-22")
    assert built.returncode == 0, built.stderr
    manifest_path = out / "letters" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    kept = [e for e in manifest["letters"] if e["unit"]]
    assert kept
    tampered = {"file": str(victim), "unit": "1-1-101", "title": "绝对路径"}
    (out / "letters" / "notice" / "link.pdf").symlink_to(victim)
    manifest["letters"] += [tampered, {**tampered, "file": "../../outside/v.pdf"}, {**tampered, "file": "notice/link.pdf"}]
    prints = [e["file"] for e in manifest["combined"]]
    assert prints
    manifest["combined"] += [{"type": "notice", "letters": 1, **tampered} | {"file": f} for f in (str(victim), "../../outside/v.pdf", "notice/link.pdf")]
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    again = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert victim.read_bytes() == b"not yours" and victim.stat().st_nlink == 1
    assert sorted(os.listdir(victim.parent)) == ["v.pdf"]
    linked = sorted(p.relative_to(out / "site" / "letters").as_posix() for p in (out / "site" / "letters").rglob("*") if p.is_file())
    assert linked == sorted([e["file"] for e in kept] + prints)  # the unit letters and the day's combined print files
    page = (out / "site" / "units" / "1-1-101.html").read_text(encoding="utf-8")
    assert "绝对路径" not in page
    assert "绝对路径" not in (out / "site" / "queue.html").read_text(encoding="utf-8")
