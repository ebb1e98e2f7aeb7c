"""Stage 3b: a statistical NER (spaCy, blank "vi", rule tokenizer), fused with the rules.

The model is trained from the gold files on chunks of the document proper
(:func:`chunks`: paragraphs, list points, lines ending a sentence), predicted on the
same chunks, and configured by ``data/ner_config.cfg`` (no download, fixed seed).

Fusion policy (:func:`fuse_spans`, :func:`fuse`):

1. Rules win: every rule entity is kept as it is.
2. A model span is added only if its label is one of the card's ``fused_labels`` (the
   labels for which rules + model beat rules alone on held-out plans when the model was
   trained) and it overlaps no rule entity.
3. Its value comes from the rules' own canonicalisation: AGENCY through
   :mod:`sxtdbv_nlp.recognizers.canonical` (the gazetteer body the span's longest prefix
   names, with the jurisdiction after it read by ``parse_suffix``; else the open-class
   name, cleaned and given the issuer's jurisdiction); other labels by running the rule
   recognisers on the span text alone and taking a candidate covering it whole, else a
   value whose fields are None. Its ``source`` is ``"ner_model"``.

With no fused label the model is not even loaded, and the rule entities come back as
they were.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from sxtdbv_nlp.models import NER, is_installed, load_spacy, read_card, warn_missing
from sxtdbv_nlp.text import trim_span
from sxtdbv_nlp.types import (
    DocumentBounds,
    Entity,
    EntityValue,
    Header,
    PlanDocument,
    Table,
    value_from_dict,
)

__all__ = [
    "SOURCE",
    "Span",
    "chunks",
    "config_text",
    "fuse",
    "fuse_spans",
    "lodo_ner_trainer",
    "model_value",
    "predict_spans",
    "train_ner",
]

SOURCE = "ner_model"
CONFIG = "ner_config.cfg"
# Chunk ends: a blank line; a line break before a list marker, a table pipe or bold text;
# a line break after a sentence or list-introducing punctuation.
_BREAK = re.compile(r"""\n[ \t]*\n\s*
    | [ \t]*\n[ \t]*(?=[-+•]\s|\d+(?:\.\d+)*\.\s|[a-zđ]\)\s|[IVXLC]+\.\s|\||\*\*)
    | (?<=[.!?;:])[ \t]*\n\s*""", re.VERBOSE)
# The required keys of each label's value, all None: the value of a span no rule reads.
_UNKNOWN = {"AGENCY": {"canonical": None}, "LEGAL_REF": {"id": None}, "MONEY": {"amount": None},
            "PERCENT": {"low": None, "high": None}, "QUANTITY": {"low": None, "high": None},
            "DATE": {"date": None}, "DEADLINE": {}, "PERIOD": {"start": None, "end": None}}


@dataclass(frozen=True, order=True)
class Span:
    """A labelled character span predicted by the model."""

    start: int
    end: int
    label: str


# ---------------------------------------------------------------- chunks


def chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank pieces of ``text[start:end]`` that the model reads one at a time.

    >>> t = "1. Sở Tài chính:\\n- Chủ trì, phối hợp\\nvới các sở.\\n\\nGhi chú"
    >>> [t[s:e] for s, e in chunks(t, 0, len(t))]
    ['1. Sở Tài chính:', '- Chủ trì, phối hợp\\nvới các sở.', 'Ghi chú']
    """
    pieces, pos = [], start
    for m in _BREAK.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    return [t for t in (trim_span(text, s, e) for s, e in pieces) if t[0] < t[1]]


def _gold_chunks(doc: PlanDocument) -> list[tuple[int, int]]:
    """:func:`chunks` of a gold document, joined where a gold entity crosses a chunk end."""
    lo, hi = (doc.document.start, doc.document.end) if doc.document else (0, len(doc.text))
    inside = {p for e in doc.entities for p in range(e.start + 1, e.end)}
    merged: list[tuple[int, int]] = []
    for s, e in chunks(doc.text, lo, hi):
        if merged and (merged[-1][1] in inside or s in inside):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


# ---------------------------------------------------------------- training


def config_text() -> str:
    """The committed spaCy config (``sxtdbv_nlp/data/ner_config.cfg``)."""
    return resources.files("sxtdbv_nlp.data").joinpath(CONFIG).read_text(encoding="utf-8")


def _config(seed: int, epochs: int | None) -> Any:
    from spacy import util

    config = util.load_config_from_str(config_text(), interpolate=False)
    config["system"]["seed"] = seed
    if epochs is not None:
        config["training"]["max_epochs"] = epochs
    return config.interpolate()


def _examples(nlp: Any, docs: Sequence[PlanDocument]) -> list[Any]:
    from spacy.training import Example

    out = []
    for doc in sorted(docs, key=lambda d: d.doc_id or ""):
        for s, e in _gold_chunks(doc):
            ents = [(x.start - s, x.end - s, x.label) for x in sorted(doc.entities, key=lambda x: x.start)
                    if s <= x.start and x.end <= e]
            out.append(Example.from_dict(nlp.make_doc(doc.text[s:e]), {"entities": ents}))
    return out


def train_ner(docs: Sequence[PlanDocument], *, seed: int = 0, epochs: int | None = None) -> Any:
    """A spaCy pipeline trained on the gold entities of ``docs`` (fixed seed, fixed epochs)."""
    from spacy import util

    config = _config(seed, epochs)
    util.fix_random_seed(seed)
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    examples = _examples(nlp, docs)
    training = config["training"]
    resolved = util.registry.resolve({"optimizer": training["optimizer"], "batcher": training["batcher"]})
    optimizer = nlp.initialize(lambda: examples, sgd=resolved["optimizer"])
    rng = random.Random(seed)
    for _epoch in range(int(training["max_epochs"])):
        rng.shuffle(examples)
        for batch in resolved["batcher"](examples):
            nlp.update(batch, drop=float(training["dropout"]), sgd=optimizer)
    return nlp


def predict_spans(nlp: Any, text: str, start: int, end: int) -> list[Span]:
    """Entities the model finds in ``text[start:end]``, as absolute character spans."""
    pieces = chunks(text, start, end)
    out: list[Span] = []
    for (s, _), sdoc in zip(pieces, nlp.pipe(text[a:b] for a, b in pieces), strict=True):
        out.extend(Span(s + e.start_char, s + e.end_char, e.label_) for e in sdoc.ents)
    return sorted(out)


# ---------------------------------------------------------------- fusion


def fuse_spans(rules: Sequence[Entity], spans: Sequence[Span], labels: Sequence[str]) -> list[Span]:
    """The model spans that fusion adds: of a label in ``labels``, overlapping no rule entity.

    >>> from sxtdbv_nlp.types import AgencyValue
    >>> rule = Entity("e1", 0, 14, "AGENCY", "Sở Công Thương", AgencyValue("Sở Công Thương"))
    >>> fuse_spans([rule], [Span(3, 14, "AGENCY"), Span(20, 30, "AGENCY"), Span(40, 44, "MONEY")],
    ...            ["AGENCY"])
    [Span(start=20, end=30, label='AGENCY')]
    """
    taken = sorted((e.start, e.end) for e in rules)
    return [sp for sp in sorted(spans) if sp.label in labels
            and not any(sp.start < e and s < sp.end for s, e in taken)]


def fuse(text: str, bounds: DocumentBounds, rule_entities: Sequence[Entity], *,
         header: Header | None = None, tables: Sequence[Table] = (),
         models: Path | None = None) -> list[Entity]:
    """Rule entities plus the shipped model's spans, by the module's policy.

    Offsets index ``text`` (the pipeline's working text). When spans are added, all
    entities are renumbered "e1", "e2"... in document order; otherwise ``rule_entities``
    come back unchanged. Without an installed model it warns and returns the rule entities;
    a broken or incompatible model raises :class:`~sxtdbv_nlp.errors.ModelError`.
    """
    if not is_installed(NER, models):
        warn_missing(NER, models)
        return list(rule_entities)
    labels = tuple(read_card(NER, models).settings.get("fused_labels") or ())
    if not labels:
        return list(rule_entities)
    nlp, _ = load_spacy(NER, models)
    added = fuse_spans(rule_entities, predict_spans(nlp, text, bounds.start, bounds.end), labels)
    if not added:
        return list(rule_entities)
    ctx = _context(text, bounds, header, tables)
    new = [Entity("", sp.start, sp.end, sp.label, text[sp.start:sp.end],
                  model_value(text, sp.start, sp.end, sp.label, ctx), SOURCE) for sp in added]
    merged = sorted([*rule_entities, *new], key=lambda e: (e.start, e.end))
    return [replace(e, id=f"e{k}") for k, e in enumerate(merged, 1)]


def _context(text: str, bounds: DocumentBounds, header: Header | None, tables: Sequence[Table]) -> Any:
    from sxtdbv_nlp.recognizers.base import Context

    return Context(text, bounds.start, bounds.end, tuple(tables), header)


def model_value(text: str, start: int, end: int, label: str, ctx: Any) -> EntityValue:
    """The normalised value of a model span, by the rules' canonicalisation (module docstring)."""
    if label == "AGENCY":
        return _agency_value(text, start, end, ctx)
    from sxtdbv_nlp import recognizers

    span = text[start:end]
    for ent in recognizers.recognize(span, DocumentBounds(0, len(span)), header=ctx.header):
        if ent.label == label and (ent.start, ent.end) == (0, len(span)):
            return ent.value
    return value_from_dict(label, _UNKNOWN[label])


def _agency_value(text: str, start: int, end: int, ctx: Any) -> EntityValue:
    """Gazetteer body named by the longest prefix + its jurisdiction; else an open-class name."""
    from sxtdbv_nlp.recognizers import canonical
    from sxtdbv_nlp.recognizers.jurisdiction import parse_suffix

    words = list(re.finditer(r"\S+", text[start:end]))
    for k in range(len(words), 0, -1):
        prefix_end = start + words[k - 1].end()
        body = canonical.lookup(text[start:prefix_end])
        if body is not None:
            _, juris = parse_suffix(text, prefix_end, end, ctx)
            return canonical.body_value(body, juris, ctx)
    plural = bool(re.search(r"(?i:các)\s+$", text[max(0, start - 6):start]))
    return canonical.open_value(text[start:end], canonical.Jurisdiction(), ctx, local=True,
                                plural=plural)


# ---------------------------------------------------------------- LODO


def lodo_ner_trainer(train: list[PlanDocument]) -> Callable[[PlanDocument], PlanDocument]:
    """For ``evaluate --cv lodo``: train the NER on ``train`` and fuse it into a held-out
    prediction, for the shipped ``fused_labels`` only (identity when there are none).

    Model entities already in the prediction (made by the model trained on every plan)
    are dropped first; added entities get ids "m1", "m2"... and None-valued values (only
    spans are scored here; items are not relinked).
    """
    card = read_card(NER)
    labels = tuple(card.settings.get("fused_labels") or ())
    if not labels:
        return lambda pred: pred
    nlp = train_ner(train, seed=card.seed)

    def apply(pred: PlanDocument) -> PlanDocument:
        kept = [e for e in pred.entities if e.source != SOURCE]
        lo, hi = (pred.document.start, pred.document.end) if pred.document else (0, len(pred.text))
        added = fuse_spans(kept, predict_spans(nlp, pred.text, lo, hi), labels)
        new = [Entity(f"m{k}", sp.start, sp.end, sp.label, pred.text[sp.start:sp.end],
                      value_from_dict(sp.label, _UNKNOWN[sp.label]), SOURCE)
               for k, sp in enumerate(added, 1)]
        return replace(pred, entities=tuple(sorted([*kept, *new], key=lambda e: (e.start, e.end))))

    return apply

