"""Fusion policy (recognizers/fuse.py): longest span, then label priority, deterministic."""

from __future__ import annotations

import pytest

from sxtdbv_nlp.recognizers.base import Candidate
from sxtdbv_nlp.recognizers.fuse import LABEL_PRIORITY, fuse
from sxtdbv_nlp.types import DeadlineValue, LegalRefValue, PeriodValue, RangeValue

TEXT = "Quyết định số 889/QĐ-TTg đến năm 2030"


def cand(start: int, end: int, label: str, source: str = "test") -> Candidate:
    values = {"LEGAL_REF": LegalRefValue("889/QĐ-TTg", "Quyết định"), "QUANTITY": RangeValue(889, 889),
              "PERIOD": PeriodValue("2030", "2030"), "DEADLINE": DeadlineValue("2030")}
    return Candidate(start, end, label, values[label], source)


def test_fuse_longest_wins() -> None:
    ents = fuse(TEXT, [cand(14, 17, "QUANTITY"), cand(0, 24, "LEGAL_REF"),
                       cand(29, 37, "PERIOD"), cand(25, 37, "DEADLINE")])
    assert [(e.id, e.text, e.label) for e in ents] == [
        ("e1", "Quyết định số 889/QĐ-TTg", "LEGAL_REF"), ("e2", "đến năm 2030", "DEADLINE")]


def test_fuse_equal_length_by_label_priority() -> None:
    ents = fuse(TEXT, [cand(33, 37, "QUANTITY"), cand(33, 37, "PERIOD")])
    assert [e.label for e in ents] == ["PERIOD"]
    assert LABEL_PRIORITY.index("PERIOD") < LABEL_PRIORITY.index("QUANTITY")


@pytest.mark.parametrize("order", [0, 1])
def test_fuse_deterministic_and_order_independent(order: int) -> None:
    cands = [cand(25, 37, "DEADLINE", "b"), cand(29, 37, "PERIOD", "a"), cand(0, 24, "LEGAL_REF")]
    ents = fuse(TEXT, cands if order else list(reversed(cands)))
    assert [(e.start, e.end, e.label, e.source) for e in ents] == [
        (0, 24, "LEGAL_REF", "test"), (25, 37, "DEADLINE", "b")]


def test_fuse_drops_empty_and_keeps_text() -> None:
    ents = fuse(TEXT, [cand(5, 5, "QUANTITY"), cand(14, 17, "QUANTITY")])
    assert [(e.text, e.start, e.end) for e in ents] == [("889", 14, 17)]
