"""The sxtdbv command line."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import networkx as nx
import pytest

from sxtdbv_nlp import analyze_file, cli
from sxtdbv_nlp.cli import main


def test_extract_writes_one_json_per_plan_and_a_summary(tmp_path, capsys) -> None:
    rc = main(["extract", "corpus/raw/ninh-binh_87-KH-UBND_2020.txt",
               "corpus/raw/hau-giang_45-KH-UBND_2024.txt", "-o", str(tmp_path), "--summary"])
    assert rc == 0
    data = json.loads((tmp_path / "ninh-binh_87-KH-UBND_2020.json").read_text(encoding="utf-8"))
    assert data["header"]["number"] == "87/KH-UBND"
    out = capsys.readouterr().out
    assert "== hau-giang_45-KH-UBND_2024" in out and "Ủy ban nhân dân tỉnh Hậu Giang" in out


def test_extract_jsonl(tmp_path) -> None:
    assert main(["extract", "corpus/raw", "-o", str(tmp_path), "--format", "jsonl"]) == 0
    lines = (tmp_path / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9 and all(json.loads(ln)["doc_id"] for ln in lines)


def test_errors_are_one_line_with_nonzero_exit(tmp_path, capsys) -> None:
    assert main(["extract", str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("sxtdbv: error:")


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_written(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    rc = main(["extract", str(empty), "corpus/raw/ninh-binh_87-KH-UBND_2020.txt",
               "-o", str(tmp_path / "out")])
    assert rc == 1
    assert (tmp_path / "out" / "ninh-binh_87-KH-UBND_2020.json").exists()
    assert "empty.txt" in capsys.readouterr().err


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 2
    assert "extract" in capsys.readouterr().out


def test_validate_command_over_the_gold_folder(capsys) -> None:
    assert main(["validate", "annotations"]) == 0
    assert "0 problems" in capsys.readouterr().err


def test_evaluate_command_prints_a_table_and_writes_json(tmp_path, capsys) -> None:
    out = tmp_path / "report.json"
    assert main(["evaluate", "--gold", "annotations", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ENTITIES" in printed and "HEADER" in printed
    assert json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- output formats

TWO_PLANS = ["corpus/raw/ninh-binh_87-KH-UBND_2020.txt", "corpus/raw/hau-giang_45-KH-UBND_2024.txt"]
STEMS = [Path(p).stem for p in TWO_PLANS]


@pytest.fixture(scope="module")
def graphs() -> dict[str, nx.MultiDiGraph]:
    return {Path(p).stem: analyze_file(p).graph() for p in TWO_PLANS}


@pytest.mark.parametrize(("fmt", "names"), [
    ("json", ["{}.json"]),
    ("jsonl", []),
    ("graph-json", ["{}.graph.json"]),
    ("graphml", ["{}.graphml"]),
    ("csv", ["{}_nodes.csv", "{}_edges.csv"]),
])
def test_each_format_writes_its_files_and_nothing_else(tmp_path, fmt, names) -> None:
    assert main(["extract", *TWO_PLANS, "-o", str(tmp_path / "out"), "--format", fmt]) == 0
    expected = {n.format(stem) for stem in STEMS for n in names} or {"plans.jsonl"}
    assert {p.name for p in (tmp_path / "out").iterdir()} == expected


def test_graph_json_reads_back_as_the_plan_graph(tmp_path, graphs) -> None:
    assert main(["extract", *TWO_PLANS, "-o", str(tmp_path), "--format", "graph-json"]) == 0
    for stem, graph in graphs.items():
        data = json.loads((tmp_path / f"{stem}.graph.json").read_text(encoding="utf-8"))
        back = nx.node_link_graph(data, edges="edges")
        assert back.is_multigraph() and back.is_directed()
        assert set(back.nodes) == set(graph.nodes)
        assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))


def test_graphml_reads_back_with_node_types(tmp_path, graphs) -> None:
    assert main(["extract", TWO_PLANS[0], "-o", str(tmp_path), "-f", "graphml"]) == 0
    back = nx.read_graphml(tmp_path / f"{STEMS[0]}.graphml")
    graph = graphs[STEMS[0]]
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    assert {d["type"] for _, d in back.nodes(data=True)} == {d["type"] for _, d in graph.nodes(data=True)}


def test_csv_has_one_row_per_node_and_edge(tmp_path, graphs) -> None:
    assert main(["extract", TWO_PLANS[1], "-o", str(tmp_path), "-f", "csv"]) == 0
    graph = graphs[STEMS[1]]
    with open(tmp_path / f"{STEMS[1]}_nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(tmp_path / f"{STEMS[1]}_edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert {r["id"] for r in nodes} == set(graph.nodes) and len(nodes) == graph.number_of_nodes()
    assert len(edges) == graph.number_of_edges()
    assert {r["type"] for r in edges} <= {d["type"] for *_, d in graph.edges(data=True)}


def test_jsonl_lines_are_the_annotation_schema(tmp_path) -> None:
    assert main(["extract", *TWO_PLANS, "-o", str(tmp_path), "--format", "jsonl"]) == 0
    lines = (tmp_path / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(ln) for ln in lines] == [analyze_file(p).to_dict() for p in TWO_PLANS]


# ---------------------------------------------------------------- errors, help, progress


def test_two_inputs_with_the_same_doc_id_are_refused(tmp_path, capsys) -> None:
    (tmp_path / "a").mkdir()
    copy = tmp_path / "a" / Path(TWO_PLANS[0]).name
    copy.write_bytes(Path(TWO_PLANS[0]).read_bytes())
    assert main(["extract", TWO_PLANS[0], str(copy), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ninh-binh_87-KH-UBND_2020" in err[0]
    assert not (tmp_path / "out").exists()


def test_debug_after_the_command_shows_the_traceback(tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        main(["extract", str(tmp_path / "missing.txt"), "--debug"])


def test_an_interrupt_is_one_line_and_exit_130(tmp_path, monkeypatch, capsys) -> None:
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "analyze_file", interrupt)
    assert main(["extract", TWO_PLANS[0], "-o", str(tmp_path)]) == 130
    assert capsys.readouterr().err.strip() == "sxtdbv: interrupted"


@pytest.mark.parametrize("argv", [["--help"], ["extract", "--help"]], ids=["main", "extract"])
def test_help_shows_examples(argv, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "sxtdbv extract" in out
    if argv[0] == "extract":
        assert all(fmt in out for fmt in cli.FORMATS)


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("tty", [True, False], ids=["terminal", "pipe"])
def test_the_progress_bar_shows_only_on_a_terminal(tmp_path, monkeypatch, tty) -> None:
    stderr = _FakeTerminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["extract", *TWO_PLANS, "-o", str(tmp_path)]) == 0
    assert ("/2 [" in stderr.getvalue()) is tty
    assert stderr.getvalue().rstrip().endswith(f"2 of 2 plans written to {tmp_path}/ (json)")


def test_no_progress_turns_the_bar_off(tmp_path, monkeypatch) -> None:
    stderr = _FakeTerminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["extract", *TWO_PLANS, "-o", str(tmp_path), "--no-progress"]) == 0
    assert "/2 [" not in stderr.getvalue()
