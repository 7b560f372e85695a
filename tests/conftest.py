import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def sample_labels() -> dict[str, dict]:
    rows = [json.loads(line) for line in (SAMPLES / "scripts.jsonl").read_text().splitlines() if line.strip()]
    return {row["id"]: row for row in rows}
