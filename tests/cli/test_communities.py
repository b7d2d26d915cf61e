"""Many communities in one repository (issue 17, item 1): communities/<name>/, a shared policy with
per-community overrides, ``--community NAME|all`` and ``cuijiao communities``."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.community import Community, fee
from tests.support import cuijiao

AS_OF = "2026-02-14"  # the January bill (200.00, due 2026-01-15) is 30 days overdue


def _repo(tmp_path: Path) -> Path:
    """communities/_shared/policy.yaml (late fee 0.0003 a day), east (its own name and 0.0006 a day),
    west (no policy file of its own): one unit each, 100 m² at 2.00 a month from 2026-01-01."""
    repo = tmp_path / "repo"
    for name in ("east", "west"):
        c = Community(repo / "communities" / name, fees=[fee()], late_fee={"daily_rate": "0.0003"})
        c.unit("1-101", billing_start="2026-01-01")
        c.write()
    shared = repo / "communities" / "_shared"
    shared.mkdir()
    shutil.move(repo / "communities" / "west" / "ledger" / "policy.yaml", shared / "policy.yaml")
    (repo / "communities" / "east" / "ledger" / "policy.yaml").write_text(
        'community: 东区\nlate_fee: {daily_rate: "0.0006"}\n', encoding="utf-8")
    return repo


def _report(repo: Path, name: str) -> dict:
    done = cuijiao("--community", name, "report", "--format", "json", root=repo, as_of=AS_OF)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_community_takes_the_shared_policy_and_overrides_only_what_it_writes(tmp_path):
    repo = _repo(tmp_path)
    east, west = _report(repo, "east"), _report(repo, "west")
    # 200.00 x 0.0006 x 30 days = 3.60 in east; 200.00 x 0.0003 x 30 = 1.80 in west (the shared rate)
    assert (east["totals"]["late_fee"], west["totals"]["late_fee"]) == ("3.60", "1.80")
    # the fees come from the shared file: both bill January and February (200.00 each); January is overdue
    assert east["totals"]["charged"] == west["totals"]["charged"] == "400.00"
    assert east["units"][0]["outstanding"] == west["units"][0]["outstanding"] == "200.00"


def test_the_community_name_is_its_own_where_it_writes_one(tmp_path):
    repo = _repo(tmp_path)
    done = cuijiao("--community", "east", "report", root=repo, as_of=AS_OF)
    assert "东区" in done.stdout and "测试花园" not in done.stdout.splitlines()[0]


def test_an_error_in_the_shared_policy_is_reported_at_the_shared_file(tmp_path):
    repo = _repo(tmp_path)
    shared = repo / "communities" / "_shared" / "policy.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace('"0.0003"', '"三"'), encoding="utf-8")
    done = cuijiao("--community", "west", "check", root=repo, as_of=AS_OF)
    assert done.returncode == 1
    assert "../_shared/policy.yaml:" in done.stdout + done.stderr
    annotated = cuijiao("--community", "west", "check", "--format", "github", root=repo, as_of=AS_OF, cwd=repo)
    assert "::error file=communities/_shared/policy.yaml,line=" in annotated.stdout


def test_a_linked_shared_folder_is_an_error_not_silently_skipped(tmp_path):
    repo = _repo(tmp_path)
    real = tmp_path / "elsewhere"
    shutil.move(repo / "communities" / "_shared", real)
    (repo / "communities" / "_shared").symlink_to(real, target_is_directory=True)
    done = cuijiao("--community", "east", "check", root=repo, as_of=AS_OF)
    assert done.returncode == 1
    assert "_shared 不是普通文件夹" in done.stdout + done.stderr


def test_community_all_runs_each_community_and_keeps_the_worst_exit_code(tmp_path):
    repo = _repo(tmp_path)
    done = cuijiao("--community", "all", "check", root=repo, as_of=AS_OF)
    assert done.returncode == 0
    assert done.stderr.index("== 小区 east ==") < done.stderr.index("== 小区 west ==")
    assert done.stdout.count("检查通过") == 2
    (repo / "communities" / "west" / "owners" / "1-101.yaml").write_text("area: [\n", encoding="utf-8")
    broken = cuijiao("--community", "all", "check", root=repo, as_of=AS_OF)
    assert broken.returncode == 1 and "检查通过" in broken.stdout  # east still checked and passed
    (repo / "communities" / "east" / "owners" / "1-101.yaml").write_text("area: [\n", encoding="utf-8")
    (repo / "communities" / "west" / "owners" / "1-101.yaml").unlink()
    first_broken = cuijiao("--community", "all", "check", root=repo, as_of=AS_OF)
    assert first_broken.returncode == 1 and "== 小区 west ==" in first_broken.stderr  # a failure does not stop the rest
    assert "检查通过" in first_broken.stdout


def test_community_all_prints_one_json_object_of_every_communitys_report(tmp_path):
    """A program reads ``--community all report --format json`` with one json.loads: each community's report
    under its name, exactly as ``--community NAME`` prints it; a community that fails is null."""
    repo = _repo(tmp_path)
    done = cuijiao("--community", "all", "report", "--format", "json", root=repo, as_of=AS_OF)
    assert done.returncode == 0, done.stderr
    reports = json.loads(done.stdout)
    assert list(reports) == ["east", "west"]
    assert reports == {"east": _report(repo, "east"), "west": _report(repo, "west")}
    summaries = json.loads(cuijiao("--community", "all", "summary", root=repo, as_of=AS_OF).stdout)
    assert list(summaries) == ["east", "west"]
    (repo / "communities" / "west" / "owners" / "1-101.yaml").write_text("area: [\n", encoding="utf-8")
    broken = cuijiao("--community", "all", "report", "--format", "json", root=repo, as_of=AS_OF)
    assert broken.returncode == 1 and json.loads(broken.stdout) == {"east": reports["east"], "west": None}
    text = cuijiao("--community", "all", "report", root=repo, as_of=AS_OF)
    assert "东区" in text.stdout  # the text report is printed as it is


def test_community_all_refuses_commands_that_write_data(tmp_path):
    done = cuijiao("--community", "all", "pay", "1-101", "100.00", root=_repo(tmp_path), as_of=AS_OF)
    assert done.returncode == 2 and "请一次指定一个小区" in done.stderr


def test_an_unknown_community_is_a_usage_error_naming_the_ones_there_are(tmp_path):
    done = cuijiao("--community", "north", "check", root=_repo(tmp_path), as_of=AS_OF)
    assert done.returncode == 2 and "没有名为“north”的小区；现有：east、west" in done.stderr


def test_community_all_puts_each_communitys_outputs_in_its_own_folder(tmp_path):
    repo = _repo(tmp_path)
    out = tmp_path / "out"
    done = cuijiao("--community", "all", "letters", "--out", str(out), root=repo, as_of=AS_OF)
    assert done.returncode == 0, done.stderr
    assert (out / "east" / "letters" / "manifest.json").is_file() and (out / "west" / "letters" / "manifest.json").is_file()
    assert not (out / "letters").exists()


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def git_repo(tmp_path) -> Path:
    repo = _repo(tmp_path)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "start")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "data")
    return repo


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message)


def _listed(repo: Path, *args: str) -> list[dict]:
    done = cuijiao("communities", *args, "--format", "json", root=repo, as_of=AS_OF)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_communities_lists_every_community_folder_for_the_ci_matrix(git_repo):
    (git_repo / "communities" / "notes").mkdir()  # no ledger/ or owners/: not a community
    assert _listed(git_repo) == [{"name": "east", "root": "communities/east"}, {"name": "west", "root": "communities/west"}]


def test_changed_lists_only_the_communities_a_change_touches(git_repo):
    _git(git_repo, "branch", "base")
    owner = git_repo / "communities" / "east" / "owners" / "1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + "tags: [出租]\n", encoding="utf-8")
    _commit(git_repo, "east only")
    assert [row["name"] for row in _listed(git_repo, "--changed", "base")] == ["east"]
    shared = git_repo / "communities" / "_shared" / "policy.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "# 注释\n", encoding="utf-8")
    _commit(git_repo, "shared policy")
    assert [row["name"] for row in _listed(git_repo, "--changed", "base")] == ["east", "west"]


def test_a_one_community_repository_lists_itself(tmp_path):
    c = Community(tmp_path / "one", fees=[fee()])
    c.unit("1-101")
    assert _listed(c.write()) == [{"name": "community", "root": "."}]


def test_the_money_diff_of_a_community_reads_the_shared_policy_of_each_version(git_repo):
    _git(git_repo, "branch", "base")
    shared = git_repo / "communities" / "_shared" / "policy.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace('"0.0003"', '"0.0006"'), encoding="utf-8")
    _commit(git_repo, "double the shared late fee")
    done = cuijiao("--community", "west", "diff", "base", "HEAD", root=git_repo, as_of=AS_OF, cwd=git_repo)
    assert done.returncode == 0, done.stderr
    assert "1.80" in done.stdout and "3.60" in done.stdout  # west's late fee, before and after


def test_community_all_writes_each_summary_beside_the_others_and_never_over_a_file_it_did_not_write(tmp_path):
    repo = _repo(tmp_path)
    out = tmp_path / "reports"
    done = cuijiao("--community", "all", "summary", "--out", str(out / "summary.json"), root=repo, as_of=AS_OF)
    assert done.returncode == 0, done.stderr
    east, west = (json.loads((out / name / "summary.json").read_text(encoding="utf-8")) for name in ("east", "west"))
    assert (east["community"], east["name"], west["community"]) == ("east", "东区", "west")
    again = cuijiao("--community", "east", "summary", "--out", str(out / "east" / "summary.json"), root=repo, as_of=AS_OF)
    assert again.returncode == 0, again.stderr  # a summary it wrote before is replaced
    notes = tmp_path / "notes.json"
    notes.write_text('{"会议": "第3次"}\n', encoding="utf-8")
    refused = cuijiao("--community", "east", "summary", "--out", str(notes), root=repo, as_of=AS_OF)
    assert refused.returncode == 2 and "不是以前生成的小区汇总" in refused.stderr
    assert notes.read_text(encoding="utf-8") == '{"会议": "第3次"}\n'


def test_the_helpers_read_a_communitys_policy_laid_over_the_shared_one(tmp_path):
    """`cuijiao waive` asks for the creditor's written consent when the creditor is not the issuer; the creditor is
    in the shared policy, so a community whose own policy holds two lines must still be asked (not let through)."""
    repo = _repo(tmp_path)
    shared = repo / "communities" / "_shared" / "policy.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "creditor: {name: 示例物业有限公司}\n", encoding="utf-8")
    done = cuijiao("--community", "east", "waive", "1-101", "10.00", "--approved-by", "业委会主任", "--reason", "漏水",
                   root=repo, as_of=AS_OF)
    assert done.returncode == 2 and "示例物业有限公司" in done.stderr and "--consent" in done.stderr
    from generator.reading.load import read_policy_file

    own = (repo / "communities" / "east" / "ledger" / "policy.yaml").read_bytes()
    policy = read_policy_file(repo / "communities" / "east", own).record
    assert policy.community == "东区" and [f.id for f in policy.fees] == ["property"]
    assert str(policy.late_fee.daily_rate) == "0.0006" and policy.creditor_name == "示例物业有限公司"
