"""Audit stage shell: follows every step topic and the outcomes, keeps one row per voicemail in a
changelog-backed table while it is under way, and on a timer re-publishes (Kafka header `redrive: n`)
the last event of each voicemail that stopped, or dead-letters it `not_completed`. Finished voicemails
leave that table at once; their end marks expire with the topics' retention. Runs as one worker: its
view must be whole."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import faust

from pipeline import events, topics
from pipeline.audit.core import FOLLOWED, HEADER, Ledger, redrive_of, voicemail_id
from pipeline.config import Settings
from pipeline.logging import get_logger
from pipeline.stream.app import StageShell
from pipeline.stream.ops import REDRIVES, STATE_ROWS

log = get_logger(__name__)


def register(app: faust.App, s: Settings) -> None:
    """Wire the audit stage: follow every voicemail topic, redrive or give up on a stalled voicemail."""
    shell = StageShell(app, "audit", topics.VOICEMAIL_PATTERN)
    ledger = Ledger(shell.table("audit"), shell.table("audit-ended"), shell.table("audit-progress"),
                    keep=timedelta(milliseconds=s.topic_retention_ms))
    grace, after = timedelta(seconds=s.audit_grace_s), timedelta(seconds=s.audit_redrive_after_s)

    def count_rows() -> None:
        STATE_ROWS.labels("audit", "open").set(len(ledger.open))
        STATE_ROWS.labels("audit", "ended").set(len(ledger.ended))

    @app.agent(app.topic(*FOLLOWED, key_type=bytes, value_type=bytes), name="follow")
    async def follow(stream: faust.StreamT) -> None:
        async for event in stream.events():
            msg = event.message
            try:
                doc = json.loads(event.value)
                vm_id = voicemail_id(msg.topic, doc)
            except (TypeError, ValueError, AttributeError):
                continue  # the stage that reads it dead-letters it; nothing to follow
            if not vm_id:
                continue
            if ledger.read(vm_id, msg.topic, msg.partition, msg.offset, event.value, events.utcnow(),
                           redrive_of(msg.headers)):
                count_rows()

    @app.timer(interval=s.audit_check_interval_s, name="audit")
    async def audit() -> None:
        count_rows()
        for a in ledger.due(events.utcnow(), time.monotonic(), grace, after, s.audit_max_redrives):
            if a.kind == "redrive":
                count = a.redrives + 1
                await shell.publish([(a.topic, a.vm_id, a.raw)], headers={HEADER: str(count).encode()})
                REDRIVES.labels(a.why).inc()
                log.warning("audit.redrive", voicemail_id=a.vm_id, step=a.topic, why=a.why, redrive=count)
            else:
                await shell.dead_letter(a.raw, a.vm_id, "not_completed",
                                        f"stopped at {a.topic} after {a.redrives} redrives", topic=a.topic)

    @app.timer(interval=min(3600.0, s.topic_retention_ms / 10_000), name="audit-expire")
    async def expire() -> None:
        dropped = ledger.expire(events.utcnow())
        if dropped:
            log.info("audit.expired", count=dropped)
            count_rows()
