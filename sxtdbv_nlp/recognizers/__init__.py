"""Stage 3, recognizers: rule recognisers per label, fused into non-overlapping entities.

One module per family, each a pure function ``find(ctx) -> Iterable[Candidate]`` over the
NFC working text and its offsets:

========================  ===========================================================
module                    labels
========================  ===========================================================
:mod:`.legal`             LEGAL_REF (number-symbols, laws by name)
:mod:`.money`             MONEY (amounts with a unit; table cells under a money column)
:mod:`.percent`           PERCENT
:mod:`.timex`             DATE, DEADLINE, PERIOD (prose and table time cells)
:mod:`.quantity`          QUANTITY
:mod:`.agency`            AGENCY (gazetteer, groups, open classes; names built by
                          :mod:`.canonical`)
========================  ===========================================================

:mod:`.fuse` documents how overlapping candidates are resolved. Language data (document
types, units, time words, agencies, abbreviations...) is read from ``sxtdbv_nlp/data``.

>>> from sxtdbv_nlp.types import DocumentBounds
>>> text = "Thực hiện Quyết định số 889/QĐ-TTg ngày 24/6/2020 của Thủ tướng Chính phủ"
>>> for e in recognize(text, DocumentBounds(0, len(text))):
...     print(e.id, e.label, e.text, e.source)
e1 LEGAL_REF Quyết định số 889/QĐ-TTg legal.symbol
e2 DATE ngày 24/6/2020 timex.date
e3 AGENCY Thủ tướng Chính phủ agency.gazetteer
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sxtdbv_nlp.recognizers import agency, legal, money, percent, quantity, timex
from sxtdbv_nlp.recognizers.base import Candidate, Context
from sxtdbv_nlp.recognizers.fuse import fuse
from sxtdbv_nlp.types import DocumentBounds, Entity, Header, Table

__all__ = ["RECOGNIZERS", "candidates", "recognize"]

#: Every recogniser, by family name; all run on every text.
RECOGNIZERS: tuple[tuple[str, Callable[[Context], Iterable[Candidate]]], ...] = (
    ("legal", legal.find),
    ("money", money.find),
    ("percent", percent.find),
    ("timex", timex.find),
    ("quantity", quantity.find),
    ("agency", agency.find),
)


def candidates(ctx: Context) -> list[Candidate]:
    """All candidates of all recognisers, before fusion (overlapping)."""
    found: list[Candidate] = []
    for _name, find in RECOGNIZERS:
        found.extend(c for c in find(ctx) if ctx.start <= c.start < c.end <= ctx.end)
    return found


def recognize(text: str, bounds: DocumentBounds, *, tables: Sequence[Table] = (),
              header: Header | None = None) -> list[Entity]:
    """Entities of all labels in ``text[bounds.start:bounds.end]`` (working-text offsets).

    Entities are sorted, never overlap, have ids "e1", "e2", ... in document order and
    name the recogniser that found them in ``source``.
    """
    start = max(0, min(bounds.start, len(text)))
    end = max(start, min(bounds.end, len(text)))
    ctx = Context(text, start, end, tuple(tables), header)
    return fuse(text, candidates(ctx))
