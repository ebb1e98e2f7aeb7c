"""Training (sxtdbv_nlp.train) on a tiny subset, reproducibility, and NER fusion."""

from __future__ import annotations

import doctest
import itertools
import json
import shutil
from pathlib import Path

import pytest
from conftest import ANNOTATIONS, CORPUS, read_corpus_text

from sxtdbv_nlp import models, ner_model
from sxtdbv_nlp.classify import item_rows, predict_scores, section_rows
from sxtdbv_nlp.corpus import read_annotation
from sxtdbv_nlp.models import NER, SECTION_ROLE, THEME, load_linear, load_sklearn, load_spacy, read_card
from sxtdbv_nlp.ner_model import SOURCE, Span, chunks, fuse, fuse_spans, predict_spans
from sxtdbv_nlp.train import rule_entities, train_all
from sxtdbv_nlp.types import AgencyValue, DocumentBounds, Entity, Header

TINY = ("hau-giang_45-KH-UBND_2024", "ninh-binh_87-KH-UBND_2020")
PROBE = [("Tổ chức tập huấn về sản xuất sạch hơn cho doanh nghiệp", ("NHIỆM VỤ",)),
         ("Phân loại rác thải tại nguồn", ())]


def _tiny_root(root: Path) -> Path:
    (root / "annotations").mkdir(parents=True)
    (root / "corpus" / "raw").mkdir(parents=True)
    for doc_id in TINY:
        shutil.copy(ANNOTATIONS / f"{doc_id}.json", root / "annotations")
        shutil.copy(CORPUS / f"{doc_id}.txt", root / "corpus" / "raw")
    return root / "annotations"


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The tiny subset trained twice with the same seed, into two model folders."""
    annotations = _tiny_root(tmp_path_factory.mktemp("tiny"))
    out = []
    for run in ("a", "b"):
        folder = tmp_path_factory.mktemp(f"models-{run}")
        train_all(annotations, folder, seed=0, jobs=1, ner_epochs=2, command="pytest")
        out.append(folder)
    models.clear_cache()
    return out


@pytest.mark.slow
def test_train_tiny_subset_writes_every_model(trained: list[Path]) -> None:
    folder = trained[0]
    assert sorted(p.name for p in folder.iterdir()) == sorted(r.folder for r in (THEME, SECTION_ROLE, NER))
    for ref in (THEME, SECTION_ROLE, NER):
        card = read_card(ref, folder)
        assert card.created_by == "pytest" and card.seed == 0
        assert sorted(f["path"] for f in card.training_files) == sorted(
            [f"annotations/{d}.json" for d in TINY] + [f"corpus/raw/{d}.txt" for d in TINY])
        assert card.metrics["lodo"]
    ner_card = read_card(NER, folder)
    assert set(ner_card.metrics["lodo"]["per_label"]["AGENCY"]) == {"rules", "model", "fused"}
    theme_card = read_card(THEME, folder)
    assert set(theme_card.metrics["lodo"]) >= {"classifier", "keyword", "majority"}
    card_file = json.loads((folder / THEME.folder / "meta.json").read_text(encoding="utf-8"))
    assert card_file["kind"] == "sklearn"
    assert {"model.skops", "linear.json", "coef.npy", "intercept.npy"} <= set(card_file["artefacts"])


@pytest.mark.slow
def test_train_reproducible_predictions(trained: list[Path]) -> None:
    rows = item_rows([t for t, _ in PROBE], [h for _, h in PROBE])
    themes = [load_sklearn(THEME, folder)[0] for folder in trained]
    assert themes[0].predict_proba(rows).tobytes() == themes[1].predict_proba(rows).tobytes()
    assert predict_scores(themes[0], rows) == predict_scores(themes[1], rows)
    compiled = [load_linear(THEME, folder)[0] for folder in trained]
    assert compiled[0].predict_proba(rows).tobytes() == compiled[1].predict_proba(rows).tobytes()
    compiled_files = [{k: v for k, v in read_card(THEME, f).artefacts.items() if k != "model.skops"}
                      for f in trained]  # a skops zip stamps its write time; the compiled files do not
    assert compiled_files[0] == compiled_files[1]
    X, _, _, _ = section_rows([read_annotation(ANNOTATIONS / f"{TINY[0]}.json")])
    sections = [load_sklearn(SECTION_ROLE, folder)[0] for folder in trained]
    assert sections[0].predict_proba(X).tobytes() == sections[1].predict_proba(X).tobytes()
    text = read_corpus_text(TINY[1])
    spans = [predict_spans(load_spacy(NER, folder)[0], text, 0, len(text)) for folder in trained]
    assert spans[0] == spans[1]
    ner_cards = [read_card(NER, folder) for folder in trained]
    assert ner_cards[0].metrics == ner_cards[1].metrics
    assert ner_cards[0].artefacts == ner_cards[1].artefacts  # the spaCy files are byte-identical


def test_train_docstring_examples() -> None:
    assert doctest.testmod(ner_model).failed == 0


def test_train_chunks_cover_entities() -> None:
    doc = read_annotation(ANNOTATIONS / f"{TINY[0]}.json")
    pieces = chunks(doc.text, doc.document.start, doc.document.end)
    assert all(doc.text[s:e] == doc.text[s:e].strip() and s < e for s, e in pieces)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(pieces))
    inside = sum(any(s <= e.start and e.end <= t for s, t in pieces) for e in doc.entities)
    assert inside == len(doc.entities)


def test_train_rule_entities_match_gold_offsets() -> None:
    doc = read_annotation(ANNOTATIONS / f"{TINY[1]}.json")
    found = rule_entities(doc.text)
    assert found and all(doc.text[e.start:e.end] == e.text for e in found)


RULE = Entity("e1", 0, 14, "AGENCY", "Sở Công Thương", AgencyValue("Sở Công Thương tỉnh Phú Thọ"))


@pytest.mark.parametrize(("spans", "labels", "expected"), [
    ([Span(0, 14, "AGENCY")], ["AGENCY"], []),                     # same span: rule wins
    ([Span(5, 20, "AGENCY")], ["AGENCY"], []),                     # overlap: rule wins
    ([Span(20, 30, "AGENCY")], ["AGENCY"], [Span(20, 30, "AGENCY")]),
    ([Span(20, 30, "AGENCY")], ["MONEY"], []),                     # label not fused
    ([Span(40, 44, "MONEY"), Span(20, 30, "AGENCY")], ["AGENCY", "MONEY"],
     [Span(20, 30, "AGENCY"), Span(40, 44, "MONEY")]),
], ids=["same", "overlap", "added", "not-fused", "sorted"])
def test_train_fuse_spans_policy(spans, labels, expected) -> None:
    assert fuse_spans([RULE], spans, labels) == expected


@pytest.mark.slow
def test_train_fuse_adds_model_agencies(trained: list[Path]) -> None:
    folder = trained[0]
    card_path = folder / "ner-1" / "meta.json"
    data = json.loads(card_path.read_text(encoding="utf-8"))
    data["settings"]["fused_labels"] = ["AGENCY"]
    card_path.write_text(json.dumps(data), encoding="utf-8")
    models.clear_cache()
    text = "Giao Sở Tài chính chủ trì, phối hợp với Trung tâm Khuyến công tổ chức thực hiện."
    nlp, _ = load_spacy(NER, folder)
    found = predict_spans(nlp, text, 0, len(text))
    header = Header(issuer="Ủy ban nhân dân tỉnh Hậu Giang")
    fused = fuse(text, DocumentBounds(0, len(text)), [], header=header, models=folder)
    assert [(e.start, e.end) for e in fused] == [(s.start, s.end) for s in found if s.label == "AGENCY"]
    assert [e.id for e in fused] == [f"e{k}" for k in range(1, len(fused) + 1)]
    assert all(e.source == SOURCE for e in fused)
    for ent in fused:
        if ent.text == "Sở Tài chính":
            assert ent.value.canonical == "Sở Tài chính tỉnh Hậu Giang"
    models.clear_cache()


def test_train_fuse_without_fused_labels_returns_rules() -> None:
    card = read_card(NER)
    if card.settings.get("fused_labels"):
        pytest.skip("the shipped NER fuses labels")
    text = "Sở Tài chính chủ trì."
    assert fuse(text, DocumentBounds(0, len(text)), [RULE]) == [RULE]


def test_train_model_value_agency() -> None:
    from sxtdbv_nlp.recognizers.base import Context

    text = "phối hợp với Sở Kế hoạch và Đầu tư tỉnh Ninh Bình"
    ctx = Context(text, 0, len(text), header=Header(issuer="Ủy ban nhân dân tỉnh Phú Thọ"))
    value = ner_model.model_value(text, 13, len(text), "AGENCY", ctx)
    assert value.canonical == "Sở Kế hoạch và Đầu tư tỉnh Ninh Bình"
    money = "12.000 triệu đồng"
    assert ner_model.model_value(money, 0, len(money), "MONEY", ctx).amount == 12_000_000_000
