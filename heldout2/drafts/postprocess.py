#!/usr/bin/env python3
"""Post-process a heldout2 gold JSON built by /work/shared/tools/annotate.py.

- text_file -> "heldout2/raw/<doc_id>.txt"
- section titles and header.title: markdown emphasis (*, _) removed, spaces collapsed
- headings written "Phần I. TITLE": annotate.py finds no marker there (the line starts
  with "Phần"); set marker "I" and title "TITLE" (span unchanged: the whole line).
Usage (from /work/main): python3 heldout2/drafts/postprocess.py heldout2/annotations/<doc_id>.json
"""
import json
import re
import sys
from pathlib import Path

EMPH = re.compile(r"[*_]+")
PHAN = re.compile(r"^\s*Phần\s+([IVXLC]+)\s*[.:)]?\s*(.*)$", re.S)


def clean(t):
    return " ".join(EMPH.sub("", t).split()) if t else t


for p in map(Path, sys.argv[1:]):
    g = json.loads(p.read_text(encoding="utf-8"))
    g["text_file"] = f"heldout2/raw/{g['doc_id']}.txt"
    for s in g["sections"]:
        if not s["marker"]:
            m = PHAN.match(s["title"])
            if m:
                s["marker"], s["title"] = m.group(1), m.group(2)
        s["title"] = clean(s["title"])
    if g["header"].get("title"):
        g["header"]["title"] = clean(g["header"]["title"])
    p.write_text(json.dumps(g, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{p.name}: post-processed", file=sys.stderr)
