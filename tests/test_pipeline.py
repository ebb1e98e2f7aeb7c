"""analyze(): the public contract, bad input, NFC/NFD, serialisation, invariants."""

from __future__ import annotations

import json
import unicodedata
import warnings

import pytest
from conftest import DOC_IDS, read_corpus_text
from hypothesis import given
from hypothesis import strategies as st

import sxtdbv_nlp
from sxtdbv_nlp import (
    BinaryInputError,
    EmptyTextError,
    NoPlanStructureError,
    PlanDocument,
    SxtdbvError,
    SxtdbvWarning,
    analyze,
    analyze_file,
)

GUIDE_KEYS = {"doc_id", "text_file", "text_sha256", "document", "header", "sections",
              "entities", "items", "legal_basis"}


@pytest.fixture(scope="module", params=DOC_IDS)
def doc_and_text(request) -> tuple[PlanDocument, str]:
    text = read_corpus_text(request.param)
    return analyze(text, request.param), text


def test_to_dict_has_exactly_the_guide_schema(doc_and_text) -> None:
    doc, _ = doc_and_text
    data = doc.to_dict()
    assert set(data) == GUIDE_KEYS
    assert set(data["header"]) == {"issuer", "number", "place", "date", "title", "signer"}
    json.dumps(data, ensure_ascii=False)  # JSON-serialisable


def test_from_dict_reads_to_dict_back(doc_and_text) -> None:
    doc, text = doc_and_text
    again = PlanDocument.from_dict(doc.to_dict(), text)
    assert again.to_dict() == doc.to_dict()


def test_every_offset_indexes_the_text(doc_and_text) -> None:
    doc, text = doc_and_text
    assert 0 <= doc.document.start < doc.document.end <= len(text)
    for s in doc.sections:
        assert doc.document.start <= s.start < s.end <= doc.document.end
    for e in doc.entities:
        assert text[e.start:e.end] == e.text
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                assert text[cell.start:cell.end] == cell.text


def test_analyze_file_sets_doc_id_and_text_file() -> None:
    doc = analyze_file("corpus/raw/ninh-binh_87-KH-UBND_2020.txt")
    assert doc.doc_id == "ninh-binh_87-KH-UBND_2020"
    assert doc.text_file == "corpus/raw/ninh-binh_87-KH-UBND_2020.txt"


def test_text_sha256_is_the_file_hash() -> None:
    import hashlib

    path = "corpus/raw/hau-giang_45-KH-UBND_2024.txt"
    with open(path, "rb") as fh:
        assert analyze_file(path).text_sha256 == hashlib.sha256(fh.read()).hexdigest()


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_nfd_input_gives_the_same_structure_as_nfc(doc_id: str) -> None:
    nfc = read_corpus_text(doc_id)
    nfd = unicodedata.normalize("NFD", nfc)
    a, b = analyze(nfc, doc_id), analyze(nfd, doc_id)
    assert a.header == b.header
    assert [(s.level, s.marker, s.title, s.role) for s in a.sections] == [
        (s.level, s.marker, s.title, s.role) for s in b.sections]
    # offsets index the NFD text the caller gave, and cover the same characters
    for sa, sb in zip(a.sections, b.sections, strict=True):
        assert unicodedata.normalize("NFC", nfd[sb.start:sb.end]) == nfc[sa.start:sa.end]


@pytest.mark.parametrize("text", ["", "  \n\t ", "\u00a0\u3000"])
def test_empty_input_raises(text: str) -> None:
    with pytest.raises(EmptyTextError):
        analyze(text)


def test_binary_input_raises_the_library_error(tmp_path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(BinaryInputError):
        analyze_file(path)


def test_text_without_plan_structure_is_flagged_not_silent() -> None:
    text = "The quick brown fox jumps over the lazy dog. Nothing here is a plan."
    with pytest.warns(SxtdbvWarning):
        doc = analyze(text)
    assert doc.document is None and not doc.has_structure and doc.warnings
    with pytest.raises(NoPlanStructureError):
        analyze(text, strict=True)


def test_errors_share_one_base_class() -> None:
    for exc in (EmptyTextError, BinaryInputError, NoPlanStructureError):
        assert issubclass(exc, SxtdbvError) and issubclass(exc, ValueError)


def test_import_does_not_load_heavy_dependencies() -> None:
    import subprocess
    import sys

    code = ("import sys, sxtdbv_nlp; heavy = {'spacy', 'datasets', 'sklearn', 'underthesea', "
            "'torch'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert sxtdbv_nlp.__version__


@given(st.text(max_size=400))
def test_analyze_never_crashes_on_any_unicode(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SxtdbvWarning)
        try:
            doc = analyze(text)
        except SxtdbvError:
            return
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= len(text)
    for e in doc.entities:
        assert text[e.start:e.end] == e.text


PLAN_LINES = ["ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
              "Số: 12/KH-UBND", "KẾ HOẠCH", "I. MỤC TIÊU", "1. Mục tiêu chung", "- Giảm 5%.",
              "a) Tuyên truyền", "II. NHIỆM VỤ", "PHỤ LỤC", "TT", "|", "1", "Sở Công Thương", "",
              "Loading…", "Văn bản liên quan"]


@given(st.lists(st.sampled_from(PLAN_LINES), max_size=30), st.sampled_from(["\n", "\r\n"]))
def test_analyze_is_deterministic_and_in_range_on_plan_like_text(lines: list[str], nl: str) -> None:
    text = nl.join(lines)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SxtdbvWarning)
        try:
            a, b = analyze(text), analyze(text)
        except SxtdbvError:
            return
    assert a.to_dict() == b.to_dict()
    if a.document:
        assert 0 <= a.document.start <= a.document.end <= len(text)
    for s in a.sections:
        assert 0 <= s.start <= s.end <= len(text)
        assert s.level in (1, 2, 3, 4)


def test_keyword_themes_load_no_machine_learning_library() -> None:
    import subprocess
    import sys

    code = ("import sys, sxtdbv_nlp; d = sxtdbv_nlp.analyze_file("
            "'corpus/raw/ninh-binh_87-KH-UBND_2020.txt', themes='keywords'); "
            "assert d.items and all(i.theme for i in d.items); "
            "print(sorted({'sklearn', 'underthesea', 'skops', 'spacy'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unknown_option_is_the_library_error() -> None:
    with pytest.raises(sxtdbv_nlp.OptionError, match="themes"):
        analyze("Kế hoạch", themes="llm")
