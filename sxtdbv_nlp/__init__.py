"""sxtdbv_nlp: information extraction from Vietnamese administrative plans (SX&TDBV).

>>> import sxtdbv_nlp
>>> doc = sxtdbv_nlp.analyze_file("corpus/raw/phu-tho_3737-KH-UBND_2021.txt")  # doctest: +SKIP
>>> doc.header.number  # doctest: +SKIP
'3737/KH-UBND'

Nothing is loaded or downloaded at import time; heavy dependencies (spaCy, datasets,
scikit-learn, underthesea) are imported only by the functions that need them.
"""

from sxtdbv_nlp.errors import (
    BinaryInputError,
    EmptyTextError,
    EncodingError,
    InputTooLargeError,
    NoPlanStructureError,
    OptionError,
    SxtdbvError,
    SxtdbvWarning,
)
from sxtdbv_nlp.parallel import analyze_many
from sxtdbv_nlp.pipeline import analyze, analyze_file
from sxtdbv_nlp.text import read_text
from sxtdbv_nlp.types import (
    DocumentBounds,
    Entity,
    Header,
    Item,
    PlanDocument,
    Section,
    Table,
)

__version__ = "0.1.0"

__all__ = [
    "BinaryInputError",
    "DocumentBounds",
    "EmptyTextError",
    "EncodingError",
    "Entity",
    "Header",
    "InputTooLargeError",
    "Item",
    "NoPlanStructureError",
    "OptionError",
    "PlanDocument",
    "Section",
    "SxtdbvError",
    "SxtdbvWarning",
    "Table",
    "__version__",
    "analyze",
    "analyze_file",
    "analyze_many",
    "read_text",
]
