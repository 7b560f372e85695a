"""The command line as a user runs it: real processes, real model, no Kafka."""

import json
import subprocess
import sys

from tests.conftest import REPO, SAMPLES


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO, timeout=300, check=False)


def test_help_lists_the_commands() -> None:
    out = run("--help").stdout
    for command in ("dev", "worker", "submit", "classify", "process", "tail"):
        assert command in out


def test_classify_json_lines(sample_labels: dict[str, dict]) -> None:
    lines = [json.dumps({"id": i, "text": row["text"]}) for i, row in sample_labels.items()]
    result = run("classify", stdin="\n".join([*lines, "not json"]) + "\n")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1  # one bad line
    assert rows[-1]["error"] == "bad_input" and rows[-1]["line"] == len(lines) + 1
    for row in rows[:-1]:
        want = sample_labels[row["id"]]
        assert (row["urgency"], row["role"]) == (want["urgency"], want["role"]), row["id"]


def test_process_files_and_report_bad_ones(tmp_path, sample_labels: dict[str, dict]) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF but not really a wave file" * 10)
    result = run("process", str(SAMPLES / "audio" / "sample02.wav"), str(junk))
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert result.returncode == 1
    assert first["urgency"] == sample_labels["sample02"]["urgency"]
    assert first["callback_number"] == sample_labels["sample02"]["callback_number"]
    assert first["task"]["resourceType"] == "Task" and first["task"]["priority"] == "urgent"
    assert "incision" in first["transcript"].lower()
    assert second == {"file": str(junk), "error": "not_audio", "detail": "not_audio: bytes match no audio format"}
    # PHI stays out of the logs on stderr.
    assert "incision" not in result.stderr.lower() and "Lopez" not in result.stderr
