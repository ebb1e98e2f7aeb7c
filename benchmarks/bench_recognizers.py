"""Time the entity recognisers over the bundled corpus (run by hand, not part of CI).

The earlier stages (normalisation, document bounds, tables, header) run once, outside the
timing; then each recogniser family and the whole ``recognize`` (all families + fusion) are
timed over every plan, best of N passes after a warm-up pass, and reported in chars/s.

    python benchmarks/bench_recognizers.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from sxtdbv_nlp.bounds import find_document
from sxtdbv_nlp.recognizers import RECOGNIZERS, recognize
from sxtdbv_nlp.recognizers.base import Context
from sxtdbv_nlp.structure import segment
from sxtdbv_nlp.tables import find_tables
from sxtdbv_nlp.text import normalize, split_lines
from sxtdbv_nlp.types import DocumentBounds

ROOT = Path(__file__).resolve().parents[1]


def prepare() -> list[tuple[str, Context]]:
    """(working text, recogniser context) of every corpus plan, earlier stages done."""
    out = []
    for path in sorted((ROOT / "corpus" / "raw").glob("*.txt")):
        with open(path, encoding="utf-8", newline="") as fh:
            work = normalize(fh.read()).text
        lines = split_lines(work)
        bounds = find_document(work, lines)
        if bounds is None:
            continue
        tables = find_tables(work, lines, bounds.start, bounds.end)
        header = segment(work, lines, bounds, tables).header
        out.append((work, Context(work, bounds.start, bounds.end, tuple(tables), header)))
    return out


def best_of(repeat: int, run: Callable[[], object]) -> float:
    run()  # warm-up: data files loaded, patterns compiled
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (best is reported)")
    args = parser.parse_args()

    docs = prepare()
    chars = sum(ctx.end - ctx.start for _, ctx in docs)
    print(f"corpus: {len(docs)} plans, {chars:,} characters inside the document bounds\n")
    print(f"| recogniser | best of {args.repeat} (s) | chars/s |")
    print("|---|---|---|")
    for name, find in RECOGNIZERS:
        seconds = best_of(args.repeat, lambda f=find: [list(f(ctx)) for _, ctx in docs])
        print(f"| {name} | {seconds:.4f} | {chars / seconds:,.0f} |")

    def everything() -> None:
        for text, ctx in docs:
            recognize(text, DocumentBounds(ctx.start, ctx.end), tables=ctx.tables, header=ctx.header)

    seconds = best_of(args.repeat, everything)
    print(f"| **all + fusion** | **{seconds:.4f}** | **{chars / seconds:,.0f}** |")


if __name__ == "__main__":
    main()
