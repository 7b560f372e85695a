"""Bucket reconciler: lists the bucket and announces every object not announced before.

Delivery: at-least-once. The checkpoint is stored (by the caller, on the lease topic) only after the
events of a pass were flushed, so a crash repeats a pass (downstream ids are deterministic) and never
skips one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pipeline.adapters import s3 as s3io
from pipeline.domain import Voicemail
from pipeline.errors import Rejected
from pipeline.ingest.core import StoredObject, received_event, wanted

# Objects may appear in a listing with a LastModified older than objects already seen
# (clock skew, slow multipart uploads): look back this far past the watermark.
GRACE = timedelta(minutes=15)


@dataclass
class Checkpoint:
    """How far the bucket listing has been announced: a watermark and the objects seen at it."""
    watermark: datetime | None = None
    seen: dict[str, str] = field(default_factory=dict)  # "key etag" -> last_modified (ISO)

    @classmethod
    def decode(cls, raw: bytes | None) -> Checkpoint:
        """The checkpoint `encode` wrote, or an empty one for None."""
        if raw is None:
            return cls()
        doc = json.loads(raw)
        wm = doc.get("watermark")
        return cls(datetime.fromisoformat(wm) if wm else None, dict(doc.get("seen", {})))

    def encode(self) -> bytes:
        """The checkpoint as JSON bytes."""
        return json.dumps({"watermark": self.watermark.isoformat() if self.watermark else None,
                           "seen": self.seen}).encode()


@dataclass(frozen=True)
class Pass:
    """One reconcile pass: the events to publish, the objects rejected, and every object considered."""
    events: list[Voicemail]
    rejected: list[tuple[StoredObject, Rejected]]
    objects: list[StoredObject]


class Reconciler:
    """Lists the bucket and announces recordings no notification announced."""
    def __init__(self, s3, bucket: str, prefix: str = "", suffixes: list[str] | None = None,
                 checkpoint: Checkpoint | None = None) -> None:
        self.s3, self.bucket, self.prefix = s3, bucket, prefix
        self.suffixes = suffixes or []
        self.checkpoint = checkpoint or Checkpoint()

    def scan(self, now: datetime) -> Pass:
        """One listing; HEAD (for metadata) only objects not seen yet."""
        horizon = self.checkpoint.watermark - GRACE if self.checkpoint.watermark else None
        out, rejected, objects = [], [], []
        for item in s3io.list_objects(self.s3, self.bucket, self.prefix):
            if not wanted(item["Key"], self.prefix, self.suffixes) or (horizon and item["LastModified"] < horizon):
                continue
            if _seen_key(item["Key"], item["ETag"]) in self.checkpoint.seen:
                continue
            try:
                obj = s3io.head(self.s3, self.bucket, item["Key"])
            except Rejected:
                continue  # deleted since the listing: nothing to announce
            objects.append(obj)
            try:
                out.append(received_event(obj, "reconciler", now))
            except Rejected as exc:
                rejected.append((obj, exc))
        return Pass(out, rejected, objects)

    def commit(self, done: Pass) -> bytes | None:
        """Record a pass as announced; call only after its events (and dead letters) are flushed.
        Returns the checkpoint to store when the pass changed it, else None."""
        cp = self.checkpoint
        for obj in done.objects:
            cp.seen[_seen_key(obj.key, obj.etag)] = obj.last_modified.isoformat()
            if cp.watermark is None or obj.last_modified > cp.watermark:
                cp.watermark = obj.last_modified
        if cp.watermark is not None:
            horizon = cp.watermark - GRACE
            cp.seen = {k: v for k, v in cp.seen.items() if datetime.fromisoformat(v) >= horizon}
        return cp.encode() if done.objects else None


def _seen_key(key: str, etag: str) -> str:
    # Listings carry no version id, so key + ETag identifies what was announced.
    return key + " " + etag.strip('"')
