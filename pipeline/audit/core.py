"""Completeness audit, pure: every voicemail that entered the pipeline ends as a task or a dead letter.

The stages are at-least-once, but a stream library can still skip a message: faust-streaming
0.15.3, after a rebalance, drops or acks messages fetched for the previous generation (its open
issues #606, #221; the chaos test shows it). So the audit follows each voicemail from step to step
(ingest candidate -> claim check -> transcript -> triage -> task or dead letter) and re-publishes the
last event of one that stopped:
- at once (after `grace`) when a later message of the same partition of the same step has moved on:
  a stage reads a partition in order, so this one was skipped;
- after `after`, when nothing on its partition of that step moved for as long either (the last
  message of a partition has nothing behind it; a backlog keeps moving, so it is left alone);
up to `max_redrives` times; then it is dead-lettered `not_completed`, so a person looks.
Re-publishing is safe: every stage dedupes (ingest gate, transcribe table, route table).

State stays bounded (`Ledger`): a finished voicemail leaves the open rows at once, its end mark
stays for as long as its events can still be read back (the topics' retention), and how far each
(step, partition) moved is kept per partition, not per voicemail.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from pipeline import events, topics

STEPS = (topics.INGEST, topics.RECEIVED, topics.TRANSCRIBED, topics.TRIAGED)
FINAL = frozenset({topics.DLQ, *(topics.task_topic(r) for r in topics.ROLES)})
FOLLOWED = (*STEPS, *sorted(FINAL))


def voicemail_id(topic: str, doc: dict) -> str | None:
    """The voicemail an event on `topic` belongs to (a Task names it in its identifier), or None."""
    if topic in FINAL and topic != topics.DLQ:
        return events.voicemail_of(doc)
    vm_id = doc.get("voicemail_id")
    return vm_id if isinstance(vm_id, str) else None


HEADER = "redrive"  # Kafka header on a re-published event: how many times the audit re-published it


def redrive_of(headers: list[tuple[str, bytes]] | None) -> int:
    """The redrive count an event carries (0 when none, or when the header is not a small number)."""
    value = dict(headers or []).get(HEADER, b"0") or b"0"
    return int(value) if value.isdigit() and len(value) < 4 else 0


def observe(row: dict | None, topic: str, partition: int, offset: int, raw: bytes, now: datetime,
            redrive: int = 0) -> dict | None:
    """The voicemail's new audit row after reading `raw` at (topic, partition, offset); None: unchanged."""
    row = row or {"at": {}}
    if row.get("done"):
        return None
    at = dict(row["at"])
    if "step" in row and (topic in FINAL or topic != row["step"]):
        at[row["step"]] = [*at[row["step"]][:2], events.iso(now)]  # when it left that step
    if topic in FINAL:
        return {"done": True, "at": at, "outcome": "dead_letter" if topic == topics.DLQ else "task"}
    step = STEPS.index(topic)
    current = STEPS.index(row["step"]) if "step" in row else -1
    if step < current or (step == current and not redrive):
        return None  # behind, or a duplicate of the step it is at: the first one is followed
    return {"step": topic, "at": {**at, topic: [partition, offset]}, "since": events.iso(now),
            "raw": base64.b64encode(raw).decode(), "redrives": redrive if step == current else 0}


@dataclass(frozen=True)
class Action:
    """What the audit does about one stalled voicemail: redrive its last event, or give up."""
    vm_id: str
    kind: str  # "redrive" | "give_up"
    why: str  # "skipped" | "overdue"
    topic: str
    raw: bytes
    redrives: int


def progressed(rows: dict[str, dict]) -> dict[tuple[str, int], tuple[int, datetime]]:
    """(step topic, partition) -> (highest offset there whose voicemail moved past the step, when one
    last moved past it)."""
    high: dict[tuple[str, int], tuple[int, datetime]] = {}
    for row in rows.values():
        for topic, where in row["at"].items():
            if len(where) == 3:
                partition, offset, left = where[0], where[1], events.parse_time(where[2])
                best = high.get((topic, partition))
                high[(topic, partition)] = (max(offset, best[0]), max(left, best[1])) if best else (offset, left)
    return high


def actions(rows: dict[str, dict], now: datetime, grace: timedelta, after: timedelta,
            max_redrives: int, high: dict[tuple[str, int], tuple[int, datetime]] | None = None) -> list[Action]:
    """The redrives and give-ups due at `now` for voicemails that stopped short of a task (`high`:
    the progress of each step partition, by default from `rows` alone)."""
    high = progressed(rows) if high is None else high
    out = []
    for vm_id, row in rows.items():
        if row.get("done"):
            continue
        waited = now - events.parse_time(row["since"])
        partition, offset = row["at"][row["step"]][:2]
        moved_offset, moved_at = high.get((row["step"], partition), (-1, None))
        if waited >= grace and moved_offset > offset:
            why = "skipped"
        elif waited >= after and (moved_at is None or now - moved_at >= after):
            why = "overdue"  # and its partition has not moved for as long: not a backlog, a halt
        else:
            continue
        kind = "redrive" if row["redrives"] < max_redrives else "give_up"
        out.append(Action(vm_id, kind, why, row["step"], base64.b64decode(row["raw"]), row["redrives"]))
    return out


class Ledger:
    """The audit's state over three string-valued mappings (faust tables in the stream, dicts in
    tests): `open` rows of voicemails under way, the time each finished one `ended` (so a late
    duplicate is not followed again), and the `progress` of each step partition. The timer reads
    only open rows; end marks go after `keep`."""

    def __init__(self, open_rows: MutableMapping[str, str], ended: MutableMapping[str, str],
                 progress: MutableMapping[str, str], keep: timedelta) -> None:
        self.open, self.ended, self.progress, self.keep = open_rows, ended, progress, keep
        # voicemail id -> when its last redrive went out (monotonic seconds), until its row changes
        self.sent: dict[str, float] = {}

    def read(self, vm_id: str, topic: str, partition: int, offset: int, raw: bytes, now: datetime,
             redrive: int = 0) -> bool:
        """Follow one event of `vm_id`; True when its row changed (progress, a redrive read back, the end)."""
        if vm_id in self.ended:
            return False
        old = self.open.get(vm_id)
        new = observe(json.loads(old) if old else None, topic, partition, offset, raw, now, redrive)
        if new is None:
            return False
        self.sent.pop(vm_id, None)  # progress, a redrive read back, or the end: judge it afresh
        self._advance(new)
        if new.get("done"):
            self.open.pop(vm_id, None)
            self.ended[vm_id] = events.iso(now)
        else:
            self.open[vm_id] = json.dumps(new)
        return True

    def due(self, now: datetime, clock: float, grace: timedelta, after: timedelta, max_redrives: int) -> list[Action]:
        """The actions due at `now`, less those sent under `after` ago (by the monotonic `clock`) whose
        echo has not been read back (the audit's own consumer may have missed it); marks them sent."""
        out = [a for a in self.actions(now, grace, after, max_redrives)
               if clock - self.sent.get(a.vm_id, -math.inf) >= after.total_seconds()]
        for a in out:
            self.sent[a.vm_id] = clock  # before publishing: the echo can be read back before the publish returns
        return out

    def actions(self, now: datetime, grace: timedelta, after: timedelta, max_redrives: int) -> list[Action]:
        """The redrives and give-ups due at `now` (module-level `actions` over the open rows)."""
        high = {}
        for key, value in list(self.progress.items()):
            topic, _, partition = key.rpartition("|")
            offset, moved = json.loads(value)
            high[(topic, int(partition))] = (offset, events.parse_time(moved))
        rows = {vm_id: json.loads(raw) for vm_id, raw in list(self.open.items())}
        return actions(rows, now, grace, after, max_redrives, high)

    def expire(self, now: datetime) -> int:
        """Drop end marks older than `keep`; the number dropped."""
        old = [vm_id for vm_id, at in list(self.ended.items()) if now - events.parse_time(at) > self.keep]
        for vm_id in old:
            del self.ended[vm_id]
        return len(old)

    def _advance(self, row: dict) -> None:
        for (topic, partition), (offset, moved) in progressed({"": row}).items():
            key = f"{topic}|{partition}"
            if key in self.progress:
                was_offset, was_moved = json.loads(self.progress[key])
                offset, moved = max(offset, was_offset), max(moved, events.parse_time(was_moved))
            value = json.dumps([offset, events.iso(moved)])
            if self.progress.get(key) != value:  # unchanged progress writes nothing to the changelog
                self.progress[key] = value
