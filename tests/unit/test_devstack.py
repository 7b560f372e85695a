"""The local stack's pure parts."""

import uuid
from base64 import urlsafe_b64encode

from pipeline import devstack


def test_a_cluster_id_never_reads_as_an_option(monkeypatch) -> None:
    # Random bytes starting 0xF8-0xFB encode to an id starting with "-": Kafka's storage tool took one
    # for an option and the stack did not start.
    drawn = iter([uuid.UUID(bytes=b"\xf8" * 16), uuid.UUID(int=1)])
    monkeypatch.setattr(devstack.uuid, "uuid4", lambda: next(drawn))
    assert urlsafe_b64encode(b"\xf8" * 16).decode().startswith("-")
    assert devstack.new_cluster_id() == urlsafe_b64encode(uuid.UUID(int=1).bytes).decode().rstrip("=")
