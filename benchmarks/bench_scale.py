"""Speed, memory and scaling of analyze(), against underthesea on the same text (run by hand, not in CI).

Each measurement runs in a fresh interpreter (``--stage NAME`` prints one JSON object), so
import times are cold and peak RSS (``resource.getrusage``) belongs to that measurement alone.

Stages:
  import      cold ``import sxtdbv_nlp``; import + first analyze() of a small plan (the data
              files and compiled patterns load lazily); trained models under models/, if any
  throughput  analyze() over the corpus replicated 20x, one core, after a warm-up; peak RSS
  parallel    the same with sxtdbv_nlp.parallel.analyze_many(n_process=all cores)
  scaling     one plan 1x, 4x, 16x (and 64x): the text concatenated, and the plan's body
              replicated inside one document; time per character; a cProfile breakdown by
              pipeline stage of the smallest and largest input
  peers       the same plan through underthesea word_tokenize and ner (per line) and analyze()
  theme       the trained theme classifier (its compiled form) over every corpus item, if it exists

    python benchmarks/bench_scale.py                 # every stage, a table at the end
    python benchmarks/bench_scale.py --stage scaling # one stage, JSON
    python benchmarks/bench_scale.py --markdown      # the table as Markdown (docs/benchmarks.md)
    SXTDBV_BENCH_THEMES=keywords python benchmarks/bench_scale.py --stage throughput  # keyword themes
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "raw"
PLAN = "phu-tho_3737-KH-UBND_2021"  # 27,113 characters, header, prose, a budget table
SMALL_PLAN = "ninh-binh_87-KH-UBND_2020"
COPIES = 20
SIZES = (1, 4, 16, 64)

TARGETS = {
    "chars_per_s": 300_000,
    "ready_s": 1.5,
    "peak_rss_mb": 300,
    "ner_ratio": 10,
}


def read(doc_id: str) -> str:
    with open(CORPUS / f"{doc_id}.txt", encoding="utf-8", newline="") as fh:
        return fh.read()


def corpus() -> list[tuple[str, str]]:
    return [(p.stem, read(p.stem)) for p in sorted(CORPUS.glob("*.txt"))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def best_of(repeat: int, func: Callable[[], Any]) -> float:
    """Shortest wall time of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------- stages (run in a subprocess)


def fresh_analyze() -> Callable[..., Any]:
    """analyze() with the library's memo caches cleared first, so that the 20 copies of the
    corpus cost what 20 distinct corpora would (features.word_tokens memoises underthesea,
    recognizers.patterns.fold the folded form of every word)."""
    import sxtdbv_nlp

    themes = os.environ.get("SXTDBV_BENCH_THEMES", "model")

    def analyze(text: str, doc_id: str | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("themes", themes)
        for module, name in MEMO_CACHES:
            cached = getattr(sys.modules.get(module), name, None)
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()
        return sxtdbv_nlp.analyze(text, doc_id, **kwargs)

    return analyze


MEMO_CACHES = (("sxtdbv_nlp.features", "word_tokens"), ("sxtdbv_nlp.classify", "word_tokens"),
               ("sxtdbv_nlp.recognizers.patterns", "fold"))
HEAVY = ("sklearn", "skops", "spacy", "underthesea", "pandas", "datasets")


def stage_import() -> dict[str, Any]:
    """Cold import, import + first analysis, and model loading if models exist."""
    start = time.perf_counter()
    import sxtdbv_nlp

    imported = time.perf_counter() - start
    sxtdbv_nlp.analyze(read(SMALL_PLAN))
    ready = time.perf_counter() - start
    heavy = [m for m in HEAVY if m in sys.modules]
    rss_ready = peak_rss_mb()
    return {"import_s": imported, "ready_s": ready, "imported_by_analyze": heavy, "rss_ready_mb": rss_ready,
            "models": load_models(), "rss_mb": peak_rss_mb()}


def load_models() -> dict[str, Any]:
    """Load time of every trained model under models/ (sxtdbv_nlp.models), or why there is none."""
    try:
        from sxtdbv_nlp import models
    except ImportError:
        return {"note": "no sxtdbv_nlp.models module"}
    refs = [getattr(models, name) for name in ("THEME", "SECTION_ROLE", "NER") if hasattr(models, name)]
    out: dict[str, Any] = {}
    for ref in refs:
        if not models.model_dir(ref).exists():
            out[ref.name] = None
            continue
        load = models.load_spacy if ref.kind == "spacy" else models.load_sklearn
        start = time.perf_counter()
        load(ref)
        out[ref.name] = time.perf_counter() - start
    if hasattr(models, "load_linear") and models.model_dir(models.THEME).exists():
        models.clear_cache()
        start = time.perf_counter()
        models.load_linear(models.THEME)  # the form analyze() loads
        out["theme (compiled, on the analyze() path)"] = time.perf_counter() - start
    return out


def stage_throughput(repeat: int) -> dict[str, Any]:
    analyze = fresh_analyze()
    texts = corpus() * COPIES
    for doc_id, text in texts[:9]:  # warm-up: data files, compiled patterns, models
        analyze(text, doc_id)
    rss_warm = peak_rss_mb()

    def run() -> None:
        for doc_id, text in texts:
            analyze(text, doc_id)

    seconds = best_of(repeat, run)
    chars = sum(len(t) for _, t in texts)
    return {"plans": len(texts), "chars": chars, "seconds": seconds, "chars_per_s": chars / seconds,
            "plans_per_s": len(texts) / seconds, "rss_warm_mb": rss_warm, "peak_rss_mb": peak_rss_mb()}


def stage_parallel(repeat: int) -> dict[str, Any]:
    from sxtdbv_nlp import parallel
    from sxtdbv_nlp.parallel import analyze_many

    parallel.analyze = fresh_analyze()  # forked workers inherit it: no cache hits across copies
    texts = corpus() * COPIES
    workers = os.cpu_count() or 1
    analyze_many(texts[:9])  # load data and models here: forked workers inherit them
    seconds = best_of(repeat, lambda: analyze_many(texts, n_process=workers))
    chars = sum(len(t) for _, t in texts)
    return {"workers": workers, "plans": len(texts), "chars": chars, "seconds": seconds,
            "chars_per_s": chars / seconds, "plans_per_s": len(texts) / seconds}


def scaled_texts(k: int) -> dict[str, str]:
    """The plan concatenated k times, and its body (first heading to signature) replicated k times."""
    import sxtdbv_nlp

    text = read(PLAN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = sxtdbv_nlp.analyze(text)
    body_start = doc.sections[0].start
    body_end = doc.signature.start if doc.signature else doc.document.end
    body = text[:body_start] + text[body_start:body_end] * k + text[body_end:]
    return {"concatenated": text * k, "body": body}


def stage_scaling(repeat: int) -> dict[str, Any]:
    analyze = fresh_analyze()
    analyze(read(PLAN))
    rows = []
    for k in SIZES:
        for kind, text in scaled_texts(k).items():
            doc = analyze(text)
            seconds = best_of(repeat if k < 64 else 1, lambda text=text: analyze(text))
            rows.append({"kind": kind, "k": k, "chars": len(text), "seconds": seconds,
                         "us_per_char": seconds / len(text) * 1e6, "document_chars": doc.document.end
                         - doc.document.start, "entities": len(doc.entities), "sections": len(doc.sections),
                         "items": len(doc.items)})
    profiles = {k: stage_profile(scaled_texts(k)["body"]) for k in (SIZES[0], SIZES[-1])}
    return {"rows": rows, "profiles": profiles, "peak_rss_mb": peak_rss_mb()}


def stage_profile(text: str) -> dict[str, float]:
    """Seconds per character (x1e6) spent under each function analyze() calls directly."""
    import sxtdbv_nlp
    from sxtdbv_nlp import pipeline

    profiler = cProfile.Profile()
    profiler.runcall(sxtdbv_nlp.analyze, text)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    analyze_key = next(k for k in stats if k[2] == "analyze" and k[0] == pipeline.__file__)
    out = {}
    for (file, _line, name), (_cc, _nc, _tt, cumulative, callers) in stats.items():
        if analyze_key in callers:
            out[f"{Path(file).stem}.{name}"] = cumulative / len(text) * 1e6
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def stage_theme(repeat: int) -> dict[str, Any]:
    """The trained theme classifier (its compiled form, as analyze() runs it) over every item of
    the corpus, if the model exists."""
    import sxtdbv_nlp
    from sxtdbv_nlp import classify, models

    if not models.model_dir(models.THEME).exists():
        return {"note": "no theme model under models/"}
    docs = [sxtdbv_nlp.analyze(text, doc_id) for doc_id, text in corpus()]
    rows = [(d.items, [d.text[i.start:i.end] for i in d.items],
             [classify.heading_titles(d.sections, i.start) for i in d.items]) for d in docs]

    def run() -> None:
        classify.word_tokens.cache_clear()  # no help from earlier runs
        for items, texts, titles in rows:
            classify.theme_items(items, texts, titles)

    start = time.perf_counter()
    run()
    first = time.perf_counter() - start  # loads the model, scikit-learn, skops, underthesea
    seconds = best_of(repeat, run)
    chars = sum(len(d.text) for d in docs)
    item_chars = sum(len(t) for _, texts, _ in rows for t in texts)
    return {"items": sum(len(items) for items, _, _ in rows), "item_chars": item_chars, "chars": chars,
            "first_run_s": first, "seconds": seconds, "plan_chars_per_s": chars / seconds,
            "shipped": models.read_card(models.THEME).shipped, "peak_rss_mb": peak_rss_mb()}


def stage_peers(repeat: int) -> dict[str, Any]:
    """analyze() against underthesea word_tokenize (whole text) and ner (per line) on one plan."""

    text = read(PLAN)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    analyze = fresh_analyze()
    analyze(text)
    ours = best_of(repeat, lambda: analyze(text))
    start = time.perf_counter()
    from underthesea import ner, word_tokenize

    uts_import = time.perf_counter() - start
    word_tokenize(lines[0])
    ner(lines[0])  # load the CRF models before timing
    tokenize = best_of(repeat, lambda: word_tokenize(text))
    tagging = best_of(1, lambda: [ner(ln) for ln in lines])
    n = len(text)
    return {"chars": n, "analyze_chars_per_s": n / ours, "word_tokenize_chars_per_s": n / tokenize,
            "ner_chars_per_s": n / tagging, "underthesea_import_s": uts_import,
            "ner_ratio": (n / ours) / (n / tagging)}


STAGES: dict[str, Callable[[int], dict[str, Any]]] = {
    "import": lambda repeat: stage_import(),
    "throughput": stage_throughput,
    "parallel": stage_parallel,
    "scaling": stage_scaling,
    "peers": stage_peers,
    "theme": stage_theme,
}


# ---------------------------------------------------------------- driver


def run_stage(name: str, repeat: int) -> dict[str, Any]:
    """Run one stage in a fresh interpreter and return its JSON result."""
    cmd = [sys.executable, __file__, "--stage", name, "--repeat", str(repeat)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    """The summary table as Markdown rows."""
    imp, thr, par, peers, theme = (results[k] for k in ("import", "throughput", "parallel", "peers", "theme"))
    models = {k: v for k, v in imp["models"].items() if k != "note" and v is not None}
    rows = [
        "| measure | result | target | met |",
        "|---|---|---|---|",
        f"| throughput, 1 core, corpus x{COPIES} ({thr['plans']} plans, {thr['chars']:,} chars) | "
        f"{thr['chars_per_s']:,.0f} chars/s, {thr['plans_per_s']:.1f} plans/s | >= 300,000 chars/s | "
        f"{verdict(thr['chars_per_s'] >= TARGETS['chars_per_s'])} |",
        f"| throughput, analyze_many on {par['workers']} processes | {par['chars_per_s']:,.0f} chars/s, "
        f"{par['plans_per_s']:.1f} plans/s | - | - |",
        f"| cold `import sxtdbv_nlp` | {imp['import_s']:.2f} s | - | - |",
        f"| import + first analyze() (it imports: {', '.join(imp['imported_by_analyze']) or 'nothing heavy'})"
        f" | {imp['ready_s']:.2f} s | < 1.5 s | {verdict(imp['ready_s'] < TARGETS['ready_s'])} |",
        f"| peak RSS after the throughput run | {thr['peak_rss_mb']:.0f} MB | < 300 MB | "
        f"{verdict(thr['peak_rss_mb'] < TARGETS['peak_rss_mb'])} |",
    ]
    if models:
        ready = imp["ready_s"] + sum(models.values())
        loads = ", ".join(f"{k} {v:.2f} s" for k, v in models.items())
        rows += [
            f"| ... plus loading, off the analyze() path, every model form in models/ ({loads}) "
            f"| {ready:.2f} s | - | - |",
            f"| peak RSS with every model form loaded (scikit-learn, skops, spaCy imported) "
            f"| {imp['rss_mb']:.0f} MB | - | - |",
        ]
    if "seconds" in theme:
        rows.append(f"| the theme classifier alone on the corpus's {theme['items']} items (shipped: "
                    f"{theme['shipped']}) | {theme['seconds']:.2f} s per corpus pass | - | - |")
    rows += [
        f"| underthesea `word_tokenize`, same plan | {peers['word_tokenize_chars_per_s']:,.0f} chars/s "
        "| - | - |",
        f"| underthesea `ner` (per line), same plan | {peers['ner_chars_per_s']:,.0f} chars/s | - | - |",
        f"| analyze(), same plan | {peers['analyze_chars_per_s']:,.0f} chars/s = {peers['ner_ratio']:.0f}x "
        f"`ner` | >= 10x | {verdict(peers['ner_ratio'] >= TARGETS['ner_ratio'])} |",
    ]
    return rows


def scaling_table(scaling: dict[str, Any]) -> list[str]:
    rows = ["| input | copies | characters | document proper | seconds | µs/char | entities | headings |",
            "|---|---|---|---|---|---|---|---|"]
    for r in scaling["rows"]:
        rows.append(f"| {r['kind']} | {r['k']}x | {r['chars']:,} | {r['document_chars']:,} | "
                    f"{r['seconds']:.3f} | {r['us_per_char']:.2f} | {r['entities']:,} | {r['sections']:,} |")
    return rows


def profile_table(scaling: dict[str, Any]) -> list[str]:
    small, large = (scaling["profiles"][str(k)] for k in (SIZES[0], SIZES[-1]))
    rows = [f"| stage (called by analyze) | µs/char at 1x | µs/char at {SIZES[-1]}x | ratio |",
            "|---|---|---|---|"]
    for name, value in large.items():
        base = small.get(name, 0.0)
        if value < 0.005 and base < 0.005:
            continue
        ratio = f"{value / base:.2f}" if base else "-"
        rows.append(f"| `{name}` | {base:.3f} | {value:.3f} | {ratio} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--stage", choices=tuple(STAGES), help="run one stage here and print its JSON")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measure (best is kept)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown only")
    args = parser.parse_args()
    if args.stage:
        warnings.simplefilter("ignore")
        print(json.dumps(STAGES[args.stage](args.repeat)))
        return
    results = {name: run_stage(name, args.repeat) for name in STAGES}
    env = (f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
           f"{platform.platform(terse=True)}")
    lines = [env, "", *table(results), "", *scaling_table(results["scaling"]), "",
             *profile_table(results["scaling"])]
    print("\n".join(lines))
    if not args.markdown:
        print("\n" + json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
