"""The completeness audit's bookkeeping: which voicemails stopped, and why."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from pipeline import topics
from pipeline.audit.core import Ledger, actions, observe, progressed, redrive_of, voicemail_id

T0 = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
GRACE, AFTER = timedelta(seconds=15), timedelta(seconds=900)


def claim(vm: str) -> bytes:
    return json.dumps({"voicemail_id": vm}).encode()


def follow(events: list[tuple[str, str, int, int, int]]) -> dict[str, dict]:
    """(vm id, topic, partition, offset, seconds after T0) in reading order -> rows."""
    rows: dict[str, dict] = {}
    for vm, topic, partition, offset, at in events:
        new = observe(rows.get(vm), topic, partition, offset, claim(vm), T0 + timedelta(seconds=at))
        if new is not None:
            rows[vm] = new
    return rows


def test_a_voicemail_skipped_while_its_partition_moved_on_is_redriven_after_the_grace() -> None:
    rows = follow([("a", topics.RECEIVED, 0, 10, 0), ("b", topics.RECEIVED, 0, 11, 0),
                   ("b", topics.TRANSCRIBED, 2, 5, 3)])
    assert progressed(rows) == {(topics.RECEIVED, 0): (11, T0 + timedelta(seconds=3))}
    assert actions(rows, T0 + timedelta(seconds=10), GRACE, AFTER, 3) == []  # within the grace: maybe in flight
    [act] = actions(rows, T0 + timedelta(seconds=16), GRACE, AFTER, 3)
    assert (act.vm_id, act.kind, act.why, act.topic) == ("a", "redrive", "skipped", topics.RECEIVED)
    assert act.raw == claim("a")


def test_the_last_message_of_a_partition_is_redriven_only_when_its_partition_halted() -> None:
    rows = follow([("a", topics.RECEIVED, 0, 10, 0), ("b", topics.RECEIVED, 1, 11, 0),
                   ("b", topics.TRANSCRIBED, 2, 5, 3)])  # b's progress says nothing about partition 0
    assert actions(rows, T0 + timedelta(seconds=899), GRACE, AFTER, 3) == []
    [act] = actions(rows, T0 + timedelta(seconds=900), GRACE, AFTER, 3)
    assert (act.vm_id, act.why) == ("a", "overdue")


def test_a_backlog_that_keeps_moving_is_left_alone() -> None:
    # c waits behind a and b on partition 0; b moved on 100 s ago: the partition is busy, not halted.
    rows = follow([("a", topics.RECEIVED, 0, 1, 0), ("b", topics.RECEIVED, 0, 2, 0), ("c", topics.RECEIVED, 0, 3, 0),
                   ("a", topics.TRANSCRIBED, 1, 1, 500), ("b", topics.TRANSCRIBED, 1, 2, 850)])
    assert actions(rows, T0 + timedelta(seconds=950), GRACE, AFTER, 3) == []
    late = actions(rows, T0 + timedelta(seconds=1750), GRACE, AFTER, 3)  # 900 s without a move: halted
    assert sorted((a.vm_id, a.topic, a.why) for a in late) == [
        ("a", topics.TRANSCRIBED, "overdue"), ("b", topics.TRANSCRIBED, "overdue"), ("c", topics.RECEIVED, "overdue")]


def test_tasks_and_dead_letters_end_it_and_stale_or_duplicate_events_change_nothing() -> None:
    rows = follow([("a", topics.INGEST, 0, 1, 0), ("a", topics.RECEIVED, 0, 1, 1), ("a", topics.INGEST, 3, 9, 2),
                   ("a", topics.RECEIVED, 0, 4, 2)])
    assert rows["a"]["at"] == {topics.INGEST: [0, 1, "2026-11-26T14:00:01Z"], topics.RECEIVED: [0, 1]}  # first claim
    rows["a"] = observe(rows["a"], topics.DLQ, 0, 0, b"{}", T0)
    assert rows["a"]["done"] and rows["a"]["outcome"] == "dead_letter"
    assert observe(rows["a"], topics.TRANSCRIBED, 0, 7, b"{}", T0) is None
    assert actions(rows, T0 + timedelta(days=1), GRACE, AFTER, 3) == []


def test_a_redrive_read_back_counts_and_after_the_last_one_it_is_given_up() -> None:
    row = observe(None, topics.TRIAGED, 1, 3, claim("a"), T0)
    row = observe(row, topics.TRIAGED, 1, 40, claim("a"), T0 + timedelta(seconds=900), redrive=3)
    assert (row["redrives"], row["at"][topics.TRIAGED]) == (3, [1, 40])
    [act] = actions({"a": row}, T0 + timedelta(seconds=1800), GRACE, AFTER, 3)
    assert (act.kind, act.redrives) == ("give_up", 3)


def test_voicemail_id_of_a_task_comes_from_its_identifier() -> None:
    task = {"id": "t-1", "identifier": [{"system": "urn:x:task", "value": "t-1"},
                                        {"system": "urn:voicemail-pipeline:voicemail", "value": "vm-1"}]}
    assert voicemail_id(topics.task_topic("nurse"), task) == "vm-1"
    assert voicemail_id(topics.RECEIVED, {"voicemail_id": "vm-2"}) == "vm-2"
    assert voicemail_id(topics.DLQ, {"voicemail_id": None}) is None


def test_the_ledger_keeps_only_voicemails_under_way_and_forgets_ended_ones_after_keep() -> None:
    ledger = Ledger({}, {}, {}, keep=timedelta(days=3))
    for i in range(20):
        ledger.read(f"v{i}", topics.RECEIVED, 0, i, claim(f"v{i}"), T0)
        ledger.read(f"v{i}", topics.TRANSCRIBED, 0, i, claim(f"v{i}"), T0 + timedelta(seconds=5))
    assert len(ledger.open) == 20
    for i in range(15):
        assert ledger.read(f"v{i}", topics.task_topic("nurse"), 0, i, b"{}", T0 + timedelta(seconds=10))
    assert (sorted(ledger.open), len(ledger.ended)) == ([f"v{i}" for i in range(15, 20)], 15)
    # A late duplicate of a finished voicemail is not followed again, so it is never redriven.
    assert not ledger.read("v0", topics.RECEIVED, 0, 0, claim("v0"), T0 + timedelta(hours=1))
    assert "v0" not in ledger.open
    # The finished ones still count as progress: v15..v19 sit behind them on partition 0 of transcribed.
    assert ledger.progress == {f"{topics.RECEIVED}|0": '[19, "2026-11-26T14:00:05Z"]',
                               f"{topics.TRANSCRIBED}|0": '[14, "2026-11-26T14:00:10Z"]'}
    late = ledger.actions(T0 + timedelta(seconds=30), GRACE, AFTER, 3)
    assert late == []  # v15..v19 are after offset 14: nothing passed them
    assert ledger.expire(T0 + timedelta(days=3)) == 0
    assert ledger.expire(T0 + timedelta(days=3, seconds=11)) == 15
    assert ledger.ended == {} and len(ledger.open) == 5


def test_the_ledger_redrives_a_voicemail_skipped_behind_finished_ones() -> None:
    ledger = Ledger({}, {}, {}, keep=timedelta(days=3))
    ledger.read("a", topics.RECEIVED, 0, 10, claim("a"), T0)
    ledger.read("b", topics.RECEIVED, 0, 11, claim("b"), T0)
    ledger.read("b", topics.TRANSCRIBED, 1, 3, claim("b"), T0 + timedelta(seconds=2))
    ledger.read("b", topics.task_topic("nurse"), 0, 0, b"{}", T0 + timedelta(seconds=4))  # b is gone from open
    [act] = ledger.actions(T0 + timedelta(seconds=16), GRACE, AFTER, 3)
    assert (act.vm_id, act.why, act.topic) == ("a", "skipped", topics.RECEIVED)


def test_a_redrive_is_not_repeated_until_read_back_or_after_passed() -> None:
    ledger = Ledger({}, {}, {}, keep=timedelta(days=3))
    ledger.read("a", topics.RECEIVED, 0, 10, claim("a"), T0)
    at = T0 + AFTER
    [act] = ledger.due(at, 100.0, GRACE, AFTER, 3)
    assert ledger.due(at + timedelta(seconds=30), 130.0, GRACE, AFTER, 3) == []  # sent, echo not read yet
    [again] = ledger.due(at + AFTER, 100.0 + 900, GRACE, AFTER, 3)  # its echo never came: try again
    assert again.vm_id == "a"
    ledger.read("a", topics.RECEIVED, 0, 11, claim("a"), at + AFTER, redrive=1)  # the echo, read back
    assert ledger.sent == {}


def test_the_redrive_header_is_read_and_garbage_counts_as_none() -> None:
    assert redrive_of([("redrive", b"2"), ("other", b"x")]) == 2
    assert [redrive_of(h) for h in (None, [], [("redrive", b"")], [("redrive", b"two")], [("redrive", b"-1")],
                                    [("redrive", b"99999999")])] == [0, 0, 0, 0, 0, 0]
