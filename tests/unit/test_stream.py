"""The stage shell's tables: only the ones whose changelogs the topics job provisions."""

from __future__ import annotations

import asyncio

import pytest

from pipeline import topics
from pipeline.config import Settings
from pipeline.stream.app import Dedupe, StageShell, make_app, voicemail_id_of


def test_a_stage_opens_only_tables_whose_changelog_is_provisioned(tmp_path) -> None:
    app = make_app("sla", Settings(state_dir=tmp_path))
    shell = StageShell(app, "sla", topics.TASKS_PATTERN)
    table = shell.table("sla-closed")
    assert table.changelog_topic.get_topic_name() in topics.CHANGELOGS
    with pytest.raises(ValueError, match="not in topics.TABLES"):
        shell.table("sla-scratch")


def test_dedupe_skips_only_what_was_acked_for_the_same_mark() -> None:
    table: dict[str, str] = {}
    once = Dedupe(table)
    assert not once.done("vm-1", "model-a")
    record = once.after_ack("vm-1", "model-a")
    assert not once.done("vm-1", "model-a")  # published, not acked yet: a crash now publishes again
    record()
    assert once.done("vm-1", "model-a") and once.done("vm-1")
    assert not once.done("vm-1", "model-b")  # a new model transcribes it again
    assert not once.done("vm-2")


def test_the_voicemail_id_labels_a_message_without_parsing_it() -> None:
    vm = "vm-" + "0123456789abcdef" * 2
    assert voicemail_id_of(f'{{"schema_version":1,"voicemail_id":"{vm}","text":"..."}}'.encode()) == vm
    assert voicemail_id_of(f'{{"voicemail_id" : "{vm}"}}'.encode()) == vm
    assert voicemail_id_of(b'{"voicemail_id":"vm-not-valid"}') == "vm-not-valid"  # a bad one is still its label
    assert voicemail_id_of(b'{"voicemail_id":"' + b"x" * 64 + b'"}') is None
    assert voicemail_id_of(b"\xff\xfe binary") is None


def test_every_stage_produces_idempotently_with_acks_from_all_in_sync_replicas(tmp_path) -> None:
    async def made() -> set:
        out = set()
        for stage in topics.STAGES:
            producer = make_app(stage, Settings(state_dir=tmp_path)).producer._new_producer()
            out.add((producer._txn_manager is not None, producer._sender._acks))  # aiokafka's own fields
            await producer.stop()
        return out

    assert asyncio.run(made()) == {(True, -1)}  # a transaction manager is what idempotence sets up
