"""The classifiers of sxtdbv_nlp.classify: estimator contract, features, theme predictions."""

from __future__ import annotations

import doctest
import subprocess
import sys

import numpy as np
import pytest
from conftest import ANNOTATIONS, ROOT
from sklearn.utils.estimator_checks import parametrize_with_checks

from sxtdbv_nlp import classify
from sxtdbv_nlp.classify import (
    ThemeKeywordCounts,
    WordTokenTfidf,
    heading_titles,
    item_rows,
    predict_scores,
    theme_items,
    theme_pipeline,
    theme_rows,
)
from sxtdbv_nlp.corpus import read_annotation
from sxtdbv_nlp.models import THEME, load_sklearn
from sxtdbv_nlp.types import THEMES, Item, Section

SMALL_DOCS = ("hau-giang_45-KH-UBND_2024", "ninh-binh_87-KH-UBND_2020")
ITEMS = [
    ("Tổ chức tuyên truyền, tập huấn nâng cao nhận thức về sản xuất và tiêu dùng bền vững",
     ("NHIỆM VỤ VÀ GIẢI PHÁP", "Truyền thông")),
    ("Xây dựng chính sách ưu đãi cho sản phẩm thân thiện môi trường", ("NHIỆM VỤ VÀ GIẢI PHÁP",)),
    ("Phân loại chất thải rắn sinh hoạt tại nguồn", ()),
]


@pytest.fixture(scope="module")
def small_model():
    docs = [read_annotation(ANNOTATIONS / f"{d}.json") for d in SMALL_DOCS]
    X, y, _ = theme_rows(docs)
    return theme_pipeline(seed=0).fit(X, y)


@parametrize_with_checks([WordTokenTfidf(), ThemeKeywordCounts()])
def test_classify_estimator_contract(estimator, check) -> None:
    check(estimator)


def test_classify_docstring_examples() -> None:
    assert doctest.testmod(classify).failed == 0


def test_classify_word_tokens() -> None:
    assert classify.word_tokens("Sở Tài nguyên và Môi trường chủ trì") == (
        "Sở", "Tài_nguyên_và_Môi_trường", "chủ_trì")


def test_classify_underthesea_leaves_root_logger_alone() -> None:
    code = ("import logging; from sxtdbv_nlp.classify import word_tokens; word_tokens('Sở Y tế'); "
            "print(len(logging.getLogger().handlers))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "0"


@pytest.mark.parametrize(("text", "expected"), [("", ()), ("  \n", ()), ("—;", ())])
def test_classify_word_tokens_empty(text: str, expected: tuple[str, ...]) -> None:
    assert classify.word_tokens(text) == expected


def test_classify_word_token_tfidf_fields() -> None:
    X = np.array([["tuyên truyền", "Nhiệm vụ"], ["chất thải", "Nhiệm vụ"]], dtype=object)
    prefixed = WordTokenTfidf(field_prefix=True).fit(X)
    assert sorted(prefixed.vectorizer_.vocabulary_) == ["0:chất_thải", "0:tuyên_truyền", "1:nhiệm_vụ"]
    shared = WordTokenTfidf().fit(X)
    assert "nhiệm_vụ" in shared.vectorizer_.vocabulary_


def test_classify_keyword_counts() -> None:
    X = np.array([["phân loại chất thải, tái chế chất thải", ""]], dtype=object)
    counts = ThemeKeywordCounts().fit(X)
    row = counts.transform(X)[0]
    item_part, context_part = row[:len(counts.themes_)], row[len(counts.themes_):]
    assert counts.themes_[int(item_part.argmax())] == "waste"
    assert item_part.min() >= 0 and not context_part.any()


@pytest.mark.parametrize(("start", "expected"), [
    (5, ()), (15, ("I",)), (25, ("I", "1")), (45, ("I", "2", "a")), (65, ("II",)),
])
def test_classify_heading_titles(start: int, expected: tuple[str, ...]) -> None:
    secs = [Section(10, 12, 1, "I", "I"), Section(20, 22, 2, "1", "1"), Section(30, 32, 2, "2", "2"),
            Section(40, 42, 3, "a", "a"), Section(60, 62, 1, "II", "II")]
    assert heading_titles(secs, start) == expected


def test_classify_item_rows_shape() -> None:
    X = item_rows(["**Tuyên  truyền**"], [("I. NHIỆM VỤ", "1. Truyền thông")])
    assert X.shape == (1, 2)
    assert list(X[0]) == ["Tuyên truyền", "I. NHIỆM VỤ | 1. Truyền thông"]


def test_classify_probabilities_sum_to_one(small_model) -> None:
    scores = predict_scores(small_model, item_rows([t for t, _ in ITEMS], [h for _, h in ITEMS]))
    for row in scores:
        assert [t for t, _ in row] != [] and {t for t, _ in row} == set(THEMES)
        assert sum(p for _, p in row) == pytest.approx(1.0)
        probs = [p for _, p in row]
        assert probs == sorted(probs, reverse=True)


def test_classify_deterministic(small_model) -> None:
    docs = [read_annotation(ANNOTATIONS / f"{d}.json") for d in SMALL_DOCS]
    X, y, _ = theme_rows(docs)
    again = theme_pipeline(seed=0).fit(X, y)
    rows = item_rows([t for t, _ in ITEMS], [h for _, h in ITEMS])
    assert predict_scores(again, rows) == predict_scores(small_model, rows)
    assert again.predict_proba(rows).tobytes() == small_model.predict_proba(rows).tobytes()


@pytest.mark.slow
def test_classify_shipped_model_themes_items() -> None:
    _, card = load_sklearn(THEME)
    items = [Item(f"i{k}", "task", 0, len(t)) for k, (t, _) in enumerate(ITEMS)]
    out = theme_items(items, [t for t, _ in ITEMS], [h for _, h in ITEMS])
    if not card.shipped:
        assert out == items
        return
    assert [i.theme for i in out] == [i.theme_scores[0][0] for i in out]
    assert [i.theme for i in out] == ["awareness", "policy", "waste"]
    assert all(sum(p for _, p in i.theme_scores) == pytest.approx(1.0) for i in out)
    assert theme_items(items, [t for t, _ in ITEMS], [h for _, h in ITEMS]) == out


def test_classify_theme_items_empty() -> None:
    assert theme_items([], [], []) == []
