"""PERCENT recogniser (recognizers/percent.py)."""

from __future__ import annotations

import pytest

from sxtdbv_nlp.recognizers import recognize
from sxtdbv_nlp.types import DocumentBounds


def percents(text: str) -> list[tuple[str, float, float]]:
    return [(e.text, e.value.low, e.value.high)
            for e in recognize(text, DocumentBounds(0, len(text))) if e.label == "PERCENT"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- 70% các khu, cụm công nghiệp", [("70%", 70, 70)]),
        ("Giảm 5- 8% mức tiêu hao", [("5- 8%", 5, 8)]),
        ("giảm từ 7 - 10% mức tiêu hao", [("7 - 10%", 7, 10)]),
        ("Giảm 7-10% (so với)", [("7-10%", 7, 10)]),
        ("tăng 1,5% mỗi năm", [("1,5%", 1.5, 1.5)]),
        ("từ 5% - 8%", [("5% - 8%", 5, 8)]),
        ("đạt 100 %", [("100 %", 100, 100)]),
        ("đạt\n95%.", [("95%", 95, 95)]),
    ],
)
def test_percent_finds(text: str, expected: list[tuple[str, float, float]]) -> None:
    assert percents(text) == expected


@pytest.mark.parametrize(
    "text",
    ["tỷ lệ tăng cao", "Mục 5", "năm 2025", "phần trăm", "v2.5.1", "1. Mục tiêu"],
)
def test_percent_negative(text: str) -> None:
    assert percents(text) == []
