"""Scoring against gold annotations, exactly as ANNOTATION_GUIDE.md §6 says.

Counts are the primitive: :class:`PRF` (tp, fp, fn) and :class:`Accuracy` (correct,
total) add up, :class:`Scores` holds all counts of one document and adds up over a
corpus, and every rate is derived from counts at the end.

- Entities: strict (same start, end, label) and overlap (same label, spans overlap;
  a maximum one-to-one matching) P/R/F1 per label and micro. Predicted entities,
  sections and items lying wholly outside the gold document proper are ignored, and so
  are legal-basis entries pointing at such entities.
- Values, among strictly matched entities: AGENCY ``canonical`` compared NFC,
  case-folded, single-spaced (``group`` follows from it); LEGAL_REF ``id`` compared
  case-insensitively (§7) and ``doc_type`` exactly; other labels by equality on the
  guide's keys. Extra keys (AGENCY ``id``, ``successor``) are ignored.
- Items match when they overlap by at least half of the gold span (one-to-one, greedy
  by overlap); item P/R/F1, theme and kind accuracy on matched items. Each
  (item, role, entity) triple is scored per role, predicted ids mapped to gold ids
  through the item matching and the strict entity matching.
- Sections: heading spans strict; level accuracy on matched headings, role accuracy on
  matched headings whose gold heading has a role (level 1).
- Header: exact match per field, skipping fields the gold header lacks. Legal basis:
  P/R/F1 through strictly matched entities. Document bounds: exact-match count.

>>> report = evaluate_dirs(Path("annotations"))  # doctest: +SKIP
>>> print(report.format_table())  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sxtdbv_nlp.corpus import load_annotations
from sxtdbv_nlp.errors import AnnotationError
from sxtdbv_nlp.types import LABELS, Entity, EntityValue, Item, PlanDocument
from sxtdbv_nlp.validate import validate_dir

__all__ = [
    "HEADER_FIELDS",
    "LINK_ROLES",
    "PRF",
    "TRAINABLE",
    "Accuracy",
    "EvaluationReport",
    "Scores",
    "evaluate",
    "evaluate_dirs",
    "score_document",
    "values_equal",
]

HEADER_FIELDS = ("issuer", "number", "place", "date", "title", "signer")
LINK_ROLES = ("lead", "partners", "budget", "time", "values")
CV_MODES = ("lodo",)

Trainer = Callable[[list[PlanDocument]], Callable[[PlanDocument], PlanDocument]]


def _lazy_trainer(module: str, name: str) -> Trainer:
    """A trainer imported on first use, so that importing this module loads no ML library."""

    def train(docs: list[PlanDocument]) -> Callable[[PlanDocument], PlanDocument]:
        import importlib

        trainer: Trainer = getattr(importlib.import_module(module), name)
        return trainer(docs)

    return train


#: Trainable components for cross-validation: name -> train(gold docs) -> apply(prediction).
#: Each mirrors the pipeline as shipped: a component whose model card says the pipeline does
#: not use it (the rules or the keyword baseline won) leaves the prediction unchanged.
TRAINABLE: dict[str, Trainer] = {
    "theme": _lazy_trainer("sxtdbv_nlp.classify", "lodo_theme_trainer"),
    "ner": _lazy_trainer("sxtdbv_nlp.ner_model", "lodo_ner_trainer"),
}

# The keys of each label's value that the guide defines (§3); others are ignored.
_GUIDE_KEYS = {
    "MONEY": ("amount", "currency"), "PERCENT": ("low", "high"), "QUANTITY": ("low", "high"),
    "DATE": ("date",), "DEADLINE": ("date", "recurrence"), "PERIOD": ("start", "end"),
}


# ---------------------------------------------------------------- counts


@dataclass(frozen=True)
class PRF:
    """True positives, false positives, false negatives; rates are 0.0 when undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0

    @property
    def support(self) -> int:
        """Gold count."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @classmethod
    def of(cls, gold: Iterable[Hashable], pred: Iterable[Hashable]) -> PRF:
        """Counts for exact matching of keys, each key matching at most once.

        >>> PRF.of(["a", "b"], ["b", "b", "c"])
        PRF(tp=1, fp=2, fn=1)
        """
        gold_keys, pred_keys = Counter(gold), Counter(pred)
        tp = sum((gold_keys & pred_keys).values())
        return cls(tp, pred_keys.total() - tp, gold_keys.total() - tp)

    def to_dict(self) -> dict[str, float | int]:
        return {"p": self.precision, "r": self.recall, "f": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class Accuracy:
    """``correct`` out of ``total``; ``value`` is None when nothing was scored."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, float | int | None]:
        return {"acc": self.value, "correct": self.correct, "total": self.total}


def _prf_map(keys: Sequence[str]) -> dict[str, PRF]:
    return {k: PRF() for k in keys}


def _acc_map(keys: Sequence[str]) -> dict[str, Accuracy]:
    return {k: Accuracy() for k in keys}


@dataclass(frozen=True)
class Scores:
    """All counts for one document, or summed over many (``+``)."""

    entities: Mapping[str, PRF] = field(default_factory=lambda: _prf_map(LABELS))
    overlap: Mapping[str, PRF] = field(default_factory=lambda: _prf_map(LABELS))
    values: Mapping[str, Accuracy] = field(default_factory=lambda: _acc_map(LABELS))
    items: PRF = PRF()
    theme: Accuracy = Accuracy()
    kind: Accuracy = Accuracy()
    links: Mapping[str, PRF] = field(default_factory=lambda: _prf_map(LINK_ROLES))
    sections: PRF = PRF()
    section_level: Accuracy = Accuracy()
    section_role: Accuracy = Accuracy()
    header: Mapping[str, Accuracy] = field(default_factory=lambda: _acc_map(HEADER_FIELDS))
    legal_basis: PRF = PRF()
    bounds: Accuracy = Accuracy()

    def __add__(self, other: Scores) -> Scores:
        summed: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            summed[f.name] = ({k: mine[k] + theirs[k] for k in mine}
                              if isinstance(mine, Mapping) else mine + theirs)
        return Scores(**summed)

    @property
    def entities_micro(self) -> PRF:
        return sum(self.entities.values(), PRF())

    @property
    def overlap_micro(self) -> PRF:
        return sum(self.overlap.values(), PRF())

    @property
    def values_micro(self) -> Accuracy:
        return sum(self.values.values(), Accuracy())

    @property
    def links_micro(self) -> PRF:
        return sum(self.links.values(), PRF())

    @property
    def header_micro(self) -> Accuracy:
        return sum(self.header.values(), Accuracy())

    def to_dict(self) -> dict[str, Any]:
        """Flat, JSON-able: ``ents_p``, ``ents_per_type``, ``items_f``... (spaCy's naming)."""
        out: dict[str, Any] = {}
        out.update(_flat("ents", self.entities_micro))
        out.update(_flat("ents_overlap", self.overlap_micro))
        out["values_acc"] = self.values_micro.value
        out["ents_per_type"] = {label: {**self.entities[label].to_dict(),
                                        "overlap_f": self.overlap[label].f1,
                                        "value_acc": self.values[label].value,
                                        "support": self.entities[label].support}
                                for label in self.entities}
        out.update(_flat("items", self.items))
        out["items_theme_acc"], out["items_kind_acc"] = self.theme.value, self.kind.value
        out.update(_flat("links", self.links_micro))
        out["links_per_role"] = {role: prf.to_dict() for role, prf in self.links.items()}
        out.update(_flat("sections", self.sections))
        out["sections_level_acc"] = self.section_level.value
        out["sections_role_acc"] = self.section_role.value
        out["header_acc"] = self.header_micro.value
        out["header_per_field"] = {k: acc.to_dict() for k, acc in self.header.items()}
        out.update(_flat("legal_basis", self.legal_basis))
        out["bounds_acc"] = self.bounds.value
        out["bounds_correct"], out["bounds_total"] = self.bounds.correct, self.bounds.total
        return out


def _flat(prefix: str, prf: PRF) -> dict[str, float | int]:
    return {f"{prefix}_{k}": v for k, v in prf.to_dict().items()}


@dataclass(frozen=True)
class EvaluationReport:
    """Corpus totals, per-document scores (in gold order) and notes on how it was run."""

    total: Scores
    documents: Mapping[str, Scores]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.total.to_dict(), "n_documents": len(self.documents),
                "documents": {doc_id: _doc_summary(s) for doc_id, s in self.documents.items()},
                "notes": list(self.notes)}

    def format_table(self) -> str:
        """A fixed-width terminal report: entities per label, items and links, sections,
        header, legal basis, bounds, then one line per document."""
        from sxtdbv_nlp.report import report_lines

        return "\n".join(report_lines(self))


def _doc_summary(s: Scores) -> dict[str, Any]:
    return {"ents_f": s.entities_micro.f1, "ents_overlap_f": s.overlap_micro.f1,
            "values_acc": s.values_micro.value, "items_f": s.items.f1,
            "links_f": s.links_micro.f1, "sections_f": s.sections.f1,
            "header_acc": s.header_micro.value, "legal_basis_f": s.legal_basis.f1,
            "bounds_acc": s.bounds.value}


# ---------------------------------------------------------------- scoring one document


def score_document(gold: PlanDocument, pred: PlanDocument) -> Scores:
    """All counts for one gold document and its prediction (same text)."""
    if pred.text != gold.text:
        raise AnnotationError(f"prediction for {gold.doc_id} indexes a different text "
                              f"(sha256 {pred.text_sha256[:12]} != {gold.text_sha256[:12]})")
    pred = _inside(pred, gold)
    pairs = _strict_pairs(gold.entities, pred.entities)
    ent_map = {p.id: g.id for g, p in pairs}
    item_pairs = _item_pairs(gold.items, pred.items)
    item_map = {p.id: g.id for g, p in item_pairs}
    level, role = _section_accuracy(gold, pred)
    return Scores(
        entities={label: _strict_counts(gold.entities, pred.entities, label) for label in LABELS},
        overlap={label: _overlap_counts(gold.entities, pred.entities, label) for label in LABELS},
        values={label: _value_accuracy(pairs, label) for label in LABELS},
        items=PRF(len(item_pairs), len(pred.items) - len(item_pairs),
                  len(gold.items) - len(item_pairs)),
        theme=Accuracy(sum(g.theme == p.theme for g, p in item_pairs), len(item_pairs)),
        kind=Accuracy(sum(g.kind == p.kind for g, p in item_pairs), len(item_pairs)),
        links={role: _link_counts(gold.items, pred.items, role, item_map, ent_map)
               for role in LINK_ROLES},
        sections=PRF.of(((s.start, s.end) for s in gold.sections),
                        ((s.start, s.end) for s in pred.sections)),
        section_level=level, section_role=role,
        header={f: _header_accuracy(gold, pred, f) for f in HEADER_FIELDS},
        legal_basis=PRF.of(gold.legal_basis, (_mapped(ent_map, e) for e in pred.legal_basis)),
        bounds=Accuracy(int(pred.document == gold.document), 1) if gold.document else Accuracy(),
    )


def _inside(pred: PlanDocument, gold: PlanDocument) -> PlanDocument:
    """The prediction without spans lying wholly outside the gold document proper."""
    if gold.document is None:
        return pred
    lo, hi = gold.document.start, gold.document.end

    def keep(span: Any) -> bool:
        return span.end > lo and span.start < hi

    dropped = {e.id for e in pred.entities if not keep(e)}
    return dataclasses.replace(
        pred, entities=tuple(e for e in pred.entities if keep(e)),
        sections=tuple(s for s in pred.sections if keep(s)),
        items=tuple(i for i in pred.items if keep(i)),
        legal_basis=tuple(e for e in pred.legal_basis if e not in dropped))


def _strict_pairs(gold: Sequence[Entity], pred: Sequence[Entity]) -> list[tuple[Entity, Entity]]:
    """One-to-one pairs with the same start, end and label."""
    waiting: dict[tuple[int, int, str], list[Entity]] = {}
    for g in gold:
        waiting.setdefault((g.start, g.end, g.label), []).append(g)
    pairs = []
    for p in pred:
        candidates = waiting.get((p.start, p.end, p.label))
        if candidates:
            pairs.append((candidates.pop(0), p))
    return pairs


def _strict_counts(gold: Sequence[Entity], pred: Sequence[Entity], label: str) -> PRF:
    return PRF.of(((e.start, e.end) for e in gold if e.label == label),
                  ((e.start, e.end) for e in pred if e.label == label))


def _overlap_counts(gold: Sequence[Entity], pred: Sequence[Entity], label: str) -> PRF:
    """Same label, overlapping spans, each entity matched at most once (maximum matching)."""
    golds = [g for g in gold if g.label == label]
    preds = [p for p in pred if p.label == label]
    adjacency = [[j for j, g in enumerate(golds) if _overlap(p, g) > 0] for p in preds]
    tp = _max_matching(adjacency, len(golds))
    return PRF(tp, len(preds) - tp, len(golds) - tp)


def _max_matching(adjacency: list[list[int]], n_right: int) -> int:
    """Size of a maximum bipartite matching (augmenting paths, Kuhn's algorithm)."""
    owner = [-1] * n_right

    def augment(left: int, seen: set[int]) -> bool:
        for right in adjacency[left]:
            if right not in seen:
                seen.add(right)
                if owner[right] < 0 or augment(owner[right], seen):
                    owner[right] = left
                    return True
        return False

    return sum(augment(left, set()) for left in range(len(adjacency)))


def _overlap(a: Any, b: Any) -> int:
    """Number of characters two spans share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _value_accuracy(pairs: Sequence[tuple[Entity, Entity]], label: str) -> Accuracy:
    scored = [(g, p) for g, p in pairs if g.label == label]
    return Accuracy(sum(values_equal(label, g.value, p.value) for g, p in scored), len(scored))


def values_equal(label: str, gold: EntityValue, pred: EntityValue) -> bool:
    """Whether a predicted value counts as correct (ANNOTATION_GUIDE.md §6, §7).

    >>> from sxtdbv_nlp.types import AgencyValue
    >>> values_equal("AGENCY", AgencyValue("Sở Công Thương tỉnh Phú Thọ"),
    ...              AgencyValue("sở công  thương Tỉnh Phú Thọ", id="so-ct-pt"))
    True
    """
    g, p = gold.to_dict(), pred.to_dict()
    if label == "AGENCY":
        return _fold(g.get("canonical")) == _fold(p.get("canonical"))
    if label == "LEGAL_REF":
        return (_fold(g.get("id")) == _fold(p.get("id"))
                and g.get("doc_type") == p.get("doc_type"))
    keys = _GUIDE_KEYS.get(label, tuple(g))
    return all(g.get(k) == p.get(k) for k in keys)


def _fold(name: str | None) -> str | None:
    """NFC, case-folded, runs of white space made single."""
    if name is None:
        return None
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _item_pairs(gold: Sequence[Item], pred: Sequence[Item]) -> list[tuple[Item, Item]]:
    """One-to-one item pairs sharing at least half of the gold span, greedy by overlap."""
    candidates = sorted(
        ((-_overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
         if _overlap(g, p) > 0 and 2 * _overlap(g, p) >= g.end - g.start))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gold[gi], pred[pi]))
    return pairs


def _link_counts(gold: Sequence[Item], pred: Sequence[Item], role: str,
                 item_map: Mapping[str, str], ent_map: Mapping[str, str]) -> PRF:
    """(item, role, entity) triples of one role, predicted ids mapped to gold ids."""
    gold_triples = {(i.id, e) for i in gold for e in getattr(i, role)}
    pred_triples = {(_mapped(item_map, i.id), _mapped(ent_map, e))
                    for i in pred for e in getattr(i, role)}
    return PRF.of(gold_triples, pred_triples)


def _mapped(mapping: Mapping[str, str], pred_id: str) -> Hashable:
    """The gold id a predicted id was matched to, else a key no gold id can equal."""
    return mapping.get(pred_id, ("unmatched", pred_id))


def _section_accuracy(gold: PlanDocument, pred: PlanDocument) -> tuple[Accuracy, Accuracy]:
    """Level accuracy on matched headings; role accuracy on those whose gold has a role."""
    by_span = {(s.start, s.end): s for s in pred.sections}
    matched = [(g, by_span[(g.start, g.end)]) for g in gold.sections
               if (g.start, g.end) in by_span]
    with_role = [(g, p) for g, p in matched if g.role is not None]
    return (Accuracy(sum(g.level == p.level for g, p in matched), len(matched)),
            Accuracy(sum(g.role == p.role for g, p in with_role), len(with_role)))


def _header_accuracy(gold: PlanDocument, pred: PlanDocument, name: str) -> Accuracy:
    expected = getattr(gold.header, name)
    if expected is None:
        return Accuracy()
    return Accuracy(int(getattr(pred.header, name) == expected), 1)


# ---------------------------------------------------------------- corpus level


def evaluate(gold: Sequence[PlanDocument], pred: Sequence[PlanDocument]) -> EvaluationReport:
    """Score predictions against gold documents, paired by ``doc_id``.

    A gold document without a prediction is scored against an empty one; predictions
    without a gold document are ignored. Both cases are listed in the report's notes.
    """
    preds = _by_doc_id(pred, "prediction")
    notes = []
    documents: dict[str, Scores] = {}
    for doc_id, g in _by_doc_id(gold, "gold").items():
        p = preds.pop(doc_id, None)
        if p is None:
            notes.append(f"no prediction for {doc_id}: scored as an empty prediction")
            p = PlanDocument(text=g.text, doc_id=doc_id)
        documents[doc_id] = score_document(g, p)
    if preds:
        notes.append(f"predictions without gold, ignored: {', '.join(sorted(preds))}")
    return EvaluationReport(sum(documents.values(), Scores()), documents, tuple(notes))


def _by_doc_id(docs: Sequence[PlanDocument], what: str) -> dict[str, PlanDocument]:
    out: dict[str, PlanDocument] = {}
    for doc in docs:
        if doc.doc_id is None or doc.doc_id in out:
            raise AnnotationError(f"{what} documents need unique doc_ids; got {doc.doc_id!r} "
                                  "twice or none")
        out[doc.doc_id] = doc
    return out


def evaluate_dirs(gold_dir: Path, pred_dir: Path | None = None, *,
                  cv: str | None = None) -> EvaluationReport:
    """Evaluate the gold files in ``gold_dir`` against ``pred_dir/<doc_id>.json`` or, without
    ``pred_dir``, against the library run on each gold file's text.

    ``cv="lodo"``: leave one document out; every component in :data:`TRAINABLE` is trained
    on the other documents' gold and applied to the held-out document's prediction.
    """
    if cv is not None and cv not in CV_MODES:
        raise ValueError(f"unknown cross-validation mode {cv!r}; expected one of {CV_MODES}")
    gold_dir = Path(gold_dir)
    gold = load_annotations(gold_dir)
    notes: list[str] = []
    problems = validate_dir(gold_dir)
    if problems:
        notes.append(f"gold has {len(problems)} validation problems (first: {problems[0]}); "
                     "run `sxtdbv validate`")
    preds = [_prediction(g, gold_dir, pred_dir, notes) for g in gold]
    if pred_dir is None:
        notes.insert(0, "predictions: sxtdbv_nlp.analyze_file on each gold text_file")
    else:
        notes.insert(0, f"predictions: {pred_dir}")
    if cv == "lodo":
        preds = _leave_one_out(gold, preds, notes)
    report = evaluate(gold, preds)
    return dataclasses.replace(report, notes=(*notes, *report.notes))


def _prediction(gold: PlanDocument, gold_dir: Path, pred_dir: Path | None,
                notes: list[str]) -> PlanDocument:
    """The prediction for one gold document: read from ``pred_dir`` or made by the library."""
    if pred_dir is None:
        from sxtdbv_nlp.corpus import find_text_file
        from sxtdbv_nlp.pipeline import analyze_file

        annotation = Path(gold_dir) / f"{gold.doc_id}.json"
        return analyze_file(find_text_file(gold.text_file or "", annotation), doc_id=gold.doc_id)
    path = Path(pred_dir) / f"{gold.doc_id}.json"
    if not path.exists():
        notes.append(f"no prediction file {path}: scored as an empty prediction")
        return PlanDocument(text=gold.text, doc_id=gold.doc_id)
    return _read_prediction(path, gold)


def _read_prediction(path: Path, gold: PlanDocument) -> PlanDocument:
    """A prediction file, indexing the gold document's text (checked by doc_id and hash)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AnnotationError(f"{path}: cannot read prediction: {exc}") from None
    if not isinstance(data, dict) or data.get("doc_id") != gold.doc_id:
        raise AnnotationError(f"{path}: not a prediction for {gold.doc_id!r}")
    sha = data.get("text_sha256")
    if sha is not None and sha != gold.text_sha256:
        raise AnnotationError(f"{path}: text_sha256 {str(sha)[:12]} differs from the gold "
                              f"text's {gold.text_sha256[:12]}; offsets cannot be compared")
    return PlanDocument.from_dict(data, gold.text)


def _leave_one_out(gold: Sequence[PlanDocument], preds: Sequence[PlanDocument],
                   notes: list[str]) -> list[PlanDocument]:
    """Apply every trainable component, trained without the held-out document."""
    if not TRAINABLE:
        notes.append("cv=lodo: no trainable components are registered, so nothing was "
                     "trained; each held-out document was scored on its prediction as made "
                     "above (no trained component applied)")
        return list(preds)
    out = []
    for n, pred in enumerate(preds):
        train = [g for m, g in enumerate(gold) if m != n]
        for trainer in TRAINABLE.values():
            pred = trainer(train)(pred)
        out.append(pred)
    notes.append(f"cv=lodo over {len(gold)} documents; trained: {', '.join(TRAINABLE)}")
    return out


# ---------------------------------------------------------------- the terminal table
