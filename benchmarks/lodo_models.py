"""LODO figures of the trained models, their sizes and load time (run by hand, not in CI).

By default reads the LODO metrics that `sxtdbv train` wrote into the model cards of
models/; `--retrain` runs the whole training (LODO included) into a temporary folder
first and reports its wall time. `--calibration` compares, on the same LODO folds, the
theme classifier's probabilities with an unweighted logistic regression and with
CalibratedClassifierCV.

    python benchmarks/lodo_models.py [--retrain] [--jobs 2] [--calibration] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sxtdbv_nlp.models import NER, SECTION_ROLE, THEME, models_dir, read_card  # noqa: E402
from sxtdbv_nlp.types import LABELS  # noqa: E402

LOAD_CODE = """
import time
t0 = time.perf_counter()
from sxtdbv_nlp import models
t1 = time.perf_counter()
models.load_linear(models.THEME)
t2 = time.perf_counter()
models.load_sklearn(models.SECTION_ROLE); models.load_spacy(models.NER)
t3 = time.perf_counter()
models.load_sklearn(models.THEME)
t4 = time.perf_counter()
print(t3 - t0, t2 - t1, t4 - t0)
"""


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:5.1f}"


def ner_table(metrics: dict[str, Any], fused: list[str]) -> list[str]:
    rows = ["NER (strict, LODO)   gold | rules P/R/F1       | model P/R/F1       | fused P/R/F1       "
            "| shipped"]
    table = metrics["per_label"]
    for label in [*LABELS, "micro"]:
        row = metrics["micro"] if label == "micro" else table[label]
        cells = [f"{_pct(row[s]['p'])} {_pct(row[s]['r'])} {_pct(row[s]['f'])}"
                 for s in ("rules", "model", "fused")]
        gold = row["rules"]["tp"] + row["rules"]["fn"]
        mark = "fused" if label in fused else ("" if label == "micro" else "rules")
        rows.append(f"{label:16s} {gold:8d} | " + " | ".join(cells) + f" | {mark}")
    rows.append("per document micro-F1 (rules / model / all labels fused):")
    rows += [f"  {doc:32s} {_pct(v['rules'])} {_pct(v['model'])} {_pct(v['fused'])}"
             for doc, v in metrics["per_document_micro_f1"].items()]
    return rows


def theme_table(m: dict[str, Any]) -> list[str]:
    rows = [f"THEMES (LODO, {m['n_items']} items, {m['n_documents']} plans)   accuracy  macro-F1"]
    rows += [f"  {name:38s} {_pct(m[name]['accuracy'])}     {_pct(m[name]['macro_f1'])}"
             for name in ("classifier", "keyword", "majority")]
    rows.append("  per theme F1 (support)        classifier  keyword  majority")
    for theme, v in sorted(m["classifier"]["per_class"].items(), key=lambda kv: -kv[1]["support"]):
        kw, maj = (m[s]["per_class"].get(theme, {}).get("f1") for s in ("keyword", "majority"))
        rows.append(f"  {theme:20s} {v['support']:4d}       {_pct(v['f1'])}     {_pct(kw)}    {_pct(maj)}")
    rows.append("  per document accuracy         classifier  keyword  majority")
    for doc, acc in m["classifier"]["per_document_accuracy"].items():
        rows.append(f"  {doc:30s} {_pct(acc)}     {_pct(m['keyword']['per_document_accuracy'][doc])}"
                    f"    {_pct(m['majority']['per_document_accuracy'][doc])}")
    cal = m["classifier"]["calibration"]
    rows.append(f"  calibration: log-loss {cal['log_loss']:.3f}, Brier {cal['brier']:.3f}, "
                f"ECE {cal['ece']:.3f}")
    return rows


def section_table(m: dict[str, Any]) -> list[str]:
    return [f"SECTION ROLES (LODO, {m['n_headings']} level-1 headings)   accuracy  macro-F1",
            f"  model (title + first body words)          {_pct(m['model']['accuracy'])}     "
            f"{_pct(m['model']['macro_f1'])}",
            f"  rule (structure.py, section_roles.tsv)    {_pct(m['rule']['accuracy'])}     "
            f"{_pct(m['rule']['macro_f1'])}"]


def calibration_rows() -> list[str]:
    """LR balanced (shipped) vs LR unweighted vs CalibratedClassifierCV on the LODO folds."""
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from sxtdbv_nlp.classify import theme_rows
    from sxtdbv_nlp.corpus import load_annotations
    from sxtdbv_nlp.estimators import THEME_OPENING_WORDS, text_features, theme_pipeline
    from sxtdbv_nlp.train import _calibration, _class_metrics

    docs = load_annotations(ROOT / "annotations")
    X, y, groups = theme_rows(docs)
    def features() -> Any:
        return text_features(opening_words=THEME_OPENING_WORDS, syllables=True)

    variants = {
        "LR balanced (shipped)": lambda: theme_pipeline(seed=0),
        "LR unweighted": lambda: Pipeline([("features", features()),
                                           ("model", LogisticRegression(C=10, max_iter=3000))]),
        "CalibratedClassifierCV(LR balanced, sigmoid, cv=2)": lambda: Pipeline([
            ("features", features()),
            ("model", CalibratedClassifierCV(theme_pipeline(seed=0).steps[-1][1], method="sigmoid", cv=2))]),
    }
    rows = ["CALIBRATION (theme, LODO)               accuracy macro-F1 log-loss Brier  ECE"]
    for name, make in variants.items():
        pred, proba = [""] * len(y), [{} for _ in y]
        try:
            for held in sorted(set(groups)):
                idx = np.array([g == held for g in groups])
                model = make().fit(X[~idx], [v for v, i in zip(y, idx, strict=True) if not i])
                for k, p, lab in zip(np.where(idx)[0], model.predict_proba(X[idx]), model.predict(X[idx]),
                                     strict=True):
                    pred[k] = str(lab)
                    proba[k] = dict(zip(map(str, model.classes_), map(float, p), strict=True))
        except ValueError as exc:
            rows.append(f"  {name}: fails on the folds ({exc})")
            continue
        cm, cal = _class_metrics(y, pred, groups), _calibration(y, proba)
        rows.append(f"  {name:38s} {_pct(cm['accuracy'])}   {_pct(cm['macro_f1'])}   {cal['log_loss']:.3f}  "
                    f"{cal['brier']:.3f} {cal['ece']:.3f}")
    return rows


def sizes(folder: Path) -> list[str]:
    rows = ["SIZES"]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        size = sum(f.stat().st_size for f in sub.rglob("*") if f.is_file())
        rows.append(f"  {sub.name:20s} {size / 2**20:7.2f} MB")
    total = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return [*rows, f"  {'total':20s} {total / 2**20:7.2f} MB"]


def load_time(folder: Path) -> str:
    """Cold process: import + load of all three models as the library loads them (the theme
    model in its compiled form), then the theme model's scikit-learn form too (best of 3)."""
    best = (float("inf"), float("inf"), float("inf"))
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", LOAD_CODE], capture_output=True, text=True, check=True,
                             cwd=ROOT, env={**os.environ, "SXTDBV_MODELS": str(folder)})
        best = min(best, tuple(float(x) for x in out.stdout.split()))
    return (f"LOAD all three models, as the library loads them: {best[0]:.2f} s in a fresh process "
            f"(the compiled theme model analyze() uses: {best[1]:.2f} s); with the theme model's "
            f"scikit-learn form as well: {best[2]:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retrain", action="store_true", help="train everything (LODO included) first")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for NER folds")
    parser.add_argument("--calibration", action="store_true", help="compare probability calibrations")
    parser.add_argument("--json", type=Path, help="write the cards' metrics as JSON")
    args = parser.parse_args()

    folder = models_dir()
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.retrain:
            from sxtdbv_nlp.train import train_all

            folder = Path(tmp)
            start = time.perf_counter()
            train_all(ROOT / "annotations", folder, jobs=args.jobs, command="benchmarks/lodo_models.py")
            lines.append(f"TRAINING (LODO + final models): {time.perf_counter() - start:.0f} s")
        cards = {ref.name: read_card(ref, folder) for ref in (NER, THEME, SECTION_ROLE)}
        ner = cards["ner"]
        lines += ner_table(ner.metrics["lodo"], list(ner.settings.get("fused_labels") or ()))
        lines += [f"  decision: {ner.decision}", ""]
        lines += [*theme_table(cards["theme"].metrics["lodo"]), f"  decision: {cards['theme'].decision}", ""]
        lines += section_table(cards["section-role"].metrics["lodo"])
        lines += [f"  decision: {cards['section-role'].decision}", ""]
        lines += [*sizes(folder), load_time(folder)]
        if args.calibration:
            lines += ["", *calibration_rows()]
        if args.json:
            metrics = {k: c.metrics for k, c in cards.items()}
            args.json.write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
