from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.task import Task

from pipeline.errors import Rejected
from pipeline.route.core import build_task, triage_fingerprint, validate_task
from pipeline.route.policy import DEFAULT_POLICY, PolicyError, load_policy
from tests.support.records import transcript, triage, voicemail

POLICY = load_policy()
VM = voicemail()
TRANSCRIPT = transcript()


@pytest.mark.parametrize(("urgency", "role", "priority", "due"), [
    ("emergency", "clinician", "stat", "2026-11-26T15:15:00Z"),
    ("urgent", "nurse", "urgent", "2026-11-26T16:00:00Z"),
    ("routine", "front_desk", "routine", "2026-11-26T19:00:00Z"),
])
def test_priority_and_due_by(urgency: str, role: str, priority: str, due: str) -> None:
    task = build_task(POLICY, VM, TRANSCRIPT, triage(urgency, role), datetime(2026, 11, 26, 15, 1, tzinfo=UTC))
    assert task.topic == f"tasks.{role}"
    assert task.resource["priority"] == priority
    assert task.resource["restriction"]["period"]["end"] == due
    Task.model_validate(task.resource)  # a real FHIR R4 Task


def test_informational_waits_for_the_next_business_day() -> None:
    friday_evening = voicemail(received_at=datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    task = build_task(POLICY, friday_evening, TRANSCRIPT, triage("informational", "billing"), datetime.now(UTC))
    assert task.resource["restriction"]["period"]["end"] == "2026-11-30T22:00:00Z"  # Monday 17:00 New York


def test_only_emergencies_alert_and_without_transcript() -> None:
    now = datetime.now(UTC)
    emergency = build_task(POLICY, VM, TRANSCRIPT, triage("emergency", "clinician"), now)
    assert emergency.alert is not None and emergency.alert.reasons == ("red_flag:chest_pain",)
    assert "words" not in str(emergency.alert) and "Pat" not in str(emergency.alert)
    assert build_task(POLICY, VM, TRANSCRIPT, triage("urgent", "nurse"), now).alert is None


def test_same_voicemail_same_task_id() -> None:
    now = datetime.now(UTC)
    a = build_task(POLICY, VM, TRANSCRIPT, triage("urgent", "nurse"), now)
    b = build_task(POLICY, VM, TRANSCRIPT, triage("emergency", "clinician"), now)
    assert a.task_id == b.task_id == a.resource["identifier"][0]["value"]


def test_fingerprint_ignores_evidence_offsets_only() -> None:
    t = triage("urgent", "nurse")
    moved = replace(t, evidence=())
    assert triage_fingerprint(t) == triage_fingerprint(moved)
    assert triage_fingerprint(t) != triage_fingerprint(replace(t, urgency="emergency"))


def test_low_confidence_transcript_asks_for_a_listen() -> None:
    shaky = transcript(needs_review=True, review_reasons=["low_confidence"])
    task = build_task(POLICY, VM, shaky, triage("urgent", "nurse"), datetime.now(UTC)).resource
    Task.model_validate(task)
    assert {"type": {"coding": [{"system": "urn:voicemail-pipeline:task-input", "code": "needs-review"}]},
            "valueBoolean": True} in task["input"]
    assert any("low_confidence" in n["text"] for n in task["note"])


def test_an_incomplete_transcript_says_which_seconds_to_hear() -> None:
    cut = transcript(needs_review=True, review_reasons=["incomplete"], unheard=[{"start": 12.88, "end": 24.92}])
    task = build_task(POLICY, VM, cut, triage("routine", "nurse"), datetime.now(UTC)).resource
    Task.model_validate(task)
    assert "Not in the transcript, listen at 12.9-24.9 s" in [n["text"] for n in task["note"]]


def test_invalid_fhir_is_rejected() -> None:
    task = build_task(POLICY, VM, TRANSCRIPT, triage("urgent", "nurse"), datetime.now(UTC)).resource
    with pytest.raises(Rejected) as err:
        validate_task({**task, "authoredOn": "not a date"})
    assert err.value.reason == "fhir_invalid"


def test_policy_errors_are_clear(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text(DEFAULT_POLICY.read_text().replace("urgent: 1h", "urgent: soon")
                   .replace("America/New_York", "Mars/Base"))
    with pytest.raises(PolicyError) as err:
        load_policy(bad)
    assert "soon" in str(err.value) and "Mars/Base" in str(err.value)


def test_a_policy_cannot_send_a_role_where_nothing_follows(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(DEFAULT_POLICY.read_text().replace("nurse: {display:", "nurse: {topic: ehr.nurse, display:"))
    with pytest.raises(PolicyError) as err:
        load_policy(renamed)
    assert "nurse: tasks go to tasks.nurse" in str(err.value) and "'ehr.nurse'" in str(err.value)
    restated = tmp_path / "restated.yaml"  # naming the one topic a role has is allowed (older policies did)
    restated.write_text(DEFAULT_POLICY.read_text().replace("nurse: {display:", "nurse: {topic: tasks.nurse, display:"))
    assert load_policy(restated).decide(triage("urgent", "nurse"), None,
                                        datetime.fromisoformat("2026-11-24T15:00:00+00:00")).topic == "tasks.nurse"
    missing = tmp_path / "missing.yaml"
    missing.write_text("\n".join(line for line in DEFAULT_POLICY.read_text().splitlines()
                                  if not line.startswith("  billing: {")))
    with pytest.raises(PolicyError) as err:
        load_policy(missing)
    assert "missing roles ['billing']" in str(err.value)


def decide(urgency: str, role: str, received: str, mailbox: str | None = None, intents: list[str] | None = None):
    t = triage(urgency, role, intents=intents or ["symptom_report"])
    return POLICY.decide(t, mailbox, datetime.fromisoformat(received))


def test_urgent_after_hours_goes_to_the_on_call_clinician() -> None:
    day = decide("urgent", "nurse", "2026-11-24T15:00:00+00:00")  # Tuesday 10:00 New York
    night = decide("urgent", "nurse", "2026-11-25T03:00:00+00:00")  # Tuesday 22:00 New York
    assert (day.role, day.after_hours) == ("nurse", False)
    assert (night.role, night.topic, night.after_hours) == ("clinician", "tasks.clinician", True)
    assert night.due_by.isoformat() == "2026-11-25T04:00:00+00:00"  # urgent runs on the wall clock
    assert night.rules == ["after_hours:urgent"]


def test_routine_target_counts_business_hours() -> None:
    late = decide("routine", "nurse", "2026-11-24T21:30:00+00:00", intents=["medication_refill"])  # Tue 16:30
    assert late.due_by.isoformat() == "2026-11-25T11:30:00-05:00"  # 30 min Tuesday + 3h30 from 08:00 Wednesday
    weekend = decide("routine", "nurse", "2026-11-28T15:00:00+00:00", intents=["medication_refill"])  # Saturday
    assert weekend.due_by.isoformat() == "2026-11-30T12:00:00-05:00"  # Monday 08:00 + 4h


def test_mailbox_override_uses_its_own_time_zone() -> None:
    # 22:30 in New York is 19:30 in Los Angeles: after hours in both; but 16:30 LA is open in LA only.
    at = "2026-11-24T00:30:00+00:00"  # Monday 19:30 New York, 16:30 Los Angeles
    assert decide("urgent", "nurse", at).role == "clinician"
    west = decide("urgent", "nurse", at, mailbox="west")
    assert (west.role, west.after_hours, west.rules) == ("nurse", False, ["mailbox:west"])


def test_intent_role_applies_to_routine_work_only() -> None:
    assert decide("informational", "front_desk", "2026-11-24T15:00:00+00:00",
                  intents=["billing_insurance"]).role == "billing"
    assert decide("emergency", "clinician", "2026-11-24T15:00:00+00:00",
                  intents=["billing_insurance"]).role == "clinician"


def test_bad_mailbox_override_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text(DEFAULT_POLICY.read_text().replace("timezone: America/Los_Angeles", "timezone: Nowhere/City"))
    with pytest.raises(PolicyError) as err:
        load_policy(bad)
    assert "Nowhere/City" in str(err.value)


def test_unsure_triage_asks_for_a_check_of_the_urgency() -> None:
    t = triage("urgent", "nurse", needs_review=True, review_reasons=["possible_emergency"])
    task = build_task(POLICY, VM, TRANSCRIPT, t, datetime.now(UTC)).resource
    codes = [i["type"]["coding"][0]["code"] for i in task["input"]]
    assert "needs-review" in codes
    assert any("possible_emergency" in n["text"] for n in task["note"])
    calm = build_task(POLICY, VM, TRANSCRIPT, triage("urgent", "nurse"), datetime.now(UTC)).resource
    assert "needs-review" not in [i["type"]["coding"][0]["code"] for i in calm["input"]]
