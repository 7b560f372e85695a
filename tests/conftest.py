import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def sample_labels() -> dict[str, dict]:
    rows = [json.loads(line) for line in (SAMPLES / "scripts.jsonl").read_text().splitlines() if line.strip()]
    return {row["id"]: row for row in rows}


# Figures tests measure (chaos counts, latencies), printed in their own section at the end of the run.
_FIGURES: list[str] = []


@pytest.fixture(scope="session")
def report():
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter) -> None:
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
