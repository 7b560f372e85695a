"""`python -m pipeline replay-dlq`: put chosen dead letters back where they failed, once fixed.

A record's `topic` names where the original came from: a Kafka topic gets the original bytes back,
keyed by voicemail id; a bucket listing (`s3://...`) gets an ObjectCreated notification for the object,
so it re-enters through ingest like any announced object.
"""

from __future__ import annotations

import base64
import json
import sys
from typing import IO

from kafka import KafkaProducer

from pipeline import topics
from pipeline.adapters.kafka import read_all
from pipeline.config import Settings
from pipeline.transport import producer_kwargs


def original_bytes(record: dict) -> bytes:
    """The original message bytes kept in a dead-letter record."""
    if record["original_encoding"] == "base64":
        return base64.b64decode(record["original"])
    return record["original"].encode()


def replay_target(record: dict) -> tuple[str, bytes]:
    """(topic, value) that re-submits this dead letter."""
    if record["topic"].startswith("s3://"):
        ref = json.loads(record["original"])
        notice = {"Records": [{"eventName": "ObjectCreated:Put", "eventSource": "pipeline:replay-dlq",
                               "s3": {"bucket": {"name": ref["bucket"]}, "object": {"key": ref["key"]}}}]}
        return topics.S3_EVENTS, json.dumps(notice).encode()
    return record["topic"], original_bytes(record)


def replay(s: Settings, reason: str | None, stage: str | None, voicemail_id: str | None, dry_run: bool,
           out: IO[str] = sys.stdout) -> int:
    """Republish the dead letters that match the filters to their source topics; exit status."""
    chosen = [r for _, r in read_all(s, [topics.DLQ])
              if (reason is None or r.get("reason") == reason) and (stage is None or r.get("stage") == stage)
              and (voicemail_id is None or r.get("voicemail_id") == voicemail_id)]
    if not chosen:  # a filter that matches nothing is an operator's mistake, not a success
        print("no dead letter matches the filter; nothing replayed", file=sys.stderr)
        return 1
    producer = None if dry_run else KafkaProducer(**producer_kwargs(s))
    try:
        for record in chosen:
            topic, value = replay_target(record)
            key = (record.get("voicemail_id") or "").encode() or None
            if producer is not None:
                producer.send(topic, key=key, value=value).get(timeout=30)
            print(json.dumps({"voicemail_id": record.get("voicemail_id"), "stage": record["stage"],
                              "reason": record["reason"], "to": topic, "sent": not dry_run}), file=out)
    finally:
        if producer is not None:
            producer.close()
    print(f"{'would replay' if dry_run else 'replayed'} {len(chosen)} dead letters", file=sys.stderr)
    return 0
