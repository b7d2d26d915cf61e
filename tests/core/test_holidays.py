"""Working days for letter deadlines (rule 12, 民法典第二百零三条): official data, the policy's
``holidays``, the lunar estimate, and the check that warns before a year is estimated."""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from generator.core import holidays
from generator.core.dates import next_workday as next_workday_from_dates
from generator.core.diagnostics import Pos
from generator.core.holidays import (
    ESTIMATE,
    OFFICIAL,
    POLICY,
    estimated_rest_days,
    holiday_problems,
    is_workday,
    next_workday,
    source_of,
    statutory_festivals,
)
from generator.core.model import HolidayYear, Issuer, LimitationRule, Policy
from tests.community import Community, fee, stage
from tests.support import cuijiao_here

# The State Council's 2027 schedule is not out; a made-up one in its shape stands in for it.
SCHEDULE_2027 = HolidayYear(
    2027,
    off=(date(2027, 1, 1), *(date(2027, 2, 5) + timedelta(days=n) for n in range(7))),  # 除夕 Fri 5 - Thu 11 Feb
    work=(date(2027, 2, 20),),  # a Saturday worked in exchange
)


def _festival_days(year: int) -> dict[str, list[date]]:
    days: dict[str, list[date]] = {}
    for day, name in statutory_festivals(year):
        days.setdefault(name, []).append(day)
    return days


@pytest.fixture
def library_until_2026(monkeypatch):
    """The calendar library as installed when this was written (chinesecalendar 1.11: 2004-2026),
    so that the 2027 cases stay cases of an unknown year after the library learns 2027."""
    monkeypatch.setattr(holidays, "official_years", lambda: range(2004, 2027))


# -- official data -----------------------------------------------------------------

def test_official_2026_moves_weekends_and_holidays_and_keeps_adjusted_working_days():
    assert next_workday(date(2026, 10, 1)) == (date(2026, 10, 8), True)  # 国庆 1-7 October 2026
    assert next_workday(date(2026, 11, 29)) == (date(2026, 11, 30), True)  # Sunday -> Monday
    assert next_workday(date(2026, 11, 23)) == (date(2026, 11, 23), True)  # a Monday stays
    assert next_workday(date(2026, 10, 10)) == (date(2026, 10, 10), True)  # Saturday worked for 国庆 (调休)
    assert next_workday(date(2026, 2, 14)) == (date(2026, 2, 14), True)  # Saturday worked for 春节
    assert next_workday(date(2026, 2, 15)) == (date(2026, 2, 24), True)  # 春节 15-23 February 2026
    assert source_of(2026) == OFFICIAL


def test_next_workday_stays_importable_from_dates_with_one_argument():
    assert next_workday_from_dates(date(2026, 10, 1)) == (date(2026, 10, 8), True)


def test_the_library_wins_over_the_policy_for_a_year_it_knows():
    policy_says = (HolidayYear(2026, off=(date(2026, 11, 23),), work=(date(2026, 11, 29),)),)
    assert source_of(2026, policy_says) == OFFICIAL
    assert next_workday(date(2026, 11, 23), policy_says) == (date(2026, 11, 23), True)
    assert next_workday(date(2026, 11, 29), policy_says) == (date(2026, 11, 30), True)


# -- the policy's holidays ---------------------------------------------------------

def test_policy_holidays_give_the_rest_and_working_days_of_a_year_the_library_lacks(library_until_2026):
    given = (SCHEDULE_2027,)
    assert source_of(2027, given) == POLICY
    assert next_workday(date(2027, 2, 6), given) == (date(2027, 2, 12), True)  # off 5-11 February, Friday 12th
    assert next_workday(date(2027, 1, 1), given) == (date(2027, 1, 4), True)  # Fri off, then the weekend
    assert next_workday(date(2027, 2, 20), given) == (date(2027, 2, 20), True)  # a Saturday listed as work
    assert next_workday(date(2027, 2, 27), given) == (date(2027, 3, 1), True)  # other Saturdays rest


def test_policy_holidays_replace_the_estimate_for_their_year(library_until_2026):
    # 清明 2027 is Monday 5 April; the made-up schedule does not list it, so it is a working day
    assert not is_workday(date(2027, 4, 5))
    assert is_workday(date(2027, 4, 5), (SCHEDULE_2027,))


# -- the estimate ------------------------------------------------------------------

@pytest.mark.parametrize("year, spring, qingming, duanwu, zhongqiu", [
    (2024, date(2024, 2, 10), date(2024, 4, 4), date(2024, 6, 10), date(2024, 9, 17)),
    (2025, date(2025, 1, 29), date(2025, 4, 4), date(2025, 5, 31), date(2025, 10, 6)),
    (2026, date(2026, 2, 17), date(2026, 4, 5), date(2026, 6, 19), date(2026, 9, 25)),
    (2027, date(2027, 2, 6), date(2027, 4, 5), date(2027, 6, 9), date(2027, 9, 15)),
    (2028, date(2028, 1, 26), date(2028, 4, 4), date(2028, 5, 28), date(2028, 10, 3)),
])
def test_lunar_festivals_fall_on_their_known_dates(year, spring, qingming, duanwu, zhongqiu):
    days = _festival_days(year)
    assert days["春节"] == [spring + timedelta(days=n) for n in (-1, 0, 1, 2)]  # 除夕, 正月初一 to 初三
    assert (days["清明节"], days["端午节"], days["中秋节"]) == ([qingming], [duanwu], [zhongqiu])
    assert days["元旦"] == [date(year, 1, 1)]
    assert days["劳动节"] == [date(year, 5, 1), date(year, 5, 2)]
    assert days["国庆节"] == [date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)]
    assert len(statutory_festivals(year)) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days (2024 revision, from 2025)


def test_qingming_agrees_with_the_calendar_librarys_solar_terms():
    # chinesecalendar computes solar terms by formula; the two agree every year up to 2099 (2100 differs by a day)
    for year in range(1901, 2100):
        [day] = [d for d, n in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30)) if n == "清明"]
        assert _festival_days(year)["清明节"] == [day], year


def test_every_estimated_rest_day_was_an_official_rest_day_under_the_2025_rules():
    for year in (2025, 2026):
        estimated = estimated_rest_days(year)
        assert all(not chinese_calendar.is_workday(day) for day in estimated), year
    # 2026: 清明 on Sunday 5 April, made up on Monday 6th; 劳动节 on Saturday 2 May, made up on Monday 4th
    assert {date(2026, 4, 6), date(2026, 5, 4), date(2026, 10, 5)} <= estimated_rest_days(2026)


def test_lunar_festival_days_were_official_holidays_since_they_became_holidays_in_2008():
    for year in range(2008, 2027):
        days = _festival_days(year)
        for day in days["春节"][1:] + days["清明节"] + days["端午节"] + days["中秋节"]:  # 除夕 rests only from 2025
            assert not chinese_calendar.is_workday(day), (year, day)


def test_the_estimate_skips_spring_festival_and_the_days_made_up_for_its_weekend(library_until_2026):
    # 2027: 除夕 Fri 5 Feb, 初一 Sat 6, 初二 Sun 7, 初三 Mon 8; 初一 and 初二 made up on Tue 9 and Wed 10
    assert source_of(2027) == ESTIMATE
    assert next_workday(date(2027, 2, 6)) == (date(2027, 2, 11), False)
    assert next_workday(date(2027, 1, 1)) == (date(2027, 1, 4), False)  # 元旦 Friday, then the weekend
    assert next_workday(date(2027, 6, 9)) == (date(2027, 6, 10), False)  # 端午 Wednesday
    assert next_workday(date(2027, 10, 1)) == (date(2027, 10, 6), False)  # 国庆 Fri-Sun, Sat and Sun made up Mon-Tue


def test_exact_is_false_only_in_the_estimate(library_until_2026):
    assert next_workday(date(2027, 3, 3)) == (date(2027, 3, 3), False)  # a Wednesday, but 2027 is only estimated
    assert next_workday(date(2027, 3, 3), (SCHEDULE_2027,)) == (date(2027, 3, 3), True)
    assert next_workday(date(2026, 12, 31)) == (date(2026, 12, 31), True)  # official
    assert next_workday(date(2031, 10, 1)) == (date(2031, 10, 6), False)  # 国庆 and 中秋 Wed 1 - Fri 3, the weekend


# -- the check ---------------------------------------------------------------------

def _community(tmp_path, holidays_yaml: str = "", **policy) -> Community:
    c = Community(tmp_path, fees=[fee()], dunning=[
        stage("notice", 30, ["letter"], letter="notice", wait_days=7),
        stage("lawyer", 90, ["lawyer_letter"], letter="lawyer", deadline_days=14),
    ], policy_yaml=holidays_yaml, **policy)
    c.unit("1-1-101", billing_start="2026-01-01")
    return c


def _holiday_warnings(checked):
    return [p for p in checked.warnings if "放假安排" in p.message]


def test_check_warns_about_a_year_deadlines_may_fall_in_that_nobody_gave(tmp_path, library_until_2026):
    checked = _community(tmp_path).checked("2026-12-20")  # 20 Dec + 7 delivery + 15 (statement) = 11 Jan 2027
    assert not checked.errors
    [warning] = _holiday_warnings(checked)
    assert (warning.pos.path, warning.pos.line, warning.severity) == ("ledger/policy.yaml", 1, "warning")
    assert warning.message.startswith("2027 年的放假安排未知")
    assert "周末" in warning.message and "农历" in warning.message and "调休" in warning.message
    assert "holidays: {2027: {off: [放假日…], work: [调休上班日…]}}" in warning.hint


def test_check_does_not_warn_while_every_deadline_falls_in_a_known_year(tmp_path, library_until_2026):
    assert not _holiday_warnings(_community(tmp_path).checked("2026-12-09"))  # 9 Dec + 7 + 15 = 31 Dec


def test_the_longest_stage_window_and_delivery_days_count(tmp_path, library_until_2026):
    c = _community(tmp_path, letters={"delivery_days": 20})
    assert [w.message[:4] for w in _holiday_warnings(c.checked("2026-11-30"))] == ["2027"]  # 30 Nov + 20 + 15
    c = _community(tmp_path / "b")
    c.dunning.append(stage("final", 200, ["letter"], letter="notice", wait_days=60))
    assert [w.message[:4] for w in _holiday_warnings(c.checked("2026-11-22"))] == ["2027"]  # 22 Nov + 7 + 60


def test_the_warning_goes_once_the_policy_gives_that_year(tmp_path, library_until_2026):
    given = "holidays:\n  2027: {off: [2027-01-01, 2027-02-05], work: [2027-02-20]}\n"
    checked = _community(tmp_path, given).checked("2026-12-20")
    assert not checked.problems, [p.render() for p in checked.problems]
    assert checked.ledger.policy.holidays[0].work == (date(2027, 2, 20),)


def test_the_warning_points_at_holidays_when_they_are_written_for_other_years(tmp_path, library_until_2026):
    given = "holidays:\n  2028: {off: [2028-01-01]}\n"
    [warning] = _holiday_warnings(_community(tmp_path, given).checked("2026-12-20"))
    assert warning.message.startswith("2027 年") and warning.pos.line == 9  # the value of holidays: line 8


def test_check_warns_but_does_not_fail_without_strict(tmp_path, capsys, library_until_2026):
    c = _community(tmp_path)
    c.write()
    code, out, _ = cuijiao_here(capsys, "--root", str(c.root), "--as-of", "2026-12-20", "--no-cache", "check")
    assert code == 0 and "ledger/policy.yaml:1:1: 警告: 2027 年的放假安排未知" in out
    code, _, _ = cuijiao_here(capsys, "--root", str(c.root), "--as-of", "2026-12-20", "--no-cache", "check", "--strict")
    assert code == 1


def test_policy_holidays_that_contradict_the_library_are_warned_about(tmp_path):
    given = "holidays:\n  2026: {off: [2026-11-23]}\n"
    [warning] = _community(tmp_path, given).checked("2026-06-01").warnings
    assert "与日历库收录的官方安排不一致" in warning.message and warning.pos.line == 9


def test_policy_holidays_that_copy_the_library_are_not_warned_about():
    off = sorted(d for d in chinese_calendar.holidays if d.year == 2026)
    work = sorted(d for d in chinese_calendar.workdays if d.year == 2026)
    policy = Policy("测试花园", Issuer("测试花园业主委员会"), (), (), None, (), LimitationRule(), False,
                    Pos("ledger/policy.yaml", 1, 1), holidays=(HolidayYear(2026, tuple(off), tuple(work)),))
    assert holiday_problems(policy, date(2026, 6, 1)) == []
