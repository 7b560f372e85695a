"""The one train / dev / frozen-test split of every labeled voicemail we have.

Fixed by a hash of each voicemail's id, so it never moves when files are added or reordered:
60 % train, 15 % dev (the model trains on both; `train-triage --compare` scores feature choices on
dev), 25 % test (frozen: figures are quoted from it, nothing is tuned on it). `python -m pipeline split` writes
`data/triage/{train,dev,test}.jsonl`, and
`test.devset.jsonl` / `test.devset2.jsonl`: the test voicemails that have phone audio in ../shared.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "triage"
SHARED = ROOT.parent / "shared" / "devset"
SOURCES = {  # source name -> file; shared dev sets are read where the checkout has them beside it
    "devset": SHARED / "devset.jsonl",
    "devset2": SHARED / "devset2.jsonl",
}
PARTS = ("train", "dev", "test")


def part_of(voicemail_id: str) -> str:
    """train, dev or test for a voicemail id, fixed by a hash of the id (60/15/25)."""
    bucket = int(hashlib.sha256(voicemail_id.encode()).hexdigest(), 16) % 100
    return "train" if bucket < 60 else "dev" if bucket < 75 else "test"


def load_all() -> list[dict]:
    """Every labeled voicemail, each tagged with its `source`."""
    files = dict(SOURCES)
    files.update({f"corpus/{p.stem}": p for p in sorted((DATA / "corpus").glob("*.jsonl"))})
    rows = []
    for source, path in files.items():
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing (the shared dev sets sit beside the repository)")
        for line in path.read_text().splitlines():
            if line.strip():
                rows.append({**json.loads(line), "source": source})
    return rows


def write_split() -> dict[str, int]:
    """Write train/dev/test (and the test voicemails with audio) from every corpus file; counts per part."""
    parts: dict[str, list[dict]] = {p: [] for p in PARTS}
    for row in load_all():
        parts[part_of(row["id"])].append(row)
    for source in SOURCES:  # the frozen test voicemails that have audio, one file per audio folder
        parts[f"test.{source}"] = [r for r in parts["test"] if r["source"] == source]
    for name, rows in parts.items():
        (DATA / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return {name: len(rows) for name, rows in parts.items()}


def load_part(name: str) -> list[dict]:
    """The labeled voicemails of one split part."""
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text().splitlines() if line.strip()]
