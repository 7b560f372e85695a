"""Route stage shell: voicemail.triaged -> FHIR Task on tasks.<role> (+ alerts.emergency)."""

from __future__ import annotations

import json

import faust

from pipeline import events, topics
from pipeline.config import Settings
from pipeline.domain import Triaged
from pipeline.logging import get_logger
from pipeline.route.core import build_task, triage_fingerprint
from pipeline.route.policy import load_policy
from pipeline.stream.app import Dedupe, Outcome, StageShell

log = get_logger(__name__)


def register(app: faust.App, s: Settings) -> None:
    """Wire the route stage: voicemail.triaged -> one FHIR Task on its role's topic."""
    policy = load_policy(s.routing_policy)
    shell = StageShell(app, "route", topics.TRIAGED)
    # voicemail_id -> fingerprint of the triage its task was published for. Exactly one task per
    # voicemail: a redelivery is skipped; a changed triage (re-triage) updates the same Task id.
    emitted = Dedupe(shell.table("emitted"))

    async def step(raw: bytes) -> Outcome:
        triaged = events.read(Triaged, topics.TRIAGED, raw)
        vm_id = triaged.voicemail_id
        fingerprint = triage_fingerprint(triaged.triage)
        if emitted.done(vm_id, fingerprint):
            log.info("route.duplicate_skipped", voicemail_id=vm_id)
            return Outcome([])
        task = build_task(policy, triaged.voicemail, triaged.transcript, triaged.triage, events.utcnow())
        # Keyed by task id: a redelivery overwrites the same key, so consumers can compact.
        outputs = [(task.topic, task.task_id, json.dumps(task.resource, separators=(",", ":")).encode())]
        if task.alert is not None:
            outputs.append((topics.ALERTS, task.task_id, events.encode(topics.ALERTS, task.alert)))
        return Outcome(outputs, on_acked=emitted.after_ack(vm_id, fingerprint))

    shell.consume(topics.TRIAGED, step, name="route")
