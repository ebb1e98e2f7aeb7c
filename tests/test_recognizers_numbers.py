"""Vietnamese number parsing (recognizers/numbers.py)."""

from __future__ import annotations

import pytest

from sxtdbv_nlp.recognizers.numbers import number_words, parse_number, parse_range


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12.000", 12000),
        ("1,5", 1.5),
        ("3.802.800.000", 3802800000),
        ("1.000,5", 1000.5),
        ("01", 1),
        ("0", 0),
        ("350", 350),
        ("1.5", 1.5),  # a lone dot not followed by three digits is a decimal point
        ("  45 ", 45),
    ],
    ids=lambda v: str(v),
)
def test_numbers_parse(text: str, value: float) -> None:
    assert parse_number(text) == value
    assert type(parse_number(text)) is type(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12.00.0", "½", "١٢"])
def test_numbers_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("01 đến 02", 1, 2),
        ("3-5", 3, 5),
        ("5- 8", 5, 8),
        ("02 -03", 2, 3),
        ("1.000-2.000", 1000, 2000),
        ("7 – 10", 7, 10),
        ("45", 45, 45),
    ],
)
def test_numbers_parse_range(text: str, low: float, high: float) -> None:
    assert parse_range(text) == (low, high)


def test_numbers_words() -> None:
    assert number_words()["sáu"] == 6
