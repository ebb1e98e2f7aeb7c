"""Time agency resolution over the corpus's AGENCY mentions (run by hand, not part of CI).

The mentions are the gold AGENCY spans of ``annotations/*.json``, each with its plan
issuer's jurisdiction, repeated until ``--n`` resolutions. Reported: the time to load the
gazetteer, resolutions per second with the resolver's cache (the batch case: plans repeat
the same names) and without it (every mention resolved from scratch), and how often
``resolve`` abstains, both on the bare gold mentions and inside the pipeline (where an
abstaining open-class name keeps its cleaned written name as canonical).

    python benchmarks/bench_resolve.py [--n 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from itertools import cycle, islice
from pathlib import Path

from sxtdbv_nlp import analyze_file
from sxtdbv_nlp.recognizers.base import jurisdiction_of
from sxtdbv_nlp.resolve import Resolver

ROOT = Path(__file__).resolve().parents[1]


def gold_mentions() -> list[tuple[str, str | None, dict]]:
    """(mention text, issuer's jurisdiction, gold value) of every gold AGENCY entity."""
    out = []
    for path in sorted((ROOT / "annotations").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        issuer = gold["header"].get("issuer")
        jurisdiction = jurisdiction_of(issuer) if issuer else None
        out += [(e["text"], jurisdiction, e["value"]) for e in gold["entities"] if e["label"] == "AGENCY"]
    return out


def rate(resolver: Resolver, work: list[tuple[str, str | None]], repeat: int) -> float:
    """Best resolutions per second over ``repeat`` passes (after a warm-up pass)."""
    for mention, jurisdiction in work[:1000]:
        resolver.resolve(mention, jurisdiction=jurisdiction)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for mention, jurisdiction in work:
            resolver.resolve(mention, jurisdiction=jurisdiction)
        best = min(best, time.perf_counter() - start)
    return len(work) / best


def abstentions(mentions: list[tuple[str, str | None, dict]]) -> None:
    """How the bare gold mentions resolve: methods, None for named and for unnamed groups."""
    resolver = Resolver()
    methods: Counter[str] = Counter()
    for mention, jurisdiction, gold in mentions:
        match = resolver.resolve(mention, jurisdiction=jurisdiction)
        named = "named" if gold["canonical"] else "guide-null group"
        methods[f"{named}: {match.method.value if match else 'None (abstains)'}"] += 1
    print(f"\nresolve(gold mention, jurisdiction=issuer's) over {len(mentions)} mentions:")
    for key, count in sorted(methods.items()):
        print(f"  {key:40} {count:5}  ({count / len(mentions):.1%})")


def pipeline_abstentions() -> None:
    """Inside analyze_file: AGENCY values the resolver gave (with an id) vs fallbacks."""
    kinds: Counter[str] = Counter()
    for path in sorted((ROOT / "corpus" / "raw").glob("*.txt")):
        for e in analyze_file(path).entities:
            if e.label == "AGENCY":
                v = e.value
                kinds["resolved" if v.id else "canonical null (group)" if v.canonical is None
                      else "fallback: cleaned written name"] += 1
    total = sum(kinds.values())
    print(f"\npipeline (sxtdbv_nlp.analyze_file on corpus/raw), {total} AGENCY entities:")
    for key, count in sorted(kinds.items()):
        print(f"  {key:40} {count:5}  ({count / total:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="resolutions per timed pass")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (best is reported)")
    args = parser.parse_args()

    mentions = gold_mentions()
    work = list(islice(cycle([(m, j) for m, j, _ in mentions]), args.n))
    start = time.perf_counter()
    Resolver()
    load = time.perf_counter() - start
    print(f"corpus: {len(mentions)} gold AGENCY mentions, {len({m for m, _ in work})} distinct; "
          f"{args.n:,} resolutions per pass; gazetteer load {load * 1000:.0f} ms\n")
    print("| resolver | resolutions/s |")
    print("|---|---|")
    print(f"| cached (default) | {rate(Resolver(), work, args.repeat):,.0f} |")
    uncached = work[: max(len(mentions), args.n // 20)]
    print(f"| uncached (cache_size=0) | {rate(Resolver(cache_size=0), uncached, args.repeat):,.0f} |")
    abstentions(mentions)
    pipeline_abstentions()


if __name__ == "__main__":
    main()
