"""``cuijiao log`` records a letter's proof of delivery (issue 15, item 7): --tracking, --delivered-on, --document."""
from __future__ import annotations

from datetime import date

import pytest

from generator.workflow import edit
from tests.handwritten import OWNER_101, checked, cli, make_community


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def test_log_writes_the_tracking_number_the_delivery_day_and_the_document_and_the_reader_reads_them(community):
    result = cli(community, "log", "1-1-101", "--date", "2026-11-18", "--channel", "registered_mail", "--outcome", "delivered",
                 "--evidence", "EMS 底单", "--tracking", " 1100123456789 ", "--delivered-on", "2026年11月20日",
                 "--document", "ｔｚ-20261118-1-1-101", "--by", "张敏", "--reason", "", "--note", "")
    assert result.exit_code == 0, result.output
    text = (community / "owners/1-1-101.yaml").read_text(encoding="utf-8")
    assert text[len(OWNER_101):] == (
        "  - date: 2026-11-18\n"
        "    channel: registered_mail\n"
        "    by: 张敏\n"
        "    outcome: delivered\n"
        "    evidence: EMS 底单\n"
        '    tracking: "1100123456789"\n'
        "    delivered_on: 2026-11-20\n"
        "    document: TZ-20261118-1-1-101\n"
    )
    [unit] = [u for u in checked(community).ledger.units if u.id == "1-1-101"]
    contact = unit.contacts[-1]
    assert (contact.tracking, contact.delivered_on, contact.document) == ("1100123456789", date(2026, 11, 20), "TZ-20261118-1-1-101")


def test_a_document_number_that_is_not_one_is_refused_before_anything_is_written(community):
    before = (community / "owners/1-1-101.yaml").read_bytes()
    result = cli(community, "log", "1-1-101", "--date", "2026-11-18", "--channel", "registered_mail", "--outcome", "delivered",
                 "--document", "通知书第3号")
    assert result.exit_code == 2
    assert "“通知书第3号”不是函件的文号" in result.output and "TZ-20261122-1-1-101" in result.output
    assert (community / "owners/1-1-101.yaml").read_bytes() == before


def test_a_delivery_before_the_letter_was_sent_is_refused_with_the_readers_message(community):
    before = (community / "owners/1-1-101.yaml").read_bytes()
    result = cli(community, "log", "1-1-101", "--date", "2026-11-18", "--channel", "registered_mail", "--outcome", "delivered",
                 "--evidence", "EMS 底单", "--delivered-on", "2026-11-17", "--by", "", "--reason", "", "--note", "")
    assert result.exit_code == 1
    assert "送达日期 2026-11-17 早于这次联系（寄出）的日期 2026-11-18" in result.output
    assert (community / "owners/1-1-101.yaml").read_bytes() == before


@pytest.mark.parametrize(("typed", "read"), [("TZ-20261122-1-1-101", "TZ-20261122-1-1-101"), (" ls-20261122 ", "LS-20261122")])
def test_parse_document_takes_small_and_full_width_letters(typed, read):
    assert edit.parse_document(typed) == read
