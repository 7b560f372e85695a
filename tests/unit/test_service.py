"""A local file enters the in-process path as the same claim check the stream would accept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline import events
from pipeline.domain import Voicemail
from pipeline.errors import Rejected
from pipeline.service import local_voicemail

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_a_local_file_makes_a_valid_claim_check_with_a_stable_id(tmp_path) -> None:
    path = tmp_path / "message.wav"
    path.write_bytes(b"RIFF....WAVE")
    event = local_voicemail(path, path.read_bytes(), NOW)
    assert events.read(Voicemail, "voicemail.received", events.encode("voicemail.received", event)) == event
    assert (event.bucket, event.key, event.size, event.source) == ("local", "message.wav", 12, "local")
    assert event.metadata_missing == ("caller_id", "mailbox", "received_at")
    assert local_voicemail(path, path.read_bytes(), NOW).voicemail_id == event.voicemail_id
    path.write_bytes(b"RIFF....WAVE, other bytes")
    assert local_voicemail(path, path.read_bytes(), NOW).voicemail_id != event.voicemail_id


def test_a_local_file_gets_the_key_checks_the_bucket_gets(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"not audio")
    with pytest.raises(Rejected) as err:
        local_voicemail(path, path.read_bytes(), NOW)
    assert err.value.reason == "unsupported_extension"
