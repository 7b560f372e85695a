"""`python -m pipeline stats`: the return-call scorecard, computed from what is on the topics."""

from __future__ import annotations

import json
import sys
from typing import IO

from pipeline import events, topics
from pipeline.adapters.kafka import read_all
from pipeline.config import Settings
from pipeline.sla.core import latest_version, scorecard


def stats(s: Settings, as_json: bool = False, out: IO[str] = sys.stdout) -> int:
    """Print the practice's figures from the task, status and escalation topics."""
    role_topics = [topics.task_topic(r) for r in topics.ROLES]
    seen = read_all(s, [*role_topics, topics.TASK_STATUS, topics.ESCALATED, topics.DLQ])
    latest: dict[str, tuple[str, dict]] = {}
    for topic, doc in seen:
        if topic in role_topics and latest_version(doc, latest[doc["id"]][1] if doc["id"] in latest else None):
            latest[doc["id"]] = (topic, doc)
    card = scorecard(list(latest.values()), [d for t, d in seen if t == topics.TASK_STATUS],
                     [d for t, d in seen if t == topics.ESCALATED], events.utcnow(),
                     [d for t, d in seen if t == topics.DLQ])
    if as_json:
        print(json.dumps(card, indent=2), file=out)
        return 0
    print(f"tasks: {card['tasks']}   deadline breaches: {card['deadline_breaches']}   "
          f"open past due: {card['open_past_due']}   escalations: {card['escalations']}", file=out)
    print("by role:     " + ", ".join(f"{k} {v}" for k, v in sorted(card["by_role"].items())), file=out)
    print("by priority: " + ", ".join(f"{k} {v}" for k, v in sorted(card["by_priority"].items())), file=out)
    for name in ("time_to_acknowledge_min", "time_to_complete_min"):
        m = card[name]
        print(f"{name.replace('_', ' ').replace(' min', '')}: n {m['n']}, median {m['median']} min, "
              f"p90 {m['p90']} min", file=out)
    print("dead letters: " + (", ".join(f"{k} {v}" for k, v in sorted(card["dead_letters_by_reason"].items()))
                              or "none"), file=out)
    return 0
