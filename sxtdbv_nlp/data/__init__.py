"""The one loader for language data kept as reviewable text files in this folder.

Each file starts with ``#`` comment lines saying what it holds and where it comes from;
tab-separated files then have one header row. Loaders are cached and return tuples, so
nothing here is mutable or loaded at import time.

>>> ("KẾ HOẠCH", "Kế hoạch", "KH") in load_table("document_types.tsv")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from sxtdbv_nlp.errors import DataFileError

__all__ = ["load_lines", "load_records", "load_table"]


def _read(name: str) -> list[str]:
    try:
        raw = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"data file {name!r} is missing from sxtdbv_nlp/data") from None
    return [ln for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Non-comment, non-blank lines of a one-entry-per-line file, stripped."""
    return tuple(ln.strip() for ln in _read(name))


@cache
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated file, header row excluded; every row has the header's width."""
    rows = [tuple(cell.strip() for cell in ln.split("\t")) for ln in _read(name)]
    if not rows:
        raise DataFileError(f"data file {name!r} has no header row")
    header, body = rows[0], rows[1:]
    bad = [i for i, r in enumerate(body, 2) if len(r) != len(header)]
    if bad:
        raise DataFileError(
            f"{name}: rows {bad[:5]} do not have {len(header)} tab-separated columns {header}"
        )
    return tuple(body)


@cache
def load_records(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated file as dicts keyed by the header row."""
    header = tuple(cell.strip() for cell in _read(name)[0].split("\t"))
    return tuple(dict(zip(header, row, strict=True)) for row in load_table(name))
