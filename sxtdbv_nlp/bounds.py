"""Stage 1b, bounds: find the document proper inside web-site chrome.

The document proper runs from the issuing body's header block (the upper-case lines
before the national motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), or from the document's
first title or heading where there is no header block, to the last character before the
site's trailing chrome (metadata tables, related-document lists, login notices, footers)
or an excerpt's "[...]" truncation mark.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sxtdbv_nlp.data import load_records, load_table
from sxtdbv_nlp.layout import APPENDIX, is_upper_text, match_marker
from sxtdbv_nlp.signature import find_signature
from sxtdbv_nlp.tables import ROW_NUMBER_HEADER
from sxtdbv_nlp.text import Line, markup_bounds, strip_markup
from sxtdbv_nlp.types import DocumentBounds

__all__ = ["find_document", "is_chrome_line"]

# The national motto opening every state document's header, possibly wrapped or in bold:
#   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG\nHÒA XÃ HỘI ...", "**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**"
MOTTO = re.compile(r"CỘNG[\s*]+H[OÒ][AÀ][\s*]+XÃ[\s*]+HỘI", re.IGNORECASE)
# An excerpt's truncation mark on a line of its own: "[...]" or "[…]".
TRUNCATION = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]")
# A label line of a site metadata table: "Số hiệu: 3737/KH-UBND", "Người ký Nguyễn Văn A".
_LABEL_TAIL = r"(?:\s*:.*|\s+\S.*)?"
# A markdown link, "[Xem văn bản gốc](/files/x.pdf)": site navigation, never plan text.
MARKDOWN_LINK = re.compile(r"\[[^\]\n]+\]\([^)\s]*\)")
# A page number on its own line, as sites print it before their footer: "2".
PAGER = re.compile(r"\d{1,3}")
# A counter after a related-documents entry: "Văn bản được dẫn chiếu - [3]".
_COUNTER = re.compile(r"\s*-\s*\[\d+\]\s*$")
_CHROME_WINDOW = 8  # lines after a chrome line that decide whether chrome has begun
_HEADER_LOOKBACK = 12  # lines above the motto that may hold the issuer block


@lru_cache(maxsize=1)
def _chrome_patterns() -> re.Pattern[str]:
    parts = []
    for rec in load_records("site_chrome.tsv"):
        phrase = re.escape(rec["phrase"])
        form = rec["form"]
        if form == "exact":
            parts.append(phrase + r"\s*:?")
        elif form == "label":
            parts.append(phrase + _LABEL_TAIL)
        else:
            parts.append(phrase + r".*")
    return re.compile("(?:" + "|".join(parts) + r")\Z", re.IGNORECASE | re.DOTALL)


def is_chrome_line(text: str) -> bool:
    """True when a line is web-site chrome rather than plan text.

    Chrome is a line of data/site_chrome.tsv, a line holding a markdown link (plans have
    none), or a site's own title of the document ("Kế hoạch 187/KH-UBND năm 2023 ...").

    >>> is_chrome_line("Văn bản được dẫn chiếu - [3]"), is_chrome_line("Sở Công Thương")
    (True, False)
    """
    s = _COUNTER.sub("", strip_markup(unicodedata.normalize("NFC", text)).lstrip("•·◦▪-– "))
    if not s:
        return False
    return bool(_chrome_patterns().match(s) or MARKDOWN_LINK.search(s) or _site_title().match(s))


@lru_cache(maxsize=1)
def _site_title() -> re.Pattern[str]:
    """A site's title line for a document: type name, number-symbol, "năm" and a year."""
    names = "|".join(re.escape(row[1]) for row in load_table("document_types.tsv"))
    return re.compile(rf"(?:{names})\s+\d+[\w/.-]*\s+năm\s+\d{{4}}\b")


def find_document(text: str, lines: list[Line]) -> DocumentBounds | None:
    """Bounds of the document proper in ``text`` (NFC), or None if no plan structure is found."""
    first = _header_start(text, lines)
    if first is None:
        first = _first_title_or_heading(lines)
    if first is None:
        return None
    last = _last_content_line(lines, first)
    start, _ = markup_bounds(lines[first].text, lines[first].start)
    _, end = markup_bounds(lines[last].text, lines[last].start)
    return DocumentBounds(start, max(start, end))


def _header_start(text: str, lines: list[Line]) -> int | None:
    """Index of the first line of the issuer block above the first motto, if any."""
    for i, line in enumerate(lines):
        window = text[line.start:lines[min(i + 2, len(lines) - 1)].end]
        if not MOTTO.match(strip_markup(window)):
            continue
        first = None
        for j in range(i - 1, max(-1, i - _HEADER_LOOKBACK), -1):
            s = lines[j].stripped
            if s and is_upper_text(s) and not is_chrome_line(s):
                first = j
            elif s and not set(s) <= set("-_=*|") and first is not None:
                break
        return first if first is not None else i
    return None


@lru_cache(maxsize=1)
def _title_words() -> tuple[str, ...]:
    return tuple(row[0] for row in load_table("document_types.tsv"))


def _first_title_or_heading(lines: list[Line]) -> int | None:
    """Index of the first document-type title line ("NGHỊ QUYẾT") or roman heading."""
    titles = set(_title_words())
    for i, line in enumerate(lines):
        s = line.stripped
        if s in titles:
            return i
        m = match_marker(s)
        if m and m.group("roman") and is_upper_text(s):
            return i
    return None


def _last_content_line(lines: list[Line], first: int) -> int:
    """Index of the last plan line: before trailing chrome or a truncation mark.

    After the signature only recipients and appendices belong to the plan, so there the
    first chrome line ends it; elsewhere it takes a run of chrome lines.
    """
    content = [i for i in range(first, len(lines)) if not _is_separator(lines[i].stripped)]
    signature = find_signature(lines[first:])
    after_signature = first + signature.last_line if signature else len(lines)
    kept: list[int] = []
    for k, i in enumerate(content):
        s = lines[i].stripped
        if TRUNCATION.fullmatch(s):
            break
        if i > after_signature and (APPENDIX.fullmatch(s) or ROW_NUMBER_HEADER.fullmatch(s)):
            after_signature = len(lines)  # an appendix follows the signature: the run rule again
        if i > first + 5 and (_starts_chrome_run(lines, content[k:k + 1 + _CHROME_WINDOW])
                              or (i > after_signature and is_chrome_line(lines[i].text))):
            if len(kept) > 1 and PAGER.fullmatch(lines[kept[-1]].stripped):
                kept.pop()  # a page number printed just before the site footer
            break
        kept.append(i)
    return kept[-1] if kept else first


def _is_separator(s: str) -> bool:
    """Blank lines, table pipes and rules ("-------", "---") carry no plan text."""
    return not s or set(s) <= set("|*_ -=")


def _starts_chrome_run(lines: list[Line], rest: list[int]) -> bool:
    """True when ``rest[0]`` is chrome and so is at least half of what follows it.

    One chrome-like line inside a plan ("Nội dung" as a table header, "Lĩnh vực tài
    nguyên..." in prose) does not end the document; a run of them does.
    """
    if not is_chrome_line(lines[rest[0]].text):
        return False
    following = rest[1:1 + _CHROME_WINDOW]
    chrome = sum(is_chrome_line(lines[i].text) for i in following)
    return chrome == len(following) if len(following) <= 2 else chrome >= len(following) / 2
