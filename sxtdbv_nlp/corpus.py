"""Corpus I/O: gold annotation files to every consumer (datasets, spaCy DocBin, brat).

The gold files (``annotations/<doc_id>.json``, ANNOTATION_GUIDE.md §5) are the single
source; this module reads them and converts them. Offsets are code points into the raw
text everywhere, and an entity that does not align with token boundaries is an error
naming the document and the offset, never silently dropped.

>>> corpus = load_corpus()  # doctest: +SKIP
>>> corpus["sentences"].features["ner_tags"].feature.names[:3]  # doctest: +SKIP
['O', 'B-AGENCY', 'I-AGENCY']
"""

from __future__ import annotations

import bisect
import json
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sxtdbv_nlp.errors import AnnotationError, SxtdbvWarning
from sxtdbv_nlp.text import trim_span
from sxtdbv_nlp.types import (
    LABELS,
    THEMES,
    Entity,
    EntityValue,
    PlanDocument,
    value_from_dict,
)

if TYPE_CHECKING:
    from datasets import DatasetDict, Features
    from spacy.language import Language

__all__ = [
    "BIO_TAGS",
    "REPO_ROOT",
    "Sentence",
    "blank_nlp",
    "from_brat",
    "load_annotations",
    "load_corpus",
    "read_annotation",
    "sentences",
    "to_brat",
    "to_docbin",
    "tokens",
]

#: The repository root when the library runs from its checkout: holds annotations/, corpus/.
REPO_ROOT = Path(__file__).resolve().parents[1]
#: spaCy's rule tokenizer for Vietnamese without pyvi (ENV_NOTES.md §3).
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}}
BIO_TAGS = ("O", *(f"{prefix}-{label}" for label in LABELS for prefix in "BI"))
HEADER_FIELDS = ("issuer", "number", "place", "date", "title", "signer")
LINK_ROLES = ("lead", "partners", "budget", "time", "values")

# A sentence ends at a line break, or after . ! ? … followed by white space.
_BREAK = re.compile(r"[ \t]*[\r\n]\s*|(?<=[.!?…])\s+")
#: The required value keys of each label, all None: the value of an entity with no note.
_UNKNOWN_VALUES: dict[str, dict[str, None]] = {
    "AGENCY": {"canonical": None}, "LEGAL_REF": {"id": None}, "MONEY": {"amount": None},
    "PERCENT": {"low": None, "high": None}, "QUANTITY": {"low": None, "high": None},
    "DATE": {"date": None}, "DEADLINE": {}, "PERIOD": {"start": None, "end": None},
}
_BRAT_ENTITY = re.compile(r"T(?P<num>\d+)\t(?P<label>\S+) (?P<offsets>[\d ;]+)\t(?P<text>.*)")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document proper: ``text[start:end]``, trimmed of white space."""

    start: int
    end: int


# ---------------------------------------------------------------- gold files


def find_text_file(text_file: str, annotation: Path, root: Path | None = None) -> Path:
    """Where an annotation's ``text_file`` is: under ``root`` when given, else under the
    first of the annotation folder's ancestors (or the working directory) that has it.

    "corpus/raw/x.txt" in ``annotations/x.json`` and "heldout/raw/y.txt" in
    ``heldout/annotations/y.json`` both resolve from the repository root.
    """
    if root is not None:
        return Path(root) / text_file
    bases = [*Path(annotation).resolve().parent.parents, Path.cwd()]
    for base in bases:
        if (base / text_file).is_file():
            return base / text_file
    return Path(annotation).resolve().parent.parent / text_file


def read_annotation(path: Path, *, root: Path | None = None) -> PlanDocument:
    """Read one gold (or prediction) file and the text it indexes (see :func:`find_text_file`)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        text_file = find_text_file(data["text_file"], path, root)
        with open(text_file, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnnotationError(f"{path}: cannot read annotation or its text: {exc!r}") from None
    return PlanDocument.from_dict(data, text)


def load_annotations(directory: Path) -> list[PlanDocument]:
    """Every ``*.json`` directly in ``directory``, sorted by name (texts from its parent)."""
    directory = Path(directory)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise AnnotationError(f"no annotation files (*.json) in {directory}")
    return [read_annotation(f) for f in files]


# ---------------------------------------------------------------- datasets


def load_corpus(root: Path = REPO_ROOT) -> DatasetDict:
    """The annotated corpus as a ``datasets.DatasetDict``, built locally and offline.

    Splits: ``documents`` (one row per plan: text, bounds, header, entities, sections,
    items, legal basis) and ``sentences`` (a sentence-level NER view of the document
    proper: spaCy rule tokens, their absolute character offsets, BIO ``ner_tags``).
    """
    docs = load_annotations(Path(root) / "annotations")
    ds = _datasets()
    documents = ds.Dataset.from_list([_document_row(d) for d in docs],
                                     features=_document_features())
    rows = [row for d in docs for row in _sentence_rows(d)]
    sents = ds.Dataset.from_list(rows, features=_sentence_features())
    return ds.DatasetDict(documents=documents, sentences=sents)


def _datasets() -> Any:
    """Import ``datasets`` with the hub switched off (ENV_NOTES.md §4)."""
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    return datasets


def _document_features() -> Features:
    ds = _datasets()
    string, int32 = ds.Value("string"), ds.Value("int32")
    return ds.Features({
        "doc_id": string, "text": string, "document_start": int32, "document_end": int32,
        "header": {f: string for f in HEADER_FIELDS},
        "entities": ds.List({"id": string, "start": int32, "end": int32,
                             "label": ds.ClassLabel(names=list(LABELS)), "text": string,
                             "value": string}),
        "sections": ds.List({"start": int32, "end": int32, "level": ds.Value("int8"),
                             "marker": string, "title": string, "role": string}),
        "items": ds.List({"id": string, "kind": ds.ClassLabel(names=["task", "target"]),
                          "start": int32, "end": int32, "theme": ds.ClassLabel(names=list(THEMES)),
                          **{role: ds.List(string) for role in LINK_ROLES}}),
        "legal_basis": ds.List(string),
    })


def _sentence_features() -> Features:
    ds = _datasets()
    int32 = ds.Value("int32")
    return ds.Features({
        "doc_id": ds.Value("string"), "start": int32, "end": int32, "text": ds.Value("string"),
        "tokens": ds.List(ds.Value("string")), "token_starts": ds.List(int32),
        "token_ends": ds.List(int32), "ner_tags": ds.List(ds.ClassLabel(names=list(BIO_TAGS))),
    })


def _document_row(doc: PlanDocument) -> dict[str, Any]:
    """A ``documents`` row; entity values are JSON strings (their keys differ by label)."""
    data = doc.to_dict()
    for ent in data["entities"]:
        ent["value"] = json.dumps(ent["value"], ensure_ascii=False)
    bounds = _bounds(doc)
    return {"doc_id": doc.doc_id, "text": doc.text, "document_start": bounds[0],
            "document_end": bounds[1], "header": data["header"], "entities": data["entities"],
            "sections": data["sections"], "items": data["items"],
            "legal_basis": data["legal_basis"]}


def _bounds(doc: PlanDocument) -> tuple[int, int]:
    return (0, len(doc.text)) if doc.document is None else (doc.document.start, doc.document.end)


# ---------------------------------------------------------------- sentences and tokens


def sentences(doc: PlanDocument) -> list[Sentence]:
    """Sentences of the document proper: split at line breaks and after . ! ? …, then merged
    wherever a gold entity would be cut (a span wrapped over two lines stays whole)."""
    start, end = _bounds(doc)
    pieces, pos = [], start
    for m in _BREAK.finditer(doc.text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    trimmed = [trim_span(doc.text, s, e) for s, e in pieces]
    return _merge([Sentence(s, e) for s, e in trimmed if s < e], doc.entities)


def _merge(sents: list[Sentence], entities: Sequence[Entity]) -> list[Sentence]:
    """Join a sentence with the next one when an entity runs across the boundary."""
    inside = {p for e in entities for p in range(e.start + 1, e.end)}
    merged: list[Sentence] = []
    for sent in sents:
        if merged and merged[-1].end in inside:
            merged[-1] = Sentence(merged[-1].start, sent.end)
        else:
            merged.append(sent)
    return merged


@lru_cache(maxsize=1)
def blank_nlp() -> Language:
    """A blank Vietnamese spaCy pipeline with the rule tokenizer (no pyvi, no download)."""
    import spacy

    return spacy.blank("vi", config=TOKENIZER_CONFIG)


def tokens(doc: PlanDocument) -> list[tuple[int, int]]:
    """Non-space spaCy tokens of the whole text as (start, end); raises
    :class:`AnnotationError` naming the document and offset if an entity cuts a token."""
    sdoc = blank_nlp().make_doc(doc.text)
    spans = [(t.idx, t.idx + len(t)) for t in sdoc if not t.is_space]
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for ent in doc.entities:
        if ent.start not in starts or ent.end not in ends:
            raise AnnotationError(f"{doc.doc_id} @{ent.start}: entity {ent.id} {ent.text!r} "
                                  "does not align with spaCy token boundaries")
    return spans


def _sentence_rows(doc: PlanDocument) -> list[dict[str, Any]]:
    """``sentences`` rows of one document, with BIO tags from its gold entities."""
    spans = tokens(doc)
    starts = [s for s, _ in spans]
    ents = sorted(doc.entities, key=lambda e: e.start)
    rows = []
    for sent in sentences(doc):
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        toks = spans[lo:hi]
        rows.append({"doc_id": doc.doc_id, "start": sent.start, "end": sent.end,
                     "text": doc.text[sent.start:sent.end],
                     "tokens": [doc.text[s:e] for s, e in toks],
                     "token_starts": [s for s, _ in toks], "token_ends": [e for _, e in toks],
                     "ner_tags": _bio(toks, ents)})
    return rows


def _bio(toks: Sequence[tuple[int, int]], ents: Sequence[Entity]) -> list[str]:
    """BIO tag of each token: B- on an entity's first token, I- on the rest, else O."""
    tags = ["O"] * len(toks)
    first = {s: i for i, (s, _) in enumerate(toks)}
    for ent in ents:
        i = first.get(ent.start)
        if i is None:
            continue
        tags[i] = f"B-{ent.label}"
        for j in range(i + 1, len(toks)):
            if toks[j][1] > ent.end:
                break
            tags[j] = f"I-{ent.label}"
    return tags


# ---------------------------------------------------------------- spaCy DocBin


def to_docbin(docs: Sequence[PlanDocument], path: Path) -> None:
    """Write the documents as a spaCy ``DocBin`` (whole text, entities as ``doc.ents``,
    ``user_data["doc_id"]``); an entity off token boundaries raises AnnotationError."""
    from spacy.tokens import DocBin

    nlp = blank_nlp()
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        sdoc = nlp.make_doc(doc.text)
        spans = []
        for ent in doc.entities:
            span = sdoc.char_span(ent.start, ent.end, label=ent.label)
            if span is None:
                raise AnnotationError(f"{doc.doc_id} @{ent.start}: entity {ent.id} {ent.text!r} "
                                      "does not align with spaCy token boundaries")
            spans.append(span)
        try:
            sdoc.ents = spans
        except ValueError as exc:
            raise AnnotationError(f"{doc.doc_id}: entities overlap: {exc}") from None
        sdoc.user_data["doc_id"] = doc.doc_id
        docbin.add(sdoc)
    docbin.to_disk(path)


# ---------------------------------------------------------------- brat standoff


def to_brat(doc: PlanDocument, out_dir: Path) -> tuple[Path, Path]:
    """Write ``<doc_id>.txt`` (the exact text) and ``<doc_id>.ann`` (one ``T`` line per entity,
    its value as JSON in an ``AnnotatorNotes`` line); returns both paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    txt, ann = out_dir / f"{doc.doc_id}.txt", out_dir / f"{doc.doc_id}.ann"
    with open(txt, "w", encoding="utf-8", newline="") as fh:
        fh.write(doc.text)
    lines = []
    for num, ent in zip(_brat_numbers(doc.entities), doc.entities, strict=True):
        lines.append(f"T{num}\t{ent.label} {ent.start} {ent.end}\t{_one_line(ent.text)}")
        note = json.dumps(ent.value.to_dict(), ensure_ascii=False)
        lines.append(f"#{num}\tAnnotatorNotes T{num}\t{note}")
    with open(ann, "w", encoding="utf-8", newline="") as fh:
        fh.write("".join(line + "\n" for line in lines))
    return txt, ann


def _brat_numbers(entities: Sequence[Entity]) -> list[int]:
    """T numbers: N for ids "eN" when all ids have that form (ids survive a round trip),
    else 1, 2, 3..."""
    nums = [int(e.id[1:]) if re.fullmatch(r"e\d+", e.id) else -1 for e in entities]
    if -1 in nums or len(set(nums)) != len(nums):
        return list(range(1, len(entities) + 1))
    return nums


def _one_line(text: str) -> str:
    """A span's text as brat stores it on one line: line breaks and tabs as spaces."""
    return re.sub(r"[\r\n\t]", " ", text)


def from_brat(txt_path: Path, ann_path: Path) -> PlanDocument:
    """Read a brat ``.txt``/``.ann`` pair (entities and their JSON ``AnnotatorNotes`` values).

    Offsets are code points into the ``.txt`` read without newline translation. A
    discontinuous span or an unknown label raises :class:`AnnotationError`. An entity with
    no JSON note gets a value whose fields are all None (it then scores as a wrong value).
    """
    with open(txt_path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    found: dict[int, tuple[str, int, int, str]] = {}
    notes: dict[int, dict[str, Any]] = {}
    ann_lines = Path(ann_path).read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(ann_lines, 1):
        where = f"{ann_path}:{lineno}"
        if line.startswith("T"):
            num, ent = _brat_entity(line, text, where)
            found[num] = ent
        elif line.startswith("#"):
            notes.update(_brat_note(line, where))
        elif line.strip():
            warnings.warn(f"{where}: only entities (T) and notes (#) are read; skipped "
                          f"{line[:40]!r}", SxtdbvWarning, stacklevel=2)
    entities = [Entity(id=f"e{num}", start=s, end=e, label=label, text=span,
                       value=_brat_value(label, notes.get(num), f"{ann_path}: T{num}"))
                for num, (label, s, e, span) in found.items()]
    entities.sort(key=lambda e: (e.start, e.end))
    return PlanDocument(text=text, doc_id=Path(txt_path).stem, text_file=str(txt_path),
                        entities=tuple(entities))


def _brat_entity(line: str, text: str, where: str) -> tuple[int, tuple[str, int, int, str]]:
    """Parse a ``T`` line, checking label, contiguity, range and the quoted text."""
    m = _BRAT_ENTITY.fullmatch(line)
    if m is None:
        raise AnnotationError(f"{where}: malformed entity line {line[:60]!r}")
    if ";" in m["offsets"]:
        raise AnnotationError(f"{where}: T{m['num']} has a discontinuous span {m['offsets']!r}; "
                              "sxtdbv entities are contiguous (one start, one end)")
    if m["label"] not in LABELS:
        raise AnnotationError(f"{where}: T{m['num']} label {m['label']!r} is not one of "
                              f"{', '.join(LABELS)}")
    start, end = (int(x) for x in m["offsets"].split())
    span = text[start:end]
    if not 0 <= start < end <= len(text) or _one_line(span) != m["text"]:
        raise AnnotationError(f"{where}: T{m['num']} text {m['text']!r} != text[{start}:{end}] "
                              f"{span!r}")
    return int(m["num"]), (m["label"], start, end, span)


def _brat_note(line: str, where: str) -> dict[int, dict[str, Any]]:
    """``{T number: value}`` from an ``AnnotatorNotes`` line holding a JSON object; free-text
    notes (not starting with "{") are comments and give nothing."""
    parts = line.split("\t", 2)
    ref = parts[1].split() if len(parts) == 3 else []
    if len(ref) != 2 or ref[0] != "AnnotatorNotes" or not ref[1].startswith("T"):
        return {}
    if not parts[2].lstrip().startswith("{"):
        return {}
    try:
        value = json.loads(parts[2])
    except json.JSONDecodeError as exc:
        raise AnnotationError(f"{where}: note on {ref[1]} is not valid JSON: {exc}") from None
    return {int(ref[1][1:]): value}


def _brat_value(label: str, data: dict[str, Any] | None, where: str) -> EntityValue:
    """The typed value of a brat entity; all-None fields when it has no note."""
    try:
        if data is None:
            return value_from_dict(label, _UNKNOWN_VALUES[label])
        return value_from_dict(label, data)
    except AnnotationError as exc:
        raise AnnotationError(f"{where}: {exc}") from None
