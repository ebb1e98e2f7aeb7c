"""Stage 1, text: read and decode input, normalise to NFC with an offset map back to the raw text.

Every later stage works on :attr:`NormalizedText.text` (NFC) and hands its offsets to
:meth:`NormalizedText.to_raw`, so spans given back to the caller always index the text
the caller gave, even when that text was NFD or mixed.

>>> nt = normalize("Sở Công Thương")
>>> nt.text == "Sở Công Thương", nt.to_raw(0, 2)
(True, (0, 2))
"""

from __future__ import annotations

import codecs
import itertools
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sxtdbv_nlp.errors import BinaryInputError, EmptyTextError, EncodingError, InputTooLargeError

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Line",
    "NormalizedText",
    "decode",
    "normalize",
    "read_text",
    "split_lines",
    "trim_span",
]

#: Default upper bound on input size, in characters: 5 million, 70 times the longest corpus
#: plan (69,000). Analysis is linear at about 3 µs per character, so the limit keeps any
#: input under about 15 s; a larger text is refused at once (pass ``max_chars`` to allow it).
DEFAULT_MAX_CHARS = 5_000_000

# A UTF-8 byte order mark is kept as U+FEFF: the annotation guide reads files as plain
# UTF-8, so offsets count it; UTF-16/32 marks are consumed by their codecs.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in a scraped plan; their presence means binary data.
_BINARY_CONTROLS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v\x1b")
_MAX_CONTROL_SHARE = 0.01


def read_text(source: str | os.PathLike[str] | bytes, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Read a plan from a path or from bytes and return its text, newlines untranslated.

    >>> read_text("Kế hoạch".encode("utf-8"))
    'Kế hoạch'
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if len(data) > 4 * max_chars:
        raise InputTooLargeError(f"input is {len(data):,} bytes; the limit is {max_chars:,} characters")
    return decode(data)


def decode(data: bytes) -> str:
    """Decode plan bytes: UTF-8 (with or without BOM), UTF-16/32 (BOM or NUL pattern), Windows-1258.

    Raises :class:`BinaryInputError` for data that is not text and
    :class:`EncodingError` for text in none of these encodings.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="strict"), encoding)
    utf16 = _utf16_order(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise BinaryInputError("input contains NUL bytes and no UTF-16 byte order: it is not text")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return _checked(data.decode("cp1258"), "windows-1258")
    except UnicodeDecodeError:
        raise EncodingError(
            f"input is neither UTF-8 ({utf8_error.reason} at byte {utf8_error.start}), "
            "UTF-16 nor Windows-1258; re-save it as UTF-8"
        ) from None


def _utf16_order(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NUL bytes sit at every other position, as in BOM-less UTF-16.

    Vietnamese letters outside Latin-1 have no NUL byte, so only the ASCII share of the
    text (spaces, digits, unaccented letters) shows the pattern: a fifth is enough when
    the other positions have almost none.
    """
    head = data[:400]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.2 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.2 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str) -> str:
    """Reject decoded text that is mostly control characters (binary data that happened to decode)."""
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch in _BINARY_CONTROLS)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise BinaryInputError(
            f"input decoded as {encoding} has {controls} control characters in its first "
            f"{len(sample):,}: it is binary data, not a plan"
        )
    return text


def ensure_text(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Check that ``text`` is a non-empty ``str`` within the size limit; return it unchanged."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; use read_text() for bytes or paths")
    if not text.strip():
        raise EmptyTextError("the text is empty or holds only whitespace")
    if len(text) > max_chars:
        raise InputTooLargeError(f"the text has {len(text):,} characters; the limit is {max_chars:,}")
    if "\x00" in text:
        raise BinaryInputError("the text contains NUL characters: it is binary data, not a plan")
    return text


@dataclass(frozen=True)
class NormalizedText:
    """NFC text plus the map from its offsets back to the caller's raw text."""

    raw: str
    text: str
    # raw offset of the normalisation unit holding each NFC character (None: identity).
    _unit_start: tuple[int, ...] | None = field(default=None, repr=False)
    _unit_end: tuple[int, ...] | None = field(default=None, repr=False)

    @property
    def is_identity(self) -> bool:
        """True when the raw text already was NFC, so offsets need no mapping."""
        return self._unit_start is None

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map an NFC span ``[start, end)`` to the smallest raw span covering the same characters."""
        if self._unit_start is None or self._unit_end is None:
            return start, end
        if start >= end:
            pos = self._unit_start[start] if start < len(self.text) else len(self.raw)
            return pos, pos
        return self._unit_start[start], self._unit_end[end - 1]


def normalize(raw: str) -> NormalizedText:
    """Return the NFC form of ``raw`` with an offset map (identity when ``raw`` is NFC already)."""
    if unicodedata.is_normalized("NFC", raw):
        return NormalizedText(raw=raw, text=raw)
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    for a, b in _normalization_units(raw):
        piece = unicodedata.normalize("NFC", raw[a:b])
        pieces.append(piece)
        starts.extend([a] * len(piece))
        ends.extend([b] * len(piece))
    text = "".join(pieces)
    if text != unicodedata.normalize("NFC", raw):  # a composition crossed a unit boundary
        text, starts, ends = _coarse_map(raw)
    return NormalizedText(raw=raw, text=text, _unit_start=tuple(starts), _unit_end=tuple(ends))


def _normalization_units(raw: str) -> list[tuple[int, int]]:
    """Split ``raw`` before every character with combining class 0 (a starter)."""
    bounds = [i for i, ch in enumerate(raw) if i == 0 or unicodedata.combining(ch) == 0]
    bounds.append(len(raw))
    return list(itertools.pairwise(bounds))


def _coarse_map(raw: str) -> tuple[str, list[int], list[int]]:
    """Fallback map by whitespace-separated chunks, for scripts whose starters compose (Hangul)."""
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    pos = 0
    for chunk in raw.split(" "):
        piece = unicodedata.normalize("NFC", chunk)
        pieces.append(piece)
        starts.extend([pos] * len(piece))
        ends.extend([pos + len(chunk)] * len(piece))
        pos += len(chunk) + 1
        if pos <= len(raw):
            pieces.append(" ")
            starts.append(pos - 1)
            ends.append(pos)
    return "".join(pieces), starts, ends


@dataclass(frozen=True)
class Line:
    """One line of the working text: ``text`` is ``source[start:end]`` without its line break."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        """The line without surrounding whitespace and markdown table/emphasis/heading marks."""
        return strip_markup(self.text)


_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on
_MARKUP = " \t\u00a0\u200b\ufeff|*#_>"


def strip_markup(s: str) -> str:
    """Remove surrounding whitespace, table pipes and markdown emphasis or heading marks.

    >>> strip_markup("**I. MỤC TIÊU**  ")
    'I. MỤC TIÊU'
    """
    return s.strip(_MARKUP)


def markup_bounds(s: str, start: int = 0) -> tuple[int, int]:
    """Offsets of :func:`strip_markup`'s result inside ``s`` (shifted by ``start``)."""
    left = len(s) - len(s.lstrip(_MARKUP))
    right = len(s.rstrip(_MARKUP))
    if right < left:
        return start + left, start + left
    return start + left, start + right


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the whitespace at its ends.

    >>> trim_span("  Sở Y tế \n", 0, 11)
    (2, 9)
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_lines(text: str) -> list[Line]:
    r"""Split text into :class:`Line` objects with offsets; ``\r\n``, ``\r`` and ``\n`` end a line."""
    lines: list[Line] = []
    pos = 0
    for chunk in text.splitlines(keepends=True):
        body = chunk.rstrip(_LINE_BREAKS)
        lines.append(Line(pos, pos + len(body), body))
        pos += len(chunk)
    return lines
