"""Table cells by column role, for recognisers that read appendix tables.

A column's role comes from its header text through ``data/table_columns.tsv`` (the same
keywords the item stage uses): "Kinh phí 2022" is a budget column, "Thời gian thực hiện"
a time column. Rows shorter than the header (a total row "Tổng | 12.000") are aligned on
their last cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.patterns import fold
from sxtdbv_nlp.types import Table, TableCell

__all__ = [
    "BUDGET_ROLES",
    "YEAR_HEADER",
    "ColumnCell",
    "cells_by_role",
    "column_role",
    "column_roles",
    "header_cells",
]

BUDGET_ROLES = frozenset({"budget_total", "budget_year"})


@dataclass(frozen=True)
class ColumnCell:
    """A body cell with its column's index, header text, role and unit (or None)."""

    cell: TableCell
    index: int
    header: str
    role: str | None
    unit: str | None
    row_kind: str


@cache
def _keywords() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"(?<!\w){re.escape(fold(r['keyword']))}(?!\w)"), r["role"])
                 for r in load_records("table_columns.tsv"))


def column_role(header: str) -> str | None:
    """The role of a column from its header; the first matching keyword wins.

    >>> column_role("Kinh phí 2022"), column_role("Thời gian thực hiện"), column_role("Ghi chú")
    ('budget_total', 'time', 'note')
    """
    key = fold(header)
    return next((role for pattern, role in _keywords() if pattern.search(key)), None)


# A header that is only a year: "2025", "Năm 2026" (a yearly split of a budget).
YEAR_HEADER = re.compile(r"(?:năm\s+)?(?:19|20)[0-9]{2}", re.IGNORECASE)


def column_roles(table: Table) -> list[str | None]:
    """Each column's role; in a table with a budget column, year columns are yearly budgets."""
    roles = [column_role(h) for h in table.columns]
    if any(r in BUDGET_ROLES for r in roles):
        roles = [r or ("budget_year" if YEAR_HEADER.fullmatch(h.strip(" *")) else None)
                 for r, h in zip(roles, table.columns, strict=True)]
    return roles


def header_cells(table: Table) -> tuple[TableCell, ...]:
    """The cells of the table's header row (empty if it has none)."""
    return next((r.cells for r in table.rows if r.kind == "header"), ())


def cells_by_role(table: Table, roles: frozenset[str]) -> Iterator[ColumnCell]:
    """Body cells whose column has one of ``roles``."""
    width = len(table.columns)
    col_roles = column_roles(table)
    units = list(table.units) + [None] * (width - len(table.units))
    for row in table.rows:
        if row.kind == "header":
            continue
        for i, cell in _aligned(row.cells, row.kind, col_roles):
            if col_roles[i] in roles:
                yield ColumnCell(cell, i, table.columns[i], col_roles[i], units[i], row.kind)


# A cell holding only a number, markup around it allowed: "4.580.000.000", "**350**", "0".
_NUMERIC = re.compile(r"[*_\s]*[0-9][0-9.,]*[*_\s]*")


def _aligned(cells: tuple[TableCell, ...], kind: str,
             roles: list[str | None]) -> Iterator[tuple[int, TableCell]]:
    """(column index, cell) pairs of a row.

    Numbered rows (data, group) and full-width rows are positional (trailing empty cells may
    be missing). Other rows (a total row "Tổng | 12.000", a sub-row "- Tập huấn |
    600.000.000 | 150.000.000 ...") have lost inner empty cells: their trailing run of
    numbers is laid onto the budget columns in order, the rest is not aligned.
    """
    if kind in ("data", "group") or len(cells) == len(roles):
        yield from enumerate(cells[:len(roles)])
        return
    run = 0
    while run < len(cells) and _NUMERIC.fullmatch(cells[len(cells) - 1 - run].text):
        run += 1
    budget = [i for i, role in enumerate(roles) if role in BUDGET_ROLES]
    if 0 < run <= len(budget):
        yield from zip(budget, cells[len(cells) - run:], strict=False)
