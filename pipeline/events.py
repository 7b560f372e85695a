"""Event contracts: JSON Schemas (`pipeline/schemas/`), deterministic ids, UTC times, (de)serialization."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from pipeline import topics
from pipeline.errors import Rejected

SCHEMA_DIR = Path(__file__).with_name("schemas")  # inside the package: a wheel install needs no checkout
SCHEMA_VERSION = 1
# Fixed namespace: ids must stay the same across releases and machines.
_ID_NAMESPACE = uuid.UUID("6f1c2a7e-4b1d-5c8e-9a0f-3d2e1b4c5a60")

# Topic -> schema file stem.
SCHEMA_FOR = {
    topics.INGEST: "voicemail.received",
    topics.RECEIVED: "voicemail.received",
    topics.TRANSCRIBED: "voicemail.transcribed",
    topics.TRIAGED: "voicemail.triaged",
    topics.DLQ: "dlq",
    topics.ALERTS: "alert",
    "task": "task",  # any role's task topic
    topics.TASK_STATUS: "status",
    topics.ESCALATED: "escalation",
}


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.schema.json"):
        contents = json.loads(path.read_text())
        resources.append((path.name, Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{SCHEMA_FOR[name]}.schema.json").read_text())
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def validate(name: str, event: dict[str, Any]) -> dict[str, Any]:
    """The event, if it matches its JSON schema; else Rejected naming the path and keyword (never the value)."""
    error = next(iter(_validator(name).iter_errors(event)), None)
    if error is not None:
        path = "/" + "/".join(str(p) for p in error.absolute_path)
        # jsonschema's own message quotes the offending value, which may be PHI: path + keyword only.
        raise Rejected("schema_invalid", f"{name}: fails '{error.validator}' at {path}")
    return event


def encode(name: str, event: dict[str, Any]) -> bytes:
    """The validated event as compact UTF-8 JSON: the one check of what a stage publishes (the
    builders in the cores return plain dicts; the next stage's `decode` checks what it reads)."""
    return json.dumps(validate(name, event), separators=(",", ":"), ensure_ascii=False).encode()


def decode(name: str, raw: bytes | str | None) -> dict[str, Any]:
    """The event in `raw`, parsed and validated; Rejected when it is not JSON or not valid."""
    try:
        event = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise Rejected("malformed_json", f"not JSON ({type(exc).__name__})") from None
    if not isinstance(event, dict):
        raise Rejected("malformed_json", "not a JSON object")
    return validate(name, event)


def voicemail_id(bucket: str, key: str, version: str) -> str:
    """Same object (bucket, key, version id or ETag) -> same id, on every path and every redelivery."""
    return "vm-" + uuid.uuid5(_ID_NAMESPACE, f"{bucket}\x00{key}\x00{version}").hex


def task_id(vm_id: str) -> str:
    """The Task id of a voicemail: the same voicemail always gets the same task."""
    return "task-" + uuid.uuid5(_ID_NAMESPACE, f"task\x00{vm_id}").hex


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


def parse_time(value: str) -> datetime:
    """An ISO 8601 timestamp (a trailing Z allowed) as a datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def iso(ts: datetime) -> str:
    """A datetime as ISO 8601 UTC to the second, with Z."""
    return ts.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def dead_letter(*, stage: str, reason: str, error: str, topic: str, raw: bytes | None,
                vm_id: str | None = None) -> dict[str, Any]:
    """The dead-letter record for a message a stage could not handle, with its original bytes."""
    raw = raw or b""
    try:
        original, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        original, encoding = base64.b64encode(raw).decode(), "base64"
    return {
        "schema_version": SCHEMA_VERSION,
        "voicemail_id": vm_id,
        "stage": stage,
        "reason": reason,
        "error": error,
        "topic": topic,
        "original": original,
        "original_encoding": encoding,
        "failed_at": iso(utcnow()),
    }
