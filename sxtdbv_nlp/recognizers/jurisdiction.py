"""What is attached right after an agency name: a jurisdiction, a group level, a qualifier.

``parse_suffix(text, pos, end, ctx)`` reads, from ``pos``, at most one of (first match wins):

* a collective suffix: "các cấp", "tại địa phương" (a group with canonical null);
* a list of unit words or "cấp X": "các huyện, thị xã, thành phố", "xã, phường",
  "các tỉnh, thành phố trực thuộc trung ương", "cấp xã" (a group of one level);
* a branch or region: "Chi nhánh Quảng Ninh", "khu vực XII";
* a unit word with or without a place: "tỉnh Phú Thọ", "TỈNH PHÚ THỌ", "Tỉnh", "TP", "xã
  Gia Thuận", the issuer's initials "TPCT";
* a province name alone: "Báo Phú Thọ", "Tỉnh đoàn Bắc Ninh";
* "Việt Nam".

and returns the end offset and a :class:`~.canonical.Jurisdiction`.
"""

from __future__ import annotations

import re
from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.base import Context
from sxtdbv_nlp.recognizers.canonical import Jurisdiction
from sxtdbv_nlp.recognizers.patterns import GAP, alternation, fold, phrase_regex

__all__ = ["parse_suffix", "unit_words"]

_SEP = rf"(?:\s*[,/]\s*|{GAP}(?i:và){GAP})"
_ROMAN_OR_NUMBER = r"(?:[IVXLC]{1,6}|[0-9]{1,2})(?!\w)"


@cache
def unit_words() -> dict[str, str]:
    """Folded unit word as written -> canonical unit ("TP" -> "thành phố")."""
    out = {fold(r["name"]): r["name"] for r in load_records("jurisdictions.tsv")}
    out |= {fold(r["unit"]): r["unit"] for r in load_records("admin_levels.tsv")}
    out |= {fold(r["abbr"]): r["expansion"] for r in load_records("agency_abbreviations.tsv")
            if r["kind"] == "unit"}
    return out


@cache
def _levels() -> dict[str, str]:
    return {r["unit"]: r["level"] for r in load_records("admin_levels.tsv")}


@cache
def _provinces() -> dict[str, str]:
    """Folded province name -> its spelling in data/provinces.tsv."""
    return {fold(r["name"]): r["name"] for r in load_records("provinces.tsv")}


def _province(written: str) -> str:
    """The listed spelling of a province name as written ("PHÚ THỌ" -> "Phú Thọ")."""
    return _provinces().get(fold(written)) or " ".join(written.replace("*", " ").split())


def _unit(written: str) -> str:
    """The canonical unit word of a unit as written ("TP" -> "thành phố")."""
    return unit_words().get(fold(written)) or " ".join(written.lower().split())


def _unit_regex(*, clipped: bool) -> str:
    """Unit words; in lists ("các huyện, thành, thị") lower case only, clipped forms allowed."""
    words = [w for w in unit_words().values() if clipped or w not in ("thành", "thị")]
    if clipped:  # "tỉnh, Tỉnh đoàn" is no list: listed units are written in lower case
        return alternation(re.escape(w) + r"(?!\w)" for w in words)
    regexes = [phrase_regex(w) for w in words if w != "xã"]
    regexes += [rf"{phrase_regex('xã')}(?!{GAP}(?i:hội)(?!\w))"]  # "xã hội" is society
    regexes += [re.escape(r["abbr"]) for r in load_records("agency_abbreviations.tsv")
                if r["kind"] == "unit"]  # "TP", case-sensitive
    return alternation(regexes)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    collective = alternation(phrase_regex(r["phrase"]) for r in load_records("agency_name_words.tsv")
                             if r["kind"] == "group")
    unit = _unit_regex(clipped=False)
    unit_in_list = _unit_regex(clipped=True)
    provinces = alternation(phrase_regex(p) for p in _provinces().values())
    central = rf"(?P<central>{GAP}(?i:trực{GAP}thuộc{GAP}trung{GAP}ương))?"
    return {
        # "... các cấp", "... tại địa phương"
        "collective": re.compile(rf"{GAP}(?:{collective})(?!\w)"),
        # "UBND các huyện, thị xã, thành phố", "UBND xã, phường", "UBND các tỉnh, thành phố
        # trực thuộc trung ương"
        "list": re.compile(rf"{GAP}(?:(?P<cac>(?i:các)){GAP})?(?P<units>{unit_in_list}"
                           rf"(?:{_SEP}{unit_in_list})+)(?!\w){central}"),
        # "UBND các xã"
        "cac_unit": re.compile(rf"{GAP}(?i:các){GAP}(?P<units>{unit})(?!\w){central}"),
        # "UBND cấp xã"
        "level": re.compile(rf"{GAP}(?i:cấp){GAP}(?P<level>(?i:tỉnh|huyện|xã))(?!\w)"),
        # "Ngân hàng Nhà nước Chi nhánh Quảng Ninh"
        "branch": re.compile(rf"{GAP}(?i:chi{GAP}nhánh){GAP}(?:(?P<unit>{unit}){GAP})?"
                             rf"(?P<place>{provinces})(?!\w)"),
        # "Chi cục Hải quan khu vực V", "Ngân hàng Nhà nước khu vực XII"
        "region": re.compile(rf"{GAP}(?P<region>(?i:khu{GAP}vực){GAP}{_ROMAN_OR_NUMBER})"),
        # "tỉnh", "TỈNH", "TP", "thành phố" (a place may follow)
        "unit": re.compile(rf"{GAP}(?P<unit>{unit})(?!\w)"),
        # "Phú Thọ", "PHÚ THỌ", "phú Thọ"
        "province": re.compile(rf"{GAP}(?P<place>{provinces})(?!\w)"),
        # a district or commune name after its unit word: "huyện Tam Nông" (checked word by word)
        "proper": re.compile(rf"{GAP}(?P<place>[^\W\d_]+(?:[ ][^\W\d_]+){{0,2}})"),
        # "Hội Nông dân Việt Nam"
        "national": re.compile(rf"{GAP}(?i:việt{GAP}nam)(?!\w)"),
        # the issuer's initials in recipient lists: "Cổng TTĐT TPCT"
        "initials": re.compile(rf"{GAP}(?P<code>[A-ZĐ]{{3,6}})(?!\w)"),
    }


def parse_suffix(text: str, pos: int, end: int, ctx: Context, *,
                 allow_groups: bool = True) -> tuple[int, Jurisdiction]:
    """(end offset, what is attached) after an agency name ending at ``pos``."""
    p = _patterns()
    if allow_groups:
        for name in ("collective", "list", "cac_unit", "level"):
            m = p[name].match(text, pos, end)
            if m:
                return m.end(), _group(name, m)
    for name in ("branch", "region"):
        m = p[name].match(text, pos, end)
        if m:
            return m.end(), _qualifier(name, m)
    m = p["unit"].match(text, pos, end)
    if m:
        return _unit_and_place(text, m, end)
    m = p["province"].match(text, pos, end)
    if m:
        return m.end(), Jurisdiction(place=_province(m.group("place")))
    m = p["initials"].match(text, pos, end)
    if m and ctx.jurisdiction and m.group("code") == _initials(ctx.jurisdiction):
        unit, _, place = ctx.jurisdiction.partition(" ") if ctx.jurisdiction.startswith("tỉnh") \
            else ("thành phố", "", ctx.jurisdiction[len("thành phố "):])
        return m.end(), Jurisdiction(unit=unit, place=place)
    m = p["national"].match(text, pos, end)
    if m:
        return m.end(), Jurisdiction(national=True)
    return pos, Jurisdiction()


def _initials(jurisdiction: str) -> str:
    """ "thành phố Cần Thơ" -> "TPCT" (the abbreviation of a city in recipient lists)."""
    if not jurisdiction.startswith("thành phố "):
        return ""
    return "TP" + "".join(w[0].upper() for w in jurisdiction[len("thành phố "):].split())


def _group(name: str, m: re.Match[str]) -> Jurisdiction:
    if name == "collective":
        return Jurisdiction(collective=True)
    if name == "level":
        return Jurisdiction(level=m.group("level").lower())
    units = [unit_words().get(fold(u), "") for u in re.split(_SEP, m.group("units"))]
    if m.group("central"):
        return Jurisdiction(level="tỉnh")
    levels = [_levels().get(u, "") for u in units]
    known = [lv for lv in levels if lv]
    return Jurisdiction(level=max(set(known), key=known.count) if known else "huyện")


def _qualifier(name: str, m: re.Match[str]) -> Jurisdiction:
    if name == "region":
        return Jurisdiction(region=" ".join(m.group("region").split()))
    unit = _unit(m.group("unit")) if m.group("unit") else None
    return Jurisdiction(unit=unit, place=_province(m.group("place")), branch=True)


def _unit_and_place(text: str, m: re.Match[str], end: int) -> tuple[int, Jurisdiction]:
    """ "tỉnh Phú Thọ" / "TỈNH PHÚ THỌ" / "huyện Tam Nông" / "Tỉnh" alone."""
    unit = _unit(m.group("unit"))
    p = _patterns()
    prov = p["province"].match(text, m.end(), end)
    if prov:
        return prov.end(), Jurisdiction(unit=unit, place=_province(prov.group("place")))
    if unit != "tỉnh":  # every province is listed; towns, districts and communes are not
        proper = p["proper"].match(text, m.end(), end)
        if proper:
            words = _capitalised_prefix(proper.group("place"))
            if words:
                stop = m.end() + proper.group().index(words[0])
                last = text.index(words[-1], stop) + len(words[-1])
                return last, Jurisdiction(unit=unit, place=" ".join(words))
    return m.end(), Jurisdiction(unit=unit)


def _capitalised_prefix(phrase: str) -> list[str]:
    """The leading capitalised words of ``phrase`` ("Gia Thuận ban" -> ["Gia", "Thuận"])."""
    out = []
    for word in phrase.split(" "):
        if not word[:1].isupper() or (word.isupper() and len(word) > 1):
            break
        out.append(word)
    return out
