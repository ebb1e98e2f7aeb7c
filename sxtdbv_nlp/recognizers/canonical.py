"""Canonical agency names (ANNOTATION_GUIDE.md §3), kept apart from span finding.

:mod:`.agency` finds a mention and what is attached to it (a :class:`Jurisdiction`); this
module turns it into an :class:`~sxtdbv_nlp.types.AgencyValue` through the resolver of
:mod:`sxtdbv_nlp.resolve`, which holds the gazetteer (``data/agencies.tsv``): the official
spelling, the jurisdiction (the one written in the mention, "UBND tỉnh Hậu Giang", else the
plan issuer's: "Sở Tài chính" in a Phú Thọ plan -> "Sở Tài chính tỉnh Phú Thọ"), the id and
the 2025 successor. Group names follow the guide ("Các sở, ban, ngành tỉnh Phú Thọ", "Ủy
ban nhân dân cấp huyện tỉnh Phú Thọ"); other groups have canonical None. Open-class names
the resolver abstains on ("Ban Chỉ đạo ...") keep their written name, cleaned (abbreviations
expanded, "&" as "và", new-style tone marks), plus the issuer's jurisdiction for local units.
It also keeps the gazetteer's written forms for span finding (:func:`surface_forms`).

>>> from sxtdbv_nlp.recognizers.base import Context
>>> from sxtdbv_nlp.types import Header
>>> ctx = Context("", 0, 0, header=Header(issuer="Ủy ban nhân dân tỉnh Phú Thọ"))
>>> v = body_value(lookup("Sở KH&ĐT"), Jurisdiction(), ctx)
>>> v.canonical, v.id, v.successor
('Sở Kế hoạch và Đầu tư tỉnh Phú Thọ', 'so-ke-hoach-va-dau-tu@tinh-phu-tho', 'Sở Tài chính tỉnh Phú Thọ')
>>> body_value(lookup("UBND"), Jurisdiction(level="huyện"), ctx).canonical
'Ủy ban nhân dân cấp huyện tỉnh Phú Thọ'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.errors import DataFileError
from sxtdbv_nlp.recognizers.base import Context
from sxtdbv_nlp.recognizers.patterns import fold, phrase_regex, tone_variants
from sxtdbv_nlp.types import AgencyValue

if TYPE_CHECKING:
    from sxtdbv_nlp.resolve import AgencyMatch, Resolver

__all__ = [
    "Body",
    "Jurisdiction",
    "bodies",
    "body_value",
    "expand_abbreviations",
    "group_value",
    "key",
    "lookup",
    "new_style",
    "open_value",
    "surface_forms",
]


@dataclass(frozen=True)
class Body:
    """One gazetteer row (see the header of ``data/agencies.tsv``)."""

    name: str
    level: str
    aliases: tuple[str, ...]
    local_form: str
    national_form: str
    bare: bool
    group_form: str


@dataclass(frozen=True)
class Jurisdiction:
    """What is attached to a mention after its name.

    ``unit``/``place``: "tỉnh Phú Thọ" (either may be None); ``level``: a group of bodies
    of one level ("các huyện, thị xã", "cấp xã"); ``national``: "Việt Nam"; ``branch``:
    "Chi nhánh Quảng Ninh"; ``region``: "khu vực XII" as written; ``collective``: "các cấp",
    "tại địa phương".
    """

    unit: str | None = None
    place: str | None = None
    level: str | None = None
    national: bool = False
    branch: bool = False
    region: str | None = None
    collective: bool = False

    @property
    def empty(self) -> bool:
        return self == Jurisdiction()


@cache
def bodies() -> tuple[Body, ...]:
    """The gazetteer rows span finding looks for (``find`` is not "no"), in file order."""
    return tuple(
        Body(r["name"], r["level"], tuple(a for a in r["aliases"].split("|") if a),
             r["local_form"], r["national_form"], r["bare"] != "no", r["group_form"])
        for r in load_records("agencies.tsv") if r["find"] != "no")


@cache
def abbreviations() -> tuple[tuple[str, str, str], ...]:
    """(abbreviation, expansion, kind), longest abbreviation first."""
    rows = [(r["abbr"], r["expansion"], r["kind"]) for r in load_records("agency_abbreviations.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def _abbr_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Any abbreviation as a whole token (not inside a word or an "&" compound), and the table."""
    alts = "|".join(re.escape(a) for a, _, _ in abbreviations())
    return re.compile(rf"(?<![\w&])(?:{alts})(?![\w&])"), {a: e for a, e, _ in abbreviations()}


def expand_abbreviations(text: str) -> str:
    """Abbreviations replaced by their expansion, whole tokens only, case-sensitive.

    >>> expand_abbreviations("VP UBND TP"), expand_abbreviations("UBNDX")
    ('Văn phòng Ủy ban nhân dân thành phố', 'UBNDX')
    """
    pattern, table = _abbr_pattern()
    out = pattern.sub(lambda m: table[m.group()] + " ", text)
    return " ".join(out.split())


def key(text: str) -> str:
    """The lookup key of a written name: abbreviations expanded, then :func:`fold`."""
    return fold(expand_abbreviations(text))


def surface_forms(body: Body) -> frozenset[str]:
    """The body's name and aliases, plus every form with parts abbreviated.

    >>> sorted(surface_forms(lookup("Văn phòng Ủy ban nhân dân")))[:3]
    ['VP UBND', 'VP Ủy ban nhân dân', 'VPUB']
    """
    forms = {body.name, *body.aliases}
    targets = {key(f) for f in forms}
    for abbr, expansion, kind in abbreviations():
        if kind == "body" and key(expansion) in targets:
            forms.add(abbr)
    for _round in range(2):
        for abbr, pattern in _abbreviation_patterns():
            forms |= {pattern.sub(abbr, f) for f in forms if pattern.search(f)}
    return frozenset(forms)


@cache
def _abbreviation_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each non-unit abbreviation with a compiled regex of its expansion (built once, not per body)."""
    return tuple((abbr, re.compile(rf"(?<!\w){phrase_regex(expansion)}(?!\w)"))
                 for abbr, expansion, kind in abbreviations() if kind != "unit")


@cache
def _index() -> dict[str, Body]:
    out: dict[str, Body] = {}
    for body in bodies():
        for form in surface_forms(body):
            out.setdefault(key(form), body)
    return out


def lookup(text: str) -> Body | None:
    """The gazetteer body a written name stands for, or None."""
    return _index().get(key(text))


@cache
def _new_style_table() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {old: new for new, old in tone_variants()}
    table |= {old.capitalize(): new.capitalize() for old, new in table.items()}
    return re.compile("(?:" + "|".join(map(re.escape, table)) + r")(?!\w)"), table


def new_style(text: str) -> str:
    """Old-style tone placement rewritten in the new style, case kept.

    >>> new_style("Uỷ ban Văn hoá"), new_style("kế hoạch")
    ('Ủy ban Văn hóa', 'kế hoạch')
    """
    pattern, table = _new_style_table()
    return pattern.sub(lambda m: table[m.group()], text)


def clean_name(text: str) -> str:
    """A written name made canonical in form: abbreviations, "&", tone style, spacing."""
    s = re.sub(r"[*_]+", " ", text)
    s = re.sub(r"\s*&\s*", " và ", expand_abbreviations(s))
    return " ".join(new_style(s).split())


# ---------------------------------------------------------------- values
def _resolver() -> Resolver:
    """The shared resolver (imported on use: :mod:`sxtdbv_nlp.resolve` builds on this package)."""
    from sxtdbv_nlp.resolve import default_resolver

    return default_resolver()


def _value(match: AgencyMatch | None) -> AgencyValue:
    """A resolver match as an entity value; None is a group the guide leaves unnamed.

    Canonical names are written with new-style tone placement throughout, place names
    included ("huyện Hoằng Hoá" -> "huyện Hoằng Hóa"), whatever the mention's spelling.
    """
    if match is None:
        return AgencyValue(None, True)
    return AgencyValue(new_style(match.canonical), match.group, match.id, match.successor)


def body_value(body: Body, juris: Jurisdiction, ctx: Context) -> AgencyValue:
    """The value of a gazetteer body mention with what is attached to it."""
    resolver = _resolver()
    agency = resolver.entry(body.name)
    if agency is None:  # both read data/agencies.tsv: a bug, not a data case
        raise DataFileError(f"{body.name!r} is found by span finding but unknown to the resolver")
    return _value(resolver.locate(agency, juris, jurisdiction=ctx.jurisdiction, national_plan=ctx.national))


def group_by_level(body: Body, level: str, ctx: Context) -> AgencyValue:
    """ "UBND các huyện, thị xã" -> "Ủy ban nhân dân cấp huyện <issuer's jurisdiction>"."""
    return body_value(body, Jurisdiction(level=level), ctx)


def group_value(template: str, ctx: Context) -> AgencyValue:
    """A listed group's value: its template with the issuer's jurisdiction, or canonical None."""
    return _value(_resolver().group(template, jurisdiction=ctx.jurisdiction))


def _split_jurisdiction(jurisdiction: str) -> tuple[str | None, str]:
    """ "tỉnh Phú Thọ" -> ("tỉnh", "Phú Thọ"); a bare place -> (None, place)."""
    for unit in sorted(_levels(), key=len, reverse=True):
        if jurisdiction.startswith(unit + " "):
            return unit, jurisdiction[len(unit) + 1:]
    return None, jurisdiction


@cache
def _levels() -> dict[str, str]:
    return {r["unit"]: r["level"] for r in load_records("admin_levels.tsv")}


def _issuer_unit(ctx: Context) -> str | None:
    """The unit word of the issuer's jurisdiction ("tỉnh", "thành phố", "xã"...)."""
    return _split_jurisdiction(ctx.jurisdiction)[0] if ctx.jurisdiction else None


def _jurisdiction_text(juris: Jurisdiction, ctx: Context) -> str | None:
    """The jurisdiction a local body gets: written in the mention, else the issuer's."""
    if juris.unit and juris.place:
        return f"{juris.unit} {juris.place}"
    if juris.place:
        return juris.place
    return ctx.jurisdiction


def open_value(name: str, juris: Jurisdiction, ctx: Context, *, local: bool,
               plural: bool) -> AgencyValue:
    """The value of an open-class name ("Trung tâm Kiểm soát bệnh tật tỉnh").

    The resolver names it when it knows the unit (exact, alias or fuzzy); where it abstains
    the fallback is the cleaned written name (abbreviations expanded, "&" as "và", new-style
    tone marks), plus what is attached to it, or the issuer's jurisdiction for local units.
    """
    if plural or juris.collective or juris.level:
        return AgencyValue(None, True)
    issuer_unit = _issuer_unit(ctx)
    if juris.unit and not juris.place and issuer_unit and juris.unit not in (issuer_unit, "tỉnh",
                                                                            "thành phố"):
        return AgencyValue(None, True)  # "Phòng Kinh tế huyện": every district's office
    canonical = clean_name(name)
    resolver = _resolver()
    reading = resolver.read(canonical)  # the name may carry its own qualifier: "... khu vực V"
    if reading is not None and not isinstance(reading[0], str):
        hit, inner = reading
        match = resolver.locate(hit.agency, juris if inner.empty else inner, jurisdiction=ctx.jurisdiction,
                                hit=hit)
        if match is not None:
            return _value(match)
    if juris.unit or juris.place or juris.region:
        extra = juris.region or _jurisdiction_text(juris, ctx) or juris.unit or ""
        return AgencyValue(f"{canonical} {extra}".strip())
    if local and ctx.jurisdiction and not _located(canonical):
        canonical = f"{canonical} {ctx.jurisdiction}"
    return AgencyValue(canonical)


@cache
def _located_pattern() -> re.Pattern[str]:
    words = [r["phrase"] for r in load_records("agency_name_words.tsv") if r["kind"] == "located"]
    words += [r["name"] for r in load_records("provinces.tsv")]
    return re.compile("(?<!\\w)(?:" + "|".join(phrase_regex(w) for w in words) + ")(?!\\w)")


def _located(name: str) -> bool:
    """True when a name already says where its unit is ("... khu vực V", "... Tây Nguyên")."""
    return bool(_located_pattern().search(name))
