"""Stage 3, recognizers: rule recognisers per label, fused into non-overlapping entities.

Placeholder until the entity-recognition issue lands: returns no entities.
"""

from __future__ import annotations

from collections.abc import Sequence

from sxtdbv_nlp.types import DocumentBounds, Entity, Header, Table

__all__ = ["recognize"]


def recognize(text: str, bounds: DocumentBounds, *, tables: Sequence[Table] = (),
              header: Header | None = None) -> list[Entity]:
    """Entities of all labels in ``text[bounds.start:bounds.end]`` (working-text offsets)."""
    return []
