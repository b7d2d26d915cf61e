"""A site rebuilt from unchanged inputs is the kept build (site.reuse), byte for byte; anything changed, tampered
with or not ours means a full build, and the output folder is never read back as truth."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.core.paths import work_folder
from generator.site import build as site_build
from generator.site import reuse
from tests.community import Community, fee
from tests.support import cuijiao_here, user_cache  # noqa: F401 (user_cache: an autouse fixture)

AS_OF = date(2026, 11, 22)


def _households(root: Path) -> Community:
    c = Community(root, fees=[fee()])
    c.unit("1-1-101", area="89.50", billing_start="2024-01-01")
    c.unit("1-1-102", area="120.00", billing_start="2024-01-01")
    c.payment("1-1-101", "2024-03-01", "500.00")
    c.write()
    return c


def _built(tmp_path: Path, capsys) -> tuple[Community, Path]:
    """The two households' community, with its site built once into ``tmp_path/out``."""
    c = _households(tmp_path / "c")
    out = tmp_path / "out"
    _site(capsys, c.root, out)
    return c, out


def _community(root: Path) -> Path:
    return _households(root).root


def _site(capsys, root: Path, out: Path, as_of: date = AS_OF) -> None:
    code, _out, err = cuijiao_here(capsys, "--root", str(root), "--as-of", str(as_of), "site", "--out", str(out))
    assert code == 0, err


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Counting:
    """Counts the full builds (MkDocs runs) of this interpreter."""

    def __init__(self, monkeypatch) -> None:
        self.builds = 0
        real = site_build.build_site

        def counted(*args, **kwargs):
            self.builds += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(site_build, "build_site", counted)


def _rendered_units(monkeypatch) -> list[str]:
    """The units whose page Jinja renders from now on, in order (their history is worked out for the page)."""
    histories: list[str] = []
    history = site_build.unit_history
    monkeypatch.setattr(site_build, "unit_history", lambda state, *args: (histories.append(state.unit.id), history(state, *args))[1])
    return histories


def _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path: Path, root: Path, out: Path) -> None:
    """A full build of the same data by another user (nothing kept) gives ``out``'s site byte for byte."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    _site(capsys, root, tmp_path / "fresh")
    assert _files(out / "site") == _files(tmp_path / "fresh" / "site")


def test_a_rebuild_of_unchanged_inputs_is_the_kept_build_without_checking_or_building(tmp_path, capsys, monkeypatch):
    root = _community(tmp_path / "c")
    _site(capsys, root, tmp_path / "out")
    first = _files(tmp_path / "out" / "site")

    def refuse(*args, **kwargs):
        raise AssertionError("checked or built although the kept build has these inputs")
    monkeypatch.setattr(pipeline, "check", refuse)
    monkeypatch.setattr(site_build, "build_site", refuse)
    _site(capsys, root, tmp_path / "out")
    assert _files(tmp_path / "out" / "site") == first


def test_a_changed_contact_as_of_or_template_builds_again_the_same_as_a_fresh_build(tmp_path, capsys, monkeypatch):
    c = _households(tmp_path / "c")
    root, out = c.root, tmp_path / "out"
    _site(capsys, root, out)
    counting = _Counting(monkeypatch)
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, root, out)
    assert counting.builds == 1
    _site(capsys, root, out, as_of=date(2026, 11, 23))
    assert counting.builds == 2
    pages = root / "site_templates" / "pages"
    pages.mkdir(parents=True)
    shutil.copyfile(site_build.PROJECT_DIR / "site_templates" / "pages" / "index.md.j2", pages / "index.md.j2")
    with (pages / "index.md.j2").open("a", encoding="utf-8") as page:
        page.write("\n本小区自己的说明。\n")
    _site(capsys, root, out, as_of=date(2026, 11, 23))
    assert counting.builds == 3
    assert "本小区自己的说明" in (out / "site" / "index.html").read_text(encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))  # nothing kept: a full build
    _site(capsys, root, tmp_path / "fresh", as_of=date(2026, 11, 23))
    assert _files(out / "site") == _files(tmp_path / "fresh" / "site")


def test_a_changed_kept_file_means_a_full_build(tmp_path, capsys, monkeypatch):
    root = _community(tmp_path / "c")
    out = tmp_path / "out"
    _site(capsys, root, out)
    good = _files(out / "site")
    kept = work_folder(root) / "site-built" / "index.html"
    kept.unlink()
    kept.write_text("<p>改过的看板</p>", encoding="utf-8")
    counting = _Counting(monkeypatch)
    _site(capsys, root, out)
    assert counting.builds == 1
    assert _files(out / "site") == good


def test_a_page_changed_in_the_output_folder_is_never_taken_back(tmp_path, capsys, monkeypatch):
    root = _community(tmp_path / "c")
    out = tmp_path / "out"
    _site(capsys, root, out)
    good = _files(out / "site")
    page = out / "site" / "units" / "1-1-101.html"
    page.write_text("<p>别人改过的页面</p>", encoding="utf-8")  # in place: the kept copy is the same file
    _Counting(monkeypatch)
    _site(capsys, root, out)
    assert _files(out / "site") == good


def test_a_record_signed_with_another_key_or_made_for_other_inputs_is_ignored(tmp_path, capsys, monkeypatch):
    a, b = _community(tmp_path / "a"), _community(tmp_path / "b")
    (b / "owners" / "1-1-102.yaml").write_text((b / "owners" / "1-1-102.yaml").read_text(encoding="utf-8").replace("业主1-1-102", "赵六"),
                                                encoding="utf-8")
    _site(capsys, a, tmp_path / "out-a")
    _site(capsys, b, tmp_path / "out-b")
    b_site = _files(tmp_path / "out-b" / "site")
    shutil.rmtree(work_folder(b) / "site-built")
    shutil.copytree(work_folder(a) / "site-built", work_folder(b) / "site-built")
    record = f"memo/site-v{pipeline.MEMO_VERSION}.msgpack"
    shutil.copyfile(work_folder(a) / record, work_folder(b) / record)  # signed by this user, made from a's data
    counting = _Counting(monkeypatch)
    _site(capsys, b, tmp_path / "out-b")
    assert counting.builds == 1 and _files(tmp_path / "out-b" / "site") == b_site
    (tmp_path / "user-cache" / "cuijiao" / "cache-key").write_bytes(b"k" * 32)  # another user's key
    _site(capsys, b, tmp_path / "out-b")
    assert counting.builds == 2 and _files(tmp_path / "out-b" / "site") == b_site


def test_the_letters_linked_and_search_are_part_of_the_site_fingerprint(tmp_path):
    root = _community(tmp_path / "c")
    memo = pipeline.Memo(root, AS_OF, AS_OF)
    link = site_build.LetterLink("1-1-101", "催缴通知书", "notice/CJ-2026-001.pdf")
    base = reuse.site_fingerprint(memo, root, (), (), True)
    assert base is not None
    assert reuse.site_fingerprint(memo, root, (link,), (), True) != base
    assert reuse.site_fingerprint(memo, root, (), (link,), True) != base
    assert reuse.site_fingerprint(memo, root, (), (), False) != base


def test_a_community_with_its_own_mkdocs_yml_is_always_built_in_full(tmp_path):
    root = _community(tmp_path / "c")
    (root / "mkdocs.yml").write_text("site_name: 自己的\n", encoding="utf-8")
    assert reuse.site_fingerprint(pipeline.Memo(root, AS_OF, AS_OF), root, (), (), True) is None


def test_after_one_new_contact_only_changed_pages_are_rendered_and_the_site_is_a_full_build_s(tmp_path, capsys, monkeypatch):
    from generator.site import incremental

    c = Community(tmp_path / "c", fees=[fee()])
    for n in range(1, 7):
        c.unit(f"1-1-10{n}", area="89.50", billing_start="2024-01-01")
    c.payment("1-1-101", "2024-03-01", "500.00")
    c.write()
    out = tmp_path / "out"
    _site(capsys, c.root, out)
    rendered, histories = [], _rendered_units(monkeypatch)
    real = incremental._build_page
    monkeypatch.setattr(incremental, "_build_page", lambda page, *args, **kwargs: (rendered.append(page.file.src_uri), real(page, *args, **kwargs)))
    c.contact("1-1-103", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert histories == ["1-1-103"]  # the other units' pages are taken from the work folder, not rendered by Jinja
    units = [uri for uri in rendered if uri.startswith("units/")]
    assert units == ["units/1-1-103.md"]
    assert "legal.md" not in rendered and "playbook/donts.md" not in rendered  # pages of the menu the contact does not change
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))  # nothing kept: a full build
    rendered.clear()
    _site(capsys, c.root, tmp_path / "fresh")
    assert len([uri for uri in rendered if uri.startswith("units/")]) == 6
    assert _files(out / "site") == _files(tmp_path / "fresh" / "site")


def test_the_demo_after_one_new_contact_is_byte_for_byte_a_full_build(tmp_path, capsys, monkeypatch, project):
    root = tmp_path / "demo"
    for folder in ("ledger", "owners"):
        shutil.copytree(project / folder, root / folder)
    out = tmp_path / "out"
    _site(capsys, root, out)
    code, _out, err = cuijiao_here(capsys, "--root", str(root), "--as-of", str(AS_OF), "log", "1-1-101", "--date", "2026-11-20",
                                   "--channel", "phone", "--outcome", "reached", "--by", "张敏", "--evidence", "", "--note", "")
    assert code == 0, err
    _site(capsys, root, out)
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, root, out)


def _tamper_with_a_kept_unit_page(root: Path) -> None:
    source = work_folder(root) / "site" / "docs" / "units" / "1-1-102.md"
    source.write_text(source.read_text(encoding="utf-8").replace("1-1-102", "9-9-999"), encoding="utf-8")


def test_a_unit_page_changed_in_the_work_folder_never_reaches_the_site(tmp_path, capsys, monkeypatch):
    """A unit page whose unit did not change is left unread in the work folder: its HTML comes from the kept build."""
    c, out = _built(tmp_path, capsys)
    _tamper_with_a_kept_unit_page(c.root)
    histories = _rendered_units(monkeypatch)
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert histories == ["1-1-101"]
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_a_unit_page_changed_in_the_work_folder_is_rendered_again_before_mkdocs_reads_it(tmp_path, capsys, monkeypatch):
    """When its kept HTML cannot be used either, MkDocs must read the page: it is checked first, found changed, and
    every page is rendered again from the data."""
    c, out = _built(tmp_path, capsys)
    _tamper_with_a_kept_unit_page(c.root)
    kept_html = work_folder(c.root) / "site-built" / "units" / "1-1-102.html"
    kept_html.unlink()
    kept_html.write_text("planted", encoding="utf-8")
    histories = _rendered_units(monkeypatch)
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert sorted(histories) == ["1-1-101", "1-1-101", "1-1-102"]  # 101 as it changed; then both, all pages again
    assert "9-9-999" not in (work_folder(c.root) / "site" / "docs" / "units" / "1-1-102.md").read_text(encoding="utf-8")
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_a_link_in_place_of_a_kept_unit_page_is_replaced_by_its_page_rendered_again(tmp_path, capsys, monkeypatch):
    c, out = _built(tmp_path, capsys)
    secret = tmp_path / "secret.md"
    secret.write_text("# secret\n", encoding="utf-8")
    source = work_folder(c.root) / "site" / "docs" / "units" / "1-1-102.md"
    source.unlink()
    source.symlink_to(secret)
    histories = _rendered_units(monkeypatch)
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert sorted(histories) == ["1-1-101", "1-1-102"]
    assert not source.is_symlink() and secret.read_text(encoding="utf-8") == "# secret\n"
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_a_new_payment_renders_again_only_its_units_page_and_gives_a_full_builds_bytes(tmp_path, capsys, monkeypatch):
    c, out = _built(tmp_path, capsys)
    histories = _rendered_units(monkeypatch)
    c.payment("1-1-102", "2026-11-20", "100.00").write()  # the entries file every unit's payments are in changes
    _site(capsys, c.root, out)
    assert histories == ["1-1-102"]
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_charts_drawn_from_the_same_numbers_are_taken_from_the_work_folder_unless_changed_there(tmp_path, capsys, monkeypatch):
    from generator.site import charts

    c, out = _built(tmp_path, capsys)
    drawn = []
    for name in ("aging_chart", "rate_chart", "complaint_chart"):
        real = getattr(charts, name)
        monkeypatch.setattr(charts, name, lambda *args, _name=name, _real=real: (drawn.append(_name), _real(*args))[1])
    c.contact("1-1-102", "2026-11-20", "phone", "reached", by="张敏").write()  # moves no number a chart shows
    _site(capsys, c.root, out)
    assert drawn == []
    kept_chart = work_folder(c.root) / "site" / "docs" / "charts" / "complaints.svg"
    kept_chart.write_text(kept_chart.read_text(encoding="utf-8").replace("<svg", "<svg data-x='1'", 1), encoding="utf-8")
    c.contact("1-1-101", "2026-11-21", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert drawn == ["complaint_chart"]  # changed in the work folder: drawn again, never taken as it is
    drawn.clear()
    c.payment("1-1-102", "2026-11-20", "100.00").write()  # the aging of what is overdue changes
    _site(capsys, c.root, out)
    assert drawn == ["aging_chart"]
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def _elsewhere(tmp_path: Path) -> Path:
    """A folder outside the work folder holding keep.txt ("mine"), for links planted in it to point to."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_bytes(b"mine")
    return elsewhere


def test_links_planted_in_the_work_folder_are_replaced_never_written_through(tmp_path, capsys, monkeypatch):
    """The work folder may be a CI cache someone else wrote: a link where a folder, a page, a page's temporary
    file or the MkDocs configuration goes takes nothing out of it, and the site is still a full build's."""
    c, out = _built(tmp_path, capsys)
    work = work_folder(c.root) / "site"
    elsewhere = _elsewhere(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"PRIVATE")
    shutil.rmtree(work / "docs" / "units")
    (work / "docs" / "units").symlink_to(elsewhere)
    (work / "docs" / "index.md").unlink()
    (work / "docs" / "index.md").symlink_to(secret)
    (work / "docs" / "arrears.md.tmp").symlink_to(secret)
    (work / "mkdocs.yml").unlink()
    (work / "mkdocs.yml").symlink_to(secret)
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"] and secret.read_bytes() == b"PRIVATE"
    assert not any(p.is_symlink() for p in work.rglob("*"))
    assert b"PRIVATE" not in b"".join(_files(out / "site").values())
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_what_a_killed_build_left_in_the_work_folder_is_removed_by_the_next_build(tmp_path, capsys):
    c, out = _built(tmp_path, capsys)
    work = work_folder(c.root)
    for name in ("site-built.tmp-999999", "site-built.old-4242"):
        shutil.copytree(work / "site-built", work / name)
    elsewhere = _elsewhere(tmp_path)
    (work / "site-built.tmp-77").symlink_to(elsewhere)
    (work / "site-built.notes").mkdir()
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert sorted(p.name for p in work.iterdir() if p.name.startswith("site-built")) == ["site-built", "site-built.notes"]
    assert (elsewhere / "keep.txt").read_bytes() == b"mine"


def test_a_rebuild_whose_pages_hold_only_words_seen_before_never_asks_jieba_and_gives_a_full_builds_bytes(tmp_path, capsys, monkeypatch):
    import jieba

    c = _households(tmp_path / "c")
    c.contact("1-1-101", "2026-11-18", "phone", "reached", by="张敏").write()
    out = tmp_path / "out"
    _site(capsys, c.root, out)
    asked: list[str] = []
    real = jieba.cut
    monkeypatch.setattr(jieba, "cut", lambda text, *args, **kwargs: (asked.append(text), real(text, *args, **kwargs))[1])
    c.contact("1-1-102", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert asked == []  # the dashboard and the unit page were indexed again with the kept word breaks
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)
    assert asked  # a build by another user (nothing kept) asks jieba


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_keeping_a_rebuild_links_in_only_what_changed_and_the_next_unchanged_build_restores_it(tmp_path, capsys, monkeypatch):
    c, out = _built(tmp_path, capsys)
    kept = work_folder(c.root) / "site-built"
    before = _inodes(kept)
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    after = _inodes(kept)
    assert set(after) == set(before)
    same = {rel for rel in after if after[rel] == before[rel]}
    assert "units/1-1-102.html" in same and "legal.html" in same  # pages the contact did not change stay as kept
    assert "units/1-1-101.html" not in same and "index.html" not in same
    assert {rel: p.read_bytes() for rel, p in ((rel, kept / rel) for rel in after)} == {
        rel: data for rel, data in _files(out / "site").items() if rel in after}
    counting = _Counting(monkeypatch)
    _site(capsys, c.root, out)
    assert counting.builds == 0  # the same inputs again: the kept build, checked file by file
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_a_link_planted_in_the_kept_folder_is_never_written_through(tmp_path, capsys, monkeypatch):
    c, out = _built(tmp_path, capsys)
    kept = work_folder(c.root) / "site-built"
    elsewhere = _elsewhere(tmp_path)
    shutil.rmtree(kept / "units")
    (kept / "units").symlink_to(elsewhere)
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert not any(p.is_symlink() for p in kept.rglob("*"))
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_a_build_that_fails_while_keeping_leaves_no_record_so_the_next_build_is_a_full_one(tmp_path, capsys, monkeypatch):
    c, out = _built(tmp_path, capsys)
    assert reuse.SavedSite(pipeline.Memo(c.root, AS_OF, AS_OF), work_folder(c.root), c.root, (), (), True).previous() is not None
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()

    def broken(self, site_dir, taken):
        raise OSError("disk full")
    monkeypatch.setattr(reuse.SavedSite, "_update", broken)
    _site(capsys, c.root, out)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the test's user cache again (undo reset it)
    monkeypatch.delenv("CUIJIAO_CACHE_DIR", raising=False)
    saved = reuse.SavedSite(pipeline.Memo(c.root, AS_OF, AS_OF), work_folder(c.root), c.root, (), (), True)
    assert saved.fingerprint is not None and saved.previous() is None
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_a_rebuild_leaves_every_output_file_whose_bytes_did_not_change_the_same_file(tmp_path, capsys):
    """Same inode (and time) for what did not change, theme files MkDocs copies again included: what serves or
    syncs the site sees only the changed pages change, and the next rebuild compares no file twice."""
    c, out = _built(tmp_path, capsys)
    before, before_bytes = _inodes(out / "site"), _files(out / "site")
    c.contact("1-1-101", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    after, after_bytes = _inodes(out / "site"), _files(out / "site")
    unchanged = {rel for rel in after if before_bytes.get(rel) == after_bytes[rel]}
    assert any(rel.startswith("assets/") for rel in unchanged) and "units/1-1-102.html" in unchanged
    assert {rel for rel in unchanged if before[rel] != after[rel]} == set()
    assert {"units/1-1-101.html", "index.html"} <= set(after) - unchanged


def test_after_one_new_contact_the_lists_rows_of_other_units_come_from_the_work_folder(tmp_path, capsys, monkeypatch):
    """Their rows are not rendered again (no advice worked out for them), and the lists come out as a full build's."""
    c = Community(tmp_path / "c", fees=[fee()])
    for n in range(1, 6):
        c.unit(f"1-1-10{n}", area="89.50", billing_start="2024-01-01")  # all in arrears: every list has a row each
    c.write()
    out = tmp_path / "out"
    _site(capsys, c.root, out)
    advised: list[str] = []
    real = site_build.unit_advice
    monkeypatch.setattr(site_build, "unit_advice", lambda state, *args: (advised.append(state.unit.id), real(state, *args))[1])
    c.contact("1-1-103", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert advised == ["1-1-103"]
    assert (out / "site" / "arrears.html").read_text(encoding="utf-8").count('href="units/1-1-10') == 5
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)


def test_unit_pages_rows_and_shares_kept_by_other_library_versions_are_made_again(tmp_path, capsys, monkeypatch):
    """chinese-calendar's holidays move a unit's deadlines; Jinja and markupsafe shape its HTML."""
    c, out = _built(tmp_path, capsys)
    histories, computed = _rendered_units(monkeypatch), _computed_units(monkeypatch)
    monkeypatch.setattr(pipeline, "installed_versions", lambda: "chinese-calendar==9.9.9")
    _site(capsys, c.root, out)
    assert sorted(histories) == sorted(computed) == ["1-1-101", "1-1-102"]


def _computed_units(monkeypatch) -> list[str]:
    """The units whose state is computed from now on, in order."""
    from generator.rules import engine

    computed: list[str] = []
    real = engine.unit_state
    monkeypatch.setattr(engine, "unit_state", lambda *args: (computed.append(args[1].id), real(*args))[1])
    return computed


def test_after_one_new_contact_only_its_unit_is_computed_and_the_site_is_a_full_build_s(tmp_path, capsys, monkeypatch):
    """What the other units add to the totals, dashboard, lists and queue is kept by the digest of their inputs."""
    c = Community(tmp_path / "c", fees=[fee()])
    for n in range(1, 7):
        c.unit(f"1-1-10{n}", area="89.50", billing_start="2024-01-01")
        c.contact(f"1-1-10{n}", "2026-06-01", "phone", "promised", by="李华", promise={"date": "2026-07-01", "amount": "100.00"})
    c.payment("1-1-101", "2024-03-01", "500.00")
    c.payment("1-1-102", "2026-06-20", "100.00")
    c.write()
    out = tmp_path / "out"
    _site(capsys, c.root, out)
    computed = _computed_units(monkeypatch)
    c.contact("1-1-103", "2026-11-20", "phone", "reached", by="张敏").write()
    _site(capsys, c.root, out)
    assert computed == ["1-1-103"]
    assert "张敏" in (out / "site" / "index.html").read_text(encoding="utf-8")  # the collectors' table has the new contact
    c.payment("1-1-104", "2026-11-21", "300.00").write()
    computed.clear()
    _site(capsys, c.root, out)
    assert computed == ["1-1-104"]  # the new totals are a key only of rows that show them: none of the lists' rows
    _assert_a_fresh_build_is_the_same(capsys, monkeypatch, tmp_path, c.root, out)
