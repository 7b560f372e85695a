"""The callback loop, pure: which tasks are acknowledged, which are overdue and at what escalation level,
and the return-call scorecard. The faust shell is `sla_agent.py`; `stats` reads the topics."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pipeline import topics
from pipeline.events import parse_time as parse

# FHIR Task statuses that mean somebody has taken the callback on.
ACKNOWLEDGED = frozenset({"accepted", "in-progress", "on-hold", "completed", "rejected", "cancelled", "failed",
                          "entered-in-error"})
FINISHED = frozenset({"completed", "cancelled", "rejected", "failed", "entered-in-error"})


def escalation_level(due_by: datetime, now: datetime, every: timedelta, max_level: int) -> int:
    """0 before the deadline; 1 once it passed; one more per `every` after that, up to `max_level`."""
    if now <= due_by:
        return 0
    return min(max_level, 1 + int((now - due_by) / every))


@dataclass
class TaskTimes:
    """What the SLA monitor knows of one task: role, priority, when it was written, due and acknowledged."""
    role: str
    priority: str
    authored: datetime
    due: datetime
    acknowledged: datetime | None = None
    completed: datetime | None = None
    escalations: set[int] = field(default_factory=set)


def scorecard(tasks: list[tuple[str, dict]], statuses: list[dict], escalations: list[dict], now: datetime) -> dict:
    """The return-call scorecard from what is on the topics: counts by role and priority, time to
    acknowledge and to complete (median, p90, minutes from task creation), deadline breaches."""
    times: dict[str, TaskTimes] = {}
    for topic, task in tasks:
        times[task["id"]] = TaskTimes(topics.role_of(topic), task["priority"], parse(task["authoredOn"]),
                                      parse(task["restriction"]["period"]["end"]))
    for st in statuses:
        t = times.get(st["id"])
        if t is None or "lastModified" not in st:
            continue
        at = parse(st["lastModified"])
        if st["status"] in ACKNOWLEDGED and (t.acknowledged is None or at < t.acknowledged):
            t.acknowledged = at
        if st["status"] in FINISHED and (t.completed is None or at < t.completed):
            t.completed = at
    for esc in escalations:
        if esc["task_id"] in times:
            times[esc["task_id"]].escalations.add(esc["level"])

    def minutes(pairs: list[tuple[datetime, datetime | None]]) -> dict:
        values = sorted((end - start).total_seconds() / 60 for start, end in pairs if end is not None)
        if not values:
            return {"n": 0, "median": None, "p90": None}
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        return {"n": len(values), "median": round(statistics.median(values), 1), "p90": round(p90, 1)}

    breaches = [tid for tid, t in times.items() if (t.acknowledged or now) > t.due]
    return {
        "tasks": len(times),
        "by_role": dict(Counter(t.role for t in times.values())),
        "by_priority": dict(Counter(t.priority for t in times.values())),
        "time_to_acknowledge_min": minutes([(t.authored, t.acknowledged) for t in times.values()]),
        "time_to_complete_min": minutes([(t.authored, t.completed) for t in times.values()]),
        "deadline_breaches": len(breaches),
        "open_past_due": sum(1 for t in times.values() if t.acknowledged is None and now > t.due),
        "escalations": sum(len(t.escalations) for t in times.values()),
    }
