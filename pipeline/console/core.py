"""The callback console's worklist, pure: what the task topics say is open, per role, in the order a
person should return the calls. The web shell (`web.py`) feeds it from Kafka and serves it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pipeline import topics
from pipeline.events import iso, parse_time, voicemail_of
from pipeline.route.core import ROLE_SYSTEM
from pipeline.sla.core import FINISHED, reassigned_to

# Emergencies first, then by FHIR priority, then the earliest deadline.
_PRIORITY_ORDER = {"stat": 0, "asap": 1, "urgent": 2, "routine": 3}
CONSOLE_ROLES = (*topics.ROLES, "manager")  # manager: the scorecard, not a worklist


@dataclass(frozen=True)
class Row:
    """One open callback task as the worklist shows it."""
    task_id: str
    voicemail_id: str | None
    role: str
    status: str
    urgency: str
    priority: str
    due: datetime
    patient: str
    callback_number: str | None
    intents: tuple[str, ...]
    needs_review: bool
    review_notes: tuple[str, ...]
    level: int  # escalation level the SLA monitor reached (0: none)
    audio: str | None  # s3://bucket/key
    transcript: str = field(repr=False)  # PHI: never in a repr, a log line or the worklist summary
    resource: dict[str, Any] = field(repr=False)

    def summary(self) -> dict[str, Any]:
        """The row as the worklist page renders it (no transcript: that is on the task's own page)."""
        return {"task_id": self.task_id, "role": self.role, "status": self.status, "urgency": self.urgency,
                "priority": self.priority, "due": self.due.isoformat(), "patient": self.patient,
                "callback_number": self.callback_number, "intents": list(self.intents),
                "needs_review": self.needs_review, "review_notes": list(self.review_notes), "level": self.level}


def row_of(role: str, task: dict[str, Any]) -> Row:
    """A worklist row from a FHIR Task published on `role`'s topic."""
    inputs: dict[str, list[Any]] = {}
    for item in task.get("input", []):
        code = item["type"]["coding"][0]["code"]
        value = next((v for k, v in item.items() if k.startswith("value")), None)
        inputs.setdefault(code, []).append(value)
    vm_id = voicemail_of(task)
    notes = tuple(n["text"] for n in task.get("note", []) if n["text"].startswith(("Listen", "Not in", "Check")))
    return Row(task["id"], vm_id, role, task.get("status", "requested"), (inputs.get("urgency") or ["routine"])[0],
               task["priority"], parse_time(task["restriction"]["period"]["end"]), task["for"]["display"],
               (inputs.get("callback-number") or [None])[0], tuple(inputs.get("intent", [])),
               bool(inputs.get("needs-review")), notes, 0, (inputs.get("audio") or [None])[0],
               str((inputs.get("transcript") or [""])[0]), task)


@dataclass
class Worklist:
    """Open tasks by id, fed in topic order: tasks, status updates (a finished one leaves), escalations."""
    rows: dict[str, Row] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)  # a re-published copy of a finished task stays out

    def task(self, topic: str, resource: dict[str, Any]) -> str | None:
        """A task published on a role topic; the role whose list changed (None when it stays out)."""
        if resource["id"] in self.finished:
            return None
        row = row_of(topics.role_of(topic), resource)
        old = self.rows.get(row.task_id)
        if old is not None:  # a re-triaged copy keeps what people and the SLA monitor did to it
            row = replace(row, status=old.status, level=old.level, role=old.role)
        self.rows[row.task_id] = row
        return row.role

    def status(self, update: dict[str, Any]) -> tuple[str, ...]:
        """A FHIR status update (an EHR's, or this console's); the roles whose lists changed."""
        task_id, status = update["id"], update["status"]
        row = self.rows.get(task_id)
        if status in FINISHED:
            self.finished.add(task_id)
            self.rows.pop(task_id, None)
            return (row.role,) if row else ()
        if row is None:
            return ()
        role = reassigned_to(update) or row.role
        self.rows[task_id] = replace(row, status=status, role=role)
        return tuple(dict.fromkeys((row.role, role)))

    def escalated(self, escalation: dict[str, Any]) -> str | None:
        """An escalation by the SLA monitor; the role whose list changed."""
        row = self.rows.get(escalation["task_id"])
        if row is None or escalation["level"] <= row.level:
            return None
        self.rows[row.task_id] = replace(row, level=escalation["level"])
        return row.role

    def open_for(self, roles: set[str]) -> list[Row]:
        """The open tasks of these roles: emergencies first, then by priority, then the earliest deadline."""
        mine = [r for r in self.rows.values() if r.role in roles]
        return sorted(mine, key=lambda r: (r.urgency != "emergency", _PRIORITY_ORDER.get(r.priority, 9), r.due))


def status_update(task_id: str, status: str, now: datetime, *, note: str | None = None,
                  role: str | None = None) -> dict[str, Any]:
    """The tasks.status message for an action in the console: the same shape `tail --ack` publishes, with
    the outcome note and, for a reassignment, the new `performerType`."""
    update: dict[str, Any] = {"resourceType": "Task", "id": task_id, "status": status,
                              "lastModified": iso(now)}
    if note:
        update["note"] = [{"text": note}]
    if role:
        update["performerType"] = [{"coding": [{"system": ROLE_SYSTEM, "code": role}]}]
    return update


def highlights(text: str, evidence: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """The transcript cut into (piece, field or None): the pieces that are evidence for a decision name
    the field they support (urgency, intents, a detail), for the task page to mark. Where evidence
    overlaps, urgency's wins, then the earlier span."""
    chosen: list[tuple[int, int, str]] = []
    for e in sorted(evidence, key=lambda e: (e["field"] != "urgency", e["start"])):
        start, end = max(0, e["start"]), min(len(text), e["end"])
        if end > start and all(end <= a or start >= b for a, b, _ in chosen):
            chosen.append((start, end, e["field"]))
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    for start, end, name in sorted(chosen):
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], name))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None))
    return pieces
