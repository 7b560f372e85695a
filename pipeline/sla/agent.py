"""SLA monitor shell: follows the task topics, `tasks.status` and its own `tasks.escalated`, and
publishes each task whose deadline passed without an acknowledgement to `tasks.escalated`, once per
level. State lives in changelog-backed tables (`sla.Book`): only tasks that may still escalate are kept open;
levels are recorded from the escalations it reads back, so a restart neither repeats nor skips a level
(at most one repeat if it dies mid-publish)."""

from __future__ import annotations

import json
from datetime import timedelta

import faust

from pipeline import events, topics
from pipeline.config import Settings
from pipeline.errors import Rejected
from pipeline.logging import get_logger
from pipeline.sla.core import Book, reassigned_to
from pipeline.stream.app import StageShell
from pipeline.stream.ops import STATE_ROWS

log = get_logger(__name__)


def register(app: faust.App, s: Settings) -> None:
    """Wire the SLA monitor: follow tasks and their status updates, escalate overdue ones."""
    shell = StageShell(app, "sla", topics.TASKS_PATTERN)
    book = Book(shell.table("sla"), shell.table("sla-closed"),  # open task id -> JSON of its state; closed marks
                keep=timedelta(milliseconds=s.topic_retention_ms), max_level=s.sla_max_level)
    followed = [*(topics.task_topic(r) for r in topics.ROLES), topics.TASK_STATUS, topics.ESCALATED]
    every = timedelta(seconds=s.sla_escalate_every_s)

    def apply(topic: str, raw: bytes) -> None:
        try:
            doc = json.loads(raw)
        except (TypeError, ValueError):
            raise Rejected("malformed_json", "not JSON") from None
        now = events.utcnow()
        if topic == topics.ESCALATED:
            esc = events.validate(topics.ESCALATED, doc)
            book.escalated(esc["task_id"], esc["level"], now)
        elif topic == topics.TASK_STATUS:
            st = events.validate(topics.TASK_STATUS, doc)
            book.status(st["id"], st["status"], now, role=reassigned_to(st))
        else:
            task = events.validate("task", doc)
            book.task(task["id"], topics.role_of(topic), task["priority"], task["restriction"]["period"]["end"], now)

    @app.agent(app.topic(*followed, key_type=bytes, value_type=bytes), name="follow")
    async def follow(stream: faust.StreamT) -> None:
        async for event in stream.events():
            topic, raw = event.message.topic, event.value
            try:
                apply(topic, raw)
            except Rejected as exc:
                await shell.dead_letter(raw, None, exc.reason, str(exc))
            except Exception as exc:  # noqa: BLE001 - never let an exception escape an agent
                await shell.dead_letter(raw, None, "unexpected_error", type(exc).__name__)

    @app.timer(interval=s.sla_check_interval_s, name="escalate")
    async def escalate() -> None:
        now = events.utcnow()
        due_now = book.due(now, every)
        outputs = []
        for task_id, lvl, st in due_now:
            esc = {"schema_version": events.SCHEMA_VERSION, "task_id": task_id, "level": lvl, "role": st["role"],
                   "priority": st["priority"], "due_by": st["due"], "escalated_at": events.iso(now)}
            outputs.append((topics.ESCALATED, f"{task_id}:{lvl}", events.encode(topics.ESCALATED, esc)))
        if outputs:
            await shell.publish(outputs)
            book.sent.update((task_id, lvl) for task_id, lvl, _ in due_now)
            log.info("sla.escalated", count=len(outputs))
        STATE_ROWS.labels("sla", "open").set(len(book.open))
        STATE_ROWS.labels("sla", "ended").set(len(book.closed))

    @app.timer(interval=min(3600.0, s.topic_retention_ms / 10_000), name="sla-expire")
    async def expire() -> None:
        dropped = book.expire(events.utcnow())
        if dropped:
            log.info("sla.expired", count=dropped)
