"""Text folding shared by the red-flag rules and the spoken-number readers, and telling Spanish from English."""

from __future__ import annotations

_FOLD = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ’", "aeiouunAEIOUUN'")


def fold(text: str) -> str:
    """Lower-case and strip Spanish accents, keeping every character offset."""
    return text.translate(_FOLD).lower()


# Words common in Spanish voicemails and rare in English ones.
_SPANISH = {"hola", "llamo", "gracias", "mi", "por", "que", "es", "una", "tiene", "número", "numero", "desde",
            "para", "llamar", "necesito", "cita"}


def looks_spanish(words: list[str]) -> bool:
    """Whether a message's lower-case words are Spanish: more than 8 % of them are common Spanish words."""
    return bool(words) and sum(w in _SPANISH for w in words) / len(words) > 0.08
