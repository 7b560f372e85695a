"""Event contracts: JSON Schemas (`pipeline/schemas/`), the records of `domain` to and from the wire,
deterministic ids, UTC times."""

from __future__ import annotations

import base64
import json
import types
import typing
import uuid
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from pipeline import topics
from pipeline.domain import Alert, DeadLetter, Transcribed, Triaged, Voicemail
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
    topics.CONSOLE_AUDIT: "console-audit",
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


def encode(name: str, event: Any) -> bytes:
    """The event (a `domain` record, or a plain JSON document such as a FHIR Task) as compact UTF-8 JSON,
    validated: the one check of what a stage publishes (the next stage's `decode` checks what it reads)."""
    doc = to_wire(event) if is_dataclass(event) else event
    return json.dumps(validate(name, doc), separators=(",", ":"), ensure_ascii=False).encode()


def decode(name: str, raw: bytes | str | None) -> dict[str, Any]:
    """The JSON document in `raw`, parsed and validated; Rejected when it is not JSON or not valid."""
    try:
        event = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise Rejected("malformed_json", f"not JSON ({type(exc).__name__})") from None
    if not isinstance(event, dict):
        raise Rejected("malformed_json", "not a JSON object")
    return validate(name, event)


R = TypeVar("R")


def read(record: type[R], name: str, raw: bytes | str | None) -> R:
    """The `domain` record in a message of topic `name`: parsed and validated once, then typed."""
    return from_wire(record, decode(name, raw))


# Records that are whole events carry the schema version on the wire (also when nested in another event).
_EVENTS = (Voicemail, Transcribed, Triaged, Alert, DeadLetter)


def to_wire(value: Any) -> Any:
    """A `domain` record (or anything inside one) as plain JSON values: times as ISO 8601, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        doc = {"schema_version": SCHEMA_VERSION} if isinstance(value, _EVENTS) else {}
        doc.update((f.name, to_wire(getattr(value, f.name))) for f in fields(value))
        return doc
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, list | tuple):
        return [to_wire(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_wire(v) for k, v in value.items()}
    return value


def from_wire(record: type[R], doc: Mapping[str, Any]) -> R:
    """The `domain` record in a validated JSON document (extra keys, such as `schema_version`, ignored).
    Rejected `schema_invalid` when the document does not make one."""
    try:
        return _build(record, doc)  # type: ignore[no-any-return]
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected("schema_invalid", f"{record.__name__}: {type(exc).__name__}") from None


def _build(tp: Any, value: Any) -> Any:
    if isinstance(tp, type) and is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {}
        for f in fields(tp):
            if f.name in value:
                kwargs[f.name] = _build(hints[f.name], value[f.name])
            elif typing.get_origin(hints[f.name]) is tuple:
                kwargs[f.name] = ()  # an optional list the schema lets an older event leave out
        return tp(**kwargs)
    origin = typing.get_origin(tp)
    if origin is types.UnionType or origin is typing.Union:
        if value is None:
            return None
        return _build(next(a for a in typing.get_args(tp) if a is not type(None)), value)
    if origin is tuple:
        return tuple(_build(typing.get_args(tp)[0], v) for v in value)
    if tp is datetime:
        return parse_time(value)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return dict(value)
    return value  # str, int, float, bool, Literal: the schema checked them


def voicemail_id(bucket: str, key: str, version: str) -> str:
    """Same object (bucket, key, version id or ETag) -> same id, on every path and every redelivery."""
    return "vm-" + uuid.uuid5(_ID_NAMESPACE, f"{bucket}\x00{key}\x00{version}").hex


def task_id(vm_id: str) -> str:
    """The Task id of a voicemail: the same voicemail always gets the same task."""
    return "task-" + uuid.uuid5(_ID_NAMESPACE, f"task\x00{vm_id}").hex


SYSTEM = "urn:voicemail-pipeline"  # the namespace of a Task's identifiers and codings
VOICEMAIL_SYSTEM = f"{SYSTEM}:voicemail"  # the identifier that names a Task's voicemail


def voicemail_of(task: Mapping[str, Any]) -> str | None:
    """The voicemail id a FHIR Task names in its identifier (None when it names none)."""
    return next((i.get("value") for i in task.get("identifier", []) if i.get("system") == VOICEMAIL_SYSTEM), None)


def utcnow() -> datetime:
    """Now, timezone-aware UTC, to the second (what an event's times hold on the wire)."""
    return datetime.now(UTC).replace(microsecond=0)


def parse_time(value: str) -> datetime:
    """An ISO 8601 timestamp (a trailing Z allowed) as a datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def iso(ts: datetime) -> str:
    """A datetime as ISO 8601 UTC to the second, with Z."""
    return ts.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def dead_letter(*, stage: str, reason: str, error: str, topic: str, raw: bytes | None,
                vm_id: str | None = None) -> DeadLetter:
    """The dead-letter record for a message a stage could not handle, with its original bytes."""
    raw = raw or b""
    try:
        original, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        original, encoding = base64.b64encode(raw).decode(), "base64"
    return DeadLetter(vm_id, stage, reason, error, topic, original, encoding, utcnow())
