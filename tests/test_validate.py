"""sxtdbv_nlp.validate: the gold files keep the annotation guide's contract.

A tiny but complete plan is written to a temporary repository; each case breaks one
thing in its annotation file and names the problem the validator must report.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ANNOTATIONS

from sxtdbv_nlp.validate import Problem, validate_dir, validate_file

CHROME = "Bộ lọc tìm kiếm\n"
PLAN = (
    "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\nSố: 12/KH-UBND\nKẾ HOẠCH\nVỀ SẢN XUẤT BỀN VỮNG\n"
    "Căn cứ Quyết định số 889/QĐ-TTg ngày 24/6/2020 của Thủ tướng Chính phủ;\n"
    "I. MỤC TIÊU\n- Giảm 5- 8% tiêu hao năng lượng đến năm 2030.\n"
    "II. NHIỆM VỤ\n- Sở Công Thương chủ trì, kinh phí 1,5 tỷ đồng.\n"
)
TEXT = CHROME + PLAN + "Đang tải nội dung\n"
DOC_ID = "phu-tho_12-KH-UBND_2021"


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def entity(eid: str, label: str, needle: str, value: dict[str, Any]) -> dict[str, Any]:
    start, end = at(needle)
    return {"id": eid, "start": start, "end": end, "label": label, "text": needle, "value": value}


def item(iid: str, kind: str, first: str, last: str, **links: list[str]) -> dict[str, Any]:
    roles = {"lead": [], "partners": [], "budget": [], "time": [], "values": []}
    return {"id": iid, "kind": kind, "start": at(first)[0], "end": at(last)[1],
            "theme": "cleaner_production", **roles, **links}


def section(needle: str, level: int, marker: str, role: str | None) -> dict[str, Any]:
    start, end = at(needle)
    return {"start": start, "end": end, "level": level, "marker": marker,
            "title": needle.split(". ", 1)[1], "role": role}


GOOD: dict[str, Any] = {
    "doc_id": DOC_ID,
    "text_file": f"corpus/raw/{DOC_ID}.txt",
    "text_sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
    "document": {"start": len(CHROME), "end": len(CHROME) + len(PLAN) - 1},
    "header": {"issuer": "Ủy ban nhân dân tỉnh Phú Thọ", "number": "12/KH-UBND",
               "title": "VỀ SẢN XUẤT BỀN VỮNG"},
    "sections": [section("I. MỤC TIÊU", 1, "I", "objectives"),
                 section("II. NHIỆM VỤ", 1, "II", "tasks")],
    "entities": [
        entity("e1", "LEGAL_REF", "Quyết định số 889/QĐ-TTg",
               {"id": "889/QĐ-TTg", "doc_type": "Quyết định"}),
        entity("e2", "DATE", "ngày 24/6/2020", {"date": "2020-06-24"}),
        entity("e3", "AGENCY", "Thủ tướng Chính phủ",
               {"canonical": "Thủ tướng Chính phủ", "group": False}),
        entity("e4", "PERCENT", "5- 8%", {"low": 5, "high": 8}),
        entity("e5", "DEADLINE", "đến năm 2030", {"date": "2030", "recurrence": None}),
        entity("e6", "AGENCY", "Sở Công Thương",
               {"canonical": "Sở Công Thương tỉnh Phú Thọ", "group": False}),
        entity("e7", "MONEY", "1,5 tỷ đồng", {"amount": 1_500_000_000, "currency": "VND"}),
    ],
    "items": [item("i1", "target", "Giảm 5- 8%", "đến năm 2030", values=["e4"], time=["e5"]),
              item("i2", "task", "Sở Công Thương chủ trì", "1,5 tỷ đồng", lead=["e6"],
                   budget=["e7"])],
    "legal_basis": ["e1"],
}


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository holding the tiny plan's text (annotations are written per test)."""
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    (raw / f"{DOC_ID}.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "annotations").mkdir()
    return tmp_path


def write(repo: Path, data: dict[str, Any], name: str = DOC_ID) -> Path:
    path = repo / "annotations" / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def ent(data: dict[str, Any], eid: str) -> dict[str, Any]:
    return next(e for e in data["entities"] if e["id"] == eid)


def test_validate_the_gold_annotations_have_no_problems() -> None:
    problems = validate_dir(ANNOTATIONS)
    assert problems == [], "\n".join(str(p) for p in problems)


def test_validate_the_tiny_plan_is_valid(repo: Path) -> None:
    assert validate_file(write(repo, GOOD)) == []


def test_validate_problem_reads_file_offset_message() -> None:
    problem = Problem("annotations/x.json", 1234, "entity e12 text 'Sở' != text[1234:1236] 'Số'")
    assert str(problem) == "annotations/x.json @1234: entity e12 text 'Sở' != text[1234:1236] 'Số'"
    assert str(Problem("annotations/x.json", None, "not valid JSON")) == (
        "annotations/x.json: not valid JSON")


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``value`` at a path: "entities.e6.text", "sections.0.role"..."""
    def mutate(data: dict[str, Any]) -> None:
        *parents, key = path.split(".")
        node: Any = data
        for part in parents:
            node = _child(node, part)
        node[key] = value
    return mutate


def _child(node: Any, part: str) -> Any:
    """A key of a dict, an index of a list, or the list member with that id."""
    if not isinstance(node, list):
        return node[part]
    return node[int(part)] if part.isdigit() else next(x for x in node if x["id"] == part)


def _delete(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.pop(key)


def _overlapping_entity(data: dict[str, Any]) -> None:
    data["entities"].append(entity("e8", "AGENCY", "Sở Công",
                                   {"canonical": "Sở Công Thương tỉnh Phú Thọ", "group": False}))


def _entity_in_chrome(data: dict[str, Any]) -> None:
    data["entities"].append(entity("e8", "QUANTITY", "Bộ", {"low": 1, "high": 1}))


def _duplicate_id(data: dict[str, Any]) -> None:
    ent(data, "e7")["id"] = "e6"


def _overlapping_items(data: dict[str, Any]) -> None:
    data["items"].append(item("i3", "task", "kinh phí", "1,5 tỷ đồng"))


def _untrimmed_entity(data: dict[str, Any]) -> None:
    e6 = ent(data, "e6")
    e6["end"] += 1
    e6["text"] = "Sở Công Thương "


E6 = at("Sở Công Thương")[0]
I2 = at("Sở Công Thương chủ trì")[0]

CASES = [
    # (id, mutation, expected problem: offset, message fragment)
    ("entity-text", _set("entities.e6.text", "Số Công Thương"),
     (E6, f"entity e6 text 'Số Công Thương' != text[{E6}:{E6 + 14}] 'Sở Công Thương'")),
    ("sha256", _set("text_sha256", "0" * 64),
     (None, f"text_sha256 000000000000… != sha256 of corpus/raw/{DOC_ID}.txt")),
    ("missing-key", _delete("header"), (None, "file lacks key 'header'")),
    ("unknown-key", _set("comment", "x"), (None, "file has unknown key 'comment'")),
    ("doc-id", _set("doc_id", "other"),
     (None, f"doc_id 'other' does not match the file name '{DOC_ID}.json'")),
    ("missing-text", _set("text_file", "corpus/raw/none.txt"),
     (None, "text_file 'corpus/raw/none.txt' not found")),
    ("label", _set("entities.e6.label", "ORG"), (E6, "entity e6 label 'ORG' is not one of")),
    ("out-of-range", _set("entities.e7.end", 10_000), (None, "entity e7 span [")),
    ("outside-document", _entity_in_chrome, (0, "entity e8 [0, 2) lies outside the document")),
    ("overlap", _overlapping_entity, (E6, "entity e8 [")),
    ("duplicate-id", _duplicate_id, (None, "duplicate entity id e6")),
    ("untrimmed", _untrimmed_entity,
     (E6, "entity e6 span 'Sở Công Thương ' starts or ends with a space")),
    ("unknown-ref", _set("items.i2.lead", ["e99"]),
     (I2, "item i2 lead refers to unknown entity 'e99'")),
    ("role-label", _set("items.i2.budget", ["e6"]),
     (I2, "item i2 budget refers to e6 labelled AGENCY (allowed: MONEY)")),
    ("repeated-ref", _set("items.i2.lead", ["e6", "e6"]), (I2, "item i2 lead lists e6 twice")),
    ("basis-label", _set("legal_basis", ["e3"]),
     (None, "legal_basis refers to e3 labelled AGENCY (allowed: LEGAL_REF)")),
    ("item-kind", _set("items.i2.kind", "goal"), (I2, "item i2 kind 'goal' is not one of")),
    ("item-theme", _set("items.i2.theme", "climate"), (I2, "item i2 theme 'climate' is not")),
    ("item-overlap", _overlapping_items, (None, "item i3 [")),
    ("section-role", _set("sections.0.role", None),
     (at("I. MỤC TIÊU")[0], "section 'I' is level 1 and needs a role")),
    ("section-level", _set("sections.1.level", 2),
     (None, "section 'II' is level 2 but has role 'tasks'")),
    ("header-date", _set("header.date", "23/8/2021"),
     (None, "header date '23/8/2021' is not an ISO date YYYY-MM-DD")),
    ("header-field", _set("header.author", "x"), (None, "header has unknown field 'author'")),
    ("range", _set("entities.e4.value", {"low": 8, "high": 5}),
     (None, "entity e4 PERCENT value low 8 > high 5")),
    ("money-type", _set("entities.e7.value", {"amount": "1,5", "currency": "VND"}),
     (None, "entity e7 MONEY value amount '1,5' is not an integer or a number")),
    ("deadline-date", _set("entities.e5.value", {"date": "2030-13", "recurrence": None}),
     (None, "entity e5 DEADLINE value date '2030-13' is not an ISO date")),
    ("recurrence", _set("entities.e5.value", {"date": None, "recurrence": "yearly"}),
     (None, "recurrence 'yearly' is not an ISO duration")),
    ("empty-deadline", _set("entities.e5.value", {"date": None, "recurrence": None}),
     (None, "entity e5 DEADLINE value has neither date nor recurrence")),
    ("date-no-day", _set("entities.e2.value", {"date": "2020-06"}),
     (None, "entity e2 DATE value date '2020-06' is not YYYY-MM-DD or XXXX-MM-DD")),
    ("agency-null", _set("entities.e6.value", {"canonical": None, "group": False}),
     (None, "entity e6 AGENCY value canonical is null for a single agency")),
    ("value-key", _set("entities.e1.value", {"id": "889/QĐ-TTg"}),
     (None, "entity e1 LEGAL_REF value lacks 'doc_type'")),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validate_reports_the_broken_thing(repo: Path, mutate: Callable[[dict[str, Any]], None],
                                           expected: tuple[int | None, str]) -> None:
    data = copy.deepcopy(GOOD)
    mutate(data)
    problems = validate_file(write(repo, data))
    offset, fragment = expected
    hits = [p for p in problems if fragment in p.message]
    assert hits, "\n".join(str(p) for p in problems)
    if offset is not None:
        assert hits[0].offset == offset


@pytest.mark.parametrize("value", [
    {"date": "XXXX-06-05", "recurrence": None},
    {"date": "XXXX-11", "recurrence": None},
    {"date": "XXXX-XX-16", "recurrence": "P1M"},
    {"date": "XXXX-12-15", "recurrence": "P1Y"},
    {"date": None, "recurrence": "P6M"},
    {"date": "2024-06-15", "recurrence": None},
])
def test_validate_accepts_the_guides_deadline_values(repo: Path, value: dict[str, Any]) -> None:
    data = copy.deepcopy(GOOD)
    ent(data, "e5")["value"] = value
    assert validate_file(write(repo, data)) == []


def test_validate_reports_every_problem_at_once(repo: Path) -> None:
    data = copy.deepcopy(GOOD)
    ent(data, "e6")["text"] = "Số Công Thương"
    ent(data, "e4")["value"] = {"low": 8, "high": 5}
    data["legal_basis"] = ["e99"]
    messages = [p.message for p in validate_file(write(repo, data))]
    assert len(messages) == 3, messages


def test_validate_reports_invalid_json(repo: Path) -> None:
    path = repo / "annotations" / "broken.json"
    path.write_text('{"doc_id": ', encoding="utf-8")
    (problem,) = validate_file(path)
    assert problem.offset is None and problem.message.startswith("not valid JSON")


def test_validate_dir_names_each_file(repo: Path) -> None:
    write(repo, GOOD)
    broken = copy.deepcopy(GOOD)
    ent(broken, "e6")["text"] = "Số Công Thương"
    write(repo, {**broken, "doc_id": "second"}, name="second")
    problems = validate_dir(repo / "annotations")
    assert [Path(p.file).name for p in problems] == ["second.json"]
    assert str(problems[0]).startswith(f"{repo / 'annotations' / 'second.json'} @{E6}: entity e6")
