"""The sxtdbv command line."""

from __future__ import annotations

import json

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
