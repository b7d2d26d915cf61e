"""Working days for letter deadlines (spec rule 12; 民法典第二百零三条).

A deadline that falls on a rest day moves to the next working day. Which
days are rest days comes, for each year, from the first of:

1. ``official``: the calendar library (PyPI ``chinesecalendar``), which
   carries the State Council's published schedule, 调休 included, for the
   years it knows;
2. ``policy``: the policy's ``holidays`` for that year (``HolidayYear``:
   ``off`` days rest, ``work`` days are working days even on a weekend,
   other days rest on weekends);
3. ``estimate``: weekends, the statutory festivals of 全国年节及纪念日放假办法
   (as revised in 2024, in force since 2025) computed from the lunar
   calendar (PyPI ``lunar-python``), and the weekday given in lieu of a
   festival day that falls on a weekend. It cannot know the 调休 the State
   Council adds each year, so it is never used silently: ``check`` warns
   (``holiday_problems``) and ``next_workday`` says the result is not exact.
"""
from __future__ import annotations

import functools
from datetime import date, timedelta

from generator.core.diagnostics import Diagnostic, Pos, RecordPos, warning
from generator.core.model import HolidayYear, Policy

OFFICIAL, POLICY, ESTIMATE = "official", "policy", "estimate"

# A statement's payment window when no stage names one (letters.py uses it as its default window too).
STATEMENT_DEADLINE_DAYS = 15

POLICY_FILE = "ledger/policy.yaml"


@functools.lru_cache(maxsize=1)
def official_years() -> range:
    """The years whose schedule the installed calendar library carries."""
    from chinese_calendar import holidays

    years = [day.year for day in holidays]
    return range(min(years), max(years) + 1)


def calendar_version() -> str:
    import chinese_calendar

    return getattr(chinese_calendar, "__version__", "")


def _policy_year(year: int, holidays: tuple[HolidayYear, ...]) -> HolidayYear | None:
    for entry in holidays:
        if entry.year == year:
            return entry
    return None


def source_of(year: int, holidays: tuple[HolidayYear, ...] = ()) -> str:
    """Where the rest days of ``year`` come from: OFFICIAL, POLICY or ESTIMATE."""
    if year in official_years():
        return OFFICIAL
    if _policy_year(year, holidays) is not None:
        return POLICY
    return ESTIMATE


@functools.lru_cache(maxsize=64)
def statutory_festivals(year: int) -> tuple[tuple[date, str], ...]:
    """The festival days on which everyone rests (全国年节及纪念日放假办法第二条, 2025 text), by date.

    元旦 1 January; 春节 除夕 and 正月初一 to 初三; 清明 the day of the solar
    term; 劳动节 1-2 May; 端午 五月初五; 中秋 八月十五; 国庆 1-3 October.
    The lunar festivals of lunar year ``year`` all fall in Gregorian ``year``.
    """
    from lunar_python import Lunar, Solar

    new_year = Lunar.fromYmd(year, 1, 1).getSolar()
    spring = date(new_year.getYear(), new_year.getMonth(), new_year.getDay())
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]

    def lunar(month: int, day: int) -> date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    days = [
        (date(year, 1, 1), "元旦"),
        *((spring + timedelta(days=n), "春节") for n in range(-1, 3)),
        (date(qingming.getYear(), qingming.getMonth(), qingming.getDay()), "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        (lunar(5, 5), "端午节"),
        (lunar(8, 15), "中秋节"),
        *((date(year, 10, d), "国庆节") for d in (1, 2, 3)),
    ]
    return tuple(sorted(days))


@functools.lru_cache(maxsize=64)
def estimated_rest_days(year: int) -> frozenset[date]:
    """Statutory festival days of ``year`` and the weekdays given in lieu (weekends not included).

    A festival day on a Saturday or Sunday is made up on the next weekday that
    is not itself a festival day (办法: 适逢星期六、星期日，应当在工作日补假).
    The yearly 调休 the State Council adds cannot be known in advance.
    """
    rest = {day for day, _ in statutory_festivals(year)}
    in_lieu: set[date] = set()
    for day in sorted(rest):
        if day.weekday() >= 5:
            other = day + timedelta(days=1)
            while other.weekday() >= 5 or other in rest or other in in_lieu:
                other += timedelta(days=1)
            in_lieu.add(other)
    return frozenset(rest | in_lieu)


def _workday(day: date, holidays: tuple[HolidayYear, ...]) -> tuple[bool, bool]:
    """(working day?, exact?) for one day, by the first source that has its year."""
    if day.year in official_years():
        import chinese_calendar

        return chinese_calendar.is_workday(day), True
    entry = _policy_year(day.year, holidays)
    if entry is not None:
        if day in entry.work:
            return True, True
        return day.weekday() < 5 and day not in entry.off, True
    return day.weekday() < 5 and day not in estimated_rest_days(day.year), False


def is_workday(day: date, holidays: tuple[HolidayYear, ...] = ()) -> bool:
    """Whether ``day`` is a working day: official schedule, else the policy's ``holidays``, else the estimate."""
    return _workday(day, holidays)[0]


def next_workday(day: date, holidays: tuple[HolidayYear, ...] = ()) -> tuple[date, bool]:
    """The day itself or the next working day (民法典第二百零三条), and whether no day on the way was estimated."""
    exact = True
    while True:
        working, known = _workday(day, holidays)
        exact = exact and known
        if working:
            return day, exact
        day += timedelta(days=1)


# -- the check (rule 12) -----------------------------------------------------------

def deadline_years(policy: Policy, as_of: date) -> range:
    """The years a deadline printed on a letter of ``as_of`` may fall in."""
    windows = [STATEMENT_DEADLINE_DAYS]
    windows += [days for stage in policy.dunning for days in (stage.wait_days, stage.deadline_days) if days]
    last = as_of + timedelta(days=policy.delivery_days + max(windows))
    return range(as_of.year, last.year + 1)


def _holidays_pos(policy: Policy) -> Pos:
    """The policy's ``holidays`` value when written, else the start of the policy file."""
    pos = policy.pos
    if isinstance(pos, RecordPos) and pos.has("holidays"):
        return pos.of("holidays")
    return Pos(pos.path or POLICY_FILE, pos.line or 1, pos.col or 1)


def holiday_problems(policy: Policy, as_of: date) -> list[Diagnostic]:
    """Warnings: a year letters of ``as_of`` may print a deadline in whose schedule nobody gave us,
    and a ``holidays`` year the calendar library already knows differently (the library wins)."""
    problems = []
    pos = _holidays_pos(policy)
    known = official_years()
    for year in deadline_years(policy, as_of):
        if source_of(year, policy.holidays) != ESTIMATE:
            continue
        problems.append(warning(
            pos,
            f"{year} 年的放假安排未知（日历库 chinesecalendar {calendar_version()} 只收录 {known[0]}–{known[-1]} 年，"
            f"holidays 里也没有 {year} 年）：落在 {year} 年的函件期限只能按周末和法定节日估算顺延"
            "（元旦、春节、清明、劳动节、端午、中秋、国庆，农历节日按农历推算），不含国务院每年公布的调休，"
            "印出的日期可能落在实际的休息日",
            f"国务院办公厅公布 {year} 年放假安排后，写进 ledger/policy.yaml："
            f"holidays: {{{year}: {{off: [放假日…], work: [调休上班日…]}}}}；"
            f"或把日历库 chinesecalendar 升级到收录 {year} 年的版本",
        ))
    for entry in policy.holidays:
        if entry.year in known and _differs_from_official(entry):
            problems.append(warning(
                pos,
                f"holidays 里写的 {entry.year} 年与日历库收录的官方安排不一致，按日历库计算，这里的 {entry.year} 年不起作用",
                f"核对国务院办公厅的通知；日历库已收录 {entry.year} 年，可以删去 holidays 里的 {entry.year} 年",
            ))
    return problems


def _differs_from_official(entry: HolidayYear) -> bool:
    import chinese_calendar

    day, end = date(entry.year, 1, 1), date(entry.year, 12, 31)
    while day <= end:
        by_policy = day in entry.work or (day.weekday() < 5 and day not in entry.off)
        if by_policy != chinese_calendar.is_workday(day):
            return True
        day += timedelta(days=1)
    return False
