"""Stage 6, classify, at run time: a fitted linear text classifier as plain arrays.

The theme classifier is trained as a scikit-learn ``Pipeline``
(:func:`sxtdbv_nlp.estimators.theme_pipeline`). Running that pipeline would cost more than
the analysis itself: importing scikit-learn takes about 0.7 s and 125 MB (it imports
SciPy's statistics and pandas), and skops another 0.9 s to check and load the file
(``docs/benchmarks.md``). So :func:`sxtdbv_nlp.estimators.compile_linear` reads the
fitted pipeline into a :class:`LinearTextModel`, made of what a linear model over TF-IDF
features is:

- per feature block, its analyser settings, vocabulary and IDF weights
  (:class:`TfidfBlock`), or the keyword list of the keyword-count block
  (:class:`KeywordBlock`);
- the logistic regression's coefficients, intercepts and classes.

:meth:`LinearTextModel.predict_proba` computes the same features with
:mod:`sxtdbv_nlp.features` and the same probabilities with numpy. Training checks that
they equal the pipeline's ``predict_proba`` before the model is written, and
``tests/test_linear.py`` checks it again on every gold item.

On disk (:mod:`sxtdbv_nlp.models` writes and reads the files): :meth:`LinearTextModel.to_json`
holds the blocks and classes; the coefficient and intercept arrays are ``.npy`` files
read with ``allow_pickle=False``. Nothing in them is executed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sxtdbv_nlp.features import (
    char_wb_ngrams,
    field_tokens,
    keyword_counts,
    token_regex,
    word_ngrams,
)

__all__ = ["LINEAR_FORMAT", "KeywordBlock", "LinearTextModel", "TfidfBlock"]

#: Version of the JSON layout; a file of another version is refused.
LINEAR_FORMAT = 1

#: The analysers a :class:`TfidfBlock` knows: underthesea word tokens over several
#: fields, and scikit-learn's character and word analysers over one field.
ANALYZERS = ("field_tokens", "char_wb", "word")


@dataclass(frozen=True)
class TfidfBlock:
    """One TF-IDF feature block: an analyser over ``columns``, its vocabulary and IDF.

    Values are scikit-learn's: term counts, ``1 + log(count)`` when ``sublinear_tf``,
    times ``idf``, the row then scaled to unit length (``norm="l2"``).
    """

    analyzer: str
    columns: tuple[int, ...]
    vocabulary: Mapping[str, int]
    idf: np.ndarray
    ngram_range: tuple[int, int] = (1, 1)
    lowercase: bool = True
    sublinear_tf: bool = True
    token_pattern: str = r"(?u)\b\w\w+\b"  # scikit-learn's default: words of 2+ characters
    field_prefix: bool = False
    max_words: tuple[int | None, ...] | None = None

    def __post_init__(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise ValueError(f"unknown analyser {self.analyzer!r} (known: {ANALYZERS})")
        if len(self.idf) != len(self.vocabulary):
            raise ValueError(f"{len(self.vocabulary)} terms but {len(self.idf)} IDF weights")

    @property
    def width(self) -> int:
        return len(self.vocabulary)

    def terms(self, row: Sequence[object]) -> list[str]:
        """The analyser's terms of one sample (before the vocabulary filter)."""
        if self.analyzer == "field_tokens":
            return field_tokens([row[c] for c in self.columns], lowercase=self.lowercase,
                                field_prefix=self.field_prefix, max_words=self.max_words)
        text = str(row[self.columns[0]])
        if self.lowercase:
            text = text.lower()
        if self.analyzer == "char_wb":
            return char_wb_ngrams(text, self.ngram_range)
        return word_ngrams(token_regex(self.token_pattern).findall(text), self.ngram_range)

    def counts(self, row: Sequence[object]) -> tuple[list[int], list[int]]:
        """(column indices, term counts) of one sample's in-vocabulary terms."""
        vocab = self.vocabulary
        found = [(vocab.get(t), n) for t, n in Counter(self.terms(row)).items()]  # Counter counts in C
        return [k for k, _ in found if k is not None], [n for k, n in found if k is not None]

    def entries(self, X: Sequence[Sequence[object]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sample, column, value) of every non-zero TF-IDF value of ``X``, by sample."""
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[int] = []
        for i, (c, n) in enumerate(_memoised(self.counts, X, self.columns)):
            rows += [i] * len(c)
            cols += c
            tfs += n
        r, c = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
        tf = np.array(tfs, dtype=np.float64)
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        values = tf * self.idf[c]
        norms = np.sqrt(np.bincount(r, weights=values * values, minlength=len(X)))
        return r, c, values / np.where(norms > 0, norms, 1.0)[r]

    def to_json(self) -> dict[str, Any]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {"kind": "tfidf", "analyzer": self.analyzer, "columns": list(self.columns),
                "ngram_range": list(self.ngram_range), "lowercase": self.lowercase,
                "sublinear_tf": self.sublinear_tf, "token_pattern": self.token_pattern,
                "field_prefix": self.field_prefix,
                "max_words": None if self.max_words is None else list(self.max_words),
                "terms": terms, "idf": [float(x) for x in self.idf]}


@dataclass(frozen=True)
class KeywordBlock:
    """Dense block: per column and theme, ``log1p`` of the theme's keyword count."""

    columns: tuple[int, ...]
    keywords: tuple[tuple[str, str], ...]
    themes: tuple[str, ...]

    @property
    def width(self) -> int:
        return len(self.columns) * len(self.themes)

    def counts(self, row: Sequence[object]) -> list[float]:
        return [n for c in self.columns for n in keyword_counts(str(row[c]), self.keywords, self.themes)]

    def entries(self, X: Sequence[Sequence[object]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sample, column, value) of every non-zero value of ``X``, by sample."""
        dense = np.log1p(np.array(_memoised(self.counts, X, self.columns), dtype=np.float64))
        dense = dense.reshape(len(X), self.width)
        r, c = np.nonzero(dense)
        return r, c, dense[r, c]

    def to_json(self) -> dict[str, Any]:
        return {"kind": "keywords", "columns": list(self.columns),
                "keywords": [list(k) for k in self.keywords], "themes": list(self.themes)}


Block = TfidfBlock | KeywordBlock


def _memoised(func: Callable[[Sequence[object]], Any], X: Sequence[Sequence[object]],
              columns: tuple[int, ...]) -> list[Any]:
    """``func(row)`` for every row, computed once per distinct content of ``columns``
    (the heading titles of a plan's items repeat)."""
    memo: dict[tuple[str, ...], Any] = {}
    out = []
    for row in X:
        key = tuple(str(row[c]) for c in columns)
        if key not in memo:
            memo[key] = func(row)
        out.append(memo[key])
    return out


@dataclass(frozen=True)
class LinearTextModel:
    """A multinomial logistic regression over concatenated feature blocks.

    ``coef`` has one row per class and one column per feature (blocks in order);
    ``intercept`` one value per class. With two classes scikit-learn keeps one row of
    coefficients for the second class; :meth:`predict_proba` handles both shapes.
    """

    blocks: tuple[Block, ...]
    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        width = sum(b.width for b in self.blocks)
        rows = 1 if len(self.classes) == 2 else len(self.classes)
        if self.coef.shape != (rows, width) or self.intercept.shape != (rows,):
            raise ValueError(f"coefficients {self.coef.shape} / intercepts {self.intercept.shape} do not "
                             f"fit {len(self.classes)} classes and {width} features")

    @property
    def classes_(self) -> np.ndarray:
        """The class labels, named as scikit-learn names them."""
        return np.array(self.classes, dtype=object)

    def decision_function(self, X: Sequence[Sequence[object]]) -> np.ndarray:
        """Per sample, ``features @ coef.T + intercept``."""
        scores = np.tile(self.intercept, (len(X), 1))
        offset = 0
        for block in self.blocks:
            r, c, v = block.entries(X)  # grouped by sample
            if len(r):
                starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
                scores[r[starts]] += np.add.reduceat(self.coef.T[c + offset] * v[:, None], starts, axis=0)
            offset += block.width
        return scores

    def predict_proba(self, X: Sequence[Sequence[object]]) -> np.ndarray:
        """Class probabilities (columns in :attr:`classes` order), as scikit-learn's
        ``LogisticRegression.predict_proba``: softmax, or the logistic function for two classes."""
        scores = self.decision_function(X)
        if len(self.classes) == 2:
            p = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - p, p])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)

    def predict(self, X: Sequence[Sequence[object]]) -> list[str]:
        proba = self.predict_proba(X)
        return [self.classes[k] for k in proba.argmax(axis=1)]

    # ------------------------------------------------------------ (de)serialisation

    def to_json(self) -> dict[str, Any]:
        """Everything but the coefficient arrays, as JSON-ready data."""
        return {"format": LINEAR_FORMAT, "classes": list(self.classes), "settings": dict(self.settings),
                "blocks": [b.to_json() for b in self.blocks]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], coef: np.ndarray, intercept: np.ndarray) -> LinearTextModel:
        """The model of :meth:`to_json`'s data and the two arrays; ValueError if inconsistent."""
        if data.get("format") != LINEAR_FORMAT:
            raise ValueError(f"linear model format {data.get('format')!r}, "
                             f"this library reads {LINEAR_FORMAT}")
        blocks = tuple(_block_from_json(b) for b in data["blocks"])
        return cls(blocks, tuple(data["classes"]), np.asarray(coef, dtype=np.float64),
                   np.asarray(intercept, dtype=np.float64), dict(data.get("settings") or {}))


def _block_from_json(data: Mapping[str, Any]) -> Block:
    if data["kind"] == "keywords":
        return KeywordBlock(tuple(data["columns"]), tuple((t, k) for t, k in data["keywords"]),
                            tuple(data["themes"]))
    if data["kind"] != "tfidf":
        raise ValueError(f"unknown feature block kind {data['kind']!r}")
    mw = data.get("max_words")
    return TfidfBlock(analyzer=data["analyzer"], columns=tuple(data["columns"]),
                      vocabulary={t: k for k, t in enumerate(data["terms"])},
                      idf=np.asarray(data["idf"], dtype=np.float64),
                      ngram_range=(int(data["ngram_range"][0]), int(data["ngram_range"][1])),
                      lowercase=bool(data["lowercase"]), sublinear_tf=bool(data["sublinear_tf"]),
                      token_pattern=data["token_pattern"], field_prefix=bool(data["field_prefix"]),
                      max_words=None if mw is None else tuple(mw))
