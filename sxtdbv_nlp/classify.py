"""Stage 6, classify: item themes (and level-1 section roles) from trained classifiers.

Both classifiers read two text fields per sample, as a 2-column array of strings:

- themes (ANNOTATION_GUIDE.md §4): the item's own text and the titles of the headings
  enclosing it (:func:`heading_titles`), both available at run time (:func:`item_rows`);
- level-1 section roles (§5): the heading title and the first words of its body
  (:func:`section_rows`).

The models are trained with scikit-learn (:mod:`sxtdbv_nlp.estimators`). At run time
:func:`theme_items` reads the theme model's compiled form
(:class:`~sxtdbv_nlp.linear.LinearTextModel`: vocabularies, IDF weights and
coefficients as plain arrays), so ``analyze()`` imports neither scikit-learn nor skops.
Its probabilities, those of the multinomial logistic regression, go on
``Item.theme_scores``.

The pipeline uses the theme model only when its card says it beat the keyword baseline
(:func:`sxtdbv_nlp.themes.keyword_theme`) on held-out plans (``shipped``); the
section-role model is trained and measured, and the pipeline keeps the rule of
:mod:`sxtdbv_nlp.structure` while that scores better.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from sxtdbv_nlp.features import word_tokens
from sxtdbv_nlp.items import enclosing_sections
from sxtdbv_nlp.models import (
    SECTION_ROLE,
    THEME,
    is_installed,
    load_linear,
    load_sklearn,
    read_card,
    warn_missing,
)
from sxtdbv_nlp.types import THEMES, Item, PlanDocument, Section

__all__ = [
    "heading_titles",
    "item_rows",
    "lodo_theme_trainer",
    "predict_scores",
    "section_roles",
    "section_rows",
    "theme_items",
    "theme_rows",
    "word_tokens",
]

_BODY_WORDS = 30  # words of a section's body read by the role classifier


def _clean(text: str) -> str:
    return " ".join(text.replace("*", " ").replace("|", " ").split())


def heading_titles(sections: Sequence[Section], start: int) -> tuple[str, ...]:
    """Titles of the headings enclosing offset ``start``, outermost first.

    >>> secs = [Section(0, 5, 1, "I", "NHIỆM VỤ"), Section(6, 9, 2, "1", "Tuyên truyền"),
    ...         Section(30, 35, 2, "2", "Chính sách")]
    >>> heading_titles(secs, 20)
    ('NHIỆM VỤ', 'Tuyên truyền')
    """
    chain = enclosing_sections(sorted(sections, key=lambda s: s.start), start)
    return tuple(s.title for s in chain)


def item_rows(texts: Sequence[str], titles: Sequence[Sequence[str]]) -> np.ndarray:
    """The (n, 2) string array the theme model reads: item text, enclosing headings."""
    rows = [[_clean(t), " | ".join(_clean(h) for h in hs)] for t, hs in zip(texts, titles, strict=True)]
    return np.array(rows, dtype=object).reshape(len(rows), 2)


def theme_rows(docs: Sequence[PlanDocument]) -> tuple[np.ndarray, list[str], list[str]]:
    """Gold items of ``docs`` as (X, themes, doc_ids), in document order."""
    texts, titles, y, groups = [], [], [], []
    for doc in docs:
        for item in doc.items:
            texts.append(doc.text[item.start:item.end])
            titles.append(heading_titles(doc.sections, item.start))
            y.append(item.theme or "other")
            groups.append(doc.doc_id or "")
    return item_rows(texts, titles), y, groups


def section_rows(docs: Sequence[PlanDocument]) -> tuple[np.ndarray, list[str], list[Section], list[str]]:
    """Level-1 gold headings as (X, roles, sections, doc_ids): the title and the first words
    after the heading (its body, or its first sub-headings)."""
    rows, y, secs, groups = [], [], [], []
    for doc in docs:
        for sec in sorted(doc.sections, key=lambda s: s.start):
            if sec.level != 1 or sec.role is None:
                continue
            body = _clean(doc.text[sec.end:sec.end + 40 * _BODY_WORDS]).split()[:_BODY_WORDS]
            rows.append([_clean(sec.title), " ".join(body)])
            y.append(sec.role)
            secs.append(sec)
            groups.append(doc.doc_id or "")
    return np.array(rows, dtype=object).reshape(len(rows), 2), y, secs, groups


# ---------------------------------------------------------------- prediction


def predict_scores(model: Any, X: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
    """Per sample, every theme with its probability, most probable first (ties by THEMES
    order); themes the model never saw get 0.0. ``model``: anything with ``predict_proba``
    and ``classes_`` (a fitted pipeline or a :class:`~sxtdbv_nlp.linear.LinearTextModel`)."""
    if len(X) == 0:
        return []
    proba = model.predict_proba(X)
    classes = [str(c) for c in model.classes_]
    order = {t: k for k, t in enumerate(THEMES)}
    out = []
    for row in proba:
        scores = dict.fromkeys(THEMES, 0.0) | {c: float(p) for c, p in zip(classes, row, strict=True)}
        out.append(tuple(sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))))
    return out


def theme_items(items: Sequence[Item], texts: Sequence[str], titles: Sequence[Sequence[str]], *,
                models: Path | None = None) -> list[Item]:
    """``items`` with ``theme`` and ``theme_scores`` from the trained theme model, when its card
    says it is shipped; otherwise unchanged (the caller's themes, the keyword baseline's in
    the pipeline, stay).

    ``texts[i]`` is item i's text, ``titles[i]`` the titles of its enclosing headings.
    Without an installed model it warns and returns the items unchanged; a broken or
    incompatible model raises :class:`~sxtdbv_nlp.errors.ModelError`.
    """
    if not items:
        return list(items)
    if not is_installed(THEME, models):
        warn_missing(THEME, models)
        return list(items)
    if not read_card(THEME, models).shipped:
        return list(items)
    model, _ = load_linear(THEME, models)
    scores = predict_scores(model, item_rows(texts, titles))
    return [_with_scores(item, s) for item, s in zip(items, scores, strict=True)]


def _with_scores(item: Item, scores: tuple[tuple[str, float], ...]) -> Item:
    return replace(item, theme=scores[0][0], theme_scores=scores)


def section_roles(titles: Sequence[str], bodies: Sequence[str], *,
                  models: Path | None = None) -> list[str]:
    """Roles predicted by the section-role model (whether or not it is shipped)."""
    model, _ = load_sklearn(SECTION_ROLE, models)
    X = np.array([[_clean(t), _clean(b)] for t, b in zip(titles, bodies, strict=True)], dtype=object)
    return [str(r) for r in model.predict(X.reshape(len(titles), 2))] if len(titles) else []


def lodo_theme_trainer(train: list[PlanDocument]) -> Callable[[PlanDocument], PlanDocument]:
    """For ``evaluate --cv lodo``: train on ``train`` gold, re-theme a held-out prediction.

    Mirrors the pipeline: when the shipped card says the keyword baseline won, the
    prediction is returned unchanged.
    """
    from sxtdbv_nlp.estimators import theme_pipeline

    card = read_card(THEME)
    if not card.shipped:
        return lambda pred: pred
    X, y, _ = theme_rows(train)
    model = theme_pipeline(seed=card.seed).fit(X, y)

    def apply(pred: PlanDocument) -> PlanDocument:
        texts = [pred.text[i.start:i.end] for i in pred.items]
        titles = [heading_titles(pred.sections, i.start) for i in pred.items]
        scores = predict_scores(model, item_rows(texts, titles))
        return replace(pred, items=tuple(_with_scores(i, s) for i, s in zip(pred.items, scores, strict=True)))

    return apply
