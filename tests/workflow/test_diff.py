"""The money diff between two Git revisions (or a revision and the working tree)."""
from __future__ import annotations

import subprocess
from html import unescape
from pathlib import Path

import pytest

from generator import pipeline
from tests.handwritten import AS_OF, OWNER_101, POLICY, cli, make_community

PAYMENT = '  - {unit: 1-1-101, date: 2026-11-20, amount: "600.00", method: wechat, receipt: R1}\n'


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    for key, value in {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.org",
                       "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.org",
                       "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}.items():
        monkeypatch.setenv(key, value)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path):
    root = make_community(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "小区数据")
    return root


def diff(root: Path, *args: str) -> str:
    result = cli(root, "diff", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_payment_between_two_commits_shows_as_money(repo):
    with (repo / "ledger/payments/2026-03.yaml").open("a", encoding="utf-8") as handle:
        handle.write(PAYMENT)
    commit(repo, "缴费")
    lines = diff(repo, "HEAD~1", "HEAD").splitlines()
    assert lines[0] == "## 金额变化（按 2026-11-22 计算）"
    assert "- 1-1-101: 欠费 2,400.00 → 1,800.00" in lines
    assert "  - 违约金：126.00 → 125.64" in lines
    assert "- 新增 1-1-101 2026-11-20 缴费 600.00 元（微信，收据 R1）" in lines
    assert "| 欠费合计 | 4,299.50 | 3,699.50 | 有变化 |" in lines
    assert not any(line.startswith("- 1-1-102") for line in lines)  # unchanged units are not listed


def test_head_defaults_to_the_working_tree(repo):
    result = cli(repo, "waive", "1-1-101", "2400", "--date", "2026-11-22", "--applies-to", "principal",
                 "--approved-by", "业委会2026年第3次会议", "--reason", "开发商遗留问题")
    assert result.exit_code == 0, result.output
    text = diff(repo, "main")
    assert "比较：`main`（" in text and "→ 工作区" in text
    assert "- 1-1-101: 欠费 2,400.00 → 0.00" in text
    assert "  - 催缴阶段：催缴通知书 → 无" in text
    assert "- 新增 1-1-101 2026-11-22 减免本金 2,400.00 元，批准：业委会2026年第3次会议，理由：开发商遗留问题" in text


def test_contacts_and_plans_are_listed(repo):
    assert cli(repo, "log", "1-1-102", "--date", "2026-11-21", "--channel", "phone", "--outcome", "promised",
               "--promise-date", "2026-11-30", "--promise-amount", "500", "--by", "张敏").exit_code == 0
    assert cli(repo, "plan", "1-1-101", "--signed", "2026-11-22", "--installment", "2026-12-15:2400").exit_code == 0
    text = diff(repo, "HEAD")
    assert "- 新增 1-1-102 2026-11-21 电话，承诺付款，承诺 2026-11-30 前付 500.00 元，经办：张敏" in text
    assert "- 新增 1-1-101 2026-11-22 签订，共 1 期 2,400.00 元（2026-12-15 2,400.00）" in text
    assert "  - 分期协议：无 → 按期履行" in text


def test_a_policy_change_says_how_many_units_it_moves(repo):
    policy = POLICY.replace('洋房: "2.50"', '洋房: "3.00"')
    (repo / "ledger/policy.yaml").write_text(policy, encoding="utf-8")
    text = diff(repo, "HEAD")
    assert "### 收费政策" in text
    assert "- 收费项目 物业服务费：高层 2.00、洋房 2.50 元/平方米/月" in text
    assert "单看政策改动，影响 1 户的金额、诉讼时效、阶段或下一步。" in text
    assert "- 1-1-102: 欠费 1,899.50 → 2,379.50" in text


def test_new_and_removed_units(repo):
    (repo / "owners/1-1-102.yaml").unlink()
    new = (repo / "owners/1-1-101.yaml").read_text(encoding="utf-8").replace("1-1-101", "1-1-103")
    (repo / "owners/1-1-103.yaml").write_text(new, encoding="utf-8")
    # 1-1-102's payments would now name a unit that does not exist: move them to 1-1-103
    payments = repo / "ledger/payments/2026-03.yaml"
    payments.write_text(payments.read_text(encoding="utf-8").replace("1-1-102", "1-1-103"), encoding="utf-8")
    text = diff(repo, "HEAD")
    assert "- 1-1-102（已删除）: 欠费 1,899.50 → —" in text
    assert "- 1-1-103（新增）: 欠费 — → 1,899.50" in text


def test_errors_in_the_new_version_are_listed_instead_of_numbers_and_exit_1(repo, tmp_path):
    (repo / "owners/1-1-101.yaml").write_text("unit: 1-1-101\ntype: 高层\n", encoding="utf-8")
    result = cli(repo, "diff", "HEAD")
    assert result.exit_code == 1
    text = result.stdout
    count = len(pipeline.check(repo, AS_OF, AS_OF, use_cache=False).errors)
    assert count >= 2
    assert f"改动后（工作区）的数据有 {count} 处错误，无法计算金额变化" in text
    assert "- `owners/1-1-101.yaml:1:1` 房屋信息缺少必填项“billing_start”（请补上 billing_start: …）" in text
    assert "欠费合计" not in text and "1-1-101: 欠费" not in text
    assert result.stderr == f"无法计算金额变化：改动后（工作区）的数据有 {count} 处错误，请先改正（运行 cuijiao check 查看全部问题）。\n"
    # written to a file (the CI's job summary) all the same
    out = tmp_path / "summary.md"
    assert cli(repo, "diff", "HEAD", "--output", str(out)).exit_code == 1
    assert "无法计算金额变化" in out.read_text(encoding="utf-8")


def test_errors_only_in_the_base_are_listed_but_do_not_fail(repo):
    (repo / "owners/1-1-101.yaml").write_text("unit: 1-1-101\ntype: 高层\n", encoding="utf-8")
    commit(repo, "坏数据")
    (repo / "owners/1-1-101.yaml").write_text(OWNER_101, encoding="utf-8")
    text = diff(repo, "HEAD")
    assert "改动前（`HEAD`" in text and "无法计算金额变化" in text


def test_no_change(repo):
    assert "这次改动不影响任何金额、诉讼时效、阶段、催收记录或投诉。" in diff(repo, "HEAD")


def test_output_file_and_a_community_inside_a_subfolder(tmp_path):
    top = tmp_path / "top"
    root = make_community(top / "小区")
    git(top, "init", "-q")
    commit(top, "数据")
    with (root / "ledger/payments/2026-03.yaml").open("a", encoding="utf-8") as handle:
        handle.write(PAYMENT)
    out = tmp_path / "summary.md"
    result = cli(root, "diff", "HEAD", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "- 1-1-101: 欠费 2,400.00 → 1,800.00" in out.read_text(encoding="utf-8")


def test_an_unknown_revision_is_a_usage_error(repo):
    result = cli(repo, "diff", "no-such-branch")
    assert result.exit_code == 2
    assert "找不到版本“no-such-branch”" in result.output


@pytest.mark.parametrize("text", [
    "<img src=x> | **粗** [链接](javascript:x)", "![](http://evil.example/x.png)", "a\n\n# 标题\n| x | y |", "~~删~~ _斜_ `码`",
    "- 列表", "1. 列表", "{{ 7*7 }} {: .x}", "<script>alert(1)</script>",
])
def test_data_text_cannot_inject_markdown(text):
    """Rendered as GitHub renders the job summary (CommonMark with tables and strikethrough): the text, nothing else."""
    from markdown_it import MarkdownIt

    from generator.workflow.diff import md

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(f"- 经办：{md(text)}\n")
    assert html.startswith("<ul>\n<li>") and html.count("<") == 4  # <ul><li></li></ul> and no other tag
    assert unescape(html[len("<ul>\n<li>"):-len("</li>\n</ul>\n")]) == "经办：" + text



# -- a revision is read from Git's objects: links, submodules and oversized files are refused ----------------

SECRET = "working-tree-secret-中文"


def _commit_link(repo: Path, path: str, target: str) -> None:
    (repo / path).symlink_to(target)
    commit(repo, "链接")


def test_a_link_in_a_revision_is_an_error_of_that_side_and_is_never_followed(repo, tmp_path):
    (tmp_path / "outside.yaml").write_text(f"unit: {SECRET}\n", encoding="utf-8")
    (repo / "owners" / "secret.yaml").write_text(f"# {SECRET}\n", encoding="utf-8")  # in the working tree only
    (repo / ".git" / "info" / "exclude").write_text("owners/secret.yaml\n", encoding="utf-8")
    _commit_link(repo, "owners/x.yaml", "/etc/passwd")
    _commit_link(repo, "owners/y.yaml", "secret.yaml")
    _commit_link(repo, "owners/z.yaml", str(tmp_path / "outside.yaml"))
    result = cli(repo, "diff", "HEAD~3", "HEAD")
    assert result.exit_code == 1 and "Traceback" not in result.output
    for name in ("x", "y", "z"):
        assert f"- `owners/{name}.yaml:1:1` owners/{name}.yaml 在这个版本里是一个链接（符号链接），比较时不读取，也不读取它指向的文件" in result.stdout
    assert "root:" not in result.output and SECRET not in result.output
    assert "改动后（`HEAD`（" in result.stdout and "的数据有 3 处错误" in result.stdout


def test_a_revision_whose_ledger_folder_is_a_link_is_refused_in_chinese(repo):
    git(repo, "rm", "-r", "-q", "ledger")
    (repo / "ledger").symlink_to("/etc", target_is_directory=True)
    commit(repo, "台账换成链接")
    result = cli(repo, "diff", "HEAD", "HEAD~1")  # the link is in the base: listed, the head computes
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "- `ledger/:1:1` ledger/ 在这个版本里是一个链接（符号链接）" in result.stdout
    result = cli(repo, "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 1 and "ledger/ 在这个版本里是一个链接" in result.stdout


def test_a_submodule_in_a_revision_is_refused_in_chinese(repo):
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},ledger/payments/sub")
    git(repo, "commit", "-q", "-m", "子模块")
    result = cli(repo, "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "- `ledger/payments/sub/:1:1` ledger/payments/sub 在这个版本里是一个 Git 子模块，比较时不读取" in result.stdout


def test_a_file_too_large_in_a_revision_is_refused_before_it_is_read(repo, monkeypatch):
    monkeypatch.setattr("generator.workflow.diff.MAX_FILE_BYTES", 1024 * 1024)
    with (repo / "ledger/payments/2026-03.yaml").open("a", encoding="utf-8") as handle:
        handle.write("#" + "x" * (1024 * 1024) + "\n")
    commit(repo, "大文件")
    result = cli(repo, "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "- `ledger/payments/2026-03.yaml:1:1` ledger/payments/2026-03.yaml 在这个版本里有 1 MB，一个文件最多 1 MB，比较时不读取" in result.stdout


def test_hidden_files_and_other_files_of_a_revision_are_not_written(repo, tmp_path):
    from generator.workflow.diff import materialise

    (repo / "ledger" / ".notes.yaml").write_text("x: 1\n", encoding="utf-8")
    (repo / "ledger" / "scan.pdf").write_bytes(b"%PDF")
    commit(repo, "其他文件")
    community, refused = materialise(repo, "HEAD", tmp_path / "out")
    written = sorted(p.relative_to(community).as_posix() for p in community.rglob("*") if p.is_file())
    assert written == ["ledger/payments/2026-03.yaml", "ledger/policy.yaml", "owners/1-1-101.yaml", "owners/1-1-102.yaml"]
    assert refused == [] and not any(p.is_symlink() for p in community.rglob("*"))


def test_control_characters_in_the_data_never_reach_the_terminal(repo):
    owner = repo / "owners/1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("evidence: 录音1.m4a", 'evidence: "录音\\e[2J\\x9b1m\\u202e.m4a"'), encoding="utf-8")
    result = cli(repo, "diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert "证据：录音\ufffd[2J\ufffd1m\ufffd.m4a" in result.stdout.replace("&#91;", "[")
    assert not any(c in result.stdout for c in "\x1b\x9b\u202e")


# -- rule 10 in the diff: limitation status, barred principal and barred late fee ----------------------------

def _barred_repo(tmp_path: Path, **visit) -> Path:
    """One unit: 1,000.00 of opening arrears due 2022-06-30 (limitation ends 2025-06-30), late fee 0.05% a day,
    and a refused visit with a recording on 2025-03-01 that restarts the period to 2028-03-01."""
    from tests.community import Community

    c = Community(tmp_path / "repo", fees=[], late_fee={"daily_rate": "0.0005"})
    c.unit("1-1-101", billing_start="2023-01-01", opening={"amount": "1000.00", "due": "2022-06-30"})
    c.contact("1-1-101", "2025-03-01", "visit", "refused", evidence="录音 20250301.m4a", **visit)
    root = c.write()
    git(root, "init", "-q", "-b", "main")
    commit(root, "数据")
    return root


def test_a_contact_that_stops_counting_as_a_demand_shows_the_charge_and_its_late_fee_barred(tmp_path):
    root = _barred_repo(tmp_path)
    owner = root / "owners/1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace('"evidence": "录音 20250301.m4a"', '"evidence": "录音 20250301.m4a", "purpose": "service"'), encoding="utf-8")
    lines = diff(root, "HEAD").splitlines()
    # 1,606 days late at 2026-11-22: 1,000.00 x 0.0005 x 1,606 = 803.00, claimable before, barred after
    assert "- 1-1-101: 欠费 1,000.00（不变）" in lines
    assert "  - 违约金：803.00 → 0.00" in lines
    assert "  - 已过诉讼时效的违约金（不计入违约金）：0.00 → 803.00" in lines
    assert "  - 诉讼时效：正常 → 已过时效" in lines
    assert "  - 已过诉讼时效的欠费：0.00 → 1,000.00" in lines
    assert "| 其中已过诉讼时效 | 0.00 | 1,000.00 | 有变化 |" in lines
    assert "| 已过诉讼时效的违约金（不计入） | 0.00 | 803.00 | 有变化 |" in lines
    assert "| 违约金合计 | 803.00 | 0.00 | 有变化 |" in lines
    assert "- 新增 1-1-101 2025-03-01 上门，拒绝缴费，用途：服务（不算催缴），证据：录音 20250301.m4a" in lines
    assert "- 删除 1-1-101 2025-03-01 上门，拒绝缴费，证据：录音 20250301.m4a" in lines


def test_an_acknowledgment_of_every_charge_shows_the_barred_amounts_back_in_time(tmp_path):
    root = _barred_repo(tmp_path, purpose="service")  # the base: nothing interrupted, barred since 2025-06-30
    owner = root / "owners/1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + '  - {"date": "2026-10-10", "channel": "phone", "outcome": "promised", '
                     '"promise": {"date": "2026-12-31"}, "evidence": "录音 20261010.m4a", "covers": "all"}\n', encoding="utf-8")
    lines = diff(root, "HEAD").splitlines()
    assert "  - 诉讼时效：已过时效 → 正常" in lines
    assert "  - 已过诉讼时效的欠费：1,000.00 → 0.00" in lines
    assert "  - 已过诉讼时效的违约金（不计入违约金）：803.00 → 0.00" in lines
    assert "  - 违约金：0.00 → 803.00" in lines
    assert ("- 新增 1-1-101 2026-10-10 电话，承诺付款，承诺 2026-12-31 前付，承认全部欠费（含已过诉讼时效的），"
            "证据：录音 20261010.m4a") in lines


def test_a_new_creditor_and_its_authorisation_are_policy_changes(tmp_path):
    root = _barred_repo(tmp_path)
    policy = root / "ledger/policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + 'creditor: {"name": "示例物业有限公司"}\n'
                      'authorisations: [{"from": "2025-01-01", "document": "授权委托书 1 号"}]\n', encoding="utf-8")
    text = diff(root, "HEAD")
    assert "- 债权人：测试花园业主委员会 → 示例物业有限公司" in text
    assert "- 债权人的授权：无 → 授权委托书 1 号（2025-01-01 起，不限期）" in text


def test_a_late_fee_that_runs_out_with_a_settled_charge_is_not_called_normal(tmp_path):
    from tests.community import Community

    c = Community(tmp_path / "repo", fees=[], late_fee={"daily_rate": "0.0005"})
    c.unit("1-1-101", billing_start="2023-01-01", opening={"amount": "500.00", "due": "2022-01-15"})
    c.payment("1-1-101", "2024-06-15", "500.00", receipt="R1")
    c.charge("1-1-101", "维修费", "100.00", "2026-10-15")
    root = c.write()
    git(root, "init", "-q", "-b", "main")
    commit(root, "数据")
    entries = root / "ledger/entries.yaml"  # the payment was in fact made in 2022: its late fee ran out in 2025
    entries.write_text(entries.read_text(encoding="utf-8").replace("2024-06-15", "2022-06-15"), encoding="utf-8")
    lines = diff(root, "HEAD").splitlines()
    # 882 days late x 0.25 = 220.50 (in time until 2027-06-15) -> 151 days x 0.25 = 37.75 (barred since 2025-06-16);
    # the repair charge's 38 days x 0.05 = 1.90 either way
    assert "  - 违约金：222.40 → 1.90" in lines
    assert "  - 已过诉讼时效的违约金（不计入违约金）：0.00 → 37.75" in lines
    assert "  - 诉讼时效：正常 → 违约金有已过时效的部分" in lines
    assert not any(line.startswith("  - 已过诉讼时效的欠费") for line in lines)


def test_complaints_opened_progressed_and_closed_are_listed_with_the_next_action_they_change(repo):
    assert cli(repo, "complaint", "1-1-101", "--date", "2026-11-10", "--category", "维修", "--said", "厨房漏水",
               "--owner", "客服 李娜", "--promised", "2026-11-15").exit_code == 0
    assert cli(repo, "complaint", "1-1-102", "--date", "2026-11-12", "--category", "parking", "--said", "车位被占",
               "--owner", "").exit_code == 0
    text = diff(repo, "HEAD")
    assert "### 投诉\n\n- 新投诉 1-1-101 2026-11-10 维修投诉“厨房漏水”，负责人：客服 李娜，承诺 2026-11-15 前解决\n" \
           "- 新投诉 1-1-102 2026-11-12 停车投诉“车位被占”，没有负责人\n" in text
    commit(repo, "两件投诉")
    assert cli(repo, "complaint", "1-1-101", "--date", "2026-11-12", "--update", "已上门查看").exit_code == 0
    assert cli(repo, "complaint", "1-1-101", "--resolved", "2026-11-18", "--resolution", "更换水管").exit_code == 0
    assert cli(repo, "complaint", "1-1-101", "--confirmed", "2026-11-20").exit_code == 0
    (repo / "owners/1-1-102.yaml").write_text((repo / "owners/1-1-102.yaml").read_text(encoding="utf-8").split("complaints:")[0],
                                              encoding="utf-8")
    text = diff(repo, "HEAD")
    assert text.endswith(
        "### 投诉\n\n"
        "- 处理进展 1-1-101 2026-11-10 维修投诉“厨房漏水”：2026-11-12 已上门查看\n"
        "- 已解决 1-1-101 2026-11-10 维修投诉“厨房漏水”，2026-11-18 解决：更换水管\n"
        "- 业主确认 1-1-101 2026-11-10 维修投诉“厨房漏水”，2026-11-20 确认已解决\n"
        "- 删除 1-1-102 2026-11-12 停车投诉“车位被占”\n")
    assert "  - 下一步：催缴通知书：书面通知、挂号信/EMS（2026-11-22） → 投诉已解决，" in text  # the desk calls back after the owner's confirmation


def test_a_change_to_the_policys_complaint_rule_is_a_policy_change(repo):
    (repo / "ledger/policy.yaml").write_text(POLICY + "complaints: {hold_lawyer_days: 30}\n", encoding="utf-8")
    text = diff(repo, "HEAD")
    assert "- 投诉处理：未解决的投诉不满 60 天不发律师函、业主确认后 3 天内回访 → 30 天、3 天内回访\n" in text
    assert "单看政策改动，影响 0 户的金额、诉讼时效、阶段或下一步。" in text
