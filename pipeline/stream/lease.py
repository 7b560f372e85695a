"""One active replica among many: a lease held through Kafka consumer-group membership.

Every replica of a stage that must act alone (the ingest reconciler, the audit) joins the group
`voicemail-<name>-lease` on a one-partition topic (`topics.LEASES`). The member the group assigns
that partition to holds the lease; the others wait. When the holder leaves (shutdown) the partition
moves at once; when it dies (kill -9, a lost node) it moves once the group coordinator stops getting
its heartbeats, after `VM_KAFKA_SESSION_TIMEOUT_S`. The cooperative-sticky assignor keeps the lease
with its holder while standbys join and leave.

The partition also carries state (compacted, latest value per key): a new holder reads it to its end
before `held()` turns true, so it starts from what the last holder wrote (the reconciler's checkpoint).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.coordinator.assignors.cooperative_sticky import CooperativeStickyAssignor
from kafka.errors import KafkaError

from pipeline.config import Settings
from pipeline.logging import get_logger
from pipeline.stream.ops import LEASE_HELD
from pipeline.transport import kafka_kwargs

log = get_logger(__name__)


class Lease(ConsumerRebalanceListener):
    """Membership of a lease group, kept by a background thread that polls the lease topic."""

    def __init__(self, s: Settings, name: str, topic: str, on_lost: Callable[[], None] | None = None) -> None:
        self.name, self.topic, self.on_lost = name, topic, on_lost
        self.partition = TopicPartition(topic, 0)
        session_ms = int(s.kafka_session_timeout_s * 1000)
        self._consumer = KafkaConsumer(**kafka_kwargs(s), group_id=f"voicemail-{name}-lease", enable_auto_commit=False,
                                       auto_offset_reset="earliest", session_timeout_ms=session_ms,
                                       heartbeat_interval_ms=min(3000, session_ms // 10),
                                       partition_assignment_strategy=[CooperativeStickyAssignor])
        self._held = threading.Event()
        self._stop = threading.Event()
        self._assigned = False  # given the lease partition, not yet read to its end
        self._values: dict[bytes, bytes] = {}
        self.term = 0  # how many times this replica acquired the lease: a new term reloads the state
        self._thread = threading.Thread(target=self._run, name=f"lease-{name}", daemon=True)

    def start(self) -> Lease:
        """Join the lease group (in the background); returns self."""
        self._thread.start()
        return self

    def held(self) -> bool:
        """Whether this replica holds the lease (and has read the lease partition's state)."""
        return self._held.is_set()

    def wait(self, timeout: float) -> bool:
        """Block until the lease is held or `timeout` passed; whether it is held."""
        return self._held.wait(timeout)

    def alive(self) -> bool:
        """Whether the lease thread is still a member of the group (or trying to be)."""
        return self._thread.is_alive()

    def value(self, key: str) -> bytes | None:
        """The latest value recorded under `key` on the lease partition (read to its end before the lease
        was taken)."""
        return self._values.get(key.encode())

    def release(self) -> None:
        """Leave the group, so a standby takes over now rather than after the session timeout."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    # The rebalance listener. kafka-python calls it on its IO thread: nothing in it may block.
    def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        """Given the lease partition: `_run` reads it to its end before the lease is held. No offsets are
        ever committed, so reading starts at the partition's beginning."""
        if self.partition in assigned:
            self._values.clear()
            self._assigned = True

    def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        """The lease partition moved to another member (cooperative: only when it really moves)."""
        if self.partition in revoked:
            self._lose("revoked")

    def on_partitions_lost(self, lost: list[TopicPartition]) -> None:
        """Dropped from the group (missed heartbeats): another member may hold the lease already."""
        if self.partition in lost:
            self._lose("lost")

    def _lose(self, how: str) -> None:
        self._assigned = False
        if self._held.is_set():
            self._held.clear()
            LEASE_HELD.labels(self.name).set(0)
            log.warning("lease.lost", lease=self.name, how=how)
            if self.on_lost is not None:
                self.on_lost()

    def _poll(self) -> None:
        for records in self._consumer.poll(timeout_ms=500).values():
            for record in records:
                if record.key is not None:
                    self._values[record.key] = record.value
        if self._assigned and not self._held.is_set() and self._read_to_end():
            self.term += 1
            self._held.set()
            LEASE_HELD.labels(self.name).set(1)
            log.info("lease.acquired", lease=self.name, term=self.term)

    def _read_to_end(self) -> bool:
        end = self._consumer.end_offsets([self.partition])[self.partition]
        return self._consumer.position(self.partition) >= end

    def _run(self) -> None:
        self._consumer.subscribe([self.topic], listener=self)
        try:
            while not self._stop.is_set():
                try:
                    self._poll()
                except KafkaError as exc:  # a broker restarting: the consumer rejoins on a later poll
                    log.warning("lease.poll_failed", lease=self.name, error=type(exc).__name__)
                    self._stop.wait(1.0)
        except Exception as exc:  # noqa: BLE001 - a lease thread that dies must not leave a holder acting
            log.error("lease.failed", lease=self.name, error=type(exc).__name__)
            self._lose("failed")
        finally:
            self._held.clear()
            LEASE_HELD.labels(self.name).set(0)
            self._consumer.close()
