"""Small building blocks for the recognisers' regexes, and text folding for lookups.

Phrases from the data files become regexes here, so that every recogniser treats
spelling variation the same way: any whitespace (line breaks too) between words, either
tone-mark style ("hoá"/"hóa", "Uỷ"/"Ủy"), "và" written "&", optional commas, and
case-insensitive words (abbreviations stay case-sensitive).

>>> import re
>>> bool(re.fullmatch(phrase_regex("Sở Văn hóa, Thể thao và Du lịch"),
...                   "Sở Văn hoá Thể thao\\nvà Du lịch"))
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from sxtdbv_nlp.data import load_records

__all__ = [
    "GAP",
    "alternation",
    "fold",
    "phrase_regex",
    "tone_variants",
    "word_regex",
]

# Whitespace between two words of a name, line breaks included, with markdown emphasis
# around it when a bold header wraps: "ỦY BAN NHÂN\nDÂN**\n**TỈNH ĐỒNG THÁP". Possessive
# and bounded, so a run of blanks is read once and never backtracked into.
GAP = r"[*_]{0,2}+\s{1,12}+(?:[*_]{1,2}+\s{0,12}+)?"
# "và" between two words, also written "&" with or without blanks: "Kế hoạch& Đầu tư".
AND = rf"(?:{GAP}(?i:và){GAP}|\s*&\s*)"
# An optional comma between two words: "Văn hóa, Thể thao" or "Văn hoá Thể thao".
COMMA = rf"(?:\s*,\s*|{GAP})"
# A dash between two words: "Lao động - Thương binh", "chính trị - xã hội"; also written
# as a comma or a blank ("Lao động, Thương binh và Xã hội", "chính trị xã hội").
DASH = rf"(?:\s*[-–—,]\s*|{GAP})"
# Between two words of a phrase: blanks, or a dash some writers put there ("Sở Giao thông -
# Vận tải" for "Sở Giao thông vận tải").
SPACE = rf"(?:{GAP}|[ \t]*[-–—][ \t]*\n?[ \t]*)"


@cache
def tone_variants() -> tuple[tuple[str, str], ...]:
    """(new, old) spellings of the vowel pairs whose tone-mark placement varies."""
    return tuple((r["new"], r["old"]) for r in load_records("tone_variants.tsv"))


@cache
def _tone_map() -> dict[str, str]:
    """Every pair spelling (both styles, lower case) -> its regex alternation."""
    out: dict[str, str] = {}
    for new, old in tone_variants():
        alt = f"(?:{re.escape(new)}|{re.escape(old)})"
        out[new] = out[old] = alt
    return out


def word_regex(word: str, *, case_sensitive: bool = False) -> str:
    """A regex for one word, matching either tone-mark style (and any case unless told).

    Only a vowel pair that ends the syllable varies ("hoá"/"hóa"; "hoạch" never does).

    >>> bool(re.fullmatch(word_regex("Ủy"), "UỶ"))
    True
    """
    tones = _tone_map()
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2].lower()
        at_end = i + 2 >= len(word) or not word[i + 2].isalpha()
        if pair in tones and at_end:
            out.append(tones[pair])
            i += 2
        else:
            out.append(re.escape(word[i]))
            i += 1
    body = "".join(out)
    return body if case_sensitive else f"(?i:{body})"


def phrase_regex(phrase: str, *, case_sensitive: Iterable[str] = ()) -> str:
    """A regex for a phrase from a data file (see the module docstring).

    Words listed in ``case_sensitive`` (abbreviations such as "UBND") keep their case.
    """
    keep = set(case_sensitive)
    tokens = re.findall(r"[^\s,]+|,", phrase)
    parts: list[str] = []
    pending = SPACE
    for tok in tokens:
        if tok == ",":
            pending = COMMA
            continue
        if tok in {"-", "–", "—"}:
            pending = DASH
            continue
        if tok.lower() == "và" and parts:
            pending = AND
            continue
        if parts:
            parts.append(pending)
        parts.append(word_regex(tok, case_sensitive=tok in keep))
        pending = SPACE
    return "".join(parts)


def alternation(regexes: Iterable[str]) -> str:
    """One non-capturing alternation, longest alternative first (so the longest wins)."""
    unique = sorted(set(regexes), key=lambda r: (-len(r), r))
    return "(?:" + "|".join(unique) + ")" if unique else "(?!)"


@cache
def _old_tones() -> tuple[re.Pattern[str], dict[str, str]]:
    """A regex finding old-style pairs at a syllable end, and their new-style spelling."""
    table = {old: new for new, old in tone_variants()}
    return re.compile("(?:" + "|".join(map(re.escape, table)) + r")(?!\w)"), table


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """A lookup key: NFC, lower case, new-style tone marks, "&" as "và", no markup, commas or dashes.

    Cached: the agency recogniser folds every word of a plan, and a plan's vocabulary is small.

    >>> fold("Sở Kế hoạch& Đầu\\ntư"), fold("UỶ BAN  Nhân dân")
    ('sở kế hoạch và đầu tư', 'ủy ban nhân dân')
    """
    s = unicodedata.normalize("NFC", text).lower()
    pattern, table = _old_tones()
    s = pattern.sub(lambda m: table[m.group()], s)
    s = re.sub(r"\s*&\s*", " và ", s)
    s = re.sub(r"[-–—*_,.;:()]+", " ", s)
    return " ".join(s.split())
