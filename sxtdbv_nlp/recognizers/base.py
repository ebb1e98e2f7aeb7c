"""What every recogniser shares: the search context and the candidate spans it yields.

A recogniser is a function ``find(ctx: Context) -> Iterable[Candidate]``. Candidates may
overlap; :mod:`sxtdbv_nlp.recognizers.fuse` turns them into non-overlapping entities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.types import EntityValue, Header, Table

__all__ = ["Candidate", "Context", "jurisdiction_of", "trim_span"]


@dataclass(frozen=True)
class Candidate:
    """A labelled span proposed by one recogniser (``source`` names it)."""

    start: int
    end: int
    label: str
    value: EntityValue
    source: str

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Context:
    """The text to search, its bounds, the tables inside them and the plan header.

    >>> ctx = Context("Sở Tài chính", 0, 12, header=Header(issuer="Ủy ban nhân dân tỉnh Phú Thọ"))
    >>> ctx.jurisdiction, ctx.national
    ('tỉnh Phú Thọ', False)
    """

    text: str
    start: int
    end: int
    tables: Sequence[Table] = ()
    header: Header | None = None

    @cached_property
    def jurisdiction(self) -> str | None:
        """The issuer's jurisdiction, written as the issuer is ("tỉnh Phú Thọ"), or None."""
        issuer = self.header.issuer if self.header else None
        return jurisdiction_of(issuer) if issuer else None

    @cached_property
    def national(self) -> bool:
        """True when the plan is issued by a central body (no local jurisdiction)."""
        issuer = self.header.issuer if self.header else None
        return bool(issuer) and self.jurisdiction is None


@cache
def _issuer_unit() -> re.Pattern[str]:
    """An administrative unit and its name at the end of an issuer: "... tỉnh Phú Thọ"."""
    units = sorted((r["name"] for r in load_records("jurisdictions.tsv")), key=len, reverse=True)
    alts = "|".join(re.escape(u) for u in units)
    return re.compile(rf"(?<!\w)(?P<unit>{alts})\s+(?P<place>[^\W\d_].*)$", re.IGNORECASE)


def jurisdiction_of(issuer: str) -> str | None:
    """The jurisdiction part of an issuer's name ("tỉnh", "thành phố", "xã"... + name).

    >>> jurisdiction_of("Ủy ban nhân dân thành phố Cần Thơ"), jurisdiction_of("Chính phủ")
    ('thành phố Cần Thơ', None)
    >>> jurisdiction_of("Ủy ban nhân dân xã Gia Thuận")
    'xã Gia Thuận'
    """
    m = _issuer_unit().search(" ".join(issuer.split()))
    if not m:
        return None
    return f"{m.group('unit').lower()} {m.group('place')}"


# Characters never at either end of a span: blanks, markup and punctuation.
_EDGE = " \t\r\n\u00a0*_|#,;:.()[]{}\"'“”‘’-–—/"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so that it neither starts nor ends with blanks or markup.

    >>> trim_span("**Sở Y tế**:", 0, 12)
    (2, 9)
    """
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end
