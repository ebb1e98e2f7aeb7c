"""sxtdbv_nlp.evaluate: scores computed by hand on small plans (ANNOTATION_GUIDE.md §6).

One gold plan and one prediction exercise every rule at once; each expected number below
was counted by hand from the comments next to the prediction, not from the code.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path

import pytest
from conftest import ANNOTATIONS, DOC_IDS

from sxtdbv_nlp.errors import AnnotationError
from sxtdbv_nlp.evaluate import (
    PRF,
    TRAINABLE,
    Accuracy,
    evaluate,
    evaluate_dirs,
    values_equal,
)
from sxtdbv_nlp.types import (
    AgencyValue,
    DeadlineValue,
    DocumentBounds,
    Entity,
    EntityValue,
    Header,
    Item,
    LegalRefValue,
    MoneyValue,
    PeriodValue,
    PlanDocument,
    RangeValue,
    Section,
)

TEXT = (
    "Menu trang\n"
    "KẾ HOẠCH\n"
    "Căn cứ Quyết định số 889/QĐ-TTg;\n"
    "I. NHIỆM VỤ\n"
    "1. Nhiệm vụ chung\n"
    "- Sở Công Thương chủ trì, Sở Tài chính phối hợp; kinh phí 100 triệu đồng; đến năm 2030.\n"
    "- UBND tỉnh tổ chức 3-5 hội nghị, giảm 5% năm 2025.\n"
    "II. TỔ CHỨC THỰC HIỆN\n"
    "Chân trang Sở Y tế\n"
)


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def ent(eid: str, label: str, needle: str, value: EntityValue) -> Entity:
    return Entity(eid, *at(needle), label, needle, value)


def item(iid: str, kind: str, theme: str, first: str, last: str, **links: tuple[str, ...]) -> Item:
    return Item(iid, kind, at(first)[0], at(last)[1], theme, **links)


def sec(needle: str, level: int, marker: str, role: str | None) -> Section:
    return Section(*at(needle), level, marker, needle, role)


def agency(name: str | None) -> AgencyValue:
    return AgencyValue(name)


GOLD = PlanDocument(
    text=TEXT, doc_id="plan", text_file="corpus/raw/plan.txt",
    document=DocumentBounds(at("KẾ HOẠCH")[0], at("II. TỔ CHỨC THỰC HIỆN")[1]),
    header=Header(issuer="Ủy ban nhân dân tỉnh Phú Thọ", number="12/KH-UBND", date="2021-03-02",
                  title="VỀ SẢN XUẤT BỀN VỮNG", signer="Nguyễn Văn A"),  # no place: skipped
    sections=(sec("I. NHIỆM VỤ", 1, "I", "tasks"),
              sec("1. Nhiệm vụ chung", 2, "1", None),
              sec("II. TỔ CHỨC THỰC HIỆN", 1, "II", "organization")),
    entities=(
        ent("g9", "LEGAL_REF", "Quyết định số 889/QĐ-TTg", LegalRefValue("889/QĐ-TTg", "Quyết định")),
        ent("g1", "AGENCY", "Sở Công Thương", agency("Sở Công Thương tỉnh Phú Thọ")),
        ent("g2", "AGENCY", "Sở Tài chính", agency("Sở Tài chính tỉnh Phú Thọ")),
        ent("g3", "MONEY", "100 triệu đồng", MoneyValue(100_000_000)),
        ent("g4", "DEADLINE", "đến năm 2030", DeadlineValue("2030")),
        ent("g5", "AGENCY", "UBND tỉnh", agency("Ủy ban nhân dân tỉnh Phú Thọ")),
        ent("g6", "QUANTITY", "3-5", RangeValue(3, 5)),
        ent("g7", "PERCENT", "5%", RangeValue(5, 5)),
        ent("g8", "PERIOD", "năm 2025", PeriodValue("2025", "2025")),
    ),
    items=(
        item("i1", "task", "management", "Sở Công Thương chủ trì", "đến năm 2030",
             lead=("g1",), partners=("g2",), budget=("g3",), time=("g4",)),
        item("i2", "target", "awareness", "UBND tỉnh tổ chức", "năm 2025",
             lead=("g5",), values=("g6", "g7"), time=("g8",)),
    ),
    legal_basis=("g9",),
)

PRED = PlanDocument(
    text=TEXT, doc_id="plan",
    document=DocumentBounds(at("KẾ HOẠCH")[0], at("Chân trang")[0]),  # wrong end
    header=Header(issuer="Ủy ban nhân dân tỉnh Phú Thọ", number="12/KH-UBND",
                  place="Phú Thọ",                  # gold has no place: not scored
                  date="2021-03-20",                # wrong
                  title="VỀ SẢN XUẤT  BỀN VỮNG"),    # double space: not an exact match
    sections=(sec("Menu trang", 1, "", "other"),               # outside: ignored
              sec("I. NHIỆM VỤ", 1, "I", "objectives"),        # match, level ok, role wrong
              sec("1. Nhiệm vụ chung", 3, "1", None),          # match, level wrong
              sec("TỔ CHỨC THỰC HIỆN", 1, "II", "organization")),  # marker missing: fp + fn
    entities=(
        ent("p9", "LEGAL_REF", "Quyết định số 889/QĐ-TTg",
            LegalRefValue("889/qđ-ttg", "Quyết định")),        # strict; id case ignored
        ent("p1", "AGENCY", "Sở Công Thương",
            AgencyValue("sở công  thương TỈNH Phú Thọ", id="so-ct")),  # strict; value folds
        ent("p2", "AGENCY", "Tài chính", agency("Sở Tài chính tỉnh Phú Thọ")),  # overlap only
        ent("p3", "MONEY", "100 triệu", MoneyValue(100_000_000)),  # overlap only
        ent("p4", "PERIOD", "đến năm 2030", PeriodValue("2030", "2030")),  # label confusion
        ent("p5", "AGENCY", "UBND tỉnh", agency("Ủy ban nhân dân tỉnh Hà Nội")),  # wrong value
        ent("p6", "QUANTITY", "3-5", RangeValue(3, 5)),
        ent("p7", "PERCENT", "5%", RangeValue(5, 6)),            # wrong value
        ent("p8", "AGENCY", "Sở Y tế", agency("Sở Y tế tỉnh Phú Thọ")),  # outside: ignored
    ),                                                           # g8 "năm 2025" missed
    items=(
        item("pi1", "task", "waste", "- Sở Công Thương", "2030.",  # matches i1, theme wrong
             lead=("p1",), partners=("p2",), budget=("p3",), time=("p4",)),
        item("pi2", "target", "awareness", "UBND tỉnh", "tổ chức",  # 17 of 48 chars: no match
             lead=("p5",), values=("p6",)),
        item("pi3", "task", "other", "Chân trang", "Sở Y tế", lead=("p8",)),  # outside
    ),
    legal_basis=("p9", "p2", "p8"),  # p9 -> g9; p2 has no strict match; p8 outside
)


@pytest.fixture(scope="module")
def report():
    return evaluate([GOLD], [PRED])


# label: strict (tp, fp, fn), overlap (tp, fp, fn), value accuracy (correct, total)
ENTITY_COUNTS = [
    ("AGENCY", (2, 1, 1), (3, 0, 0), (1, 2)),
    ("LEGAL_REF", (1, 0, 0), (1, 0, 0), (1, 1)),
    ("MONEY", (0, 1, 1), (1, 0, 0), (0, 0)),
    ("PERCENT", (1, 0, 0), (1, 0, 0), (0, 1)),
    ("DATE", (0, 0, 0), (0, 0, 0), (0, 0)),
    ("DEADLINE", (0, 0, 1), (0, 0, 1), (0, 0)),
    ("PERIOD", (0, 1, 1), (0, 1, 1), (0, 0)),
    ("QUANTITY", (1, 0, 0), (1, 0, 0), (1, 1)),
]


@pytest.mark.parametrize(("label", "strict", "overlap", "value"), ENTITY_COUNTS)
def test_evaluate_entity_counts_per_label(report, label, strict, overlap, value) -> None:
    assert report.total.entities[label] == PRF(*strict)
    assert report.total.overlap[label] == PRF(*overlap)
    assert report.total.values[label] == Accuracy(*value)


def test_evaluate_entity_micro_scores(report) -> None:
    t = report.total
    assert t.entities_micro == PRF(5, 3, 4)
    assert (t.entities_micro.precision, t.entities_micro.recall) == (0.625, 5 / 9)
    assert t.entities_micro.f1 == pytest.approx(10 / 17)
    assert t.overlap_micro == PRF(7, 1, 2)
    assert t.overlap_micro.f1 == pytest.approx(14 / 17)
    assert t.values_micro == Accuracy(3, 5)


def test_evaluate_items_and_links(report) -> None:
    t = report.total
    assert t.items == PRF(1, 1, 1)
    assert (t.theme, t.kind) == (Accuracy(0, 1), Accuracy(1, 1))
    assert t.links == {"lead": PRF(1, 1, 1), "partners": PRF(0, 1, 1), "budget": PRF(0, 1, 1),
                       "time": PRF(0, 1, 2), "values": PRF(0, 1, 2)}
    assert t.links_micro == PRF(1, 5, 7)
    assert t.links_micro.f1 == pytest.approx(1 / 7)


def test_evaluate_sections_header_legal_basis_bounds(report) -> None:
    t = report.total
    assert t.sections == PRF(2, 1, 1)
    assert (t.section_level, t.section_role) == (Accuracy(1, 2), Accuracy(0, 1))
    assert t.header == {"issuer": Accuracy(1, 1), "number": Accuracy(1, 1),
                        "place": Accuracy(0, 0), "date": Accuracy(0, 1),
                        "title": Accuracy(0, 1), "signer": Accuracy(0, 1)}
    assert t.legal_basis == PRF(1, 1, 0)
    assert t.legal_basis.f1 == pytest.approx(2 / 3)
    assert t.bounds == Accuracy(0, 1)


def test_evaluate_report_dict_is_flat_json(report) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert (data["ents_p"], data["ents_tp"], data["values_acc"]) == (0.625, 5, 0.6)
    assert data["ents_per_type"]["AGENCY"]["support"] == 3
    assert data["ents_per_type"]["DATE"]["value_acc"] is None
    assert data["links_per_role"]["lead"]["f"] == 0.5
    assert data["header_per_field"]["place"] == {"acc": None, "correct": 0, "total": 0}
    assert (data["bounds_correct"], data["bounds_total"], data["n_documents"]) == (0, 1, 1)
    assert data["documents"]["plan"]["items_f"] == 0.5


@pytest.mark.parametrize(("first", "cells"), [
    ("AGENCY", ["66.7", "66.7", "66.7", "100.0", "50.0", "3", "3"]),
    ("DATE", ["-", "-", "-", "-", "-", "0", "0"]),
    ("micro", ["62.5", "55.6", "58.8", "82.4", "60.0", "9", "8"]),
    ("items", ["50.0", "50.0", "50.0", "0.0", "100.0", "2", "2"]),
    ("headings", ["66.7", "66.7", "66.7", "50.0", "0.0", "3", "3"]),
    ("plan", ["58.8", "82.4", "60.0", "50.0", "14.3", "66.7", "2/5", "no"]),
])
def test_evaluate_format_table_rows(report, first: str, cells: list[str]) -> None:
    rows = [line.split() for line in report.format_table().splitlines()]
    assert [first, *cells] in rows


# ---------------------------------------------------------------- single rules


def test_prf_counts_add_and_rates_derive() -> None:
    total = PRF(2, 1, 1) + PRF(1, 0, 2)
    assert total == PRF(3, 1, 3)
    assert (total.precision, total.recall, total.f1) == (0.75, 0.5, 0.6)
    assert (PRF().precision, PRF().recall, PRF().f1) == (0.0, 0.0, 0.0)
    assert Accuracy(1, 2) + Accuracy(1, 1) == Accuracy(2, 3)
    assert Accuracy().value is None


def _agencies(*needles: str) -> tuple[Entity, ...]:
    return tuple(ent(f"x{n}", "AGENCY", s, agency(None)) for n, s in enumerate(needles))


@pytest.mark.parametrize(("gold", "pred", "strict", "overlap"), [
    pytest.param(("Sở Công Thương", "Sở Tài chính"), ("Sở Công Thương chủ trì, Sở Tài chính",),
                 (0, 1, 2), (1, 0, 1), id="one-prediction-spans-two-golds"),
    pytest.param(("Sở Công Thương",), ("Sở Công", "Thương"),
                 (0, 2, 1), (1, 1, 0), id="two-predictions-inside-one-gold"),
    pytest.param(("Sở Công Thương", "Sở Tài chính"), ("Thương chủ trì, Sở Tài", "Sở Công"),
                 (0, 2, 2), (2, 0, 0), id="maximum-matching-not-first-come"),
    pytest.param(("Sở Công Thương",), ("Sở Công Thương",), (1, 0, 0), (1, 0, 0), id="exact"),
])
def test_evaluate_overlap_matching_is_one_to_one(gold, pred, strict, overlap) -> None:
    g = dataclasses.replace(GOLD, entities=_agencies(*gold), items=(), legal_basis=())
    p = dataclasses.replace(PRED, entities=_agencies(*pred), items=(), legal_basis=())
    total = evaluate([g], [p]).total
    assert (total.entities_micro, total.overlap_micro) == (PRF(*strict), PRF(*overlap))


def test_evaluate_label_confusion_is_a_miss_in_both_modes() -> None:
    g = dataclasses.replace(GOLD, entities=(ent("a", "AGENCY", "Sở Y tế", agency(None)),),
                            items=(), legal_basis=(), document=None)
    p = dataclasses.replace(g, entities=(ent("b", "MONEY", "Sở Y tế", MoneyValue(1)),))
    total = evaluate([g], [p]).total
    assert (total.entities["AGENCY"], total.entities["MONEY"]) == (PRF(0, 0, 1), PRF(0, 1, 0))
    assert total.overlap_micro == PRF(0, 1, 1)


def test_evaluate_duplicate_predictions_are_false_positives() -> None:
    heading, agency_g1 = GOLD.sections[0], GOLD.entities[1]
    pred = dataclasses.replace(GOLD, sections=(heading, heading), entities=(agency_g1, agency_g1),
                               items=(), legal_basis=("g9", "g9"))
    total = evaluate([GOLD], [pred]).total
    assert total.sections == PRF(1, 1, 2)
    assert (total.entities["AGENCY"], total.overlap["AGENCY"]) == (PRF(1, 1, 2), PRF(1, 1, 2))
    assert total.legal_basis == PRF(0, 2, 1)  # g9 is not among the predicted entities


SPAN = "Sở Công Thương chủ trì, Sở Tài chính"  # gold item: 36 characters, half is 18


@pytest.mark.parametrize(("pred_spans", "items", "theme"), [
    pytest.param([(0, 18)], (1, 0, 0), (1, 1), id="exactly-half-matches"),
    pytest.param([(0, 17)], (0, 1, 1), (0, 0), id="less-than-half-does-not"),
    pytest.param([(10, 60)], (1, 0, 0), (1, 1), id="longer-prediction-covering-half"),
    pytest.param([(0, 20), (0, 30)], (1, 1, 0), (0, 1), id="greedy-largest-overlap-wins"),
])
def test_evaluate_item_matching(pred_spans, items, theme) -> None:
    base = at(SPAN)[0]
    gold_item = Item("i1", "task", base, base + len(SPAN), "waste")
    preds = tuple(Item(f"p{n}", "task", base + s, base + e, "waste" if n == 0 else "other")
                  for n, (s, e) in enumerate(pred_spans))
    g = dataclasses.replace(GOLD, items=(gold_item,))
    total = evaluate([g], [dataclasses.replace(g, items=preds)]).total
    assert (total.items, total.theme) == (PRF(*items), Accuracy(*theme))


@pytest.mark.parametrize(("label", "gold", "pred", "equal"), [
    ("AGENCY", agency("Sở Công Thương tỉnh Phú Thọ"), agency("SỞ CÔNG THƯƠNG  tỉnh phú thọ"), True),
    ("AGENCY", agency("Sở Tài chính tỉnh Phú Thọ"),
     agency(unicodedata.normalize("NFD", "Sở Tài chính tỉnh Phú Thọ")), True),
    ("AGENCY", agency("Bộ Công Thương"), AgencyValue("Bộ Công Thương", id="bct", successor="x"),
     True),
    ("AGENCY", agency("Sở Công Thương tỉnh Phú Thọ"), agency("Sở Công Thương"), False),
    ("LEGAL_REF", LegalRefValue("889/QĐ-TTg", "Quyết định"),
     LegalRefValue("889/qđ-ttg", "Quyết định"), True),
    ("LEGAL_REF", LegalRefValue("889/QĐ-TTg", "Quyết định"), LegalRefValue("889/QĐ-TTg", "Luật"),
     False),
    ("MONEY", MoneyValue(12_000_000_000), MoneyValue(12_000_000_000.0), True),
    ("MONEY", MoneyValue(350_000), MoneyValue(350_000, "USD"), False),
    ("PERCENT", RangeValue(5, 8), RangeValue(5, 8), True),
    ("QUANTITY", RangeValue(1, 2), RangeValue(1, 1), False),
    ("DEADLINE", DeadlineValue("XXXX-12-15", "P1Y"), DeadlineValue("XXXX-12-15"), False),
    ("PERIOD", PeriodValue("2026-07", "2026-09"), PeriodValue("2026-07", "2026-09"), True),
])
def test_values_equal(label: str, gold: EntityValue, pred: EntityValue, equal: bool) -> None:
    assert values_equal(label, gold, pred) is equal


# ---------------------------------------------------------------- pairing documents


def test_evaluate_missing_prediction_scores_as_empty() -> None:
    report = evaluate([GOLD], [dataclasses.replace(PRED, doc_id="other")])
    assert report.total.entities_micro == PRF(0, 0, 9)
    assert report.notes == ("no prediction for plan: scored as an empty prediction",
                            "predictions without gold, ignored: other")


def test_evaluate_sums_documents() -> None:
    twin = dataclasses.replace(GOLD, doc_id="twin")
    report = evaluate([GOLD, twin], [PRED, twin])
    assert list(report.documents) == ["plan", "twin"]
    assert report.documents["twin"].entities_micro == PRF(9, 0, 0)
    assert report.total.entities_micro == PRF(5 + 9, 3, 4)


@pytest.mark.parametrize("pred", [
    pytest.param(dataclasses.replace(PRED, text=TEXT + " "), id="other-text"),
    pytest.param(dataclasses.replace(PRED, doc_id=None), id="no-doc-id"),
])
def test_evaluate_rejects_unpairable_predictions(pred: PlanDocument) -> None:
    with pytest.raises(AnnotationError):
        evaluate([GOLD], [pred])


# ---------------------------------------------------------------- directories


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """gold in annotations/, the plan in corpus/raw/, the prediction in pred/."""
    for folder in ("annotations", "corpus/raw", "pred"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "corpus/raw/plan.txt").write_text(TEXT, encoding="utf-8", newline="")
    for folder, doc in (("annotations", GOLD), ("pred", PRED)):
        data = json.dumps(doc.to_dict(), ensure_ascii=False)
        (tmp_path / folder / "plan.json").write_text(data, encoding="utf-8")
    return tmp_path


def test_evaluate_dirs_reads_predictions(repo: Path) -> None:
    report = evaluate_dirs(repo / "annotations", repo / "pred")
    assert report.total == evaluate([GOLD], [PRED]).total
    assert report.notes == (f"predictions: {repo / 'pred'}",)


def test_evaluate_dirs_missing_prediction_file(repo: Path) -> None:
    (repo / "pred" / "plan.json").unlink()
    report = evaluate_dirs(repo / "annotations", repo / "pred")
    assert report.total.entities_micro == PRF(0, 0, 9)
    assert "no prediction file" in report.notes[1]


def test_evaluate_dirs_lodo_without_trainable_components_says_so(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sxtdbv_nlp.evaluate.TRAINABLE", {})
    report = evaluate_dirs(repo / "annotations", repo / "pred", cv="lodo")
    assert report.total == evaluate([GOLD], [PRED]).total
    assert any("no trainable components" in n for n in report.notes)


def test_evaluate_dirs_lodo_trains_without_the_held_out_document(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    twin = dataclasses.replace(GOLD, doc_id="twin", text_file="corpus/raw/plan.txt")
    (repo / "annotations" / "twin.json").write_text(json.dumps(twin.to_dict()), encoding="utf-8")
    seen: list[tuple[str, ...]] = []

    def train(docs: list[PlanDocument]):
        seen.append(tuple(d.doc_id for d in docs))
        return lambda doc: doc

    monkeypatch.setattr("sxtdbv_nlp.evaluate.TRAINABLE", {"probe": train})
    report = evaluate_dirs(repo / "annotations", repo / "pred", cv="lodo")
    assert seen == [("twin",), ("plan",)]
    assert any("trained: probe" in note for note in report.notes)


def test_evaluate_trainable_components_are_registered() -> None:
    assert set(TRAINABLE) == {"theme", "ner"}


def test_evaluate_dirs_rejects_unknown_cv(repo: Path) -> None:
    with pytest.raises(ValueError, match="lodo"):
        evaluate_dirs(repo / "annotations", cv="kfold")


def test_evaluate_dirs_runs_the_library_on_the_gold_texts() -> None:
    report = evaluate_dirs(ANNOTATIONS)
    assert list(report.documents) == DOC_IDS
    assert report.total.bounds.total == len(DOC_IDS)
    assert "sxtdbv_nlp.analyze_file" in report.notes[0]
    table = report.format_table()
    assert all(doc_id in table for doc_id in DOC_IDS)
