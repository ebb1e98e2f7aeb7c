"""DATE, DEADLINE and PERIOD: time expressions in prose and in table time cells.

* DATE: a calendar date with day and month, "ngày" in the span when written
  ("ngày 24/6/2020", "ngày 23 tháng 8\\nnăm 2021", "24/6/2020") -> {"date": "2020-06-24"}.
* DEADLINE: a signal + a date, month, quarter or year ("trước ngày 15 tháng 12 hằng năm",
  "đến năm 2030"), or a recurrence that says when an action happens ("Hằng năm",
  "định kỳ 6 tháng") -> {"date": ..., "recurrence": "P1Y" | "P6M" | ...}.
* PERIOD: a year, a year range, a quarter or a month ("giai đoạn 2021-2025", "năm 2022",
  "tầm nhìn 2050", "Quý II/2026") -> {"start": "2021", "end": "2025"}; in tables, a bare
  year in a time cell or in a column header ("Kinh phí 2022").

The word lists (signals, period words, units, recurrence words, qualified nouns) come from
``data/time_words.tsv``; the expressions are built in :mod:`.timex_patterns`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from sxtdbv_nlp.recognizers import timex_patterns as tp
from sxtdbv_nlp.recognizers.base import Candidate, Context, trim_span
from sxtdbv_nlp.recognizers.cells import cells_by_role, header_cells
from sxtdbv_nlp.types import DateValue, DeadlineValue, PeriodValue

__all__ = ["find"]


def find(ctx: Context) -> Iterator[Candidate]:
    """DATE, DEADLINE and PERIOD candidates in the context's bounds."""
    for pattern, handler in _RULES:
        for m in pattern().finditer(ctx.text, ctx.start, ctx.end):
            cand = handler(ctx, m)
            if cand is not None:
                yield cand
    yield from _table_cells(ctx)


def _date(ctx: Context, m: re.Match[str]) -> Candidate | None:
    iso = tp.iso_date(m, "")
    if iso is None or (not m.group("ngay") and "XXXX" in iso):
        return None  # "15/6" without "ngày" and year is too ambiguous (a ratio, a score)
    return Candidate(m.start(), m.end(), "DATE", DateValue(iso), "timex.date")


def _date_range(ctx: Context, m: re.Match[str]) -> Candidate | None:
    end = tp.iso_date(m, "2")
    if end is None:
        return None
    start = tp.iso_date(m, "1", inherit=end)
    if start is None or start > end:
        return None
    return Candidate(m.start(), m.end(), "PERIOD", PeriodValue(start, end), "timex.date_range")


def _deadline_date(ctx: Context, m: re.Match[str]) -> Candidate | None:
    iso = tp.iso_date(m, "")
    if iso is None:
        return None
    return Candidate(m.start(), m.end(), "DEADLINE",
                     DeadlineValue(iso, tp.recurrence_of(m)), "timex.deadline_date")


def _deadline_coarse(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"đến năm 2030", "trước tháng 6/2025", "đến hết Quý II năm 2026"."""
    value = tp.coarse_date(m)
    if value is None:
        return None
    return Candidate(m.start(), m.end(), "DEADLINE", DeadlineValue(value, None),
                     "timex.deadline_year")


def _recurring_day(ctx: Context, m: re.Match[str]) -> Candidate | None:
    """"ngày 16 hằng tháng" -> XXXX-XX-16 P1M; "tháng 11 hằng năm" -> XXXX-11 P1Y."""
    value = tp.recurring_date(m)
    if value is None:
        return None
    return Candidate(m.start(), m.end(), "DEADLINE", DeadlineValue(value, tp.recurrence_of(m)),
                     "timex.recurring_date")


def _recurrence(ctx: Context, m: re.Match[str]) -> Candidate | None:
    if tp.only_qualifies(ctx.text, m.start()) or tp.deadline_follows(ctx.text, m.end()):
        return None
    duration = tp.recurrence_of(m)
    if duration is None:
        return None
    return Candidate(m.start(), m.end(), "DEADLINE", DeadlineValue(None, duration),
                     "timex.recurrence")


def _period(ctx: Context, m: re.Match[str]) -> Candidate | None:
    value = tp.period_value(m)
    if value is None:
        return None
    return Candidate(m.start(), m.end(), "PERIOD", PeriodValue(*value), "timex.period")


_Handler = Callable[[Context, re.Match[str]], Candidate | None]
_RULES: tuple[tuple[Callable[[], re.Pattern[str]], _Handler], ...] = (
    (tp.date_pattern, _date),
    (tp.date_range_pattern, _date_range),
    (tp.deadline_date_pattern, _deadline_date),
    (tp.deadline_coarse_pattern, _deadline_coarse),
    (tp.recurring_date_pattern, _recurring_day),
    (tp.recurrence_pattern, _recurrence),
    (tp.period_pattern, _period),
    (tp.bare_range_pattern, _period),
    (tp.quarter_pattern, _period),
    (tp.month_pattern, _period),
)


def _table_cells(ctx: Context) -> Iterator[Candidate]:
    """Bare years in time cells ("2026") and years in column headers ("Kinh phí 2022")."""
    for table in ctx.tables:
        cells = [c.cell for c in cells_by_role(table, frozenset({"time"}))]
        for cell in cells:
            m = tp.bare_year_pattern().fullmatch(cell.text.strip(" *_\t\n"))
            if m:
                start, end = trim_span(ctx.text, cell.start, cell.end)
                yield _cell_period(ctx, start, end, m)
        for cell in header_cells(table):
            for m in tp.bare_year_pattern().finditer(ctx.text, cell.start, cell.end):
                yield _cell_period(ctx, m.start(), m.end(), m)


def _cell_period(ctx: Context, start: int, end: int, m: re.Match[str]) -> Candidate:
    low = m.group("y1")
    high = m.group("y2") or low
    return Candidate(start, end, "PERIOD", PeriodValue(low, high), "timex.table")
