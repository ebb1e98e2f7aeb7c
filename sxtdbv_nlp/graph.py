"""The plan graph: a networkx MultiDiGraph of a plan, its items, agencies, money and times.

Node schema (every node has ``type``; ids are strings)

============  ================================  =======================================
type          id                                attributes
============  ================================  =======================================
plan          ``plan:<doc_id>``                 doc_id, issuer, number, date, title
legal         ``legal:<id>``                    legal_id, doc_type
agency        ``agency:<canonical or text>``    name, group (bool), agency_id, successor
item          ``item:<doc_id>:<item id>``       doc_id, kind, theme, text, start, end
amount        ``amount:<doc_id>:<entity id>``   amount, currency, text
time          ``time:<label>:<value>``          label (DEADLINE/PERIOD), value, text
value         ``value:<doc_id>:<entity id>``    label (PERCENT/QUANTITY), low, high, text
============  ================================  =======================================

Edge schema (edge ``key`` and attribute ``type`` are the relation; ``doc_id`` and, where
an entity supports it, ``entity_id`` are attributes): plan -cites-> legal (every legal
reference), plan -based_on-> legal (legal basis), plan -issued_by-> agency, item
-part_of-> plan, item -lead-> agency, item -partner-> agency, item -budget-> amount,
item -time-> time, item -value-> value.

Agencies and times are shared across plans (same canonical name, same normalised value),
so the union of several plans' graphs (:func:`union`) connects them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from sxtdbv_nlp.types import Entity, PlanDocument

__all__ = [
    "EDGE_TYPES",
    "NODE_TYPES",
    "build_graph",
    "union",
    "write_csv",
    "write_graphml",
    "write_node_link",
]

NODE_TYPES = ("plan", "legal", "agency", "item", "amount", "time", "value")
EDGE_TYPES = ("cites", "based_on", "issued_by", "part_of", "lead", "partner", "budget", "time", "value")
_ROLE_EDGES = {"lead": "lead", "partners": "partner", "budget": "budget", "time": "time", "values": "value"}


def build_graph(doc: PlanDocument) -> nx.MultiDiGraph:
    """The plan graph of one analysed (or gold) plan."""
    import networkx as nx

    g = nx.MultiDiGraph()
    doc_id = doc.doc_id or "plan"
    plan = f"plan:{doc_id}"
    h = doc.header
    g.add_node(plan, type="plan", doc_id=doc_id, issuer=h.issuer, number=h.number, date=h.date,
               title=h.title)
    if h.issuer:
        issuer = _issuer_node(g, h.issuer)
        g.add_edge(plan, issuer, key="issued_by", type="issued_by", doc_id=doc_id)
    by_id = {e.id: e for e in doc.entities}
    basis = set(doc.legal_basis)
    for ent in doc.entities:
        if ent.label == "LEGAL_REF":
            node = _legal_node(g, ent)
            g.add_edge(plan, node, key="cites", type="cites", doc_id=doc_id, entity_id=ent.id)
            if ent.id in basis:
                g.add_edge(plan, node, key="based_on", type="based_on", doc_id=doc_id, entity_id=ent.id)
    for item in doc.items:
        node = f"item:{doc_id}:{item.id}"
        g.add_node(node, type="item", doc_id=doc_id, kind=item.kind, theme=item.theme,
                   text=" ".join(doc.text[item.start:item.end].split()), start=item.start, end=item.end)
        g.add_edge(node, plan, key="part_of", type="part_of", doc_id=doc_id)
        for role, edge in _ROLE_EDGES.items():
            for eid in getattr(item, role):
                if eid in by_id:
                    target = _entity_node(g, doc_id, by_id[eid])
                    g.add_edge(node, target, key=edge, type=edge, doc_id=doc_id, entity_id=eid)
    return g


def _agency_node(g: Any, name: str, *, group: bool, ent: Entity | None = None) -> str:
    node = f"agency:{name}"
    if node not in g:
        value = ent.value if ent is not None else None
        g.add_node(node, type="agency", name=name, group=group,
                   agency_id=getattr(value, "id", None), successor=getattr(value, "successor", None))
    return node


def _issuer_node(g: Any, issuer: str) -> str:
    """The issuer's agency node, resolved so that it carries the agency's id and successor."""
    from sxtdbv_nlp.resolve import resolve

    match = resolve(issuer)
    name = match.canonical if match is not None else issuer
    node = _agency_node(g, name, group=False)
    if match is not None:
        g.nodes[node].update(agency_id=match.id, successor=match.successor)
    return node


def _legal_node(g: Any, ent: Entity) -> str:
    legal_id = getattr(ent.value, "id", ent.text)
    node = f"legal:{legal_id.casefold()}"
    if node not in g:
        g.add_node(node, type="legal", legal_id=legal_id, doc_type=getattr(ent.value, "doc_type", None))
    return node


def _entity_node(g: Any, doc_id: str, ent: Entity) -> str:
    """The node an item links to for ``ent``: an agency, amount, time or value."""
    text = " ".join(ent.text.split())
    if ent.label == "AGENCY":
        name = getattr(ent.value, "canonical", None) or text
        return _agency_node(g, name, group=bool(getattr(ent.value, "group", False)), ent=ent)
    if ent.label == "MONEY":
        node = f"amount:{doc_id}:{ent.id}"
        g.add_node(node, type="amount", amount=ent.value.amount, currency=ent.value.currency, text=text)
        return node
    if ent.label in ("DEADLINE", "PERIOD"):
        value = json.dumps(ent.value.to_dict(), sort_keys=True, ensure_ascii=False)
        node = f"time:{ent.label}:{value}"
        if node not in g:
            g.add_node(node, type="time", label=ent.label, value=value, text=text)
        return node
    node = f"value:{doc_id}:{ent.id}"
    g.add_node(node, type="value", label=ent.label, low=getattr(ent.value, "low", None),
               high=getattr(ent.value, "high", None), text=text)
    return node


def union(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """One graph of several plans; shared agencies, legal documents and times merge."""
    import networkx as nx

    out = nx.MultiDiGraph()
    for g in graphs:
        out.add_nodes_from(g.nodes(data=True))
        out.add_edges_from(g.edges(keys=True, data=True))
    return out


def write_node_link(g: nx.MultiDiGraph, path: Path) -> None:
    """Node-link JSON (networkx.node_link_data), readable back with node_link_graph."""
    import networkx as nx

    data = nx.node_link_data(g, edges="edges")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    """GraphML; None attributes are dropped since GraphML has no null."""
    import networkx as nx

    clean = g.__class__()
    clean.add_nodes_from((n, _scalars(d)) for n, d in g.nodes(data=True))
    clean.add_edges_from((u, v, k, _scalars(d)) for u, v, k, d in g.edges(keys=True, data=True))
    nx.write_graphml(clean, path, encoding="utf-8")


def write_csv(g: nx.MultiDiGraph, folder: Path, prefix: str = "") -> tuple[Path, Path]:
    """``<prefix>nodes.csv`` (id, type, attributes as JSON) and ``<prefix>edges.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes, edges = folder / f"{prefix}nodes.csv", folder / f"{prefix}edges.csv"
    with open(nodes, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "type", "attributes"])
        for n, d in g.nodes(data=True):
            rest = {k: v for k, v in d.items() if k != "type"}
            w.writerow([n, d.get("type"), json.dumps(rest, ensure_ascii=False)])
    with open(edges, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "target", "type", "doc_id", "entity_id"])
        for u, v, d in g.edges(data=True):
            w.writerow([u, v, d.get("type"), d.get("doc_id"), d.get("entity_id", "")])
    return nodes, edges


def _scalars(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if isinstance(v, str | int | float | bool)}
