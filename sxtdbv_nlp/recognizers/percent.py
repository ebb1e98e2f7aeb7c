"""PERCENT: a percentage or a range of percentages, value {low, high}.

>>> from sxtdbv_nlp.recognizers.base import Context
>>> text = "Giảm 5- 8% mức tiêu hao; đạt 1,5%; giảm từ 7% - 10%"
>>> [(text[c.start:c.end], c.value.low, c.value.high) for c in find(Context(text, 0, len(text)))]
[('5- 8%', 5, 8), ('1,5%', 1.5, 1.5), ('7% - 10%', 7, 10)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sxtdbv_nlp.recognizers.base import Candidate, Context
from sxtdbv_nlp.recognizers.numbers import NUMBER, RANGE_SEP, parse_number
from sxtdbv_nlp.types import RangeValue

__all__ = ["find"]

# "70%", "5- 8%", "7 - 10 %", "7% - 10%", "5 đến 8%"; not "15/20%" nor "v2.5%".
PERCENT = re.compile(
    rf"""(?<![\w.,/])
        (?:(?P<low>{NUMBER})\s*%?{RANGE_SEP})?   # the low end of a range, its own % optional
        (?P<high>{NUMBER})\s*%""",
    re.VERBOSE,
)


def find(ctx: Context) -> Iterator[Candidate]:
    """PERCENT candidates in the context's bounds."""
    for m in PERCENT.finditer(ctx.text, ctx.start, ctx.end):
        high = parse_number(m.group("high"))
        low = parse_number(m.group("low")) if m.group("low") else high
        start = m.start()
        if low > high:  # "Điều 12 - 5%": the first number is not the low end
            low, start = high, m.start("high")
        yield Candidate(start, m.end(), "PERCENT", RangeValue(low, high), "percent")
