"""Many plans at once: process pool, datasets.Dataset.map, Dask (sxtdbv_nlp.parallel)."""

from __future__ import annotations

import doctest
import json
import warnings

import pytest
from conftest import DOC_IDS, read_corpus_text

from sxtdbv_nlp import EmptyTextError, NoPlanStructureError, PlanDocument, SxtdbvWarning, analyze, parallel
from sxtdbv_nlp.parallel import analyze_bag, analyze_dataset, analyze_many, analyze_record

SMALL = ("ninh-binh_87-KH-UBND_2020", "hau-giang_45-KH-UBND_2024", "dak-lak_0130-KH-UBND_2025")


@pytest.fixture(scope="module")
def small_pairs() -> list[tuple[str, str]]:
    return [(doc_id, read_corpus_text(doc_id)) for doc_id in SMALL]


@pytest.fixture(scope="module")
def expected(small_pairs) -> dict[str, dict]:
    return {doc_id: analyze(text, doc_id).to_dict() for doc_id, text in small_pairs}


def test_analyze_many_in_process_equals_analyze_for_the_whole_corpus(corpus_texts) -> None:
    docs = analyze_many(corpus_texts.items())
    assert [d.doc_id for d in docs] == DOC_IDS
    assert all(d.to_dict() == analyze(corpus_texts[d.doc_id], d.doc_id).to_dict() for d in docs)


@pytest.mark.parametrize("chunksize", [None, 1, 5], ids=["default", "one", "five"])
def test_analyze_many_on_two_processes_keeps_input_order(small_pairs, expected, chunksize) -> None:
    items = [small_pairs[k % 3] for k in (2, 0, 1, 1, 2, 0, 0)]
    docs = analyze_many(items, n_process=2, chunksize=chunksize)
    assert [d.doc_id for d in docs] == [doc_id for doc_id, _ in items]
    assert [d.to_dict() for d in docs] == [expected[doc_id] for doc_id, _ in items]
    assert all(d.text == text for d, (_, text) in zip(docs, items, strict=True))


def test_bare_texts_have_no_doc_id(small_pairs) -> None:
    docs = analyze_many([text for _, text in small_pairs], n_process=2)
    assert [d.doc_id for d in docs] == [None, None, None]
    assert docs[0].header.number == "87/KH-UBND"


@pytest.mark.parametrize("n_process", [1, 2])
def test_the_first_failing_item_in_input_order_is_raised_with_its_index(small_pairs, n_process) -> None:
    items = [small_pairs[0], ("blank", "  \n "), small_pairs[1], ("also-bad", "")]
    with pytest.raises(EmptyTextError) as info:
        analyze_many(items, n_process=n_process, chunksize=1)
    assert any("item 1 (doc_id 'blank')" in note for note in info.value.__notes__)


def test_strict_raises_no_plan_structure_for_the_offending_item(small_pairs) -> None:
    with pytest.raises(NoPlanStructureError) as info:
        analyze_many([small_pairs[0], "Just some English text."], strict=True)
    assert any("item 1 (doc_id None)" in note for note in info.value.__notes__)


@pytest.mark.parametrize("n_process", [1, 2])
def test_texts_without_structure_give_one_warning_for_the_batch(n_process) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = analyze_many([("x", "hello world"), ("y", "KẾ HOẠCH\nI. MỤC TIÊU"), ("z", "foo")],
                            n_process=n_process)
    messages = [str(w.message) for w in caught if issubclass(w.category, SxtdbvWarning)]
    assert messages == ["2 of 3 texts have no plan structure (x, z); see PlanDocument.warnings"]
    assert [d.has_structure for d in docs] == [False, True, False]


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"n_process": 0}, ValueError), ({"n_process": -2}, ValueError), ({"chunksize": 0}, ValueError),
], ids=["zero-processes", "minus-two", "zero-chunk"])
def test_bad_options_are_refused(small_pairs, kwargs, error) -> None:
    with pytest.raises(error):
        analyze_many(small_pairs * 2, **{"n_process": 2, **kwargs})


@pytest.mark.parametrize("item", [b"bytes", ("a", "b", "c"), 42], ids=["bytes", "triple", "int"])
def test_items_that_are_not_texts_or_pairs_are_a_type_error(item) -> None:
    with pytest.raises(TypeError, match="expected a text or a"):
        analyze_many(["KẾ HOẠCH", item])


def test_no_items_no_results() -> None:
    assert analyze_many([], n_process=2) == []


def test_analyze_record_carries_the_analysis_or_the_error(small_pairs, expected) -> None:
    good = analyze_record(small_pairs[0])
    assert good == {"doc_id": SMALL[0], "analysis": expected[SMALL[0]], "error": None}
    json.dumps(good)  # JSON-able as it is
    bad = analyze_record(("b", "\x00abc"))
    assert bad["analysis"] is None and bad["error"].startswith("BinaryInputError: ")


def test_analyze_dataset_with_two_processes(small_pairs, expected) -> None:
    import datasets

    ds = datasets.Dataset.from_dict({"doc_id": [*SMALL, "empty"],
                                     "text": [t for _, t in small_pairs] + [" "]})
    out = analyze_dataset(ds, id_column="doc_id", num_proc=2)
    assert out.column_names == ["doc_id", "text", "analysis", "error"]
    rows = out.to_list()
    assert [json.loads(r["analysis"]) for r in rows[:3]] == [expected[d] for d in SMALL]
    assert rows[3]["analysis"] is None and rows[3]["error"].startswith("EmptyTextError")
    assert all(r["error"] is None for r in rows[:3])
    doc = PlanDocument.from_dict(json.loads(rows[0]["analysis"]), rows[0]["text"])
    assert doc.header.number == "87/KH-UBND"


def test_analyze_dataset_names_a_missing_column() -> None:
    import datasets

    with pytest.raises(KeyError, match="body"):
        analyze_dataset(datasets.Dataset.from_dict({"text": ["x"]}), text_column="body")


def test_analyze_bag_with_the_synchronous_scheduler(small_pairs, expected) -> None:
    bag_module = pytest.importorskip("dask.bag", reason="the 'scale' extra (dask) is not installed")
    bag = bag_module.from_sequence([*small_pairs, ("empty", "")], npartitions=2)
    records = analyze_bag(bag).compute(scheduler="sync")
    assert [r["analysis"] for r in records[:3]] == [expected[d] for d in SMALL]
    assert records[3]["error"].startswith("EmptyTextError")


def test_analyze_bag_on_a_local_dask_cluster(small_pairs, expected, tmp_path) -> None:
    bag_module = pytest.importorskip("dask.bag", reason="the 'scale' extra (dask) is not installed")
    distributed = pytest.importorskip("distributed", reason="the 'scale' extra is not installed")
    items = small_pairs * 2
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        bag = analyze_bag(bag_module.from_sequence(items, npartitions=4))
        records = bag.compute()
        bag.map(json.dumps).to_textfiles(str(tmp_path / "part-*.jsonl"))
    assert [r["analysis"] for r in records] == [expected[doc_id] for doc_id, _ in items]
    parts = sorted(tmp_path.glob("part-*.jsonl"))
    lines = [ln for f in parts for ln in f.read_text(encoding="utf-8").splitlines()]
    assert [json.loads(ln)["doc_id"] for ln in lines] == [doc_id for doc_id, _ in items]


def test_parallel_doctests() -> None:
    assert doctest.testmod(parallel).failed == 0
