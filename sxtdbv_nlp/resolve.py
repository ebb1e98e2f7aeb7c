"""Stage 4, resolve: an AGENCY mention -> the agency it names (gazetteer + rapidfuzz).

``resolve(mention, jurisdiction=...)`` returns an :class:`AgencyMatch` (canonical name per
ANNOTATION_GUIDE.md §3, stable id, level, parent, 2025 successor, score and method) or None.
The gazetteer is ``data/agencies.tsv`` (2025 successions: ``data/agency_successions.tsv``;
provinces before and after 1 July 2025: ``data/admin_units.tsv``). A mention is split into
a name and what is attached to it ("tỉnh Phú Thọ", "các huyện", "Chi nhánh Quảng Ninh",
"khu vực XII", "Việt Nam", read by :func:`~sxtdbv_nlp.recognizers.jurisdiction.parse_suffix`);
the name is resolved in tiers, the first hit wins:

1. ``exact``: :func:`normalize_name` without abbreviation expansion equals an official name
   (or its national form) -- case, NFC, tone placement, "&", spacing and punctuation aside;
2. ``alias``: an all-caps alias as written ("UNIDO"), or the normalised name with
   abbreviations expanded case-sensitively on token boundaries ("Sở KH&ĐT", "UBND"; never
   "ubnd") equals an official name or a listed alias. Collective phrases ("các sở, ban,
   ngành", ``agency_groups.tsv``) are looked up the same way and reported as ``exact``;
3. ``fuzzy``: ``rapidfuzz.fuzz.ratio`` between the normalised names with their type head
   removed ("sở", "bộ", "ủy ban"...: ``agency_name_words.tsv``), against names of the same
   type only, so "Sở Công Thương" is never "Bộ Công Thương". A score below
   :data:`FUZZY_CUTOFF`, or within :data:`FUZZY_MARGIN` of another body, gives None: a
   resolver that abstains is better than one that guesses.

Ids are slugs: ``bo-cong-thuong``; a local body adds its jurisdiction,
``so-cong-thuong@tinh-phu-tho``. A local body named without jurisdiction takes
``jurisdiction`` (the plan issuer's).

>>> resolve("Sở Công thương", jurisdiction="tỉnh Phú Thọ").canonical
'Sở Công Thương tỉnh Phú Thọ'
>>> m = resolve("Sở KH&ĐT tỉnh Hậu Giang")
>>> m.id, m.method.value, m.successor
('so-ke-hoach-va-dau-tu@tinh-hau-giang', 'alias', 'Sở Tài chính thành phố Cần Thơ')
>>> resolve("Bộ Tài nguyên và Môi trường").successor_id
'bo-nong-nghiep-va-moi-truong'
>>> resolve("doanh nghiệp") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.base import Context, trim_span
from sxtdbv_nlp.recognizers.canonical import Jurisdiction, expand_abbreviations, new_style
from sxtdbv_nlp.recognizers.jurisdiction import parse_suffix

__all__ = [
    "FUZZY_CUTOFF",
    "FUZZY_MARGIN",
    "Agency",
    "AgencyMatch",
    "Level",
    "MatchMethod",
    "NameMatch",
    "Resolver",
    "default_resolver",
    "normalize_name",
    "resolve",
    "slug",
]

#: Lowest fuzzy score (``fuzz.ratio``, 0-100) accepted; below it ``resolve`` returns None.
FUZZY_CUTOFF = 90.0
#: A fuzzy best whose lead over another body is smaller than this is ambiguous: None.
FUZZY_MARGIN = 3.0
#: Fuzzy matching needs at least this many characters after the type head.
MIN_FUZZY_CHARS = 3

# "và" written "&", with or without blanks: "Kế hoạch& Đầu tư".
_AMPERSAND = re.compile(r"\s*&\s*")
# Anything but letters, digits and blanks: punctuation, dashes, markup, "_", and combining
# marks that NFC could not attach to a letter.
_NON_WORD = re.compile(r"[^\w\s]|_")
# An alias written as an acronym ("UNIDO", "VCCI"): matched as written, never case-folded.
_ACRONYM = re.compile(r"[A-ZĐ][A-ZĐ0-9&.]+")
# What separates the parts of a slug.
_SLUG_SEP = re.compile(r"[^a-z0-9]+")
# A roman numeral in a region name ("khu vực XII").
_ROMAN = re.compile(r"""
    (?P<numeral> [IVXLC]{1,6} ) $   # the whole last word
""", re.VERBOSE)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


class Level(StrEnum):
    """Where a body sits: the whole country, a province, a district or a commune."""

    CENTRAL = "central"
    PROVINCIAL = "provincial"
    DISTRICT = "district"
    COMMUNE = "commune"


class MatchMethod(StrEnum):
    """Which tier resolved the name (module docstring)."""

    EXACT = "exact"
    ALIAS = "alias"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class AgencyMatch:
    """A resolved mention: the body, where it is, and how it was found.

    ``canonical`` is the guide's canonical name (with jurisdiction for local bodies);
    ``name`` the gazetteer name without it; ``score`` 0-100 (100 for exact and alias);
    ``group`` True for a collective group ("Các sở, ban, ngành tỉnh Phú Thọ");
    ``successor``/``successor_id`` the body that holds its functions now, when it was merged
    or renamed in 2025 (or its province was merged on 1 July 2025), else None.
    """

    canonical: str
    id: str
    level: Level
    parent_id: str | None
    score: float
    method: MatchMethod
    group: bool = False
    successor: str | None = None
    successor_id: str | None = None
    name: str = ""
    jurisdiction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return {"canonical": self.canonical, "id": self.id, "level": self.level.value,
                "parent_id": self.parent_id, "score": self.score, "method": self.method.value,
                "group": self.group, "successor": self.successor, "successor_id": self.successor_id,
                "name": self.name, "jurisdiction": self.jurisdiction}


@dataclass(frozen=True)
class Agency:
    """One row of ``data/agencies.tsv`` (its header explains the fields)."""

    id: str
    name: str
    scope: str
    kind: str
    aliases: tuple[str, ...]
    local_form: str
    national_form: str
    bare: bool
    group_form: str
    tiers: tuple[Level, ...]
    parent: str
    region_form: str

    @property
    def national_name(self) -> str:
        """The name of the national body ("Hội Nông dân" -> "Hội Nông dân Việt Nam")."""
        return self.national_form or self.name


@dataclass(frozen=True)
class NameMatch:
    """A name (without jurisdiction) resolved by one tier to a gazetteer row; ``score`` is 100
    for the exact and alias tiers; ``national``: the name was the body's national form."""

    agency: Agency
    method: MatchMethod
    score: float = 100.0
    national: bool = False


@dataclass(frozen=True)
class _Place:
    """A jurisdiction: as canonical names write it ("tỉnh Phú Thọ" or "Phú Thọ"), with its
    unit ("tỉnh Phú Thọ", for ids), the place name alone and its level."""

    text: str
    full: str
    name: str
    level: Level | None


# ---------------------------------------------------------------- normalisation
def _normalize(text: str, *, expand: bool) -> str:
    """NFC, abbreviations (optional), lower case, "&" -> "và", no punctuation, new-style tones."""
    s = unicodedata.normalize("NFC", text)
    if expand:
        s = expand_abbreviations(s)
    s = unicodedata.normalize("NFC", s.lower())
    s = _NON_WORD.sub(" ", _AMPERSAND.sub(" và ", s))
    return " ".join(new_style(s).split())


def normalize_name(text: str) -> str:
    """The comparison form of an agency name; idempotent.

    >>> normalize_name("Sở Kế hoạch& Đầu  tư"), normalize_name("UBND tỉnh"), normalize_name("Uỷ ban")
    ('sở kế hoạch và đầu tư', 'ủy ban nhân dân tỉnh', 'ủy ban')
    """
    return _normalize(text, expand=True)


@lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """An id part: no accents, "đ" as "d", lower case, words joined by "-".

    >>> slug("Sở Công Thương"), slug("tỉnh Đắk Lắk")
    ('so-cong-thuong', 'tinh-dak-lak')
    """
    s = unicodedata.normalize("NFD", text.lower().translate({ord("đ"): "d", ord("Đ"): "d"}))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return _SLUG_SEP.sub("-", s).strip("-")


def _fill(template: str, **parts: str) -> str:
    """A data-file template with its {fields} filled, single-spaced."""
    out = template
    for name, value in parts.items():
        out = out.replace("{" + name + "}", value)
    return " ".join(out.split())


def _arabic(region: str) -> str:
    """ "khu vực XII" -> "12" (a region number as written in Arabic numerals)."""
    last = region.split()[-1]
    m = _ROMAN.match(last)
    if not m:
        return last
    values = [_ROMAN_VALUES[c] for c in m.group("numeral")]
    return str(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))


# ---------------------------------------------------------------- data
def _agency(row: dict[str, str], kinds: tuple[str, ...]) -> Agency:
    """A gazetteer row; its type is the longest type head its name starts with, else its first word."""
    name = row["name"]
    kind = _kind(normalize_name(name), kinds)
    levels = tuple(_tiers()[t] for t in row["tiers"].split("|") if t) or (Level.PROVINCIAL,)
    return Agency(slug(name), name, row["level"], kind, tuple(a for a in row["aliases"].split("|") if a),
                  row["local_form"], row["national_form"], row["bare"] != "no", row["group_form"],
                  levels, row["parent"], row["region_form"])


def _kind(key: str, kinds: tuple[str, ...]) -> str:
    """The type head of a normalised name: the longest listed head it starts with, else its first word."""
    return next((k for k in kinds if key == k or key.startswith(k + " ")), key.partition(" ")[0])


@cache
def _tiers() -> dict[str, Level]:
    """Unit word ("tỉnh", "huyện"...) and tier word -> level; "thành phố" is decided by place."""
    out = {r["unit"]: Level(r["tier"]) for r in load_records("admin_levels.tsv") if r["tier"]}
    out |= {r["level"]: Level(r["tier"]) for r in load_records("admin_levels.tsv") if r["tier"]}
    return out


@cache
def _level_words() -> dict[str, str]:
    """Unit word -> its level word in admin_levels.tsv ("quận" -> "huyện")."""
    return {r["unit"]: r["level"] for r in load_records("admin_levels.tsv")}


def _split_unit(text: str) -> tuple[str | None, str]:
    """ "thành phố Cần Thơ" -> ("thành phố", "Cần Thơ"); a bare place -> (None, place)."""
    for unit in sorted(_level_words(), key=len, reverse=True):
        if text.startswith(unit + " "):
            return unit, text[len(unit) + 1:]
    return None, text


@cache
def _provinces() -> dict[str, tuple[str, str, str]]:
    """normalised name -> (unit, name, the province it is part of since 1 July 2025)."""
    out: dict[str, tuple[str, str, str]] = {}
    for r in load_records("admin_units.tsv"):
        merged_into = r["merged_into"] or f"{r['unit']} {r['name']}"
        out.setdefault(normalize_name(r["name"]), (r["unit"], r["name"], merged_into))
    return out


# ---------------------------------------------------------------- the resolver
class Resolver:
    """The loaded gazetteer and its indexes; results are cached per instance (``cache_size``).

    >>> Resolver().resolve("UBND", jurisdiction="thành phố Cần Thơ").id
    'uy-ban-nhan-dan@thanh-pho-can-tho'
    """

    def __init__(self, *, cache_size: int = 65536) -> None:
        self.kinds = tuple(sorted({normalize_name(r["phrase"]) for r in load_records("agency_name_words.tsv")
                                   if r["kind"] == "type"}, key=len, reverse=True))
        self.agencies = tuple(_agency(r, self.kinds) for r in load_records("agencies.tsv"))
        self._by_id = {a.id: a for a in self.agencies}
        by_name = {a.name: a for a in self.agencies}
        self._successors = {r["predecessor"]: by_name[r["successor"]]
                            for r in load_records("agency_successions.tsv") if r["share"] == "main"}
        self._index_names()
        self._index_groups()
        self._index_fuzzy()
        self._cached = lru_cache(maxsize=cache_size)(self._resolve) if cache_size else self._resolve
        self._place = lru_cache(maxsize=4096)(self._read_place)

    # .............................................................. indexes
    def _index_names(self) -> None:
        """Official names and national forms (exact), aliases (alias), acronyms as written."""
        self._exact: dict[str, NameMatch] = {}
        self._alias: dict[str, NameMatch] = {}
        self._acronyms: dict[str, NameMatch] = {}
        for a in self.agencies:
            self._exact.setdefault(_normalize(a.name, expand=False), NameMatch(a, MatchMethod.EXACT))
        for a in self.agencies:
            if a.national_form:
                self._exact.setdefault(_normalize(a.national_form, expand=False),
                                       NameMatch(a, MatchMethod.EXACT, national=True))
            for alias in a.aliases:
                if _ACRONYM.fullmatch(alias):
                    self._acronyms.setdefault(alias, NameMatch(a, MatchMethod.ALIAS))
                else:
                    self._alias.setdefault(normalize_name(alias), NameMatch(a, MatchMethod.ALIAS))

    def _index_groups(self) -> None:
        """Collective phrases -> (template, words one of which must precede, level)."""
        self._groups: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._group_levels: dict[str, Level] = {}
        for r in load_records("agency_groups.tsv"):
            requires = tuple(normalize_name(w) for w in r["requires"].split("|") if w)
            self._groups.setdefault(normalize_name(r["phrase"]), (r["canonical"], requires))
            if r["tier"]:
                self._group_levels.setdefault(r["canonical"], Level(r["tier"]))

    def _index_fuzzy(self) -> None:
        """Per type head: every indexed name with the head removed, and whom it names."""
        self._fuzzy: dict[str, tuple[list[str], list[NameMatch]]] = {}
        for key, hit in [*self._exact.items(), *self._alias.items()]:
            kind = _kind(key, self.kinds)
            choices, hits = self._fuzzy.setdefault(kind, ([], []))
            choices.append(key[len(kind):].strip())
            hits.append(replace(hit, method=MatchMethod.FUZZY))
        self._ascii = {_ascii(k): ([_ascii(c) for c in choices], hits)
                       for k, (choices, hits) in self._fuzzy.items()}
        self._ascii_kinds = tuple(sorted({_ascii(k) for k in self.kinds}, key=len, reverse=True))

    # .............................................................. public API
    def resolve(self, mention: str, *, jurisdiction: str | None = None) -> AgencyMatch | None:
        """The agency a mention names, or None (see the module docstring)."""
        if not isinstance(mention, str):
            raise TypeError(f"resolve() needs the mention as str, got {type(mention).__name__}")
        return self._cached(mention, jurisdiction)

    def resolve_all(self, mentions: Iterable[str], *, jurisdiction: str | None = None
                    ) -> list[AgencyMatch | None]:
        """:meth:`resolve` for many mentions of one plan (None where it abstains)."""
        return [self.resolve(m, jurisdiction=jurisdiction) for m in mentions]

    def entry(self, name: str) -> Agency | None:
        """The gazetteer row of an official name ("Sở Công Thương"), or None."""
        hit = self._exact.get(_normalize(name, expand=False))
        return hit.agency if hit and not hit.national else None

    def match_name(self, name: str) -> NameMatch | None:
        """The body a name without jurisdiction stands for, by the three tiers, or None."""
        return self._exact_or_alias(name) or self._fuzzy_match(name)

    # .............................................................. tiers
    def _exact_or_alias(self, name: str) -> NameMatch | None:
        hit = self._exact.get(_normalize(name, expand=False)) or self._acronyms.get(name.strip())
        if hit:
            return hit
        key = normalize_name(name)
        hit = self._exact.get(key) or self._alias.get(key)
        return replace(hit, method=MatchMethod.ALIAS) if hit else None

    def _fuzzy_match(self, name: str) -> NameMatch | None:
        """Fuzzy tier: same type head only, best score over the cutoff and clear of rivals."""
        key = normalize_name(name)
        ascii_only = key.isascii()  # no diacritics at all: compare names without theirs
        table = self._ascii if ascii_only else self._fuzzy
        kind = _kind(key, self._ascii_kinds if ascii_only else self.kinds)
        if kind not in table or len(key) - len(kind) <= MIN_FUZZY_CHARS:
            return None
        choices, hits = table[kind]
        found = process.extract(key[len(kind) + 1:], choices, scorer=fuzz.ratio, processor=None,
                                limit=8, score_cutoff=FUZZY_CUTOFF - FUZZY_MARGIN)
        if not found or found[0][1] < FUZZY_CUTOFF:
            return None
        best = hits[found[0][2]]
        rivals = [score for _, score, i in found[1:] if hits[i].agency.id != best.agency.id]
        if rivals and found[0][1] - rivals[0] < FUZZY_MARGIN:
            return None
        return replace(best, score=round(found[0][1], 1))

    # .............................................................. mention -> match
    def _resolve(self, mention: str, jurisdiction: str | None) -> AgencyMatch | None:
        reading = self.read(mention)
        if reading is None:
            return None
        found, juris = reading
        if isinstance(found, str):
            return self.group(found, jurisdiction=_written(juris) or jurisdiction)
        return self._whole(found, juris, jurisdiction)

    def read(self, mention: str) -> tuple[NameMatch | str, Jurisdiction] | None:
        """What a mention names and what is attached to it: a gazetteer hit or a group template
        ("" for a group the guide leaves unnamed), by the exact and alias tiers over every
        reading of the mention, then the fuzzy tier; None if nothing matches."""
        start, end = trim_span(mention, 0, len(mention))
        text = unicodedata.normalize("NFC", mention[start:end])
        if not text:
            return None
        readings = []
        for name, juris in self._splits(text):
            hit = self._exact_or_alias(name)
            template = None if hit else self._group_phrase(name)
            if hit or template is not None:
                return (hit or template or "", juris)
            readings.append((name, juris))
        fuzzy = [(hit, juris) for name, juris in readings if (hit := self._fuzzy_match(name))]
        return max(fuzzy, key=lambda pair: pair[0].score) if fuzzy else None

    @staticmethod
    def _splits(text: str) -> Iterator[tuple[str, Jurisdiction]]:
        """(name, what is attached) readings: the whole mention, then longest name first."""
        yield text, Jurisdiction()
        ctx = Context(text, 0, len(text))
        for gap in reversed(list(re.finditer(r"\s+", text))):
            end, juris = parse_suffix(text, gap.start(), len(text), ctx)
            if end == len(text) and not juris.empty:
                yield text[:gap.start()], juris

    def _group_phrase(self, name: str) -> str | None:
        """The template of a collective phrase ("các sở, ban, ngành"; "" = canonical null), or None."""
        key = normalize_name(name)
        first, _, rest = key.partition(" ")
        for k in (key, rest) if first == "các" else (key,):
            rec = self._groups.get(k)
            if rec and (not rec[1] or (k == rest and "các" in rec[1])):
                return rec[0]
        return None

    def _whole(self, hit: NameMatch, juris: Jurisdiction, jurisdiction: str | None) -> AgencyMatch | None:
        """:meth:`locate` for a whole mention: a name never annotated alone ("Công an", "Báo") is
        None; a body with local chapters and no jurisdiction anywhere is the national one."""
        agency = hit.agency
        if juris.empty and not agency.bare and not hit.national:
            return None
        if juris.empty and jurisdiction is None and (agency.scope == "both" or agency.national_form):
            return self._central(replace(hit, national=True), agency.national_form or agency.name)
        return self.locate(agency, juris, jurisdiction=jurisdiction, hit=hit)

    # .............................................................. jurisdictions
    def _read_place(self, text: str | None) -> _Place | None:
        """A jurisdiction read from text ("tỉnh Phú Thọ", "Phú Thọ", "huyện Tam Nông"), or None."""
        if not text:
            return None
        padded = " " + text
        end, juris = parse_suffix(padded, 0, len(padded), Context(padded, 0, len(padded)))
        unit, name = (juris.unit, juris.place or "") if end == len(padded) else _split_unit(text)
        province = _provinces().get(normalize_name(name))
        if province and unit in (None, province[0]):  # "thành phố Hà Tĩnh" is no province
            full = f"{province[0]} {province[1]}"
            return _Place(full if unit else province[1], full, province[1], Level.PROVINCIAL)
        if not name:
            return None
        level = _tiers().get(unit or "") or (Level.DISTRICT if unit == "thành phố" else None)
        written = f"{unit} {name}" if unit else name
        return _Place(written, written, name, level)

    def _default(self, jurisdiction: str | None) -> _Place | None:
        """The issuer's jurisdiction, always with its unit ("Phú Thọ" -> "tỉnh Phú Thọ")."""
        place = self._place(jurisdiction)
        return replace(place, text=place.full) if place else None

    def _now(self, place: _Place) -> _Place:
        """The province a pre-July-2025 province is part of now (the place itself if unchanged)."""
        province = _provinces().get(normalize_name(place.name))
        if place.level is not Level.PROVINCIAL or province is None or province[2] == place.full:
            return place
        merged = self._place(province[2]) or place
        return merged if place.text == place.full else replace(merged, text=merged.name)

    # .............................................................. building matches
    def locate(self, agency: Agency, juris: Jurisdiction, *, jurisdiction: str | None,
               hit: NameMatch | None = None, national_plan: bool = False) -> AgencyMatch | None:
        """The match of a gazetteer body with what is attached to it (``juris``), or None for a
        group the guide leaves unnamed. ``jurisdiction`` is the plan issuer's; in a national
        plan (``national_plan``) an unqualified local body means all of them."""
        hit = hit or NameMatch(agency, MatchMethod.EXACT)
        if juris.collective:
            return None
        if juris.level:
            return self.level_group(agency, juris.level, jurisdiction)
        if agency.scope == "central":
            return self._central(hit, agency.name)
        if juris.national or hit.national:
            return self._central(hit, agency.national_form or f"{agency.name} Việt Nam")
        if juris.region:
            return self._regional(hit, juris.region)
        default = self._default(jurisdiction)
        if juris.unit and not juris.place and not juris.branch:
            issuer_unit = _split_unit(default.full)[0] if default else None
            if issuer_unit and juris.unit not in (issuer_unit, "tỉnh", "thành phố"):
                return self.level_group(agency, _level_words().get(juris.unit) or "huyện", jurisdiction)
        elif juris.empty and national_plan:
            has_national = agency.scope == "both" or agency.national_form
            return self._central(hit, agency.national_form or agency.name) if has_national else None
        place = self._place(_written(juris)) or default
        if place is None:
            return self._unplaced(hit, juris)
        return self._local(hit, place, default, branch=juris.branch)

    def _match(self, hit: NameMatch, canonical: str, id_: str, level: Level, parent: str | None,
               successor: tuple[str, str] | None, where: str | None = None) -> AgencyMatch:
        succ = successor if successor and successor[0] != canonical else (None, None)
        return AgencyMatch(canonical, id_, level, parent, hit.score, hit.method, False, succ[0], succ[1],
                           hit.agency.name, where)

    def _successor(self, agency: Agency) -> tuple[str, str] | None:
        succ = self._successors.get(agency.name)
        return (succ.name, succ.id) if succ else None

    def _central(self, hit: NameMatch, name: str) -> AgencyMatch:
        """A national body named ``name``; a local body's national form that has its own row is
        that row ("Công an" + "Việt Nam" -> "Bộ Công an")."""
        agency, id_ = hit.agency, slug(name)
        own = self._by_id.get(id_)
        if own is not None and own is not agency and own.scope == "central":
            return self._central(replace(hit, agency=own, national=False), own.name)
        national = agency.scope != "central"
        parent = self._parent(agency, None, Level.CENTRAL, None, national=national)
        return self._match(hit, name, id_, Level.CENTRAL, parent if parent != id_ else None,
                           None if national else self._successor(agency))

    def _regional(self, hit: NameMatch, region: str) -> AgencyMatch:
        """A regional unit: "Ngân hàng Nhà nước khu vực XII" -> "Ngân hàng Nhà nước Khu vực 12"."""
        agency = hit.agency
        canonical = _fill(agency.region_form or "{name} {region}", name=agency.name, region=region,
                          region_no=_arabic(region))
        id_ = f"{agency.id}@{slug(canonical[len(agency.name):])}"
        parent = self._parent(agency, None, Level.PROVINCIAL, None)
        return self._match(hit, canonical, id_, Level.PROVINCIAL, parent, None, region)

    def _unplaced(self, hit: NameMatch, juris: Jurisdiction) -> AgencyMatch:
        """A local body with no jurisdiction anywhere: its name (with the unit word if written)."""
        agency = hit.agency
        canonical = f"{agency.name} {juris.unit}" if juris.unit else agency.name
        level = _tiers().get(juris.unit or "") or agency.tiers[0]
        return self._match(hit, canonical, agency.id, level, None, self._successor(agency))

    def _local(self, hit: NameMatch, place: _Place, default: _Place | None, *, branch: bool) -> AgencyMatch:
        """A local body in a place; its successor is its 2025 successor in the province of now."""
        agency = hit.agency
        if place.level is not None and place.level not in agency.tiers:  # "Phòng Y tế" in a province
            return self._match(hit, agency.name, agency.id, agency.tiers[0], None, self._successor(agency))
        canonical, id_ = self._local_name(agency, place, branch=branch)
        level = place.level or agency.tiers[0]
        heir = self._successors.get(agency.name, agency)
        successor = self._local_name(heir, self._now(place), branch=branch)
        return self._match(hit, canonical, id_, level, self._parent(agency, place, level, default),
                           successor, place.full)

    @staticmethod
    def _local_name(agency: Agency, place: _Place, *, branch: bool) -> tuple[str, str]:
        """(canonical, id) of a local body in a place ("Chi nhánh" for a branch)."""
        template = agency.local_form or "{name} {jurisdiction}"
        if branch and "Chi nhánh" not in template:
            template = "{name} Chi nhánh {jurisdiction}"
        canonical = _fill(template, name=agency.name, jurisdiction=place.full if branch else place.text,
                          place=place.name)
        return canonical, f"{agency.id}@{slug(place.full)}"

    def _parent(self, agency: Agency, place: _Place | None, level: Level, default: _Place | None, *,
                national: bool = False) -> str | None:
        """The parent id (the ``parent`` column of agencies.tsv, placed)."""
        parent = agency.parent
        if parent.endswith("@"):  # the local body of the same jurisdiction
            target = self._by_id.get(parent[:-1])
            if national:
                return slug(target.national_name) if target else None
            return f"{parent[:-1]}@{slug(place.full)}" if place else None
        if parent and level in (Level.DISTRICT, Level.COMMUNE) and agency.scope != "central":
            above = default is not None and default.level is Level.PROVINCIAL and default != place
            return f"{agency.id}@{slug(default.full)}" if above and default else None  # UBND huyện
        return parent or None

    # .............................................................. groups
    def group(self, template: str, *, jurisdiction: str | None) -> AgencyMatch | None:
        """A collective group by its guide template ("Các sở, ban, ngành {jurisdiction}"), or None
        when the guide gives the group no canonical name (empty template)."""
        if not template:
            return None
        place = self._default(jurisdiction) if "{jurisdiction}" in template else None
        level = self._group_levels.get(template) or (place.level if place else None) or Level.PROVINCIAL
        return self._group(template, place, level, {})

    def level_group(self, agency: Agency, level_word: str, jurisdiction: str | None) -> AgencyMatch | None:
        """ "UBND các huyện" -> "Ủy ban nhân dân cấp huyện <jurisdiction>"; None with no group form."""
        if not agency.group_form:
            return None
        place = None if level_word == "tỉnh" else self._default(jurisdiction)
        parts = {"level": level_word, "name": agency.name}
        return self._group(agency.group_form, place, _tiers()[level_word], parts)

    def _group(self, template: str, place: _Place | None, level: Level, parts: dict[str, str]) -> AgencyMatch:
        name = _fill(template, jurisdiction="", **parts)
        canonical = _fill(template, jurisdiction=place.text if place else "", **parts)
        id_ = f"{slug(name)}@{slug(place.full)}" if place else slug(name)
        now = self._now(place) if place else None
        successor = successor_id = None
        if now is not None and now != place:  # the province was merged on 1 July 2025
            successor = _fill(template, jurisdiction=now.text, **parts)
            successor_id = f"{slug(name)}@{slug(now.full)}"
        return AgencyMatch(canonical, id_, level, None, 100.0, MatchMethod.EXACT, True, successor,
                           successor_id, name, place.full if place else None)


def _written(juris: Jurisdiction) -> str | None:
    """The jurisdiction written in a mention ("tỉnh Phú Thọ", "Phú Thọ"), or None."""
    return f"{juris.unit} {juris.place}" if juris.unit and juris.place else juris.place


def _ascii(text: str) -> str:
    """A normalised name without diacritics ("sở công thương" -> "so cong thuong")."""
    return slug(text).replace("-", " ")


@cache
def default_resolver() -> Resolver:
    """The process-wide resolver (the gazetteer is loaded once, on first use)."""
    return Resolver()


def resolve(mention: str, *, jurisdiction: str | None = None) -> AgencyMatch | None:
    """The agency a mention names, or None below the thresholds (module docstring).

    >>> resolve("UBND các huyện, thị xã", jurisdiction="tỉnh Phú Thọ").canonical
    'Ủy ban nhân dân cấp huyện tỉnh Phú Thọ'
    >>> resolve("Sở Công Thương", jurisdiction="tỉnh Phú Thọ").id
    'so-cong-thuong@tinh-phu-tho'
    """
    return default_resolver().resolve(mention, jurisdiction=jurisdiction)
