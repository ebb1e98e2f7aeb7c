#!/usr/bin/env python3
"""List digits, %, recurrence words and agency words in the document proper that no entity covers."""
import json, re, sys
g = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(g["text_file"], encoding="utf-8", newline="").read()
cov = [False] * len(text)
for e in g["entities"]:
    for i in range(e["start"], e["end"]):
        cov[i] = True
d = g["document"]
pat = re.compile(r"\d[\d.,/\-]*%?|hằng năm|hàng năm|mỗi năm|mỗi quý|hằng quý|định kỳ|Định kỳ|\b(?:Sở|sở|Bộ|UBND|Ủy ban|Uỷ ban|Hội|Phòng|Ban|Cục|Vụ|Viện|Trung tâm|Công an|Báo|Đài|Cổng|Tỉnh đoàn|Huyện đoàn|Chính phủ|Thủ tướng|TT|HĐND|ngành)\b")
for m in pat.finditer(text, d["start"], d["end"]):
    if not any(cov[m.start():m.end()]):
        ls = text.rfind("\n", 0, m.start()) + 1
        print(f"{m.start():6} {m.group()!r:22} «{text[max(ls, m.start()-40):m.start()].replace(chr(10),'⏎')}[{m.group()}]{text[m.end():m.end()+30].replace(chr(10),'⏎')}»")
