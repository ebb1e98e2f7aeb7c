"""Stage 6, classify: trained scikit-learn classifiers for item themes and section roles.

Both classifiers read two text fields per sample, as a 2-column array of strings:

- themes (ANNOTATION_GUIDE.md §4): the item's own text and the titles of the headings
  enclosing it (:func:`heading_titles`), both available at run time;
- level-1 section roles (§5): the heading title and the first words of its body.

Features (:func:`text_features`): underthesea word tokens of both fields
(:class:`WordTokenTfidf`, a scikit-learn transformer) plus character n-grams of each field
(``TfidfVectorizer(analyzer="char_wb")``), joined by a ``ColumnTransformer``; the model is
a multinomial ``LogisticRegression``. Its ``predict_proba`` is what :func:`theme_items`
puts on ``Item.theme_scores``: the log-loss it minimises is a proper scoring rule, so
its probabilities need no extra calibration step, whereas ``CalibratedClassifierCV``
would cut 8 training plans into inner folds in which the rare themes (procurement: 4
items, lifestyle: 3) are absent. ``benchmarks/lodo_models.py`` measures both (log-loss,
Brier score, expected calibration error) on held-out plans.

The pipeline uses the theme model only when its card says it beat the keyword baseline
(:func:`sxtdbv_nlp.themes.keyword_theme`) on held-out plans (``shipped``); the
section-role model is trained and measured, and the pipeline keeps the rule of
:mod:`sxtdbv_nlp.structure` while that scores better.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted, validate_data

from sxtdbv_nlp.items import enclosing_sections
from sxtdbv_nlp.models import SECTION_ROLE, THEME, is_installed, load_sklearn, read_card, warn_missing
from sxtdbv_nlp.types import THEMES, Item, PlanDocument, Section

__all__ = [
    "ThemeKeywordCounts",
    "WordTokenTfidf",
    "heading_titles",
    "item_rows",
    "lodo_theme_trainer",
    "predict_scores",
    "section_pipeline",
    "section_roles",
    "section_rows",
    "text_features",
    "theme_items",
    "theme_pipeline",
    "theme_rows",
    "word_tokens",
]

_BODY_WORDS = 30  # words of a section's body read by the role classifier


# ---------------------------------------------------------------- word tokens


@cache
def _word_tokenize() -> Callable[..., list[str]]:
    """underthesea's ``word_tokenize``, imported without letting it configure the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from underthesea import word_tokenize

    root.handlers[:] = handlers
    root.setLevel(level)
    return word_tokenize


@lru_cache(maxsize=1 << 16)
def word_tokens(text: str) -> tuple[str, ...]:
    """underthesea word tokens of ``text`` (NFC, not normalised), syllables joined by "_",
    tokens without a letter or digit dropped.

    >>> word_tokens("Sở Công Thương chủ trì, phối hợp.")
    ('Sở', 'Công_Thương', 'chủ_trì', 'phối_hợp')
    """
    nfc = unicodedata.normalize("NFC", text)
    if not nfc.strip():
        return ()
    raw = _word_tokenize()(nfc, use_token_normalize=False)
    return tuple("_".join(tok.split()) for tok in raw if any(c.isalnum() for c in tok))


class WordTokenTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF over underthesea word tokens of every column of a 2-D array of texts.

    Each sample (row) becomes one document: the tokens of column ``j`` are prefixed
    ``"j:"`` when ``field_prefix`` is True (an item's own words and its headings' words
    are then different features). Cells are read as ``str(cell)``.

    Parameters are stored as given; the vocabulary is learnt by ``fit`` into
    ``vectorizer_`` (a ``TfidfVectorizer`` over the space-joined tokens).
    """

    def __init__(self, *, lowercase: bool = True, field_prefix: bool = False,
                 ngram_range: tuple[int, int] = (1, 1), min_df: int = 1,
                 sublinear_tf: bool = True) -> None:
        self.lowercase = lowercase
        self.field_prefix = field_prefix
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def fit(self, X: Any, y: Any = None) -> WordTokenTfidf:
        """Learn the token vocabulary and IDF weights of ``X`` (n_samples, n_fields)."""
        X = validate_data(self, X, dtype=None)
        self.vectorizer_ = TfidfVectorizer(
            lowercase=False, token_pattern=r"\S+", ngram_range=tuple(self.ngram_range),
            min_df=self.min_df, sublinear_tf=self.sublinear_tf, dtype=np.float64)
        self.vectorizer_.fit(self._documents(X))
        return self

    def transform(self, X: Any) -> Any:
        """A sparse (n_samples, n_tokens) TF-IDF matrix."""
        check_is_fitted(self, "vectorizer_")
        X = validate_data(self, X, dtype=None, reset=False)
        return self.vectorizer_.transform(self._documents(X))

    def _documents(self, X: Any) -> list[str]:
        return [" ".join(tok for j, cell in enumerate(row) for tok in self._tokens(j, str(cell)))
                for row in X]

    def _tokens(self, column: int, text: str) -> list[str]:
        prefix = f"{column}:" if self.field_prefix else ""
        return [prefix + (t.lower() if self.lowercase else t) for t in word_tokens(text)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


class ThemeKeywordCounts(TransformerMixin, BaseEstimator):
    """Per column and theme, ``log1p`` of how often the theme's keywords occur in the cell.

    The keywords are those of the keyword baseline (``data/<keywords>``, columns
    ``theme``, ``keyword``), matched case-insensitively after NFC as
    :func:`sxtdbv_nlp.themes.keyword_theme` does; ``fit`` reads them into ``keywords_``
    and the sorted themes into ``themes_``. Output: a dense (n_samples, n_fields × n_themes)
    array.
    """

    def __init__(self, *, keywords: str = "theme_keywords.tsv") -> None:
        self.keywords = keywords

    def fit(self, X: Any, y: Any = None) -> ThemeKeywordCounts:
        """Read the keyword table (the data are not used beyond their shape)."""
        from sxtdbv_nlp.data import load_records

        validate_data(self, X, dtype=None)
        rows = load_records(self.keywords)
        self.keywords_ = tuple(sorted({(r["theme"], r["keyword"].casefold()) for r in rows}))
        self.themes_ = tuple(sorted({t for t, _ in self.keywords_}))
        return self

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "keywords_")
        X = validate_data(self, X, dtype=None, reset=False)
        index = {t: k for k, t in enumerate(self.themes_)}
        out = np.zeros((X.shape[0], X.shape[1] * len(self.themes_)), dtype=np.float64)
        for i, row in enumerate(X):
            for j, cell in enumerate(row):
                folded = unicodedata.normalize("NFC", str(cell)).casefold()
                for theme, kw in self.keywords_:
                    out[i, j * len(self.themes_) + index[theme]] += folded.count(kw)
        return np.log1p(out)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


# ---------------------------------------------------------------- pipelines


def _char_tfidf(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=min_df, sublinear_tf=True,
                           dtype=np.float64)


def text_features(*, char_min_df: int = 2) -> ColumnTransformer:
    """Word tokens of both fields, character 2-5-grams of each field (columns 0 and 1) and
    the keyword baseline's counts per theme."""
    return ColumnTransformer([("words", WordTokenTfidf(), [0, 1]),
                              ("chars", _char_tfidf(char_min_df), 0),
                              ("context_chars", _char_tfidf(char_min_df), 1),
                              ("keywords", ThemeKeywordCounts(), [0, 1])])


def _classifier(features: ColumnTransformer, seed: int, C: float) -> Pipeline:
    """Features + a multinomial logistic regression with classes weighted by inverse
    frequency (rare themes count as much as common ones)."""
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("model", model)])


def theme_pipeline(*, seed: int = 0, C: float = 10.0) -> Pipeline:
    """The theme classifier, unfitted."""
    return _classifier(text_features(char_min_df=2), seed, C)


def section_pipeline(*, seed: int = 0, C: float = 10.0) -> Pipeline:
    """The level-1 section-role classifier, unfitted: the same features (every character
    n-gram kept: there are only ~50 level-1 headings)."""
    return _classifier(text_features(char_min_df=1), seed, C)


# ---------------------------------------------------------------- samples


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


def predict_scores(model: Pipeline, X: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
    """Per sample, every theme with its probability, most probable first (ties by THEMES
    order); themes the model never saw get 0.0."""
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
    says it is shipped; otherwise unchanged (the keyword baseline's themes stay).

    ``texts[i]`` is item i's text, ``titles[i]`` the titles of its enclosing headings.
    Without an installed model it warns and keeps the keyword themes; a broken or
    incompatible model raises :class:`~sxtdbv_nlp.errors.ModelError`.
    """
    if not items:
        return list(items)
    if not is_installed(THEME, models):
        warn_missing(THEME, models)
        return list(items)
    if not read_card(THEME, models).shipped:
        return list(items)
    model, _ = load_sklearn(THEME, models)
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
