"""Line-level layout shared by the structure and table stages: markers, bullets, paragraphs.

Plans come hard-wrapped (a paragraph over several lines, no blank line between
paragraphs), blank-line separated, or as markdown; :func:`paragraphs` rebuilds the
paragraphs of all three so that a heading or a point is one unit with exact offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.text import Line, markup_bounds, strip_markup

__all__ = [
    "BULLET",
    "MARKER",
    "Paragraph",
    "is_pipe_line",
    "is_upper_text",
    "marker_kind",
    "paragraphs",
    "roman_value",
]

# A point marker at the start of a line (after markup), in one of three numbering styles:
#   "IV. TỔ CHỨC"  -> roman "IV"      "1.2. Thúc đẩy" -> arabic "1.2"      "đ) Hỗ trợ" -> letter "đ"
MARKER = re.compile(
    r"""
    (?P<roman>  [IVXLC]{1,7} ) \s* [.)/] (?=\s|\*|$)           # I.  II)  IV.
    | (?P<arabic> \d{1,2} (?: \.\d{1,2} ){0,3} ) (?: \.|\)) (?=\s|\*|$)   # 1.  1.1.  2)
    | (?P<dotted> \d{1,2} (?: \.\d{1,2} ){1,3} ) (?=\s)         # 1.1 Mục tiêu (no final dot)
    | (?P<letter> [a-zđ] ) \) (?=\s|\*|$)                      # a)  đ)
    """,
    re.VERBOSE,
)

# The appendix heading: "PHỤ LỤC", "PHỤ LỤC I", "Phụ lục 2:" on a line of its own.
APPENDIX = re.compile(r"PHỤ\s+LỤC(?:\s+(?:[IVX]+|\d+))?\s*:?", re.IGNORECASE)
# "Phần" before a roman numeral that numbers the parts of a plan: "Phần I. MỤC ĐÍCH".
PART = re.compile(r"(?:Phần|PHẦN)\s+")
# A bullet: "- Tuyên truyền", "+ Ngân sách", "• ...", "– ...", markdown "*-* ..."
BULLET = re.compile(r"(?:[-+•–—]|\*-\*)(?=\s|\S)")

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(s: str) -> int | None:
    """Value of a well-formed roman numeral, else None ("IIII" and "IC" are rejected).

    >>> roman_value("XIV"), roman_value("IIX")
    (14, None)
    """
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total if total and _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = []
    for value, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                       (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def marker_kind(m: re.Match[str]) -> tuple[str, str]:
    """(kind, marker) of a :data:`MARKER` match: kind is roman, arabic or letter."""
    if m.group("roman"):
        return "roman", m.group("roman")
    if m.group("letter"):
        return "letter", m.group("letter")
    return "arabic", m.group("arabic") or m.group("dotted")


def match_marker(text: str) -> re.Match[str] | None:
    """The point marker at the start of ``text`` (markup already stripped), validated.

    A roman marker may follow "Phần" ("Phần II. MỤC TIÊU"); the match then starts at the
    numeral, which is where a heading's span starts (guide §7).

    >>> match_marker("Phần II. MỤC TIÊU").start(), match_marker("1.2. Tập huấn").group("arabic")
    (5, '1.2')
    """
    m = MARKER.match(text)
    if m is None:
        part = PART.match(text)
        m = MARKER.match(text, part.end()) if part else None
        if m is not None and not m.group("roman"):
            return None
    if m and m.group("roman") and roman_value(m.group("roman")) is None:
        return None
    return m


def is_pipe_line(line: Line) -> bool:
    """True for a line holding only a table pipe ("|"), as in flattened markdown tables."""
    return line.text.strip(" \t\u00a0") == "|"


def is_upper_text(s: str) -> bool:
    """True when the letters of ``s`` are (almost) all upper case: a title or header line."""
    letters = [ch for ch in s if ch.isalpha()]
    if len(letters) < 2:
        return False
    return sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


@dataclass(frozen=True)
class Paragraph:
    """Consecutive lines forming one unit; ``start``/``end`` exclude surrounding markup."""

    lines: tuple[Line, ...]
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start:self.end]


def _starts_unit(s: str) -> bool:
    """A point, a bullet, an item's attribute line ("Đơn vị chủ trì: ...") or an appendix
    heading opens a unit."""
    return bool(match_marker(s) or BULLET.match(s) or is_field_line(s) or APPENDIX.match(s))


@cache
def _heading_words() -> re.Pattern[str]:
    words = sorted((r["keyword"] for r in load_records("section_roles.tsv")), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def _is_heading_line(s: str) -> bool:
    """A short numbered line naming a part of the plan ("1. Mục đích", "2. Mục tiêu chung"):
    complete by itself, so the next line starts a paragraph even in hard-wrapped text."""
    m = match_marker(s)
    if m is None:
        return False
    title = s[m.end():].strip(" *_")
    words = title.split()
    if not words or len(words) > _HEADING_LINE_WORDS or words[-1].casefold() in _OPEN_ENDINGS:
        return False
    return bool(_heading_words().match(title)) and not title.endswith((",", "-"))


def paragraphs(lines: list[Line], *, blank_separated: bool | None = None) -> list[Paragraph]:
    """Group lines into paragraphs.

    A new paragraph starts after a blank or pipe line and at every point marker, bullet,
    attribute line or appendix heading. Text with few blank lines is either written one
    paragraph per line (long lines: every line is a paragraph) or hard-wrapped (lines cut
    at a fixed width): then a paragraph also ends at sentence punctuation, at a short line
    that is not its first, where an upper-case title gives way to running text, and after
    a heading line such as "1. Mục đích". ``blank_separated`` None decides from the share
    of blank lines.
    """
    if blank_separated is None:
        blanks = sum(1 for ln in lines if not ln.text.strip())
        blank_separated = blanks >= 0.1 * max(1, len(lines))
    width = _wrap_width(lines)
    if not blank_separated and width > _UNWRAPPED_WIDTH:
        return [p for ln in lines if ln.stripped and not is_pipe_line(ln) for p in _as_paragraph(ln)]
    out: list[Paragraph] = []
    current: list[Line] = []
    for line in lines:
        s = line.stripped
        if not s or is_pipe_line(line):
            _flush(current, out)
            current = []
            continue
        if current and _breaks(current[-1], s, current, blank_separated, width):
            _flush(current, out)
            current = []
        current.append(line)
    _flush(current, out)
    return out


def _as_paragraph(line: Line) -> list[Paragraph]:
    out: list[Paragraph] = []
    _flush([line], out)
    return out


def _breaks(prev: Line, s: str, current: list[Line], blank_separated: bool, width: int) -> bool:
    prev_s = prev.stripped
    if _starts_unit(s):
        return not (_is_bare_marker(prev_s) or _is_wrapped_continuation(prev_s, s))
    if _is_bare_marker(prev_s) or blank_separated:
        return False
    # Hard-wrapped text: the first line of a paragraph is often short (an indentation
    # artifact), so only a short line after that one ends a paragraph; so do sentence
    # punctuation and the switch from an upper-case title to running text.
    if not s[0].isupper():
        return False
    if prev_s.endswith((".", ":", ";", "!", "?")):
        return True
    if len(current) >= 2 and len(prev.text) < 0.85 * width:
        return True
    if is_upper_text(prev_s) and is_upper_text(s):
        return False  # a wrapped upper-case title
    if len(current) == 1 and _is_heading_line(prev_s):
        return True
    return is_upper_text(prev_s)


def _is_wrapped_continuation(prev_s: str, s: str) -> bool:
    """True for a line that only looks like a new point because a sentence wrapped there.

    "dạy - học\n- thi trực tuyến" and "(trước ngày 30 tháng\n11) hoặc đột xuất": the
    previous line ends mid-sentence and the "point" goes on in lower case.
    """
    if prev_s.endswith((".", ":", ";", "!", "?")):
        return False
    m = match_marker(s) or BULLET.match(s)
    rest = s[m.end():].lstrip(" *_") if m else ""
    return bool(rest) and rest[0].islower()


_UNWRAPPED_WIDTH = 110  # a text whose lines are mostly longer than this is not hard-wrapped
_HEADING_LINE_WORDS = 6
_OPEN_ENDINGS = frozenset({"và", "của", "về", "các", "với", "cho", "trong"})  # the title goes on


def _wrap_width(lines: list[Line]) -> int:
    """The text's wrap width: the 90th percentile of its line lengths."""
    lengths = sorted(len(ln.text) for ln in lines if ln.text.strip())
    if not lengths:
        return 80
    return max(40, lengths[int(0.9 * (len(lengths) - 1))])


def _is_bare_marker(s: str) -> bool:
    m = match_marker(s)
    return bool(m) and not s[m.end():].strip(" *_")


def _flush(current: list[Line], out: list[Paragraph]) -> None:
    if not current:
        return
    start, _ = markup_bounds(current[0].text, current[0].start)
    _, end = markup_bounds(current[-1].text, current[-1].start)
    out.append(Paragraph(tuple(current), start, max(start, end)))


@lru_cache(maxsize=1)
def _field_line() -> re.Pattern[str]:
    phrases = sorted((rec["phrase"] for rec in load_records("item_fields.tsv")), key=len, reverse=True)
    return re.compile(r"(?:[-+•]\s*)?(?:" + "|".join(map(re.escape, phrases)) + r")\s*:",
                      re.IGNORECASE)


def is_field_line(s: str) -> bool:
    """True for an item's attribute line: "- Đơn vị phối hợp: Sở Tài chính..."."""
    return bool(_field_line().match(s.strip(" *_")))


__all__ += ["is_field_line", "match_marker", "strip_markup"]
