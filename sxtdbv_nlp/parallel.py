"""Many plans at once: a process pool on one machine, ``datasets`` or Dask beyond it.

One unit of work, three ways to run it (see ``docs/scaling.md``):

- :func:`analyze_many` analyses texts in order, in this process or on a
  ``concurrent.futures.ProcessPoolExecutor``, and returns ``PlanDocument`` objects;
- :func:`analyze_dataset` adds the analysis to a ``datasets.Dataset`` with
  ``Dataset.map(num_proc=...)`` (Arrow on disk, so corpora larger than memory work);
- :func:`analyze_record` is the picklable per-item function for any engine that maps a
  function over a collection: :func:`analyze_bag` applies it to a ``dask.bag.Bag``, which
  runs on a ``dask.distributed`` cluster as well as on one machine.

An item is a text, or a ``(doc_id, text)`` pair (so ``analyze_many(texts.items())``
works for a dict of texts by id).

Errors. :func:`analyze_many` returns results in input order or raises: the library
error (a :class:`~sxtdbv_nlp.errors.SxtdbvError`) of the *first failing item in input
order*, unchanged in type, with a note naming the item's index and doc_id. The
record-based paths (:func:`analyze_record`, :func:`analyze_dataset`,
:func:`analyze_bag`) never raise for bad input: each record carries either its
``analysis`` or an ``error`` string, because one empty file must not sink a corpus-wide
job. Anything that is not a library error (a bug) propagates on every path.

Texts without plan structure give a result whose ``warnings`` say so, as with
:func:`~sxtdbv_nlp.analyze`; :func:`analyze_many` issues one
:class:`~sxtdbv_nlp.errors.SxtdbvWarning` listing them instead of one per text.

>>> docs = analyze_many({"a": "KẾ HOẠCH\\nI. MỤC TIÊU\\nGiảm 5%.", "b": "KẾ HOẠCH\\nI. NHIỆM VỤ"}.items())
>>> [(d.doc_id, [s.title for s in d.sections]) for d in docs]
[('a', ['MỤC TIÊU']), ('b', ['NHIỆM VỤ'])]
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sxtdbv_nlp.errors import SxtdbvError, SxtdbvWarning
from sxtdbv_nlp.pipeline import analyze
from sxtdbv_nlp.text import DEFAULT_MAX_CHARS
from sxtdbv_nlp.types import PlanDocument

__all__ = ["PlanInput", "analyze_bag", "analyze_dataset", "analyze_many", "analyze_record"]

#: A text, or a ``(doc_id, text)`` pair.
PlanInput = str | tuple[str, str]

_MAX_CHUNK = 64  # items per task sent to a worker: large enough to amortise pickling, small for balance


@dataclass(frozen=True)
class _Outcome:
    """What one item gave: a document or a library error (picklable across processes)."""

    doc: PlanDocument | None
    error: SxtdbvError | None


def _split(item: PlanInput) -> tuple[str | None, str]:
    """``(doc_id, text)`` of an item; a bare text has no doc_id."""
    if isinstance(item, str):
        return None, item
    if isinstance(item, tuple | list) and len(item) == 2:
        return item[0], item[1]
    raise TypeError(f"expected a text or a (doc_id, text) pair, got {type(item).__name__}")


def _analyze_one(item: PlanInput, *, strict: bool, max_chars: int, themes: str = "model") -> _Outcome:
    """Analyse one item; library errors are returned, not raised; no-structure warnings are
    silenced (the result's ``warnings`` carry them)."""
    doc_id, text = _split(item)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SxtdbvWarning)
        try:
            return _Outcome(analyze(text, doc_id, strict=strict, max_chars=max_chars, themes=themes), None)
        except SxtdbvError as exc:
            return _Outcome(None, exc)


def _workers(n_process: int, n_items: int) -> int:
    """Number of worker processes: -1 means one per CPU; never more than there are items."""
    if n_process == -1:
        n_process = os.cpu_count() or 1
    if n_process < 1:
        raise ValueError(f"n_process must be a positive number or -1 (one per CPU), got {n_process}")
    return max(1, min(n_process, n_items))


def _chunksize(chunksize: int | None, n_items: int, workers: int) -> int:
    """Items per task: about four tasks per worker, at most :data:`_MAX_CHUNK`."""
    if chunksize is not None:
        if chunksize < 1:
            raise ValueError(f"chunksize must be at least 1, got {chunksize}")
        return chunksize
    return max(1, min(_MAX_CHUNK, math.ceil(n_items / (4 * workers))))


def analyze_many(texts: Iterable[PlanInput], *, n_process: int = 1, chunksize: int | None = None,
                 strict: bool = False, max_chars: int = DEFAULT_MAX_CHARS,
                 themes: str = "model") -> list[PlanDocument]:
    """Analyse many texts, in input order, in ``n_process`` processes (-1: one per CPU).

    With ``n_process=1`` everything runs in this process. Otherwise a
    ``ProcessPoolExecutor`` gets the items in chunks of ``chunksize`` (default: about
    four chunks per worker, at most 64 items). ``strict``, ``max_chars`` and ``themes`` are passed to
    :func:`~sxtdbv_nlp.analyze`.

    Raises the :class:`~sxtdbv_nlp.errors.SxtdbvError` of the first failing item in input
    order, with a note naming its index and doc_id; pending work is cancelled.

    >>> [d.has_structure for d in analyze_many(["KẾ HOẠCH\\nI. MỤC TIÊU\\nGiảm 5%."])]
    [True]
    """
    items = list(texts)
    for item in items:
        _split(item)  # type errors before any work starts
    work = partial(_analyze_one, strict=strict, max_chars=max_chars, themes=themes)
    workers = _workers(n_process, len(items))
    size = _chunksize(chunksize, len(items), workers)
    if workers == 1:
        return _collect(items, map(work, items))
    from concurrent.futures import ProcessPoolExecutor  # here: keeps `import sxtdbv_nlp` lean

    with ProcessPoolExecutor(max_workers=workers) as pool:
        try:
            return _collect(items, pool.map(work, items, chunksize=size))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _collect(items: Sequence[PlanInput], outcomes: Iterable[_Outcome]) -> list[PlanDocument]:
    """Documents in order; the first error is raised with its item's index and doc_id."""
    docs: list[PlanDocument] = []
    for index, outcome in enumerate(outcomes):
        if outcome.error is not None:
            error = outcome.error
            error.add_note(f"while analysing item {index} (doc_id {_split(items[index])[0]!r}) "
                           "of sxtdbv_nlp.analyze_many")
            raise error
        assert outcome.doc is not None
        docs.append(outcome.doc)
    _warn_unstructured(docs)
    return docs


def _warn_unstructured(docs: Sequence[PlanDocument]) -> None:
    """One warning for all results that have no plan structure."""
    ids = [f"#{k}" if d.doc_id is None else d.doc_id for k, d in enumerate(docs) if d.document is None]
    if ids:
        shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
        warnings.warn(f"{len(ids)} of {len(docs)} texts have no plan structure ({shown}); "
                      "see PlanDocument.warnings", SxtdbvWarning, stacklevel=3)


# ---------------------------------------------------------------- record-based engines


def analyze_record(item: PlanInput, *, strict: bool = False,
                   max_chars: int = DEFAULT_MAX_CHARS) -> dict[str, Any]:
    """One item as a JSON-able record: ``{"doc_id", "analysis", "error"}``.

    ``analysis`` is ``PlanDocument.to_dict()`` (the annotation schema; read it back with
    ``PlanDocument.from_dict(record["analysis"], text)``) and ``error`` is None; for bad
    input ``analysis`` is None and ``error`` is ``"<ErrorClass>: <message>"``.

    >>> analyze_record(("x", "   "))["error"]
    'EmptyTextError: the text is empty or holds only whitespace'
    """
    doc_id, _text = _split(item)
    outcome = _analyze_one(item, strict=strict, max_chars=max_chars)
    if outcome.error is not None:
        error = f"{type(outcome.error).__name__}: {outcome.error}"
        return {"doc_id": doc_id, "analysis": None, "error": error}
    assert outcome.doc is not None
    return {"doc_id": doc_id, "analysis": outcome.doc.to_dict(), "error": None}


def analyze_bag(bag: Any, *, strict: bool = False, max_chars: int = DEFAULT_MAX_CHARS) -> Any:
    """``bag.map(analyze_record)`` for a ``dask.bag.Bag`` of items: lazy, runs where the bag runs.

    On a ``dask.distributed`` cluster every worker needs ``sxtdbv_nlp`` installed;
    ``.map(json.dumps).to_textfiles("out/*.jsonl")`` writes the records as JSON lines.
    """
    return bag.map(analyze_record, strict=strict, max_chars=max_chars)


def _dataset_row(row: dict[str, Any], *, text_column: str, id_column: str | None, result_column: str,
                 error_column: str, strict: bool, max_chars: int) -> dict[str, Any]:
    """``Dataset.map`` function: the row's analysis as JSON, or its error."""
    item = (row[id_column] if id_column else None, row[text_column])
    record = analyze_record(item, strict=strict, max_chars=max_chars)
    analysis = record["analysis"]
    return {result_column: None if analysis is None else json.dumps(analysis, ensure_ascii=False),
            error_column: record["error"]}


def analyze_dataset(ds: Any, *, text_column: str = "text", id_column: str | None = None,
                    num_proc: int | None = None, result_column: str = "analysis",
                    error_column: str = "error", strict: bool = False,
                    max_chars: int = DEFAULT_MAX_CHARS) -> Any:
    """A copy of the ``datasets.Dataset`` ``ds`` with two string columns added.

    ``result_column`` holds the JSON of ``PlanDocument.to_dict()`` (None for bad input),
    ``error_column`` the error (None when the row was analysed). ``id_column`` names the
    column to use as doc_id. ``num_proc`` is passed to ``Dataset.map``.

    >>> import datasets  # doctest: +SKIP
    >>> out = analyze_dataset(datasets.Dataset.from_dict({"text": [plan]}), num_proc=2)  # doctest: +SKIP
    >>> json.loads(out[0]["analysis"])["header"]["issuer"]  # doctest: +SKIP
    """
    from datasets import Value

    missing = [c for c in (text_column, id_column) if c is not None and c not in ds.column_names]
    if missing:
        raise KeyError(f"column(s) {missing} not in the dataset; it has {ds.column_names}")
    features = ds.features.copy()
    features[result_column] = Value("string")
    features[error_column] = Value("string")
    kwargs = {"text_column": text_column, "id_column": id_column, "result_column": result_column,
              "error_column": error_column, "strict": strict, "max_chars": max_chars}
    return ds.map(_dataset_row, fn_kwargs=kwargs, num_proc=num_proc, features=features,
                  desc="sxtdbv analyze")
