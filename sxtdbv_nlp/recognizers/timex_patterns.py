"""The regexes of :mod:`.timex`, built once from named parts, and their value helpers.

Every expression allows line breaks between its words ("ngày 24\\ntháng 11 năm 2025") and
is case-insensitive on words ("ĐẾN NĂM 2030").

>>> m = deadline_date_pattern().search("báo cáo trước ngày 15 tháng 12 hằng năm.")
>>> m.group(), iso_date(m, ""), recurrence_of(m)
('trước ngày 15 tháng 12 hằng năm', 'XXXX-12-15', 'P1Y')
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.numbers import number_words
from sxtdbv_nlp.recognizers.patterns import alternation, phrase_regex

__all__ = [
    "bare_range_pattern",
    "bare_year_pattern",
    "coarse_date",
    "date_pattern",
    "date_range_pattern",
    "deadline_coarse_pattern",
    "deadline_date_pattern",
    "deadline_follows",
    "iso_date",
    "month_pattern",
    "only_qualifies",
    "period_pattern",
    "period_value",
    "quarter_pattern",
    "recurrence_of",
    "recurrence_pattern",
    "recurring_date",
    "recurring_date_pattern",
]

# ---------------------------------------------------------------- named parts
W = r"\s{1,12}+"  # between words, line breaks included (possessive, bounded)
DAY = r"(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"  # 1..31, "05" too
MONTH = r"(?:0?[1-9]|1[0-2])(?![0-9])"  # 1..12
YEAR = r"(?:19|20)[0-9]{2}(?![0-9])"  # 1900..2099
NGAY, THANG, NAM, QUY = r"(?i:ngày)", r"(?i:tháng)", r"(?i:năm)", r"(?i:quý)"
QUARTER = r"(?:IV|I{1,3}|[1-4])(?![\w])"  # "Quý II", "quý 3"
SLASH = r"\s?[/.-]\s?"
# Not glued to a longer number, code or symbol on the left: "1613/2017/QĐ" holds no date.
LEFT = r"(?<![\w/.,-])"
# Nothing numeric right after: "2021-2025" is not "2021" then "-2025".
RIGHT = r"(?![\w/]|[.,][0-9])"
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _words(kind: str) -> list[str]:
    return [r["phrase"] for r in load_records("time_words.tsv") if r["kind"] == kind]


@cache
def _units() -> dict[str, str]:
    """Unit word -> ISO duration of one unit ("quý" -> "P3M")."""
    return {r["phrase"]: r["value"] for r in load_records("time_words.tsv") if r["kind"] == "unit"}


def _alt(kind: str) -> str:
    return alternation(phrase_regex(w) for w in _words(kind))


def _core(s: str) -> str:
    """A date with day and month: "24/6/2020", "15/6", "24 tháng 6 năm 2020" (groups suffixed s)."""
    return (rf"(?:(?P<d{s}>{DAY}){SLASH}(?P<m{s}>{MONTH})(?:{SLASH}(?P<y{s}>{YEAR}))?"
            rf"|(?P<dw{s}>{DAY}){W}{THANG}{W}(?P<mw{s}>{MONTH})(?:{W}{NAM}{W}(?P<yw{s}>{YEAR}))?)")


def _every(s: str) -> str:
    """ "hằng năm", "mỗi quý", "Hằng\\nnăm" (groups every{s}, unit{s})."""
    units = alternation(phrase_regex(u) for u in _units())
    return rf"(?P<every{s}>{_alt('every')}){W}(?P<unit{s}>{units})(?!\w)"


# ---------------------------------------------------------------- patterns
@cache
def date_pattern() -> re.Pattern[str]:
    """ "ngày 24/6/2020", "ngày 23 tháng 8\\nnăm 2021", "NGÀY 24/6/2020", "24/6/2020"."""
    return re.compile(rf"(?:(?<!\w)(?P<ngay>{NGAY}){W}|{LEFT}){_core('')}{RIGHT}")


@cache
def date_range_pattern() -> re.Pattern[str]:
    """ "ngày 17 đến ngày 20 tháng 11 năm 2025", "ngày 01/6 - 30/6/2025" (a PERIOD)."""
    first = (rf"(?P<d1>{DAY})(?:(?:{SLASH}|{W}{THANG}{W})(?P<m1>{MONTH})"
             rf"(?:(?:{SLASH}|{W}{NAM}{W})(?P<y1>{YEAR}))?)?")
    return re.compile(rf"(?<!\w){NGAY}{W}{first}\s*(?:[-–—]|{W}(?i:đến|tới){W})\s*"
                      rf"(?:{NGAY}{W})?{_core('2')}{RIGHT}")


@cache
def deadline_date_pattern() -> re.Pattern[str]:
    """ "trước ngày 15 tháng 12 hằng năm", "Trước ngày 31 tháng 12\\nnăm 2025", "đến hết ngày 31/12"."""
    return re.compile(rf"(?<!\w)(?P<signal>{_alt('signal')}){W}(?:{NGAY}{W})?{_core('')}{RIGHT}"
                      rf"(?:{W}{_every('')})?")


@cache
def deadline_coarse_pattern() -> re.Pattern[str]:
    """ "đến năm 2030", "đến 2030,", "trước tháng 6/2025", "đến hết Quý II năm 2026"."""
    bare_year_end = r"(?=\s*[,.;:)”\"’\]*]|[ \t]*(?:\n|$)|\s+(?i:tầm nhìn|định hướng|và)(?!\w))"
    return re.compile(
        rf"""(?<!\w)(?P<signal>{_alt('signal')}){W}
        (?:{NAM}{W}(?P<cy>{YEAR})
          | (?P<cy2>{YEAR}){bare_year_end}
          | {THANG}{W}(?P<cm>{MONTH})(?:{SLASH}|{W}{NAM}{W})(?P<cmy>{YEAR})
          | {QUY}{W}(?P<q>{QUARTER})(?:\s?/\s?|{W}(?:{NAM}{W})?)(?P<qy>{YEAR})
        ){RIGHT}(?![ \t]*[-–—][ \t]*[0-9])""",  # not "2030 - 2035"; a bullet on the next line is not a range
        re.VERBOSE,
    )


@cache
def recurring_date_pattern() -> re.Pattern[str]:
    """ "ngày 16 hằng tháng" (XXXX-XX-16, P1M), "tháng 11 hằng năm" (XXXX-11, P1Y)."""
    return re.compile(
        rf"""(?<!\w)(?:(?P<signal>{_alt('signal')}){W})?
        (?:{NGAY}{W}(?P<rd>{DAY}){W}(?P<every_d>{_alt('every')}){W}(?P<unit_d>{THANG})
          | {THANG}{W}(?P<rm>{MONTH}){W}(?P<every_m>{_alt('every')}){W}(?P<unit_m>{NAM})
        )(?!\w)""",
        re.VERBOSE,
    )


@cache
def recurrence_pattern() -> re.Pattern[str]:
    """ "Hằng năm", "mỗi năm", "hàng tuần", "định kỳ 6 tháng", "Định kỳ hàng năm"."""
    counts = alternation([r"[0-9]{1,2}", *(phrase_regex(w) for w in number_words())])
    units = alternation(phrase_regex(u) for u in _units())
    return re.compile(
        rf"""(?<!\w)(?:
            (?P<periodic>{_alt('periodic')}){W}
                (?:(?P<n>{counts}){W}(?P<unit_n>{units})(?!\w) | {_every('_p')})
          | {_every('')}
        )""",
        re.VERBOSE,
    )


@cache
def period_pattern() -> re.Pattern[str]:
    """ "giai đoạn 2021-2025", "giai đoạn năm 2021 - 2025", "tầm nhìn 2050", "năm 2022".

    "năm" after a count is a duration ("kế hoạch 5 năm 2026 - 2030"): outside the span.
    """
    return re.compile(
        rf"""(?<!\w)(?:(?P<pword>{_alt('period')}){W}(?:{NAM}{W})? | (?<!\d[ \t]){NAM}{W})
        (?P<y1>{YEAR})(?:(?:\s*[-–—]\s*|{W}(?i:đến|tới){W}(?:{NAM}{W})?)(?P<y2>{YEAR}))?{RIGHT}""",
        re.VERBOSE,
    )


@cache
def bare_range_pattern() -> re.Pattern[str]:
    """A year range on its own: "2021-2025", "2025 - 2035"."""
    return re.compile(rf"{LEFT}(?P<y1>{YEAR})\s*[-–—]\s*(?P<y2>{YEAR}){RIGHT}")


@cache
def bare_year_pattern() -> re.Pattern[str]:
    """A year or year range in a table time cell or column header: "2026", "2022-2025"."""
    return re.compile(rf"{LEFT}(?P<y1>{YEAR})(?:\s*[-–—]\s*(?P<y2>{YEAR}))?{RIGHT}")


@cache
def quarter_pattern() -> re.Pattern[str]:
    """ "Quý II/2026", "quý III năm 2026" (a PERIOD of three months)."""
    return re.compile(rf"(?<!\w){QUY}{W}(?P<q>{QUARTER})(?:\s?/\s?|{W}(?:{NAM}{W})?)(?P<qy>{YEAR}){RIGHT}")


@cache
def month_pattern() -> re.Pattern[str]:
    """ "tháng 6/2025", "tháng 11 năm 2025" (a PERIOD of one month)."""
    return re.compile(rf"(?<!\w){THANG}{W}(?P<pm>{MONTH})(?:{SLASH}|{W}{NAM}{W})(?P<pmy>{YEAR}){RIGHT}")


# ---------------------------------------------------------------- values
def _num(m: re.Match[str], *names: str) -> int | None:
    for name in names:
        value = m.groupdict().get(name)
        if value:
            return int(value)
    return None


def iso_date(m: re.Match[str], s: str, *, inherit: str | None = None) -> str | None:
    """ISO date of the groups suffixed ``s``; "XXXX" for a missing year; None if invalid.

    ``inherit`` (an ISO date) supplies a missing month and year ("ngày 17 đến ngày 20 tháng 11").
    """
    day, month, year = _num(m, f"d{s}", f"dw{s}"), _num(m, f"m{s}", f"mw{s}"), _num(m, f"y{s}", f"yw{s}")
    if inherit and month is None:
        month = int(inherit[5:7]) if inherit[5:7].isdigit() else None
    if inherit and year is None and inherit[:4].isdigit():
        year = int(inherit[:4])
    if day is None or month is None:
        return None
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: "29/2" without a year is valid
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"XXXX-{month:02d}-{day:02d}"


def recurrence_of(m: re.Match[str]) -> str | None:
    """ISO duration of a recurrence match: "hằng năm" -> P1Y, "định kỳ 6 tháng" -> P6M."""
    groups = m.groupdict()
    if groups.get("n") and groups.get("unit_n"):
        raw = groups["n"].lower()
        count = int(raw) if raw.isdigit() else number_words().get(" ".join(raw.split()))
        return _times(_unit_duration(groups["unit_n"]), count) if count else None
    for name in ("unit", "unit_p", "unit_d", "unit_m"):
        if groups.get(name):
            return _unit_duration(groups[name])
    return None


def _unit_duration(word: str) -> str:
    return _units().get(" ".join(word.lower().split()), "")


def _times(duration: str, count: int) -> str | None:
    m = re.fullmatch(r"P([0-9]+)([YMWD])", duration)
    return f"P{int(m.group(1)) * count}{m.group(2)}" if m and count > 0 else None


def coarse_date(m: re.Match[str]) -> str | None:
    """The date of "đến năm 2030" ("2030"), "trước tháng 6/2025" ("2025-06"), a quarter's last month."""
    g = m.groupdict()
    if g.get("cy") or g.get("cy2"):
        return g.get("cy") or g.get("cy2")
    if g.get("cm"):
        return f"{g['cmy']}-{int(g['cm']):02d}"
    if g.get("q"):
        return f"{g['qy']}-{3 * _quarter(g['q']):02d}"
    return None


def _quarter(q: str) -> int:
    return _ROMAN.get(q) or int(q)


def recurring_date(m: re.Match[str]) -> str | None:
    """ "ngày 16 hằng tháng" -> "XXXX-XX-16"; "tháng 11 hằng năm" -> "XXXX-11"."""
    g = m.groupdict()
    if g.get("rd"):
        return f"XXXX-XX-{int(g['rd']):02d}"
    if g.get("rm"):
        return f"XXXX-{int(g['rm']):02d}"
    return None


def period_value(m: re.Match[str]) -> tuple[str, str] | None:
    """(start, end) of a year, year range, quarter or month match; None if reversed."""
    g = m.groupdict()
    if g.get("q"):
        q, year = _quarter(g["q"]), g["qy"]
        return f"{year}-{3 * q - 2:02d}", f"{year}-{3 * q:02d}"
    if g.get("pm"):
        month = f"{g['pmy']}-{int(g['pm']):02d}"
        return month, month
    low, high = g["y1"], g.get("y2") or g["y1"]
    return (low, high) if high >= low else None


# ---------------------------------------------------------------- context tests
@cache
def _qualified() -> re.Pattern[str]:
    nouns = alternation(phrase_regex(w, case_sensitive=w.split()) for w in _words("qualified"))
    tails = alternation(phrase_regex(w, case_sensitive=w.split()) for w in _words("noun_tail"))
    return re.compile(rf"(?<!\w){nouns}(?:\s+{tails})?\s*$")


def only_qualifies(text: str, pos: int) -> bool:
    """True when a recurrence word at ``pos`` only qualifies the noun before it.

    "dự toán ngân sách hằng năm", "kế hoạch hằng năm" qualify; "Kế hoạch hằng năm" (this
    Plan, capitalised) does not: nouns are matched in the lower case they are listed in.
    """
    return bool(_qualified().search(text, max(0, pos - 40), pos))


@cache
def _deadline_after() -> re.Pattern[str]:
    return re.compile(rf"[\s*_]*\([\s*_]*(?:{_alt('signal')})(?!\w)")


def deadline_follows(text: str, pos: int) -> bool:
    """True when a parenthesised deadline follows: "định kỳ 6 tháng (trước ngày 15/6)"."""
    return bool(_deadline_after().match(text, pos))
