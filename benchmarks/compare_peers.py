"""Score our entities next to two peers on the gold annotations (run by hand, not in CI).

* underthesea ``ner`` (CRF, called per line): its ORG spans against our AGENCY and the
  gold AGENCY spans, strict and overlap; its LOC and PER counts shown for reference.
* dateparser ``search_dates(text, languages=["vi"])`` (called per line): its matches
  against our DATE and the gold DATE spans, strict and overlap, plus value accuracy on
  strict matches (ISO date; a date printed without a year cannot match).

Peers return strings, not offsets: each returned token or substring is located in its line
with ``str.find`` from the previous match on. Only text inside the gold document bounds is
scored. Time: the peer calls; for us the whole ``analyze_file``, split between our two rows.
Prints a markdown table. Needs the ``bench`` extra (dateparser) installed.

    python benchmarks/compare_peers.py [--annotations annotations] [--docs phu-tho,...]
"""

from __future__ import annotations

import argparse
import json
import logging
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sxtdbv_nlp import analyze_file

ROOT = Path(__file__).resolve().parents[1]
Span = tuple[int, int]


@dataclass
class Score:
    """Strict and overlap counts of predicted spans against gold spans, plus values."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    otp: int = 0
    ofp: int = 0
    ofn: int = 0
    value_ok: int = 0
    value_n: int = 0
    seconds: float = 0.0
    extra: dict[str, int] = field(default_factory=dict)

    def add(self, pred: list[Span], gold: list[Span]) -> None:
        p, g = set(pred), set(gold)
        self.tp += len(p & g)
        self.fp += len(p - g)
        self.fn += len(g - p)
        self.otp += sum(1 for s in p if any(_overlap(s, x) for x in g))
        self.ofp += sum(1 for s in p if not any(_overlap(s, x) for x in g))
        self.ofn += sum(1 for x in g if not any(_overlap(s, x) for s in p))

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def lines_in(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """(offset, line) of the non-blank lines inside ``[start, end)``."""
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            yield pos, line
        pos += len(line) + 1


def locate(line: str, pieces: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, piece) of each piece found in ``line`` in order; unfound pieces skipped."""
    cursor = 0
    for piece in pieces:
        at = line.find(piece, cursor) if piece else -1
        if at >= 0:
            yield at, at + len(piece), piece
            cursor = at + len(piece)


def underthesea_spans(text: str, start: int, end: int) -> dict[str, list[Span]]:
    """Merged BIO spans of underthesea's CRF ner, by type (ORG, LOC, PER, MISC)."""
    from underthesea import ner  # lazy: importing underthesea configures the root logger

    out: dict[str, list[Span]] = {}
    for offset, line in lines_in(text, start, end):
        tagged = ner(line)
        current: tuple[str, int, int] | None = None
        for (a, b, _), (_word, _pos, _chunk, tag) in zip(
                locate(line, (t[0] for t in tagged)), tagged, strict=False):
            kind = tag[2:] if tag[:2] in ("B-", "I-") else None
            if current and (kind != current[0] or tag.startswith("B-")):
                out.setdefault(current[0], []).append((current[1], current[2]))
                current = None
            if kind:
                current = (kind, current[1] if current else offset + a, offset + b)
        if current:
            out.setdefault(current[0], []).append((current[1], current[2]))
    return out


def dateparser_spans(text: str, start: int, end: int) -> list[tuple[int, int, str | None]]:
    """(start, end, ISO date) of dateparser's search_dates matches, line by line."""
    from dateparser.search import search_dates

    out = []
    for offset, line in lines_in(text, start, end):
        found = search_dates(line, languages=["vi"]) or []
        for (a, b, _), (_sub, when) in zip(locate(line, (s for s, _ in found)), found, strict=False):
            out.append((offset + a, offset + b, when.date().isoformat() if when else None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations")
    parser.add_argument("--docs", default="", help="comma-separated doc_id prefixes (default: all)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    scores = {name: Score() for name in ("ours_agency", "uts_org", "ours_date", "dateparser")}
    prefixes = [p for p in args.docs.split(",") if p]
    for path in sorted(args.annotations.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if prefixes and not any(gold["doc_id"].startswith(p) for p in prefixes):
            continue
        raw = ROOT / gold["text_file"]
        with open(raw, encoding="utf-8", newline="") as fh:
            text = fh.read()
        ds, de = gold["document"]["start"], gold["document"]["end"]
        by_label = {lab: [(e["start"], e["end"]) for e in gold["entities"] if e["label"] == lab]
                    for lab in ("AGENCY", "DATE")}
        gold_dates = {(e["start"], e["end"]): e["value"]["date"] for e in gold["entities"]
                      if e["label"] == "DATE"}

        t = time.perf_counter()
        ours = [e for e in analyze_file(raw).entities if ds <= e.start and e.end <= de]
        elapsed = time.perf_counter() - t
        for label, key in (("AGENCY", "ours_agency"), ("DATE", "ours_date")):
            mine = [e for e in ours if e.label == label]
            scores[key].add([(e.start, e.end) for e in mine], by_label[label])
            scores[key].seconds += elapsed / 2
            if label == "DATE":
                _values(scores[key], [(e.start, e.end, e.value.date) for e in mine], gold_dates)

        t = time.perf_counter()
        uts = underthesea_spans(text, ds, de)
        scores["uts_org"].seconds += time.perf_counter() - t
        scores["uts_org"].add(uts.get("ORG", []), by_label["AGENCY"])
        for kind in ("LOC", "PER", "MISC"):
            scores["uts_org"].extra[kind] = scores["uts_org"].extra.get(kind, 0) + len(uts.get(kind, []))

        t = time.perf_counter()
        dp = dateparser_spans(text, ds, de)
        scores["dateparser"].seconds += time.perf_counter() - t
        scores["dateparser"].add([(a, b) for a, b, _ in dp], by_label["DATE"])
        _values(scores["dateparser"], dp, gold_dates)
        logging.getLogger().handlers.clear()  # underthesea's basicConfig must not leak
    print(report(scores))


def _values(score: Score, pred: list[tuple[int, int, str | None]], gold: dict[Span, str]) -> None:
    for a, b, iso in pred:
        if (a, b) in gold:
            score.value_n += 1
            score.value_ok += iso == gold[(a, b)]


def report(scores: dict[str, Score]) -> str:
    rows = [("sxtdbv_nlp AGENCY", "AGENCY", "ours_agency"), ("underthesea ner ORG", "AGENCY", "uts_org"),
            ("sxtdbv_nlp DATE", "DATE", "ours_date"), ("dateparser search_dates", "DATE", "dateparser")]
    out = ["| system | gold label | strict P | strict R | strict F1 | overlap P | overlap R | "
           "overlap F1 | value acc | time (s) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for title, label, key in rows:
        s = scores[key]
        p, r, f = Score.prf(s.tp, s.fp, s.fn)
        op, orr, of = Score.prf(s.otp, s.ofp, s.ofn)
        value = f"{s.value_ok / s.value_n:.3f} ({s.value_ok}/{s.value_n})" if s.value_n else "–"
        out.append(f"| {title} | {label} | {p:.3f} | {r:.3f} | {f:.3f} | {op:.3f} | {orr:.3f} | "
                   f"{of:.3f} | {value} | {s.seconds:.2f} |")
    extra = scores["uts_org"].extra
    out.append("")
    out.append("underthesea ner, other types (not scored): "
               + ", ".join(f"{k} {v}" for k, v in sorted(extra.items())))
    return "\n".join(out)


if __name__ == "__main__":
    main()
