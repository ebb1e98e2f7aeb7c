"""Check annotation files against the contract of ANNOTATION_GUIDE.md (§1-§5, §7).

Every check runs and every problem is reported, so one pass over a file lists all that
is wrong with it. Problems carry the file and, where there is one, the text offset:

>>> str(Problem("annotations/x.json", 1234, "entity e12 text 'Sở' != text[1234:1236] 'Số'"))
"annotations/x.json @1234: entity e12 text 'Sở' != text[1234:1236] 'Số'"
>>> validate_dir(Path("annotations"))  # doctest: +SKIP
[]
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sxtdbv_nlp.corpus import find_text_file
from sxtdbv_nlp.types import LABELS, ROLES, THEMES

__all__ = ["Problem", "validate_dir", "validate_file"]

ITEM_KINDS = ("task", "target")
HEADER_FIELDS = ("issuer", "number", "place", "date", "title", "signer")
#: Entity labels an item role or the legal basis may refer to (guide §4, §5).
ROLE_LABELS: Mapping[str, tuple[str, ...]] = {
    "lead": ("AGENCY",), "partners": ("AGENCY",), "budget": ("MONEY",),
    "time": ("DEADLINE", "PERIOD"), "values": ("PERCENT", "QUANTITY"),
    "legal_basis": ("LEGAL_REF",),
}
_LINK_ROLES = ("lead", "partners", "budget", "time", "values")

_NONE = type(None)
_SHAPES: Mapping[str, Mapping[str, tuple[type, ...]]] = {
    "file": {"doc_id": (str,), "text_file": (str,), "text_sha256": (str,), "document": (dict,),
             "header": (dict,), "sections": (list,), "entities": (list,), "items": (list,),
             "legal_basis": (list,)},
    "document": {"start": (int,), "end": (int,)},
    "section": {"start": (int,), "end": (int,), "level": (int,), "marker": (str,),
                "title": (str,), "role": (str, _NONE)},
    "entity": {"id": (str,), "start": (int,), "end": (int,), "label": (str,), "text": (str,),
               "value": (dict,)},
    "item": {"id": (str,), "kind": (str,), "start": (int,), "end": (int,), "theme": (str,),
             **{role: (list,) for role in _LINK_ROLES}},
}
_NUMBER = (int, float)
_VALUE_SHAPES: Mapping[str, Mapping[str, tuple[type, ...]]] = {
    "AGENCY": {"canonical": (str, _NONE), "group": (bool,)},
    "LEGAL_REF": {"id": (str,), "doc_type": (str, _NONE)},
    "MONEY": {"amount": _NUMBER, "currency": (str,)},
    "PERCENT": {"low": _NUMBER, "high": _NUMBER},
    "QUANTITY": {"low": _NUMBER, "high": _NUMBER},
    "DATE": {"date": (str,)},
    "DEADLINE": {"date": (str, _NONE), "recurrence": (str, _NONE)},
    "PERIOD": {"start": (str,), "end": (str,)},
}
#: Extra value keys the library may add (AGENCY resolution); allowed, never required.
_OPTIONAL_VALUE_KEYS: Mapping[str, Mapping[str, tuple[type, ...]]] = {
    "AGENCY": {"id": (str, _NONE), "successor": (str, _NONE)},
}

_PARTIAL_DATE = re.compile(r"(?P<y>\d{4}|XXXX)(?:-(?P<m>\d{2}|XX)(?:-(?P<d>\d{2}))?)?")
_DURATION = re.compile(r"P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Spaces, markup and punctuation are never at a span's ends (guide §1, §2, §7).
_BAD_FIRST = frozenset(" \t\r\n*_|#.,;:)")
_BAD_LAST = frozenset(" \t\r\n*_|#,;:(")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an annotation file; ``offset`` indexes its text, when known."""

    file: str
    offset: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.offset is None else f"{self.file} @{self.offset}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class _Context:
    """What the checks of one file share: its name, its text (None if unreadable), its bounds."""

    file: str
    text: str | None
    bounds: tuple[int, int] | None

    def problem(self, message: str, offset: int | None = None) -> Problem:
        return Problem(self.file, offset, message)


def validate_dir(path: Path) -> list[Problem]:
    """Validate every ``*.json`` file directly in ``path`` (texts found as in
    :func:`sxtdbv_nlp.corpus.find_text_file`)."""
    path = Path(path)
    if not path.is_dir():
        return [Problem(str(path), None, "not a directory")]
    files = sorted(path.glob("*.json"))
    if not files:
        return [Problem(str(path), None, "no annotation files (*.json) found")]
    return [p for f in files for p in validate_file(f)]


def validate_file(path: Path, *, root: Path | None = None) -> list[Problem]:
    """All problems of one annotation file; ``root``, when given, is the directory that
    ``text_file`` is relative to (default: found as in :func:`sxtdbv_nlp.corpus.find_text_file`)."""
    path = Path(path)
    data, problems = _load_json(path)
    if data is None:
        return problems
    problems += _shape(data, "file", "file", _Context(str(path), None, None))
    data = _usable(data)
    text, text_problems = _read_text(data, path, root)
    document = data["document"]
    ctx = _Context(str(path), text, None if document is None else _bounds(document))
    checks: Iterable[Problem] = (*text_problems, *_check_file_fields(data, path, ctx),
                                 *_check_sections(data["sections"], ctx),
                                 *_check_entities_and_links(data, ctx))
    return [*problems, *checks]


# ---------------------------------------------------------------- file level


def _load_json(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The parsed file, or None and the reason it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), None, f"cannot read file: {exc}")]
    except json.JSONDecodeError as exc:
        return None, [Problem(str(path), None, f"not valid JSON: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(str(path), None, f"top level is {type(data).__name__}, not an object")]
    return data, []


def _usable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level fields, with a missing or mistyped one (already reported) made empty,
    so the remaining checks still run."""
    spec = _SHAPES["file"]
    empty: dict[str, Any] = {"header": {}, "sections": [], "entities": [], "items": [],
                             "legal_basis": []}
    return {k: data[k] if k in data and _has_type(data[k], spec[k]) else empty.get(k)
            for k in spec}


def _read_text(data: Mapping[str, Any], path: Path, root: Path | None
               ) -> tuple[str | None, list[Problem]]:
    """The text the file indexes, checked against ``text_sha256``."""
    if data["text_file"] is None:
        return None, []
    text_path = find_text_file(data["text_file"], path, root)
    try:
        raw = text_path.read_bytes()
    except OSError:
        return None, [Problem(str(path), None, f"text_file {data['text_file']!r} not found "
                              f"(looked in {text_path.parent})")]
    problems = []
    digest = hashlib.sha256(raw).hexdigest()
    if data["text_sha256"] is not None and digest != data["text_sha256"]:
        problems.append(Problem(str(path), None, f"text_sha256 {data['text_sha256'][:12]}… != "
                                f"sha256 of {data['text_file']} {digest[:12]}…"))
    try:
        with open(text_path, encoding="utf-8", newline="") as fh:
            return fh.read(), problems
    except UnicodeDecodeError as exc:
        return None, [*problems, Problem(str(path), None, f"text_file is not UTF-8: {exc}")]


def _bounds(document: Mapping[str, Any]) -> tuple[int, int] | None:
    start, end = document.get("start"), document.get("end")
    if _is_int(start) and _is_int(end):
        return start, end
    return None


def _check_file_fields(data: Mapping[str, Any], path: Path, ctx: _Context) -> Iterator[Problem]:
    """doc_id, text_sha256, document bounds and header."""
    if data["doc_id"] is not None and data["doc_id"] != path.stem:
        yield ctx.problem(f"doc_id {data['doc_id']!r} does not match the file name {path.name!r}")
    if data["text_sha256"] is not None and not _SHA256.fullmatch(data["text_sha256"]):
        yield ctx.problem("text_sha256 is not 64 lowercase hex digits")
    if data["document"] is not None:
        yield from _shape(data["document"], "document", "document", ctx)
    if ctx.bounds is not None:
        start, end = ctx.bounds
        if not 0 <= start < end <= _text_len(ctx, end):
            yield ctx.problem(f"document [{start}, {end}) is out of range", start)
    yield from _check_header(data["header"], ctx)


def _check_header(header: Mapping[str, Any], ctx: _Context) -> Iterator[Problem]:
    """Known fields only, each a non-empty string (or null); ``date`` an ISO calendar date."""
    for key, value in header.items():
        if key not in HEADER_FIELDS:
            yield ctx.problem(f"header has unknown field {key!r} (allowed: {', '.join(HEADER_FIELDS)})")
        elif value is not None and (not isinstance(value, str) or not value.strip()):
            yield ctx.problem(f"header {key} must be a non-empty string or null, not {value!r}")
    hdate = header.get("date")
    if isinstance(hdate, str) and not _date_ok(hdate, full=True):
        yield ctx.problem(f"header date {hdate!r} is not an ISO date YYYY-MM-DD")


# ---------------------------------------------------------------- sections


def _check_sections(sections: list[Any], ctx: _Context) -> Iterator[Problem]:
    """Shape, span, level and role of every heading; headings do not overlap."""
    good = []
    for n, sec in enumerate(sections):
        shape = _shape(sec, "section", f"section #{n}", ctx)
        yield from shape
        if not shape:
            good.append(sec)
            yield from _check_section(sec, ctx)
    yield from _overlaps(good, "section", ctx)


def _check_section(sec: Mapping[str, Any], ctx: _Context) -> Iterator[Problem]:
    name = f"section {sec['marker'] or sec['title'][:20]!r}"
    yield from _span(sec, name, ctx, edges=True)
    if not 1 <= sec["level"] <= 4:
        yield ctx.problem(f"{name} level {sec['level']} is not 1-4", sec["start"])
    if sec["level"] == 1 and sec["role"] not in ROLES:
        yield ctx.problem(f"{name} is level 1 and needs a role in ({', '.join(ROLES)}), "
                          f"not {sec['role']!r}", sec["start"])
    if sec["level"] != 1 and sec["role"] is not None:
        yield ctx.problem(f"{name} is level {sec['level']} but has role {sec['role']!r}; "
                          "only level-1 sections have a role", sec["start"])
    span_text = _slice(ctx, sec["start"], sec["end"])
    if span_text is not None and not span_text.startswith(sec["marker"]):
        yield ctx.problem(f"{name} span {span_text[:30]!r} does not start with its marker",
                          sec["start"])


# ---------------------------------------------------------------- entities, items, links


def _check_entities_and_links(data: Mapping[str, Any], ctx: _Context) -> Iterator[Problem]:
    """Entities, then items and the legal basis, which refer to entities by id."""
    entities: dict[str, Mapping[str, Any]] = {}
    good = []
    for n, ent in enumerate(data["entities"]):
        shape = _shape(ent, "entity", f"entity #{n}", ctx)
        yield from shape
        if shape:
            continue
        if ent["id"] in entities:
            yield ctx.problem(f"duplicate entity id {ent['id']}", ent["start"])
        entities.setdefault(ent["id"], ent)
        good.append(ent)
        yield from _check_entity(ent, ctx)
    yield from _overlaps(good, "entity", ctx)
    yield from _check_items(data["items"], entities, ctx)
    yield from _check_refs("legal_basis", data["legal_basis"], entities, ctx, None)


def _check_entity(ent: Mapping[str, Any], ctx: _Context) -> Iterator[Problem]:
    name = f"entity {ent['id']}"
    yield from _span(ent, name, ctx, edges=True)
    actual = _slice(ctx, ent["start"], ent["end"])
    if actual is not None and actual != ent["text"]:
        yield ctx.problem(f"{name} text {ent['text']!r} != text[{ent['start']}:{ent['end']}] "
                          f"{actual!r}", ent["start"])
    if ent["label"] not in LABELS:
        yield ctx.problem(f"{name} label {ent['label']!r} is not one of {', '.join(LABELS)}",
                          ent["start"])
        return
    for message in _value_problems(ent["label"], ent["value"]):
        yield ctx.problem(f"{name} {ent['label']} value {message}", ent["start"])


def _check_items(items: list[Any], entities: Mapping[str, Mapping[str, Any]],
                 ctx: _Context) -> Iterator[Problem]:
    """Shape, span, kind, theme and links of every item; items do not overlap."""
    seen: set[str] = set()
    good = []
    for n, item in enumerate(items):
        shape = _shape(item, "item", f"item #{n}", ctx)
        yield from shape
        if shape:
            continue
        if item["id"] in seen:
            yield ctx.problem(f"duplicate item id {item['id']}", item["start"])
        seen.add(item["id"])
        good.append(item)
        yield from _check_item(item, entities, ctx)
    yield from _overlaps(good, "item", ctx)


def _check_item(item: Mapping[str, Any], entities: Mapping[str, Mapping[str, Any]],
                ctx: _Context) -> Iterator[Problem]:
    name = f"item {item['id']}"
    yield from _span(item, name, ctx, edges=False)
    if item["kind"] not in ITEM_KINDS:
        yield ctx.problem(f"{name} kind {item['kind']!r} is not one of {', '.join(ITEM_KINDS)}",
                          item["start"])
    if item["theme"] not in THEMES:
        yield ctx.problem(f"{name} theme {item['theme']!r} is not one of {', '.join(THEMES)}",
                          item["start"])
    for role in _LINK_ROLES:
        yield from _check_refs(role, item[role], entities, ctx, item)


def _check_refs(role: str, refs: list[Any], entities: Mapping[str, Mapping[str, Any]],
                ctx: _Context, item: Mapping[str, Any] | None) -> Iterator[Problem]:
    """Every id in ``refs`` exists once and has a label allowed for ``role``."""
    owner = role if item is None else f"item {item['id']} {role}"
    offset = None if item is None else item["start"]
    allowed = ROLE_LABELS[role]
    for n, ref in enumerate(refs):
        ent = entities.get(ref) if isinstance(ref, str) else None
        if ent is None:
            yield ctx.problem(f"{owner} refers to unknown entity {ref!r}", offset)
        elif ref in refs[:n]:
            yield ctx.problem(f"{owner} lists {ref} twice", offset)
        elif ent["label"] not in allowed:
            yield ctx.problem(f"{owner} refers to {ref} labelled {ent['label']} "
                              f"(allowed: {', '.join(allowed)})", offset)


# ---------------------------------------------------------------- values (guide §3, §7)


def _value_problems(label: str, value: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``value`` for an entity of ``label`` (empty when well-formed)."""
    shape = {**_VALUE_SHAPES[label], **_OPTIONAL_VALUE_KEYS.get(label, {})}
    problems = [f"has unknown key {k!r}" for k in value if k not in shape]
    problems += [f"lacks {k!r}" for k in _VALUE_SHAPES[label] if k not in value]
    problems += [f"{k} {value[k]!r} is not {_type_names(shape[k])}" for k in value
                 if k in shape and not _has_type(value[k], shape[k])]
    if problems:
        return problems
    return _VALUE_RULES[label](value)


def _agency(v: Mapping[str, Any]) -> list[str]:
    canonical = v["canonical"]
    if canonical is None:
        return [] if v["group"] else ["canonical is null for a single agency (group false)"]
    return [] if canonical == " ".join(canonical.split()) and canonical else [
        f"canonical {canonical!r} is empty or not single-spaced"]


def _legal_ref(v: Mapping[str, Any]) -> list[str]:
    ref_id = v["id"]
    if not ref_id.strip() or ref_id != ref_id.strip():
        return [f"id {ref_id!r} is empty or has outer spaces"]
    if "/" in ref_id and re.search(r"\s", ref_id):
        return [f"id {ref_id!r} keeps spaces inside a number-symbol"]
    return []


def _money(v: Mapping[str, Any]) -> list[str]:
    problems = [] if v["amount"] >= 0 else [f"amount {v['amount']} is negative"]
    if not _CURRENCY.fullmatch(v["currency"]):
        problems.append(f"currency {v['currency']!r} is not a 3-letter ISO code")
    return problems


def _range(v: Mapping[str, Any]) -> list[str]:
    return [] if v["low"] <= v["high"] else [f"low {v['low']} > high {v['high']}"]


def _date_value(v: Mapping[str, Any]) -> list[str]:
    return [] if _date_ok(v["date"], full=True) else [
        f"date {v['date']!r} is not YYYY-MM-DD or XXXX-MM-DD"]


def _deadline(v: Mapping[str, Any]) -> list[str]:
    problems = []
    if v["date"] is None and v["recurrence"] is None:
        problems.append("has neither date nor recurrence")
    if v["date"] is not None and not _date_ok(v["date"]):
        problems.append(f"date {v['date']!r} is not an ISO date (YYYY, YYYY-MM-DD, XXXX-MM-DD...)")
    if v["recurrence"] is not None and not _DURATION.fullmatch(v["recurrence"]):
        problems.append(f"recurrence {v['recurrence']!r} is not an ISO duration (P1Y, P6M...)")
    return problems


def _period(v: Mapping[str, Any]) -> list[str]:
    problems = [f"{k} {v[k]!r} is not an ISO year, year-month or date" for k in ("start", "end")
                if not _date_ok(v[k])]
    n = min(len(v["start"]), len(v["end"]))
    if not problems and v["start"][:n] > v["end"][:n] and "X" not in v["start"] + v["end"]:
        problems.append(f"start {v['start']} is after end {v['end']}")
    return problems


_VALUE_RULES = {
    "AGENCY": _agency, "LEGAL_REF": _legal_ref, "MONEY": _money, "PERCENT": _range,
    "QUANTITY": _range, "DATE": _date_value, "DEADLINE": _deadline, "PERIOD": _period,
}


def _date_ok(text: str, *, full: bool = False) -> bool:
    """An ISO date, year-month or year, "XXXX" for any year, "XX" for any month (guide §3, §7);
    ``full`` requires day and month."""
    m = _PARTIAL_DATE.fullmatch(text)
    if m is None:
        return False
    year, month, day = m["y"], m["m"], m["d"]
    if full and (day is None or month == "XX"):
        return False
    if month is None:
        return year != "XXXX"
    if month == "XX":
        return day is not None and 1 <= int(day) <= 31
    if day is None:
        return 1 <= int(month) <= 12
    try:
        date(2000 if year == "XXXX" else int(year), int(month), int(day))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- shared helpers


def _shape(obj: Any, kind: str, name: str, ctx: _Context) -> list[Problem]:
    """Required keys present, no unknown keys, each value of an allowed type."""
    if not isinstance(obj, dict):
        return [ctx.problem(f"{name} is {type(obj).__name__}, not an object")]
    spec = _SHAPES[kind]
    offset = obj.get("start") if _is_int(obj.get("start")) else None
    label = f"{name} ({obj['id']})" if isinstance(obj.get("id"), str) else name
    problems = [ctx.problem(f"{label} lacks key {k!r}", offset) for k in spec if k not in obj]
    problems += [ctx.problem(f"{label} has unknown key {k!r}", offset) for k in obj if k not in spec]
    problems += [ctx.problem(f"{label} {k} {obj[k]!r} is not {_type_names(spec[k])}", offset)
                 for k in spec if k in obj and not _has_type(obj[k], spec[k])]
    return problems


def _span(obj: Mapping[str, Any], name: str, ctx: _Context, *, edges: bool) -> Iterator[Problem]:
    """The span is non-empty, in range, inside the document proper and (``edges``) trimmed."""
    start, end = obj["start"], obj["end"]
    if not 0 <= start < end <= _text_len(ctx, end):
        yield ctx.problem(f"{name} span [{start}, {end}) is empty or out of range", start)
        return
    if ctx.bounds is not None and not ctx.bounds[0] <= start < end <= ctx.bounds[1]:
        yield ctx.problem(f"{name} [{start}, {end}) lies outside the document proper "
                          f"[{ctx.bounds[0]}, {ctx.bounds[1]})", start)
    text = _slice(ctx, start, end)
    if edges and text and (text[0] in _BAD_FIRST or text[-1] in _BAD_LAST):
        yield ctx.problem(f"{name} span {text!r} starts or ends with a space, markup or "
                          "punctuation", start)


def _overlaps(spans: list[Mapping[str, Any]], what: str, ctx: _Context) -> Iterator[Problem]:
    """One problem per span that overlaps an earlier one (in start order)."""
    ordered = sorted(spans, key=lambda s: (s["start"], s["end"]))
    widest: Mapping[str, Any] | None = None
    for span in ordered:
        if widest is not None and span["start"] < widest["end"]:
            yield ctx.problem(f"{what} {_name(span)} [{span['start']}, {span['end']}) overlaps "
                              f"{what} {_name(widest)} [{widest['start']}, {widest['end']})",
                              span["start"])
        if widest is None or span["end"] > widest["end"]:
            widest = span


def _name(obj: Mapping[str, Any]) -> str:
    return str(obj.get("id") or repr(obj.get("marker") or obj.get("title", "")[:20]))


def _slice(ctx: _Context, start: int, end: int) -> str | None:
    return None if ctx.text is None else ctx.text[start:end]


def _text_len(ctx: _Context, default: int) -> int:
    """Length of the text; when it is unknown, any ``end`` counts as in range."""
    return default if ctx.text is None else len(ctx.text)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _has_type(value: Any, types: tuple[type, ...]) -> bool:
    """isinstance, except that a bool is not an int or a float."""
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _type_names(types: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
             dict: "an object", list: "a list", _NONE: "null"}
    return " or ".join(names[t] for t in types)
