"""structlog JSON logs that cannot carry PHI by accident.

Log lines carry ids and reason codes only. Exceptions are rendered without frame locals,
since a transcript in a local variable would otherwise reach the log.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from structlog.tracebacks import ExceptionDictTransformer
from structlog.typing import Processor

# Keys that could hold PHI; dropped if a caller passes them by mistake.
_PHI_KEYS = frozenset(
    {"text", "transcript", "patient_name", "caller_name", "dob", "callback_number", "caller_id", "segments"}
)


def drop_phi(_logger: object, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: redact fields that may hold PHI."""
    for key in _PHI_KEYS & event_dict.keys():
        event_dict[key] = "[redacted]"
    return event_dict


def configure(level: str = "info") -> None:
    """JSON logs at `level`, with PHI fields redacted."""
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        drop_phi,
        structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False)),
    ]
    # Libraries (aiokafka, faust, botocore) log through the standard library: same JSON lines.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()],
        foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "faust", "mode", "botocore", "urllib3", "faster_whisper"):
        if level == "debug" and noisy != "faster_whisper":  # diagnosing: rebalances and recovery show
            logging.getLogger(noisy).setLevel(logging.INFO)
        else:
            logging.getLogger(noisy).setLevel(logging.ERROR if noisy in ("aiokafka", "kafka") else logging.WARNING)
    structlog.configure(
        processors=[*shared, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A named structured logger."""
    return structlog.get_logger(name)
