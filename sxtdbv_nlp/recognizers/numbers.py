"""Vietnamese number parsing: "." groups thousands, "," marks decimals.

>>> [parse_number(s) for s in ("12.000", "1,5", "3.802.800.000", "1.000,5", "01")]
[12000, 1.5, 3802800000, 1000.5, 1]
"""

from __future__ import annotations

import re
from functools import cache

from sxtdbv_nlp.data import load_records

__all__ = [
    "NUMBER",
    "RANGE_SEP",
    "as_int_if_whole",
    "number_words",
    "parse_number",
    "parse_range",
]

# A number as written in plans (ASCII digits only):
#   "3.802.800.000" (grouped), "1.000,5" (grouped with decimals), "1,5", "12", "01".
# A dot not followed by exactly three digits ends the number ("1.2" is not grouped).
NUMBER = r"""(?:
      [0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9])    # 12.000   3.802.800.000   1.000,5
    | [0-9]+(?:,[0-9]+)?(?![0-9])                       # 12   01   1,5
)"""
# Between the ends of a range: "5- 8", "7 - 10", "01 đến 02", "1.000–2.000".
RANGE_SEP = r"(?:\s*[-–—~]\s*|\s+(?:đến|tới)\s+)"

_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_RANGE = re.compile(rf"(?P<low>{NUMBER}){RANGE_SEP}(?P<high>{NUMBER})", re.VERBOSE)


def as_int_if_whole(value: float) -> int | float:
    """1500000000.0 -> 1500000000; 1.5 stays 1.5."""
    return int(value) if float(value).is_integer() else value


def parse_number(text: str) -> int | float:
    """The value of a number written the Vietnamese way (see the module docstring).

    A lone dot followed by other than three digits is read as a decimal point ("1.5").
    Raises ValueError for text that is not a number.
    """
    s = text.strip()
    if _GROUPED.fullmatch(s):
        s = s.replace(".", "")
    elif s.count(".") == 1 and "," not in s:
        return as_int_if_whole(float(s))
    s = s.replace(",", ".")
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", s):
        raise ValueError(f"not a number: {text!r}")
    return as_int_if_whole(float(s)) if "." in s else int(s)


def parse_range(text: str) -> tuple[int | float, int | float]:
    """(low, high) of "5- 8" or of a single number (low == high).

    >>> parse_range("01 đến 02"), parse_range("1.000-2.000"), parse_range("45")
    ((1, 2), (1000, 2000), (45, 45))
    """
    m = _RANGE.fullmatch(text.strip())
    if m:
        return parse_number(m.group("low")), parse_number(m.group("high"))
    value = parse_number(text)
    return value, value


@cache
def number_words() -> dict[str, int]:
    """Vietnamese number words -> values ("sáu" -> 6), from data/number_words.tsv."""
    return {r["word"]: int(r["value"]) for r in load_records("number_words.tsv")}
