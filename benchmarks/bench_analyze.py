"""Time analyze() over the bundled corpus (run by hand: `make bench`, not part of CI).

Prints the cold import time, the time of one pass over the corpus after a warm-up
(best of N), throughput in characters/s and plans/s, and peak RSS.

    python benchmarks/bench_analyze.py [--repeat 5] [--copies 1]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cold_import_seconds() -> float:
    """Wall time of `import sxtdbv_nlp` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import sxtdbv_nlp; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (best is reported)")
    parser.add_argument("--copies", type=int, default=1, help="analyse the corpus this many times per pass")
    parser.add_argument("--themes", choices=("model", "keywords"), default="model",
                        help="item themes from the trained classifier or the keyword baseline")
    args = parser.parse_args()

    import_s = cold_import_seconds()
    start = time.perf_counter()
    import sxtdbv_nlp

    texts = []
    for path in sorted((ROOT / "corpus" / "raw").glob("*.txt")):
        with open(path, encoding="utf-8", newline="") as fh:
            texts.append((path.stem, fh.read()))
    texts *= args.copies
    sxtdbv_nlp.analyze(texts[0][1], texts[0][0], themes=args.themes)  # data files, models
    ready_s = time.perf_counter() - start
    for doc_id, text in texts[:3]:  # warm-up
        sxtdbv_nlp.analyze(text, doc_id, themes=args.themes)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for doc_id, text in texts:
            sxtdbv_nlp.analyze(text, doc_id, themes=args.themes)
        best = min(best, time.perf_counter() - start)
    chars = sum(len(t) for _, t in texts)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"themes                 {args.themes}")
    print(f"cold import            {import_s:.3f} s")
    print(f"import + first analyze {ready_s:.3f} s (loads data files and, for themes=model, the model)")
    print(f"corpus                 {len(texts)} plans, {chars:,} characters")
    print(f"analyze() one pass     {best:.3f} s (best of {args.repeat})")
    print(f"throughput             {chars / best:,.0f} characters/s, {len(texts) / best:,.1f} plans/s")
    print(f"peak RSS               {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
