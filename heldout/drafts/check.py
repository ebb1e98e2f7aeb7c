#!/usr/bin/env python3
"""Print a built held-out JSON for reading back: entities with context, sections,
items with linked entities, and a sweep of uncovered digits / time words / agency
words inside the document proper. Usage: python3 heldout/drafts/check.py heldout/annotations/<id>.json"""
import json, re, sys
g = json.load(open(sys.argv[1], encoding="utf-8"))
tf = g["text_file"]
try:
    text = open(tf, encoding="utf-8", newline="").read()
except FileNotFoundError:
    text = open("heldout/raw/%s.txt" % g["doc_id"], encoding="utf-8", newline="").read()
S, E = g["document"]["start"], g["document"]["end"]
sh = lambda s: s.replace("\n", "⏎")
print("DOC", g["doc_id"], g["text_file"], "bounds", S, E, repr(text[S:S+30]), "...", repr(text[E-30:E]))
print("HEADER", json.dumps(g["header"], ensure_ascii=False))
ents = {e["id"]: e for e in g["entities"]}
mode = sys.argv[2] if len(sys.argv) > 2 else "all"
if mode in ("all", "ents"):
    print("\n== ENTITIES")
    for e in g["entities"]:
        l = sh(text[max(S, e["start"]-30):e["start"]]); r = sh(text[e["end"]:e["end"]+25])
        v = e["value"]
        vs = str(v.get("canonical")) + (" [G]" if v.get("group") else "") if e["label"] == "AGENCY" else json.dumps({k: x for k, x in v.items()}, ensure_ascii=False)
        print(f'{e["id"]:>5} {e["label"]:<9} …{l}[[{sh(e["text"])}]]{r}…  => {vs}')
if mode in ("all", "secs"):
    print("\n== SECTIONS")
    for s in g["sections"]:
        print(f'  L{s["level"]} {s["role"]!s:<12} {s["marker"]!r:6} {s["title"]!r}   span={sh(text[s["start"]:s["end"]])!r}')
if mode in ("all", "items"):
    print("\n== ITEMS")
    for it in g["items"]:
        sp = text[it["start"]:it["end"]]
        print(f'{it["id"]} {it["kind"]} {it["theme"]}: «{sh(sp[:70])}» … «{sh(sp[-40:])}»')
        for role in ("lead", "partners", "budget", "time", "values"):
            if it[role]:
                print(f'     {role}: ' + "; ".join(f'{ents[x]["text"]!r}' + (f'({ents[x]["value"].get("canonical")})' if ents[x]["label"]=="AGENCY" else f'{json.dumps(ents[x]["value"], ensure_ascii=False)}') for x in it[role]))
    print("legal_basis:", [ents[x]["text"] for x in g["legal_basis"]])
if mode in ("all", "sweep"):
    print("\n== SWEEP (uncovered, inside document proper)")
    covered = [False]*len(text)
    for e in g["entities"]:
        for i in range(e["start"], e["end"]): covered[i] = True
    pat = re.compile(r"\d+|%|hằng năm|hàng năm|Hằng năm|mỗi năm|định kỳ|Định kỳ|ngày|\b(?:Sở|Bộ|UBND|Ủy ban|Uỷ ban|ỦY BAN|UỶ BAN|Hội|Ban|Đài|Báo|Tỉnh đoàn|Thành đoàn|Chính phủ|Cổng|Văn phòng|Trung tâm|Thường trực|TT|MTTQ|UBMTTQ|HĐND)\b")
    for m in pat.finditer(text, S, E):
        if not covered[m.start()]:
            l = sh(text[max(S, m.start()-25):m.start()]); r = sh(text[m.end():m.end()+25])
            print(f'  {m.start():>6} …{l}<<{m.group()}>>{r}…')
