"""`python -m pipeline tail`: print tasks as they arrive, as a minimal EHR consumer would read them."""

from __future__ import annotations

import json
import sys
from typing import IO

from kafka import KafkaConsumer

from pipeline import topics
from pipeline.config import Settings


def tail(s: Settings, roles: list[str] | None = None, count: int | None = None, timeout_s: float | None = None,
         out: IO[str] = sys.stdout) -> int:
    wanted = [topics.task_topic(r) for r in (roles or topics.ROLES)]
    consumer = KafkaConsumer(*wanted, bootstrap_servers=s.kafka_bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False,
                             consumer_timeout_ms=int(timeout_s * 1000) if timeout_s else float("inf"))
    seen = 0
    try:
        for msg in consumer:
            task = json.loads(msg.value)
            print(json.dumps({"topic": msg.topic, "task_id": task["id"], "priority": task["priority"],
                              "due_by": task["restriction"]["period"]["end"], "for": task["for"]["display"],
                              "description": task["description"]}), file=out, flush=True)
            seen += 1
            if count is not None and seen >= count:
                break
    finally:
        consumer.close()
    return 0 if count is None or seen >= count else 1
