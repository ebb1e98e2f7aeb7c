"""The run-time linear classifier (sxtdbv_nlp.linear): serialisation, validation, and the
shipped theme model's compiled form against its scikit-learn pipeline on every gold item."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import ANNOTATIONS

from sxtdbv_nlp import models
from sxtdbv_nlp.classify import theme_rows
from sxtdbv_nlp.corpus import load_annotations
from sxtdbv_nlp.errors import ModelError
from sxtdbv_nlp.linear import LINEAR_FORMAT, KeywordBlock, LinearTextModel, TfidfBlock
from sxtdbv_nlp.models import THEME, load_linear, load_sklearn

ROWS = np.array([["Tái chế chất thải rắn", "NHIỆM VỤ"], ["Tuyên truyền", "Truyền thông"], ["", ""]],
                dtype=object)


def _toy() -> LinearTextModel:
    words = TfidfBlock("word", (0,), {"chất": 0, "thải": 1, "tuyên": 2}, np.array([1.0, 1.5, 2.0]))
    keywords = KeywordBlock((0, 1), (("waste", "chất thải"), ("awareness", "tuyên truyền")),
                            ("awareness", "waste"))
    coef = np.array([[0.0, 0.0, 2.0, 1.0, 0.0, 0.5, 0.0], [1.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0],
                     [0.1, 0.1, 0.1, 0.0, 0.0, 0.0, 0.0]])
    classes = ("awareness", "waste", "other")
    return LinearTextModel((words, keywords), classes, coef, np.array([0.0, 0.0, 0.5]))


def test_linear_probabilities() -> None:
    proba = _toy().predict_proba(ROWS)
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert _toy().predict(ROWS) == ["waste", "awareness", "other"]


def test_linear_json_round_trip() -> None:
    model = _toy()
    data = json.loads(json.dumps(model.to_json()))
    again = LinearTextModel.from_json(data, model.coef, model.intercept)
    assert again.predict_proba(ROWS).tobytes() == model.predict_proba(ROWS).tobytes()


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.update(format=LINEAR_FORMAT + 1), "format"),
    (lambda d: d["blocks"][0].update(analyzer="char"), "analyser"),
    (lambda d: d["blocks"][0].update(idf=[1.0]), "IDF"),
    (lambda d: d.update(classes=["a", "b", "c", "d"]), "classes"),
])
def test_linear_inconsistent_data_refused(edit, message: str) -> None:
    data = json.loads(json.dumps(_toy().to_json()))
    edit(data)
    with pytest.raises(ValueError, match=message):
        LinearTextModel.from_json(data, _toy().coef, _toy().intercept)


def test_linear_shipped_theme_model_equals_its_pipeline() -> None:
    """The compiled form the pipeline runs gives the trained pipeline's probabilities."""
    linear, card = load_linear(THEME)
    pipeline, _ = load_sklearn(THEME)
    X, _, _ = theme_rows(load_annotations(ANNOTATIONS))
    np.testing.assert_allclose(linear.predict_proba(X), pipeline.predict_proba(X), rtol=0, atol=1e-12)
    assert card.settings["run_time"] == "linear.LinearTextModel"


@pytest.fixture
def theme_copy(tmp_path: Path):
    shutil.copytree(models.model_dir(THEME), tmp_path / THEME.folder)
    models.clear_cache()
    yield tmp_path
    models.clear_cache()


def test_linear_corrupted_array_is_a_model_error(theme_copy: Path) -> None:
    (theme_copy / THEME.folder / "coef.npy").write_bytes(b"\x93NUMPY broken")
    with pytest.raises(ModelError, match="corrupted"):
        load_linear(THEME, theme_copy)


def test_linear_unreadable_array_with_matching_hash_is_a_model_error(theme_copy: Path) -> None:
    folder = theme_copy / THEME.folder
    (folder / "coef.npy").write_bytes(b"\x93NUMPY broken")
    card = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    card["artefacts"]["coef.npy"] = models.file_sha256(folder / "coef.npy")
    (folder / "meta.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be loaded"):
        load_linear(THEME, theme_copy)


def test_linear_pickled_array_is_refused(theme_copy: Path) -> None:
    folder = theme_copy / THEME.folder
    np.save(folder / "coef.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    card = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    card["artefacts"]["coef.npy"] = models.file_sha256(folder / "coef.npy")
    (folder / "meta.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be loaded"):
        load_linear(THEME, theme_copy)
