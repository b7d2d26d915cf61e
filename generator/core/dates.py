"""Calendar arithmetic the rules need: months, cycles and anniversaries (working days: holidays.py)."""
from __future__ import annotations

import calendar
import functools
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


@functools.lru_cache(maxsize=1 << 16)  # rule 10 asks this of a few thousand distinct days, hundreds of thousands of times
def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# Deadlines and working days live in holidays.py; kept importable from here.
from generator.core.holidays import is_workday, next_workday  # noqa: E402,F401
