"""The ``sxtdbv`` command line: extract, evaluate, validate, train.

Each command is added to the parser by one ``_add_<command>`` function and run by one
``_cmd_<command>`` function; a new command (``train``) adds its pair and one line in
:data:`COMMANDS`.

Errors are printed as one line on stderr with a non-zero exit code; ``--debug`` shows
the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sxtdbv_nlp import __version__
from sxtdbv_nlp.errors import SxtdbvError
from sxtdbv_nlp.pipeline import analyze_file
from sxtdbv_nlp.types import PlanDocument

__all__ = ["COMMANDS", "FORMATS", "main", "summarize"]

#: Output formats of ``extract`` and the files each writes in the output folder.
FORMATS = {
    "json": "<doc_id>.json: the annotation schema, one file per plan (default)",
    "jsonl": "plans.jsonl: the annotation schema, one line per plan",
    "graph-json": "<doc_id>.graph.json: the plan graph as networkx node-link JSON",
    "graphml": "<doc_id>.graphml: the plan graph as GraphML (Gephi, Cytoscape, yEd)",
    "csv": "<doc_id>_nodes.csv and <doc_id>_edges.csv: the plan graph as two tables",
}
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

MAIN_EPILOG = """\
examples:
  sxtdbv extract corpus/raw -o out --summary      analyse every plan, one JSON each
  sxtdbv extract plan.txt --format graphml -o g    the plan graph for Gephi
  sxtdbv evaluate --gold annotations               score the library on the gold files
  sxtdbv validate annotations                      check gold files against the schema
  sxtdbv train                                     rebuild models/ from the gold files

Run `sxtdbv COMMAND --help` for a command's options."""

EXTRACT_EPILOG = """\
formats (--format):
{formats}

examples:
  sxtdbv extract corpus/raw -o out                     one <doc_id>.json per plan
  sxtdbv extract corpus/raw --format jsonl -o out      out/plans.jsonl
  sxtdbv extract a.txt b.txt --format csv -o graphs    graphs/a_nodes.csv, graphs/a_edges.csv, ...
  sxtdbv extract corpus/raw --summary -o out           also print a readable summary per plan

A file that cannot be analysed (empty, binary, unknown encoding) is reported on one line
and skipped; the others are still written and the exit code is 1."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sxtdbv`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("sxtdbv: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (SxtdbvError, OSError) as exc:
        if args.debug:
            raise
        print(f"sxtdbv: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sxtdbv", epilog=MAIN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Information extraction from Vietnamese administrative plans (SX&TDBV).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks on errors")
    for _name, add in COMMANDS:
        add(sub, common)
    return parser


def _add_extract(sub: Any, common: argparse.ArgumentParser) -> None:
    formats = "\n".join(f"  {name:<11} {what}" for name, what in FORMATS.items())
    ext = sub.add_parser("extract", parents=[common], help="analyse plan files and write one result per plan",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog=EXTRACT_EPILOG.format(formats=formats),
                         description="Analyse plan files (or every .txt in a folder) and write the results:\n"
                                     "the annotation schema (JSON, JSONL) or the plan graph (node-link\n"
                                     "JSON, GraphML, CSV).")
    ext.add_argument("paths", nargs="+", type=Path, help="plan files or folders of .txt files")
    ext.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="DIR",
                     help="output folder, created if needed (default: out)")
    ext.add_argument("-f", "--format", choices=tuple(FORMATS), default="json",
                     help="output format (see below)")
    ext.add_argument("--summary", action="store_true", help="print a readable summary per plan on stdout")
    ext.add_argument("--themes", choices=("model", "keywords"), default="model",
                     help="item themes from the trained classifier (default) or the keyword "
                          "baseline (faster, no scikit-learn)")
    ext.add_argument("--no-progress", action="store_true",
                     help="no progress bar (it is shown only on a terminal anyway)")
    ext.set_defaults(func=_cmd_extract)


def _add_evaluate(sub: Any, common: argparse.ArgumentParser) -> None:
    ev = sub.add_parser("evaluate", parents=[common],
                        help="score predictions (or the library itself) against gold files",
                        description="Score against gold annotations with the rules of the annotation "
                                    "guide §6: entities, values, items and links, headings, header, "
                                    "legal basis.",
                        epilog="example: sxtdbv evaluate --gold annotations --json report.json")
    ev.add_argument("--gold", type=Path, default=Path("annotations"), metavar="DIR",
                    help="gold folder (default: annotations)")
    ev.add_argument("--pred", type=Path, metavar="DIR",
                    help="predictions folder; without it the library analyses the gold texts")
    ev.add_argument("--json", type=Path, dest="json_out", metavar="FILE",
                    help="also write the full report as JSON")
    ev.add_argument("--cv", choices=("lodo",), help="leave-one-document-out for trained components")
    ev.set_defaults(func=_cmd_evaluate)


def _add_validate(sub: Any, common: argparse.ArgumentParser) -> None:
    va = sub.add_parser("validate", parents=[common],
                        help="check annotation files against the guide's schema",
                        description="Check every annotation file: schema, text hash, offsets, overlaps, "
                                    "references, values, document bounds.",
                        epilog="example: sxtdbv validate annotations")
    va.add_argument("folder", nargs="?", type=Path, default=Path("annotations"))
    va.set_defaults(func=_cmd_validate)


def _add_train(sub: Any, common: argparse.ArgumentParser) -> None:
    tr = sub.add_parser("train", parents=[common], help="rebuild every model in models/ from the gold files",
                        description="Measure the theme, section-role and NER models on held-out plans "
                                    "(leave one document out), decide which ones the pipeline uses, "
                                    "train them on every plan and write them with their cards.",
                        epilog="example: sxtdbv train --gold annotations --seed 0")
    tr.add_argument("--gold", type=Path, default=Path("annotations"), metavar="DIR",
                    help="gold folder; texts are read from its parent (default: annotations)")
    tr.add_argument("--models", type=Path, metavar="DIR",
                    help="output folder (default: $SXTDBV_MODELS, else the checkout's models/)")
    tr.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    tr.add_argument("--jobs", type=int, metavar="N",
                    help="worker processes for the NER folds (default: up to 2)")
    tr.set_defaults(func=_cmd_train)


def _cmd_train(args: argparse.Namespace) -> int:
    import time

    from sxtdbv_nlp.models import models_dir
    from sxtdbv_nlp.train import train_all

    out = models_dir(args.models)
    command = f"sxtdbv train --gold {args.gold} --seed {args.seed}"
    if args.models is not None:
        command += f" --models {args.models}"
    start = time.perf_counter()
    cards = train_all(args.gold, out, seed=args.seed, jobs=args.jobs, command=command)
    for card in cards:
        status = "used by the pipeline" if card.shipped else "not used by the pipeline"
        print(f"{card.name}-{card.version}: {status}: {card.decision}")
    print(f"{len(cards)} models written to {out}/ in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


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


# ---------------------------------------------------------------- extract


def _iter_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.txt"))
        elif path.exists():
            yield path
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def _plan_files(paths: Sequence[Path]) -> list[Path]:
    """The input files; refused when there are none or two share a doc_id (file stem)."""
    files = list(_iter_files(paths))
    if not files:
        raise FileNotFoundError(f"no .txt plan files in {', '.join(map(str, paths))}")
    stems = Counter(f.stem for f in files)
    clashes = sorted(stem for stem, n in stems.items() if n > 1)
    if clashes:
        raise FileExistsError(f"several input files have the doc_id (file name) {clashes[0]!r}; "
                              "their outputs would overwrite each other")
    return files


def _write_json(doc: PlanDocument, out: Path) -> None:
    record = json.dumps(doc.to_dict(), ensure_ascii=False, indent=1)
    (out / f"{doc.doc_id}.json").write_text(record, encoding="utf-8")


def _write_graph_json(doc: PlanDocument, out: Path) -> None:
    from sxtdbv_nlp.graph import write_node_link

    write_node_link(doc.graph(), out / f"{doc.doc_id}.graph.json")


def _write_graphml(doc: PlanDocument, out: Path) -> None:
    from sxtdbv_nlp.graph import write_graphml

    write_graphml(doc.graph(), out / f"{doc.doc_id}.graphml")


def _write_csv(doc: PlanDocument, out: Path) -> None:
    from sxtdbv_nlp.graph import write_csv

    write_csv(doc.graph(), out, prefix=f"{doc.doc_id}_")


_WRITERS: dict[str, Callable[[PlanDocument, Path], None]] = {
    "json": _write_json, "graph-json": _write_graph_json, "graphml": _write_graphml, "csv": _write_csv,
}


@contextmanager
def _jsonl_sink(args: argparse.Namespace) -> Iterator[TextIO | None]:
    """plans.jsonl, open for the whole run, when the format is jsonl."""
    if args.format != "jsonl":
        yield None
        return
    with open(args.out / "plans.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        yield fh


def _cmd_extract(args: argparse.Namespace) -> int:
    files = _plan_files(args.paths)
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with _jsonl_sink(args) as sink, _progress(len(files), enabled=not args.no_progress) as bar:
        for path in files:
            try:
                doc = analyze_file(path, themes=args.themes)
            except SxtdbvError as exc:
                failures += 1
                bar.echo(f"sxtdbv: {path}: {_one_line(exc)}", sys.stderr)
                continue
            finally:
                bar.update()
            if sink is not None:
                sink.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            else:
                _WRITERS[args.format](doc, args.out)
            if args.summary:
                bar.echo(summarize(doc), sys.stdout)
    print(f"{len(files) - failures} of {len(files)} plans written to {args.out}/ ({args.format})",
          file=sys.stderr)
    return EXIT_ERROR if failures else 0


class _Bar:
    """A tqdm bar on an interactive stderr, else nothing; ``echo`` prints without breaking it."""

    def __init__(self, bar: Any = None) -> None:
        self.bar = bar

    def update(self) -> None:
        if self.bar is not None:
            self.bar.update()

    def echo(self, message: str, stream: TextIO) -> None:
        if self.bar is not None:
            self.bar.write(message, file=stream)
        else:
            print(message, file=stream)


@contextmanager
def _progress(total: int, *, enabled: bool = True) -> Iterator[_Bar]:
    """A progress bar over ``total`` plans, only when stderr is a terminal and there are several."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        yield _Bar()
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="plan", file=sys.stderr, leave=False) as bar:
        yield _Bar(bar)


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


#: The subcommands, in the order ``--help`` lists them: (name, function adding its parser).
COMMANDS: tuple[tuple[str, Callable[[Any, argparse.ArgumentParser], None]], ...] = (
    ("extract", _add_extract),
    ("evaluate", _add_evaluate),
    ("validate", _add_validate),
    ("train", _add_train),
)


if __name__ == "__main__":
    sys.exit(main())
