"""Fusion: overlapping candidates from all recognisers -> non-overlapping entities.

Policy (greedy, as spaCy's ``filter_spans``):

1. Candidates are ranked by span length, longest first: the reading that explains more
   text wins ("Quyết định số 889/QĐ-TTg" over a QUANTITY "889"; "đến năm 2030" over the
   PERIOD "năm 2030"; "Luật Tổ chức Chính phủ" over the AGENCY "Chính phủ").
2. Equal lengths are ranked by :data:`LABEL_PRIORITY`: the more specific label first
   (a "2030" table cell that is both a PERIOD and a QUANTITY reading stays a PERIOD).
3. Then by start offset and by source name, so the result never depends on the order in
   which recognisers ran (fusion is deterministic).
4. Each candidate is kept unless it overlaps one already kept.

Kept candidates are sorted by offset and numbered "e1", "e2", ... in document order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from sxtdbv_nlp.recognizers.base import Candidate
from sxtdbv_nlp.types import Entity

__all__ = ["LABEL_PRIORITY", "fuse"]

#: Tie-break between equally long candidates: earlier labels win.
LABEL_PRIORITY = ("LEGAL_REF", "DATE", "DEADLINE", "PERIOD", "MONEY", "PERCENT", "AGENCY",
                  "QUANTITY")


def _rank(c: Candidate) -> tuple[int, int, int, str]:
    priority = LABEL_PRIORITY.index(c.label) if c.label in LABEL_PRIORITY else len(LABEL_PRIORITY)
    return (-c.length, priority, c.start, c.source)


def fuse(text: str, candidates: Iterable[Candidate]) -> list[Entity]:
    """Non-overlapping entities chosen from ``candidates`` by the module's policy.

    >>> from sxtdbv_nlp.types import PeriodValue, DeadlineValue
    >>> text = "đến năm 2030"
    >>> ents = fuse(text, [Candidate(4, 12, "PERIOD", PeriodValue("2030", "2030"), "p"),
    ...                    Candidate(0, 12, "DEADLINE", DeadlineValue("2030"), "d")])
    >>> [(e.id, e.text, e.label) for e in ents]
    [('e1', 'đến năm 2030', 'DEADLINE')]
    """
    kept: list[Candidate] = []  # sorted by start; never overlapping, so ends are sorted too
    starts: list[int] = []
    for cand in sorted({c for c in candidates if c.end > c.start}, key=_rank):
        i = bisect_right(starts, cand.start)
        if (i > 0 and kept[i - 1].end > cand.start) or (i < len(kept) and kept[i].start < cand.end):
            continue
        kept.insert(i, cand)
        starts.insert(i, cand.start)
    return [Entity(id=f"e{i}", start=c.start, end=c.end, label=c.label,
                   text=text[c.start:c.end], value=c.value, source=c.source)
            for i, c in enumerate(kept, 1)]
