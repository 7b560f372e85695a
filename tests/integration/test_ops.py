"""What ops see of running workers: health and readiness per worker, Prometheus metrics, and no PHI in
any log line or metric label."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from pipeline import topics
from pipeline.config import Settings
from pipeline.stream.worker import STAGES
from tests.conftest import SAMPLES
from tests.integration.conftest import FIVE, TASK_TOPICS, collect, drop, task_for

pytestmark = pytest.mark.integration
_LABEL = re.compile(r'(\w+)="([^"]*)"')


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def ports(s: Settings) -> dict[str, int]:
    return {stage: s.http_port + i for i, stage in enumerate(STAGES)}


def wait_ready(s: Settings, timeout: float = 120) -> dict[str, dict]:
    deadline, seen = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        seen = {}
        for stage, port in ports(s).items():
            try:
                seen[stage] = {"healthz": get(port, "/healthz")[0], "readyz": get(port, "/readyz")[0]}
            except OSError:
                seen[stage] = {"healthz": None, "readyz": None}
        if all(v == {"healthz": 200, "readyz": 200} for v in seen.values()):
            break
        time.sleep(1)
    return seen


def metrics(s: Settings) -> dict[str, str]:
    return {stage: get(port, "/metrics")[1] for stage, port in ports(s).items()}


def test_every_worker_is_healthy_and_ready(stack: Settings, worker_log) -> None:
    assert wait_ready(stack) == {stage: {"healthz": 200, "readyz": 200} for stage in STAGES}
    status, body = get(ports(stack)["transcribe"], "/readyz")
    assert json.loads(body) == {"ok": True, "stage": "transcribe", "partitions_assigned": True}


def test_metrics_show_latency_throughput_dead_letters_lag_and_model_load(stack: Settings, delivered: dict) -> None:
    scraped = metrics(stack)
    for stage in ("ingest", "transcribe", "classify", "route"):
        text = scraped[stage]
        count = re.search(rf'voicemail_stage_seconds_count{{stage="{stage}"}} ([0-9.]+)', text)
        assert count and float(count.group(1)) >= len(FIVE), stage
        assert re.search(rf'voicemail_messages_total{{outcome="ok",stage="{stage}"}} ([1-9][0-9.]*)', text), stage
        assert f'voicemail_consumer_lag{{partition="0",stage="{stage}"' in text, stage
    load = re.search(r'voicemail_model_load_seconds{model="base"} ([0-9.]+)', scraped["transcribe"])
    assert load and 0 < float(load.group(1)) < 120


def test_dead_letters_are_counted_by_reason(stack: Settings, delivered: dict, s3) -> None:
    def silent_count() -> float:
        found = re.search(r'voicemail_dead_letters_total{reason="audio_empty",stage="transcribe"} ([0-9.]+)',
                          metrics(stack)["transcribe"])
        return float(found.group(1)) if found else 0.0

    before = silent_count()
    drop(s3, stack, "empty.wav", b"")
    deadline = time.monotonic() + 60
    while silent_count() < before + 1 and time.monotonic() < deadline:
        time.sleep(1)
    assert silent_count() == before + 1


def state_rows(s: Settings, stage: str) -> dict[str, float]:
    text = metrics(s)[stage]
    return {table: float(n) for table, n in
            re.findall(rf'voicemail_state_rows{{stage="{stage}",table="(\w+)"}} ([0-9.]+)', text)}


def test_a_finished_voicemail_leaves_the_audit_table(stack: Settings, delivered: dict, s3) -> None:
    def steady(ended_at_least: float) -> dict[str, float]:
        """The audit's row counts once they held still for 3 s (earlier tests' voicemails settled)."""
        deadline, seen = time.monotonic() + 60, []
        while time.monotonic() < deadline:
            seen = [*seen[-2:], state_rows(stack, "audit")]
            if len(seen) == 3 and seen[0] == seen[-1] and seen[-1].get("ended", 0) >= ended_at_least:
                break
            time.sleep(1)
        return seen[-1]

    before = steady(len(FIVE))
    vm_id = drop(s3, stack, "one-more.wav", (SAMPLES / "audio" / "sample02.wav").read_bytes())
    assert collect(stack, TASK_TOPICS, task_for({vm_id}), count=1, timeout=120, settle=0)
    after = steady(before["ended"] + 1)
    # Its row came and went; only its end mark stays (until the topics' retention).
    assert (after["open"], after["ended"]) == (before["open"], before["ended"] + 1)


def phi_of(label: dict) -> list[str]:
    """Names, numbers, DOBs and every run of three words of the script: none may leave the pipeline's data."""
    words = re.findall(r"[a-z']+", label["text"].lower())
    found = [label.get("patient_name"), label.get("caller_name"), label.get("callback_number"), label.get("dob")]
    found += [label["callback_number"][2:]] if label.get("callback_number") else []
    found += [" ".join(words[i:i + 3]) for i in range(len(words) - 2)]
    return [p.lower() for p in found if p]


def test_no_phi_in_logs_or_metric_labels(stack: Settings, delivered: dict, worker_log, sample_labels: dict) -> None:
    logged = worker_log.read_text().lower()
    assert "stage.done" in logged  # the workers did log
    scraped = metrics(stack)
    labels = {(name, value) for text in scraped.values() for name, value in _LABEL.findall(text)}
    # Label values come from closed sets: stages, topics, partitions, reason codes, outcomes, the model.
    allowed = {"stage": set(STAGES), "topic": {*topics.ALL, topics.S3_EVENTS}, "outcome": {"ok", "dead_letter"},
               "model": {stack.whisper_model}, "table": {"open", "ended"}}
    for name, value in labels:
        if name in allowed:
            assert value in allowed[name], (name, value)
        elif name in ("partition", "le"):
            assert re.fullmatch(r"[0-9.+Inf]+", value), (name, value)
        elif name == "reason":
            assert re.fullmatch(r"[a-z_]+", value), value
    label_text = " ".join(v for _, v in labels).lower()
    for sample in FIVE:
        for phi in phi_of(sample_labels[sample]):
            assert phi not in logged, f"{sample}: PHI in a worker log line"
            assert phi not in label_text, f"{sample}: PHI in a metric label"
