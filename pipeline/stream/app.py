"""The thin Kafka shell around the pure stage cores: one faust app (= one consumer group) per stage.

Delivery guarantee: at-least-once. An agent returns from a message only after its outputs are
acknowledged by the broker (acks=all), so the offset faust commits afterwards never runs ahead of
what was produced. faust acks a message even when the agent raises, so no exception may leave an
agent: a failing message becomes a dead letter on `voicemail.dlq`, and the agent moves on.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import faust
from faust.transport.drivers.aiokafka import Producer as AIOKafkaProducer

from pipeline import events, topics
from pipeline.config import Settings
from pipeline.errors import Rejected
from pipeline.logging import get_logger
from pipeline.stream.ops import DEAD_LETTERS, MESSAGES, PUBLISH_RETRIES, STAGE_SECONDS
from pipeline.transport import faust_credentials

log = get_logger(__name__)
Output = tuple[str, str, bytes]  # topic, key, value


@dataclass(frozen=True)
class Outcome:
    """What one step produced: the messages to publish and the state to record once they are acked."""
    outputs: list[Output]
    on_acked: Callable[[], None] | None = None  # state to record once the broker has the outputs


Step = Callable[[bytes], Awaitable[Outcome]]


class _IdempotentProducer(AIOKafkaProducer):
    """faust's aiokafka producer, idempotent outside transactions too (faust turns that on only inside
    one): a send retried after a leader change or a lost ack is written once."""

    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class _App(faust.App):
    def _new_producer(self) -> faust.types.ProducerT:
        return _IdempotentProducer(self.transport, loop=self.loop, beacon=self.beacon)


def make_app(stage: str, s: Settings) -> faust.App:
    """The faust app of one stage, with the broker, credentials and state folder configured."""
    s.state_dir.mkdir(parents=True, exist_ok=True)
    return _App(
        f"voicemail-{stage}",
        broker=f"kafka://{s.kafka_bootstrap}",
        broker_credentials=faust_credentials(s),
        key_serializer="raw",
        value_serializer="raw",  # we decode and validate ourselves, so bad bytes become dead letters
        store="memory://",  # tables rebuild from their changelog topics on start
        datadir=str(s.state_dir / f"faust-{stage}"),
        web_enabled=False,
        topic_disable_leader=True,
        topic_partitions=s.topic_partitions,
        topic_replication_factor=s.topic_replication,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        broker_session_timeout=s.kafka_session_timeout_s,
        broker_heartbeat_interval=min(3.0, s.kafka_session_timeout_s / 10),
        table_standby_replicas=0,  # a standby copy would let two workers act on the same table rows
    )


class Dedupe:
    """What a stage already published, per key, in one of its tables: a message whose key is recorded
    (with the same mark, when one is given) is skipped. The mark goes in only after the broker acked
    the outputs (`Outcome.on_acked`), so a crash in between publishes again rather than loses."""

    def __init__(self, table: MutableMapping[str, str]) -> None:
        self.table = table

    def done(self, key: str, mark: str | None = None) -> bool:
        """Whether `key` was published already (for this `mark`: a new model or a changed triage is not)."""
        recorded = self.table.get(key)
        return recorded is not None and (mark is None or recorded == mark)

    def after_ack(self, key: str, mark: str) -> Callable[[], None]:
        """The `on_acked` callback that records `key` with `mark`."""
        return lambda: self.table.__setitem__(key, mark)


class StageShell:
    """The Kafka side of a stage: topics, publishing, dead letters and metrics around a pure step."""
    def __init__(self, app: faust.App, stage: str, source: str) -> None:
        self.app, self.stage, self.source = app, stage, source
        self._topics: dict[str, faust.TopicT] = {}

    def topic(self, name: str) -> faust.TopicT:
        """The faust topic of that name (bytes in, bytes out), created once."""
        if name not in self._topics:
            self._topics[name] = self.app.topic(name, key_type=bytes, value_type=bytes)
        return self._topics[name]

    def table(self, name: str) -> faust.types.TableT:
        """One of the stage's state tables (`topics.TABLES`: their changelogs are provisioned)."""
        if name not in topics.TABLES[self.stage]:
            raise ValueError(f"{self.stage}: table {name!r} is not in topics.TABLES; its changelog would not exist")
        return self.app.Table(name, default=None, key_type=str, value_type=str)

    def consume(self, topic: str, step: Step, name: str, concurrency: int = 1) -> None:
        """Run `step` on every message of `topic` (a faust agent named `name`), through `handle`."""
        @self.app.agent(self.topic(topic), name=name, concurrency=concurrency)
        async def agent(stream: faust.StreamT) -> None:
            async for raw in stream:
                await self.handle(raw, step)

    async def publish(self, outputs: list[Output], headers: dict[str, bytes] | None = None) -> None:
        """Send and wait for the broker's ack. Retries without end: dropping output would lose a voicemail,
        and blocking here holds the offset, so a stuck broker shows up as lag, not as loss."""
        delay = 0.5
        while True:
            try:
                futures = [await self.topic(t).send(key=k.encode(), value=v, headers=headers) for t, k, v in outputs]
                await asyncio.gather(*futures)
                return
            except Exception as exc:  # noqa: BLE001 - any send failure is retried the same way
                log.warning("stage.publish_retry", stage=self.stage, error=type(exc).__name__, delay_s=delay)
                PUBLISH_RETRIES.labels(self.stage).inc()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def handle(self, raw: bytes | None, step: Step) -> None:
        """Run `step`, publish its outputs, then record its state; any failure becomes a dead letter."""
        if raw is None:  # a tombstone carries nothing to process; it is recorded, not dropped
            await self.dead_letter(raw, None, "schema_invalid", "empty message value")
            return
        vm_id = voicemail_id_of(raw)
        started = time.perf_counter()
        try:
            try:
                outcome = await step(raw)
            except Rejected as exc:
                await self.dead_letter(raw, vm_id, exc.reason, str(exc))
                return
            except Exception as exc:  # noqa: BLE001 - never let an exception escape: faust would ack and lose it
                log.error("stage.unexpected_error", stage=self.stage, voicemail_id=vm_id, error=type(exc).__name__)
                await self.dead_letter(raw, vm_id, "unexpected_error", type(exc).__name__)
                return
            await self.publish(outcome.outputs)
            if outcome.on_acked is not None:
                outcome.on_acked()
            MESSAGES.labels(self.stage, "ok").inc()
            log.info("stage.done", stage=self.stage, voicemail_id=vm_id, outputs=[t for t, _, _ in outcome.outputs])
        finally:
            STAGE_SECONDS.labels(self.stage).observe(time.perf_counter() - started)

    async def dead_letter(self, raw: bytes | None, vm_id: str | None, reason: str, error: str,
                          topic: str | None = None) -> None:
        """Publish a dead-letter record for a message this stage could not handle."""
        record = events.dead_letter(stage=self.stage, reason=reason, error=error, topic=topic or self.source,
                                    raw=raw, vm_id=vm_id)
        log.warning("stage.dead_letter", stage=self.stage, voicemail_id=vm_id, reason=reason)
        await self.publish([(topics.DLQ, vm_id or "unknown", events.encode(topics.DLQ, record))])
        MESSAGES.labels(self.stage, "dead_letter").inc()
        DEAD_LETTERS.labels(self.stage, reason).inc()


_VM_ID = re.compile(rb'"voicemail_id"\s*:\s*"([^"\\\x00-\x1f]{1,63})"')  # what it claims, even if not valid


def voicemail_id_of(raw: bytes) -> str | None:
    """The voicemail id in a message, only to label logs and dead letters: found, not parsed (the step
    parses and validates the message once)."""
    found = _VM_ID.search(raw)
    return found.group(1).decode() if found else None
