"""Results remembered by the inputs' fingerprint (pipeline.Memo): used only when signed by this user and made
from exactly these inputs; a tampered, foreign or stale memo is ignored and the data computed again."""
from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.core.paths import work_folder
from tests.community import Community, fee
from tests.support import cuijiao_here, user_cache  # noqa: F401 (user_cache: an autouse fixture)

AS_OF = date(2026, 11, 22)


def _community(root: Path, paid: str = "500.00") -> Community:
    c = Community(root, fees=[fee()])
    c.unit("1-1-101", area="89.50", billing_start="2024-01-01")
    c.payment("1-1-101", "2024-03-01", paid)
    c.write()
    return c


def _report(capsys, root: Path, *extra: str, as_of: date = AS_OF) -> str:
    code, out, err = cuijiao_here(capsys, "--root", str(root), "--as-of", str(as_of), "report", *extra)
    assert code == 0, err
    return out


def _no_computing(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the data was checked again although the memo has the report")
    monkeypatch.setattr(pipeline, "check", refuse)


@pytest.mark.parametrize("fmt", [(), ("--format", "json")])
def test_a_report_of_unchanged_data_is_not_computed_again(tmp_path, capsys, monkeypatch, fmt):
    root = _community(tmp_path / "c").root
    first = _report(capsys, root, *fmt)
    _no_computing(monkeypatch)
    assert _report(capsys, root, *fmt) == first


def test_a_changed_payment_is_computed_again(tmp_path, capsys):
    root = _community(tmp_path / "c").root
    first = _report(capsys, root, "--format", "json")
    _community(root, paid="600.00")  # the same file, another amount
    second = _report(capsys, root, "--format", "json")
    assert "600.00" in second and "600.00" not in first


def _memo_file(root: Path, name: str = "report-json") -> Path:
    return work_folder(root) / "memo" / f"{name}-v{pipeline.MEMO_VERSION}.msgpack"


def _plant(root: Path, text: str) -> None:
    """Replace the remembered JSON report's text by ``text``, keeping the signature as it was."""
    path = _memo_file(root)
    data = path.read_bytes()
    assert data.count(b"\"units\"") == 1
    start = data.index(b"{\n")
    path.write_bytes(data[:start] + text.encode().ljust(len(data) - start, b" "))


def test_a_tampered_memo_is_ignored(tmp_path, capsys):
    root = _community(tmp_path / "c").root
    first = _report(capsys, root, "--format", "json")
    _plant(root, '{"forged": true}')
    assert _report(capsys, root, "--format", "json") == first


def test_a_memo_signed_with_another_key_is_ignored(tmp_path, capsys, monkeypatch):
    root = _community(tmp_path / "c").root
    first = _report(capsys, root, "--format", "json")
    key = tmp_path / "user-cache" / "cuijiao" / "cache-key"
    key.write_bytes(os.urandom(32))  # as if another user had written the work folder
    memo = pipeline.Memo(root, AS_OF, AS_OF)
    assert memo.get("report-json", str) is None
    assert _report(capsys, root, "--format", "json") == first


def test_a_memo_of_other_inputs_is_never_used(tmp_path, capsys):
    a = _community(tmp_path / "a").root
    b = _community(tmp_path / "b", paid="600.00").root
    _report(capsys, a, "--format", "json")
    b_report = _report(capsys, b, "--format", "json")
    shutil.copyfile(_memo_file(a), _memo_file(b))  # signed by this user, but made from a's data
    assert _report(capsys, b, "--format", "json") == b_report


def test_as_of_and_today_are_part_of_the_fingerprint(tmp_path):
    root = _community(tmp_path / "c").root
    base = pipeline.input_fingerprint(root, AS_OF, AS_OF)
    assert base == pipeline.input_fingerprint(root, AS_OF, AS_OF)
    assert pipeline.input_fingerprint(root, date(2026, 11, 21), AS_OF) != base
    assert pipeline.input_fingerprint(root, AS_OF, date(2026, 12, 1)) != base  # entries dated up to today are valid
    assert pipeline.input_fingerprint(root, AS_OF, date(2026, 11, 1)) == base  # before as_of: as_of decides


def test_the_community_s_own_content_and_the_code_are_part_of_the_fingerprint(tmp_path, monkeypatch):
    root = _community(tmp_path / "c").root
    base = pipeline.input_fingerprint(root, AS_OF, AS_OF)
    (root / "site_templates" / "legal").mkdir(parents=True)
    (root / "site_templates" / "legal" / "laws.yaml").write_text("articles: []\n", encoding="utf-8")
    own = pipeline.input_fingerprint(root, AS_OF, AS_OF)
    assert own != base
    code = tmp_path / "code"
    shutil.copytree(pipeline.GENERATOR_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "GENERATOR_DIR", code)
    assert pipeline.input_fingerprint(root, AS_OF, AS_OF) == own
    (code / "rules" / "engine.py").write_text((code / "rules" / "engine.py").read_text() + "\n# changed\n")
    assert pipeline.input_fingerprint(root, AS_OF, AS_OF) != own


def test_nothing_is_remembered_when_a_file_is_a_link(tmp_path, capsys):
    root = _community(tmp_path / "c").root
    (root / "site_templates").mkdir()
    (root / "site_templates" / "x.css").symlink_to(tmp_path / "elsewhere.css")
    assert pipeline.input_fingerprint(root, AS_OF, AS_OF) is None
    memo = pipeline.Memo(root, AS_OF, AS_OF)
    memo.put("report-json", "text", str)
    assert memo.get("report-json", str) is None
    assert not _memo_file(root).exists()


def test_a_memo_is_not_kept_when_the_data_changed_while_it_was_computed(tmp_path):
    c = _community(tmp_path / "c")
    memo = pipeline.Memo(c.root, AS_OF, AS_OF)
    assert memo.fingerprint is not None
    _community(c.root, paid="600.00")  # written while the report of the old data was computed
    memo.put("report-json", "the old data's report", str)
    assert not _memo_file(c.root).exists()


@pytest.mark.parametrize("change", ["new owner file", "owner file rewritten with the same bytes", "own template"])
def test_a_memo_is_not_kept_when_a_file_was_added_or_written_while_it_was_computed(tmp_path, monkeypatch, change):
    """Found by the files' sizes, times and inodes (``input_stats``), not by reading the data a second time:
    even bytes written back unchanged count (the fingerprint would have said the same; nothing is lost)."""
    monkeypatch.setattr(pipeline, "RACY_NS", 0)  # the files are written well before the stats are taken
    c = _community(tmp_path / "c")
    memo = pipeline.Memo(c.root, AS_OF, AS_OF)
    assert memo.fingerprint is not None
    owner = next((c.root / "owners").glob("*.yaml"))
    if change == "new owner file":
        shutil.copy(owner, c.root / "owners" / "9-9-999.yaml")
    elif change == "owner file rewritten with the same bytes":
        owner.write_bytes(owner.read_bytes())
    else:
        (c.root / "site_templates" / "pages").mkdir(parents=True)
        (c.root / "site_templates" / "pages" / "arrears.md.j2").write_text("# 欠费\n", encoding="utf-8")
    memo.put("report-json", "a report of other data", str)
    assert not _memo_file(c.root).exists()


@pytest.mark.parametrize("paid, kept", [("500.00", True), ("600.00", False)])
def test_files_written_just_before_the_fingerprint_are_compared_by_their_bytes(tmp_path, paid, kept):
    """Racy: a second write in the same tick of the file system's clock would leave the times as they were."""
    c = _community(tmp_path / "c")  # just written: within RACY_NS of the stats
    memo = pipeline.Memo(c.root, AS_OF, AS_OF)
    assert memo.fingerprint is not None
    _community(c.root, paid=paid)  # the same bytes again, or other bytes of the same size
    memo.put("report-json", "a report", str)
    assert _memo_file(c.root).exists() == kept


def test_a_value_that_does_not_come_back_as_its_type_is_not_kept(tmp_path):
    root = _community(tmp_path / "c").root
    memo = pipeline.Memo(root, AS_OF, AS_OF)
    memo.put("n", 5, float)  # would come back as 5.0
    assert memo.get("n", float) is None


def test_no_cache_remembers_nothing(tmp_path, capsys):
    root = _community(tmp_path / "c").root
    code, _out, err = cuijiao_here(capsys, "--root", str(root), "--as-of", str(AS_OF), "--no-cache", "report")
    assert code == 0, err
    assert not (work_folder(root) / "memo").exists()


def test_the_shared_policy_of_a_repository_of_many_is_part_of_the_fingerprint(tmp_path):
    root = _community(tmp_path / "communities" / "a").root
    base = pipeline.input_fingerprint(root, AS_OF, AS_OF)
    shared = tmp_path / "communities" / "_shared"
    shared.mkdir()
    (shared / "policy.yaml").write_text("late_fee: null\n", encoding="utf-8")
    with_shared = pipeline.input_fingerprint(root, AS_OF, AS_OF)
    assert with_shared not in (None, base)
    (shared / "policy.yaml").write_text("late_fee: null\n# changed\n", encoding="utf-8")
    assert pipeline.input_fingerprint(root, AS_OF, AS_OF) not in (None, base, with_shared)
