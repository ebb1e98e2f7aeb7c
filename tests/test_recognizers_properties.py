"""Invariants of ``recognize`` on any text (hypothesis) and on the corpus plans."""

from __future__ import annotations

import pytest
from conftest import DOC_IDS, read_corpus_text
from hypothesis import given
from hypothesis import strategies as st

from sxtdbv_nlp.pipeline import analyze
from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.types import LABELS, DocumentBounds, Entity, Header

HEADERS = (None, Header(issuer="Ủy ban nhân dân tỉnh Phú Thọ"), Header(issuer="Chính phủ"))

# Text built from the pieces recognisers react to, so that hypothesis reaches their code
# paths (digits, units, signal words, agency heads, markup, line breaks), plus any Unicode.
PIECES = st.sampled_from([
    "ngày ", "tháng ", "năm ", "2025", "2021-2030", "15/12", "24/6/2020", "đến ", "trước ", "hằng ",
    "định kỳ ", "giai đoạn ", "Quý II/", "12.000", "1,5", "01 đến 02", "3-5", "%", " triệu đồng",
    "số ", "Quyết định ", "889/QĐ-TTg", "57-NQ/TW", "Luật ", "Bảo vệ môi trường", "Sở ", "Bộ ",
    "Công Thương", "UBND ", "Ủy ban nhân dân ", "tỉnh ", "các ", "huyện, thị xã", "xã, phường",
    "Trung tâm ", "Ban Chỉ đạo ", "Vụ ", "Kiểm soát", "KH&ĐT", "(UNIDO)", "**", "\n", "|", " ", ",",
    "- ", "Phú Thọ", "Việt Nam", "“", "”", "0", "9",
])
TEXTS = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join))


def check(text: str, entities: list[Entity], bounds: DocumentBounds) -> None:
    previous_end = bounds.start
    for i, e in enumerate(entities, 1):
        assert e.id == f"e{i}"
        assert bounds.start <= e.start < e.end <= bounds.end
        assert text[e.start:e.end] == e.text
        assert e.start >= previous_end  # sorted and non-overlapping
        previous_end = e.end
        assert e.label in LABELS
        assert e.source
        assert e.text == e.text.strip()


@given(text=TEXTS, header=st.sampled_from(HEADERS))
def test_properties_any_text(text: str, header: Header | None) -> None:
    bounds = DocumentBounds(0, len(text))
    first = recognize(text, bounds, header=header)
    check(text, first, bounds)
    assert recognize(text, bounds, header=header) == first  # deterministic


@given(text=TEXTS, a=st.integers(0, 60), b=st.integers(0, 60))
def test_properties_bounds_are_respected(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    bounds = DocumentBounds(start, end)
    check(text, recognize(text, bounds), bounds)


def test_properties_out_of_range_bounds() -> None:
    text = "Sở Tài chính"
    assert recognize(text, DocumentBounds(-5, 999))[0].text == "Sở Tài chính"
    assert recognize(text, DocumentBounds(50, 60)) == []
    assert recognize("", DocumentBounds(0, 0)) == []


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_properties_corpus(doc_id: str) -> None:
    text = read_corpus_text(doc_id)
    doc = analyze(text, doc_id)
    assert doc.document is not None
    bounds = doc.document
    check(text, list(doc.entities), bounds)
    again = analyze(text, doc_id)
    assert [e.to_dict() for e in again.entities] == [e.to_dict() for e in doc.entities]
    assert len(doc.entities) > 20
