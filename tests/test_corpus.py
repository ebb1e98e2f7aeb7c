"""sxtdbv_nlp.corpus: the gold files as a DatasetDict, a spaCy DocBin and brat files."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import ANNOTATIONS, DOC_IDS, ROOT
from hypothesis import given
from hypothesis import strategies as st

from sxtdbv_nlp.corpus import (
    BIO_TAGS,
    blank_nlp,
    from_brat,
    load_annotations,
    load_corpus,
    sentences,
    to_brat,
    to_docbin,
    tokens,
)
from sxtdbv_nlp.errors import AnnotationError
from sxtdbv_nlp.types import (
    LABELS,
    AgencyValue,
    DocumentBounds,
    Entity,
    LegalRefValue,
    PlanDocument,
)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


@pytest.fixture(scope="module")
def gold() -> dict[str, PlanDocument]:
    return {doc.doc_id: doc for doc in load_annotations(ANNOTATIONS)}


def test_corpus_has_documents_and_sentences(corpus) -> None:
    assert set(corpus) == {"documents", "sentences"}
    assert sorted(corpus["documents"]["doc_id"]) == DOC_IDS
    assert set(corpus["sentences"]["doc_id"]) == set(DOC_IDS)


def test_corpus_features_are_explicit(corpus) -> None:
    docs, sents = corpus["documents"].features, corpus["sentences"].features
    assert docs["entities"].feature["label"].names == list(LABELS)
    assert docs["header"]["title"].dtype == "string"
    assert sents["ner_tags"].feature.names == list(BIO_TAGS)
    assert BIO_TAGS[:3] == ("O", "B-AGENCY", "I-AGENCY") and len(BIO_TAGS) == 17
    assert sents["token_starts"].feature.dtype == "int32"


def test_corpus_document_rows_keep_the_gold(corpus, gold) -> None:
    row = corpus["documents"][0]
    doc = gold[row["doc_id"]]
    assert row["text"] == doc.text
    assert (row["document_start"], row["document_end"]) == (doc.document.start, doc.document.end)
    assert len(row["entities"]) == len(doc.entities)
    assert len(row["items"]) == len(doc.items)


def _decode(rows, names) -> set[tuple[int, int, str]]:
    """Entity spans read back from BIO tags and token offsets."""
    spans, open_span = set(), None
    for row in rows:
        for tag_id, start, end in zip(row["ner_tags"], row["token_starts"], row["token_ends"],
                                      strict=True):
            tag = names[tag_id]
            if tag.startswith("I-") and open_span and open_span[2] == tag[2:]:
                open_span[1] = end
                continue
            if open_span:
                spans.add(tuple(open_span))
            open_span = [start, end, tag[2:]] if tag.startswith("B-") else None
        if open_span:
            spans.add(tuple(open_span))
            open_span = None
    return spans


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_corpus_every_gold_entity_comes_back_from_bio_tags(corpus, gold, doc_id: str) -> None:
    rows = corpus["sentences"].filter(lambda r: r["doc_id"] == doc_id)
    names = corpus["sentences"].features["ner_tags"].feature.names
    assert _decode(rows, names) == {(e.start, e.end, e.label) for e in gold[doc_id].entities}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_corpus_tokens_index_the_text(corpus, gold, doc_id: str) -> None:
    text = gold[doc_id].text
    for row in corpus["sentences"].filter(lambda r: r["doc_id"] == doc_id):
        assert row["text"] == text[row["start"]:row["end"]]
        assert row["tokens"] == [text[s:e] for s, e in
                                 zip(row["token_starts"], row["token_ends"], strict=True)]


TEXT = "Sở Kế hoạch và Đầu\r\ntư chủ trì. Phối hợp với TP. Hồ Chí Minh; Bộ Công Thương."


def _doc(*needles: str, text: str = TEXT) -> PlanDocument:
    ents = tuple(Entity(f"e{n}", text.index(s), text.index(s) + len(s), "AGENCY", s,
                        AgencyValue(s)) for n, s in enumerate(needles, 1))
    return PlanDocument(text=text, doc_id="mini", document=DocumentBounds(0, len(text)),
                        entities=ents)


def test_sentences_split_at_lines_and_stops_but_never_inside_an_entity() -> None:
    doc = _doc("Sở Kế hoạch và Đầu\r\ntư", "TP. Hồ Chí Minh")
    assert [TEXT[s.start:s.end] for s in sentences(doc)] == [
        "Sở Kế hoạch và Đầu\r\ntư chủ trì.", "Phối hợp với TP. Hồ Chí Minh; Bộ Công Thương."]
    assert [TEXT[s.start:s.end] for s in sentences(_doc())] == [
        "Sở Kế hoạch và Đầu", "tư chủ trì.", "Phối hợp với TP.", "Hồ Chí Minh; Bộ Công Thương."]


@given(st.lists(st.sampled_from(["Sở", "Công", "Thương", ".", "\n", " ", "TP.", "\r\n"]),
                min_size=1, max_size=30), st.data())
def test_sentences_contain_every_entity_whole(words: list[str], data: st.DataObject) -> None:
    text = "x " + " ".join(words) + " y"
    starts = [i for i in range(len(text)) if not text[i].isspace()]
    start = data.draw(st.sampled_from(starts))
    ends = [j for j in range(start + 1, len(text) + 1) if not text[j - 1].isspace()]
    end = data.draw(st.sampled_from(ends))
    doc = _doc(text=text)
    doc = dataclasses.replace(doc, entities=(Entity("e1", start, end, "AGENCY", text[start:end],
                                                    AgencyValue(None, group=True)),))
    assert any(s.start <= start and end <= s.end for s in sentences(doc))


def test_tokens_name_the_document_and_offset_of_a_misaligned_entity() -> None:
    doc = _doc("Sở Công Thươn", text="Sở Công Thương chủ trì")
    with pytest.raises(AnnotationError, match=r"mini @0: entity e1 'Sở Công Thươn'"):
        tokens(doc)


def test_docbin_round_trip_keeps_every_entity(tmp_path: Path, gold) -> None:
    from spacy.tokens import DocBin

    docs = [gold[d] for d in DOC_IDS]
    to_docbin(docs, tmp_path / "gold.spacy")
    back = list(DocBin().from_disk(tmp_path / "gold.spacy").get_docs(blank_nlp().vocab))
    assert sum(len(d.ents) for d in back) == sum(len(d.entities) for d in docs)
    assert [d.user_data["doc_id"] for d in back] == DOC_IDS
    first = docs[0]
    assert [(e.start_char, e.end_char, e.label_) for e in back[0].ents] == sorted(
        (e.start, e.end, e.label) for e in first.entities)


def test_docbin_rejects_a_misaligned_entity(tmp_path: Path) -> None:
    with pytest.raises(AnnotationError, match="@0"):
        to_docbin([_doc("Sở Công Thươn", text="Sở Công Thương")], tmp_path / "x.spacy")


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_brat_round_trip_keeps_entities_and_values(tmp_path: Path, gold, doc_id: str) -> None:
    doc = gold[doc_id]
    txt, ann = to_brat(doc, tmp_path)
    assert txt.read_bytes() == (ROOT / doc.text_file).read_bytes()
    back = from_brat(txt, ann)
    assert back.text == doc.text
    assert back.entities == tuple(sorted(doc.entities, key=lambda e: (e.start, e.end)))


def test_brat_round_trip_of_a_span_over_a_crlf_line_break(tmp_path: Path) -> None:
    doc = _doc("Sở Kế hoạch và Đầu\r\ntư", "Bộ Công Thương")
    txt, ann = to_brat(doc, tmp_path)
    assert "T1\tAGENCY 0 22\tSở Kế hoạch và Đầu  tư\n" in ann.read_text(encoding="utf-8")
    assert from_brat(txt, ann).entities == doc.entities


def _brat(tmp_path: Path, ann: str, text: str = "Sở Công Thương chủ trì") -> tuple[Path, Path]:
    txt_path, ann_path = tmp_path / "doc.txt", tmp_path / "doc.ann"
    txt_path.write_text(text, encoding="utf-8")
    ann_path.write_text(ann, encoding="utf-8")
    return txt_path, ann_path


@pytest.mark.parametrize(("ann", "message"), [
    ("T1\tAGENCY 0 2;3 7\tSở Công\n", "discontinuous span"),
    ("T1\tORG 0 14\tSở Công Thương\n", "label 'ORG' is not one of"),
    ("T1\tAGENCY 0 14\tSở Công Thuong\n", "text 'Sở Công Thuong' != text[0:14]"),
    ("T1\tAGENCY 0 14\tSở Công Thương\n#1\tAnnotatorNotes T1\t{\"canonical\": \n",
     "not valid JSON"),
])
def test_from_brat_rejects(tmp_path: Path, ann: str, message: str) -> None:
    with pytest.raises(AnnotationError, match=re.escape(message)):
        from_brat(*_brat(tmp_path, ann))


def test_from_brat_reads_notes_as_values(tmp_path: Path) -> None:
    ann = ("T3\tAGENCY 0 14\tSở Công Thương\n"
           "#1\tAnnotatorNotes T3\t{\"canonical\": \"Sở Công Thương tỉnh Phú Thọ\", "
           "\"group\": false}\n"
           "T4\tLEGAL_REF 15 18\tchủ\n"
           "#2\tAnnotatorNotes T4\tfree-text comment, not a value\n")
    doc = from_brat(*_brat(tmp_path, ann))
    assert doc.doc_id == "doc" and doc.document is None
    assert [e.id for e in doc.entities] == ["e3", "e4"]
    assert doc.entities[0].value == AgencyValue("Sở Công Thương tỉnh Phú Thọ")
    assert doc.entities[1].value == LegalRefValue(None)  # no value note: unknown value
