"""AGENCY: span finding for named bodies, groups of bodies and open-class unit names.

Three sources, all indexed by the folded first word of their names, so the text is read
once, word by word, and a full regex is tried only where a name can start:

* ``agency.gazetteer``: the bodies of ``data/agencies.tsv`` in every written form (aliases,
  abbreviations from ``data/agency_abbreviations.tsv``: "Sở KH&ĐT", "UBND", "BQL các
  KCN"), upper-case header lines split over lines ("ỦY BAN NHÂN DÂN\\nTỈNH PHÚ THỌ") and
  names wrapped anywhere, followed by what is attached to them (see :mod:`.jurisdiction`);
* ``agency.group``: the collective phrases of ``data/agency_groups.tsv`` ("sở, ban, ngành",
  "tổ chức chính trị - xã hội"); a leading "các" stays outside the span;
* ``agency.open``: open classes introduced by a head word of ``data/agency_name_words.tsv``
  ("Trung tâm Kiểm soát bệnh tật tỉnh", "Vụ Tổng hợp kinh tế"), the name running until a
  stop word, a unit word or punctuation.

Values come from :mod:`.canonical`. Titles before a body are outside the span ("Chủ tịch
[UBND tỉnh]"); a parenthesised acronym right after a name ("(UNIDO)") is its gloss, not a
second mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.base import Candidate, Context
from sxtdbv_nlp.recognizers.canonical import (
    Jurisdiction,
    abbreviations,
    bodies,
    body_value,
    group_value,
    lookup,
    open_value,
    surface_forms,
)
from sxtdbv_nlp.recognizers.jurisdiction import parse_suffix, unit_words
from sxtdbv_nlp.recognizers.patterns import GAP, alternation, fold, phrase_regex, word_regex

__all__ = ["find"]

# A word of the text (letters only); names are looked up by their first word.
WORD = re.compile(r"[^\W\d_]+")
# A token of an open-class name: "Kiểm", "06", "KH&CN", "&" (for "và").
TOKEN = re.compile(r"[^\W_][\w&]*|&")
# Between two tokens of an open-class name: blanks (one line break at most), a comma, or a
# spaced dash joining two capitalised parts ("Phòng Tài chính - Kế hoạch", "Trung tâm Văn
# hoá - Thông tin và Thể thao"; not "Vụ X - Bộ Công Thương", which names two bodies).
TOKEN_SEP = re.compile(r"(?P<comma>[ \t]*,[ \t]*\n?[ \t]*)|(?P<dash>[ \t]+[-–][ \t]*\n?[ \t]*)"
                       r"|[ \t]*\n?[ \t]*(?<=\s)")
# "(UNIDO)" right after a name.
GLOSS = re.compile(r"\s*\(\s*(?P<abbr>[A-Z][A-Za-z0-9&]{1,11})\s*\)")
# Characters that glue a word to a code on its left: "07-KH/TU", "QĐ-UBND".
_GLUE = "/-.&"
_MAX_NAME_TOKENS = 24
_NAME_LOOKAHEAD = 3  # words after a comma searched for a capital that shows a name goes on


@dataclass(frozen=True)
class _Entry:
    """One indexed pattern: what it finds and how to turn a match into a candidate."""

    pattern: re.Pattern[str]
    handler: Callable[[Context, re.Match[str], _Entry, set[int]], Iterator[Candidate]]
    template: str = ""
    after: re.Pattern[str] | None = None
    local: bool = False
    lower_ok: bool = False


def find(ctx: Context) -> Iterator[Candidate]:
    """AGENCY candidates in the context's bounds."""
    text, index = ctx.text, _index()
    glossed: set[int] = set()
    for w in WORD.finditer(text, ctx.start, ctx.end):
        s = w.start()
        if s in glossed or _glued(text, s):
            continue
        for entry in index.get(fold(w.group()), ()):
            m = entry.pattern.match(text, s, ctx.end)
            if m:
                yield from entry.handler(ctx, m, entry, glossed)


def _glued(text: str, s: int) -> bool:
    return s >= 2 and text[s - 1] in _GLUE and text[s - 2].isalnum()


# ---------------------------------------------------------------- handlers
def _body(ctx: Context, m: re.Match[str], entry: _Entry, glossed: set[int]) -> Iterator[Candidate]:
    text, s = ctx.text, m.start()
    body = lookup(m.group())
    if body is None or _after_excluded(text, s):
        return
    if len(m.group().split()) <= 2 and not text[s].isupper():
        return  # short names are capitalised: "Chính phủ", not "chính phủ điện tử"
    if _title_line(text, s, m.end()):
        return  # "THỦ TƯỚNG" above the signer's name is a title
    if body.level == "central":
        end, juris = _collective_only(ctx, m.end())
    else:
        end, juris = parse_suffix(text, m.end(), ctx.end, ctx)
    if not body.bare and juris.empty:
        return
    g = GLOSS.match(text, end, ctx.end)
    if g and lookup(g.group("abbr")) == body:
        glossed.add(g.start("abbr"))
    yield Candidate(s, end, "AGENCY", body_value(body, juris, ctx), "agency.gazetteer")


def _collective_only(ctx: Context, pos: int) -> tuple[int, Jurisdiction]:
    """A central body takes no jurisdiction, only a collective suffix ("... tại địa phương")."""
    end, juris = parse_suffix(ctx.text, pos, ctx.end, ctx)
    return (end, juris) if juris.collective else (pos, Jurisdiction())


def _group(ctx: Context, m: re.Match[str], entry: _Entry, glossed: set[int]) -> Iterator[Candidate]:
    text = ctx.text
    if entry.after and not entry.after.search(text, max(0, m.start() - 40), m.start()):
        return
    end, juris = parse_suffix(text, m.end(), ctx.end, ctx, allow_groups=False)
    if not juris.unit:
        end = m.end()
    yield Candidate(m.start(), end, "AGENCY", group_value(entry.template, ctx), "agency.group")


def _open(ctx: Context, m: re.Match[str], entry: _Entry, glossed: set[int]) -> Iterator[Candidate]:
    text, s = ctx.text, m.start()
    plural = _after_cac(text, s)
    name_end = _name_tail(ctx, m.end(), need_capital=not (entry.lower_ok or plural))
    if name_end is None:
        return
    if _gazetteer_covers(text, s, _last_capital_end(text, s, name_end)):
        return  # "Phòng Kinh tế vận động ...": the listed name, not a run-on into a verb
    end, juris = parse_suffix(text, name_end, ctx.end, ctx)
    value = open_value(text[s:name_end], juris, ctx, local=entry.local, plural=plural)
    yield Candidate(s, end, "AGENCY", value, "agency.open")


def _last_capital_end(text: str, start: int, end: int) -> int:
    """End of the last capitalised word of ``text[start:end]``."""
    last = start
    for tok in TOKEN.finditer(text, start, end):
        if tok.group()[0].isupper():
            last = tok.end()
    return last


def _gazetteer_covers(text: str, start: int, end: int) -> bool:
    """True when a gazetteer name starting at ``start`` reaches ``end`` or beyond."""
    w = WORD.match(text, start)
    for entry in _index().get(fold(w.group()), ()) if w else ():
        if entry.handler is _body:
            m = entry.pattern.match(text, start)
            if m and m.end() >= end:
                return True
    return False


def _name_tail(ctx: Context, pos: int, *, need_capital: bool) -> int | None:
    """End of an open-class name whose head ends at ``pos``, or None if nothing follows."""
    text, last = ctx.text, None
    for count in range(_MAX_NAME_TOKENS):
        sep = TOKEN_SEP.match(text, pos, ctx.end)
        tok = TOKEN.match(text, sep.end(), ctx.end) if sep else None
        if tok is None:
            break
        comma = bool(sep.group("comma"))
        if sep.group("dash") and (not tok.group()[0].isupper() or _name_at(text, tok.start())):
            break
        # a head inside a name: "Tổ giúp việc Ban chỉ đạo"
        head = None if comma or sep.group("dash") else _head_at(text, tok.start())
        if head is None and _ends_name(text, tok, comma=comma):
            break
        if count == 0 and need_capital and not tok.group()[0].isupper():
            return None
        pos = head.end() if head else tok.end()
        if tok.group().lower() not in ("và", "&"):
            last = pos
    return last


def _head_at(text: str, pos: int) -> re.Match[str] | None:
    w = WORD.match(text, pos)
    for entry in _index().get(fold(w.group()), ()) if w else ():
        if entry.handler is _open:
            m = entry.pattern.match(text, pos)
            if m:
                return m
    return None


def _ends_name(text: str, tok: re.Match[str], *, comma: bool) -> bool:
    word = tok.group()
    if comma and (word[0].isupper() or not word.isalpha()):
        # a list of names ("Trung tâm X, Sở Y") ends it; a capitalised word that starts no
        # name of its own goes on ("Viện Nghiên cứu Chiến lược, Chính sách Công Thương")
        return not (word.isalpha() and word[1:].islower() and _within_name(text, tok)
                    and not _name_at(text, tok.start()))
    if _units().match(text, tok.start()):
        return True
    if _name_tails().match(text, tok.start()):
        return False  # "Vụ Thị trường trong nước"
    if (word.islower() or word.isupper()) and _stops().match(text, tok.start()):
        return True  # a capitalised word belongs to the name: "Vụ Tổng hợp kinh tế"
    return word.lower() == "và" and _starts_name(text, tok.end())


def _within_name(text: str, tok: re.Match[str]) -> bool:
    """True when a capitalised word follows within the next few words of a word after a
    comma, as in a name ("..., Chính sách Công Thương"), not in running text ("..., Thông
    báo kết quả")."""
    pos = tok.end()
    for _ in range(_NAME_LOOKAHEAD):
        sep = TOKEN_SEP.match(text, pos)
        nxt = TOKEN.match(text, sep.end()) if sep and not sep.group("comma") else None
        if nxt is None:
            return False
        if nxt.group()[0].isupper():
            return True
        pos = nxt.end()
    return False


@cache
def _name_tails() -> re.Pattern[str]:
    words = [r["phrase"] for r in load_records("agency_name_words.tsv") if r["kind"] == "tail"]
    return re.compile(rf"{alternation(word_regex(w) for w in words)}(?!\w)") if words else re.compile(r"(?!)")


def _name_at(text: str, pos: int) -> bool:
    """True when an indexed agency name (gazetteer, group or open class) starts at ``pos``."""
    w = WORD.match(text, pos)
    return bool(w) and any(e.pattern.match(text, pos) for e in _index().get(fold(w.group()), ()))


def _starts_name(text: str, pos: int) -> bool:
    """True when another agency name starts after ``pos`` ("... và Sở Công Thương")."""
    w = re.compile(r"\s+(?P<w>[^\W\d_]+)").match(text, pos)
    if not w:
        return False
    return any(e.pattern.match(text, w.start("w")) for e in _index().get(fold(w.group("w")), ()))


# ---------------------------------------------------------------- context tests
_CAC = re.compile(r"(?i:các)[ \t]*\n?[ \t]*$")


def _after_cac(text: str, s: int) -> bool:
    """True when "các"/"Các" stands right before ``s`` (a plural, outside the span)."""
    return bool(_CAC.search(text, max(0, s - 8), s))


@cache
def _not_after() -> re.Pattern[str]:
    words = [r["phrase"] for r in load_records("agency_name_words.tsv") if r["kind"] == "not_after"]
    return re.compile(rf"(?<!\w){alternation(word_regex(w, case_sensitive=True) for w in words)}\s+$")


def _after_excluded(text: str, s: int) -> bool:
    """True after a word making the name another office: "Phó [Thủ tướng]"."""
    return bool(_not_after().search(text, max(0, s - 8), s))


@cache
def _titles() -> frozenset[str]:
    return frozenset(fold(r["phrase"]) for r in load_records("signature_titles.tsv")
                     if r["kind"] == "title")


def _title_line(text: str, s: int, e: int) -> bool:
    """True when the match is a whole line that is a signature title ("THỦ TƯỚNG")."""
    before = text[max(0, s - 8):s]
    after = text[e:e + 8]
    if (before.strip(" *_") and "\n" not in before) or (after.strip(" *_") and "\n" not in after):
        return False
    line_start = s - len(before) + before.rfind("\n") + 1
    line_end = e + after.find("\n") if "\n" in after else e + len(after)
    return fold(text[line_start:line_end]) in _titles() and not text[line_start:s].strip(" *_")


@cache
def _stops() -> re.Pattern[str]:
    words = [r["phrase"] for r in load_records("agency_name_words.tsv")
             if r["kind"] in ("stop", "group")]
    return re.compile(rf"{alternation(phrase_regex(w) for w in words)}(?!\w)")


@cache
def _units() -> re.Pattern[str]:
    words = [w for w in set(unit_words().values()) if w not in ("thành", "thị")]
    return re.compile(rf"{alternation(phrase_regex(w) for w in words)}(?!\w)(?!{GAP}(?i:hội))")


# ---------------------------------------------------------------- index
def _first_key(phrase: str) -> str:
    m = WORD.search(phrase)
    return fold(m.group()) if m else ""


def _compile(phrases: list[str]) -> re.Pattern[str]:
    keep = {a for a, _, _ in abbreviations()}
    return re.compile(alternation(phrase_regex(p, case_sensitive=keep) for p in phrases)
                      + r"(?![\w&])")


@cache
def _index() -> dict[str, tuple[_Entry, ...]]:
    """First word (folded) -> the patterns of names starting with it."""
    index: dict[str, list[_Entry]] = {}
    forms: dict[str, list[str]] = {}
    for body in bodies():
        for form in surface_forms(body):
            forms.setdefault(_first_key(form), []).append(form)
    for k, phrases in forms.items():
        index.setdefault(k, []).append(_Entry(_compile(phrases), _body))
    for rec in load_records("agency_groups.tsv"):
        after = [w for w in rec["requires"].split("|") if w]
        entry = _Entry(_compile([rec["phrase"]]), _group, template=rec["canonical"],
                       after=re.compile(rf"(?<!\w){alternation(phrase_regex(w) for w in after)}"
                                        rf"[ \t]*\n?[ \t]*$") if after else None)
        index.setdefault(_first_key(rec["phrase"]), []).append(entry)
    for rec in load_records("agency_name_words.tsv"):
        if rec["kind"] == "head":
            first, _, rest = rec["phrase"].partition(" ")
            regex = word_regex(first, case_sensitive=True) + (f"{GAP}{phrase_regex(rest)}" if rest else "")
            entry = _Entry(re.compile(regex + r"(?!\w)"), _open, local=rec["value"].startswith("local"),
                           lower_ok="lower" in rec["value"].split())
            index.setdefault(_first_key(rec["phrase"]), []).append(entry)
    return {k: tuple(v) for k, v in index.items()}
