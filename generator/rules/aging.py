"""Rule 7: unpaid overdue principal by how long it has been overdue."""
from __future__ import annotations

from decimal import Decimal

from generator.core.money import ZERO

BUCKETS = (("1-30", 30), ("31-90", 90), ("91-180", 180), ("181-365", 365), ("366-730", 730), ("731-1095", 1095), ("1096+", None))
BUCKET_NAMES = tuple(name for name, _ in BUCKETS)


def bucket_of(days_overdue: int) -> str:
    for name, upper in BUCKETS:
        if upper is None or days_overdue <= upper:
            return name
    raise AssertionError("unreachable")


def aging(overdue: list[tuple[int, Decimal]]) -> dict[str, Decimal]:
    """(days_overdue, unpaid) of each unpaid overdue charge -> amount per bucket, all buckets present."""
    result = {name: ZERO for name in BUCKET_NAMES}
    for days, unpaid in overdue:
        result[bucket_of(days)] += unpaid
    return result
