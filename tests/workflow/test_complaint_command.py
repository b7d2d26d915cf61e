"""``cuijiao complaint`` (issue 16, item 4): a complaint opened, updated, resolved and confirmed in the owner file,
the file's comments and layout kept, as ``cuijiao log`` keeps them."""
from __future__ import annotations

from datetime import date

import pytest

from generator.core.model import ComplaintUpdate
from tests.handwritten import OWNER_101, checked, cli, make_community

OPEN = ("complaint", "1-1-101", "--date", "2026-11-10", "--category", "维修", "--said", "厨房漏水", "--owner", "客服 李娜",
        "--promised", "2026-11-15")


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def owner_text(community) -> str:
    return (community / "owners/1-1-101.yaml").read_text(encoding="utf-8")


def complaints(community):
    [unit] = [u for u in checked(community).ledger.units if u.id == "1-1-101"]
    return unit.complaints


def test_a_complaint_is_opened_after_the_contacts_with_its_category_as_the_code(community):
    result = cli(community, *OPEN, "--evidence", "照片 1110.jpg", "--disputed", "2026-10，2026-11～2026-12")
    assert result.exit_code == 0, result.output
    assert "已写入 owners/1-1-101.yaml：1-1-101 2026-11-10 投诉（维修）：厨房漏水" in result.output
    assert owner_text(community) == OWNER_101 + (
        "complaints:\n"
        "  - opened: 2026-11-10\n"
        "    category: repair\n"
        "    said: 厨房漏水\n"
        "    owner: 客服 李娜\n"
        "    promised: 2026-11-15\n"
        "    evidence: 照片 1110.jpg\n"
        "    disputed: [2026-10, 2026-11~2026-12]\n"
    )
    [complaint] = complaints(community)
    assert (complaint.category, complaint.disputed, complaint.open_on(date(2026, 11, 22))) == ("repair", ("2026-10", "2026-11~2026-12"), True)


def test_an_open_complaint_is_updated_resolved_and_confirmed_in_place_comments_kept(community):
    assert cli(community, *OPEN).exit_code == 0
    path = community / "owners/1-1-101.yaml"
    path.write_text(owner_text(community).replace("    said: 厨房漏水\n", "    said: 厨房漏水   # 楼上 201 的水管\n"), encoding="utf-8")
    steps = [
        ("--date", "2026-11-12", "--update", "已上门查看，约好周五维修", "--by", "李娜"),
        ("--resolved", "2026-11-18", "--resolution", "更换水管"),
        ("--confirmed", "2026-11-20"),
    ]
    for step in steps:
        result = cli(community, "complaint", "1-1-101", *step)
        assert result.exit_code == 0, result.output
    assert "1-1-101 的投诉：2026-11-20 业主确认已解决" in result.output
    assert owner_text(community).endswith(
        "    said: 厨房漏水   # 楼上 201 的水管\n"
        "    owner: 客服 李娜\n"
        "    promised: 2026-11-15\n"
        "    updates:\n"
        "      - {date: 2026-11-12, text: 已上门查看，约好周五维修, by: 李娜}\n"
        "    resolved: 2026-11-18\n"
        "    resolution: 更换水管\n"
        "    confirmed: 2026-11-20\n")
    assert owner_text(community).startswith(OWNER_101)
    [complaint] = complaints(community)
    assert complaint.updates == (ComplaintUpdate(date(2026, 11, 12), "已上门查看，约好周五维修", "李娜"),)
    assert (complaint.resolved, complaint.resolution, complaint.confirmed) == (date(2026, 11, 18), "更换水管", date(2026, 11, 20))


def test_with_two_open_complaints_the_update_names_the_one_by_its_opening_day(community):
    assert cli(community, *OPEN).exit_code == 0
    assert cli(community, "complaint", "1-1-101", "--date", "2026-11-11", "--category", "parking", "--said", "车位被占",
               "--owner", "保安队长").exit_code == 0
    before = owner_text(community)
    result = cli(community, "complaint", "1-1-101", "--update", "已联系车主")
    assert result.exit_code == 1
    assert "这一户有 2 件未解决的投诉（2026-11-10 repair“厨房漏水”；2026-11-11 parking“车位被占”）：请用 --opened 写明是哪天提出的那一件" in result.output
    assert owner_text(community) == before
    result = cli(community, "complaint", "1-1-101", "--opened", "2026-11-11", "--date", "2026-11-21", "--update", "已联系车主")
    assert result.exit_code == 0, result.output
    first, second = complaints(community)
    assert (first.updates, second.updates) == ((), (ComplaintUpdate(date(2026, 11, 21), "已联系车主", ""),))


def test_a_flow_complaint_gets_its_resolution_inside_its_braces_and_keeps_its_comment(community):
    path = community / "owners/1-1-101.yaml"
    path.write_text(OWNER_101 + "complaints:\n  - {opened: 2026-11-01, category: 噪音, said: 夜里装修, owner: 李娜}   # 已转告施工方\n",
                    encoding="utf-8")
    result = cli(community, "complaint", "1-1-101", "--resolved", "2026-11-05", "--resolution", "施工方改到白天")
    assert result.exit_code == 0, result.output
    assert owner_text(community) == OWNER_101 + (
        "complaints:\n  - {opened: 2026-11-01, category: 噪音, said: 夜里装修, owner: 李娜, resolved: 2026-11-05, resolution: 施工方改到白天} # 已转告施工方\n")  # ruamel.yaml puts one space before the comment


def test_a_confirmation_with_nothing_resolved_is_refused_and_nothing_written(community):
    assert cli(community, *OPEN).exit_code == 0
    before = owner_text(community)
    result = cli(community, "complaint", "1-1-101", "--confirmed", "2026-11-20")
    assert result.exit_code == 1
    assert "这一户没有已解决、业主尚未确认的投诉" in result.output
    assert owner_text(community) == before


def test_a_resolution_already_written_is_not_overwritten(community):
    assert cli(community, *OPEN).exit_code == 0
    assert cli(community, "complaint", "1-1-101", "--resolved", "2026-11-18", "--resolution", "更换水管").exit_code == 0
    before = owner_text(community)
    result = cli(community, "complaint", "1-1-101", "--opened", "2026-11-10", "--resolved", "2026-11-19", "--resolution", "再次更换")
    assert result.exit_code == 1
    assert "已经写了 resolved: 2026-11-18；要改正请直接编辑 owners/1-1-101.yaml" in result.output
    assert owner_text(community) == before


def test_a_resolution_before_the_complaint_is_refused_with_the_readers_message(community):
    assert cli(community, *OPEN).exit_code == 0
    before = owner_text(community)
    result = cli(community, "complaint", "1-1-101", "--resolved", "2026-11-09", "--resolution", "已修")
    assert result.exit_code == 1
    assert "解决日期 2026-11-09 早于投诉日期 2026-11-10" in result.output
    assert owner_text(community) == before


@pytest.mark.parametrize(("args", "message"), [
    (("--category", "电梯", "--said", "电梯坏了"), "“电梯”不在可选范围内"),
    (("--category", "repair", "--said", "漏水", "--disputed", "2026年7月"), "“2026年7月”不是账期"),
    (("--said", "漏水"), "缺少选项 --category（投诉类别）"),
    ((), "新投诉请写 --category 和 --said；已有的投诉请写 --update、--resolved 或 --confirmed"),
])
def test_bad_or_missing_options_are_refused_before_anything_is_written(community, args, message):
    before = owner_text(community)
    result = cli(community, "complaint", "1-1-101", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert owner_text(community) == before


def test_a_new_complaint_asks_for_what_is_missing_in_a_terminal(community, monkeypatch):
    from generator.cli import edit as edit_cli

    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    # a category that is none is asked again; 停车 is parking; the owner's words; no handler
    result = cli(community, "complaint", "1-1-101", "--date", "2026-11-21", "--said", "车位被人占了", input="电梯\n停车\n\n")
    assert result.exit_code == 0, result.output
    prompts = [line.split("（")[0] for line in result.output.splitlines() if "）: " in line or line.endswith(": ")]
    assert [p for p in prompts if p] == ["投诉类别", "投诉类别", "负责人"]
    [complaint] = complaints(community)
    assert (complaint.category, complaint.said, complaint.owner) == ("parking", "车位被人占了", "")
    assert "投诉没有写负责人（owner）" in result.output  # the reader's warning, shown after the write


def test_undo_takes_back_a_step_added_to_a_complaint(community):
    assert cli(community, *OPEN).exit_code == 0
    opened = owner_text(community)
    assert cli(community, "complaint", "1-1-101", "--date", "2026-11-12", "--update", "已上门查看").exit_code == 0
    result = cli(community, "undo")
    assert result.exit_code == 0, result.output
    assert "1-1-101 的投诉：2026-11-12 进展：已上门查看" in result.output
    assert owner_text(community) == opened


def test_the_editor_schema_accepts_what_the_command_writes(community):
    from tests.schemas import instance, validator

    assert cli(community, *OPEN, "--disputed", "2026-10~2026-12").exit_code == 0
    assert cli(community, "complaint", "1-1-101", "--date", "2026-11-12", "--update", "已上门查看", "--by", "李娜", "--resolved", "2026-11-18",
               "--resolution", "更换水管", "--confirmed", "2026-11-20").exit_code == 0
    assert list(validator("owner").iter_errors(instance(owner_text(community)))) == []
