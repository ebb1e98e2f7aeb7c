"""LEGAL_REF: cited documents by number-symbol, and laws by name.

Span = type word (if present) + "số" (if present) + symbol ("Quyết định số 889/QĐ-TTg",
"văn bản số 2458/SCT-VP12", "số 36/QĐ-TTg" in a list sharing one type word); after a
"Số:" label only the symbol. A bare symbol is taken when its document-type abbreviation is
known ("889/QĐ-TTg"). Laws by name: "Luật Bảo vệ môi trường", "Luật X năm 2017" (the year
is in the span, not in the id). ``id`` is the symbol with spaces removed, or the law's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from sxtdbv_nlp.data import load_records, load_table
from sxtdbv_nlp.recognizers.base import Candidate, Context
from sxtdbv_nlp.recognizers.patterns import GAP, alternation, fold, phrase_regex
from sxtdbv_nlp.types import LegalRefValue

__all__ = ["find", "symbol_doc_type"]

# The number-symbol of a document, two families:
#   A: "889/QĐ-TTg", "1613/2017/QĐ-UBND", "2458/SCT-VP12", "72/2020/QH14"
#   B: party documents "57-NQ/TW", "10- CTr/TU", "07-KH/TU"
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
SYMBOL = rf"""(?<![\w/.-])
    (?P<symbol>
        [0-9]{{1,5}} [ ]?/[ ]? (?:(?:19|20)[0-9]{{2}} [ ]?/[ ]?)? (?P<code_a>{_CODE}) (?:[ ]?-[ ]?{_CODE})*
      | [0-9]{{1,5}} [ ]?-[ ]? (?P<code_b>{_CODE}) [ ]?/[ ]? {_CODE} (?:-{_CODE})*
    )
    (?![\w/])"""
# "số" (or "SỐ") before a symbol, then optionally ":" as in the header line "Số: 3737/KH-UBND".
_SO = r"(?P<so>(?i:số))(?P<label>\s*:)?"


@cache
def _doc_types() -> tuple[dict[str, str], dict[str, str]]:
    """(folded type word -> doc_type, symbol abbreviation -> doc_type)."""
    words: dict[str, str] = {}
    abbrs: dict[str, str] = {}
    for _upper, name, abbr in load_table("document_types.tsv"):
        words[fold(name)] = name
        abbrs.setdefault(abbr, name)
    for rec in load_records("legal_ref_words.tsv"):
        if rec["kind"] == "alias":
            words[fold(rec["phrase"])] = rec["doc_type"]
    return words, abbrs


def _words(kind: str) -> list[str]:
    return [r["phrase"] for r in load_records("legal_ref_words.tsv") if r["kind"] == kind]


@cache
def _numbered() -> re.Pattern[str]:
    """Type word + qualifier + "số" + symbol; each part optional except the symbol."""
    types = alternation(phrase_regex(w) for w in _doc_types()[0])
    quals = alternation(phrase_regex(w) for w in _words("qualifier"))
    return re.compile(
        rf"""(?:(?<!\w)(?P<type>{types})(?:{GAP}{quals})?{GAP})?
             (?:(?<!\w){_SO}\s*)?
             {SYMBOL}""",
        re.VERBOSE,
    )


def symbol_doc_type(symbol: str) -> str | None:
    """The document type a symbol's abbreviation stands for.

    >>> symbol_doc_type("57-NQ/TW"), symbol_doc_type("1613/2017/QĐ-UBND"), symbol_doc_type("2458/SCT-VP12")
    ('Nghị quyết', 'Quyết định', None)
    """
    m = re.fullmatch(SYMBOL, symbol.strip(), re.VERBOSE)
    if not m:
        return None
    code = m.group("code_a") or m.group("code_b") or ""
    abbrs = _doc_types()[1]
    return abbrs.get(code) or abbrs.get(code.upper()) or next(
        (name for abbr, name in abbrs.items() if abbr.upper() == code.upper()), None)


def find(ctx: Context) -> Iterator[Candidate]:
    """LEGAL_REF candidates in the context's bounds."""
    yield from _find_numbered(ctx)
    yield from _find_laws(ctx)


def _find_numbered(ctx: Context) -> Iterator[Candidate]:
    words = _doc_types()[0]
    for m in _numbered().finditer(ctx.text, ctx.start, ctx.end):
        symbol = m.group("symbol")
        typed = m.group("type")
        doc_type = words.get(fold(typed)) if typed else symbol_doc_type(symbol)
        if not typed and not m.group("so") and doc_type is None:
            continue  # a bare code with no known document type: not a citation
        if not typed and doc_type is None:
            doc_type = _type_before(ctx.text, m.start(), ctx.start)
        start = m.start("symbol") if m.group("label") else m.start()
        yield Candidate(start, m.end("symbol"), "LEGAL_REF",
                        LegalRefValue("".join(symbol.split()), doc_type), "legal.symbol")


@cache
def _type_before_re() -> re.Pattern[str]:
    types = alternation(phrase_regex(w) for w in _doc_types()[0])
    return re.compile(rf"(?<!\w)(?P<type>{types})\s*:?[^.\n]*$")


def _type_before(text: str, pos: int, floor: int) -> str | None:
    """The type word shared by a list of numbers: "các Quyết định: số 36/QĐ-TTg; số ..."."""
    window = text[max(floor, pos - 120):pos]
    m = _type_before_re().search(window)
    return _doc_types()[0].get(fold(m.group("type"))) if m else None


# A law by name. The name is a listed law (data/laws.tsv) or "Luật" + a capitalised word +
# up to 8 more words; the year after it ("năm 2020") is kept in the span.
_YEAR_SUFFIX = r"(?:\s+(?i:năm)\s+(?:19|20)[0-9]{2}(?![0-9]))?"
_NAME_WORD = r"[^\W\d_][\w-]*"


@cache
def _law_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = [rec["name"] for rec in load_records("laws.tsv")]
    listed = alternation(_law_regex(n) for n in names)
    stops = alternation(phrase_regex(w) for w in _words("stop"))
    by_form = (rf"(?<!\w)(?P<name>(?:Bộ\s+luật|Luật)\s+[A-ZĐÀ-Ỹ]\w*"
               rf"(?:\s+(?!{stops}(?!\w)){_NAME_WORD}){{0,8}})")
    return (re.compile(rf"(?<!\w)(?P<name>{listed})(?!\w){_YEAR_SUFFIX}"),
            re.compile(rf"{by_form}(?!\w){_YEAR_SUFFIX}"))


def _law_regex(name: str) -> str:
    """A listed law's name: "Luật"/"Bộ luật" capitalised as printed, the rest in any case."""
    head, _, rest = name.partition(" ")
    if head == "Bộ":
        head, _, rest = name.partition(" luật ")
        return rf"Bộ{GAP}(?i:luật){GAP}{phrase_regex(rest)}"
    return rf"{head}{GAP}{phrase_regex(rest)}"


def _find_laws(ctx: Context) -> Iterator[Candidate]:
    """Laws by name; a listed law and the form-based reading may both match (fusion decides)."""
    for pattern, source in zip(_law_patterns(), ("legal.law_listed", "legal.law_form"), strict=True):
        for m in pattern.finditer(ctx.text, ctx.start, ctx.end):
            name = " ".join(m.group("name").split())
            doc_type = "Bộ luật" if name.lower().startswith("bộ luật") else "Luật"
            yield Candidate(m.start(), m.end(), "LEGAL_REF", LegalRefValue(name, doc_type), source)
