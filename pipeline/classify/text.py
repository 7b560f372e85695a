"""Text folding shared by the red-flag rules and the spoken-number readers."""

from __future__ import annotations

_FOLD = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ’", "aeiouunAEIOUUN'")


def fold(text: str) -> str:
    """Lower-case and strip Spanish accents, keeping every character offset."""
    return text.translate(_FOLD).lower()
