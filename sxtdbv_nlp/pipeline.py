"""The pipeline: raw text -> PlanDocument, stage by stage (see DESIGN.md).

Every stage works on the NFC working text; this module maps their offsets back to the
caller's text once, at the end, so no stage has to care.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from pathlib import Path

from sxtdbv_nlp import ner_model, recognizers
from sxtdbv_nlp.bounds import find_document
from sxtdbv_nlp.errors import NoPlanStructureError, OptionError, SxtdbvWarning
from sxtdbv_nlp.items import find_item_units, keep_unit, legal_basis
from sxtdbv_nlp.links import EntityIndex, link_item
from sxtdbv_nlp.structure import Structure, segment
from sxtdbv_nlp.tables import find_tables
from sxtdbv_nlp.text import (
    DEFAULT_MAX_CHARS,
    Line,
    NormalizedText,
    ensure_text,
    normalize,
    read_text,
    split_lines,
)
from sxtdbv_nlp.themes import keyword_theme
from sxtdbv_nlp.types import (
    DocumentBounds,
    DocumentPart,
    Entity,
    Header,
    Item,
    PlanDocument,
    Section,
    Table,
    TableCell,
    TableRow,
)

__all__ = ["analyze", "analyze_file"]

#: How items get their theme: the trained classifier, or the keyword baseline (no ML import).
THEME_SOURCES = ("model", "keywords")
NO_STRUCTURE = "no plan structure found: no issuing-body header, document title or roman heading"


def analyze(text: str, doc_id: str | None = None, *, strict: bool = False,
            max_chars: int = DEFAULT_MAX_CHARS, themes: str = "model") -> PlanDocument:
    """Analyse one plan and return a :class:`PlanDocument` whose offsets index ``text``.

    Empty or whitespace-only text, binary data and text over ``max_chars`` raise a
    :class:`~sxtdbv_nlp.errors.SxtdbvError`. Text with no recognisable plan structure
    gives a result with ``document`` None and a warning in ``warnings`` (and a
    :class:`~sxtdbv_nlp.errors.SxtdbvWarning`), or raises
    :class:`~sxtdbv_nlp.errors.NoPlanStructureError` when ``strict`` is True.

    ``themes`` chooses how items get their theme: ``"model"`` (the trained classifier in
    models/, the default: 69% leave-one-plan-out accuracy) or ``"keywords"`` (the keyword
    baseline, 55%: no scikit-learn or underthesea is loaded, and analysis is about 3.5 times
    faster; for large corpora where themes matter less).

    >>> doc = analyze("ỦY BAN NHÂN DÂN\\nTỈNH PHÚ THỌ\\n-------\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
    ...               "Số: 12/KH-UBND\\nPhú Thọ, ngày 2 tháng 3 năm 2021\\nKẾ HOẠCH\\nVỀ SẢN XUẤT BỀN VỮNG\\n"
    ...               "I. MỤC TIÊU\\nGiảm 5% tiêu hao năng lượng.")
    >>> doc.header.issuer, doc.header.date, [s.title for s in doc.sections]
    ('Ủy ban nhân dân tỉnh Phú Thọ', '2021-03-02', ['MỤC TIÊU'])
    """
    if themes not in THEME_SOURCES:
        raise OptionError(f"themes={themes!r}; expected one of {', '.join(THEME_SOURCES)}")
    ensure_text(text, max_chars=max_chars)
    norm = normalize(text)
    work = norm.text
    lines = split_lines(work)
    bounds = find_document(work, lines)
    if bounds is None:
        if strict:
            raise NoPlanStructureError(NO_STRUCTURE)
        warnings.warn(NO_STRUCTURE, SxtdbvWarning, stacklevel=2)
        return PlanDocument(text=text, doc_id=doc_id, warnings=(NO_STRUCTURE,))
    tables = find_tables(work, lines, bounds.start, bounds.end)
    structure = segment(work, lines, bounds, tables)
    structure = dataclasses.replace(structure, header=_resolved_issuer(structure.header))
    entities = recognizers.recognize(work, bounds, tables=tables, header=structure.header)
    entities = ner_model.fuse(work, bounds, entities, header=structure.header, tables=tables)
    items = _items(work, lines, bounds, structure, tables, entities, themes=themes)
    basis = legal_basis(work, bounds, structure.sections, entities)
    return _assemble(text, doc_id, norm, bounds, tables, structure, entities, items, basis)


def _items(work: str, lines: list[Line], bounds: DocumentBounds, structure: Structure,
           tables: list[Table], entities: list[Entity], *, themes: str) -> list[Item]:
    """Tasks and targets with their links and themes (working-text offsets).

    Themes: the trained classifier of :mod:`sxtdbv_nlp.classify` (item text + enclosing
    heading titles) when its model card says it beat the keyword baseline on held-out
    plans, else (and with ``themes="keywords"``) :func:`~sxtdbv_nlp.themes.keyword_theme`.
    """
    units = [u for u in find_item_units(work, lines, bounds, structure.sections, tables)
             if keep_unit(u, entities)]
    title = structure.header.title
    index = EntityIndex(entities)
    items = [link_item(f"i{k}", unit, work, index, plan_title=title) for k, unit in enumerate(units, 1)]
    if themes == "model" and items:
        from sxtdbv_nlp import classify  # the model and underthesea load on first use

        texts = [work[i.start:i.end] for i in items]
        titles = [tuple(s.title for s in unit.scope) for unit in units]
        items = classify.theme_items(items, texts, titles)
    return [i if i.theme is not None else dataclasses.replace(i, theme=keyword_theme(work[i.start:i.end]))
            for i in items]


def _resolved_issuer(header: Header) -> Header:
    """The header with its issuer written as the resolved agency's canonical name
    ("BỘ CÔNG THƯƠNG" -> "Bộ Công Thương"), when the gazetteer knows it."""
    if header.issuer is None:
        return header
    from sxtdbv_nlp.resolve import resolve

    match = resolve(header.issuer)
    if match is None or match.group:
        return header
    return dataclasses.replace(header, issuer=match.canonical)


def analyze_file(path: str | os.PathLike[str], doc_id: str | None = None, *,
                 strict: bool = False, max_chars: int = DEFAULT_MAX_CHARS,
                 themes: str = "model") -> PlanDocument:
    """Read (UTF-8, UTF-16 or Windows-1258) and analyse a plan file; ``doc_id`` defaults to its stem."""
    path = Path(path)
    text = read_text(path, max_chars=max_chars)
    doc = analyze(text, doc_id or path.stem, strict=strict, max_chars=max_chars, themes=themes)
    return dataclasses.replace(doc, text_file=str(path))


def _assemble(text: str, doc_id: str | None, norm: NormalizedText, bounds: DocumentBounds,
              tables: list[Table], structure: Structure, entities: list[Entity],
              items: list[Item], basis: list[str]) -> PlanDocument:
    """Build the result, mapping every working-text offset back to the caller's text."""
    warn: list[str] = []
    if not structure.sections:
        warn.append("no headings found")
    if structure.header.issuer is None:
        warn.append("no issuing body found in the header")
    if structure.signature is None:
        warn.append("no signature block found: the text may be an excerpt or cut short")
    m = _OffsetMapper(norm)
    return PlanDocument(
        text=text,
        doc_id=doc_id,
        document=m.bounds(bounds),
        header=structure.header,
        sections=tuple(m.section(s) for s in structure.sections),
        entities=tuple(m.entity(e) for e in entities),
        items=tuple(m.item(i) for i in items),
        legal_basis=tuple(basis),
        tables=tuple(m.table(t) for t in tables),
        parts=tuple(m.part(p) for p in structure.parts),
        signature=None if structure.signature is None else m.bounds(structure.signature),
        warnings=tuple(warn),
    )


class _OffsetMapper:
    """Maps result objects from NFC working-text offsets to the caller's raw text."""

    def __init__(self, norm: NormalizedText) -> None:
        self.norm = norm

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_raw(start, end)

    def bounds(self, b: DocumentBounds) -> DocumentBounds:
        return DocumentBounds(*self.span(b.start, b.end))

    def part(self, p: DocumentPart) -> DocumentPart:
        start, end = self.span(p.start, p.end)
        return dataclasses.replace(p, start=start, end=end)

    def section(self, s: Section) -> Section:
        start, end = self.span(s.start, s.end)
        return dataclasses.replace(s, start=start, end=end)

    def entity(self, e: Entity) -> Entity:
        start, end = self.span(e.start, e.end)
        return dataclasses.replace(e, start=start, end=end, text=self.norm.raw[start:end])

    def item(self, i: Item) -> Item:
        start, end = self.span(i.start, i.end)
        return dataclasses.replace(i, start=start, end=end)

    def cell(self, c: TableCell) -> TableCell:
        start, end = self.span(c.start, c.end)
        return TableCell(start, end, self.norm.raw[start:end])

    def table(self, t: Table) -> Table:
        start, end = self.span(t.start, t.end)
        rows = tuple(TableRow(tuple(self.cell(c) for c in r.cells), r.kind) for r in t.rows)
        return dataclasses.replace(t, start=start, end=end, rows=rows)



