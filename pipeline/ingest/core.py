"""Stored object -> `voicemail.received` claim-check event. Pure: no S3, no Kafka."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pipeline import events
from pipeline.domain import Voicemail
from pipeline.errors import Rejected
from pipeline.ingest import notifications

# Object metadata an answering service sets (S3 returns it without the x-amz-meta- prefix).
META_CALLER_ID = "caller-id"
META_MAILBOX = "mailbox"
META_RECEIVED_AT = "received-at"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
INTERNAL_PREFIX = ".pipeline/"
# Extensions of the formats PyAV decodes for us. A key without an extension is fine (the bytes are
# sniffed later); a key that names another kind of file (.pdf, .txt) is refused, not guessed at.
AUDIO_EXTENSIONS = frozenset({".wav", ".wave", ".mp3", ".m4a", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".flac",
                              ".amr", ".webm", ".aif", ".aiff"})


@dataclass(frozen=True)
class StoredObject:
    """What S3 says about one stored recording (HEAD or listing)."""
    bucket: str
    key: str
    etag: str
    size: int
    last_modified: datetime
    version_id: str | None = None
    content_type: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def voicemail_id(self) -> str:
        """The voicemail id of this object version."""
        return events.voicemail_id(self.bucket, self.key, self.version_id or self.etag)


def wanted(key: str, prefix: str, suffixes: list[str]) -> bool:
    """Keys this deployment ingests: under the prefix, with one of the suffixes (if any are set)."""
    if key.startswith(INTERNAL_PREFIX) or not key.startswith(prefix):
        return False
    return not suffixes or key.lower().endswith(tuple(x.lower() for x in suffixes))


def check_key(key: str) -> None:
    """Rejected when the object key is too long, has control characters or path tricks."""
    if len(key) > 1024:
        raise Rejected("key_rejected", "key longer than 1024 characters")
    if _CONTROL.search(key):
        raise Rejected("key_rejected", "key contains control characters")
    if ".." in key.split("/"):
        raise Rejected("key_rejected", "key contains a '..' segment")
    name = key.rsplit("/", 1)[-1]
    ext = name[name.rfind("."):].lower() if "." in name.lstrip(".") else ""
    if ext and ext not in AUDIO_EXTENSIONS:
        raise Rejected("unsupported_extension", f"{ext!r} is not an audio format the pipeline reads")


def received_event(obj: StoredObject, source: str, now: datetime) -> Voicemail:
    """The voicemail.received claim check for a stored recording and its metadata."""
    check_key(obj.key)
    meta = {k.lower(): v.strip() for k, v in obj.metadata.items()}
    missing = []
    received_at = _parse_time(meta.get(META_RECEIVED_AT))
    if received_at is None:
        missing.append("received_at")
        received_at = obj.last_modified.replace(microsecond=0)  # when the object landed: the best proxy we have
    caller_id = meta.get(META_CALLER_ID) or None
    mailbox = meta.get(META_MAILBOX) or None
    if caller_id is None:
        missing.append("caller_id")
    if mailbox is None:
        missing.append("mailbox")
    return Voicemail(obj.voicemail_id, obj.bucket, obj.key, obj.version_id, obj.etag.strip('"'), obj.size,
                     obj.content_type, caller_id, mailbox, received_at, tuple(sorted(missing)), source, now)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        ts = events.parse_time(value)
    except ValueError:
        return None
    return ts if ts.tzinfo is not None else None  # a time without zone is ambiguous: treat as missing


def announced(raw: bytes, bucket: str, prefix: str, suffixes: list[str], head: Callable[[str, str], StoredObject],
              now: datetime) -> list[Voicemail]:
    """The candidate events for one bucket notification: each wanted object, read again with `head`
    (the notification lacks its metadata; Rejected `object_missing` propagates)."""
    return [received_event(head(ann.bucket, ann.key), "notification", now)
            for ann in notifications.parse(raw, bucket) if wanted(ann.key, prefix, suffixes)]
