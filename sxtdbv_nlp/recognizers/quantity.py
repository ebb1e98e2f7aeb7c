"""QUANTITY: the numeric part of a count or measure in a target or task.

"Xây dựng **01 đến 02** mô hình", "tổ chức **3-5** hội nghị/năm", "ít nhất **02** vùng",
"**1.000-2.000** cẩm nang" -> {low, high}. The counted noun is outside the span but must
follow the number (on the same line or the next). Never a QUANTITY (guide §2, §7): section
and row numbers (a number alone on its line, "1." markers), years, numbers glued to letters
or symbols ("5G", "889/QĐ"), numbers after "số", "Điều", "ISO"... and before durations,
ages and money units, counts of the current situation ("hiện có khoảng 180 trạm")
(``data/quantity_context.tsv``), phone numbers (long, leading zero), quoted slogans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.base import Candidate, Context
from sxtdbv_nlp.recognizers.cells import BUDGET_ROLES, YEAR_HEADER, column_roles
from sxtdbv_nlp.recognizers.numbers import NUMBER, RANGE_SEP, parse_range
from sxtdbv_nlp.recognizers.patterns import alternation, phrase_regex
from sxtdbv_nlp.types import RangeValue, TableCell

__all__ = ["find"]

# A count: a number or a range, then a word on the same or the next line.
COUNT = re.compile(
    rf"""(?<![\w/.,:%°'-])                       # not inside a code, date, score or symbol
    (?P<count>{NUMBER}(?:{RANGE_SEP}{NUMBER})?)
    (?=(?:[ \t]+|[ \t]*\n[ \t]*)[^\W\d_])      # a word follows (the counted noun)""",
    re.VERBOSE,
)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_PHONE = re.compile(r"0[0-9]{3,}")


def _words(side: str) -> list[str]:
    return [r["word"] for r in load_records("quantity_context.tsv") if r["side"] == side]


@cache
def _before() -> re.Pattern[str]:
    words = alternation(phrase_regex(w) for w in _words("before"))
    return re.compile(rf"(?<!\w){words}\s*[:.]?\s*$")


@cache
def _situation() -> re.Pattern[str]:
    words = alternation(phrase_regex(w) for w in _words("situation"))
    return re.compile(rf"(?<!\w){words}(?!\w)[^.;:\n]*$")


@cache
def _after() -> re.Pattern[str]:
    words = alternation(phrase_regex(w) for w in _words("after"))
    return re.compile(rf"\s*{words}(?!\w)")


def find(ctx: Context) -> Iterator[Candidate]:
    """QUANTITY candidates in the context's bounds."""
    text = ctx.text
    for m in COUNT.finditer(text, ctx.start, ctx.end):
        count = m.group("count")
        if _excluded(text, m.start(), m.end(), count):
            continue
        try:
            low, high = parse_range(count)
        except ValueError:
            continue
        if low > high:
            continue
        yield Candidate(m.start(), m.end(), "QUANTITY", RangeValue(low, high), "quantity")
    yield from _table_cells(ctx)


# A table cell holding only a count or a range of counts: "03", "10-12", "1.500".
_CELL_COUNT = re.compile(rf"[*_\s]*(?P<count>{NUMBER}(?:{RANGE_SEP}{NUMBER})?)[*_\s]*", re.VERBOSE)
# A row unit that makes the row's figures something other than counts.
_NOT_COUNT_UNIT = re.compile(r"%|phần\s+trăm|đồng|USD", re.IGNORECASE)


def _table_cells(ctx: Context) -> Iterator[Candidate]:
    """Counts in target tables: cells of "Số lượng" columns, or of year columns ("Năm 2025")
    in a table that gives each row's unit ("Đơn vị tính": "Lớp", "ha") and has no budget."""
    for table in ctx.tables:
        roles = column_roles(table)
        if "unit" not in roles or BUDGET_ROLES & set(roles):
            continue
        unit_col = roles.index("unit")
        counting = {i for i, (r, h) in enumerate(zip(roles, table.columns, strict=True))
                    if r == "amount" or (r is None and YEAR_HEADER.fullmatch(h.strip(" *")))}
        for row in table.rows:
            if row.kind != "data" or len(row.cells) != len(roles):
                continue
            if _NOT_COUNT_UNIT.search(row.cells[unit_col].text):
                continue
            for i in sorted(counting):
                yield from _count_cell(row.cells[i])


def _count_cell(cell: TableCell) -> Iterator[Candidate]:
    m = _CELL_COUNT.fullmatch(cell.text)
    if m is None:
        return
    try:
        low, high = parse_range(m.group("count"))
    except ValueError:
        return
    if low <= high:
        start = cell.start + m.start("count")
        yield Candidate(start, cell.start + m.end("count"), "QUANTITY", RangeValue(low, high),
                        "quantity.table")


def _excluded(text: str, start: int, end: int, count: str) -> bool:
    first = re.split(r"\D", count, maxsplit=1)[0]
    if _YEAR.fullmatch(count) or _PHONE.fullmatch(first):
        return True
    if _before().search(text, max(0, start - 30), start) or _after().match(text, end):
        return True
    if _situation().search(text, max(0, start - 80), start):
        return True  # "hiện có khoảng 180 trạm": the current situation, not a target
    return _alone_on_line(text, start, end) or _in_quotes(text, start, end)


def _in_quotes(text: str, start: int, end: int) -> bool:
    """Inside a quoted name or slogan of the paragraph: “Gia đình 5 không, 3 sạch”."""
    para_start = text.rfind("\n\n", max(0, start - 400), start)
    before = text[para_start + 1 if para_start >= 0 else max(0, start - 400):start]
    after = text[end:end + 200].split("\n\n", 1)[0]
    return before.count("“") > before.count("”") and "”" in after


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """A row number of a cell-per-line table: the number is its line's only content."""
    before = text[max(0, start - 8):start]
    after = text[end:end + 8]
    line_start = start - len(before) + before.rfind("\n") + 1 if "\n" in before else None
    line_end = end + after.find("\n") if "\n" in after else None
    if (line_start is None and start > 8) or (line_end is None and end + 8 < len(text)):
        return False  # a longer line: the number has company
    line = text[line_start or 0:line_end if line_end is not None else len(text)]
    return line.strip(" \t*_|") == text[start:end]

