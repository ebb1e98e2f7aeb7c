"""Reading, decoding and NFC normalisation with offsets that never shift."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sxtdbv_nlp.errors import BinaryInputError, EmptyTextError, InputTooLargeError
from sxtdbv_nlp.text import decode, ensure_text, normalize, read_text, split_lines, strip_markup

PLAN = "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ\nKẾ HOẠCH thực hiện sản xuất và tiêu dùng bền vững\n"


@pytest.mark.parametrize(
    "data",
    [
        PLAN.encode("utf-8"),
        codecs.BOM_UTF8 + PLAN.encode("utf-8"),
        PLAN.encode("utf-16"),  # with BOM
        PLAN.encode("utf-16-le"),  # no BOM
        PLAN.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be"],
)
def test_decode_unicode_encodings(data: bytes) -> None:
    assert decode(data).lstrip("\ufeff") == PLAN


def test_a_utf8_byte_order_mark_is_kept_so_offsets_match_plain_utf8_reading() -> None:
    assert decode(codecs.BOM_UTF8 + PLAN.encode("utf-8")) == "\ufeff" + PLAN


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _to_windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: vowel letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


def test_decode_windows_1258_gives_the_same_text_after_nfc() -> None:
    data = _to_windows_1258(PLAN)
    decoded = decode(data)
    assert unicodedata.normalize("NFC", decoded) == PLAN


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), b"PK\x03\x04" + b"\x00" * 40],
    ids=["png", "zip"],
)
def test_decode_rejects_binary(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode(data)


@pytest.mark.parametrize("text", ["", "   ", "\n\t \u00a0\n"])
def test_empty_text_is_an_error(text: str) -> None:
    with pytest.raises(EmptyTextError):
        ensure_text(text)


def test_size_limit_is_an_error() -> None:
    with pytest.raises(InputTooLargeError):
        ensure_text("a" * 11, max_chars=10)


def test_read_text_from_path_keeps_newlines(tmp_path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes("dòng một\r\ndòng hai\n".encode())
    assert read_text(path) == "dòng một\r\ndòng hai\n"


def test_normalize_nfc_text_is_identity() -> None:
    nt = normalize(PLAN)
    assert nt.is_identity and nt.text == PLAN and nt.to_raw(3, 9) == (3, 9)


def test_normalize_maps_nfd_spans_back_to_the_raw_text() -> None:
    raw = unicodedata.normalize("NFD", "Sở Công Thương tỉnh Phú Thọ")
    nt = normalize(raw)
    start = nt.text.index("Công Thương")
    a, b = nt.to_raw(start, start + len("Công Thương"))
    assert unicodedata.normalize("NFC", raw[a:b]) == "Công Thương"


@given(st.text(alphabet=st.sampled_from(list("aăâeêoơuưyđ \ṇ̀́̉̃ ̛̂̆SởCôngThươngAỦY")), max_size=80),
       st.data())
def test_normalize_spans_round_trip(raw: str, data: st.DataObject) -> None:
    nt = normalize(raw)
    assert nt.text == unicodedata.normalize("NFC", raw)
    if not nt.text:
        return
    start = data.draw(st.integers(0, len(nt.text) - 1))
    end = data.draw(st.integers(start + 1, len(nt.text)))
    a, b = nt.to_raw(start, end)
    assert 0 <= a <= b <= len(raw)
    assert nt.text[start:end] in unicodedata.normalize("NFC", raw[a:b])


@given(st.text(max_size=200))
def test_split_lines_offsets_are_exact(text: str) -> None:
    for line in split_lines(text):
        assert text[line.start:line.end] == line.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [("**I. MỤC TIÊU**", "I. MỤC TIÊU"), ("| Sở Công Thương |", "Sở Công Thương"), ("  ", "")],
)
def test_strip_markup(line: str, expected: str) -> None:
    assert strip_markup(line) == expected
