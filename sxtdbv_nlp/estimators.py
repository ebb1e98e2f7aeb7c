"""The scikit-learn side of the classifiers: transformers, pipelines, and their compilation
into plain arrays for run time. Imported by training and evaluation, never by ``analyze()``.

Both classifiers read two text fields per sample, as a 2-column array of strings
(rows made by :mod:`sxtdbv_nlp.classify`):

- themes (ANNOTATION_GUIDE.md §4): the item's own text and the titles of the headings
  enclosing it;
- level-1 section roles (§5): the heading title and the first words of its body.

Features (:func:`text_features`), joined by a ``ColumnTransformer``:

- underthesea word tokens of both fields (:class:`WordTokenTfidf`); for themes, of the
  item's first :data:`THEME_OPENING_WORDS` words only (word segmentation is the costliest
  step of the analysis, and a task names its subject first);
- syllable 1-2-grams of the item text (themes only);
- character 2-5-grams of each field (``TfidfVectorizer(analyzer="char_wb")``);
- the keyword baseline's counts per theme (:class:`ThemeKeywordCounts`).

The model is a multinomial ``LogisticRegression``. Its ``predict_proba`` is what
:func:`sxtdbv_nlp.classify.theme_items` puts on ``Item.theme_scores``: the log-loss it
minimises is a proper scoring rule, so its probabilities need no extra calibration step,
whereas ``CalibratedClassifierCV`` would cut 8 training plans into inner folds in which
the rare themes (procurement: 4 items, lifestyle: 3) are absent.
``benchmarks/lodo_models.py`` measures both on held-out plans.

:func:`compile_linear` turns a fitted pipeline into a :class:`~sxtdbv_nlp.linear.LinearTextModel`
and checks that it gives the pipeline's probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted, validate_data

from sxtdbv_nlp.features import field_tokens, keyword_counts
from sxtdbv_nlp.linear import KeywordBlock, LinearTextModel, TfidfBlock

__all__ = [
    "THEME_OPENING_WORDS",
    "ThemeKeywordCounts",
    "WordTokenTfidf",
    "compile_linear",
    "section_pipeline",
    "text_features",
    "theme_pipeline",
]

#: The theme model word-segments this many opening words of an item (all its headings).
THEME_OPENING_WORDS = 8


class WordTokenTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF over underthesea word tokens of every column of a 2-D array of texts.

    Each sample (row) becomes one document (:func:`sxtdbv_nlp.features.field_tokens`):
    the tokens of column ``j`` are prefixed ``"j:"`` when ``field_prefix`` is True (an
    item's own words and its headings' words are then different features), and only
    the first ``max_words[j]`` words of column ``j`` are segmented when ``max_words`` is
    given (None: all). Cells are read as ``str(cell)``.

    Parameters are stored as given; the vocabulary is learnt by ``fit`` into
    ``vectorizer_`` (a ``TfidfVectorizer`` over the space-joined tokens).
    """

    def __init__(self, *, lowercase: bool = True, field_prefix: bool = False,
                 max_words: tuple[int | None, ...] | None = None,
                 ngram_range: tuple[int, int] = (1, 1), min_df: int = 1,
                 sublinear_tf: bool = True) -> None:
        self.lowercase = lowercase
        self.field_prefix = field_prefix
        self.max_words = max_words
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
        return [" ".join(field_tokens(row, lowercase=self.lowercase, field_prefix=self.field_prefix,
                                      max_words=self.max_words)) for row in X]

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
        counts = [[n for cell in row for n in keyword_counts(str(cell), self.keywords_, self.themes_)]
                  for row in X]
        return np.log1p(np.array(counts, dtype=np.float64).reshape(X.shape[0], -1))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


# ---------------------------------------------------------------- pipelines


def _char_tfidf(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=min_df, sublinear_tf=True,
                           dtype=np.float64)


def _syllables() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float64)


def text_features(*, char_min_df: int = 2, opening_words: int | None = None,
                  syllables: bool = False) -> ColumnTransformer:
    """Word tokens of both fields (of the first ``opening_words`` words of field 0 when
    given), syllable 1-2-grams of field 0 when ``syllables``, character 2-5-grams of each
    field, and the keyword baseline's counts per theme."""
    steps: list[tuple[str, Any, Any]] = [
        ("words", WordTokenTfidf(max_words=None if opening_words is None else (opening_words, None)), [0, 1])]
    if syllables:
        steps.append(("syllables", _syllables(), 0))
    steps += [("chars", _char_tfidf(char_min_df), 0), ("context_chars", _char_tfidf(char_min_df), 1),
              ("keywords", ThemeKeywordCounts(), [0, 1])]
    return ColumnTransformer(steps)


def _classifier(features: ColumnTransformer, seed: int, C: float) -> Pipeline:
    """Features + a multinomial logistic regression with classes weighted by inverse
    frequency (rare themes count as much as common ones)."""
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("model", model)])


def theme_pipeline(*, seed: int = 0, C: float = 10.0) -> Pipeline:
    """The theme classifier, unfitted."""
    return _classifier(text_features(char_min_df=2, opening_words=THEME_OPENING_WORDS, syllables=True),
                       seed, C)


def section_pipeline(*, seed: int = 0, C: float = 10.0) -> Pipeline:
    """The level-1 section-role classifier, unfitted: word tokens, character n-grams (every
    one kept: there are only ~50 level-1 headings) and keyword counts of both fields."""
    return _classifier(text_features(char_min_df=1), seed, C)


# ---------------------------------------------------------------- compilation


def compile_linear(model: Pipeline, check: Any = None) -> LinearTextModel:
    """The fitted ``model`` (``features`` + ``model`` steps, as built here) as plain arrays.

    ``check``: samples on which the compiled model's probabilities must equal the
    pipeline's (to 1e-9); a ValueError otherwise. Unsupported settings raise ValueError.
    """
    check_is_fitted(model)
    features, clf = model.named_steps["features"], model.named_steps["model"]
    if not isinstance(clf, LogisticRegression):
        raise ValueError(f"only LogisticRegression compiles, not {type(clf).__name__}")
    blocks = tuple(_block(t, cols) for name, t, cols in features.transformers_
                   if name != "remainder" and t != "drop")
    classes = tuple(str(c) for c in clf.classes_)
    linear = LinearTextModel(blocks, classes, np.array(clf.coef_, dtype=np.float64),
                             np.array(clf.intercept_, dtype=np.float64))
    if check is not None and len(check):
        gap = float(np.abs(linear.predict_proba(check) - model.predict_proba(check)).max())
        if gap > 1e-9:
            raise ValueError(f"compiled model differs from the pipeline by {gap:.3g}")
    return linear


def _columns(cols: Any) -> tuple[int, ...]:
    return tuple(int(c) for c in np.atleast_1d(cols))


def _block(transformer: Any, cols: Any) -> TfidfBlock | KeywordBlock:
    if isinstance(transformer, ThemeKeywordCounts):
        return KeywordBlock(_columns(cols), transformer.keywords_, transformer.themes_)
    if isinstance(transformer, WordTokenTfidf):
        vec = transformer.vectorizer_
        mw = transformer.max_words
        return TfidfBlock("field_tokens", _columns(cols), dict(vec.vocabulary_), vec.idf_.copy(),
                          ngram_range=tuple(vec.ngram_range), lowercase=transformer.lowercase,
                          sublinear_tf=vec.sublinear_tf, field_prefix=transformer.field_prefix,
                          max_words=None if mw is None else tuple(mw))
    if isinstance(transformer, TfidfVectorizer):
        _check_vectorizer(transformer, cols)
        return TfidfBlock(transformer.analyzer, _columns(cols), dict(transformer.vocabulary_),
                          transformer.idf_.copy(), ngram_range=tuple(transformer.ngram_range),
                          lowercase=transformer.lowercase, sublinear_tf=transformer.sublinear_tf,
                          token_pattern=transformer.token_pattern)
    raise ValueError(f"no compiled form for {type(transformer).__name__}")


def _check_vectorizer(vec: TfidfVectorizer, cols: Any) -> None:
    """ValueError unless ``vec`` uses only what :class:`~sxtdbv_nlp.linear.TfidfBlock` restates."""
    plain = (vec.analyzer in ("char_wb", "word") and vec.preprocessor is None and vec.tokenizer is None
             and vec.stop_words is None and vec.strip_accents is None and not vec.binary
             and vec.use_idf and vec.norm == "l2" and vec.input == "content" and np.ndim(cols) == 0)
    if not plain:
        raise ValueError(f"TfidfVectorizer settings outside the compiled form: {vec.get_params()}")
