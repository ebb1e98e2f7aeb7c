"""Trained models on disk: the only module that reads or writes ``models/``.

Each model is a directory ``models/<name>-<version>/`` holding its artefact and a card,
``meta.json`` (:class:`ModelCard`): the training files and their sha256, the LODO
metrics, the library versions, the seed, the command that made it, whether the pipeline
uses it (``shipped``) and the sha256 of every artefact file.

- scikit-learn models are written with ``skops.io.dump`` and read with ``skops.io.load``
  after checking ``skops.io.get_untrusted_types`` against :data:`TRUSTED_TYPES`: never
  pickle or joblib. A model the pipeline runs (the theme classifier) is also written in
  its compiled form (:class:`~sxtdbv_nlp.linear.LinearTextModel`): ``linear.json`` plus
  ``coef.npy`` and ``intercept.npy`` read with ``allow_pickle=False``, loaded by
  :func:`load_linear` without scikit-learn or skops.
- spaCy pipelines are written with ``nlp.to_disk`` and read with ``spacy.load`` (the
  config names only spaCy's own registered functions; nothing is downloaded).
- Loading is lazy and cached (:func:`load_sklearn`, :func:`load_spacy`, :func:`read_card`);
  nothing is read at import time.

Failure policy: a missing directory or card, an artefact whose sha256 differs from the
card's, an unreadable artefact, a type outside the trusted list, or a scikit-learn/spaCy
whose major.minor version differs from the one the model was trained with raises
:class:`~sxtdbv_nlp.errors.ModelError` naming the model, its path and the remedy
(``sxtdbv train``). A differing patch version only warns (:class:`SxtdbvWarning`, once
per model), since both libraries keep their formats within a minor release.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import shutil
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sxtdbv_nlp.errors import ModelError, SxtdbvWarning

if TYPE_CHECKING:
    from sxtdbv_nlp.linear import LinearTextModel

__all__ = [
    "CARD_FORMAT",
    "MODELS_DIR",
    "NER",
    "SECTION_ROLE",
    "THEME",
    "TRUSTED_TYPES",
    "ModelCard",
    "ModelRef",
    "clear_cache",
    "file_sha256",
    "library_versions",
    "load_linear",
    "load_sklearn",
    "load_spacy",
    "model_dir",
    "models_dir",
    "read_card",
    "save_sklearn",
    "save_spacy",
]

CARD_FORMAT = 1
CARD_FILE = "meta.json"
SKOPS_FILE = "model.skops"
SPACY_DIR = "pipeline"
LINEAR_FILE, COEF_FILE, INTERCEPT_FILE = "linear.json", "coef.npy", "intercept.npy"
REBUILD = "rebuild the models with `sxtdbv train` (from the repository root)"
#: Where models live unless ``SXTDBV_MODELS`` says otherwise: the checkout's models/.
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
#: Libraries whose versions each card records; the first two are checked on load.
LIBRARIES = ("scikit-learn", "spacy", "skops", "underthesea", "numpy", "scipy", "thinc")
_CHECKED = {"sklearn": "scikit-learn", "spacy": "spacy"}

#: The types a skops file may hold beyond those skops trusts by default (scikit-learn,
#: numpy, scipy): our own transformers. Checked on save and on load; any other type in a
#: file means it was not written by this library, and it is not loaded.
TRUSTED_TYPES: tuple[str, ...] = (
    "sxtdbv_nlp.estimators.ThemeKeywordCounts",
    "sxtdbv_nlp.estimators.WordTokenTfidf",
)


@dataclass(frozen=True)
class ModelRef:
    """A model's name and the version this library expects (its folder: ``<name>-<version>``)."""

    name: str
    version: int
    kind: str  # "sklearn" or "spacy"

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"


THEME = ModelRef("theme", 2, "sklearn")
SECTION_ROLE = ModelRef("section-role", 1, "sklearn")
NER = ModelRef("ner", 1, "spacy")


@dataclass(frozen=True)
class ModelCard:
    """What ``meta.json`` says about a model (see the module docstring)."""

    name: str
    version: int
    kind: str
    shipped: bool
    decision: str
    seed: int
    created_by: str
    training_files: tuple[dict[str, str], ...]
    metrics: Mapping[str, Any]
    libraries: Mapping[str, str]
    settings: Mapping[str, Any] = field(default_factory=dict)
    artefacts: Mapping[str, str] = field(default_factory=dict)
    format: int = CARD_FORMAT

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["training_files"] = [dict(f) for f in self.training_files]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelCard:
        known = set(cls.__dataclass_fields__)
        missing = {"name", "version", "kind", "shipped", "seed", "libraries"} - set(data)
        if missing:
            raise ValueError(f"card lacks {sorted(missing)}")
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["training_files"] = tuple(dict(f) for f in data.get("training_files") or ())
        kwargs.setdefault("decision", "")
        kwargs.setdefault("created_by", "")
        kwargs.setdefault("metrics", {})
        return cls(**kwargs)


# ---------------------------------------------------------------- paths and hashes


def models_dir(models: Path | None = None) -> Path:
    """``models`` if given, else ``$SXTDBV_MODELS``, else the checkout's ``models/``."""
    if models is not None:
        return Path(models)
    env = os.environ.get("SXTDBV_MODELS")
    return Path(env) if env else MODELS_DIR


def model_dir(ref: ModelRef, models: Path | None = None) -> Path:
    return models_dir(models) / ref.folder


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _artefact_hashes(directory: Path) -> dict[str, str]:
    """sha256 of every file under ``directory`` except the card, by relative POSIX path."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name != CARD_FILE)
    return {p.relative_to(directory).as_posix(): file_sha256(p) for p in files}


def library_versions() -> dict[str, str]:
    """Installed versions of Python and of every library in :data:`LIBRARIES`."""
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


# ---------------------------------------------------------------- cards


def _write_card(directory: Path, card: ModelCard) -> ModelCard:
    card = dataclasses.replace(card, artefacts=_artefact_hashes(directory),
                               libraries=library_versions())
    text = json.dumps(card.to_dict(), ensure_ascii=False, indent=1, sort_keys=True)
    (directory / CARD_FILE).write_text(text + "\n", encoding="utf-8")
    return card


@cache
def _read_card_cached(directory: Path) -> ModelCard:
    path = directory / CARD_FILE
    if not path.is_file():
        raise ModelError(f"model card {path} is missing (no trained model at {directory}); {REBUILD}")
    try:
        card = ModelCard.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise ModelError(f"model card {path} is unreadable ({exc}); {REBUILD}") from None
    if card.format != CARD_FORMAT:
        raise ModelError(f"model card {path} has format {card.format}, this library reads "
                         f"format {CARD_FORMAT}; {REBUILD}")
    return card


def is_installed(ref: ModelRef, models: Path | None = None) -> bool:
    """True when model ``ref`` has a card in the models folder.

    A missing models folder is a degraded but legal state (an installed wheel carries no
    models/): callers fall back to rules and the keyword baseline and warn, through
    :func:`warn_missing`. A card that is present but broken is a :class:`ModelError`.
    """
    return (model_dir(ref, models) / CARD_FILE).is_file()


def warn_missing(ref: ModelRef, models: Path | None = None) -> None:
    """Warn (once per call site) that ``ref`` is not installed and what is used instead."""
    warnings.warn(f"no trained model {ref.folder} in {models_dir(models)}: using the rules and the "
                  f"keyword baseline instead; {REBUILD} or set SXTDBV_MODELS", SxtdbvWarning, stacklevel=3)


def read_card(ref: ModelRef, models: Path | None = None) -> ModelCard:
    """The card of model ``ref`` (cached); :class:`ModelError` if missing or unreadable."""
    card = _read_card_cached(model_dir(ref, models).resolve())
    if (card.name, card.version, card.kind) != (ref.name, ref.version, ref.kind):
        raise ModelError(f"{model_dir(ref, models)} holds {card.name}-{card.version} ({card.kind}), "
                         f"expected {ref.folder} ({ref.kind}); {REBUILD}")
    return card


def _check_artefacts(directory: Path, card: ModelCard) -> None:
    """ModelError when an artefact file is missing or differs from the card's sha256."""
    if not card.artefacts:
        raise ModelError(f"model card {directory / CARD_FILE} lists no artefacts; {REBUILD}")
    for rel, expected in sorted(card.artefacts.items()):
        path = directory / rel
        if not path.is_file():
            raise ModelError(f"model file {path} is missing; {REBUILD}")
        if file_sha256(path) != expected:
            raise ModelError(f"model file {path} is corrupted (sha256 differs from its card); {REBUILD}")


def _check_versions(directory: Path, card: ModelCard, modules: Sequence[str]) -> None:
    """ModelError on a major.minor difference of a checked library; a warning on a patch one."""
    installed = library_versions()
    for module in modules:
        lib = _CHECKED[module]
        trained, now = card.libraries.get(lib, "unknown"), installed[lib]
        if trained == now:
            continue
        if trained.split(".")[:2] != now.split(".")[:2]:
            raise ModelError(f"model {directory} was trained with {lib} {trained} but {lib} {now} "
                             f"is installed; {REBUILD}")
        warnings.warn(f"model {directory} was trained with {lib} {trained}, {lib} {now} is "
                      "installed (same minor version: loaded)", SxtdbvWarning, stacklevel=3)


def _loadable(ref: ModelRef, directory: Path, modules: Sequence[str]) -> tuple[Path, ModelCard]:
    """The model's folder and card after checking artefact hashes and library versions."""
    card = read_card(ref, directory.parent)
    _check_artefacts(directory, card)
    _check_versions(directory, card, modules)
    return directory, card


def clear_cache() -> None:
    """Forget every loaded model and card (after retraining, or in tests)."""
    for cached in (_read_card_cached, _load_sklearn_cached, _load_sklearn_checked, _load_linear_checked,
                   _load_spacy_cached, _load_spacy_checked):
        cached.cache_clear()


# ---------------------------------------------------------------- scikit-learn via skops


def _fresh_dir(directory: Path) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)


def _untrusted(listed: Sequence[str]) -> list[str]:
    """The types of a skops file's ``get_untrusted_types`` list outside :data:`TRUSTED_TYPES`."""
    return sorted(set(listed) - set(TRUSTED_TYPES))


def save_sklearn(estimator: Any, card: ModelCard, models: Path | None = None, *,
                 linear: LinearTextModel | None = None) -> ModelCard:
    """Write ``estimator`` with skops (and its compiled form ``linear`` when given) and its
    card; ModelError if it holds untrusted types."""
    import zipfile

    import skops.io as sio

    ref = ModelRef(card.name, card.version, "sklearn")
    directory = model_dir(ref, models)
    _fresh_dir(directory)
    path = directory / SKOPS_FILE
    sio.dump(estimator, path, compression=zipfile.ZIP_DEFLATED)
    unknown = _untrusted(sio.get_untrusted_types(file=path))
    if unknown:
        shutil.rmtree(directory)
        raise ModelError(f"{ref.folder} holds types outside models.TRUSTED_TYPES: {unknown}")
    if linear is not None:
        _write_linear(directory, linear)
    clear_cache()
    return _write_card(directory, card)


@cache
def _load_sklearn_cached(directory: Path) -> Any:
    import skops.io as sio

    path = directory / SKOPS_FILE
    try:
        listed = sorted(set(sio.get_untrusted_types(file=path)))  # read once, checked here
        unknown = _untrusted(listed)
        if unknown:
            raise ModelError(f"model file {path} holds untrusted types {unknown}; it was not "
                             f"written by sxtdbv_nlp; {REBUILD}")
        return sio.load(path, trusted=listed)
    except ModelError:
        raise
    except Exception as exc:  # skops raises many kinds on a damaged zip
        raise ModelError(f"model file {path} cannot be loaded ({type(exc).__name__}: {exc}); "
                         f"{REBUILD}") from None


def load_sklearn(ref: ModelRef, models: Path | None = None) -> tuple[Any, ModelCard]:
    """The estimator of model ``ref`` and its card, checked once and then cached."""
    return _load_sklearn_checked(ref, model_dir(ref, models).resolve())


@cache
def _load_sklearn_checked(ref: ModelRef, directory: Path) -> tuple[Any, ModelCard]:
    directory, card = _loadable(ref, directory, ("sklearn",))
    return _load_sklearn_cached(directory), card


# ---------------------------------------------------------------- compiled linear models


def _write_linear(directory: Path, linear: LinearTextModel) -> None:
    """``linear.json`` (sorted keys, so the same model gives the same bytes) and two ``.npy`` arrays."""
    import numpy as np

    text = json.dumps(linear.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (directory / LINEAR_FILE).write_text(text + "\n", encoding="utf-8")
    np.save(directory / COEF_FILE, linear.coef, allow_pickle=False)
    np.save(directory / INTERCEPT_FILE, linear.intercept, allow_pickle=False)


def load_linear(ref: ModelRef, models: Path | None = None) -> tuple[LinearTextModel, ModelCard]:
    """The compiled form of model ``ref`` and its card, checked once and then cached.

    Needs neither scikit-learn nor skops: JSON and two numpy arrays, nothing executed.
    """
    return _load_linear_checked(ref, model_dir(ref, models).resolve())


@cache
def _load_linear_checked(ref: ModelRef, directory: Path) -> tuple[LinearTextModel, ModelCard]:
    import numpy as np

    from sxtdbv_nlp.linear import LinearTextModel

    _, card = _loadable(ref, directory, ())
    if LINEAR_FILE not in card.artefacts:
        raise ModelError(f"model {directory} has no compiled form ({LINEAR_FILE}); {REBUILD}")
    try:
        data = json.loads((directory / LINEAR_FILE).read_text(encoding="utf-8"))
        coef = np.load(directory / COEF_FILE, allow_pickle=False)
        intercept = np.load(directory / INTERCEPT_FILE, allow_pickle=False)
        return LinearTextModel.from_json(data, coef, intercept), card
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"model {directory} cannot be loaded ({type(exc).__name__}: {exc}); "
                         f"{REBUILD}") from None


# ---------------------------------------------------------------- spaCy


def save_spacy(nlp: Any, card: ModelCard, models: Path | None = None) -> ModelCard:
    """Write a spaCy pipeline with ``nlp.to_disk`` and its card."""
    ref = ModelRef(card.name, card.version, "spacy")
    directory = model_dir(ref, models)
    _fresh_dir(directory)
    nlp.to_disk(directory / SPACY_DIR)
    clear_cache()
    return _write_card(directory, card)


@cache
def _load_spacy_cached(directory: Path) -> Any:
    import spacy

    try:
        return spacy.load(directory / SPACY_DIR)
    except Exception as exc:  # spaCy raises OSError, ValueError, KeyError... on bad files
        raise ModelError(f"spaCy model {directory / SPACY_DIR} cannot be loaded "
                         f"({type(exc).__name__}: {exc}); {REBUILD}") from None


def load_spacy(ref: ModelRef, models: Path | None = None) -> tuple[Any, ModelCard]:
    """The spaCy pipeline of model ``ref`` and its card, checked once and then cached."""
    return _load_spacy_checked(ref, model_dir(ref, models).resolve())


@cache
def _load_spacy_checked(ref: ModelRef, directory: Path) -> tuple[Any, ModelCard]:
    directory, card = _loadable(ref, directory, ("spacy",))
    return _load_spacy_cached(directory), card
