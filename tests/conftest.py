"""Shared test fixtures: offline settings, the corpus, a hypothesis profile for CI."""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "raw"
ANNOTATIONS = ROOT / "annotations"
DOC_IDS = sorted(p.stem for p in CORPUS.glob("*.txt"))


def read_corpus_text(doc_id: str) -> str:
    """A corpus plan exactly as stored (no newline translation)."""
    with open(CORPUS / f"{doc_id}.txt", encoding="utf-8", newline="") as fh:
        return fh.read()


def read_gold(doc_id: str) -> dict:
    return json.loads((ANNOTATIONS / f"{doc_id}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_texts() -> dict[str, str]:
    return {doc_id: read_corpus_text(doc_id) for doc_id in DOC_IDS}
