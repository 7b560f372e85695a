"""The callback loop, pure: which tasks are acknowledged, which are overdue and at what escalation level,
and the return-call scorecard. The faust shell is `agent.py`; `stats` reads the topics."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pipeline import topics
from pipeline.events import iso
from pipeline.events import parse_time as parse
from pipeline.route.core import ROLE_SYSTEM

# FHIR Task statuses that mean somebody has taken the callback on.
ACKNOWLEDGED = frozenset({"accepted", "in-progress", "on-hold", "completed", "rejected", "cancelled", "failed",
                          "entered-in-error"})
FINISHED = frozenset({"completed", "cancelled", "rejected", "failed", "entered-in-error"})


def reassigned_to(update: dict) -> str | None:
    """The role a FHIR status update hands the task to (its `performerType`, one of ours), if any."""
    for concept in update.get("performerType", []):
        for coding in concept.get("coding", []):
            if coding.get("system") == ROLE_SYSTEM and coding.get("code") in topics.ROLES:
                return str(coding["code"])
    return None


def latest_version(task: dict, known: dict | None) -> bool:
    """Whether `task` replaces `known`, the version of the same Task kept so far: a re-triaged task counts
    once, as its latest version (the role topics interleave, so by authoredOn)."""
    return known is None or task["authoredOn"] >= known["authoredOn"]


def escalation_level(due_by: datetime, now: datetime, every: timedelta, max_level: int) -> int:
    """0 before the deadline; 1 once it passed; one more per `every` after that, up to `max_level`."""
    if now <= due_by:
        return 0
    return min(max_level, 1 + int((now - due_by) / every))


class Book:
    """The SLA monitor's state over two string-valued mappings (faust tables in the stream, dicts in
    tests): `open` tasks that may still escalate, and when each other one was `closed` (acknowledged,
    or escalated to the last level), so a late copy of it is not followed again. The timer reads
    only open tasks; close marks, and status updates of tasks never seen, go after `keep`."""

    def __init__(self, open_tasks: MutableMapping[str, str], closed: MutableMapping[str, str], keep: timedelta,
                 max_level: int) -> None:
        self.open, self.closed, self.keep, self.max_level = open_tasks, closed, keep, max_level
        self.sent: set[tuple[str, int]] = set()  # escalations published, not yet read back

    def task(self, task_id: str, role: str, priority: str, due: str, now: datetime) -> None:
        """A task was published (or re-published) for `role`."""
        if task_id not in self.closed:
            self._put(task_id, {"level": 0, "status": "requested", "seen": iso(now), **self._get(task_id),
                                "role": role, "priority": priority, "due": due})

    def status(self, task_id: str, status: str, now: datetime, role: str | None = None) -> None:
        """A FHIR status update; an acknowledging one closes the task, one that names a `role` (a
        reassignment) makes its escalations go to that role."""
        if task_id in self.closed:
            return
        if status in ACKNOWLEDGED:
            self._close(task_id, now)
        else:
            reassigned = {"role": role} if role else {}
            self._put(task_id, {"seen": iso(now), **self._get(task_id), "status": status, **reassigned})

    def escalated(self, task_id: str, level: int, now: datetime) -> None:
        """An escalation read back from the topic; the last level closes the task."""
        self.sent.discard((task_id, level))
        if task_id in self.closed:
            return
        current = self._get(task_id)
        level = max(current.get("level", 0), level)
        if level >= self.max_level:
            self._close(task_id, now)
        else:
            self._put(task_id, {"seen": iso(now), **current, "level": level})

    def due(self, now: datetime, every: timedelta) -> list[tuple[str, int, dict]]:
        """(task id, level, its state) for each escalation due at `now` and not yet published."""
        out = []
        for task_id, raw in list(self.open.items()):
            st = json.loads(raw)
            if "due" not in st:
                continue  # a status update of a task not read yet
            level = escalation_level(parse(st["due"]), now, every, self.max_level)
            out += [(task_id, lvl, st) for lvl in range(st.get("level", 0) + 1, level + 1)
                    if (task_id, lvl) not in self.sent]
        return out

    def expire(self, now: datetime) -> int:
        """Drop close marks, and open rows that never got their task, older than `keep`; the number dropped."""
        closed = [k for k, at in list(self.closed.items()) if now - parse(at) > self.keep]
        for task_id in closed:
            del self.closed[task_id]
        orphans = [k for k, raw in list(self.open.items())
                   if "due" not in (st := json.loads(raw)) and now - parse(st["seen"]) > self.keep]
        for task_id in orphans:
            del self.open[task_id]
        return len(closed) + len(orphans)

    def _get(self, task_id: str) -> dict:
        raw = self.open.get(task_id)
        return json.loads(raw) if raw else {}

    def _put(self, task_id: str, value: dict) -> None:
        self.open[task_id] = json.dumps(value)

    def _close(self, task_id: str, now: datetime) -> None:
        self.open.pop(task_id, None)
        self.closed[task_id] = iso(now)
        self.sent = {(t, lvl) for t, lvl in self.sent if t != task_id}


@dataclass
class TaskTimes:
    """What the SLA monitor knows of one task: role, priority, urgency, when it was written, due and acknowledged."""
    role: str
    priority: str
    urgency: str
    authored: datetime
    due: datetime
    # from the status updates and escalations read back
    acknowledged: datetime | None = None
    completed: datetime | None = None
    escalations: set[int] = field(default_factory=set)


def _urgency_of(task: dict) -> str:
    return next((i.get("valueCode", "") for i in task.get("input", []) if i["type"]["coding"][0]["code"] == "urgency"),
                "unknown")


def _minutes(pairs: list[tuple[datetime, datetime | None]]) -> dict:
    """n, median and p90 of the minutes from start to end, over the pairs that have an end."""
    values = sorted((end - start).total_seconds() / 60 for start, end in pairs if end is not None)
    if not values:
        return {"n": 0, "median": None, "p90": None}
    p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
    return {"n": len(values), "median": round(statistics.median(values), 1), "p90": round(p90, 1)}


def scorecard(tasks: list[tuple[str, dict]], statuses: list[dict], escalations: list[dict], now: datetime,
              dead_letters: Sequence[dict] = (), since: datetime | None = None) -> dict:
    """The return-call scorecard from what is on the topics: counts by role, priority and day (by
    urgency), time to acknowledge and to complete (median, p90, minutes from task creation; in all and
    by role), deadline breaches, escalations, dead letters by reason; tasks written (and dead letters
    failed) from `since` on, when given."""
    times: dict[str, TaskTimes] = {}
    for topic, task in tasks:
        authored = parse(task["authoredOn"])
        if since is None or authored >= since:
            times[task["id"]] = TaskTimes(topics.role_of(topic), task["priority"], _urgency_of(task), authored,
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
    per_day: dict[str, Counter[str]] = {}
    for t in times.values():
        per_day.setdefault(t.authored.date().isoformat(), Counter())[t.urgency] += 1
    roles = sorted({t.role for t in times.values()})
    breaches = [tid for tid, t in times.items() if (t.acknowledged or now) > t.due]
    return {
        "tasks": len(times),
        "by_role": dict(Counter(t.role for t in times.values())),
        "by_priority": dict(Counter(t.priority for t in times.values())),
        "per_day_by_urgency": {day: dict(c) for day, c in sorted(per_day.items())},
        "time_to_acknowledge_min": _minutes([(t.authored, t.acknowledged) for t in times.values()]),
        "time_to_complete_min": _minutes([(t.authored, t.completed) for t in times.values()]),
        "by_role_min": {role: {"acknowledge": _minutes([(t.authored, t.acknowledged) for t in times.values()
                                                        if t.role == role]),
                               "complete": _minutes([(t.authored, t.completed) for t in times.values()
                                                     if t.role == role])} for role in roles},
        "deadline_breaches": len(breaches),
        "open_past_due": sum(1 for t in times.values() if t.acknowledged is None and now > t.due),
        "escalations": sum(len(t.escalations) for t in times.values()),
        "dead_letters_by_reason": dict(Counter(d["reason"] for d in dead_letters
                                               if since is None or parse(d["failed_at"]) >= since)),
    }
