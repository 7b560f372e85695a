"""Ingest stage shell. Three paths announce objects, and every object enters once:

- bucket notifications (AWS S3 / MinIO event JSON) on `voicemail.s3-events`;
- the bucket reconciler on a timer, for objects whose notification was lost;
- `python -m pipeline submit`.

Each path publishes a candidate to `voicemail.ingest` keyed by voicemail id; the gate agent keeps a
changelog-backed table of ids already passed on and forwards only the first to `voicemail.received`.
Ingest runs as any number of replicas: they share the notification and gate partitions, and the one
holding the `lease.ingest` lease runs the reconciler, whose checkpoint lives on that compacted topic,
so a replica that takes over resumes where the last holder stopped.
"""

from __future__ import annotations

import asyncio
import atexit
import json

import faust

from pipeline import events, topics
from pipeline.adapters import s3 as s3io
from pipeline.config import Settings
from pipeline.domain import Voicemail
from pipeline.ingest.core import announced
from pipeline.ingest.reconciler import Checkpoint, Reconciler
from pipeline.logging import get_logger
from pipeline.stream.app import Dedupe, Outcome, Output, StageShell
from pipeline.stream.lease import Lease

log = get_logger(__name__)


def register(app: faust.App, s: Settings) -> None:
    """Wire the ingest stage: S3 notifications and the bucket reconciler -> voicemail.received."""
    s3 = s3io.client(s)
    reconciler = Reconciler(s3, s.bucket, prefix=s.ingest_prefix, suffixes=s.ingest_suffixes)
    lease = Lease(s, "ingest", topics.LEASES["ingest"])
    checkpoint_key = f"{s.bucket}/{s.ingest_prefix}"
    term = 0  # the lease term the reconciler's checkpoint was loaded in
    from_notifications = StageShell(app, "ingest", topics.S3_EVENTS)
    from_bucket = StageShell(app, "ingest", f"s3://{s.bucket}/{s.ingest_prefix}")
    gate = StageShell(app, "ingest", topics.INGEST)
    passed = Dedupe(gate.table("passed"))  # voicemail_id -> the path that announced it first

    def announce(raw: bytes) -> list[Output]:
        found = announced(raw, s.bucket, s.ingest_prefix, s.ingest_suffixes, lambda b, k: s3io.head(s3, b, k),
                          events.utcnow())
        return [(topics.INGEST, e.voicemail_id, events.encode(topics.INGEST, e)) for e in found]

    async def from_notification(raw: bytes) -> Outcome:
        return Outcome(await asyncio.get_running_loop().run_in_executor(None, announce, raw))

    async def once(raw: bytes) -> Outcome:
        event = events.read(Voicemail, topics.INGEST, raw)
        vm_id = event.voicemail_id
        if passed.done(vm_id):
            log.info("ingest.duplicate_skipped", voicemail_id=vm_id, source=event.source,
                     first_source=passed.table[vm_id])
            return Outcome([])
        return Outcome([(topics.RECEIVED, vm_id, events.encode(topics.RECEIVED, event))],
                       on_acked=passed.after_ack(vm_id, event.source))

    from_notifications.consume(topics.S3_EVENTS, from_notification, name="notifications")
    gate.consume(topics.INGEST, once, name="once")

    @app.task
    async def join_lease() -> None:
        lease.start()
        atexit.register(lease.release)  # leave the group on shutdown: a standby takes over at once

    @app.timer(interval=s.reconcile_interval_s, name="reconcile")
    async def reconcile() -> None:
        nonlocal term
        if not lease.held():
            return  # another replica lists the bucket
        if lease.term != term:  # just took the lease: resume from the last holder's checkpoint
            reconciler.checkpoint = Checkpoint.decode(lease.value(checkpoint_key))
            term = lease.term
            log.info("ingest.reconciler_resumed", watermark=reconciler.checkpoint.watermark is not None,
                     seen=len(reconciler.checkpoint.seen))
        loop = asyncio.get_running_loop()
        try:
            done = await loop.run_in_executor(None, reconciler.scan, events.utcnow())
        except Exception as exc:  # noqa: BLE001 - storage unreachable: the next pass tries again
            log.warning("ingest.scan_failed", error=type(exc).__name__)
            return
        for obj, why in done.rejected:
            ref = json.dumps({"bucket": obj.bucket, "key": obj.key, "etag": obj.etag}).encode()
            await from_bucket.dead_letter(ref, obj.voicemail_id, why.reason, str(why))
        await from_bucket.publish([(topics.INGEST, e.voicemail_id, events.encode(topics.INGEST, e))
                                   for e in done.events])
        stored = reconciler.commit(done)  # only after the broker acked every event of the pass
        if stored is not None:
            await from_bucket.publish([(topics.LEASES["ingest"], checkpoint_key, stored)])
        if done.events:
            log.info("ingest.announced", count=len(done.events), rejected=len(done.rejected))
