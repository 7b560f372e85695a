"""`python -m pipeline process FILE...`: transcribe -> classify -> route in one process, no Kafka.

The same stage cores as the streaming workers; one JSON line per file on stdout.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from pipeline import events
from pipeline.classify.core import EXTRA_KEYS, LABEL_KEYS, Classifier
from pipeline.config import Settings
from pipeline.errors import Rejected
from pipeline.route.core import build_task
from pipeline.route.policy import load_policy
from pipeline.transcribe.core import Transcriber


def local_voicemail(path: Path, data: bytes) -> dict:
    """The claim-check fields a local file can supply; the id is derived from its bytes."""
    digest = hashlib.sha256(data).hexdigest()
    received = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return {"voicemail_id": events.voicemail_id("local", path.name, digest), "bucket": "local", "key": path.name,
            "received_at": events.iso(received), "caller_id": None, "mailbox": None}


def process_files(s: Settings, files: list[str], out: IO[str]) -> int:
    """Transcribe, triage and route local audio files without Kafka; one JSON result per file."""
    transcriber, classifier, policy = Transcriber(s), Classifier(), load_policy(s.routing_policy)
    failed = 0
    for name in files:
        path = Path(name)
        try:
            data = path.read_bytes()
            transcript = transcriber.transcribe(data)
            triage = classifier.classify(transcript["text"], language=transcript["language"])
            task = build_task(policy, local_voicemail(path, data), transcript, triage, events.utcnow())
        except Rejected as exc:
            failed += 1
            print(json.dumps({"file": name, "error": exc.reason, "detail": str(exc)}), file=out, flush=True)
            continue
        except OSError as exc:
            failed += 1
            print(json.dumps({"file": name, "error": "unreadable", "detail": exc.strerror or type(exc).__name__}),
                  file=out, flush=True)
            continue
        line = {"file": name, "transcript": transcript["text"], "needs_review": transcript["needs_review"],
                **{k: triage[k] for k in (*LABEL_KEYS, *EXTRA_KEYS)},
                "task": task.resource}
        print(json.dumps(line, ensure_ascii=False), file=out, flush=True)
    return 1 if failed else 0
