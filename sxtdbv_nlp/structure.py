"""Stage 2, structure: header block, heading tree, signature block and document parts.

Works on the NFC working text inside the document bounds; every offset it returns is
into that text (the pipeline maps them back to the caller's text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sxtdbv_nlp.data import load_records, load_table
from sxtdbv_nlp.layout import (
    APPENDIX,
    BULLET,
    Paragraph,
    is_field_line,
    is_upper_text,
    marker_kind,
    match_marker,
    paragraphs,
)
from sxtdbv_nlp.signature import find_signature
from sxtdbv_nlp.text import Line, strip_markup
from sxtdbv_nlp.types import DocumentBounds, DocumentPart, Header, Section, Table

__all__ = ["Structure", "segment"]

# "Số: 3737/KH-UBND", "Số:\n160/KH-UBND", "Số: 0130/KH-UBND"
NUMBER_LINE = re.compile(r"Số\s*:\s*(?P<number>[0-9][\w./-]*(?:-[\wĐđ]+)*)", re.IGNORECASE)
# "Phú Thọ, ngày 23 tháng 8 năm 2021", "*Bắc Ninh, ngày 24\ntháng 11 năm 2025*"
PLACE_DATE = re.compile(
    r"""^[\s*|]*(?P<place>[A-ZĐÀ-Ỹ][^,*|:\n]{0,30}(?:\n[^,*|:\n]{1,20})?) \s*,\s*
        ngày \s+ (?P<day>\d{1,2}) \s+ tháng \s+ (?P<month>\d{1,2}) \s+ năm \s+ (?P<year>\d{4})""",
    re.VERBOSE | re.MULTILINE,
)
# "(Kèm theo Nghị quyết số 394/NQ-CP ngày 03 tháng 12 năm 2025 của Chính phủ)"
ATTACHED_TO = re.compile(
    r"""(?:Kèm|Ban\ hành\ kèm)\s+theo\s+(?P<type>[^\d\n]{2,20}?)\s+số\s+(?P<number>\d[\w./-]*)
        \s+ngày\s+(?P<day>\d{1,2})(?:\s+tháng\s+|/)(?P<month>\d{1,2})(?:\s+năm\s+|/)(?P<year>\d{4})""",
    re.VERBOSE | re.IGNORECASE,
)
_MAX_TITLE_CHARS = 300  # a "heading" longer than this is a paragraph
_LONG_SENTENCE = 100  # a point longer than this followed by prose is an item, not a heading


@dataclass(frozen=True)
class Structure:
    """What the structure stage found, in working-text offsets."""

    header: Header
    sections: tuple[Section, ...]
    parts: tuple[DocumentPart, ...]
    signature: DocumentBounds | None


@lru_cache(maxsize=1)
def _doc_types() -> dict[str, str]:
    return {row[0]: row[1] for row in load_table("document_types.tsv")}


@lru_cache(maxsize=1)
def _roles() -> tuple[tuple[str, str], ...]:
    return tuple((rec["keyword"], rec["role"]) for rec in load_records("section_roles.tsv"))


def segment(text: str, lines: list[Line], bounds: DocumentBounds, tables: list[Table]) -> Structure:
    """Header, headings, parts and signature of the document inside ``bounds``."""
    inside = [ln for ln in lines if ln.end > bounds.start and ln.start < bounds.end]
    paras = [p for p in paragraphs(inside) if not _in_tables(p, tables)]
    table_starts = sorted(t.start for t in tables)
    parts = _parts(inside, bounds)
    found = find_signature(inside)
    signature, signer = (found.bounds, found.signer) if found else (None, None)
    header = _header(text, inside, paras, signer)
    sections = _sections(text, paras, parts, table_starts)
    return Structure(header, tuple(sections), tuple(parts), signature)


def _in_tables(p: Paragraph, tables: list[Table]) -> bool:
    return any(t.start <= p.start < t.end for t in tables)


# ---------------------------------------------------------------- headings


def _sections(text: str, paras: list[Paragraph], parts: list[DocumentPart],
              table_starts: list[int]) -> list[Section]:
    out: list[Section] = []
    dotted_open = False
    for k, para in enumerate(paras):
        raw = text[para.start:para.end]
        bold = text[max(0, para.start - 2):para.start] == "**"
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        table_under = any(para.end <= t < (nxt.start if nxt else len(text)) for t in table_starts)
        head = _heading(text, para, raw, None if table_under else nxt, bold, table_under)
        if head is None:
            continue
        kind, marker, title_end = head
        level = _level(kind, marker, dotted_open)
        if kind == "arabic":
            dotted_open = "." in marker
        elif kind == "roman":
            dotted_open = False
        start = para.start + _marker_offset(raw)
        title = _clean_title(text[start:title_end], kind)
        role = _role(title, kind) if level == 1 else None
        part = _part_index(parts, para.start)
        out.append(Section(start, title_end, level, marker if kind != "appendix" else "",
                           title, role, part))
    return out


def _marker_offset(raw: str) -> int:
    """Where the marker starts in a heading paragraph: after "Phần " if any, else 0."""
    m = match_marker(raw)
    return m.start() if m else 0


def _heading(text: str, para: Paragraph, raw: str, nxt: Paragraph | None, bold: bool,
             table_under: bool = False) -> tuple[str, str, int] | None:
    """(kind, marker, end of title) when ``para`` is a heading, else None."""
    if APPENDIX.fullmatch(strip_markup(raw.split("\n")[0])):
        end = para.start + len(raw.split("\n")[0].rstrip(" :*"))
        return "appendix", "", end
    m = match_marker(raw)
    if not m:
        return None
    kind, marker = marker_kind(m)
    title_end = para.start + _title_length(raw, bold)
    title = raw[m.end():title_end - para.start].strip(" *_")
    if not title or len(title) > _MAX_TITLE_CHARS or raw.startswith("Điều"):
        return None
    if kind == "roman":
        return kind, marker, title_end
    if not (table_under or _has_children(text, raw, kind, marker, nxt, bold)):
        return None
    return kind, marker.rstrip("."), title_end


def _title_length(raw: str, bold: bool = False) -> int:
    """Length of marker + title: up to a closing bold mark or a colon, else the whole paragraph."""
    close = _bold_close(raw) if bold else None
    if close is not None and raw[close:].strip(" *_"):
        return len(raw[:close].rstrip(" :"))
    m = re.search(r":(?:\s|\*|$)", raw)
    if m and m.start() <= 200:
        return len(raw[:m.start()].rstrip(" *_"))
    return len(raw.rstrip(" .;*_:"))


# The end of a bold run: "**" not followed by a reopening "**" ("II.** **MỤC TIÊU" stays bold).
BOLD_CLOSE = re.compile(r"\*\*(?!\s*\*\*)")


def _bold_close(raw: str) -> int | None:
    """Offset of the "**" closing a bold heading's title (not one closing only its marker)."""
    for m in BOLD_CLOSE.finditer(raw):
        before = raw[:m.start()].replace("*", "").strip()
        marker = match_marker(before + " ")
        if before and not (marker and marker.end() >= len(before)):
            return m.start()
    return None


def _has_children(text: str, raw: str, kind: str, marker: str, nxt: Paragraph | None,
                  bold: bool) -> bool:
    """True when sub-points, bullets or paragraphs stand under a numbered or lettered point."""
    if nxt is None:
        return False
    nraw = text[nxt.start:nxt.end]
    nm = match_marker(nraw)
    if nm:
        nkind, nmarker = marker_kind(nm)
        return _deeper(kind, marker, nkind, nmarker)
    if BULLET.match(nraw):
        return not is_field_line(nraw)
    first_line = raw.split("\n")[0]
    ends_sentence = raw.rstrip(" *_").endswith((".", ";"))
    return len(raw) <= _LONG_SENTENCE or not ends_sentence or is_upper_text(first_line) or (
        bold and _title_length(raw, bold) < len(raw.rstrip(" .;*_:")))


def _deeper(kind: str, marker: str, nkind: str, nmarker: str) -> bool:
    """True when marker ``nmarker`` is a sub-point of ``marker``."""
    if kind == "arabic" and nkind == "arabic":
        return nmarker.rstrip(".").count(".") > marker.rstrip(".").count(".")
    return kind == "arabic" and nkind == "letter"


def _level(kind: str, marker: str, dotted_open: bool) -> int:
    if kind in ("roman", "appendix"):
        return 1
    if kind == "letter":
        return 4 if dotted_open else 3
    return min(4, 2 + marker.rstrip(".").count("."))


def _clean_title(heading: str, kind: str) -> str:
    """The heading's title: marker removed, markup and line breaks dropped, single spaces."""
    s = heading.replace("*", " ").replace("_", " ")
    if kind != "appendix":
        m = match_marker(s.strip())
        s = s.strip()[m.end():] if m else s
    return " ".join(s.split())


def _role(title: str, kind: str) -> str:
    if kind == "appendix":
        return "appendix"
    folded = unicodedata.normalize("NFC", title).casefold()
    hits = [(folded.find(kw), role) for kw, role in _roles() if kw in folded]
    return min(hits)[1] if hits else "other"


def _part_index(parts: list[DocumentPart], pos: int) -> int:
    index = 0
    for k, part in enumerate(parts):
        if part.start <= pos:
            index = k
    return index


# ---------------------------------------------------------------- parts


def _parts(lines: list[Line], bounds: DocumentBounds) -> list[DocumentPart]:
    """One part per document-type title line ("QUYẾT ĐỊNH", then "KẾ HOẠCH" it approves)."""
    types = _doc_types()
    starts = []
    for line in lines:
        s = line.stripped
        if s in types and (not starts or starts[-1][1] != types[s]):
            starts.append((line.start, types[s]))
    if not starts:
        return [DocumentPart(bounds.start, bounds.end, "Kế hoạch")]
    parts = []
    for k, (pos, doc_type) in enumerate(starts):
        start = bounds.start if k == 0 else pos
        end = starts[k + 1][0] if k + 1 < len(starts) else bounds.end
        parts.append(DocumentPart(start, end, doc_type))
    return parts


# ---------------------------------------------------------------- header


def _header(text: str, lines: list[Line], paras: list[Paragraph], signer: str | None) -> Header:
    head_text = text[lines[0].start:lines[min(len(lines), 40) - 1].end] if lines else ""
    head_text = head_text.replace("\r", "\n")  # same length: bare CR line ends read as lines
    number = NUMBER_LINE.search(head_text)
    place_date = PLACE_DATE.search(head_text.replace("*", ""))
    title, type_line = _title(lines)
    issuer = _issuer(lines, place_date.group("place") if place_date else None, type_line)
    date = _iso(place_date) if place_date else None
    number_s = number.group("number") if number else None
    if number_s is None or date is None:
        attached = ATTACHED_TO.search(text[lines[0].start:lines[-1].end]) if lines else None
        if attached:
            number_s = number_s or attached.group("number")
            date = date or _iso(attached)
    place = " ".join(place_date.group("place").split()) if place_date else None
    return Header(issuer=issuer, number=number_s, place=place, date=date, title=title,
                  signer=signer)


def _iso(m: re.Match[str]) -> str | None:
    day, month, year = int(m.group("day")), int(m.group("month")), int(m.group("year"))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _title(lines: list[Line]) -> tuple[str | None, int | None]:
    """Subject lines after the first document-type line, and that line's index.

    The title runs from the first line after "KẾ HOẠCH" (blank lines skipped) to a blank
    line, the preamble ("Căn cứ ...", "Thực hiện Quyết định số ...", "Theo đề nghị ..."),
    an issuing body's name, a heading, or at most :data:`_MAX_TITLE_LINES` lines. An
    upper-case title ends at the first line that is not upper case (hard-wrapped text has
    no blank line before its preamble); a title in sentence case ("Về việc ban hành ...",
    "**Thúc đẩy ... 2030**", "Thực hiện Chương trình ... năm 2022") ends at the cues above.
    """
    types = _doc_types()
    for k, line in enumerate(lines[:80]):
        if line.stripped not in types:
            continue
        got: list[str] = []
        for nxt in lines[k + 1:k + 1 + _MAX_TITLE_LINES + 4]:
            s = nxt.stripped.strip("*_ ")
            if not s:
                if got:
                    break
                continue
            if _ends_title(s, got) or len(got) == _MAX_TITLE_LINES:
                break
            got.append(s)
        title = " ".join(" ".join(got).replace("*", " ").replace("_", " ").split())
        return (title or None), k
    return None, None


def _ends_title(s: str, got: list[str]) -> bool:
    """True when line ``s`` is no longer part of the title collected in ``got``."""
    if PREAMBLE.match(s) or _is_issuer_line(s) or match_marker(s):
        return True
    upper_title = bool(got) and is_upper_text(got[0])
    numeric = not any(c.isalpha() for c in s)  # a wrapped year range: "2026 - 2030"
    return upper_title and not (is_upper_text(s) or numeric)


# The first word of the national motto: the issuer block stands above it.
MOTTO_START = re.compile(r"CỘNG(?:[\s*]|$)")
# The preamble's first words after the title: "Căn cứ ...", "Theo đề nghị ...", or "Thực
# hiện" followed by a cited document ("Thực hiện Quyết định số 889/QĐ-TTg"); a title may
# itself begin with "Thực hiện" ("Thực hiện Chương trình sản xuất ... năm 2022").
PREAMBLE = re.compile(
    r"""(?:Căn\s+cứ|(?:Theo|Xét)\s+đề\s+nghị)\b
      | Thực\s+hiện\b.{0,80}?(?:\bsố\s*\d|\d+/\S|\bLuật\b)""",
    re.VERBOSE | re.IGNORECASE,
)
_MAX_TITLE_LINES = 4


@lru_cache(maxsize=1)
def _issuer_bodies() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(load_table("issuer_bodies.tsv"), key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _jurisdictions() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(load_table("jurisdictions.tsv"), key=lambda r: -len(r[0])))


def _is_issuer_line(s: str) -> bool:
    s = " ".join(s.replace("*", " ").split()).upper()
    return any(s == upper or s.startswith(upper + " ") for upper, _ in _issuer_bodies())


def _issuer(lines: list[Line], place: str | None, type_line: int | None) -> str | None:
    """The issuing body in running-text case.

    "ỦY BAN NHÂN DÂN / TỈNH PHÚ THỌ" -> "Ủy ban nhân dân tỉnh Phú Thọ".
    """
    block = _issuer_block(lines, type_line)
    if not block:
        return None
    upper = " ".join(" ".join(block).replace("*", " ").split()).upper()
    for body_upper, body in _issuer_bodies():
        if upper.startswith(body_upper):
            rest = upper[len(body_upper):].strip()
            return (body + " " + _jurisdiction(rest, place)).strip()
    return " ".join(w.capitalize() if i == 0 else w.lower() for i, w in enumerate(upper.split()))


def _issuer_block(lines: list[Line], type_line: int | None) -> list[str]:
    """Upper-case lines before the motto; for a document without one, the body after its title."""
    block: list[str] = []
    motto = any(MOTTO_START.match(line.stripped.strip("* ")) for line in lines[:15])
    for line in lines[:15]:
        s = line.stripped.strip("* ")
        if MOTTO_START.match(s):
            break
        if (block and not s and len(block) >= 2) or match_marker(s):
            break  # a heading is never part of an issuing body's name
        if s and is_upper_text(s) and not set(s) <= set("-_"):
            block.append(s)
        elif block and s and not set(s) <= set("-_|*"):
            break
    if block and block[0] not in _doc_types() and (motto or _is_issuer_line(block[0])):
        return block
    if type_line is None:
        return []
    for line in lines[type_line + 1:type_line + 15]:
        s = line.stripped.strip("* ")
        if s and _is_issuer_line(s):
            return [s]
    return []


def _jurisdiction(rest: str, place: str | None) -> str:
    """ "TỈNH PHÚ THỌ" -> "tỉnh Phú Thọ", taking the place name's case from the place line."""
    for upper, name in _jurisdictions():
        if rest.startswith(upper + " "):
            unit = rest[len(upper):].strip()
            if place and place.upper() == unit:
                return f"{name} {place}"
            return f"{name} {unit.title()}"
    return rest.title()


# ---------------------------------------------------------------- signature
