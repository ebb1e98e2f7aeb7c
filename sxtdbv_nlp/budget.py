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
from sxtdbv_nlp.types import Entity, PlanDocument, Table, TableRow

__all__ = ["BudgetFinding", "check_budget"]

# Prose that states a plan's total budget: "Tổng kinh phí thực hiện ... là", "Kinh phí thực hiện ...:".
STATED_TOTAL = re.compile(r"(?:tổng\s+kinh\s+phí|kinh\s+phí\s+thực\s+hiện|tổng\s+dự\s+toán)", re.IGNORECASE)
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


def _amount(row: TableRow, col: int, money: Sequence[Entity]) -> Entity | None:
    if col >= len(row.cells):
        return None
    cell = row.cells[col]
    return next((e for e in money if cell.start <= e.start and e.end <= cell.end), None)


def _level(row: TableRow) -> int:
    """Depth of a row in the numbering: I=0, A=1, 1=2, 1.1=3, bullet sub-rows deepest."""
    number = row.cells[0].text.strip("* .") if row.cells else ""
    if row.kind == "subrow":
        return 9
    if re.fullmatch(r"[IVXLC]+", number):
        return 0
    if re.fullmatch(r"[A-Z]", number):
        return 1
    if re.fullmatch(r"\d+(?:\.\d+)*", number):
        return 2 + number.count(".")
    return 9


def _check_table(table: Table, money: Sequence[Entity]) -> tuple[list[BudgetFinding], list[float]]:
    roles = table_column_roles(table.columns)
    cols = [k for k, r in enumerate(roles) if r in ("budget_total", "budget_year")]
    rows = [r for r in table.rows if r.kind in ("data", "group", "subrow")]
    totals = [r for r in table.rows if r.kind == "total"]
    findings: list[BudgetFinding] = []
    grand: list[float] = []
    for col in cols:
        findings += _group_sums(rows, col, table.columns[col], money)
        top = _top_level_sum(rows, col, money)
        for total in totals:
            stated = _amount(total, col if len(total.cells) > 2 else len(total.cells) - 1, money)
            if stated is not None and top is not None:
                findings.append(BudgetFinding(
                    "table_total", f"total row of column '{table.columns[col]}'",
                    stated.start, stated.end, stated.value.amount, top))
        if top is not None and roles[col] == "budget_total":
            grand.append(top)
        grand += [_amount(t, len(t.cells) - 1, money).value.amount for t in totals
                  if _amount(t, len(t.cells) - 1, money) is not None]
    findings += _row_years(rows, roles, money)
    return findings, grand


def _group_sums(rows: list[TableRow], col: int, name: str, money: Sequence[Entity]) -> list[BudgetFinding]:
    out = []
    for k, row in enumerate(rows):
        stated = _amount(row, col, money) if row.kind == "group" else None
        if stated is None:
            continue
        level = _level(row)
        children = []
        for other in rows[k + 1:]:
            if _level(other) <= level:
                break
            children.append(other)
        direct = min((_level(c) for c in children), default=None)
        parts = [_amount(c, col if c.kind != "subrow" else 1, money) for c in children
                 if _level(c) == direct]
        amounts = [p.value.amount for p in parts if p is not None]
        if amounts:
            out.append(BudgetFinding("group_sum", f"row '{row.cells[0].text}' of column '{name}'",
                                     stated.start, stated.end, stated.value.amount, float(sum(amounts))))
    return out


def _top_level_sum(rows: list[TableRow], col: int, money: Sequence[Entity]) -> float | None:
    if not rows:
        return None
    top = min(_level(r) for r in rows)
    amounts = [a.value.amount for r in rows if _level(r) == top and (a := _amount(r, col, money))]
    return float(sum(amounts)) if amounts else None


def _row_years(rows: list[TableRow], roles: Sequence[str | None], money: Sequence[Entity]
               ) -> list[BudgetFinding]:
    """A row's total column against the sum of its yearly columns."""
    if "budget_total" not in roles or "budget_year" not in roles:
        return []
    total_col = roles.index("budget_total")
    year_cols = [k for k, r in enumerate(roles) if r == "budget_year"]
    out = []
    for row in rows:
        stated = _amount(row, total_col, money)
        parts = [a.value.amount for k in year_cols if (a := _amount(row, k, money))]
        if stated is not None and parts:
            out.append(BudgetFinding("row_years", f"row '{row.cells[0].text}': total vs yearly columns",
                                     stated.start, stated.end, stated.value.amount, float(sum(parts))))
    return out


def _check_stated(doc: PlanDocument, money: Sequence[Entity], grand: list[float]) -> list[BudgetFinding]:
    """Totals stated in the prose against the tables' grand totals."""
    if not grand:
        return []
    in_tables = [(t.start, t.end) for t in doc.tables]
    out = []
    for ent in money:
        if any(a <= ent.start < b for a, b in in_tables):
            continue
        before = doc.text[max(0, ent.start - _STATED_REACH):ent.start]
        if not STATED_TOTAL.search(before):
            continue
        closest = min(grand, key=lambda g: abs(g - ent.value.amount))
        out.append(BudgetFinding("stated_total", "total stated in the text vs the appendix table",
                                 ent.start, ent.end, ent.value.amount, closest))
    return out
