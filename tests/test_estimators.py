"""scikit-learn side of the classifiers (sxtdbv_nlp.estimators): the estimator contract,
the features, and compilation into the run-time form."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from conftest import ANNOTATIONS
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from sxtdbv_nlp import estimators
from sxtdbv_nlp.classify import section_rows, theme_rows
from sxtdbv_nlp.corpus import read_annotation
from sxtdbv_nlp.estimators import (
    THEME_OPENING_WORDS,
    ThemeKeywordCounts,
    WordTokenTfidf,
    compile_linear,
    section_pipeline,
    theme_pipeline,
)

SMALL_DOCS = ("hau-giang_45-KH-UBND_2024", "ninh-binh_87-KH-UBND_2020")


@pytest.fixture(scope="module")
def small_rows():
    docs = [read_annotation(ANNOTATIONS / f"{d}.json") for d in SMALL_DOCS]
    return theme_rows(docs)


@parametrize_with_checks([WordTokenTfidf(), WordTokenTfidf(max_words=(3, None)), ThemeKeywordCounts()])
def test_estimators_contract(estimator, check) -> None:
    check(estimator)


def test_estimators_docstring_examples() -> None:
    assert doctest.testmod(estimators).failed == 0


def test_estimators_word_token_tfidf_fields() -> None:
    X = np.array([["tuyên truyền", "Nhiệm vụ"], ["chất thải", "Nhiệm vụ"]], dtype=object)
    prefixed = WordTokenTfidf(field_prefix=True).fit(X)
    assert sorted(prefixed.vectorizer_.vocabulary_) == ["0:chất_thải", "0:tuyên_truyền", "1:nhiệm_vụ"]
    shared = WordTokenTfidf().fit(X)
    assert "nhiệm_vụ" in shared.vectorizer_.vocabulary_


def test_estimators_word_token_tfidf_reads_only_the_opening() -> None:
    X = np.array([["Tổ chức tuyên truyền về chất thải", "Nhiệm vụ trọng tâm"]], dtype=object)
    vocab = WordTokenTfidf(max_words=(2, None)).fit(X).vectorizer_.vocabulary_
    assert "tổ_chức" in vocab and "chất_thải" not in vocab and "trọng_tâm" in vocab


def test_estimators_keyword_counts() -> None:
    X = np.array([["phân loại chất thải, tái chế chất thải", ""]], dtype=object)
    counts = ThemeKeywordCounts().fit(X)
    row = counts.transform(X)[0]
    item_part, context_part = row[:len(counts.themes_)], row[len(counts.themes_):]
    assert counts.themes_[int(item_part.argmax())] == "waste"
    assert item_part.min() >= 0 and not context_part.any()


def test_estimators_theme_pipeline_reads_the_opening_words() -> None:
    words = theme_pipeline().named_steps["features"].transformers[0][1]
    assert words.max_words == (THEME_OPENING_WORDS, None)


def test_estimators_compiled_theme_model_equals_pipeline(small_rows) -> None:
    X, y, _ = small_rows
    model = theme_pipeline(seed=0).fit(X, y)
    linear = compile_linear(model, check=X)
    unseen = np.array([["Tuyên truyền về tiết kiệm năng lượng", "NHIỆM VỤ"], ["", ""],
                       ["Một việc chưa từng gặp xyz", "Phụ lục"]], dtype=object)
    for rows in (X, unseen):
        np.testing.assert_allclose(linear.predict_proba(rows), model.predict_proba(rows), rtol=0, atol=1e-12)
    assert list(linear.classes_) == list(model.classes_)


def test_estimators_compiled_section_model_equals_pipeline() -> None:
    docs = [read_annotation(ANNOTATIONS / f"{d}.json") for d in SMALL_DOCS]
    X, y, _, _ = section_rows(docs)
    model = section_pipeline(seed=0).fit(X, y)
    np.testing.assert_allclose(compile_linear(model).predict_proba(X), model.predict_proba(X), atol=1e-12)


def test_estimators_compile_two_classes() -> None:
    X = np.array([["tái chế chất thải", "a"], ["tuyên truyền", "b"], ["chất thải rắn", "a"],
                  ["truyền thông", "b"]], dtype=object)
    model = theme_pipeline().fit(X, ["waste", "awareness", "waste", "awareness"])
    np.testing.assert_allclose(compile_linear(model).predict_proba(X), model.predict_proba(X), atol=1e-12)


@pytest.mark.parametrize("pipeline", [
    Pipeline([("features", ColumnTransformer([("w", WordTokenTfidf(), [0, 1])])), ("model", LinearSVC())]),
    Pipeline([("features", ColumnTransformer([("c", TfidfVectorizer(analyzer="char"), 0)])),
              ("model", LogisticRegression())]),
    Pipeline([("features", ColumnTransformer([("c", TfidfVectorizer(strip_accents="unicode"), 0)])),
              ("model", LogisticRegression())]),
], ids=["svm", "char-analyser", "accents-stripped"])
def test_estimators_compile_refuses_what_it_cannot_restate(pipeline: Pipeline) -> None:
    X = np.array([["tái chế", "a"], ["tuyên truyền", "b"]], dtype=object)
    with pytest.raises(ValueError):
        compile_linear(pipeline.fit(X, ["x", "y"]))
