"""Text features of the trained classifiers, shared by training and run time.

The scikit-learn transformers of :mod:`sxtdbv_nlp.estimators` (training) and the plain
arrays of :mod:`sxtdbv_nlp.linear` (run time) both call these functions, so a model
sees the same features when it is fitted and when it is used:

- :func:`word_tokens`: underthesea's word segmentation ("Tài nguyên và Môi trường" is one
  token), the only feature that needs a Vietnamese model;
- :func:`field_tokens`: a sample's word tokens over several fields (columns), optionally
  lower-cased, prefixed by field, and cut to a field's first words;
- :func:`char_wb_ngrams` and :func:`word_ngrams`: scikit-learn's ``TfidfVectorizer``
  analysers (``analyzer="char_wb"`` and ``"word"``), restated so that run time does not
  import scikit-learn; ``tests/test_features.py`` checks them against scikit-learn;
- :func:`keyword_counts`: how often each theme's keywords (the keyword baseline's data)
  occur in a text.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

__all__ = [
    "char_wb_ngrams",
    "field_tokens",
    "keyword_counts",
    "opening",
    "token_regex",
    "word_ngrams",
    "word_tokens",
]


@cache
def _word_tokenize() -> Callable[..., list[str]]:
    """underthesea's ``word_tokenize``, imported without letting it configure the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from underthesea import word_tokenize

    root.handlers[:] = handlers
    root.setLevel(level)
    return word_tokenize


@lru_cache(maxsize=1 << 16)
def word_tokens(text: str) -> tuple[str, ...]:
    """underthesea word tokens of ``text`` (NFC, not normalised), syllables joined by "_",
    tokens without a letter or digit dropped.

    >>> word_tokens("Sở Công Thương chủ trì, phối hợp.")
    ('Sở', 'Công_Thương', 'chủ_trì', 'phối_hợp')
    """
    nfc = unicodedata.normalize("NFC", text)
    if not nfc.strip():
        return ()
    raw = _word_tokenize()(nfc, use_token_normalize=False)
    return tuple("_".join(tok.split()) for tok in raw if any(c.isalnum() for c in tok))


def opening(text: str, max_words: int | None) -> str:
    """The first ``max_words`` whitespace-separated words of ``text`` (all when None).

    A task states what it is in its opening words ("Tổ chức tuyên truyền ..."), and word
    segmentation is the costliest feature: the theme model segments only the opening.

    >>> opening("Phân loại chất thải rắn tại nguồn", 3)
    'Phân loại chất'
    """
    if max_words is None:
        return text
    return " ".join(text.split()[:max_words])


def field_tokens(row: Sequence[object], *, lowercase: bool, field_prefix: bool,
                 max_words: Sequence[int | None] | None) -> list[str]:
    """Word tokens of every field of one sample, in field order.

    Field ``j`` is read as ``str(row[j])``, cut to ``max_words[j]`` words when given, and
    its tokens are prefixed ``"j:"`` when ``field_prefix`` is True.

    >>> field_tokens(["Tuyên truyền về tiết kiệm năng lượng", "Nhiệm vụ"], lowercase=True,
    ...              field_prefix=True, max_words=(2, None))
    ['0:tuyên_truyền', '1:nhiệm_vụ']
    """
    out: list[str] = []
    for j, cell in enumerate(row):
        limit = max_words[j] if max_words is not None and j < len(max_words) else None
        prefix = f"{j}:" if field_prefix else ""
        out += [prefix + (t.lower() if lowercase else t) for t in word_tokens(opening(str(cell), limit))]
    return out


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with one space, as
    ``TfidfVectorizer(analyzer="char_wb")`` makes them (after its lower-casing).

    >>> char_wb_ngrams("ab c", (2, 3))
    [' a', 'ab', 'b ', ' ab', 'ab ', ' c', 'c ', ' c ']
    """
    lo, hi = ngram_range
    grams: list[str] = []
    append = grams.append
    for w in text.split():
        w = f" {w} "
        size = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            append(w[:n])
            while offset + n < size:
                offset += 1
                append(w[offset:offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


def word_ngrams(tokens: Sequence[str], ngram_range: tuple[int, int]) -> list[str]:
    """Token n-grams joined by a space, as ``TfidfVectorizer(analyzer="word")`` makes them.

    >>> word_ngrams(["chất", "thải", "rắn"], (1, 2))
    ['chất', 'thải', 'rắn', 'chất thải', 'thải rắn']
    """
    lo, hi = ngram_range
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        out += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return out


@lru_cache(maxsize=64)
def token_regex(pattern: str) -> re.Pattern[str]:
    """The compiled ``token_pattern`` of a word analyser."""
    return re.compile(pattern)


def keyword_counts(text: str, keywords: Sequence[tuple[str, str]], themes: Sequence[str]) -> list[float]:
    """Per theme (in ``themes`` order), how often its keywords occur in ``text``, matched
    case-insensitively after NFC (``keywords``: (theme, casefolded keyword) pairs).

    >>> keyword_counts("Tái chế chất thải", [("waste", "chất thải"), ("waste", "tái chế")], ["waste"])
    [2.0]
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    index = {t: k for k, t in enumerate(themes)}
    out = [0.0] * len(themes)
    for theme, kw in keywords:
        out[index[theme]] += folded.count(kw)
    return out
