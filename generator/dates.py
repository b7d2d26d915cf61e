"""Calendar arithmetic the rules need: months, cycles and anniversaries."""
from __future__ import annotations

import calendar
from datetime import date


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_index(day: date) -> int:
    """Months since year 0, so that cycles are simple integer blocks."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, days_in_month(year, month))


def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# Fixed-date statutory holidays (全国年节及纪念日放假办法, 2025): used only for years the
# holiday calendar does not know yet; lunar holidays cannot be known before they are announced.
_FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


def is_workday(day: date) -> tuple[bool, bool]:
    """(working day?, from the official calendar?) — statutory holidays and adjusted weekends included."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS, False


def next_workday(day: date) -> tuple[date, bool]:
    """The day itself or the next working day (民法典第二百零三条); and whether the official calendar covered it."""
    from datetime import timedelta

    exact = True
    while True:
        working, known = is_workday(day)
        exact = exact and known
        if working:
            return day, exact
        day += timedelta(days=1)
