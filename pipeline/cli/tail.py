"""`python -m pipeline tail`: print tasks as they arrive, as a minimal EHR consumer would read them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO

from kafka import KafkaProducer

from pipeline import events, topics
from pipeline.adapters.kafka import read_topics
from pipeline.config import Settings
from pipeline.transport import producer_kwargs


def read_tasks(s: Settings, roles: list[str] | None = None, idle_timeout_s: float | None = None
               ) -> Iterator[tuple[str, dict]]:
    """(topic, FHIR Task) from the role topics, oldest first."""
    for topic, raw in read_topics(s, [topics.task_topic(r) for r in (roles or topics.ROLES)], idle_timeout_s):
        yield topic, json.loads(raw)


def summary(topic: str, task: dict) -> str:
    """One line for a task: topic, priority, due time, patient display and description."""
    due = task["restriction"]["period"]["end"]
    return f"{topic:18} {task['priority']:8} due {due:25} {task['for']['display']:32} {task['description']}"


def tail(s: Settings, roles: list[str] | None = None, count: int | None = None, timeout_s: float | None = None,
         as_json: bool = False, ack: bool = False, out: IO[str] = sys.stdout) -> int:
    """Print tasks; with `ack`, acknowledge each on tasks.status as an EHR would (FHIR status "accepted")."""
    producer = KafkaProducer(**producer_kwargs(s)) if ack else None
    seen = 0
    for topic, task in read_tasks(s, roles, timeout_s):
        print(json.dumps({"topic": topic, "task": task}) if as_json else summary(topic, task), file=out, flush=True)
        if producer is not None:
            status = {"resourceType": "Task", "id": task["id"], "status": "accepted",
                      "lastModified": events.iso(events.utcnow())}
            producer.send(topics.TASK_STATUS, key=task["id"].encode(),
                          value=events.encode(topics.TASK_STATUS, status)).get(timeout=30)
        seen += 1
        if count is not None and seen >= count:
            break
    if producer is not None:
        producer.close()
    return 0 if count is None or seen >= count else 1
