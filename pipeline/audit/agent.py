"""Audit stage shell: follows every step topic and the outcomes, keeps one row per voicemail in a
changelog-backed table while it is under way, and on a timer re-publishes (Kafka header `redrive: n`)
the last event of each voicemail that stopped, or dead-letters it `not_completed`. Finished voicemails
leave that table at once; their end marks expire with the topics' retention. Its view must be whole,
so one replica works at a time (`worker.SINGLE_ACTIVE`: the others stand by for its lease)."""

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
from pipeline.stream.lease import Lease
from pipeline.stream.ops import REDRIVES, STATE_ROWS

log = get_logger(__name__)


def register(app: faust.App, s: Settings, lease: Lease | None = None) -> None:
    """Wire the audit stage: follow every voicemail topic, redrive or give up on a stalled voicemail;
    with a `lease`, judge only while holding it."""
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

    # Where each followed partition ended when the partitions were assigned (or the lease was taken
    # again); None once read that far.
    catch_up: dict | None = {}
    term = lease.term if lease is not None else 0

    async def on_assigned(_app: faust.App, assigned: set, **_: object) -> None:
        nonlocal catch_up
        catch_up = {}

    app.on_partitions_assigned.connect(on_assigned)  # type: ignore[arg-type]

    @app.timer(interval=s.audit_check_interval_s, name="audit")
    async def audit() -> None:
        nonlocal catch_up, term
        count_rows()
        if lease is not None and not lease.held():
            return  # lost for now: judge nothing until it is back, or the worker stops
        if lease is not None and lease.term != term:
            catch_up, term = {}, lease.term
        # A replica that just took over (or restarted) judges nothing until it has read what was there
        # when it started, the last one's redrives included: acting on rows the stream has not caught up
        # with would redrive a voicemail twice.
        if catch_up is not None:
            if not await _caught_up(app, catch_up):
                return
            catch_up = None
            log.info("audit.caught_up", open=len(ledger.open))
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


async def _caught_up(app: faust.App, ends: dict) -> bool:
    """Whether the consumer has read each followed partition it holds up to the end recorded in `ends`
    (the partition's end the first time it is asked about, kept there)."""
    consumer = app.consumer
    followed = [tp for tp in consumer.assignment() if tp.topic in FOLLOWED]
    for tp in followed:
        if tp not in ends:
            end = consumer.highwater(tp)
            if end is None:  # not fetched yet
                return False
            ends[tp] = end
    positions = [await consumer.position(tp) for tp in followed]
    return bool(followed) and all(p is not None and p >= ends[tp] for tp, p in zip(followed, positions, strict=True))
