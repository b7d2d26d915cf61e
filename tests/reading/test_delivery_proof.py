"""Delivery proof as data (issue 15, item 7): a contact's tracking number, the day it was delivered and the
文号 of the letter the envelope held."""
from __future__ import annotations

from datetime import date

import pytest

from generator.core import labels
from generator.core.model import Contact
from generator.reading.load import read_exact, read_file
from tests.community import Community
from tests.reading.text import col, read_text

HEAD = "unit: 1-1-101\ntype: 高层\narea: \"100.00\"\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n"
SENT = "  - {date: 2026-03-02, channel: registered_mail, outcome: delivered, evidence: EMS 底单, "


def read_unit(contact_line: str):
    return read_text("owners/1-1-101.yaml", HEAD + contact_line + "\n")


def test_a_letter_sent_records_its_tracking_number_delivery_day_and_document():
    line = SENT + "tracking: \"1100123456789\", delivered_on: 2026-03-04, document: TZ-20260301-1-1-101}"
    unit, problems = read_unit(line)
    assert problems == []
    [contact] = unit.contacts
    assert (contact.tracking, contact.delivered_on, contact.document) == ("1100123456789", date(2026, 3, 4), "TZ-20260301-1-1-101")


def test_the_fast_and_the_exact_path_read_the_same_delivery_proof():
    text = (HEAD + "  - date: 2026-03-02\n    channel: registered_mail\n    outcome: delivered\n    evidence: EMS 底单\n"
            "    tracking: \"1100123456789\"\n    delivered_on: 2026-03-04\n    document: LS-20260301-1-1-101\n").encode("utf-8")
    fast, exact = read_file("owners/1-1-101.yaml", text), read_exact("owners/1-1-101.yaml", text)
    assert fast.problems == exact.problems == ()
    assert fast.record == exact.record and fast.record.contacts[0].document == "LS-20260301-1-1-101"


def test_a_contact_without_them_has_blanks():
    unit, problems = read_unit(SENT.rstrip(", ") + "}")
    assert problems == []
    assert unit.contacts[0] == Contact(date(2026, 3, 2), "registered_mail", "", "delivered", None, None, "EMS 底单", "",
                                       unit.contacts[0].pos)


def test_a_delivery_before_the_letter_was_sent_is_an_error_at_the_delivery_day():
    line = SENT + "delivered_on: 2026-03-01}"
    _, problems = read_unit(line)
    assert problems == [("error", 7, col(line, "2026-03-01"), "送达日期 2026-03-01 早于这次联系（寄出）的日期 2026-03-02",
                         "delivered_on 写函件送到（签收）的日子，date 写寄出或送出的日子；检查两个日期")]


def test_a_delivery_after_today_is_an_error_like_every_future_date(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101").contact("1-1-101", "2026-11-20", "registered_mail", "delivered", "EMS 底单", delivered_on="2026-11-25")
    [problem] = c.checked("2026-11-22", today=date(2026, 11, 22)).problems
    assert (problem.severity, problem.pos.path) == ("error", "owners/1-1-101.yaml")
    assert problem.message == "送达日期 2026-11-25 晚于今天"


@pytest.mark.parametrize(("document", "message"), [
    ("TZ20260301", "文号“TZ20260301”的格式不对"),
    ("tz-20260301-1-1-101", "文号“tz-20260301-1-1-101”的格式不对"),
    ("TZ-2026031-1-1-101", "文号“TZ-2026031-1-1-101”的格式不对"),
    ("TZ-20260301-1-1-101 ", None),  # spaces around it are not part of it
    ("TZ-20260231-1-1-101", "文号“TZ-20260231-1-1-101”里的日期 20260231 不存在"),
    ("TZ-02260301-1-1-101", "文号“TZ-02260301-1-1-101”里的日期 02260301 不存在"),
])
def test_a_document_number_must_have_the_shape_printed_on_the_letters(document, message):
    line = SENT + f"document: \"{document}\"}}"
    unit, problems = read_unit(line)
    if message is None:
        assert problems == [] and unit.contacts[0].document == document.strip()
        return
    [(severity, at_line, at_col, found, hint)] = problems
    assert (severity, at_line, at_col, found) == ("error", 7, col(line, '"' + document), message)
    assert "TZ-20261122-1-1-101" in hint


def test_a_document_of_a_kind_no_letter_has_is_warned_about_with_the_known_prefixes():
    line = SENT + "document: XX-20260301-1-1-101}"
    unit, problems = read_unit(line)
    [(severity, _, at_col, message, hint)] = problems
    assert (severity, at_col, message) == ("warning", col(line, "XX-"), "文号“XX-20260301-1-1-101”的代号 XX 不是本程序函件的代号")
    assert "TZ（催缴通知书）" in hint and "LS（律师函）" in hint
    assert unit.contacts[0].document == "XX-20260301-1-1-101"  # kept: it is only a warning


def test_a_document_to_another_unit_or_printed_after_the_contact_is_warned_about():
    _, problems = read_unit(SENT + "document: TZ-20260301-1-1-102}")
    assert [m for _, _, _, m, _ in problems] == ["文号“TZ-20260301-1-1-102”是发给 1-1-102 的函件，不是本户（1-1-101）的"]
    _, problems = read_unit(SENT + "document: TZ-20260305-1-1-101}")
    assert [m for _, _, _, m, _ in problems] == ["文号“TZ-20260305-1-1-101”的日期 2026-03-05 晚于这次联系的日期 2026-03-02"]
    _, problems = read_unit(SENT + "document: GS-20260301}")  # a notice-board letter names no unit
    assert problems == []


def test_a_tracking_number_on_a_phone_call_is_warned_about():
    line = "  - {date: 2026-03-02, channel: phone, outcome: reached, evidence: 录音, tracking: \"1100123456789\"}"
    _, problems = read_unit(line)
    [(severity, _, at_col, message, hint)] = problems
    assert (severity, at_col, message) == ("warning", col(line, '"1100'), "联系方式是电话，却写了快递单号（tracking）")
    assert "registered_mail" in hint


def test_a_hand_delivered_notice_may_name_its_document_and_delivery_day():
    _, problems = read_unit("  - {date: 2026-03-02, channel: visit, outcome: delivered, evidence: 送达回执, "
                            "delivered_on: 2026-03-02, document: TZ-20260301-1-1-101}")
    assert problems == []


def test_every_kind_of_letter_printed_has_its_prefix_among_the_known_ones():
    from generator.printing import dossier

    missing = {kind: prefix for kind, prefix in dossier.PREFIXES.items() if prefix not in labels.DOCUMENT_PREFIXES}
    assert missing == {}, "add these prefixes to generator/core/labels.py DOCUMENT_PREFIXES"
    assert all(labels.DOCUMENT_PREFIXES[p] for p in dossier.PREFIXES.values())



@pytest.mark.parametrize(("document", "valid"), [
    ("TZ-20261122-1-1-101", True), ("GS-20261122", True), ("ZJSM-20261122-甲-1-101", True),
    ("tz-20261122-1-1-101", False), ("TZ-0226112-1-1-101", False), ("TZ-20261122-1-1-101_2", False), ("TZ-20261122-", False),
])
def test_the_editor_schema_and_the_reader_agree_on_a_document_number(document, valid):
    from tests.schemas import instance, validator

    text = HEAD + SENT + f"tracking: \"1100123456789\", delivered_on: 2026-03-04, document: \"{document}\"}}\n"
    errors = list(validator("owner").iter_errors(instance(text)))
    assert (not errors) is valid, [e.message for e in errors]
    _, problems = read_unit(SENT + f"document: \"{document}\"}}")
    assert (not [p for p in problems if p[0] == "error"]) is valid
