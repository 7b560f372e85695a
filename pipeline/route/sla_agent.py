"""SLA monitor shell: follows the task topics, `tasks.status` and its own `tasks.escalated`, and
publishes each task whose deadline passed without an acknowledgement to `tasks.escalated`, once per
level. State lives in a changelog-backed table; levels are recorded from the escalations it reads
back, so a restart neither repeats nor skips a level (at most one repeat if it dies mid-publish)."""

from __future__ import annotations

import json
from datetime import timedelta

import faust

from pipeline import events, topics
from pipeline.config import Settings
from pipeline.errors import Rejected
from pipeline.logging import get_logger
from pipeline.route.sla import ACKNOWLEDGED, escalation_level
from pipeline.stream.app import StageShell

log = get_logger(__name__)


def register(app: faust.App, s: Settings) -> None:
    """Wire the SLA monitor: follow tasks and their status updates, escalate overdue ones."""
    shell = StageShell(app, "sla", topics.TASKS_PATTERN)
    table = app.Table("sla", default=None, key_type=str, value_type=str)  # task id -> JSON of its state

    def get(task_id: str) -> dict:
        raw = table.get(task_id)
        return json.loads(raw) if raw else {}

    def put(task_id: str, value: dict) -> None:
        table[task_id] = json.dumps(value)
    followed = [*(topics.task_topic(r) for r in topics.ROLES), topics.TASK_STATUS, topics.ESCALATED]
    every = timedelta(seconds=s.sla_escalate_every_s)
    sent: set[tuple[str, int]] = set()  # published, not yet read back

    def apply(topic: str, raw: bytes) -> None:
        try:
            doc = json.loads(raw)
        except (TypeError, ValueError):
            raise Rejected("malformed_json", "not JSON") from None
        if topic == topics.ESCALATED:
            esc = events.validate(topics.ESCALATED, doc)
            current = get(esc["task_id"])
            put(esc["task_id"], {**current, "level": max(current.get("level", 0), esc["level"])})
        elif topic == topics.TASK_STATUS:
            st = events.validate(topics.TASK_STATUS, doc)
            put(st["id"], {**get(st["id"]), "status": st["status"]})
        else:
            task = events.validate("task", doc)
            put(task["id"], {"level": 0, "status": "requested", **get(task["id"]), "role": topics.role_of(topic),
                             "priority": task["priority"], "due": task["restriction"]["period"]["end"]})

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
        due_now = []
        for task_id in list(table.keys()):
            st = get(task_id)
            if "due" not in st or st.get("status") in ACKNOWLEDGED:
                continue
            level = escalation_level(events.parse_time(st["due"]), now, every, s.sla_max_level)
            for lvl in range(st.get("level", 0) + 1, level + 1):
                if (task_id, lvl) not in sent:
                    due_now.append((task_id, lvl, st))
        outputs = []
        for task_id, lvl, st in due_now:
            esc = {"schema_version": events.SCHEMA_VERSION, "task_id": task_id, "level": lvl, "role": st["role"],
                   "priority": st["priority"], "due_by": st["due"], "escalated_at": events.iso(now)}
            outputs.append((topics.ESCALATED, f"{task_id}:{lvl}", events.encode(topics.ESCALATED, esc)))
        if outputs:
            await shell.publish(outputs)
            sent.update((task_id, lvl) for task_id, lvl, _ in due_now)
            log.info("sla.escalated", count=len(outputs))
