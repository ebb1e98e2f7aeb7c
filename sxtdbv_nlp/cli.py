"""The ``sxtdbv`` command line: extract, evaluate, validate.

Errors are printed as one line on stderr with a non-zero exit code; ``--debug`` shows
the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from sxtdbv_nlp import __version__
from sxtdbv_nlp.errors import SxtdbvError
from sxtdbv_nlp.pipeline import analyze_file
from sxtdbv_nlp.types import PlanDocument

__all__ = ["main"]

FORMATS = ("json", "jsonl")
EXIT_ERROR = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sxtdbv`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except (SxtdbvError, OSError) as exc:
        if args.debug:
            raise
        print(f"sxtdbv: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sxtdbv",
        description="Information extraction from Vietnamese administrative plans (SX&TDBV).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    ext = sub.add_parser("extract", help="analyse plan files and write one result per plan",
                         description="Analyse plan files (or every .txt in a folder) and write "
                                     "results in the annotation schema.")
    ext.add_argument("paths", nargs="+", type=Path, help="plan files or folders of .txt files")
    ext.add_argument("-o", "--out", type=Path, default=Path("out"), help="output folder (default: out)")
    ext.add_argument("--format", choices=FORMATS, default="json",
                     help="json: one file per plan; jsonl: one line per plan in plans.jsonl")
    ext.add_argument("--summary", action="store_true", help="print a readable summary per plan")
    ext.set_defaults(func=_cmd_extract)

    ev = sub.add_parser("evaluate", help="score predictions (or the library itself) against gold files",
                        description="Score against gold annotations with the rules of the annotation "
                                    "guide §6: entities, values, items and links, headings, header, "
                                    "legal basis.")
    ev.add_argument("--gold", type=Path, default=Path("annotations"),
                    help="gold folder (default: annotations)")
    ev.add_argument("--pred", type=Path,
                    help="predictions folder; without it the library analyses the gold texts")
    ev.add_argument("--json", type=Path, dest="json_out", help="also write the full report as JSON")
    ev.add_argument("--cv", choices=("lodo",), help="leave-one-document-out for trained components")
    ev.set_defaults(func=_cmd_evaluate)

    va = sub.add_parser("validate", help="check annotation files against the guide's schema",
                        description="Check every annotation file: schema, text hash, offsets, overlaps, "
                                    "references, values, document bounds.")
    va.add_argument("folder", nargs="?", type=Path, default=Path("annotations"))
    va.set_defaults(func=_cmd_validate)
    return parser


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from sxtdbv_nlp.evaluate import evaluate_dirs

    report = evaluate_dirs(args.gold, args.pred, cv=args.cv)
    print(report.format_table())
    if args.json_out:
        args.json_out.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from sxtdbv_nlp.validate import validate_dir

    problems = validate_dir(args.folder)
    for problem in problems:
        print(problem)
    files = len(list(args.folder.glob("*.json")))
    print(f"{files} files, {len(problems)} problems", file=sys.stderr)
    return EXIT_ERROR if problems else 0


def _iter_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.txt"))
        elif path.exists():
            yield path
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def _cmd_extract(args: argparse.Namespace) -> int:
    files = list(_iter_files(args.paths))
    if not files:
        raise FileNotFoundError(f"no .txt plan files in {', '.join(map(str, args.paths))}")
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    records: list[str] = []
    for path in _progress(files):
        try:
            doc = analyze_file(path)
        except SxtdbvError as exc:
            failures += 1
            print(f"sxtdbv: {path}: {exc}", file=sys.stderr)
            continue
        if args.format == "jsonl":
            records.append(json.dumps(doc.to_dict(), ensure_ascii=False))
        else:
            record = json.dumps(doc.to_dict(), ensure_ascii=False, indent=1)
            (args.out / f"{doc.doc_id}.json").write_text(record, encoding="utf-8")
        if args.summary:
            print(summarize(doc))
    if args.format == "jsonl":
        (args.out / "plans.jsonl").write_text("".join(r + "\n" for r in records), encoding="utf-8")
    print(f"{len(files) - failures} of {len(files)} plans written to {args.out}/", file=sys.stderr)
    return EXIT_ERROR if failures else 0


def _progress(files: list[Path]) -> Iterator[Path]:
    """Iterate with a progress bar on an interactive terminal."""
    if not sys.stderr.isatty() or len(files) < 2:
        return iter(files)
    from tqdm import tqdm

    return iter(tqdm(files, unit="plan", file=sys.stderr))


def summarize(doc: PlanDocument) -> str:
    """A readable multi-line summary of one analysed plan."""
    h = doc.header
    labels = Counter(e.label for e in doc.entities)
    by_label = ", ".join(f"{k} {v}" for k, v in sorted(labels.items())) or "none"
    kinds = Counter(i.kind for i in doc.items)
    level1 = [s for s in doc.sections if s.level == 1]
    title = textwrap.shorten(h.title or "-", width=100, placeholder=" …")
    lines = [
        f"== {doc.doc_id}",
        f"   issuer   {h.issuer or '-'}",
        f"   number   {h.number or '-'}     date {h.date or '-'}     place {h.place or '-'}",
        f"   title    {title}",
        f"   signer   {h.signer or '-'}",
        f"   sections {len(doc.sections)} ({len(level1)} top-level: "
        + ", ".join(f"{s.marker or 'PL'} {s.role}" for s in level1) + ")",
        f"   tables   {len(doc.tables)} ({sum(len(t.data_rows) for t in doc.tables)} data rows)",
        f"   entities {len(doc.entities)} ({by_label})",
        f"   items    {len(doc.items)} ({kinds.get('task', 0)} tasks, {kinds.get('target', 0)} targets)",
    ]
    if doc.warnings:
        lines.append(f"   warnings {'; '.join(doc.warnings)}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
