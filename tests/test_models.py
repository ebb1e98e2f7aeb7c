"""Model persistence (sxtdbv_nlp.models): round trips, failures, versions, cards, no network."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import ANNOTATIONS, ROOT
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from sxtdbv_nlp import models
from sxtdbv_nlp.errors import ModelError, SxtdbvWarning
from sxtdbv_nlp.models import (
    NER,
    SECTION_ROLE,
    THEME,
    ModelCard,
    ModelRef,
    file_sha256,
    load_sklearn,
    load_spacy,
    read_card,
    save_sklearn,
    save_spacy,
)

TOY = ModelRef("toy", 1, "sklearn")
X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]])
Y = np.array(["a", "b", "a", "b"])


def _card(ref: ModelRef = TOY) -> ModelCard:
    return ModelCard(name=ref.name, version=ref.version, kind=ref.kind, shipped=True, decision="test",
                     seed=0, created_by="pytest", training_files=(), metrics={"lodo": {}}, libraries={})


@pytest.fixture(autouse=True)
def _fresh_cache():
    models.clear_cache()
    yield
    models.clear_cache()


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    save_sklearn(LogisticRegression(random_state=0).fit(X, Y), _card(), tmp_path)
    return tmp_path


def _edit_card(folder: Path, **changes) -> None:
    path = folder / "meta.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if isinstance(value, dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    models.clear_cache()


def test_models_sklearn_round_trip(saved: Path) -> None:
    model, card = load_sklearn(TOY, saved)
    fresh = LogisticRegression(random_state=0).fit(X, Y)
    assert model.predict_proba(X).tobytes() == fresh.predict_proba(X).tobytes()
    assert card.shipped and card.created_by == "pytest"
    assert set(card.artefacts) == {"model.skops"}
    assert load_sklearn(TOY, saved)[0] is model  # cached


def test_models_spacy_round_trip(tmp_path: Path) -> None:
    from sxtdbv_nlp.corpus import blank_nlp

    nlp = blank_nlp()
    save_spacy(nlp, _card(ModelRef("toy-ner", 1, "spacy")), tmp_path)
    loaded, card = load_spacy(ModelRef("toy-ner", 1, "spacy"), tmp_path)
    text = "Sở Kế hoạch& Đầu tư, Bộ Công Thương."
    assert [t.text for t in loaded(text)] == [t.text for t in nlp(text)]
    assert "pipeline/config.cfg" in card.artefacts


def test_models_missing(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"missing.*sxtdbv train"):
        load_sklearn(TOY, tmp_path)
    with pytest.raises(ModelError, match="sxtdbv train"):
        read_card(NER, tmp_path)


def test_models_corrupted_artefact(saved: Path) -> None:
    path = saved / "toy-1" / "model.skops"
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match=r"corrupted.*sxtdbv train"):
        load_sklearn(TOY, saved)


def test_models_unreadable_artefact_with_matching_hash(saved: Path) -> None:
    path = saved / "toy-1" / "model.skops"
    path.write_bytes(b"not a zip file")
    _edit_card(saved / "toy-1", artefacts={"model.skops": file_sha256(path)})
    with pytest.raises(ModelError, match="cannot be loaded"):
        load_sklearn(TOY, saved)


def test_models_corrupted_card(saved: Path) -> None:
    (saved / "toy-1" / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="unreadable"):
        load_sklearn(TOY, saved)


def test_models_wrong_model_in_folder(saved: Path) -> None:
    _edit_card(saved / "toy-1", name="other")
    with pytest.raises(ModelError, match="expected toy-1"):
        load_sklearn(TOY, saved)


def _double(x):
    return 2 * x


def test_models_untrusted_type_refused_on_save(tmp_path: Path) -> None:
    model = Pipeline([("f", FunctionTransformer(_double)), ("m", LogisticRegression())]).fit(X, Y)
    with pytest.raises(ModelError, match="TRUSTED_TYPES"):
        save_sklearn(model, _card(), tmp_path)
    assert not (tmp_path / "toy-1").exists()


def test_models_untrusted_type_refused_on_load(saved: Path) -> None:
    import skops.io as sio

    path = saved / "toy-1" / "model.skops"
    model = Pipeline([("f", FunctionTransformer(_double)), ("m", LogisticRegression())]).fit(X, Y)
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED)
    _edit_card(saved / "toy-1", artefacts={"model.skops": file_sha256(path)})
    with pytest.raises(ModelError, match="untrusted types"):
        load_sklearn(TOY, saved)


@pytest.mark.parametrize("trained", ["0.24.2", "99.0.0"])
def test_models_minor_version_mismatch_is_an_error(saved: Path, trained: str) -> None:
    _edit_card(saved / "toy-1", libraries={"scikit-learn": trained})
    with pytest.raises(ModelError, match=rf"scikit-learn {trained}.*sxtdbv train"):
        load_sklearn(TOY, saved)


def test_models_patch_version_mismatch_warns(saved: Path) -> None:
    installed = models.library_versions()["scikit-learn"]
    major, minor = installed.split(".")[:2]
    _edit_card(saved / "toy-1", libraries={"scikit-learn": f"{major}.{minor}.999"})
    with pytest.warns(SxtdbvWarning, match="same minor version"):
        model, _ = load_sklearn(TOY, saved)
    assert list(model.predict(X)) == list(Y)


def test_models_card_format_mismatch(saved: Path) -> None:
    _edit_card(saved / "toy-1", format=99)
    with pytest.raises(ModelError, match="format 99"):
        load_sklearn(TOY, saved)


def test_models_import_loads_nothing() -> None:
    code = ("import sys, sxtdbv_nlp, sxtdbv_nlp.models, sxtdbv_nlp.ner_model, sxtdbv_nlp.train; "
            "print(sorted(m for m in ('spacy', 'skops', 'underthesea', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_models_load_shipped_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    for ref in (THEME, SECTION_ROLE):
        model, _ = load_sklearn(ref)
        assert hasattr(model, "predict_proba")
    nlp, _ = load_spacy(NER)
    assert "ner" in nlp.pipe_names


@pytest.mark.parametrize("ref", [THEME, SECTION_ROLE, NER], ids=lambda r: r.folder)
def test_models_shipped_cards(ref: ModelRef) -> None:
    card = read_card(ref)
    assert (card.name, card.version, card.kind) == (ref.name, ref.version, ref.kind)
    gold = sorted(ANNOTATIONS.glob("*.json"))
    paths = {f["path"]: f["sha256"] for f in card.training_files}
    assert {f"annotations/{p.name}" for p in gold} <= set(paths)
    for rel, sha in paths.items():
        assert file_sha256(ROOT / rel) == sha, f"{rel} changed since training: run `sxtdbv train`"
    assert set(card.libraries) >= {"python", "scikit-learn", "spacy", "skops", "underthesea"}
    assert card.seed == 0 and card.created_by.startswith("sxtdbv train")
    assert card.metrics["lodo"] and card.decision
    assert card.artefacts


def test_models_shipped_sizes() -> None:
    total = sum(p.stat().st_size for p in models.models_dir().rglob("*") if p.is_file())
    assert total < 50 * 2**20
