#!/usr/bin/env python3
"""Cross-file review listings for the gold JSONs (run from anywhere, after a build).

  python3 review_labels.py spans      # per label: every distinct span text, count, files, values
  python3 review_labels.py agencies   # every distinct AGENCY canonical: count, group flag, files, spans
"""
import json, sys, glob, os
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHORT = lambda d: d.split("_")[0]


def load():
    for f in sorted(ROOT.glob("*.json")):
        yield json.loads(f.read_text(encoding="utf-8"))


def spans():
    by = defaultdict(lambda: defaultdict(list))
    for g in load():
        for e in g["entities"]:
            by[e["label"]][e["text"].replace("\n", "\\n")].append((SHORT(g["doc_id"]), json.dumps(e["value"], ensure_ascii=False)))
    for lab in sorted(by):
        print(f"=== {lab} ({sum(len(v) for v in by[lab].values())})")
        for txt in sorted(by[lab], key=str.lower):
            occ = by[lab][txt]
            files = sorted({o[0] for o in occ})
            vals = sorted({o[1] for o in occ})
            print(f"  {len(occ):3d} {txt!r:60s} {','.join(files)}  {' | '.join(vals)}")


def agencies():
    by = defaultdict(list)
    for g in load():
        for e in g["entities"]:
            if e["label"] == "AGENCY":
                v = e["value"]
                by[(v.get("canonical"), v.get("group"))].append((SHORT(g["doc_id"]), e["text"].replace("\n", "\\n")))
    for (can, grp) in sorted(by, key=lambda k: (str(k[0]).lower(), k[1])):
        occ = by[(can, grp)]
        files = defaultdict(int)
        for o in occ:
            files[o[0]] += 1
        sp = sorted({o[1] for o in occ})
        print(f"{len(occ):3d} | {can} | group={grp} | {', '.join(f'{k}:{n}' for k, n in sorted(files.items()))} | spans: {sp}")


if __name__ == "__main__":
    {"spans": spans, "agencies": agencies}[sys.argv[1] if len(sys.argv) > 1 else "spans"]()
