"""Voicemail to prioritized callback task pipeline."""

__version__ = "0.1.0"
