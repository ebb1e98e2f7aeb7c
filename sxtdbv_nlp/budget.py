"""Budget consistency: do item budgets add up to the totals a plan states?

Checks, per appendix table and money column: each group or parent row against the sum of
its direct sub-rows, the total row against the sum of the top-level rows, each row's total
column against the sum of its yearly columns; and per plan, every total stated in the
prose ("Tổng kinh phí ... là 13.233.000.000 đồng") against the table's grand totals.
Results are findings with offsets, never exceptions: plans often disagree with themselves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sxtdbv_nlp.items import table_column_roles
from sxtdbv_nlp.tables import row_marker
from sxtdbv_nlp.types import Entity, PlanDocument, Table, TableRow

__all__ = ["BudgetFinding", "check_budget"]

# Prose that states a plan's total budget: "Tổng kinh phí thực hiện ... là", "Kinh phí thực hiện ...:".
STATED_TOTAL = re.compile(r"(?:tổng\s+kinh\s+phí|kinh\s+phí\s+thực\s+hiện|tổng\s+dự\s+toán)", re.IGNORECASE)
# What ends the sentence that states a total: ". ", ";", a line starting a bullet.
SENTENCE_BREAK = re.compile(r"\.\s|;|\n\s*[-+•]")
# What introduces the stated amount right before it: "là", ":", "khoảng", "dự kiến".
AMOUNT_LEAD = re.compile(r"(?:\blà|:|\bkhoảng|\bdự\s+kiến)\s*$", re.IGNORECASE)
_STATED_REACH = 200  # characters between the phrase and the amount
_TOLERANCE = 0.5  # amounts are whole đồng; allow rounding of decimal units


@dataclass(frozen=True)
class BudgetFinding:
    """One check: ``stated`` at ``[start, end)`` against ``computed`` from its parts."""

    kind: str  # "group_sum", "table_total", "row_years", "stated_total"
    message: str
    start: int
    end: int
    stated: float
    computed: float

    @property
    def consistent(self) -> bool:
        return abs(self.stated - self.computed) <= _TOLERANCE


def check_budget(doc: PlanDocument) -> list[BudgetFinding]:
    """Every budget check the plan allows, consistent or not, in document order."""
    money = [e for e in doc.entities if e.label == "MONEY" and e.value.currency == "VND"]
    findings: list[BudgetFinding] = []
    grand_totals: list[float] = []
    for table in doc.tables:
        table_findings, totals = _check_table(table, money)
        findings += table_findings
        grand_totals += totals
    findings += _check_stated(doc, money, grand_totals)
    return sorted(findings, key=lambda f: f.start)


def _amount(row: TableRow, col: int, money: Sequence[Entity], last_money_col: int) -> Entity | None:
    """The amount of ``row`` in column ``col``.

    Rows with fewer cells than columns (bullet sub-rows, total rows, whose number and time
    cells are merged away) are aligned on the money columns from the right.
    """
    index = col if len(row.cells) > last_money_col else col - (last_money_col - (len(row.cells) - 1))
    if not 0 <= index < len(row.cells):
        return None
    cell = row.cells[index]
    return next((e for e in money if cell.start <= e.start and e.end <= cell.end), None)


def _level(row: TableRow) -> int:
    """Depth of a row in the numbering: I=0, A=1, 1=2, 1.1=3, bullet sub-rows deepest."""
    marker = row_marker(row.cells[0].text) if row.cells and row.kind != "subrow" else None
    if marker is None:
        return 9
    kind, number = marker
    return {"roman": 0, "alpha": 1}.get(kind, 2 + number.count("."))


def _check_table(table: Table, money: Sequence[Entity]) -> tuple[list[BudgetFinding], list[float]]:
    roles = table_column_roles(table.columns)
    cols = [k for k, r in enumerate(roles) if r in ("budget_total", "budget_year")]
    if not cols:
        return [], []
    last = cols[-1]
    rows = [r for r in table.rows if r.kind in ("data", "group", "subrow")]
    findings: list[BudgetFinding] = []
    grand: list[float] = []
    for col in cols:
        name = table.columns[col]
        findings += _group_sums(rows, col, name, money, last)
        top = _top_level_sum(rows, col, money, last)
        stated_totals = [a for t in table.rows if t.kind == "total" and (a := _amount(t, col, money, last))]
        for stated in stated_totals:
            if top is not None:
                findings.append(BudgetFinding("table_total", f"total row of column '{name}'",
                                              stated.start, stated.end, stated.value.amount, top))
        grand += [float(a.value.amount) for a in stated_totals] or ([top] if top is not None else [])
    findings += _row_years(rows, roles, money, last)
    return findings, grand


def _group_sums(rows: list[TableRow], col: int, name: str, money: Sequence[Entity], last: int
                ) -> list[BudgetFinding]:
    """Each group or parent row against the sum of its direct sub-rows."""
    out = []
    for k, row in enumerate(rows):
        stated = _amount(row, col, money, last) if row.kind == "group" else None
        if stated is None:
            continue
        level = _level(row)
        children = []
        for other in rows[k + 1:]:
            if _level(other) <= level:
                break
            children.append(other)
        direct = min((_level(c) for c in children), default=None)
        amounts = [a.value.amount for c in children
                   if _level(c) == direct and (a := _amount(c, col, money, last))]
        if amounts:
            out.append(BudgetFinding("group_sum", f"row '{row.cells[0].text}' of column '{name}'",
                                     stated.start, stated.end, stated.value.amount, float(sum(amounts))))
    return out


def _top_level_sum(rows: list[TableRow], col: int, money: Sequence[Entity], last: int) -> float | None:
    if not rows:
        return None
    top = min(_level(r) for r in rows)
    amounts = [a.value.amount for r in rows if _level(r) == top and (a := _amount(r, col, money, last))]
    return float(sum(amounts)) if amounts else None


def _row_years(rows: list[TableRow], roles: Sequence[str | None], money: Sequence[Entity], last: int
               ) -> list[BudgetFinding]:
    """A row's total column against the sum of its yearly columns."""
    if "budget_total" not in roles or "budget_year" not in roles:
        return []
    total_col = roles.index("budget_total")
    year_cols = [k for k, r in enumerate(roles) if r == "budget_year"]
    out = []
    for row in rows:
        stated = _amount(row, total_col, money, last)
        parts = [a.value.amount for k in year_cols if (a := _amount(row, k, money, last))]
        if stated is not None and parts:
            out.append(BudgetFinding("row_years", f"row '{row.cells[0].text}': total vs yearly columns",
                                     stated.start, stated.end, stated.value.amount, float(sum(parts))))
    return out


def _check_stated(doc: PlanDocument, money: Sequence[Entity], grand: list[float]) -> list[BudgetFinding]:
    """Totals stated in the prose against the tables' grand totals (the closest one: a plan
    may state one year's total or the whole period's)."""
    if not grand:
        return []
    out = []
    for ent in money:
        if any(t.start <= ent.start < t.end for t in doc.tables) or not _is_stated_total(doc.text, ent):
            continue
        closest = min(grand, key=lambda g: abs(g - ent.value.amount))
        out.append(BudgetFinding("stated_total", "total stated in the text vs the appendix table",
                                 ent.start, ent.end, ent.value.amount, closest))
    return out


def _is_stated_total(text: str, ent: Entity) -> bool:
    """True for "Tổng kinh phí ... là 12.000 triệu đồng" and the amounts listed after it in the
    same sentence ("..., giai đoạn 2022-2025 là 13.233.000.000 đồng"), not for a breakdown
    in the next sentence ("Trong đó: + Ngân sách Trung ương: 4.800 triệu đồng")."""
    window = text[max(0, ent.start - _STATED_REACH):ent.start]
    phrases = list(STATED_TOTAL.finditer(window))
    phrase = phrases[-1] if phrases else None
    if phrase is None or SENTENCE_BREAK.search(window, phrase.end()):
        return False
    return bool(AMOUNT_LEAD.search(window))
