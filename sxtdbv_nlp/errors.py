"""The library's exceptions and warnings: one hierarchy, one module.

Every error a caller can trigger with bad input is a :class:`SxtdbvError`, so
``except sxtdbv_nlp.SxtdbvError`` catches them all. Each subclass also derives from
the built-in exception a Python programmer would expect (``ValueError`` for bad
values, ``FileNotFoundError`` for a missing model), and each message says what was
received and what is allowed.
"""

from __future__ import annotations

__all__ = [
    "AnnotationError",
    "BinaryInputError",
    "DataFileError",
    "EmptyTextError",
    "EncodingError",
    "InputTooLargeError",
    "ModelError",
    "NoPlanStructureError",
    "OptionError",
    "SxtdbvError",
    "SxtdbvWarning",
]


class SxtdbvError(Exception):
    """Base class of every error raised by sxtdbv_nlp."""


class InputError(SxtdbvError, ValueError):
    """The input cannot be analysed as a plan."""


class EmptyTextError(InputError):
    """The text is empty or holds only whitespace."""


class BinaryInputError(InputError):
    """The bytes are not text (NUL bytes, control characters, an image, an archive...)."""


class EncodingError(InputError):
    """The bytes are text in an encoding the library cannot decode."""


class InputTooLargeError(InputError):
    """The text exceeds the size limit given by the caller."""


class NoPlanStructureError(InputError):
    """The text has neither an issuing-body header nor any plan heading.

    Raised by :func:`sxtdbv_nlp.analyze` with ``strict=True``; by default the result
    is returned with ``PlanDocument.warnings`` saying that no structure was found.
    """


class OptionError(SxtdbvError, ValueError):
    """A function was given an option value it does not accept."""


class AnnotationError(SxtdbvError, ValueError):
    """An annotation file (gold or prediction) breaks the schema of the annotation guide."""


class DataFileError(SxtdbvError, ValueError):
    """A language-data file under ``sxtdbv_nlp/data`` is missing or malformed."""


class ModelError(SxtdbvError, OSError):
    """A trained model is missing, corrupted or incompatible with this library version."""


class SxtdbvWarning(UserWarning):
    """A degraded but legal state (e.g. a result with no plan structure)."""
