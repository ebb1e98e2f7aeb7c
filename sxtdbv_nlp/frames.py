"""pandas views of analysed plans: tasks, targets, budget lines, and plans side by side.

>>> from sxtdbv_nlp import analyze_file  # doctest: +SKIP
>>> doc = analyze_file("corpus/raw/phu-tho_3737-KH-UBND_2021.txt")  # doctest: +SKIP
>>> doc.tasks_frame()[["lead", "budget_vnd", "time"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from sxtdbv_nlp.types import Entity, Item, PlanDocument

__all__ = ["PlanComparison", "agency_index", "budget_frame", "compare", "targets_frame", "tasks_frame"]

_YEAR = re.compile(r"(?:19|20)\d{2}")


def _name(ent: Entity) -> str:
    return getattr(ent.value, "canonical", None) or " ".join(ent.text.split())


def _texts(doc: PlanDocument, ids: Sequence[str]) -> list[str]:
    by_id = {e.id: e for e in doc.entities}
    return [" ".join(by_id[i].text.split()) for i in ids if i in by_id]


def _agencies(doc: PlanDocument, ids: Sequence[str]) -> list[str]:
    by_id = {e.id: e for e in doc.entities}
    return [_name(by_id[i]) for i in ids if i in by_id]


def _money(doc: PlanDocument, ids: Sequence[str], currency: str = "VND") -> float | None:
    by_id = {e.id: e for e in doc.entities}
    amounts = [by_id[i].value.amount for i in ids
               if i in by_id and getattr(by_id[i].value, "currency", None) == currency]
    return float(sum(amounts)) if amounts else None


def _horizon(doc: PlanDocument, ids: Sequence[str]) -> int | None:
    """The latest year among an item's times: "đến năm 2030" -> 2030, "2021-2025" -> 2025."""
    by_id = {e.id: e for e in doc.entities}
    years = [int(y) for i in ids if i in by_id
             for y in _YEAR.findall(" ".join(str(v) for v in by_id[i].value.to_dict().values()))]
    return max(years) if years else None


def _row(doc: PlanDocument, item: Item) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "item_id": item.id, "kind": item.kind, "theme": item.theme,
        "text": " ".join(doc.text[item.start:item.end].split()),
        "lead": "; ".join(_agencies(doc, item.lead)),
        "partners": "; ".join(_agencies(doc, item.partners)),
        "budget_vnd": _money(doc, item.budget),
        "time": "; ".join(_texts(doc, item.time)),
        "horizon": _horizon(doc, item.time),
        "values": "; ".join(_texts(doc, item.values)),
        "start": item.start, "end": item.end,
    }


def tasks_frame(doc: PlanDocument) -> pd.DataFrame:
    """One row per task: text, theme, lead and partners (canonical names), budget, time."""
    import pandas as pd

    rows = [_row(doc, i) for i in doc.items if i.kind == "task"]
    return pd.DataFrame(rows, columns=_COLUMNS)


def targets_frame(doc: PlanDocument) -> pd.DataFrame:
    """One row per target, with its first value's range (``low``, ``high``) and horizon year."""
    import pandas as pd

    by_id = {e.id: e for e in doc.entities}
    rows = []
    for item in doc.items:
        if item.kind != "target":
            continue
        row = _row(doc, item)
        first = next((by_id[i] for i in item.values if i in by_id), None)
        row.update(value_label=first.label if first else None,
                   low=getattr(first.value, "low", None) if first else None,
                   high=getattr(first.value, "high", None) if first else None)
        rows.append(row)
    return pd.DataFrame(rows, columns=[*_COLUMNS, "value_label", "low", "high"])


def budget_frame(doc: PlanDocument) -> pd.DataFrame:
    """One row per (item, amount): who leads it, how much, in which currency."""
    import pandas as pd

    by_id = {e.id: e for e in doc.entities}
    rows = []
    for item in doc.items:
        lead = "; ".join(_agencies(doc, item.lead))
        for eid in item.budget:
            if eid in by_id:
                ent = by_id[eid]
                rows.append({"doc_id": doc.doc_id, "item_id": item.id, "lead": lead,
                             "theme": item.theme, "amount": ent.value.amount,
                             "currency": ent.value.currency, "text": " ".join(ent.text.split())})
    return pd.DataFrame(rows, columns=["doc_id", "item_id", "lead", "theme", "amount", "currency", "text"])


_COLUMNS = ["doc_id", "item_id", "kind", "theme", "text", "lead", "partners", "budget_vnd", "time",
            "horizon", "values", "start", "end"]


_AGENCY_COLUMNS = ["agency", "agency_id", "successor", "doc_id", "role"]


def _agency_row(ent: Entity) -> tuple[str, str | None, str | None]:
    """(canonical name or, for an unnamed group, the text; resolver id; 2025 successor)."""
    return _name(ent), getattr(ent.value, "id", None), getattr(ent.value, "successor", None)


def _issuer_row(issuer: str) -> tuple[str, str | None, str | None]:
    """The issuer as the resolver names it ("UBND tỉnh Phú Thọ" -> its canonical name and id)."""
    from sxtdbv_nlp.resolve import resolve

    match = resolve(issuer)
    return (match.canonical, match.id, match.successor) if match else (issuer, None, None)


def agency_index(plans: Sequence[PlanDocument]) -> pd.DataFrame:
    """Which agency appears in which plan in which role, by resolved canonical name and id.

    Roles: ``issuer``, ``lead``, ``partner`` (from items) and ``mentioned`` (any AGENCY
    entity). One row per (agency, agency_id, successor, doc_id, role) with the number of
    occurrences. ``agency_id`` is the resolver's stable id ("so-cong-thuong@tinh-phu-tho"),
    None where it abstained or for a group the guide leaves unnamed; ``successor`` is the
    canonical name of the body holding the agency's functions since the 2025 reorganisation,
    None if it was not merged or renamed.
    """
    import pandas as pd

    rows = []
    for doc in plans:
        by_id = {e.id: e for e in doc.entities}
        if doc.header.issuer:
            rows.append((*_issuer_row(doc.header.issuer), doc.doc_id, "issuer"))
        for item in doc.items:
            for role, ids in (("lead", item.lead), ("partner", item.partners)):
                rows += [(*_agency_row(by_id[i]), doc.doc_id, role) for i in ids if i in by_id]
        rows += [(*_agency_row(e), doc.doc_id, "mentioned") for e in doc.entities if e.label == "AGENCY"]
    frame = pd.DataFrame(rows, columns=_AGENCY_COLUMNS)
    counts = frame.groupby(_AGENCY_COLUMNS, dropna=False, sort=False).size().rename("count").reset_index()
    return counts.sort_values(["agency", "doc_id", "role"], ignore_index=True)


@dataclass(frozen=True)
class PlanComparison:
    """Several plans side by side (all pandas DataFrames).

    ``overview``: one row per plan; ``targets``: every target of every plan;
    ``budgets``: total budget (VND) by lead agency and plan; ``agencies``: the agency index.
    """

    overview: Any
    targets: Any
    budgets: Any
    agencies: Any


def compare(plans: Sequence[PlanDocument]) -> PlanComparison:
    """Targets, budgets and agency roles of several plans side by side."""
    import pandas as pd

    overview = pd.DataFrame([{
        "doc_id": d.doc_id, "issuer": d.header.issuer, "number": d.header.number,
        "date": d.header.date, "sections": len(d.sections),
        "tasks": sum(i.kind == "task" for i in d.items),
        "targets": sum(i.kind == "target" for i in d.items),
        "budget_vnd": float(sum(e.value.amount for i in d.items for e in d.entities
                                if e.id in i.budget and getattr(e.value, "currency", "") == "VND")),
    } for d in plans])
    targets = pd.concat([targets_frame(d) for d in plans], ignore_index=True) if plans else pd.DataFrame()
    lines = pd.concat([budget_frame(d) for d in plans], ignore_index=True) if plans else pd.DataFrame()
    budgets = (lines[lines["currency"] == "VND"].pivot_table(index="lead", columns="doc_id",
                                                             values="amount", aggfunc="sum", fill_value=0)
               if len(lines) else pd.DataFrame())
    return PlanComparison(overview, targets, budgets, agency_index(plans))
