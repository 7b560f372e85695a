from datetime import UTC, datetime, timedelta

from pipeline.sla.core import Book, escalation_level, latest_version, reassigned_to, scorecard

DUE = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
EVERY = timedelta(minutes=15)


def test_escalation_levels() -> None:
    assert escalation_level(DUE, DUE - timedelta(seconds=1), EVERY, 3) == 0
    assert escalation_level(DUE, DUE, EVERY, 3) == 0
    assert escalation_level(DUE, DUE + timedelta(seconds=1), EVERY, 3) == 1
    assert escalation_level(DUE, DUE + timedelta(minutes=16), EVERY, 3) == 2
    assert escalation_level(DUE, DUE + timedelta(hours=5), EVERY, 3) == 3


def task(task_id: str, priority: str, authored: str, due: str, urgency: str = "urgent") -> dict:
    return {"id": task_id, "priority": priority, "authoredOn": authored, "restriction": {"period": {"end": due}},
            "input": [{"type": {"coding": [{"code": "urgency"}]}, "valueCode": urgency}]}


def test_scorecard() -> None:
    tasks = [
        ("tasks.nurse", task("t1", "urgent", "2026-11-24T15:00:00Z", "2026-11-24T16:00:00Z")),
        ("tasks.nurse", task("t2", "routine", "2026-11-24T15:00:00Z", "2026-11-24T19:00:00Z", "routine")),
        ("tasks.clinician", task("t3", "stat", "2026-11-24T15:00:00Z", "2026-11-24T15:15:00Z", "emergency")),
        ("tasks.billing", task("t4", "routine", "2026-11-20T15:00:00Z", "2026-11-21T15:00:00Z", "informational")),
    ]
    dead = [{"reason": "audio_corrupt", "failed_at": "2026-11-24T15:00:00Z"},
            {"reason": "no_speech", "failed_at": "2026-11-19T15:00:00Z"}]
    statuses = [
        {"id": "t1", "status": "accepted", "lastModified": "2026-11-24T15:10:00Z"},
        {"id": "t1", "status": "completed", "lastModified": "2026-11-24T15:40:00Z"},
        {"id": "t2", "status": "in-progress", "lastModified": "2026-11-24T19:30:00Z"},  # after its deadline
        {"id": "unknown", "status": "accepted", "lastModified": "2026-11-24T15:00:00Z"},
    ]
    card = scorecard(tasks, statuses, [{"task_id": "t3", "level": 1}], datetime(2026, 11, 24, 20, tzinfo=UTC), dead,
                     since=datetime(2026, 11, 24, tzinfo=UTC))  # t4 and the older dead letter are before the period
    assert card["tasks"] == 3
    assert card["by_role"] == {"nurse": 2, "clinician": 1}
    assert card["by_priority"] == {"urgent": 1, "routine": 1, "stat": 1}
    assert card["time_to_acknowledge_min"] == {"n": 2, "median": 140.0, "p90": 270.0}
    assert card["time_to_complete_min"] == {"n": 1, "median": 40.0, "p90": 40.0}
    assert card["deadline_breaches"] == 2  # t2 acknowledged late, t3 never
    assert card["open_past_due"] == 1
    assert card["escalations"] == 1
    assert card["per_day_by_urgency"] == {"2026-11-24": {"urgent": 1, "routine": 1, "emergency": 1}}
    assert card["by_role_min"]["nurse"]["complete"] == {"n": 1, "median": 40.0, "p90": 40.0}
    assert card["by_role_min"]["clinician"]["acknowledge"] == {"n": 0, "median": None, "p90": None}
    assert card["dead_letters_by_reason"] == {"audio_corrupt": 1}
    assert scorecard(tasks, statuses, [], datetime(2026, 11, 24, 20, tzinfo=UTC))["tasks"] == 4  # no period: all


KEEP = timedelta(days=3)


def test_book_escalates_once_per_level_and_only_open_tasks() -> None:
    book = Book({}, {}, KEEP, max_level=2)
    book.task("t1", "nurse", "urgent", "2026-11-24T16:00:00Z", DUE - timedelta(hours=1))
    book.task("t2", "nurse", "urgent", "2026-11-24T16:00:00Z", DUE - timedelta(hours=1))
    book.status("t2", "accepted", DUE - timedelta(minutes=5))
    assert book.due(DUE, EVERY) == []
    due = book.due(DUE + timedelta(minutes=16), EVERY)  # past due by two levels
    assert [(t, lvl) for t, lvl, _ in due] == [("t1", 1), ("t1", 2)]
    book.sent.update((t, lvl) for t, lvl, _ in due)
    assert book.due(DUE + timedelta(minutes=17), EVERY) == []  # published, not yet read back
    book.escalated("t1", 1, DUE + timedelta(minutes=17))
    assert book.due(DUE + timedelta(minutes=17), EVERY) == []
    book.escalated("t1", 2, DUE + timedelta(minutes=17))
    assert (book.sent, list(book.open), sorted(book.closed)) == (set(), [], ["t1", "t2"])  # nothing left to do


def test_book_ignores_late_copies_of_closed_tasks_and_status_before_task() -> None:
    book = Book({}, {}, KEEP, max_level=3)
    book.status("t1", "accepted", DUE)  # the EHR was faster than the monitor
    book.task("t1", "nurse", "urgent", "2026-11-24T16:00:00Z", DUE)
    book.task("t1", "nurse", "urgent", "2026-11-24T16:00:00Z", DUE)  # a duplicate publish
    assert book.open == {} and book.due(DUE + timedelta(hours=5), EVERY) == []


def test_book_shrinks_after_keep() -> None:
    book = Book({}, {}, KEEP, max_level=3)
    for i in range(50):
        book.task(f"t{i}", "front_desk", "routine", "2026-11-24T16:00:00Z", DUE)
        book.status(f"t{i}", "completed", DUE + timedelta(minutes=i))
    book.status("never-seen", "ready", DUE)  # its task never arrives
    assert (len(book.open), len(book.closed)) == (1, 50)
    assert book.expire(DUE + KEEP) == 0
    assert book.expire(DUE + KEEP + timedelta(minutes=10)) == 11  # closed at minutes 0..9, and the orphan
    assert (len(book.open), len(book.closed)) == (0, 40)
    book.task("t3", "front_desk", "routine", "2026-11-24T16:00:00Z", DUE + KEEP)  # long after: no longer known
    assert list(book.open) == ["t3"]


def test_a_reassigned_task_escalates_to_its_new_role() -> None:
    from pipeline.console.core import status_update

    book = Book({}, {}, KEEP, max_level=2)
    book.task("t1", "front_desk", "routine", "2026-11-24T16:00:00Z", DUE - timedelta(hours=1))
    book.status("t1", "requested", DUE - timedelta(minutes=30), role=reassigned_to(
        status_update("t1", "requested", DUE, role="nurse")))
    [(task_id, level, state)] = book.due(DUE + timedelta(minutes=1), EVERY)
    assert (task_id, level, state["role"]) == ("t1", 1, "nurse")
    assert reassigned_to({"id": "t1", "status": "accepted"}) is None


def test_a_retriaged_task_counts_as_its_latest_version() -> None:
    first, again = {"id": "t", "authoredOn": "2026-11-26T15:00:00Z"}, {"id": "t", "authoredOn": "2026-11-26T15:05:00Z"}
    assert latest_version(first, None) and latest_version(again, first)
    assert not latest_version(first, again)  # read out of order: the newer version stays
