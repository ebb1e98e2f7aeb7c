"""Stage 2b, tables: rebuild appendix tables (rows x columns) from their flattened forms.

Three forms occur in scraped plans:

* ``cell_per_line``: every cell is a paragraph of its own (Phú Thọ's appendix);
* ``pipe``: cells separated by lines holding only "|", cells hard-wrapped over lines,
  rows either back to back (Cần Thơ) or each opened by its own "|" (markdown pages);
* ``markdown``: one row per line, ``| a | b |``.

Row kinds: "header", "data", "group" (a heading row: roman or letter marker, or a numbered
row with sub-rows), "subrow" (an unnumbered bullet row under a data row, "- Tập huấn"),
"continuation" (cells of merged rows), "total".

A table starts at its "TT"/"STT" header cell; the header cells up to the first row marker
give the columns. Rows are then cut at row markers that continue the numbering
(I, 1, 2, ..., II, 1, 1.1, ...) or at a total row ("Tổng cộng"), so that a number in a
money or year cell is never taken for a new row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sxtdbv_nlp.layout import BULLET, is_pipe_line, match_marker, roman_value
from sxtdbv_nlp.text import Line, markup_bounds
from sxtdbv_nlp.types import Table, TableCell, TableRow

__all__ = ["UNIT", "find_tables"]

# The header cell of the row-number column: "TT", "STT", "Số TT" (bold or not).
ROW_NUMBER_HEADER = re.compile(r"(?:S[ốố]\s*)?S?TT", re.IGNORECASE)
# A total row's first cell: "Tổng", "Tổng cộng", "Cộng", "TỔNG CỘNG".
TOTAL = re.compile(r"(?:tổng\s*cộng|tổng\s*số|tổng|cộng)\b.{0,30}", re.IGNORECASE | re.DOTALL)
# A unit in a header or caption: "ĐVT: Triệu đồng", "(triệu đồng)", "Đơn vị tính: đồng".
UNIT = re.compile(
    r"""(?:ĐVT|Đơn\ vị\ tính|Đơn\ vị)\s*:\s*(?P<unit>[^)\n|*]+?)\s*(?:\)|$|\n|\*)
        | \(\s*(?P<paren>(?:nghìn|ngàn|triệu|tỷ|tỉ)?\s*(?:đồng|USD|VNĐ))\s*\)""",
    re.VERBOSE | re.IGNORECASE,
)
# A group row's title cell carrying its own roman marker: "I. Kinh tế số".
GROUP_TITLE = re.compile(r"[IVX]{1,5}\.\s+\S.{0,100}", re.DOTALL)
_MAX_GAP_LINES = 12  # non-pipe lines after which a pipe table has ended
_WRAPPED_SHARE = 0.8  # a line this close to the longest line of its table was hard-wrapped


@dataclass
class _Cell:
    start: int
    end: int
    text: str
    bullet: bool = False


def find_tables(text: str, lines: list[Line], start: int, end: int) -> list[Table]:
    """All tables whose header lies in ``[start, end)`` of ``text``."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not start <= line.start < end:
            i += 1
            continue
        if _is_markdown_row(line) and ROW_NUMBER_HEADER.fullmatch(_split_markdown(line)[0].text):
            table, next_i = _read_markdown_table(text, lines, i, end)
        elif ROW_NUMBER_HEADER.fullmatch(line.stripped or "-"):
            table, next_i = _read_table(text, lines, i, end)
        else:
            table, next_i = None, i + 1
        if table is not None:
            tables.append(table)
        i = max(next_i, i + 1)
    return tables


# A markdown table row on one line: "| 1 | Tuyên truyền | 350 |"; separator "|---|:--:|".
MARKDOWN_ROW = re.compile(r"\s*\|.*\|.*\|\s*")
MARKDOWN_RULE = re.compile(r"\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*")


def _is_markdown_row(line: Line) -> bool:
    return bool(MARKDOWN_ROW.fullmatch(line.text)) and not MARKDOWN_RULE.fullmatch(line.text)


def _split_markdown(line: Line) -> list[_Cell]:
    """The cells of one markdown row, with offsets (outer pipes dropped)."""
    cells = []
    inner_start = line.text.index("|") + 1
    inner_end = line.text.rindex("|")
    pos = inner_start
    for piece in line.text[inner_start:inner_end].split("|"):
        a, b = markup_bounds(piece, line.start + pos)
        cells.append(_Cell(a, b, line.text[a - line.start:b - line.start]))
        pos += len(piece) + 1
    return cells


def _read_markdown_table(text: str, lines: list[Line], i: int, end: int) -> tuple[Table | None, int]:
    header = _split_markdown(lines[i])
    rows = [TableRow(tuple(_public(c) for c in header), "header")]
    j = i + 1
    while j < len(lines) and lines[j].start < end and MARKDOWN_ROW.fullmatch(lines[j].text):
        if not MARKDOWN_RULE.fullmatch(lines[j].text):
            rows.extend(_rows_of(_split_markdown(lines[j]), len(header), "markdown", text))
        j += 1
    if len(rows) < 2:
        return None, i + 1
    return _table(text, lines, i, header, rows, "markdown"), j


def _read_table(text: str, lines: list[Line], i: int, end: int) -> tuple[Table | None, int]:
    layout = _layout(lines, i)
    cells, next_i = (_pipe_cells if layout == "pipe" else _paragraph_cells)(text, lines, i, end)
    header_n = _header_size(cells)
    if header_n < 2 or header_n >= len(cells):
        return None, i + 1
    header, body = _trim_empty(cells[:header_n]), cells[header_n:]
    header_n = len(header)
    rows = [TableRow(tuple(_public(c) for c in header), "header")]
    rows += _split_rows(body, header_n, layout, text)
    return _table(text, lines, i, header, rows, layout), next_i


def _table(text: str, lines: list[Line], i: int, header: list[_Cell], rows: list[TableRow],
           layout: str) -> Table:
    """The table whose header cells start at line ``i``: column texts, units, caption."""
    columns = tuple(" ".join(c.text.replace("*", "").split()) for c in header)
    caption = _caption(text, lines, i)
    units = tuple(_unit_of(col) or _unit_of(caption or "") for col in columns)
    last = rows[-1].cells[-1] if rows[-1].cells else header[-1]
    return Table(start=header[0].start, end=last.end, columns=columns, rows=tuple(rows),
                 units=units, caption=caption, layout=layout)


def _layout(lines: list[Line], i: int) -> str:
    for line in lines[i + 1:i + 4]:
        if is_pipe_line(line):
            return "pipe"
        if line.text.strip():
            return "cell_per_line"
    return "cell_per_line"


def _pipe_cells(text: str, lines: list[Line], i: int, end: int) -> tuple[list[_Cell], int]:
    """Cells between "|" lines, from line ``i`` until the pipes stop or ``end``."""
    cells: list[_Cell] = []
    current: list[Line] = []
    gap = 0
    j = i
    while j < len(lines) and lines[j].start < end:
        line = lines[j]
        if is_pipe_line(line):
            cells.append(_make_cell(text, current))
            current, gap = [], 0
        else:
            current.append(line)
            gap += 1
            if gap > _MAX_GAP_LINES:
                current = []
                break
        j += 1
    if current and any(ln.text.strip() for ln in current):
        cells.append(_make_cell(text, current))
    return cells, j


def _paragraph_cells(text: str, lines: list[Line], i: int, end: int) -> tuple[list[_Cell], int]:
    """One cell per non-blank line, from line ``i`` until ``end`` or a heading line such as
    "III. NHIỆM VỤ" or "1. Tuyên truyền" (cell-per-line layout: a row number stands alone
    in its cell, so a numbered line with text is the text after the table)."""
    groups: list[list[Line]] = []
    region = [ln for ln in lines[i:] if ln.start < end]
    width = max((len(ln.text.rstrip()) for ln in region), default=0)
    j = i
    while j < len(lines) and lines[j].start < end:
        s = lines[j].stripped
        if s and _is_heading_after_table(s):
            break
        if s and groups and _continues_cell(groups[-1][-1], s, lines[j - 1], width):
            groups[-1].append(lines[j])  # a cell hard-wrapped onto the next line
        elif s:
            groups.append([lines[j]])
        j += 1
    return [_make_cell(text, g) for g in groups], j


def _continues_cell(prev: Line, s: str, line_before: Line, width: int) -> bool:
    """True for a line that goes on with the cell above: it follows it directly (no blank
    line), starts in lower case, and the cell above was cut at the wrap width mid-sentence
    ("... tiêu dùng bền\nvững"); a short cell above ("... theo VietGAP") keeps a unit cell
    such as "ha" apart."""
    if line_before is not prev or len(prev.text.rstrip()) < _WRAPPED_SHARE * width:
        return False
    return s[0].islower() and not prev.stripped.endswith((".", ";", ":"))


def _is_heading_after_table(s: str) -> bool:
    m = match_marker(s)
    return m is not None and bool(s[m.end():].strip(" *_")) and not m.group("letter")


def _make_cell(text: str, cell_lines: list[Line]) -> _Cell:
    content = [ln for ln in cell_lines if ln.text.strip(" \t\u00a0*_")]
    if not content:
        pos = cell_lines[0].start if cell_lines else 0
        return _Cell(pos, pos, "")
    start, _ = markup_bounds(content[0].text, content[0].start)
    _, end = markup_bounds(content[-1].text, content[-1].start)
    end = max(start, end)
    body = text[start:end]
    return _Cell(start, end, body, bool(BULLET.match(body)))


def _public(cell: _Cell) -> TableCell:
    return TableCell(cell.start, cell.end, cell.text)


def _header_size(cells: list[_Cell]) -> int:
    """Number of header cells: those before the first row marker or group title."""
    for k, cell in enumerate(cells[1:], 1):
        if row_marker(cell.text) is not None or GROUP_TITLE.fullmatch(cell.text.strip("* ")):
            # an empty cell right before a group title belongs to the group row
            return k - 1 if k > 1 and not cells[k - 1].text and not row_marker(cell.text) else k
    return len(cells)


# A capital-letter row marker of a sub-group: "A", "B" (not a roman numeral).
ALPHA_MARKER = re.compile(r"[A-HJ-UWYZ]\.?")
# A roman numeral misread with lower-case "l" for "I": "Ill" -> "III".
MISREAD_ROMAN = re.compile(r"[IVXl]*l[IVXl]*\.?")


def row_marker(s: str) -> tuple[str, str] | None:
    """(kind, marker) when a cell holds only a row number: "I", "Ill" (misread III), "A", "1.2".

    >>> row_marker("Ill"), row_marker("1.2"), row_marker("350 triệu")
    (('roman', 'III'), ('arabic', '1.2'), None)
    """
    s = s.strip("* ")
    if ALPHA_MARKER.fullmatch(s):
        return "alpha", s.rstrip(".")
    if MISREAD_ROMAN.fullmatch(s) and roman_value(s.rstrip(".").replace("l", "I")):
        return "roman", s.rstrip(".").replace("l", "I")
    m = match_marker(s + ".") if s and not s.endswith((".", ")")) else match_marker(s)
    if not m or m.end() < len(s):
        return None
    if m.group("roman"):
        return "roman", m.group("roman")
    if m.group("letter"):
        return None
    return "arabic", (m.group("arabic") or m.group("dotted")).rstrip(".")


class _Numbering:
    """Tracks row numbering so only a plausible next marker starts a row."""

    def __init__(self) -> None:
        self.roman = 0
        self.alpha = "@"  # the character before "A"
        self.path: list[int] = []

    def accepts(self, kind: str, marker: str) -> bool:
        if kind == "alpha":
            return ord(marker) == ord(self.alpha) + 1
        if kind == "roman":
            value = roman_value(marker) or 0
            return value == self.roman + 1
        parts = [int(p) for p in marker.split(".")]
        if not self.path:
            return parts[-1] == 1 or len(parts) == 1
        depth = len(parts)
        if depth <= len(self.path):
            return parts[:-1] == self.path[:depth - 1] and parts[-1] in (self.path[depth - 1] + 1, 1)
        return depth == len(self.path) + 1 and parts[:-1] == self.path and parts[-1] == 1

    def take(self, kind: str, marker: str) -> None:
        if kind == "alpha":
            self.alpha = marker
        elif kind == "roman":
            self.roman = roman_value(marker) or self.roman
            self.alpha = "@"
            self.path = []
        else:
            self.path = [int(p) for p in marker.split(".")]


def _split_rows(body: list[_Cell], width: int, layout: str, text: str) -> list[TableRow]:
    numbering = _Numbering()
    groups: list[list[_Cell]] = []
    for cell in body:
        marker = row_marker(cell.text)
        starts = False
        if marker and numbering.accepts(*marker) and (not groups or len(groups[-1]) >= 2):
            numbering.take(*marker)
            starts = True
        elif GROUP_TITLE.fullmatch(cell.text.strip("* ")) or TOTAL.fullmatch(cell.text.strip("* ")):
            starts = not groups or len(groups[-1]) >= 2
            if starts and GROUP_TITLE.fullmatch(cell.text.strip("* ")):
                numbering.take("roman", cell.text.strip("* ").split(".")[0])
        if starts or not groups:
            groups.append([])
        groups[-1].append(cell)
    rows: list[TableRow] = []
    for group in groups:
        rows.extend(_rows_of(group, width, layout, text))
    return _mark_parent_rows(rows)


def _mark_parent_rows(rows: list[TableRow]) -> list[TableRow]:
    """A numbered row with sub-rows under it (3.1 before 3.1.1, or bullet rows) is a group row."""
    out = list(rows)
    for k, row in enumerate(rows[:-1]):
        if row.kind != "data" or not row.cells:
            continue
        marker = (row_marker(row.cells[0].text) or ("", ""))[1]
        nxt = rows[k + 1]
        child = nxt.kind == "subrow" or (
            nxt.kind == "data" and nxt.cells
            and (row_marker(nxt.cells[0].text) or ("", ""))[1].startswith(marker + "."))
        if marker and child:
            out[k] = TableRow(row.cells, "group")
    return out


def _rows_of(cells: list[_Cell], width: int, layout: str, text: str) -> list[TableRow]:
    """One logical row's cells as a row (plus continuation rows for merged cells)."""
    cells = _trim_empty(cells)
    if layout == "cell_per_line":
        cells = _merge_bullets(cells, width, text)
    first = cells[0].text.strip("* ") if cells else ""
    kind = "data"
    if TOTAL.fullmatch(first):
        kind = "total"
    elif GROUP_TITLE.fullmatch(first) or (row_marker(first) or ("", ""))[0] in ("roman", "alpha"):
        kind = "group"
    head, rest = cells[:width], cells[width:]
    rest = [c for c in rest if c.text] if layout == "pipe" else rest
    rows = [TableRow(tuple(_public(c) for c in head), kind)]
    for chunk in _split_at_bullets(rest):
        kind = "subrow" if chunk[0].bullet else "continuation"
        rows.append(TableRow(tuple(_public(c) for c in chunk), kind))
    return rows


def _split_at_bullets(cells: list[_Cell]) -> list[list[_Cell]]:
    """Cut leftover cells into unnumbered rows, each opened by a bullet cell ("- Tập huấn")."""
    chunks: list[list[_Cell]] = []
    for cell in cells:
        if cell.bullet or not chunks:
            chunks.append([])
        chunks[-1].append(cell)
    return chunks


def _trim_empty(cells: list[_Cell]) -> list[_Cell]:
    out = list(cells)
    while out and not out[-1].text:
        out.pop()
    while out and not out[0].text:
        out.pop(0)
    return out


def _merge_bullets(cells: list[_Cell], width: int, text: str) -> list[_Cell]:
    """Merge consecutive bullet paragraphs of one cell until the row fits ``width``."""
    out = list(cells)
    k = 1
    while len(out) > width and k < len(out):
        if out[k].bullet and out[k - 1].bullet:
            a, b = out[k - 1], out[k]
            out[k - 1] = _Cell(a.start, b.end, text[a.start:b.end], True)
            del out[k]
        else:
            k += 1
    return out


def _caption(text: str, lines: list[Line], i: int) -> str | None:
    """The table's caption: the non-blank lines just above its header (at most four)."""
    got: list[str] = []
    for line in reversed(lines[max(0, i - 8):i]):
        s = line.stripped
        if is_pipe_line(line) or not s:
            if got:
                break
            continue
        got.append(s)
        if len(got) == 4:
            break
    return " ".join(reversed(got)) or None


def _unit_of(s: str) -> str | None:
    m = UNIT.search(s)
    if not m:
        return None
    return " ".join((m.group("unit") or m.group("paren")).split())
