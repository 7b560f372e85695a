"""`python -m pipeline classify`: JSON lines {"id", "text"} on stdin -> one triage line per input on stdout."""

from __future__ import annotations

import json
from typing import IO

from pipeline import events
from pipeline.classify.core import Classifier


def classify_lines(src: IO[str], out: IO[str]) -> int:
    """Triage each JSON line of `src` ({"text": ...}) to `out`; the number of lines that failed."""
    classifier = Classifier()
    failed = 0
    for lineno, line in enumerate(src, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError('expected an object with a string "text"')
        except ValueError as exc:
            failed += 1
            print(json.dumps({"line": lineno, "error": "bad_input", "detail": str(exc)[:200]}), file=out, flush=True)
            continue
        triage = classifier.classify(row["text"], language=row.get("language"))
        result = {"id": row.get("id"), **events.to_wire(triage)}
        print(json.dumps(result, ensure_ascii=False), file=out, flush=True)
    return 1 if failed else 0
