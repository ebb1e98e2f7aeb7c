"""The evaluation report as a fixed-width terminal table (``sxtdbv evaluate``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sxtdbv_nlp.types import LABELS

if TYPE_CHECKING:
    from sxtdbv_nlp.evaluate import PRF, Accuracy, EvaluationReport, Scores

__all__ = ["report_lines"]


def report_lines(report: EvaluationReport) -> list[str]:
    """The lines of :meth:`EvaluationReport.format_table`."""
    t = report.total
    lines = [f"sxtdbv_nlp evaluation: {len(report.documents)} documents "
             "(P/R/F1 and accuracies in %; '-' = nothing to score)"]
    lines += [f"note: {n}" for n in report.notes]
    entity_rows = [_entity_row(label, t.entities[label], t.overlap[label], t.values[label])
                   for label in LABELS]
    entity_rows.append(_entity_row("micro", t.entities_micro, t.overlap_micro, t.values_micro))
    lines += _table(("ENTITIES (strict)", "P", "R", "F1", "overlap F1", "value acc", "gold",
                     "pred"), entity_rows)
    link_rows = [[f"  {role}", *_prf_cells(prf), "", "", *_counts(prf)]
                 for role, prf in t.links.items()]
    lines += _table(("ITEMS & LINKS", "P", "R", "F1", "theme acc", "kind acc", "gold", "pred"),
                    [["items", *_prf_cells(t.items), _pct(t.theme.value), _pct(t.kind.value),
                      *_counts(t.items)],
                     *link_rows,
                     ["links micro", *_prf_cells(t.links_micro), "", "",
                      *_counts(t.links_micro)]])
    lines += _table(("SECTIONS", "P", "R", "F1", "level acc", "role acc", "gold", "pred"),
                    [["headings", *_prf_cells(t.sections), _pct(t.section_level.value),
                      _pct(t.section_role.value), *_counts(t.sections)]])
    lines += _table(("HEADER", "acc", "correct", "total"),
                    [[name, _pct(acc.value), str(acc.correct), str(acc.total)]
                     for name, acc in [*t.header.items(), ("all fields", t.header_micro)]])
    lines += _table(("LEGAL BASIS", "P", "R", "F1", "gold", "pred"),
                    [["entries", *_prf_cells(t.legal_basis), *_counts(t.legal_basis)]])
    lines += _table(("DOCUMENT BOUNDS", "exact", "total"),
                    [["documents", str(t.bounds.correct), str(t.bounds.total)]])
    return lines + _table(("PER DOCUMENT", "ents F1", "ovl F1", "val acc", "items F1",
                           "links F1", "sect F1", "header", "bounds"),
                          [_document_row(doc_id, s) for doc_id, s in report.documents.items()])


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A blank line, then a header and rows: first column left-aligned, the others right."""
    table = [list(headers), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    return ["", *("  ".join([row[0].ljust(widths[0]),
                             *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))])
                  for row in table)]


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def _prf_cells(prf: PRF) -> list[str]:
    """P, R, F1 as percentages; '-' where the denominator is zero."""
    return [_pct(prf.precision if prf.predicted else None),
            _pct(prf.recall if prf.support else None),
            _pct(prf.f1 if prf.predicted or prf.support else None)]


def _counts(prf: PRF) -> list[str]:
    return [str(prf.support), str(prf.predicted)]


def _entity_row(name: str, strict: PRF, overlap: PRF, value: Accuracy) -> list[str]:
    return [name, *_prf_cells(strict), _prf_cells(overlap)[2], _pct(value.value),
            *_counts(strict)]


def _document_row(doc_id: str, s: Scores) -> list[str]:
    bounds = "-" if not s.bounds.total else ("yes" if s.bounds.correct else "no")
    return [doc_id, _pct(s.entities_micro.f1), _pct(s.overlap_micro.f1), _pct(s.values_micro.value),
            _pct(s.items.f1), _pct(s.links_micro.f1), _pct(s.sections.f1),
            f"{s.header_micro.correct}/{s.header_micro.total}", bounds]
