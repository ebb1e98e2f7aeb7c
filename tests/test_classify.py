"""The classify stage (sxtdbv_nlp.classify): samples, theme predictions, the shipped model."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest
from conftest import ANNOTATIONS, ROOT

from sxtdbv_nlp import classify
from sxtdbv_nlp.classify import heading_titles, item_rows, predict_scores, theme_items, theme_rows
from sxtdbv_nlp.corpus import read_annotation
from sxtdbv_nlp.estimators import theme_pipeline
from sxtdbv_nlp.models import THEME, read_card
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


def test_classify_docstring_examples() -> None:
    assert doctest.testmod(classify).failed == 0


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
    card = read_card(THEME)
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


def test_classify_run_time_needs_no_scikit_learn() -> None:
    """analyze() themes items from the compiled model: scikit-learn and skops stay unimported."""
    code = ("import sys; from pathlib import Path; import sxtdbv_nlp; "
            "doc = sxtdbv_nlp.analyze_file(sorted(Path('corpus/raw').glob('*.txt'))[0]); "
            "assert any(i.theme_scores for i in doc.items), 'no model themes'; "
            "print(sorted(m for m in ('sklearn', 'skops', 'scipy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
