"""Triage -> callback task: role, priority, due-by, and a FHIR R4 Task validated before it leaves."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime

from fhir.resources.R4B.task import Task as FhirTask  # R4B's Task is R4's Task, element for element
from pydantic import ValidationError

from pipeline import events
from pipeline.domain import Alert, CallbackTask, Transcript, Triage, Voicemail
from pipeline.errors import Rejected
from pipeline.events import SYSTEM, VOICEMAIL_SYSTEM
from pipeline.route.policy import RoutingPolicy

ROLE_SYSTEM = f"{SYSTEM}:role"  # the coding system of a Task's performerType (also in reassignments)


def build_task(policy: RoutingPolicy, voicemail: Voicemail, transcript: Transcript, triage: Triage,
               authored_on: datetime) -> CallbackTask:
    """The callback Task for a triaged voicemail under the routing policy."""
    vm_id = voicemail.voicemail_id
    task_id = events.task_id(vm_id)
    urgency = triage.urgency
    decision = policy.decide(triage, voicemail.mailbox, voicemail.received_at)
    role, priority, due_by = decision.role, decision.priority, decision.due_by

    patient = triage.patient_name or triage.caller_name or "Unknown caller"
    if triage.dob:
        patient += f" (DOB {triage.dob})"
    inputs = [
        _input("transcript", valueString=transcript.text),
        _input("audio", valueUrl=f"s3://{voicemail.bucket}/{voicemail.key}"),
        _input("urgency", valueCode=urgency),
        *(_input("intent", valueCode=i) for i in triage.intents),
    ]
    if triage.callback_number:
        inputs.append(_input("callback-number", valueString=triage.callback_number))
    reasons = sorted({e.rule for e in triage.evidence if e.field == "urgency"})
    if reasons:
        inputs.append(_input("evidence", valueString="; ".join(reasons)))
    resource = {
        "resourceType": "Task",
        "id": task_id,
        "identifier": [
            {"system": f"{SYSTEM}:task", "value": task_id},
            {"system": VOICEMAIL_SYSTEM, "value": vm_id},
        ],
        "status": "requested",
        "intent": "order",
        "priority": priority,
        "code": {"coding": [{"system": f"{SYSTEM}:task-code", "code": "callback", "display": "Return patient call"}]},
        "description": f"Call back: {urgency}, {', '.join(triage.intents)}",
        "for": {"display": patient},
        "authoredOn": events.iso(authored_on),
        "performerType": [{"coding": [{"system": ROLE_SYSTEM, "code": role,
                                       "display": policy.roles[role].display}]}],
        "restriction": {"period": {"start": events.iso(voicemail.received_at), "end": events.iso(due_by)}},
        "input": inputs,
    }
    notes = []
    if decision.rules:
        notes.append("Routing: " + ", ".join(decision.rules))
    if transcript.needs_review or triage.needs_review:
        inputs.append(_input("needs-review", valueBoolean=True))
    if transcript.needs_review:
        # Low transcription confidence: the reviewer must listen, not trust the words.
        notes.append(f"Listen to the audio: transcript flagged ({', '.join(transcript.review_reasons)})")
    if transcript.unheard:
        spans = ", ".join(f"{s.start:.1f}-{s.end:.1f} s" for s in transcript.unheard)
        notes.append(f"Not in the transcript, listen at {spans}")
    if triage.needs_review:
        # The model was unsure of the urgency: a clinician confirms it.
        notes.append(f"Check the urgency: triage flagged ({', '.join(triage.review_reasons)})")
    if voicemail.caller_id:
        notes.append(f"Caller id {voicemail.caller_id}")
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    validate_task(resource)
    alert = None
    if urgency == "emergency":
        alert = Alert(vm_id, task_id, role, priority, due_by, tuple(reasons), voicemail.mailbox)
    return CallbackTask(task_id, role, decision.topic, priority, due_by, resource, alert)


def triage_fingerprint(triage: Triage) -> str:
    """What the task says, without evidence offsets: equal fingerprints mean an identical task."""
    essential = {k: v for k, v in asdict(triage).items() if k != "evidence"}
    return hashlib.sha256(json.dumps(essential, sort_keys=True).encode()).hexdigest()[:32]


def validate_task(resource: dict) -> None:
    """Rejected unless the resource is a valid FHIR R4 Task of ours."""
    events.validate("task", resource)
    try:
        FhirTask.model_validate(resource)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise Rejected("fhir_invalid", f"FHIR Task invalid at {fields}") from None


def _input(kind: str, **value: object) -> dict:
    return {"type": {"coding": [{"system": f"{SYSTEM}:task-input", "code": kind}]}, **value}
