"""Bad, odd and huge input: a clear library error or a flagged result, never a crash or a hang.

"Flagged" means ``PlanDocument.warnings`` is not empty or ``has_structure`` is False. Every
case runs under a generous time bound (:data:`HANG_GUARD_S`) that only guards against a
hang. Decisions recorded here (and in docs/robustness.md):

- Size: the default limit is 5 million characters (70x the longest plan; analysis is
  linear at about 3 µs per character). One character over it, and so a 50 MB text, is
  refused with :class:`InputTooLargeError` before any work; a text exactly at it is
  analysed (see docs/benchmarks.md).
- HTML is not stripped (offsets must index the caller's text): a plan inside ``<pre>``
  with the tags on their own lines is analysed as the plan; one ``<p>`` per line gives a
  result flagged as having no plan structure.
- Library gaps found by this suite are ``xfail(strict=True)`` tests with the reason, so
  they turn into failures once fixed (then drop the mark).
"""

from __future__ import annotations

import itertools
import random
import time
import unicodedata
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from conftest import DOC_IDS, read_corpus_text
from hypothesis import given
from hypothesis import strategies as st

from sxtdbv_nlp import (
    BinaryInputError,
    EmptyTextError,
    EncodingError,
    InputTooLargeError,
    NoPlanStructureError,
    PlanDocument,
    SxtdbvError,
    analyze,
    analyze_file,
    read_text,
)
from sxtdbv_nlp.text import DEFAULT_MAX_CHARS

HANG_GUARD_S = 10.0
SMALL = ("ninh-binh_87-KH-UBND_2020", "hau-giang_45-KH-UBND_2024")
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

pytestmark = pytest.mark.filterwarnings("ignore::sxtdbv_nlp.SxtdbvWarning")


# ---------------------------------------------------------------- helpers


def timed(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, failing if it takes longer than the hang guard."""
    start = time.perf_counter()
    try:
        return func(*args, **kwargs)
    finally:
        elapsed = time.perf_counter() - start
        assert elapsed < HANG_GUARD_S, f"{func.__name__} took {elapsed:.1f} s"


def flagged(doc: PlanDocument) -> bool:
    return bool(doc.warnings) or not doc.has_structure


def assert_invariants(doc: PlanDocument, text: str) -> None:
    """Offsets index ``text``; entity texts are their spans; entities and items never overlap."""
    assert doc.text is text or doc.text == text
    n = len(text)
    for ent in doc.entities:
        assert 0 <= ent.start <= ent.end <= n, ent
        assert text[ent.start:ent.end] == ent.text, ent
    for spans in (doc.entities, doc.items):
        ordered = sorted((s.start, s.end) for s in spans)
        assert all(0 <= a <= b <= n for a, b in ordered)
        assert all(prev[1] <= nxt[0] for prev, nxt in itertools.pairwise(ordered)), ordered
    for span in (*doc.sections, *doc.tables, *[b for b in (doc.document, doc.signature) if b]):
        assert 0 <= span.start <= span.end <= n, span


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def structure(doc: PlanDocument) -> dict[str, Any]:
    """What a plan says, independent of offsets and of Unicode normalisation."""
    by_id = {e.id: e for e in doc.entities}
    return {
        "header": doc.header,
        "sections": [(s.level, s.marker, s.title, s.role) for s in doc.sections],
        "entities": [(e.id, e.label, nfc(e.text), e.value) for e in doc.entities],
        "items": [(i.kind, i.theme, nfc(doc.text[i.start:i.end]), i.lead, i.partners, i.budget, i.time,
                   i.values) for i in doc.items],
        "legal_basis": [nfc(by_id[e].text) for e in doc.legal_basis if e in by_id],
        "tables": [(t.columns, [[nfc(c.text) for c in r.cells] for r in t.rows]) for t in doc.tables],
    }


def to_windows_1258(text: str) -> bytes:
    """``text`` in Windows-1258: base letters precomposed (ê, ơ, ư...), tone marks combining."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            base = nfc("".join(m for m in marks if m not in TONE_MARKS))
            out.append(base + "".join(m for m in marks if m in TONE_MARKS))
    return "".join(out).encode("cp1258")


@pytest.fixture(scope="module")
def plans() -> dict[str, tuple[str, PlanDocument]]:
    """Every corpus plan and its analysis."""
    return {doc_id: (text, analyze(text, doc_id)) for doc_id in DOC_IDS
            for text in [read_corpus_text(doc_id)]}


# ---------------------------------------------------------------- empty, binary, encodings


@pytest.mark.parametrize("text", ["", " ", "\n\r\n\t  \n", "\u00a0\u3000 \u2028"],
                         ids=["empty", "space", "blank-lines", "unicode-spaces"])
def test_empty_and_whitespace_text_is_an_empty_text_error(text) -> None:
    with pytest.raises(EmptyTextError):
        timed(analyze, text)


def test_an_empty_file_is_an_empty_text_error(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(EmptyTextError):
        analyze_file(tmp_path / "empty.txt")


_RNG = random.Random(8)
BINARY = {
    "random-bytes": _RNG.randbytes(20_000),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"
    + _RNG.randbytes(4000),
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + _RNG.randbytes(4000),
    "random-bytes-no-nul": bytes(b or 1 for b in _RNG.randbytes(20_000)),
}


@pytest.mark.parametrize("data", BINARY.values(), ids=BINARY.keys())
def test_binary_bytes_are_a_library_error(data, tmp_path) -> None:
    with pytest.raises((BinaryInputError, EncodingError)):
        timed(read_text, data)
    (tmp_path / "file.txt").write_bytes(data)
    with pytest.raises((BinaryInputError, EncodingError)):
        timed(analyze_file, tmp_path / "file.txt")


def test_a_text_with_nul_characters_is_a_binary_input_error() -> None:
    with pytest.raises(BinaryInputError):
        analyze("KẾ HOẠCH\x00\x00\x00I. MỤC TIÊU")


@pytest.mark.parametrize("doc_id", [d for d in DOC_IDS if d != "bac-ninh_144-KH-UBND_2025"])
def test_windows_1258_bytes_give_the_same_structure_as_utf8(doc_id, plans) -> None:
    """bac-ninh contains 'Ƕ' (U+01F6), which Windows-1258 cannot encode; the other eight round-trip."""
    text, expected = plans[doc_id]
    decoded = timed(read_text, to_windows_1258(text))
    assert decoded != text and nfc(decoded) == text
    doc = timed(analyze, decoded, doc_id)
    assert_invariants(doc, decoded)
    assert structure(doc) == structure(expected)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_nfd_text_gives_the_same_structure_with_offsets_into_the_nfd_text(doc_id, plans) -> None:
    text, expected = plans[doc_id]
    decomposed = unicodedata.normalize("NFD", text)
    doc = timed(analyze, decomposed, doc_id)
    assert_invariants(doc, decomposed)
    assert structure(doc) == structure(expected)


# ---------------------------------------------------------------- size


def test_one_character_over_the_default_limit_is_refused_at_once() -> None:
    text = "a" * (DEFAULT_MAX_CHARS + 1)
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError, match="5,000,000"):
        analyze(text)
    assert time.perf_counter() - start < 1.0


def test_a_file_over_the_limit_is_refused_at_once(tmp_path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * (DEFAULT_MAX_CHARS + 1))
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError):
        analyze_file(path)
    assert time.perf_counter() - start < 2.0


def test_a_50_mb_text_is_refused_at_once_with_the_library_error() -> None:
    text = "Lorem ipsum dolor sit amet.\n" * (50_000_000 // 28)
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError):
        analyze(text)
    assert time.perf_counter() - start < 1.0


def test_a_text_exactly_at_the_limit_is_analysed_and_flagged() -> None:
    line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n"
    text = (line * (DEFAULT_MAX_CHARS // len(line) + 1))[:DEFAULT_MAX_CHARS]
    doc = timed(analyze, text)
    assert not doc.has_structure and doc.warnings


def test_the_limit_is_inclusive(plans) -> None:
    text, expected = plans[SMALL[0]]
    assert analyze(text, SMALL[0], max_chars=len(text)).to_dict() == expected.to_dict()
    with pytest.raises(InputTooLargeError):
        analyze(text, max_chars=len(text) - 1)


# ---------------------------------------------------------------- degraded plans


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_a_plan_without_line_breaks_is_flagged(doc_id, plans) -> None:
    text = plans[doc_id][0].replace("\r\n", " ").replace("\n", " ")
    doc = timed(analyze, text)
    assert_invariants(doc, text)
    assert flagged(doc)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_a_truncated_plan_is_a_prefix_of_the_full_analysis(doc_id, plans) -> None:
    text, full = plans[doc_id]
    cut = text[: int(len(text) * 0.3)]
    doc = timed(analyze, cut, doc_id)
    assert_invariants(doc, cut)
    assert doc.has_structure
    headings = [(s.start, s.level, s.marker, s.title) for s in doc.sections]
    assert headings == [(s.start, s.level, s.marker, s.title) for s in full.sections][: len(headings)]
    assert doc.signature is None


def test_a_truncated_plan_is_flagged(plans) -> None:
    text = plans["phu-tho_3737-KH-UBND_2021"][0]
    assert flagged(analyze(text[: int(len(text) * 0.3)]))


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_a_plan_in_capitals_keeps_its_number_and_invariants(doc_id, plans) -> None:
    text, full = plans[doc_id]
    caps = text.upper()
    doc = timed(analyze, caps, doc_id)
    assert_invariants(doc, caps)
    assert doc.has_structure and doc.header.number == full.header.number


def test_capital_site_chrome_is_not_part_of_the_issuer() -> None:
    text = ("  • LƯỢC ĐỒ\n\nỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "ĐỘC LẬP - TỰ DO - HẠNH PHÚC\n\nKẾ HOẠCH\nI. MỤC TIÊU\nGIẢM 5%.")
    assert analyze(text).header.issuer == "Ủy ban nhân dân tỉnh Phú Thọ"


def test_a_plan_in_capitals_is_analysed_like_the_original_or_flagged(plans) -> None:
    text, full = plans["ninh-binh_87-KH-UBND_2020"]
    doc = analyze(text.upper())
    same = doc.header == full.header and len(doc.sections) == len(full.sections)
    assert same or flagged(doc)


def test_bare_carriage_return_line_ends_keep_place_and_date() -> None:
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Số: 12/KH-UBND", "Phú Thọ, ngày 2 tháng 3 năm 2021",
             "KẾ HOẠCH", "VỀ SẢN XUẤT BỀN VỮNG", "I. MỤC TIÊU", "Giảm 5% tiêu hao năng lượng."]
    header = analyze("\r".join(lines)).header
    assert (header.place, header.date) == ("Phú Thọ", "2021-03-02")


@pytest.mark.parametrize("doc_id", SMALL)
def test_bare_carriage_return_line_ends_keep_the_headings_and_entities(doc_id, plans) -> None:
    text, full = plans[doc_id]
    mac = text.replace("\r\n", "\n").replace("\n", "\r")
    doc = timed(analyze, mac, doc_id)
    assert_invariants(doc, mac)
    assert structure(doc)["sections"] == structure(full)["sections"]
    spans = [(e.start, e.end, e.label) for e in doc.entities]
    assert spans == [(e.start, e.end, e.label) for e in full.entities]


def test_two_plans_in_one_text_are_not_silently_cut_to_one(plans) -> None:
    first, second = plans[SMALL[0]][0], plans[SMALL[1]][0]
    doc = analyze(first + "\n" + second)
    assert doc.document.end > len(first) or flagged(doc)


def strip_diacritics(text: str) -> str:
    """Vietnamese typed without diacritics: "Kế hoạch" -> "Ke hoach", "Đ" -> "D"."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


@pytest.mark.parametrize("doc_id", SMALL)
def test_a_plan_without_diacritics_keeps_its_headings(doc_id, plans) -> None:
    text, full = plans[doc_id]
    bare = strip_diacritics(text)
    doc = timed(analyze, bare, doc_id)
    assert_invariants(doc, bare)
    assert [(s.level, s.marker) for s in doc.sections] == [(s.level, s.marker) for s in full.sections]


def test_a_heading_is_never_the_issuer_of_a_plan_without_diacritics() -> None:
    assert analyze("KE HOACH\nI. MUC TIEU\nGiam 5%.").header.issuer is None


# ---------------------------------------------------------------- not a plan


ENGLISH = ("The committee met on Tuesday to discuss the annual budget. Members agreed to review the "
           "proposal and report back within two weeks.\n") * 40


@pytest.mark.parametrize("text", [ENGLISH, "Hello, world.", "1234 5678\n" * 100, "\u200b\ufeff\u200b"],
                         ids=["english", "short", "numbers", "zero-width"])
def test_text_that_is_not_a_plan_is_flagged_or_refused_with_strict(text) -> None:
    doc = timed(analyze, text)
    assert_invariants(doc, text)
    assert not doc.has_structure and doc.document is None and doc.warnings
    with pytest.raises(NoPlanStructureError):
        analyze(text, strict=True)


def _html_paragraphs(text: str) -> str:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    return f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'></head><body>\n{body}</body></html>\n"


@pytest.mark.parametrize("doc_id", SMALL)
def test_html_with_one_paragraph_per_line_is_flagged(doc_id, plans) -> None:
    html = _html_paragraphs(plans[doc_id][0])
    doc = timed(analyze, html, doc_id)
    assert_invariants(doc, html)
    assert flagged(doc)


@pytest.mark.parametrize("doc_id", SMALL)
def test_a_plan_inside_pre_tags_is_analysed_with_offsets_into_the_html(doc_id, plans) -> None:
    text, full = plans[doc_id]
    head = "<html>\n<head><title>Kế hoạch</title></head>\n<body>\n<pre>\n"
    html = head + text + "\n</pre>\n</body>\n</html>\n"
    doc = timed(analyze, html, doc_id)
    assert_invariants(doc, html)
    assert doc.header == full.header
    shift = len(head)
    assert [(e.start - shift, e.end - shift, e.label) for e in doc.entities] == [
        (e.start, e.end, e.label) for e in full.entities]


# ---------------------------------------------------------------- property-based


def check(text: str) -> None:
    """A library error, or a result that keeps every invariant and is deterministic."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = analyze(text)
        except SxtdbvError:
            return
        assert_invariants(doc, text)
        assert analyze(text).to_dict() == doc.to_dict()


@given(st.text(max_size=3000))
def test_random_unicode_never_breaks_the_invariants(text) -> None:
    check(text)


_CORPUS_LINES = sorted({ln for d in DOC_IDS for ln in read_corpus_text(d).splitlines() if ln.strip()})


@given(st.lists(st.sampled_from(_CORPUS_LINES), min_size=1, max_size=80),
       st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_shuffled_corpus_lines_never_break_the_invariants(lines, sep) -> None:
    check(sep.join(lines))


_EDITS = ("delete-line", "duplicate-line", "insert-line", "delete-char", "insert-chars", "duplicate-chars",
          "decompose-line", "carriage-return", "odd-character")
_ODD = ["\u0301", "\u0323\u0302", "\u200b", "\ufeff", "\u00a0", "|", "*", "\t", "I.", "1.1."]


@st.composite
def mutated_plans(draw: st.DrawFn) -> str:
    """A small corpus plan with random deletions, duplications and insertions of lines and characters."""
    lines = read_corpus_text(draw(st.sampled_from(SMALL))).split("\n")
    for _ in range(draw(st.integers(1, 10))):
        edit = draw(st.sampled_from(_EDITS))
        k = draw(st.integers(0, len(lines) - 1))
        line = lines[k]
        j = draw(st.integers(0, len(line)))
        if edit == "delete-line" and len(lines) > 1:
            del lines[k]
        elif edit == "duplicate-line":
            lines.insert(k, line)
        elif edit == "insert-line":
            lines.insert(k, draw(st.text(max_size=60)))
        elif edit == "delete-char":
            lines[k] = line[:j] + line[j + 1:]
        elif edit == "insert-chars":
            lines[k] = line[:j] + draw(st.text(min_size=1, max_size=4)) + line[j:]
        elif edit == "duplicate-chars":
            lines[k] = line[:j] + line[j:j + draw(st.integers(1, 20))] + line[j:]
        elif edit == "decompose-line":
            lines[k] = unicodedata.normalize("NFD", line)
        elif edit == "carriage-return":
            lines[k] = line + "\r"
        else:
            lines[k] = line[:j] + draw(st.sampled_from(_ODD)) + line[j:]
    return "\n".join(lines)


@given(mutated_plans())
def test_mutated_plans_never_break_the_invariants(text) -> None:
    check(text)
