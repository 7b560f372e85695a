"""S3 event notification records (AWS S3 and MinIO JSON) -> the objects they announce. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import unquote_plus

from pipeline.errors import Rejected


@dataclass(frozen=True)
class Announced:
    """An object an S3 event notification announced."""
    bucket: str
    key: str
    etag: str | None
    version_id: str | None


def parse(raw: bytes | None, bucket: str) -> list[Announced]:
    """ObjectCreated records for `bucket`; test events and other buckets yield nothing.

    Both AWS and MinIO put records under "Records" with an "s3" section; keys arrive URL-encoded.
    """
    try:
        doc = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError):
        raise Rejected("malformed_json", "notification is not JSON") from None
    if not isinstance(doc, dict):
        raise Rejected("malformed_notification", "notification is not a JSON object")
    if doc.get("Event") == "s3:TestEvent" or doc.get("Records") is None and "Event" in doc:
        return []
    records = doc.get("Records")
    if not isinstance(records, list):
        raise Rejected("malformed_notification", "no Records list")
    found = []
    for record in records:
        try:
            name = record["eventName"]
            s3 = record["s3"]
            rec_bucket = s3["bucket"]["name"]
            obj = s3["object"]
            key = unquote_plus(obj["key"])
        except (KeyError, TypeError):
            raise Rejected("malformed_notification", "record lacks eventName or s3.bucket/object") from None
        if not name.removeprefix("s3:").startswith("ObjectCreated:") or rec_bucket != bucket:
            continue
        found.append(Announced(rec_bucket, key, obj.get("eTag") or None, obj.get("versionId") or None))
    return found
