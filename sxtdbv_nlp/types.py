"""The public result types: frozen dataclasses mirroring ANNOTATION_GUIDE.md §5.

``PlanDocument.to_dict()`` gives exactly the guide's JSON schema and
``PlanDocument.from_dict()`` reads it back, so a gold file and the library's output
are interchangeable. Offsets are always into the text the caller gave.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from sxtdbv_nlp.errors import AnnotationError

__all__ = [
    "LABELS",
    "ROLES",
    "THEMES",
    "AgencyValue",
    "DateValue",
    "DeadlineValue",
    "DocumentBounds",
    "DocumentPart",
    "Entity",
    "EntityValue",
    "Header",
    "Item",
    "LegalRefValue",
    "MoneyValue",
    "PeriodValue",
    "PlanDocument",
    "RangeValue",
    "Role",
    "Section",
    "Table",
    "TableCell",
    "TableRow",
]

LABELS = ("AGENCY", "LEGAL_REF", "MONEY", "PERCENT", "DATE", "DEADLINE", "PERIOD", "QUANTITY")
THEMES = (
    "policy", "resources", "cleaner_production", "distribution", "ecolabel", "procurement",
    "lifestyle", "waste", "awareness", "cooperation", "management", "other",
)


class Role(StrEnum):
    """Role of a level-1 section (ANNOTATION_GUIDE.md §5)."""

    PURPOSE = "purpose"
    VIEWPOINT = "viewpoint"
    OBJECTIVES = "objectives"
    TASKS = "tasks"
    BUDGET = "budget"
    ORGANIZATION = "organization"
    APPENDIX = "appendix"
    OTHER = "other"


ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class DocumentBounds:
    """Where the document proper lies in the text (site chrome excluded)."""

    start: int
    end: int


@dataclass(frozen=True)
class Header:
    """The header block: who issued the plan, its number, place, date, title and signer."""

    issuer: str | None = None
    number: str | None = None
    place: str | None = None
    date: str | None = None
    title: str | None = None
    signer: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Header:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Section:
    """A heading line: ``marker`` ("I", "1", "1.1", "a") and ``title``; role for level 1."""

    start: int
    end: int
    level: int
    marker: str
    title: str
    role: str | None = None
    part: int = 0  # index into PlanDocument.parts (a decision and its attached plan)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "level": self.level,
                "marker": self.marker, "title": self.title, "role": self.role}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Section:
        return cls(start=data["start"], end=data["end"], level=data["level"],
                   marker=data.get("marker", ""), title=data.get("title", ""),
                   role=data.get("role"))


@dataclass(frozen=True)
class DocumentPart:
    """One document inside the text: a decision, or the plan it approves, or a lone plan."""

    start: int
    end: int
    doc_type: str  # "Kế hoạch", "Quyết định", "Nghị quyết", ...


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableCell:
    """One cell; ``start``/``end`` cover its text without pipes or surrounding blanks."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TableRow:
    """A row of cells; ``kind`` is "header", "data", "group" (a heading row) or "total"."""

    cells: tuple[TableCell, ...]
    kind: str = "data"


@dataclass(frozen=True)
class Table:
    """An appendix or body table rebuilt from its flattened form.

    ``columns`` are the header texts; ``units`` the unit of each column when its header
    or the table caption gives one ("Triệu đồng"), else None; ``layout`` says which
    flattened form it was rebuilt from ("cell_per_line", "pipe", "markdown").
    """

    start: int
    end: int
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    units: tuple[str | None, ...] = ()
    caption: str | None = None
    layout: str = "cell_per_line"

    @property
    def data_rows(self) -> tuple[TableRow, ...]:
        return tuple(r for r in self.rows if r.kind == "data")

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame (cell texts, one column per header)."""
        import pandas as pd

        width = len(self.columns)
        body = [[c.text for c in r.cells] + [""] * (width - len(r.cells)) for r in self.rows
                if r.kind != "header"]
        frame = pd.DataFrame([row[:width] for row in body], columns=list(self.columns))
        frame.insert(0, "kind", [r.kind for r in self.rows if r.kind != "header"])
        return frame


# ---------------------------------------------------------------- entity values


@dataclass(frozen=True)
class AgencyValue:
    canonical: str | None
    group: bool = False
    id: str | None = None
    successor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"canonical": self.canonical, "group": self.group}
        if self.id is not None:
            out["id"] = self.id
        if self.successor is not None:
            out["successor"] = self.successor
        return out


@dataclass(frozen=True)
class LegalRefValue:
    id: str
    doc_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "doc_type": self.doc_type}


@dataclass(frozen=True)
class MoneyValue:
    amount: int | float
    currency: str = "VND"

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}


@dataclass(frozen=True)
class RangeValue:
    """PERCENT and QUANTITY: ``low`` == ``high`` for a single value."""

    low: int | float
    high: int | float

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}


@dataclass(frozen=True)
class DateValue:
    date: str

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date}


@dataclass(frozen=True)
class DeadlineValue:
    date: str | None = None
    recurrence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "recurrence": self.recurrence}


@dataclass(frozen=True)
class PeriodValue:
    start: str
    end: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


EntityValue = (AgencyValue | LegalRefValue | MoneyValue | RangeValue | DateValue
               | DeadlineValue | PeriodValue)

_VALUE_TYPES: dict[str, type] = {
    "AGENCY": AgencyValue, "LEGAL_REF": LegalRefValue, "MONEY": MoneyValue,
    "PERCENT": RangeValue, "QUANTITY": RangeValue, "DATE": DateValue,
    "DEADLINE": DeadlineValue, "PERIOD": PeriodValue,
}


def value_from_dict(label: str, data: Mapping[str, Any]) -> EntityValue:
    """Build the typed value of an entity of ``label`` from its JSON dict."""
    cls = _VALUE_TYPES.get(label)
    if cls is None:
        raise AnnotationError(f"unknown entity label {label!r}; expected one of {', '.join(LABELS)}")
    known = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in data.items() if k in known})
    except TypeError as exc:
        raise AnnotationError(f"bad {label} value {dict(data)!r}: {exc}") from None


@dataclass(frozen=True)
class Entity:
    """A labelled span with its normalised value; ``source`` names the recogniser that found it."""

    id: str
    start: int
    end: int
    label: str
    text: str
    value: EntityValue
    source: str = "gold"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "label": self.label,
                "text": self.text, "value": self.value.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entity:
        return cls(id=data["id"], start=data["start"], end=data["end"], label=data["label"],
                   text=data["text"], value=value_from_dict(data["label"], data.get("value") or {}),
                   source=data.get("source", "gold"))


_LINK_ROLES = ("lead", "partners", "budget", "time", "values")


@dataclass(frozen=True)
class Item:
    """A task or target, linked to entity ids by role (ANNOTATION_GUIDE.md §4)."""

    id: str
    kind: str
    start: int
    end: int
    theme: str | None = None
    lead: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    budget: tuple[str, ...] = ()
    time: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    theme_scores: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "start": self.start,
                               "end": self.end, "theme": self.theme}
        out.update({role: list(getattr(self, role)) for role in _LINK_ROLES})
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Item:
        links = {role: tuple(data.get(role) or ()) for role in _LINK_ROLES}
        return cls(id=data["id"], kind=data["kind"], start=data["start"], end=data["end"],
                   theme=data.get("theme"), **links)


# ---------------------------------------------------------------- the document


@dataclass(frozen=True)
class PlanDocument:
    """Everything the library extracts from one plan.

    ``text`` is the caller's text; every offset indexes it. ``warnings`` lists degraded
    states (no header found, no headings found...), never silently.
    """

    text: str
    doc_id: str | None = None
    text_file: str | None = None
    document: DocumentBounds | None = None
    header: Header = field(default_factory=Header)
    sections: tuple[Section, ...] = ()
    entities: tuple[Entity, ...] = ()
    items: tuple[Item, ...] = ()
    legal_basis: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    parts: tuple[DocumentPart, ...] = ()
    signature: DocumentBounds | None = None
    warnings: tuple[str, ...] = ()

    @property
    def text_sha256(self) -> str:
        """SHA-256 of the text as UTF-8: equal to the file's hash for BOM-less UTF-8 files."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def has_structure(self) -> bool:
        """False when neither a header nor any heading was recognised."""
        return bool(self.sections) or self.header.issuer is not None

    def graph(self) -> Any:
        """The plan graph as a ``networkx.MultiDiGraph`` (schema in :mod:`sxtdbv_nlp.graph`)."""
        from sxtdbv_nlp.graph import build_graph

        return build_graph(self)

    def tasks_frame(self) -> Any:
        """Tasks as a pandas DataFrame, one row per task (see :mod:`sxtdbv_nlp.frames`)."""
        from sxtdbv_nlp.frames import tasks_frame

        return tasks_frame(self)

    def targets_frame(self) -> Any:
        """Targets as a pandas DataFrame, one row per target with its values and horizon."""
        from sxtdbv_nlp.frames import targets_frame

        return targets_frame(self)

    def budget_frame(self) -> Any:
        """Budget lines as a pandas DataFrame: one row per (item, amount)."""
        from sxtdbv_nlp.frames import budget_frame

        return budget_frame(self)

    def entity(self, entity_id: str) -> Entity:
        """The entity with ``entity_id`` (KeyError if absent)."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def to_dict(self) -> dict[str, Any]:
        """The result in the annotation guide's JSON schema (§5)."""
        return {
            "doc_id": self.doc_id,
            "text_file": self.text_file,
            "text_sha256": self.text_sha256,
            "document": None if self.document is None else
            {"start": self.document.start, "end": self.document.end},
            "header": self.header.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "entities": [e.to_dict() for e in self.entities],
            "items": [i.to_dict() for i in self.items],
            "legal_basis": list(self.legal_basis),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], text: str) -> PlanDocument:
        """Read a gold or predicted annotation dict back; ``text`` is the plan it indexes."""
        try:
            doc = data.get("document")
            return cls(
                text=text,
                doc_id=data.get("doc_id"),
                text_file=data.get("text_file"),
                document=None if not doc else DocumentBounds(doc["start"], doc["end"]),
                header=Header.from_dict(data.get("header") or {}),
                sections=tuple(Section.from_dict(s) for s in data.get("sections") or ()),
                entities=tuple(Entity.from_dict(e) for e in data.get("entities") or ()),
                items=tuple(Item.from_dict(i) for i in data.get("items") or ()),
                legal_basis=tuple(data.get("legal_basis") or ()),
            )
        except (KeyError, TypeError) as exc:
            raise AnnotationError(f"annotation {data.get('doc_id')!r} is malformed: {exc!r}") from None
