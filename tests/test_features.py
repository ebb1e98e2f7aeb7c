"""Classifier features (sxtdbv_nlp.features): underthesea word tokens, and the scikit-learn
analysers restated for run time, checked against scikit-learn itself."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from sxtdbv_nlp import features
from sxtdbv_nlp.features import char_wb_ngrams, field_tokens, opening, token_regex, word_ngrams, word_tokens

CORPUS_LINES = [ln for p in sorted(CORPUS.glob("*.txt"))
                for ln in p.read_text(encoding="utf-8-sig").splitlines()[40:70] if ln.strip()]


def _sklearn_terms(text: str, **params) -> list[str]:
    return TfidfVectorizer(**params).build_analyzer()(text)


def test_features_docstring_examples() -> None:
    assert doctest.testmod(features).failed == 0


def test_features_word_tokens() -> None:
    assert word_tokens("Sở Tài nguyên và Môi trường chủ trì") == ("Sở", "Tài_nguyên_và_Môi_trường", "chủ_trì")


@pytest.mark.parametrize(("text", "expected"), [("", ()), ("  \n", ()), ("—;", ())])
def test_features_word_tokens_empty(text: str, expected: tuple[str, ...]) -> None:
    assert word_tokens(text) == expected


def test_features_underthesea_leaves_root_logger_alone() -> None:
    code = ("import logging; from sxtdbv_nlp.features import word_tokens; word_tokens('Sở Y tế'); "
            "print(len(logging.getLogger().handlers))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "0"


def test_features_field_tokens_cut_and_prefix() -> None:
    row = ["Tổ chức tuyên truyền về tiết kiệm năng lượng", "NHIỆM VỤ"]
    cut = field_tokens(row, lowercase=True, field_prefix=True, max_words=(2, None))
    assert cut == ["0:tổ_chức", "1:nhiệm_vụ"]
    full = field_tokens(row, lowercase=False, field_prefix=False, max_words=None)
    assert "tiết_kiệm" in full and "NHIỆM_VỤ" in full


@pytest.mark.parametrize(("text", "n", "expected"), [("a b c", 2, "a b"), ("a  b", 5, "a b"),
                                                     ("a  b", None, "a  b")])
def test_features_opening(text: str, n: int | None, expected: str) -> None:
    assert opening(text, n) == expected


@pytest.mark.parametrize("ngram_range", [(2, 5), (1, 3), (3, 3)])
def test_features_char_wb_matches_scikit_learn_on_corpus_lines(ngram_range: tuple[int, int]) -> None:
    for line in CORPUS_LINES:
        assert char_wb_ngrams(line.lower(), ngram_range) == _sklearn_terms(
            line, analyzer="char_wb", ngram_range=ngram_range)


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
def test_features_word_ngrams_match_scikit_learn_on_corpus_lines(ngram_range: tuple[int, int]) -> None:
    pattern = TfidfVectorizer().token_pattern
    for line in CORPUS_LINES:
        assert word_ngrams(token_regex(pattern).findall(line.lower()), ngram_range) == _sklearn_terms(
            line, analyzer="word", ngram_range=ngram_range, token_pattern=pattern)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aàÁ đĐ\t\n\u00a0 ,.x1"), max_size=40))
def test_features_analysers_match_scikit_learn_on_random_text(text: str) -> None:
    chars = _sklearn_terms(text, analyzer="char_wb", ngram_range=(2, 5))
    assert char_wb_ngrams(text.lower(), (2, 5)) == chars
    for pattern in (r"(?u)\b\w\w+\b", r"(?u)\b\w+\b"):
        assert word_ngrams(token_regex(pattern).findall(text.lower()), (1, 2)) == _sklearn_terms(
            text, analyzer="word", ngram_range=(1, 2), token_pattern=pattern)
