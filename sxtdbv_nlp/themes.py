"""Stage 6, classify: the theme of each item.

:func:`keyword_theme` is the keyword baseline (data/theme_keywords.tsv); the trained
classifier of the models issue replaces it where it scores better on held-out plans.
"""

from __future__ import annotations

from functools import cache

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.features import keyword_counts
from sxtdbv_nlp.types import THEMES

__all__ = ["keyword_theme"]


@cache
def _keywords() -> tuple[tuple[str, str], ...]:
    rows = tuple((rec["theme"], rec["keyword"].casefold()) for rec in load_records("theme_keywords.tsv"))
    unknown = {t for t, _ in rows} - set(THEMES)
    if unknown:
        raise ValueError(f"theme_keywords.tsv names unknown themes {sorted(unknown)}")
    return rows


def keyword_theme(text: str) -> str:
    """The theme whose keywords occur most often in ``text``; "other" when none occurs.

    >>> keyword_theme("Tổ chức tuyên truyền, tập huấn về sản xuất và tiêu dùng bền vững")
    'awareness'
    """
    order = tuple(dict.fromkeys(t for t, _ in _keywords()))  # ties go to the theme listed first
    counts = keyword_counts(text, _keywords(), order)
    best = max(range(len(order)), key=lambda k: (counts[k], -k))
    return order[best] if counts[best] else "other"
