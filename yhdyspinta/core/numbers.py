"""How every figure is rounded and written, on pages, in charts, maps, PPTX and XLSX.

Half up, as the published tables round (2.25 -> 2.3, 23/40 = 57.5 % -> 58 %), never banker's
rounding; exact fractions where a share is a count over a count, so that no binary float
decides a half.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.formats import get_format

MINUS = "\u2212"  # the typographic minus, as in print


def round_half_up(value: float | Decimal | Fraction | int, places: int = 1) -> Decimal:
    """`value` rounded half up to `places` decimals.

    A float is read as it prints (`repr`: 2.675 is 2.675, not 2.67499...), a Fraction exactly.
    """
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, Decimal):
        exact = value
    else:
        exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded + 0 if rounded else abs(rounded)  # never "-0,0"


def percent(part: int, whole: int) -> Fraction | None:
    """A share in per cent, exactly: 23 of 40 is 115/2 (57.5), which rounds to 58."""
    if not whole:
        return None
    return Fraction(part * 100, whole)


def decimal_separator() -> str:
    """The active language's: a comma in Finnish and Swedish, a point in English."""
    return get_format("DECIMAL_SEPARATOR")


def format_number(
    value: float | Decimal | Fraction | int,
    places: int = 1,
    *,
    unit: str = "",
    separator: str | None = None,
    minus: str = MINUS,
    plus: str = "",
) -> str:
    """`value` half up to `places` decimals with the language's separator: "2,5", "58 %".

    `plus` is put before a positive value (differences: "+0,3"), `minus` before a negative one.
    """
    rounded = round_half_up(value, places)
    text = f"{abs(rounded):f}".replace(".", separator or decimal_separator())
    sign = minus if rounded < 0 else (plus if rounded > 0 else "")
    return f"{sign}{text}{unit}"
