#!/usr/bin/env python3
"""Post-process gold JSONs after a build with ../shared/tools/annotate.py.

annotate.py derives a section's `title` from its span, so a heading written
"II.** **MỤC TIÊU" gets the title "** **MỤC TIÊU". This script rewrites, in place,
every section `title` and the `header.title` of the given JSON files:
markdown emphasis characters (`*`, `_`) removed, runs of whitespace made single,
ends stripped. Spans, offsets and every other field are left unchanged.

Usage (from /work/main):
    python3 annotations/drafts/postprocess.py annotations/<doc_id>.json [...]
    python3 annotations/drafts/postprocess.py            # all annotations/*.json
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

EMPH = re.compile(r"[*_]+")


def clean(title: str) -> str:
    # markers are deleted (not replaced by a space, so "rác thải*, *xác" gives
    # "rác thải, xác"), then runs of whitespace are made single.
    return " ".join(EMPH.sub("", title).split()) if title else title


def process(path: Path) -> int:
    gold = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for sec in gold.get("sections", []):
        t = sec.get("title")
        new = clean(t) if t else t
        if new != t:
            sec["title"] = new
            changed += 1
    hdr = gold.get("header", {})
    if hdr.get("title"):
        new = clean(hdr["title"])
        if new != hdr["title"]:
            hdr["title"] = new
            changed += 1
    path.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    return changed


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    paths = [Path(p) for p in sys.argv[1:]] or sorted(here.glob("*.json"))
    for p in paths:
        n = process(p)
        print(f"{p.name}: {n} title(s) cleaned", file=sys.stderr)


if __name__ == "__main__":
    main()
