from datetime import UTC, datetime, timedelta

from pipeline.route.sla import escalation_level, scorecard

DUE = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
EVERY = timedelta(minutes=15)


def test_escalation_levels() -> None:
    assert escalation_level(DUE, DUE - timedelta(seconds=1), EVERY, 3) == 0
    assert escalation_level(DUE, DUE, EVERY, 3) == 0
    assert escalation_level(DUE, DUE + timedelta(seconds=1), EVERY, 3) == 1
    assert escalation_level(DUE, DUE + timedelta(minutes=16), EVERY, 3) == 2
    assert escalation_level(DUE, DUE + timedelta(hours=5), EVERY, 3) == 3


def task(task_id: str, priority: str, authored: str, due: str) -> dict:
    return {"id": task_id, "priority": priority, "authoredOn": authored, "restriction": {"period": {"end": due}}}


def test_scorecard() -> None:
    tasks = [
        ("tasks.nurse", task("t1", "urgent", "2026-11-24T15:00:00Z", "2026-11-24T16:00:00Z")),
        ("tasks.nurse", task("t2", "routine", "2026-11-24T15:00:00Z", "2026-11-24T19:00:00Z")),
        ("tasks.clinician", task("t3", "stat", "2026-11-24T15:00:00Z", "2026-11-24T15:15:00Z")),
    ]
    statuses = [
        {"id": "t1", "status": "accepted", "lastModified": "2026-11-24T15:10:00Z"},
        {"id": "t1", "status": "completed", "lastModified": "2026-11-24T15:40:00Z"},
        {"id": "t2", "status": "in-progress", "lastModified": "2026-11-24T19:30:00Z"},  # after its deadline
        {"id": "unknown", "status": "accepted", "lastModified": "2026-11-24T15:00:00Z"},
    ]
    card = scorecard(tasks, statuses, [{"task_id": "t3", "level": 1}], datetime(2026, 11, 24, 20, tzinfo=UTC))
    assert card["tasks"] == 3
    assert card["by_role"] == {"nurse": 2, "clinician": 1}
    assert card["by_priority"] == {"urgent": 1, "routine": 1, "stat": 1}
    assert card["time_to_acknowledge_min"] == {"n": 2, "median": 140.0, "p90": 270.0}
    assert card["time_to_complete_min"] == {"n": 1, "median": 40.0, "p90": 40.0}
    assert card["deadline_breaches"] == 2  # t2 acknowledged late, t3 never
    assert card["open_past_due"] == 1
    assert card["escalations"] == 1
