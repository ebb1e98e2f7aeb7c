"""Stage 5, items: tasks and targets, and the legal basis of the plan (guide §4).

An item is a task or a target at the finest level the text gives: a bullet, a
lettered or numbered point that is not a heading, a paragraph directly under an agency
heading, or a data row of an appendix table (its span is the task-name cell). Links to
entities are made by :mod:`sxtdbv_nlp.links`; this module only finds the items.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sxtdbv_nlp.layout import (
    BULLET,
    Paragraph,
    is_field_line,
    marker_kind,
    match_marker,
    paragraphs,
)
from sxtdbv_nlp.recognizers.cells import column_role
from sxtdbv_nlp.text import Line
from sxtdbv_nlp.types import DocumentBounds, Entity, Section, Table, TableRow

__all__ = ["ItemUnit", "enclosing_sections", "find_item_units", "keep_unit", "legal_basis",
           "table_column_roles"]

# Level-1 roles whose points are items; purpose and viewpoint bullets never are (guide §7).
# Sections of role "other" (situation reports, risk assessments) hold no items either.
ITEM_ROLES = frozenset({"objectives", "tasks", "budget", "organization", "appendix"})
# Sub-headings whose points are general objectives or vision statements, not items.
GENERAL_OBJECTIVE = re.compile(r"mục tiêu (?:tổng quát|chung)|tầm nhìn", re.IGNORECASE)
# The recipients' list and filing codes after a document's body: "Nơi nhận:".
RECIPIENTS = re.compile(r"\s*\**\s*Nơi\s+nhận\s*:", re.IGNORECASE)
# Cues of the preamble: "Căn cứ ...", "Thực hiện ..." name the plan's basis; "Theo đề nghị
# của Sở Công Thương tại Tờ trình số 61/TTr-SCT" names a proposal, which is not a basis.
CUE = re.compile(r"(?P<basis>căn\s+cứ|thực\s+hiện)\b|(?P<proposal>(?:theo|xét)\s+đề\s+nghị)\b",
                 re.IGNORECASE)
# Words after which a legal reference is inside another document's title, not a basis:
# "Quyết định số 889/QĐ-TTg ... phê duyệt Chương trình ...", "... về thực hiện Nghị quyết số 57".
TITLE_WORDS = re.compile(
    r"\b(?:về|phê\s+duyệt|ban\s+hành|sửa\s+đổi|thực\s+hiện|triển\s+khai|hướng\s+dẫn|quy\s+định)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ItemUnit:
    """A found item before linking: its span, kind, scope and where its attributes are.

    ``block_end`` is the end of the item's own block (its text plus the attribute lines
    under it, "- Đơn vị phối hợp: ..."); ``row`` and ``columns`` are set for table rows.
    """

    start: int
    end: int
    kind: str
    block_end: int
    scope: tuple[Section, ...]
    row: TableRow | None = None
    columns: tuple[str, ...] = ()
    group_lead: tuple[int, int] | None = None  # span of a table group row naming an agency
    parents: tuple[TableRow, ...] = ()  # numbered rows a sub-row belongs to (3.1, 3.1.1 for 3.1.1.a)
    intro: tuple[int, int] | None = None  # a bullet introducing this one ("- Bộ Công Thương")
    plain: bool = False  # a paragraph with no marker or bullet
    caption: tuple[int, int] | None = None  # a table's caption, between its heading and header


def find_item_units(text: str, lines: list[Line], bounds: DocumentBounds,
                    sections: Sequence[Section], tables: Sequence[Table]) -> list[ItemUnit]:
    """All items of the document, in document order."""
    skipped = _recipient_blocks(lines, bounds, sections) + [(t.start, t.end) for t in tables]
    inside = [ln for ln in lines if ln.end > bounds.start and ln.start < bounds.end]
    paras = [p for p in paragraphs(inside) if not any(a <= p.start < b for a, b in skipped)]
    heading_starts = {s.start for s in sections}
    scopes = _Scopes.of(sections)
    units = _text_units(text, paras, scopes, heading_starts)
    for table in tables:
        units.extend(_table_units(table, scopes))
    return sorted(units, key=lambda u: u.start)


def _recipient_blocks(lines: list[Line], bounds: DocumentBounds, sections: Sequence[Section]
                      ) -> list[tuple[int, int]]:
    """Spans of "Nơi nhận:" lists: from the line to the next top-level heading or document end.

    A decision may carry its own recipients and signature before the plan it approves, so
    each list is skipped on its own rather than cutting the document at the first one.
    """
    blocks = []
    tops = sorted(s.start for s in sections if s.level == 1)
    for line in lines:
        if bounds.start <= line.start < bounds.end and RECIPIENTS.match(line.text):
            end = next((t for t in tops if t > line.start), bounds.end)
            blocks.append((line.start, end))
    return blocks


def enclosing_sections(sections: Sequence[Section], pos: int) -> tuple[Section, ...]:
    """The headings that enclose ``pos``, outermost first (``sections`` in document order).

    >>> secs = [Section(0, 5, 1, "I", "NHIỆM VỤ"), Section(6, 9, 2, "1", "Tuyên truyền"),
    ...         Section(30, 35, 2, "2", "Chính sách")]
    >>> [s.title for s in enclosing_sections(secs, 20)]
    ['NHIỆM VỤ', 'Tuyên truyền']
    """
    return _Scopes.of(sections).at(pos)


@dataclass(frozen=True)
class _Scopes:
    """The chain of enclosing headings after each heading, for lookups by bisection."""

    starts: tuple[int, ...]
    chains: tuple[tuple[Section, ...], ...]

    @classmethod
    def of(cls, sections: Sequence[Section]) -> _Scopes:
        chain: list[Section] = []
        chains = []
        for s in sections:
            while chain and chain[-1].level >= s.level:
                chain.pop()
            chain.append(s)
            chains.append(tuple(chain))
        return cls(tuple(s.start for s in sections), tuple(chains))

    def at(self, pos: int) -> tuple[Section, ...]:
        k = bisect.bisect_left(self.starts, pos)
        return self.chains[k - 1] if k else ()


def _text_units(text: str, paras: list[Paragraph], scopes: _Scopes,
                heading_starts: set[int]) -> list[ItemUnit]:
    units: list[ItemUnit] = []
    intro: tuple[int, int, str] | None = None  # span of an introducing bullet and its bullet char
    for k, para in enumerate(paras):
        raw = text[para.start:para.end]
        if para.start in heading_starts:
            intro = None
            continue
        scope = scopes.at(para.start)
        if not _in_item_section(scope) or is_field_line(raw):
            continue
        nxt = text[paras[k + 1].start:paras[k + 1].end] if k + 1 < len(paras) else ""
        bullet = _bullet_char(raw)
        if intro is not None and not _under_intro(intro[2], bullet, raw):
            intro = None
        if _introduces(raw, nxt) or (bullet and _introduces_by_bullet(raw, nxt)):
            intro = (para.start, para.end, bullet or "")
            continue
        start = _after_marker(raw, para.start)
        plain = start is None
        if plain and not (intro or _is_plain_item(scope, paras, k, heading_starts, text)):
            continue
        start = para.start if start is None else start
        block_end = _block_end(paras, k, text, heading_starts)
        kind = "target" if scope[0].role == "objectives" else "task"
        units.append(ItemUnit(start, para.end, kind, block_end, scope,
                              intro=intro[:2] if intro else None, plain=plain))
    return units


def _under_intro(intro_bullet: str, bullet: str | None, raw: str) -> bool:
    """True while paragraphs stay under an introducing line: deeper bullets, or plain text."""
    if bullet is not None:
        return _bullet_depth(bullet) > _bullet_depth(intro_bullet or "-") if intro_bullet else True
    return match_marker(raw) is None


def _bullet_char(raw: str) -> str | None:
    m = BULLET.match(raw)
    return raw[:m.end()].strip() if m else None


# Bullet characters from the outer to the inner level: "- Bộ Công Thương" holds "+ ..." items.
BULLET_LEVELS = ("-", "+", "•")


def _bullet_depth(bullet: str) -> int:
    char = bullet.strip("* ")[:1]
    return BULLET_LEVELS.index(char) if char in BULLET_LEVELS else len(BULLET_LEVELS)


def _introduces(raw: str, nxt: str) -> bool:
    """True for a line that only introduces bullets under it ("... như sau:")."""
    return raw.rstrip(" *_").endswith(":") and bool(BULLET.match(nxt)) and not is_field_line(nxt)


def _introduces_by_bullet(raw: str, nxt: str) -> bool:
    """True for a bullet that heads others: "- Bộ Công Thương" above "+ ..." bullets, or a
    short label bullet above plain paragraphs ("- Thủy sản" above its targets)."""
    nbullet = _bullet_char(nxt)
    if nbullet:
        return _bullet_depth(nbullet) > _bullet_depth(_bullet_char(raw) or "-")
    short_label = len(raw) <= 80 and not raw.rstrip(" *_").endswith((".", ";"))
    return short_label and bool(nxt) and nbullet is None and not match_marker(nxt)


def _in_item_section(scope: tuple[Section, ...]) -> bool:
    if not scope or scope[0].role not in ITEM_ROLES:
        return False
    return not any(GENERAL_OBJECTIVE.search(s.title) for s in scope[1:])


def _after_marker(raw: str, start: int) -> int | None:
    """Start of the item text after its bullet or point marker; None for a plain paragraph."""
    m = match_marker(raw)
    if m is None:
        m = BULLET.match(raw)
    if m is None:
        return None
    rest = raw[m.end():]
    return start + m.end() + (len(rest) - len(rest.lstrip(" *_\t")))


def _is_plain_item(scope: tuple[Section, ...], paras: list[Paragraph], k: int,
                   heading_starts: set[int], text: str) -> bool:
    """Whether a paragraph with no marker is an item.

    In organization and budget sections every such paragraph is a candidate (closing
    paragraphs assign reporting duties; budget candidates are kept only if they name an
    agency, see :func:`keep_unit`). In task sections it is an item when it is the only
    text under its heading: not an introduction to sub-headings or points below it.
    """
    role = scope[0].role if scope else None
    if role in ("organization", "budget"):
        return True
    if len(scope) < 2 or role != "tasks":
        return False
    prev_is_heading = k > 0 and paras[k - 1].start in heading_starts
    nxt = paras[k + 1] if k + 1 < len(paras) else None
    if nxt is None:
        return prev_is_heading
    nraw = text[nxt.start:nxt.end]
    # the only text under its heading: a sibling or higher heading follows
    return prev_is_heading and nxt.start in heading_starts and not _is_child_marker(scope[-1], nraw)


def _is_child_marker(parent: Section, raw: str) -> bool:
    """True when heading text ``raw`` is a sub-heading of ``parent`` ("1.1." under "1.")."""
    m = match_marker(raw)
    if m is None:
        return False
    kind, marker = marker_kind(m)
    if kind == "letter":
        return True
    if kind == "roman":
        return False
    return marker.rstrip(".").count(".") + 2 > parent.level


def keep_unit(unit: ItemUnit, entities: Sequence[Entity]) -> bool:
    """Filters that need entities.

    Budget-section candidates are items only when they assign a duty to an agency:
    "Ngân sách Trung ương: 4.800 triệu đồng" states a funding source and is not an item
    (guide §7); "Sở Tài chính chủ trì bố trí kinh phí ..." is. An unmarked paragraph under
    objectives is a target only when it carries a value (a percentage or a count).
    """
    role = unit.scope[0].role if unit.scope else None
    if role not in ("budget", "objectives"):
        return True
    own = [e for e in entities if unit.start <= e.start < unit.block_end]
    if role == "budget":
        return any(e.label == "AGENCY" for e in own)
    if role == "objectives" and unit.plain:
        return any(e.label in ("PERCENT", "QUANTITY") for e in own)
    return True


def _block_end(paras: list[Paragraph], k: int, text: str, heading_starts: set[int]) -> int:
    """End of the item's attribute lines ("- Đơn vị thực hiện: ...") that follow it.

    An attribute line whose list goes on after ";" or "," into a new line
    ("- Đơn vị phối hợp: các sở, ban ngành;\nỦy ban nhân dân quận, huyện.") keeps that line.
    """
    end = paras[k].end
    in_field = False
    for para in paras[k + 1:]:
        raw = text[para.start:para.end]
        if para.start in heading_starts:
            break
        continues = in_field and text[end - 1] in ",;" and not (match_marker(raw) or BULLET.match(raw))
        if not (is_field_line(raw) or continues):
            break
        in_field = True
        end = para.end
    return end


# ---------------------------------------------------------------- tables


# A header naming one year of a budget ("Kinh phí 2022"), not a period or a total.
_ONE_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_YEAR_RANGE = re.compile(r"\b(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}\b")


def table_column_roles(columns: Sequence[str]) -> tuple[str | None, ...]:
    """The role of each column from its header text (data/table_columns.tsv, read by
    :func:`sxtdbv_nlp.recognizers.cells.column_role`), with the distinctions items need:
    "Kinh phí 2022" is one year's split, not the total; a "Nội dung" column is the task
    name where no other column is."""
    roles: list[str | None] = []
    for col in columns:
        folded = " ".join(col.casefold().split())
        role = column_role(col)
        if role == "budget_total" and _ONE_YEAR.search(folded) and "tổng" not in folded \
                and not _YEAR_RANGE.search(folded):
            role = "budget_year"
        roles.append(role)
    if "name" not in roles and "content" in roles:
        roles[roles.index("content")] = "name"
    return tuple(roles)


def _table_units(table: Table, scopes: _Scopes) -> list[ItemUnit]:
    """One item per data row (span: its name cell) and per bullet sub-row (span: its text)."""
    roles = table_column_roles(table.columns)
    if "name" not in roles:
        return []
    name_col = roles.index("name")
    scope = scopes.at(table.start)
    caption = (scope[-1].end, table.start) if scope else None
    kind = "target" if table.columns[name_col].casefold().startswith("chỉ tiêu") else "task"
    units: list[ItemUnit] = []
    group: tuple[int, int] | None = None
    parents: list[TableRow] = []
    for row in table.rows:
        if row.kind != "subrow":
            parents = [p for p in parents if _is_child_row(p, row)]
        if row.kind == "group":
            if _is_top_group(row):
                group = (row.cells[1].start, row.cells[1].end) if len(row.cells) > 1 else None
                parents = []
            else:
                parents.append(row)
            continue
        if row.kind == "subrow":
            cell = row.cells[0]
            start = cell.start + len(cell.text) - len(cell.text.lstrip("-+•–— \t"))
            units.append(ItemUnit(start, cell.end, kind, row.cells[-1].end, scope, row,
                                  table.columns, group, tuple(parents), caption=caption))
            continue
        if row.kind != "data" or len(row.cells) <= name_col or not row.cells[name_col].text.strip():
            continue
        cell = row.cells[name_col]
        units.append(ItemUnit(cell.start, cell.end, kind, row.cells[-1].end, scope, row,
                              table.columns, group, tuple(parents), caption=caption))
    return units


def _row_number(row: TableRow) -> str:
    return row.cells[0].text.strip("* .") if row.cells else ""


def _is_top_group(row: TableRow) -> bool:
    """A roman or capital-letter group row ("I | Sở Công Thương"), not a numbered parent row."""
    number = _row_number(row)
    return not number[:1].isdigit()


def _is_child_row(parent: TableRow, row: TableRow) -> bool:
    return _row_number(row).startswith(_row_number(parent) + ".")


# ---------------------------------------------------------------- legal basis


def legal_basis(text: str, bounds: DocumentBounds, sections: Sequence[Section],
                entities: Sequence[Entity]) -> list[str]:
    """Ids of the LEGAL_REF entities the preamble names as the plan's basis (guide §4, §7).

    A reference counts when the last cue before it is "Căn cứ" or "Thực hiện" (not "Theo
    đề nghị") and its clause (from that cue or the last ";") holds no word that opens
    another document's title ("về", "phê duyệt", ...): references joined by "và" or ","
    count, a reference inside another's title does not.
    """
    first_heading = min((s.start for s in sections if s.level == 1), default=bounds.end)
    basis: list[str] = []
    for ref in entities:
        if ref.label != "LEGAL_REF" or not bounds.start <= ref.start < first_heading:
            continue
        cues = [c for c in CUE.finditer(text, bounds.start, ref.start) if _opens_clause(text, c.start())]
        if not cues or cues[-1].group("proposal"):
            continue
        clause_start = max(cues[-1].end(), text.rfind(";", bounds.start, ref.start) + 1)
        if not TITLE_WORDS.search(text, clause_start, ref.start):
            basis.append(ref.id)
    return basis


def _opens_clause(text: str, pos: int) -> bool:
    """True when only markup stands between ``pos`` and the line start or the last ";"."""
    before = text[max(text.rfind("\n", 0, pos), text.rfind(";", 0, pos)) + 1:pos]
    return not before.strip(" \t*_")
