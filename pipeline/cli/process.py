"""`python -m pipeline process FILE...`: transcribe -> classify -> route in one process, no Kafka.

The same stage cores as the streaming workers (`pipeline.service`); one JSON line per file on stdout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

from pipeline import events
from pipeline.config import Settings
from pipeline.errors import Rejected
from pipeline.service import AudioTriage, local_voicemail


def process_files(s: Settings, files: list[str], out: IO[str]) -> int:
    """Transcribe, triage and route local audio files without Kafka; one JSON result per file."""
    run = AudioTriage(s)
    failed = 0
    for name in files:
        path = Path(name)
        try:
            data = path.read_bytes()
            now = events.utcnow()
            done = run(local_voicemail(path, data, now), data, now)
        except Rejected as exc:
            failed += 1
            print(json.dumps({"file": name, "error": exc.reason, "detail": str(exc)}), file=out, flush=True)
            continue
        except OSError as exc:
            failed += 1
            print(json.dumps({"file": name, "error": "unreadable", "detail": exc.strerror or type(exc).__name__}),
                  file=out, flush=True)
            continue
        assert done.task is not None  # routed: AudioTriage loads the policy by default
        line = {"file": name, "transcript": done.transcript.text, "needs_review": done.transcript.needs_review,
                **events.to_wire(done.triage), "task": done.task.resource}
        print(json.dumps(line, ensure_ascii=False), file=out, flush=True)
    return 1 if failed else 0
