"""The plan graph, its exports, the pandas views and the budget checks."""

from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from conftest import DOC_IDS, read_corpus_text, read_gold

from sxtdbv_nlp import analyze
from sxtdbv_nlp.budget import check_budget
from sxtdbv_nlp.frames import agency_index, compare
from sxtdbv_nlp.graph import EDGE_TYPES, NODE_TYPES, union, write_csv, write_graphml, write_node_link
from sxtdbv_nlp.types import PlanDocument


@pytest.fixture(scope="module")
def plans() -> dict[str, PlanDocument]:
    return {d: analyze(read_corpus_text(d), d) for d in DOC_IDS}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_graph_schema_and_invariants(plans, doc_id: str) -> None:
    doc = plans[doc_id]
    g = doc.graph()
    assert {d["type"] for _, d in g.nodes(data=True)} <= set(NODE_TYPES)
    assert {d["type"] for *_, d in g.edges(data=True)} <= set(EDGE_TYPES)
    ids = {e.id for e in doc.entities}
    for u, v, d in g.edges(data=True):
        assert u in g and v in g  # every endpoint exists
        if "entity_id" in d:
            assert d["entity_id"] in ids
    for item in doc.items:
        for role in ("lead", "partners", "budget", "time", "values"):
            assert set(getattr(item, role)) <= ids
    spans = sorted((i.start, i.end) for i in doc.items)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def _role_edges(g: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """(item text, relation, target) triples: comparable between gold and predicted graphs."""
    out = set()
    for u, v, d in g.edges(data=True):
        if d["type"] in ("lead", "partner"):
            out.add((g.nodes[u]["text"][:60], d["type"], v))
    return out


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_golden_graph_agency_roles_match_the_gold_graph(plans, doc_id: str) -> None:
    text = read_corpus_text(doc_id)
    gold = PlanDocument.from_dict(read_gold(doc_id), text).graph()
    pred = plans[doc_id].graph()
    g, p = _role_edges(gold), _role_edges(pred)
    f1 = 2 * len(g & p) / (len(g) + len(p)) if g or p else 1.0
    assert f1 >= 0.85, sorted(g ^ p)[:10]


def test_issuer_and_legal_basis_edges() -> None:
    doc = analyze(read_corpus_text("quang-ninh_141-KH-UBND_2020"), "quang-ninh_141-KH-UBND_2020")
    g = doc.graph()
    assert ("plan:quang-ninh_141-KH-UBND_2020", "agency:Ủy ban nhân dân tỉnh Quảng Ninh") in {
        (u, v) for u, v, k in g.edges(keys=True) if k == "issued_by"}
    based_on = [v for _, v, k in g.edges(keys=True) if k == "based_on"]
    assert based_on == ["legal:889/qđ-ttg"]


def test_exports_round_trip(plans, tmp_path) -> None:
    g = plans["phu-tho_3737-KH-UBND_2021"].graph()
    write_node_link(g, tmp_path / "g.json")
    back = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text(encoding="utf-8")), edges="edges")
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    write_graphml(g, tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_edges() == g.number_of_edges()
    _, edges = write_csv(g, tmp_path)
    assert len(edges.read_text(encoding="utf-8").splitlines()) == g.number_of_edges() + 1


def test_union_shares_legal_documents_and_agencies_across_plans(plans) -> None:
    g = union(p.graph() for p in plans.values())
    citing = {u for u, _, k in g.in_edges("legal:889/qđ-ttg", keys=True) if k == "based_on"}
    assert len(citing) >= 5  # the national programme most plans rest on
    assert sum(1 for n, d in g.nodes(data=True) if d["type"] == "plan") == len(plans)


def test_frames_and_comparison(plans) -> None:
    doc = plans["phu-tho_3737-KH-UBND_2021"]
    tasks = doc.tasks_frame()
    assert len(tasks) == sum(i.kind == "task" for i in doc.items)
    assert (tasks["lead"] == "Sở Công Thương tỉnh Phú Thọ").any()
    targets = doc.targets_frame()
    assert {"low", "high", "horizon"} <= set(targets.columns) and targets["horizon"].notna().any()
    assert doc.budget_frame()["amount"].sum() == 12_000_000_000  # the 17 appendix rows add up
    cmp = compare(list(plans.values()))
    assert len(cmp.overview) == len(DOC_IDS)
    assert "Sở Công Thương tỉnh Phú Thọ" in cmp.budgets.index
    index = agency_index(list(plans.values()))
    assert set(index["role"]) == {"issuer", "lead", "partner", "mentioned"}


def test_budget_findings_report_mismatches_with_offsets(plans) -> None:
    doc = plans["can-tho_160-KH-UBND_2022"]
    findings = check_budget(doc)
    stated = [f for f in findings if f.kind == "stated_total"]
    # the text states 13.233.000.000 đồng for 2022-2025; the appendix adds up to 12.593.000.000
    assert [(doc.text[f.start:f.end], f.computed, f.consistent) for f in stated] == [
        ("3.802.800.000 đồng", 3_642_800_000, False), ("13.233.000.000 đồng", 12_593_000_000, False)]
    assert sum(f.consistent for f in findings) > len(findings) / 2
    phu_tho = check_budget(plans["phu-tho_3737-KH-UBND_2021"])
    assert [(f.kind, f.consistent) for f in phu_tho] == [("stated_total", True)]
