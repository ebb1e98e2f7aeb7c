"""The signature block: who signs, on whose behalf, and the signer's name.

Shared by the bounds stage (nothing after a signature belongs to the plan but recipients
and appendices) and the structure stage (the header's signer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sxtdbv_nlp.data import load_table
from sxtdbv_nlp.text import Line, markup_bounds
from sxtdbv_nlp.types import DocumentBounds

__all__ = ["Signature", "find_signature"]

# A person's name in a signature block: 2-6 capitalised words, letters only: "Nguyễn Văn An".
PERSON = re.compile(r"(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\s+){1,5}[A-ZĐÀ-Ỹ][a-zà-ỹđ]*")
_NAME_REACH = 8  # lines between the signer's title and name (blank lines for the signature)


@dataclass(frozen=True)
class Signature:
    """A signature block: its span, the signer's name (None if not printed) and the index
    of its last line in the lines it was found in."""

    bounds: DocumentBounds
    signer: str | None
    last_line: int


@cache
def _signature_titles() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = load_table("signature_titles.tsv")
    return (tuple(p for kind, p in rows if kind == "authority"),
            tuple(p for kind, p in rows if kind == "title"))


def find_signature(lines: list[Line]) -> Signature | None:
    """The last signature block (authority and title lines, then the signer's name)."""
    authorities, titles = _signature_titles()
    for k in range(len(lines) - 1, -1, -1):
        s = " ".join(lines[k].stripped.strip("* ").split())
        if s.upper() != s or not any(s == t or s.endswith(" " + t) for t in titles):
            continue
        start = k
        while start > 0 and lines[start - 1].stripped.strip("* ").startswith(authorities):
            start -= 1
        a, _ = markup_bounds(lines[start].text, lines[start].start)
        for j in range(k + 1, min(len(lines), k + _NAME_REACH)):
            name = lines[j].stripped.strip("* ")
            if PERSON.fullmatch(name):
                _, b = markup_bounds(lines[j].text, lines[j].start)
                return Signature(DocumentBounds(a, b), name, j)
            if name and not name.startswith("("):
                break
        _, b = markup_bounds(lines[k].text, lines[k].start)
        return Signature(DocumentBounds(a, b), None, k)
    return None
