"""Stage 5b, links: tie each item to its lead, partners, budget, time and values (guide §4).

Sources, in order of precedence for each role:

1. the item's own attribute lines or table cells ("- Đơn vị chủ trì: X", column "Phối hợp");
2. the item's own text: "X chủ trì", "phối hợp với Y", an item opening with an agency;
3. the headings that scope it: the agency heading ("1. Sở Công Thương:") leads every item
   under it; the nearest heading with a period or deadline ("a) Trong giai đoạn 2021 - 2025")
   times items that have none of their own.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.items import ItemUnit, table_column_roles
from sxtdbv_nlp.layout import BULLET, is_field_line
from sxtdbv_nlp.text import split_lines
from sxtdbv_nlp.types import Entity, Item, Section, TableCell, TableRow

__all__ = ["EntityIndex", "link_item"]

ROLE_LABELS = {
    "lead": ("AGENCY",), "partners": ("AGENCY",), "budget": ("MONEY",),
    "time": ("DEADLINE", "PERIOD"), "values": ("PERCENT", "QUANTITY"),
}
# What may stand between two agencies of one list: "Sở Tài chính, các sở, ban, ngành và UBND ..."
LIST_GAP = re.compile(r"[\s,;]*(?:(?:và|cùng|với|các|có\s+liên\s+quan|liên\s+quan)[\s,;]*)*", re.IGNORECASE)
# The plan named by its document type, where it restates its title: "Kế hoạch thực hiện ...".
PLAN_NAME = re.compile(r"Kế\s+hoạch\s+(?!này)")
# What may open an item before its subject agency: markup, "Các".
SUBJECT_GAP = re.compile(r"[\s*_]*(?:các\s+)?", re.IGNORECASE)
# The name of another programme that a time expression may belong to, ending right before
# it in the same sentence: "Triển khai Chương trình phát triển công nghiệp ... đến 2030",
# "Đề án “Tăng cường ... đến năm 2025”". (The plan's own name: see _names_this_plan.)
PROGRAMME_NAME = re.compile(r"(?:Chương\s+trình|Đề\s+án|Chiến\s+lược|Quy\s+hoạch|[“\"])"
                            r"(?:(?!\.\s|;|”)[\s\S]){0,200}$")
# A deadline for submitting or finishing something is never part of a document's name.
SUBMISSION_DEADLINE = re.compile(r"(?:trước|chậm\s+nhất|hạn)\b", re.IGNORECASE)
_NAME_REACH = 200  # characters before a time expression searched for a document it belongs to
_AGENCY_HEADING_SHARE = 0.5  # share of a heading title that agency names must cover


@cache
def _cue_patterns() -> tuple[re.Pattern[str], ...]:
    """Cue patterns from data/link_cues.tsv: (lead after an agency, lead before agencies,
    partners before agencies, an asking verb right after an agency, an adverbial opening
    before the subject)."""
    recs = load_records("link_cues.tsv")

    def alternation(role: str) -> str:
        cues = sorted((r["cue"] for r in recs if r["role"] == role), key=len, reverse=True)
        return "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)

    lead_after = re.compile(rf"[\s,]*(?:{alternation('lead_after')})\b", re.IGNORECASE)
    lead_before = re.compile(rf"\b(?:{alternation('lead_before')})[\s:]*(?:các\s+)?$", re.IGNORECASE)
    partner = re.compile(rf"\b(?:{alternation('partners_before')})[\s:]*(?:các\s+)?$", re.IGNORECASE)
    asks = re.compile(rf"[\s,]*(?:{alternation('lead_before')})\b", re.IGNORECASE)
    generic = rf"(?:các\s+)?(?:{alternation('generic')})"
    generics = rf"(?:{generic}(?:\s*,\s*{generic})*\s*,\s*)"
    opening = re.compile(rf"[\s*_]*(?:(?:{alternation('opening')})\b[^.;:]*?,\s*{generics}?|{generics})"
                         rf"(?:các\s+)?", re.IGNORECASE)
    return lead_after, lead_before, partner, asks, opening


@cache
def _field_roles() -> dict[str, str]:
    """Attribute lead-in (case-folded, single spaces) -> role, from data/item_fields.tsv."""
    return {" ".join(r["phrase"].casefold().split()): r["role"] for r in load_records("item_fields.tsv")}


def link_item(item_id: str, unit: ItemUnit, text: str, entities: Sequence[Entity],
              theme: str | None = None, *, plan_title: str | None = None) -> Item:
    """The :class:`Item` for ``unit`` with every role filled from the evidence above.

    ``plan_title`` (the header title) keeps times that only restate the plan's own name
    from being linked.
    """
    links = (_row_links(unit, entities) if unit.row is not None
             else _text_links(unit, text, entities, plan_title))
    if not links["lead"] and unit.intro is not None:
        links["lead"] = _ids(_within(entities, *unit.intro, ("AGENCY",)))
    if not links["lead"]:
        links["lead"] = _heading_agencies(unit.scope, text, entities)
        if not links["lead"] and unit.group_lead is not None:
            links["lead"] = _ids(_within(entities, *unit.group_lead, ("AGENCY",)))
    if not links["time"] and unit.intro is not None:
        links["time"] = _ids(_within(entities, *unit.intro, ROLE_LABELS["time"]))
    if not links["time"] and unit.caption is not None:
        links["time"] = _ids(_within(entities, *unit.caption, ROLE_LABELS["time"]))
    if not links["time"]:
        links["time"] = _heading_times(unit.scope, entities)
    links["partners"] = [e for e in links["partners"] if e not in links["lead"]]
    return Item(id=item_id, kind=unit.kind, start=unit.start, end=unit.end, theme=theme,
                **{role: tuple(dict.fromkeys(ids)) for role, ids in links.items()})


def _within(entities: Sequence[Entity], start: int, end: int, labels: Sequence[str]) -> list[Entity]:
    """Entities of ``labels`` inside ``[start, end)``; by bisection when ``entities`` is an
    :class:`EntityIndex` (the pipeline's), so that linking stays linear in the plan's size."""
    if isinstance(entities, EntityIndex):
        return entities.within(start, end, labels)
    return [e for e in entities if start <= e.start and e.end <= end and e.label in labels]


class EntityIndex(tuple):  # type: ignore[type-arg]
    """Entities sorted by start, with their starts for bisection (a tuple of Entity)."""

    starts: tuple[int, ...]

    def __new__(cls, entities: Sequence[Entity]) -> EntityIndex:
        self = super().__new__(cls, sorted(entities, key=lambda e: (e.start, e.end)))
        self.starts = tuple(e.start for e in self)
        return self

    def within(self, start: int, end: int, labels: Sequence[str]) -> list[Entity]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [e for e in self[lo:hi] if e.end <= end and e.label in labels]


def _ids(entities: Sequence[Entity]) -> list[str]:
    return [e.id for e in entities]


def _empty() -> dict[str, list[str]]:
    return {role: [] for role in ROLE_LABELS}


def _text_links(unit: ItemUnit, text: str, entities: Sequence[Entity], plan_title: str | None
                ) -> dict[str, list[str]]:
    links = _empty()
    own = _within(entities, unit.start, unit.end, [lab for labs in ROLE_LABELS.values() for lab in labs])
    links["values"] = _ids(e for e in own if e.label in ROLE_LABELS["values"])
    links["budget"] = _ids(e for e in own if e.label == "MONEY")
    links["time"] = _ids(e for e in own if e.label in ROLE_LABELS["time"]
                         and not _in_document_name(e, text, unit.start, entities)
                         and not _names_this_plan(e, text, unit.start, plan_title))
    agencies = [e for e in own if e.label == "AGENCY"]
    links["lead"], links["partners"] = _cued_agencies(agencies, text, unit.start)
    _merge(links, _field_links(text, unit.end, unit.block_end, entities))
    return links


def _names_this_plan(ent: Entity, text: str, start: int, plan_title: str | None) -> bool:
    """True when a time expression ends a restatement of the plan's own title
    ("Trên đây là Kế hoạch thực hiện ... giai đoạn 2023 - 2025"): the plan's title never
    times an item (guide §7)."""
    if not plan_title:
        return False
    before = text[max(start, ent.start - _NAME_REACH):ent.start]
    openings = list(PLAN_NAME.finditer(before))
    if not openings or re.search(r"\.\s|;", before[openings[-1].end():]):
        return False
    restated = _words(before[openings[-1].end():])[:5]
    return len(restated) >= 3 and restated == _words(plan_title)[:len(restated)]


def _words(s: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFC", s).casefold()).split()


def _in_document_name(ent: Entity, text: str, start: int, entities: Sequence[Entity]) -> bool:
    """True when a time expression belongs to the name of another document or programme:
    a legal reference earlier in the same sentence ("Kế hoạch số 3595/KH-UBND ... đến năm
    2030"), or a programme name or quotation that runs up to it."""
    if SUBMISSION_DEADLINE.match(ent.text) or (ent.label == "DEADLINE" and ent.value.date is None):
        return False  # a deadline to act by, or a recurrence, is never part of a name
    window_start = max(start, ent.start - _NAME_REACH)
    if PROGRAMME_NAME.search(text, window_start, ent.start):
        return True
    for ref in _within(entities, window_start, ent.start, ("LEGAL_REF",)):
        between = text[ref.end:ent.start]
        if ";" not in between and ". " not in between:
            return True
    return False


def _cued_agencies(agencies: list[Entity], text: str, item_start: int) -> tuple[list[str], list[str]]:
    """Leads and partners named in the item's own text by their cue words.

    A cue reaches along a list: in "phối hợp với Sở Tài chính, Sở Xây dựng và UBND các
    huyện" all three are partners; in "Sở Xây dựng, Sở Công Thương chủ trì" both lead;
    an item opening with agencies ("Các sở, ngành, UBND cấp xã có trách nhiệm ...") is led
    by them unless they only ask others ("UBND tỉnh yêu cầu các sở ...").
    """
    lead_after, lead_before, partner_cue, asks_cue, opening = _cue_patterns()
    roles: list[str | None] = []
    for k, ent in enumerate(agencies):
        before = text[max(item_start, ent.start - 40):ent.start]
        role = roles[-1] if k and roles[-1] and _listed(text, agencies[k - 1], ent) else None
        if partner_cue.search(before):
            role = "partners"
        elif lead_before.search(before):
            role = "lead"
        opens = k == 0 and (SUBJECT_GAP.fullmatch(text, item_start, ent.start) is not None
                            or opening.fullmatch(text, item_start, ent.start) is not None)
        if (opens and not asks_cue.match(text, ent.end)) or lead_after.match(text, ent.end):
            role = "lead"
            for j in range(k - 1, -1, -1):  # the list before a lead cue leads too
                if roles[j] is not None or not _listed(text, agencies[j], agencies[j + 1]):
                    break
                roles[j] = "lead"
        roles.append(role)
    lead = [e.id for e, r in zip(agencies, roles, strict=True) if r == "lead"]
    partners = [e.id for e, r in zip(agencies, roles, strict=True) if r == "partners"]
    return lead, partners


def _listed(text: str, a: Entity, b: Entity) -> bool:
    """True when only list punctuation and connectives stand between agencies ``a`` and ``b``."""
    return LIST_GAP.fullmatch(text, a.end, b.start) is not None


def _field_links(text: str, start: int, end: int, entities: Sequence[Entity]) -> dict[str, list[str]]:
    """Links from attribute lines in ``[start, end)``: "- Đơn vị phối hợp: Sở Tài chính, ...".

    An attribute runs from its lead-in to the next lead-in, bullet or blank line, so a list
    wrapped over several lines stays whole, and one line may hold several attributes
    ("- Chủ trì: Sở Văn hoá ...; phối hợp: Sở Công Thương, UBND các xã").
    """
    links = _empty()
    role: str | None = None
    field_start = start
    for line in split_lines(text[start:end]):
        body = line.text.strip()
        if is_field_line(body) or not body or BULLET.match(body):
            _close_field(links, role, field_start, start + line.start, entities)
            role, field_start = None, start + line.start
        for lead_in in _lead_ins().finditer(text, start + line.start, start + line.end):
            if lead_in.start() == start + line.start or role is not None:
                _close_field(links, role, field_start, lead_in.start(), entities)
                role, field_start = _field_role(lead_in.group("phrase")), lead_in.end()
    _close_field(links, role, field_start, end, entities)
    return links


@cache
def _lead_ins() -> re.Pattern[str]:
    """An attribute lead-in at a line start or after ";" within an attribute line."""
    phrases = sorted((r["phrase"] for r in load_records("item_fields.tsv")), key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?:^|(?<=[;\n]))[-+•\s*]*(?P<phrase>{alternatives})\s*:",
                      re.IGNORECASE | re.MULTILINE)


def _field_role(phrase: str) -> str | None:
    return _field_roles().get(" ".join(phrase.casefold().split()))


def _close_field(links: dict[str, list[str]], role: str | None, start: int, end: int,
                 entities: Sequence[Entity]) -> None:
    if role in ROLE_LABELS:
        links[role] += _ids(_within(entities, start, end, ROLE_LABELS[role]))


def _merge(links: dict[str, list[str]], extra: dict[str, list[str]]) -> None:
    """Add ``extra`` links (attribute lines) before those found in the item's own text."""
    for role, ids in extra.items():
        links[role] = list(dict.fromkeys(ids + links[role]))


def _row_links(unit: ItemUnit, entities: Sequence[Entity]) -> dict[str, list[str]]:
    """Links from the cells of a table row, by the role of each column.

    A bullet sub-row has no cells of its own for the columns: its money is its first
    amount (the total), its time and lead are its parent row's.
    """
    assert unit.row is not None
    if unit.row.kind == "subrow":
        links = _empty()
        links["values"] = _ids(_within(entities, unit.start, unit.end, ROLE_LABELS["values"]))
        money = _within(entities, unit.end, unit.block_end, ("MONEY",))
        links["budget"] = _ids(money[:1])
    else:
        links = _cells_links(unit.row, table_column_roles(unit.columns), entities)
    for parent in reversed(unit.parents):  # the nearest numbered parent row that has one
        inherited = _cells_links(parent, table_column_roles(unit.columns), entities)
        for role in ("lead", "partners", "time"):
            links[role] = links[role] or inherited[role]
    return links


def _cells_links(row: TableRow, roles: Sequence[str | None], entities: Sequence[Entity]
                 ) -> dict[str, list[str]]:
    links = _empty()
    for cell, role in zip(row.cells, roles, strict=False):
        if role in ("lead", "partners"):
            _cell_agencies(cell, role, entities, links)
        elif role == "time":
            links["time"] += _ids(_within(entities, cell.start, cell.end, ROLE_LABELS["time"]))
        elif role == "budget_total":
            links["budget"] += _ids(_within(entities, cell.start, cell.end, ("MONEY",)))
        elif role in ("name", "content"):
            links["values"] += _ids(_within(entities, cell.start, cell.end, ROLE_LABELS["values"]))
            links["time"] += _ids(_within(entities, cell.start, cell.end, ROLE_LABELS["time"]))
        elif role not in ("number", "note", "budget_year", "unit"):
            # counts of a target table ("Năm 2025", "Số lượng") or a product column
            links["values"] += _ids(_within(entities, cell.start, cell.end, ROLE_LABELS["values"]))
    return links


def _cell_agencies(cell: TableCell, role: str, entities: Sequence[Entity],
                   links: dict[str, list[str]]) -> None:
    """Agencies of a lead or partner cell; attribute lines inside it override the column."""
    fields = _field_links(cell.text, 0, len(cell.text), [
        _shift(e, -cell.start) for e in _within(entities, cell.start, cell.end, ("AGENCY",))])
    if fields["lead"] or fields["partners"]:
        links["lead"] += fields["lead"]
        links["partners"] += fields["partners"]
        return
    links[role] += _ids(_within(entities, cell.start, cell.end, ("AGENCY",)))


def _shift(e: Entity, by: int) -> Entity:
    return replace(e, start=e.start + by, end=e.end + by)


def _heading_agencies(scope: Sequence[Section], text: str, entities: Sequence[Entity]) -> list[str]:
    """Agencies of the innermost agency heading that scopes the item ("1. Sở Công Thương")."""
    for section in reversed(scope[1:]):
        found = _within(entities, section.start, section.end, ("AGENCY",))
        covered = sum(e.end - e.start for e in found)
        title_len = len(section.title.replace(" ", "")) or 1
        if found and covered / title_len >= _AGENCY_HEADING_SHARE * 0.8:
            return _ids(found)
    return []


def _heading_times(scope: Sequence[Section], entities: Sequence[Entity]) -> list[str]:
    """Periods and deadlines of the innermost heading below the top level that has any."""
    for section in reversed(scope):
        found = _within(entities, section.start, section.end, ROLE_LABELS["time"])
        if found:
            return _ids(found)
    return []
