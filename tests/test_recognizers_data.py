"""The recognisers' language data: every file documented, parseable, and consistent."""

from __future__ import annotations

import doctest
import importlib
import re
from importlib import resources

import pytest

from sxtdbv_nlp.data import load_records
from sxtdbv_nlp.recognizers.canonical import bodies, surface_forms
from sxtdbv_nlp.recognizers.patterns import fold

DATA_FILES = [
    "admin_levels.tsv", "agencies.tsv", "agency_abbreviations.tsv", "agency_groups.tsv",
    "agency_name_words.tsv", "laws.tsv", "legal_ref_words.tsv", "money_units.tsv",
    "number_words.tsv", "provinces.tsv", "quantity_context.tsv", "time_words.tsv",
    "tone_variants.tsv",
]
MODULES = [
    "agency", "base", "canonical", "cells", "fuse", "jurisdiction", "legal", "money", "numbers",
    "patterns", "percent", "quantity", "timex", "timex_patterns",
]


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_has_provenance_and_rows(name: str) -> None:
    raw = resources.files("sxtdbv_nlp.data").joinpath(name).read_text(encoding="utf-8")
    header = [ln for ln in raw.splitlines() if ln.startswith("#")]
    assert header, f"{name} has no comment header"
    assert re.search(r"Source|source", " ".join(header)), f"{name} does not say where it comes from"
    assert load_records(name)


def test_data_gazetteer_levels_and_templates() -> None:
    for body in bodies():
        assert body.level in ("central", "local", "both"), body
        for template in (body.local_form, body.group_form):
            assert set(re.findall(r"\{(\w+)\}", template)) <= {"name", "jurisdiction", "place", "level"}


def test_data_gazetteer_forms_do_not_collide() -> None:
    """Two bodies never share a written form (a form must name one body)."""
    owner: dict[str, str] = {}
    for body in bodies():
        for form in surface_forms(body):
            k = fold(form)
            assert owner.setdefault(k, body.name) == body.name, (form, owner[k], body.name)


def test_data_time_words_kinds() -> None:
    kinds = {r["kind"] for r in load_records("time_words.tsv")}
    assert kinds == {"unit", "every", "periodic", "signal", "period", "from", "qualified", "noun_tail"}
    for r in load_records("time_words.tsv"):
        if r["kind"] == "unit":
            assert re.fullmatch(r"P[0-9]+[YMWD]", r["value"])


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"sxtdbv_nlp.recognizers.{module}")
    failures, _ = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_docstring_examples_package() -> None:
    import sxtdbv_nlp.recognizers as pkg

    assert doctest.testmod(pkg).failed == 0
