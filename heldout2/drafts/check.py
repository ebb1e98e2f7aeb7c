#!/usr/bin/env python3
"""Print a heldout2 gold file for reading: sections, entities with context, items with links."""
import json
import sys

g = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(g["text_file"], encoding="utf-8", newline="").read()
show = lambda s: s.replace("\n", "⏎")
ents = {e["id"]: e for e in g["entities"]}
d = g["document"]
print("DOCUMENT", d, show(text[d["start"]:d["start"] + 40]), "...", show(text[d["end"] - 40:d["end"]]))
print("HEADER", g["header"])
print("BASIS", [ents[i]["text"] for i in g["legal_basis"]])
for s in g["sections"]:
    print(f"SEC L{s['level']} {s['role'] or '-':13} [{s['marker']}] {s['title']!r}  span={show(text[s['start']:s['end']])!r}")
if "ents" in sys.argv[2:] or len(sys.argv) == 2:
    for e in g["entities"]:
        a, b = e["start"], e["end"]
        inside = d["start"] <= a and b <= d["end"]
        v = {k: v for k, v in e["value"].items()}
        print(f"{e['id']:5} {e['label']:9} «{show(text[max(0,a-30):a])}[{show(e['text'])}]{show(text[b:b+25])}» {v}{'' if inside else '  !!OUTSIDE'}")
if "items" in sys.argv[2:] or len(sys.argv) == 2:
    for it in g["items"]:
        span = text[it["start"]:it["end"]]
        print(f"\n{it['id']} {it['kind']} {it['theme']}  «{show(span[:70])} … {show(span[-50:])}»  (before: {show(text[it['start']-6:it['start']])!r})")
        for role in ("lead", "partners", "budget", "time", "values"):
            if it[role]:
                print(f"    {role:8}: " + "; ".join(f"{ents[i]['text']!r}" + (f"={ents[i]['value'].get('canonical')}" if ents[i]['label']=='AGENCY' else f"={ents[i]['value']}") for i in it[role]))
