"""MONEY: amounts with a unit in prose, and bare amounts in budget-table cells.

Values are whole units of the currency: "12.000 triệu đồng" -> 12,000,000,000 VND,
"1,5 tỷ đồng" -> 1,500,000,000 VND, a "Nghìn USD" cell "25" -> 25,000 USD. A table cell
counts when its column is a budget column (``cells.BUDGET_ROLES``) and the cell is only a
number; the unit is the column's (header or caption), else đồng (guide §2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.base import Candidate, Context, trim_span
from sxtdbv_nlp.recognizers.cells import BUDGET_ROLES, cells_by_role
from sxtdbv_nlp.recognizers.numbers import NUMBER, as_int_if_whole, parse_number
from sxtdbv_nlp.recognizers.patterns import alternation, fold, phrase_regex
from sxtdbv_nlp.types import MoneyValue

__all__ = ["find", "unit_of"]


@cache
def _units() -> dict[str, tuple[int, str]]:
    """Folded unit -> (multiplier, currency)."""
    return {fold(r["unit"]): (int(r["multiplier"]), r["currency"])
            for r in load_records("money_units.tsv")}


@cache
def _amount() -> re.Pattern[str]:
    # "12.000 triệu đồng", "3.802.800.000 đồng", "1,5 tỷ đồng", "500 USD"
    units = alternation(phrase_regex(u) for u in _units())
    return re.compile(
        rf"""(?<![\w.,/])(?P<number>{NUMBER})     # not inside a longer number or a symbol
             \s*(?P<unit>{units})(?!\w)           # the unit, a whole word""",
        re.VERBOSE,
    )


@cache
def _unit_in() -> re.Pattern[str]:
    units = alternation(phrase_regex(u) for u in _units())
    return re.compile(rf"(?<!\w)(?P<unit>{units})(?!\w)")


def unit_of(text: str | None) -> tuple[int, str] | None:
    """(multiplier, currency) of the first money unit named in ``text``, else None.

    >>> unit_of("ĐVT: Triệu đồng"), unit_of("Nghìn USD"), unit_of("Ghi chú")
    ((1000000, 'VND'), (1000, 'USD'), None)
    """
    if not text:
        return None
    m = _unit_in().search(text)
    return _units().get(fold(m.group("unit"))) if m else None


def _value(number: str, unit: tuple[int, str]) -> MoneyValue:
    multiplier, currency = unit
    amount = parse_number(number) * multiplier
    return MoneyValue(as_int_if_whole(round(amount, 6)), currency)


def find(ctx: Context) -> Iterator[Candidate]:
    """MONEY candidates: prose amounts with units, then budget-table cells."""
    for m in _amount().finditer(ctx.text, ctx.start, ctx.end):
        unit = _units().get(fold(m.group("unit")), (1, "VND"))
        yield Candidate(m.start(), m.end(), "MONEY", _value(m.group("number"), unit), "money.text")
    yield from _table_cells(ctx)


# A cell holding only an amount (markup around it allowed): "4.580.000.000", "**350**".
_CELL_AMOUNT = re.compile(rf"[*_\s]*(?P<number>{NUMBER})[*_\s]*", re.VERBOSE)


def _table_cells(ctx: Context) -> Iterator[Candidate]:
    for table in ctx.tables:
        for col in cells_by_role(table, BUDGET_ROLES):
            m = _CELL_AMOUNT.fullmatch(col.cell.text)
            if not m:
                continue
            unit = unit_of(col.unit) or unit_of(col.header) or unit_of(table.caption) or (1, "VND")
            start, end = trim_span(ctx.text, col.cell.start, col.cell.end)
            if ctx.start <= start < end <= ctx.end:
                yield Candidate(start, end, "MONEY", _value(m.group("number"), unit), "money.table")
