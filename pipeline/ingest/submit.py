"""`python -m pipeline submit FILE...`: what an answering service does, for one or many files.

Uploads each file with its metadata, then announces it on `voicemail.received`.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path
from typing import IO

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from kafka import KafkaProducer

from pipeline import events, topics
from pipeline.adapters import s3 as s3io
from pipeline.audio import AudioLimits, check_bytes, sniff
from pipeline.config import Settings
from pipeline.domain import Voicemail
from pipeline.errors import Rejected
from pipeline.ingest.core import META_CALLER_ID, META_MAILBOX, META_RECEIVED_AT, received_event
from pipeline.logging import get_logger
from pipeline.transport import producer_kwargs

log = get_logger(__name__)
_TRANSFER = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024)

def upload(s3, s: Settings, path: Path, caller_id: str | None, mailbox: str | None) -> Voicemail:
    """Check a recording and store it under a content-addressed key; its claim check."""
    data = path.read_bytes()
    # The checks the transcribe stage makes before decoding: refuse here what it would dead-letter.
    check_bytes(data, AudioLimits(s.max_audio_bytes, s.max_audio_seconds))
    ctype = sniff(data[:16]) or "application/octet-stream"
    # Content-addressed key: submitting the same recording twice names the same object.
    key = f"{s.ingest_prefix}submitted/{hashlib.sha256(data).hexdigest()[:32]}{path.suffix.lower()}"
    now = events.utcnow()
    metadata = {META_RECEIVED_AT: events.iso(now)}
    if caller_id:
        metadata[META_CALLER_ID] = caller_id
    if mailbox:
        metadata[META_MAILBOX] = mailbox
    extra = {"ContentType": ctype, "Metadata": metadata}
    if s.s3_sse:
        extra["ServerSideEncryption"] = s.s3_sse
    # upload_fileobj switches to a multipart upload above the threshold.
    s3.upload_fileobj(io.BytesIO(data), s.bucket, key, ExtraArgs=extra, Config=_TRANSFER)
    return received_event(s3io.head(s3, s.bucket, key), "submit", now)


def submit_files(s: Settings, files: list[str], caller_id: str | None = None, mailbox: str | None = None,
                 out: IO[str] = sys.stdout) -> int:
    """Upload each file and announce it; the exit status (non-zero when one failed)."""
    s3 = s3io.client(s)
    producer = KafkaProducer(**producer_kwargs(s))
    failed = 0
    try:
        for n, name in enumerate(files, 1):
            try:
                event = upload(s3, s, Path(name), caller_id, mailbox)
            except (Rejected, OSError, ClientError) as exc:
                failed += 1
                if isinstance(exc, ClientError):
                    reason, detail = "s3_error", exc.response.get("Error", {}).get("Message", "")
                else:
                    reason, detail = getattr(exc, "reason", "unreadable"), str(exc)
                print(json.dumps({"file": name, "error": reason, "detail": detail}), file=out)
                continue
            producer.send(topics.INGEST, key=event.voicemail_id.encode(),
                          value=events.encode(topics.INGEST, event))
            producer.flush()
            log.info("submit.sent", voicemail_id=event.voicemail_id, n=n, of=len(files))
            print(json.dumps({"file": name, "voicemail_id": event.voicemail_id, "key": event.key}), file=out)
    finally:
        producer.close()
    return 1 if failed else 0
