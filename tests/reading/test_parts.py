"""A large entries file read in parts gives exactly what reading it whole gives, in bounded memory."""
from __future__ import annotations

import pytest

from generator.reading import load, parts

PATH = "ledger/payments/2026.yaml"

PAY = '  - unit: 1-1-{n:03d}\n    date: 2026-03-{d:02d}\n    amount: "{a}.00"\n    method: cash\n'

FILES = {
    "plain": "# 2026 payments\npayments:\n" + "".join(PAY.format(n=i, d=i % 28 + 1, a=100 + i) for i in range(40)),
    "bad values and a duplicate key": "payments:\n" + "".join(PAY.format(n=i, d=i % 28 + 1, a=100 + i) for i in range(30))
    + "  - unit: 1-1-999\n    date: 2026-02-30\n    amount: 12.5\n    amount: \"1.00\"\n    colour: red\n"
    + "".join(PAY.format(n=i, d=1, a=i) for i in range(10)),
    "sections out of order, comments, plans": "waivers:\n  - unit: 1-1-001\n    date: 2026-01-05\n    amount: \"5.00\"\n"
    "    applies_to: late_fee\n    approved_by: 主任\n# between\ncharges:\n"
    + "".join(f"  - unit: 1-1-{i:03d}\n    date: 2026-01-10\n    amount: \"3.00\"\n    description: 门禁卡\n" for i in range(12))
    + "plans:\n  - unit: 1-1-002\n    signed: 2026-02-01\n    installments:\n      - {due: 2026-03-01, amount: \"10.00\"}\n"
    "      - {due: 2026-01-01, amount: \"10.00\"}\n"
    + "payments:\n" + "".join(PAY.format(n=i, d=2, a=i + 1) for i in range(25)),
    "entries at the margin and CRLF": ("payments:\n" + "".join(
        f"- unit: 1-1-{i:03d}\n  date: 2026-04-01\n  amount: \"{i}.50\"\n  method: wechat\n  note: |\n    第一行\n    - 不是一条\n"
        for i in range(20))).replace("\n", "\r\n"),
    "a quoted value running over an entry line": "payments:\n" + "".join(PAY.format(n=i, d=3, a=i + 1) for i in range(20))
    + '  - unit: 1-1-500\n    date: 2026-05-01\n    amount: "1.00"\n    method: cash\n    note: "第一行\n  - unit: 1-1-501\n    仍是备注"\n'
    + "".join(PAY.format(n=i, d=4, a=i + 1) for i in range(20)),
    "a syntax error late in the file": "payments:\n" + "".join(PAY.format(n=i, d=5, a=i + 1) for i in range(30))
    + '  - unit: 1-1-600\n    date: 2026-05-01\n    amount: "1.00\n',
    "an alias": "payments:\n  - &first\n    unit: 1-1-001\n    date: 2026-01-01\n    amount: \"1.00\"\n    method: cash\n"
    + "".join(PAY.format(n=i, d=6, a=i + 1) for i in range(20)) + "  - *first\n",
    "harmless tags": "payments:\n" + "".join(PAY.format(n=i, d=7, a=i + 1).replace("method: cash", "method: !!str cash") for i in range(20)),
    "a section twice": "payments:\n" + PAY.format(n=1, d=1, a=1) * 10 + "payments:\n" + PAY.format(n=2, d=2, a=2) * 10,
    "a document marker": "---\npayments:\n" + "".join(PAY.format(n=i, d=8, a=i + 1) for i in range(20)),
    "an unknown section": "payments:\n" + "".join(PAY.format(n=i, d=9, a=i + 1) for i in range(20))
    + "paymnets:\n" + PAY.format(n=1, d=1, a=1) * 3 + "waivers:\n  - {unit: 1-1-001}\n",
    "an unknown section and an empty one": "payments:\n" + "".join(PAY.format(n=i, d=9, a=i + 1) for i in range(20))
    + "paymnets:\n" + PAY.format(n=1, d=1, a=1) + "charges:\n",
}


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(load, "PARTS_MIN_CHARS", 0)
    monkeypatch.setattr(parts, "PART_CHARS", 200)


def _whole(raw: bytes):
    saved = load.PARTS_MIN_CHARS
    load.PARTS_MIN_CHARS = 10**12
    try:
        return load.read_exact(PATH, raw)
    finally:
        load.PARTS_MIN_CHARS = saved


@pytest.mark.parametrize("name", FILES)
def test_reading_in_parts_gives_the_whole_files_records_and_diagnostics(name, small_parts):
    raw = FILES[name].encode("utf-8")
    assert load.read_exact(PATH, raw) == _whole(raw)


def test_a_plain_file_is_really_read_in_several_parts_with_its_own_line_numbers(small_parts):
    text = FILES["plain"]
    cut = parts.split(text)
    assert cut is not None and len(cut) > 5
    assert sum(p.entries for p in cut) == 40
    assert [p.first_index for p in cut] == [sum(q.entries for q in cut[:i]) for i in range(len(cut))]
    for part in cut:  # every line of a part is blank, the section's key, or the file's own line at its place
        for number, line in enumerate(part.text(text).split("\n")):
            assert line in ("", "payments:") or line == text.split("\n")[number]


@pytest.mark.parametrize("name", ["a section twice", "a document marker", "an unknown section and an empty one"])
def test_files_that_are_not_plain_sections_of_lists_are_not_cut(name):
    assert parts.split(FILES[name]) is None


def test_a_cut_inside_a_quoted_value_is_noticed_and_the_file_read_whole(small_parts):
    text = FILES["a quoted value running over an entry line"]
    assert parts.split(text) is not None  # the lines look like entries ...
    assert parts.read_in_parts(PATH, text) is None  # ... but a part does not hold what was counted


def test_a_syntax_error_in_a_large_file_is_found_without_composing_it(small_parts, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("composed the whole file")
    raw = FILES["a syntax error late in the file"].encode("utf-8")
    expected = _whole(raw)
    monkeypatch.setattr(load, "compose", refuse)
    result = load.read_exact(PATH, raw)
    assert result == expected and result.problems[0].message.startswith("YAML 格式错误")
