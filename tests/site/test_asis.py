"""site.asis: the lists' big tables are read by MkDocs as marks and put back as they are in the built page."""
from __future__ import annotations

import hashlib

from generator.site.asis import AsIsBlocks, put_back
from tests.community import Community, fee
from tests.support import cuijiao_here, user_cache  # noqa: F401 (user_cache: an autouse fixture)


def test_a_block_becomes_a_mark_naming_its_digest_and_comes_back_in_one_pass():
    blocks = AsIsBlocks()
    table = "<section><table><tr><td>1-1-101</td></tr></table></section>"
    mark = str(blocks(table))
    key = hashlib.sha256(table.encode()).hexdigest()
    assert mark == f"\n\n<!--cj-as-is {key}-->\n\n" and blocks == {key: table}
    assert put_back(f"<p>前</p>{mark}<p>后</p>", blocks) == f"<p>前</p>\n\n{table}\n\n<p>后</p>"
    unknown = "<!--cj-as-is " + "0" * 64 + "-->"
    assert put_back(unknown, blocks) == unknown  # not a block of this build: left as it is
    nested = AsIsBlocks()
    inner = str(nested("<b>x</b>"))
    outer = str(nested(f"<i>{inner}</i>"))
    assert put_back(outer, nested) == f"\n\n<i>{inner}</i>\n\n"  # what is put back is never searched again


def test_the_lists_are_built_with_their_tables_and_no_mark_and_the_work_folder_keeps_whole_markdown(tmp_path, capsys):
    c = Community(tmp_path / "c", fees=[fee()])
    c.unit("1-1-101", area="89.50", billing_start="2024-01-01")
    c.unit("1-1-102", area="120.00", billing_start="2024-01-01", owners=[{"name": "<!--cj-as-is " + "a" * 64 + "-->", "phone": "13800000000"}])
    c.write()
    code, _out, err = cuijiao_here(capsys, "--root", str(c.root), "--as-of", "2026-11-22", "site", "--out", str(tmp_path / "out"))
    assert code == 0, err
    site = tmp_path / "out" / "site"
    for page, row in (("arrears.html", 'id="arrears-table"'), ("queue.html", 'data-group="contacts"'), ("limitation.html", 'id="limitation-table"')):
        html = (site / page).read_text(encoding="utf-8")
        assert row in html and "<!--cj-as-is" not in html, page
    arrears = (site / "arrears.html").read_text(encoding="utf-8")
    assert "1-1-101" in arrears and "cj-as-is " + "a" * 64 in arrears  # a name that looks like a mark stays text (escaped)
    from generator.core.paths import work_folder

    markdown = (work_folder(c.root) / "site" / "docs" / "arrears.md").read_text(encoding="utf-8")
    assert 'id="arrears-table"' in markdown and "<!--cj-as-is" not in markdown  # any engine reads the page whole
