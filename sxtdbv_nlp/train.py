"""``sxtdbv train``: rebuild every model in ``models/`` from the gold files, reproducibly.

:func:`train_all` measures each model on held-out plans (leave one document out, LODO:
train on all plans but one, predict that one, for every plan), decides from those
figures whether the pipeline uses it, trains the final model on every plan and writes
it with its card (:mod:`sxtdbv_nlp.models`):

========================  =====================================  =========================
model                     compared with (LODO)                   shipped when
========================  =====================================  =========================
``theme-2`` (sklearn)     keyword baseline, majority theme       accuracy and macro-F1 both
                                                                 beat the keyword baseline
``section-role-1``        the keyword rule of structure.py        accuracy beats the rule
``ner-1`` (spaCy)         rules alone, model alone, fused        per label: fused F1 beats
                                                                 rules F1 (``fused_labels``)
========================  =====================================  =========================

Everything is deterministic for a given seed: inputs are sorted, every learner is
seeded, nothing depends on ``PYTHONHASHSEED``; the same data and seed give
byte-identical predictions. NER folds run in ``jobs`` worker processes (spawned, each
seeded), which changes nothing in the results.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from sxtdbv_nlp.corpus import load_annotations
from sxtdbv_nlp.evaluate import PRF
from sxtdbv_nlp.models import (
    NER,
    SECTION_ROLE,
    THEME,
    ModelCard,
    ModelRef,
    file_sha256,
    save_sklearn,
    save_spacy,
)
from sxtdbv_nlp.types import LABELS, THEMES, Entity, PlanDocument

__all__ = ["lodo_ner", "lodo_sections", "lodo_themes", "rule_entities", "rule_sections", "train_all"]

#: Fusion must beat rules by more than this F1 (absolute) for a label to be fused.
FUSE_MARGIN = 0.005


def train_all(annotations: Path, models: Path, *, seed: int = 0, jobs: int | None = None,
              ner_epochs: int | None = None, command: str | None = None) -> list[ModelCard]:
    """Rebuild the theme, section-role and NER models from the gold files in ``annotations``
    (texts from its parent folder) into ``models``; returns their cards.

    ``jobs``: worker processes for the NER folds (default: up to 2); ``ner_epochs``
    overrides the config's ``max_epochs`` (tests); ``command`` is recorded in the cards.
    """
    docs = sorted(load_annotations(Path(annotations)), key=lambda d: d.doc_id or "")
    base = _base_card(Path(annotations), docs, seed, command)
    return [_train_theme(docs, base, models), _train_sections(docs, base, models),
            _train_ner(docs, base, models, jobs=jobs, epochs=ner_epochs)]


def _base_card(annotations: Path, docs: Sequence[PlanDocument], seed: int, command: str | None) -> ModelCard:
    root = annotations.resolve().parent
    files = []
    for doc in docs:
        gold = annotations.resolve() / f"{doc.doc_id}.json"
        for path in (gold, root / (doc.text_file or "")):
            files.append({"path": _relative(path, root), "sha256": file_sha256(path)})
    return ModelCard(name="", version=0, kind="", shipped=False, decision="", seed=seed,
                     created_by=command or f"sxtdbv_nlp.train.train_all(seed={seed})",
                     training_files=tuple(files), metrics={}, libraries={})


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _card(base: ModelCard, ref: ModelRef, **fields: Any) -> ModelCard:
    return replace(base, name=ref.name, version=ref.version, kind=ref.kind, **fields)


def _data_hashes(*names: str) -> dict[str, str]:
    from importlib import resources

    folder = resources.files("sxtdbv_nlp.data")
    return {n: file_sha256(Path(str(folder.joinpath(n)))) for n in names}


# ---------------------------------------------------------------- themes


def _train_theme(docs: Sequence[PlanDocument], base: ModelCard, models: Path) -> ModelCard:
    from sxtdbv_nlp.classify import theme_rows
    from sxtdbv_nlp.estimators import THEME_OPENING_WORDS, compile_linear, theme_pipeline

    metrics = lodo_themes(docs, seed=base.seed)
    clf, kw = metrics["classifier"], metrics["keyword"]
    shipped = clf["accuracy"] > kw["accuracy"] and clf["macro_f1"] > kw["macro_f1"]
    decision = (f"LODO accuracy {clf['accuracy']:.3f} vs keyword {kw['accuracy']:.3f}, macro-F1 "
                f"{clf['macro_f1']:.3f} vs {kw['macro_f1']:.3f}: "
                + ("the classifier replaces the keyword baseline" if shipped else
                   "the keyword baseline stays"))
    X, y, _ = theme_rows(docs)
    model = theme_pipeline(seed=base.seed).fit(X, y)
    linear = compile_linear(model, check=X)  # run time reads this form; it must agree on every item
    card = _card(base, THEME, shipped=shipped, decision=decision, metrics={"lodo": metrics},
                 settings={"estimator": "estimators.theme_pipeline", "run_time": "linear.LinearTextModel",
                           "features": f"item text (underthesea words of its first {THEME_OPENING_WORDS} "
                           "words, syllable 1-2-grams, character 2-5-grams) + enclosing heading titles "
                           "(underthesea words, character 2-5-grams) + keyword counts of both",
                           "data_files": _data_hashes("theme_keywords.tsv")})
    return save_sklearn(model, card, models, linear=linear)


def _fit_predict(make: Callable[[], Any], X: np.ndarray, y: Sequence[str], test: np.ndarray
                 ) -> tuple[list[str], list[dict[str, float]]]:
    """Labels and probabilities for ``test``; a constant model when ``y`` has one class."""
    if len(set(y)) < 2:
        return [y[0]] * len(test), [{y[0]: 1.0} for _ in range(len(test))]
    model = make().fit(X, y)
    proba = model.predict_proba(test)
    classes = [str(c) for c in model.classes_]
    return ([str(p) for p in model.predict(test)],
            [dict(zip(classes, map(float, row), strict=True)) for row in proba])


def lodo_themes(docs: Sequence[PlanDocument], *, seed: int = 0) -> dict[str, Any]:
    """LODO theme figures: the classifier, the keyword baseline and the training folds'
    majority theme; accuracy, macro-F1, per-theme F1, calibration, per-document accuracy."""
    from sxtdbv_nlp.classify import theme_rows
    from sxtdbv_nlp.estimators import theme_pipeline
    from sxtdbv_nlp.themes import keyword_theme

    X, y, groups = theme_rows(docs)
    texts = [d.text[i.start:i.end] for d in docs for i in d.items]
    pred: dict[str, list[str]] = {"classifier": [""] * len(y), "majority": [""] * len(y)}
    proba: list[dict[str, float]] = [{} for _ in y]
    for held in sorted(set(groups)):
        train = [k for k, g in enumerate(groups) if g != held]
        test = [k for k, g in enumerate(groups) if g == held]
        labels, probs = _fit_predict(lambda: theme_pipeline(seed=seed), X[train],
                                     [y[k] for k in train], X[test])
        majority = _majority([y[k] for k in train])
        for k, label, p in zip(test, labels, probs, strict=True):
            pred["classifier"][k], proba[k], pred["majority"][k] = label, p, majority
    pred["keyword"] = [keyword_theme(t) for t in texts]
    out = {name: _class_metrics(y, p, groups) for name, p in pred.items()}
    out["classifier"]["calibration"] = _calibration(y, proba)
    out["n_items"], out["n_documents"] = len(y), len(set(groups))
    return out


def _majority(y: Sequence[str]) -> str:
    counts = Counter(y)
    return max(sorted(counts), key=lambda t: counts[t])


def _class_metrics(y: Sequence[str], pred: Sequence[str], groups: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 (over the classes in gold or predictions), per-class F1 and support,
    per-document accuracy."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    classes = sorted(set(y) | set(pred))
    _, _, f1, support = precision_recall_fscore_support(y, pred, labels=classes, zero_division=0)
    per_doc = {g: float(np.mean([a == b for a, b, h in zip(y, pred, groups, strict=True) if h == g]))
               for g in sorted(set(groups))}
    return {"accuracy": float(accuracy_score(y, pred)),
            "macro_f1": float(f1_score(y, pred, labels=classes, average="macro", zero_division=0)),
            "per_class": {c: {"f1": float(f), "support": int(s)}
                          for c, f, s in zip(classes, f1, support, strict=True)},
            "per_document_accuracy": per_doc}


def _calibration(y: Sequence[str], proba: Sequence[dict[str, float]], bins: int = 10) -> dict[str, float]:
    """Log-loss, multi-class Brier score and expected calibration error of the top class."""
    names = list(THEMES)
    P = np.array([[p.get(t, 0.0) for t in names] for p in proba])
    truth = np.array([names.index(t) for t in y])
    onehot = np.eye(len(names))[truth]
    conf, correct = P.max(axis=1), P.argmax(axis=1) == truth
    ece = 0.0
    for b in range(bins):
        inside = (conf > b / bins) & (conf <= (b + 1) / bins)
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - conf[inside].mean())
    return {"log_loss": float(-np.mean(np.log(np.clip(P[np.arange(len(y)), truth], 1e-12, 1.0)))),
            "brier": float(((P - onehot) ** 2).sum(axis=1).mean()), "ece": float(ece)}


# ---------------------------------------------------------------- section roles


def _rule_stages(text: str) -> tuple[Any, Any, list[Any], Any] | None:
    """The pipeline's stages before any trained model: (normalised text, bounds, tables,
    structure), or None when no plan structure is found."""
    from sxtdbv_nlp.bounds import find_document
    from sxtdbv_nlp.structure import segment
    from sxtdbv_nlp.tables import find_tables
    from sxtdbv_nlp.text import normalize, split_lines

    norm = normalize(text)
    lines = split_lines(norm.text)
    bounds = find_document(norm.text, lines)
    if bounds is None:
        return None
    tables = find_tables(norm.text, lines, bounds.start, bounds.end)
    return norm, bounds, tables, segment(norm.text, lines, bounds, tables)


def rule_sections(text: str) -> list[Any]:
    """The structure stage's sections of a plan (roles by the rule), offsets into ``text``."""
    stages = _rule_stages(text)
    if stages is None:
        return []
    norm, _, _, structure = stages
    return [replace(s, start=a, end=b) for s in structure.sections for a, b in [norm.to_raw(s.start, s.end)]]


def _train_sections(docs: Sequence[PlanDocument], base: ModelCard, models: Path) -> ModelCard:
    from sxtdbv_nlp.classify import section_rows
    from sxtdbv_nlp.estimators import section_pipeline

    metrics = lodo_sections(docs, seed=base.seed)
    model_acc, rule_acc = metrics["model"]["accuracy"], metrics["rule"]["accuracy"]
    shipped = model_acc > rule_acc
    decision = (f"LODO accuracy {model_acc:.3f} vs rule {rule_acc:.3f}: "
                + ("the model would replace the rule" if shipped else "the rule of structure.py stays"))
    X, y, _, _ = section_rows(docs)
    model = section_pipeline(seed=base.seed).fit(X, y)
    card = _card(base, SECTION_ROLE, shipped=shipped, decision=decision, metrics={"lodo": metrics},
                 settings={"estimator": "estimators.section_pipeline",
                           "features": "level-1 heading title + first 30 body words",
                           "data_files": _data_hashes("section_roles.tsv", "theme_keywords.tsv")})
    return save_sklearn(model, card, models)


def lodo_sections(docs: Sequence[PlanDocument], *, seed: int = 0) -> dict[str, Any]:
    """LODO level-1 role figures: the classifier against the rule (a gold heading the
    structure stage misses counts as a wrong rule role)."""
    from sxtdbv_nlp.classify import section_rows
    from sxtdbv_nlp.estimators import section_pipeline

    X, y, secs, groups = section_rows(docs)
    by_doc = {d.doc_id: {(s.start, s.end): s.role for s in rule_sections(d.text)} for d in docs}
    rule = [by_doc[g].get((s.start, s.end)) or "missing" for s, g in zip(secs, groups, strict=True)]
    model = [""] * len(y)
    for held in sorted(set(groups)):
        train = [k for k, g in enumerate(groups) if g != held]
        test = [k for k, g in enumerate(groups) if g == held]
        labels, _ = _fit_predict(lambda: section_pipeline(seed=seed), X[train],
                                 [y[k] for k in train], X[test])
        for k, label in zip(test, labels, strict=True):
            model[k] = label
    return {"model": _class_metrics(y, model, groups), "rule": _class_metrics(y, rule, groups),
            "n_headings": len(y)}


# ---------------------------------------------------------------- NER


def rule_entities(text: str) -> list[Entity]:
    """The rule recognisers' entities of a plan (no trained model), offsets into ``text``."""
    from sxtdbv_nlp import recognizers

    stages = _rule_stages(text)
    if stages is None:
        return []
    norm, bounds, tables, structure = stages
    found = recognizers.recognize(norm.text, bounds, tables=tables, header=structure.header)
    return [replace(e, start=a, end=b, text=text[a:b])
            for e in found for a, b in [norm.to_raw(e.start, e.end)]]


def _ner_task(train: list[PlanDocument], test: PlanDocument | None, seed: int, epochs: int | None,
              out: str | None) -> list[tuple[int, int, str]]:
    """Worker: train on ``train``; predict ``test`` (LODO fold) or write the model to ``out``."""
    from sxtdbv_nlp.ner_model import predict_spans, train_ner

    nlp = train_ner(train, seed=seed, epochs=epochs)
    if out is not None:
        nlp.to_disk(out)
        return []
    assert test is not None
    lo, hi = (test.document.start, test.document.end) if test.document else (0, len(test.text))
    return [(s.start, s.end, s.label) for s in predict_spans(nlp, test.text, lo, hi)]


def _run_tasks(tasks: list[tuple[Any, ...]], jobs: int) -> list[list[tuple[int, int, str]]]:
    if jobs <= 1:
        return [_ner_task(*t) for t in tasks]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        return list(pool.map(_ner_task, *zip(*tasks, strict=True)))


def lodo_ner(docs: Sequence[PlanDocument], fold_spans: dict[str, list[tuple[int, int, str]]]
             ) -> dict[str, Any]:
    """Per-label strict P/R/F1 of rules alone, model alone and fused, summed over held-out
    plans, from each plan's spans predicted by the model trained without it (per-document
    micro-F1 "fused" adds the model's spans of every label)."""
    from sxtdbv_nlp.ner_model import Span, fuse_spans

    systems = ("rules", "model", "fused")
    counts = {sys: {label: PRF() for label in LABELS} for sys in systems}
    per_doc: dict[str, dict[str, float]] = {}
    for doc in docs:
        rules = rule_entities(doc.text)
        spans = [Span(*s) for s in fold_spans[doc.doc_id or ""]]
        doc_counts = dict.fromkeys(systems, PRF())
        for label in LABELS:
            gold = [(e.start, e.end) for e in doc.entities if e.label == label]
            ruled = [(e.start, e.end) for e in rules if e.label == label]
            model = [(s.start, s.end) for s in spans if s.label == label]
            added = [(s.start, s.end) for s in fuse_spans(rules, spans, [label])]
            for sys, pred in (("rules", ruled), ("model", model), ("fused", ruled + added)):
                prf = PRF.of(gold, pred)
                counts[sys][label] += prf
                doc_counts[sys] += prf
        per_doc[doc.doc_id or ""] = {sys: prf.f1 for sys, prf in doc_counts.items()}
    table = {label: {sys: counts[sys][label].to_dict() for sys in systems} for label in LABELS}
    return {"per_label": table, "per_document_micro_f1": per_doc,
            "micro": {sys: sum(counts[sys].values(), PRF()).to_dict() for sys in systems}}


def _train_ner(docs: Sequence[PlanDocument], base: ModelCard, models: Path, *, jobs: int | None,
               epochs: int | None) -> ModelCard:
    import spacy

    from sxtdbv_nlp.ner_model import CONFIG

    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        tasks: list[tuple[Any, ...]] = [([d for d in docs if d is not held], held, base.seed, epochs, None)
                                        for held in docs]
        tasks.append((list(docs), None, base.seed, epochs, tmp))
        results = _run_tasks(tasks, jobs)
        nlp = spacy.load(tmp)
    metrics = lodo_ner(docs, {d.doc_id or "": r for d, r in zip(docs, results[:-1], strict=True)})
    fused = [label for label, row in metrics["per_label"].items()
             if row["fused"]["f"] > row["rules"]["f"] + FUSE_MARGIN]
    decision = ("fused for " + ", ".join(fused) if fused else
                "no label where rules + model beat rules alone on held-out plans: rules only")
    card = _card(base, NER, shipped=bool(fused), decision=decision, metrics={"lodo": metrics},
                 settings={"fused_labels": fused, "labels": list(LABELS), "fuse_margin": FUSE_MARGIN,
                           "epochs": epochs, "data_files": _data_hashes(CONFIG),
                           "policy": "rules win; model spans of fused labels added where no rule "
                                     "entity overlaps (sxtdbv_nlp.ner_model)"})
    return save_spacy(nlp, card, models)
