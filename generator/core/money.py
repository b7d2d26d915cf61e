"""Exact money: Decimal in, half-up to the cent, never a float.

Every rounding the spec asks for goes through :func:`round_cents` (or
:func:`round_places`), which work on exact rationals so that no
intermediate precision can round twice.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_places(value: Fraction | Decimal | int, places: int) -> Decimal:
    """Round an exact value half-up (away from zero) to ``places`` decimals."""
    if not isinstance(value, Fraction):
        value = Fraction(value)
    scale = 10**places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    return (Decimal(sign * whole) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def round_cents(value: Fraction | Decimal | int) -> Decimal:
    """Half-up to 0.01: the one rounding rule for money."""
    if isinstance(value, Decimal):
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return round_places(value, 2)


def fmt(amount: Decimal) -> str:
    """Money as the JSON report writes it: exactly two decimals, no grouping."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def fmt_grouped(amount: Decimal) -> str:
    """Money for people: thousands separated, two decimals (1,234.56)."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def to_capitals(amount: Decimal) -> str:
    """Chinese financial capitals as written on receipts and letters.

    1234.56 -> 人民币壹仟贰佰叁拾肆元伍角陆分; 100 -> 人民币壹佰元整.
    """
    amount = round_cents(amount)
    if amount < 0:
        return "负" + to_capitals(-amount)
    cents = int(amount * 100)
    yuan, fraction = divmod(cents, 100)
    jiao, fen = divmod(fraction, 10)
    text = _integer_capitals(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return "人民币" + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return "人民币" + text


def _integer_capitals(number: int) -> str:
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    parts: list[str] = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or group < 1000):
            parts.append("零")
        parts.append(_group_capitals(group) + _BIG_UNITS[index])
        need_zero = False
    return "".join(parts)


def _group_capitals(group: int) -> str:
    digits = [int(c) for c in f"{group:04d}"]
    text = ""
    zero_pending = False
    started = False
    for position, digit in enumerate(digits):
        unit = _SMALL_UNITS[3 - position]
        if digit == 0:
            zero_pending = started
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += _DIGITS[digit] + unit
        started = True
    return text
