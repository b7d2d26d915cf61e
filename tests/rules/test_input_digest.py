"""engine.input_digest: what the site compares to keep a unit's page (equal digests must mean equal states)."""
from __future__ import annotations

from datetime import date

from generator import pipeline
from tests.community import Community, fee

AS_OF = date(2026, 11, 22)


def _digests(c: Community, as_of: date = AS_OF) -> dict[str, str]:
    desk = pipeline.desk_for(c.checked(as_of), as_of, digests=True)
    assert len(desk.digests) == len(desk.units)
    return {state.unit.id: digest for state, digest in zip(desk.units, desk.digests)}


def _community(tmp_path) -> Community:
    c = Community(tmp_path / "c", fees=[fee()])
    for n in (1, 2, 3):
        c.unit(f"1-1-10{n}", area="89.50", billing_start="2024-01-01")
    c.payment("1-1-101", "2024-03-01", "500.00")
    return c


def test_each_of_a_units_own_inputs_changes_its_digest_and_no_other_units(tmp_path):
    c = _community(tmp_path)
    before = _digests(c)
    assert len(set(before.values())) == 3  # three units with other inputs
    steps = [
        ("1-1-101", lambda: c.payment("1-1-101", "2026-11-01", "10.00")),
        ("1-1-102", lambda: c.contact("1-1-102", "2026-11-20", "phone", "reached", by="张敏")),
        ("1-1-103", lambda: c.waiver("1-1-103", "2026-10-01", "5.00", reason="测试")),
        ("1-1-102", lambda: c.charge("1-1-102", "维修费", "80.00", "2026-10-31", issued="2026-10-01", file="ledger/charges.yaml")),
    ]
    for unit, change in steps:
        change()
        after = _digests(c)
        assert [u for u in after if after[u] != before[u]] == [unit]
        before = after


def test_the_digest_is_the_same_for_the_same_inputs_and_without_digests_the_desk_has_none(tmp_path):
    c = _community(tmp_path)
    assert _digests(c) == _digests(c)
    assert pipeline.desk_for(c.checked(AS_OF), AS_OF).digests == ()


def test_a_record_moved_down_its_file_changes_its_units_digest(tmp_path):
    """Records carry where they are written (file:line:col), which pages and errors show: a line added above
    another unit's record in the same file makes that unit's page again too (more work, never a stale page)."""
    c = _community(tmp_path)
    c.waiver("1-1-103", "2026-10-01", "5.00")
    before = _digests(c)
    c.charge("1-1-102", "维修费", "80.00", "2026-10-31", issued="2026-10-01")  # written above the waivers
    after = _digests(c)
    assert sorted(u for u in after if after[u] != before[u]) == ["1-1-102", "1-1-103"]
