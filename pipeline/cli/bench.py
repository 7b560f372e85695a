"""Benchmarks that print figures.

`bench transcribe FILES... [--refs SET.jsonl]`: in one run, the same files through two arms, each in its own
process so peak RSS is its own:
- plain: faster-whisper with the library's defaults (same model files): WhisperModel(path).transcribe(file);
- stage: the transcribe stage as the workers run it (checks, VAD, clinical prompt, configured settings).
Prints real-time factor, voicemails/min, the speed ratio plain/stage, peak RSS and, where a script
exists for a file (LABELS.md set with "id" = file stem), WER.
`bench classify` and `bench stream`: see their functions.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import re
import resource
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import IO

from pipeline.config import Settings


def _plain(files: list[str], s: Settings, out: mp.Queue) -> None:
    from faster_whisper import WhisperModel

    from pipeline.transcribe.model import resolve

    path, _ = resolve(s.whisper_model, s.model_cache)
    model = WhisperModel(str(path))  # library defaults: compute type, threads
    texts = {}

    def run(name: str) -> str:
        segments, _ = model.transcribe(name)  # library defaults: beam 5, no VAD, no prompt
        return " ".join(seg.text.strip() for seg in segments)

    run(files[0])  # warm-up, not timed (same for both arms)
    each = {}
    started = time.perf_counter()
    for name in files:
        t0 = time.perf_counter()
        texts[name] = run(name)
        each[name] = time.perf_counter() - t0
    out.put({"seconds": time.perf_counter() - started, "texts": texts, "rejected": {}, "each": each,
             "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _stage(files: list[str], s: Settings, out: mp.Queue) -> None:
    from pipeline.errors import Rejected
    from pipeline.transcribe.core import Transcriber

    transcriber = Transcriber(s)
    texts, rejected = {}, {}
    datas = {name: Path(name).read_bytes() for name in files}
    with contextlib.suppress(Rejected):
        transcriber.transcribe(datas[files[0]])  # warm-up
    started = time.perf_counter()
    for name in files:
        try:
            texts[name] = transcriber.transcribe(datas[name]).text
        except Rejected as exc:
            rejected[name] = exc.reason
    out.put({"seconds": time.perf_counter() - started, "texts": texts, "rejected": rejected,
             "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _in_process(target, files: list[str], s: Settings) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(files, s, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def normalize(text: str) -> str:
    """Whisper's English normalizer, plus: phone digits written 215-555-0132 read as one number,
    ordinals as numbers, so "fourteenth" and "14" compare equal once both are digits."""
    from whisper_normalizer.english import EnglishTextNormalizer

    text = re.sub(r"(?<=\d)[-.](?=\d)", "", text)
    text = EnglishTextNormalizer()(text)
    return re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", r"\1", text)


def wer(refs: dict[str, str], texts: dict[str, str]) -> tuple[float | None, int]:
    """Word error rate of `texts` against the reference transcripts, and how many were compared."""
    import jiwer

    pairs = [(normalize(refs[k]), normalize(v)) for k, v in texts.items() if k in refs]
    if not pairs:
        return None, 0
    return jiwer.wer([r for r, _ in pairs], [h for _, h in pairs]), len(pairs)


def bench_transcribe(s: Settings, files: list[str], refs_path: str | None, out: IO[str]) -> int:
    """Time the transcribe stage against a plain faster-whisper loop on the same files; print the table."""
    from faster_whisper.audio import decode_audio

    audio_s = sum(decode_audio(f).size / 16000 for f in files)
    refs = {}
    if refs_path:
        for line in Path(refs_path).read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                refs[row["id"]] = row["text"]
    arms = {"plain": _in_process(_plain, files, s), "stage": _in_process(_stage, files, s)}
    beams = "".join(f", {lang} {n}" for lang, n in sorted(s.whisper_language_beam_sizes.items()))
    print(f"{len(files)} files, {audio_s:.1f} s of audio; model {s.whisper_model}; "
          f"stage: {s.whisper_compute_type}, beam {s.whisper_beam_size}{beams}, {s.whisper_cpu_threads} threads, VAD, "
          "prompt", file=out)
    print(f"{'arm':6} {'seconds':>8} {'RTF':>6} {'vm/min':>7} {'peak RSS MiB':>13} {'WER':>6} {'rejected':>9}",
          file=out)
    for name, arm in arms.items():
        by_id = {Path(f).stem: t for f, t in arm["texts"].items()}
        score, scored = wer(refs, by_id)
        print(f"{name:6} {arm['seconds']:8.1f} {arm['seconds'] / audio_s:6.3f} {len(files) / arm['seconds'] * 60:7.1f} "
              f"{arm['rss_mib']:13.0f} {'-' if score is None else f'{score:.3f}':>6} {len(arm['rejected']):9d}",
              file=out)
        for f, reason in arm["rejected"].items():
            print(f"       rejected {Path(f).name}: {reason}", file=out)
    print(f"speed ratio plain/stage: {arms['plain']['seconds'] / arms['stage']['seconds']:.2f}"
          + (f" (WER over {scored} scripted files)" if refs else ""), file=out)
    return 0


def bench_classify(set_path: str, repeat: int, out: IO[str]) -> int:
    """Transcripts per second through the triage core, pinned to one core."""
    import os

    from pipeline.classify.core import Classifier

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [json.loads(line)["text"] for line in Path(set_path).read_text().splitlines() if line.strip()]
    started = time.perf_counter()
    classifier = Classifier()
    load_s = time.perf_counter() - started
    for text in texts:  # warm-up
        classifier.classify(text)
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            classifier.classify(text)
    elapsed = time.perf_counter() - started
    n = repeat * len(texts)
    print(f"{n} transcripts on 1 core: {n / elapsed:.0f} transcripts/s, {elapsed / n * 1000:.2f} ms each; "
          f"pipeline load {load_s:.2f} s", file=out)
    return 0


def overhead(latency_s: dict[str, float], plain_s: dict[str, float]) -> dict[str, float]:
    """Medians of upload-to-task latency, of the plain loop's time on the same file, and of their
    per-file difference: what the pipeline adds over transcribing the file by hand."""
    from statistics import median

    both = sorted(set(latency_s) & set(plain_s))
    return {"files": len(both), "latency": median(latency_s[f] for f in both),
            "plain": median(plain_s[f] for f in both),
            "overhead": median(latency_s[f] - plain_s[f] for f in both)}


def _spawn(stage: str, env: dict[str, str]) -> subprocess.Popen:
    """`python -m pipeline worker --stage STAGE` with this environment, its output discarded."""
    return subprocess.Popen([sys.executable, "-m", "pipeline", "worker", "--stage", stage], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _get(port: int, path: str) -> str:
    """A worker's HTTP answer on this port ("" when it does not answer)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as resp:
            return resp.read().decode()
    except OSError:
        return ""


def _wait_ready(ports: list[int]) -> None:
    deadline = time.monotonic() + 180
    while not all('"ok": true' in _get(p, "/readyz") for p in ports):
        if time.monotonic() > deadline:
            raise RuntimeError(f"workers on {ports} not ready")
        time.sleep(0.5)


def _announce(s: Settings, s3, producer, key: str, body: bytes) -> str:
    """Store `body` at `key` and announce it as `submit` does; its voicemail id."""
    from pipeline import events, topics
    from pipeline.adapters import s3 as s3io
    from pipeline.ingest.core import received_event

    s3.put_object(Bucket=s.bucket, Key=key, Body=body)
    event = received_event(s3io.head(s3, s.bucket, key), "submit", events.utcnow())
    producer.send(topics.INGEST, key=event.voicemail_id.encode(), value=events.encode(topics.INGEST, event))
    return event.voicemail_id


def bench_stream(s: Settings, files: list[str], worker_counts: list[int], latency_files: int, out: IO[str]) -> int:
    """`bench stream`: the same files through the running stack (`dev up`) with 1, 2, ... transcribe
    workers in one consumer group, the CPU threads of one worker split among them. Voicemails/min from
    the first upload to the last task, per core of this machine (Kafka, S3 and every stage share
    them); each worker's share read from its /metrics. Then latency on the idle stack: the first
    `latency_files` files one at a time, upload to the task's broker timestamp, against the plain
    faster-whisper loop on the same files after the workers stopped."""
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    from pipeline import devstack, events, topics
    from pipeline.adapters import s3 as s3io
    from pipeline.cli.tail import read_tasks
    from pipeline.transport import kafka_kwargs, producer_kwargs

    devstack.up(s)
    port = s.http_port or 9400
    cores = os.cpu_count() or 1
    env = {**os.environ, "VM_LOG_LEVEL": "warning"}

    def spawn(stage: str, http_port: int, **extra: str) -> subprocess.Popen:
        return _spawn(stage, {**env, "VM_HTTP_PORT": str(http_port), **extra})

    def done_count(p: int) -> int:
        found = re.search(r'voicemail_messages_total{outcome="ok",stage="transcribe"} ([0-9.]+)', _get(p, "/metrics"))
        return int(float(found.group(1))) if found else 0

    def drained(ports: list[int]) -> None:
        """Wait until the workers worked off what was already on their topic, so only our files are timed."""
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            lags = [float(v) for p in ports
                    for v in re.findall(r"voicemail_consumer_lag{[^}]*} ([0-9.]+)", _get(p, "/metrics"))]
            if lags and not any(lags):
                return
            time.sleep(2)
        raise RuntimeError("transcribe workers did not drain their backlog")

    def announce(run: str, name: str) -> str:
        return _announce(s, s3, producer, f"bench/{run}/{Path(name).name}", Path(name).read_bytes())

    def latencies(names: list[str]) -> dict[str, float]:
        """Each file alone on the idle stack: seconds from the upload to the task's broker timestamp."""
        consumer = KafkaConsumer(**kafka_kwargs(s), enable_auto_commit=False, group_id=None)
        parts = [TopicPartition(t, p) for t in map(topics.task_topic, topics.ROLES)
                 for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(parts)
        result, run = {}, uuid.uuid4().hex[:8]
        try:
            for name in names:
                consumer.seek_to_end()
                for tp in parts:
                    consumer.position(tp)  # resolve the end now, before the task can land
                started = time.time()
                wanted = events.task_id(announce(run, name))
                producer.flush()
                deadline = time.monotonic() + 600
                while name not in result and time.monotonic() < deadline:
                    for records in consumer.poll(timeout_ms=500).values():
                        for msg in records:
                            if json.loads(msg.value)["id"] == wanted:
                                result[name] = msg.timestamp / 1000 - started
                if name not in result:
                    raise RuntimeError(f"no task for {Path(name).name} within 600 s")
        finally:
            consumer.close()
        return result

    others = [spawn(stage, port + i) for i, stage in enumerate(["ingest", "classify", "route"])]
    s3, producer = s3io.client(s), KafkaProducer(**producer_kwargs(s))
    rows, latency = [], {}
    try:
        _wait_ready([port, port + 1, port + 2])
        for count in worker_counts:
            threads = max(1, s.whisper_cpu_threads // count)
            ports = [port + 10 + i for i in range(count)]
            workers = [spawn("transcribe", p, VM_WHISPER_CPU_THREADS=str(threads)) for p in ports]
            try:
                _wait_ready(ports)
                time.sleep(3)  # let the group settle on its final assignment
                drained(ports)
                before = [done_count(p) for p in ports]
                run = uuid.uuid4().hex[:8]
                started = time.monotonic()
                wanted = {events.task_id(announce(run, name)) for name in files}
                producer.flush()
                for _, task in read_tasks(s, idle_timeout_s=600):
                    wanted.discard(task["id"])
                    if not wanted:
                        break
                seconds = time.monotonic() - started
                rows.append((count, threads, len(files), seconds,
                             [done_count(p) - b for p, b in zip(ports, before, strict=True)], len(wanted)))
                if count == 1 and latency_files:
                    latency = latencies(files[:latency_files])
            finally:
                for w in workers:
                    w.terminate()
                for w in workers:
                    w.wait(timeout=60)
    finally:
        producer.close()
        for w in others:
            w.terminate()
            w.wait(timeout=60)
    print(f"{len(files)} files through ingest -> transcribe -> classify -> route on the local stack, "
          f"{cores} cores shared by Kafka, S3 and every stage", file=out)
    print(f"{'workers':>7} {'threads each':>12} {'seconds':>8} {'vm/min':>7} {'vm/min/core':>11}  "
          "per-worker share  missing",
          file=out)
    for count, threads, n, seconds, shares, missing in rows:
        print(f"{count:>7} {threads:>12} {seconds:>8.1f} {60 * n / seconds:>7.1f} {60 * n / seconds / cores:>11.1f}"
              f"  {'/'.join(map(str, shares)):>16}  {missing:>7}", file=out)
    if latency:
        plain = _in_process(_plain, list(latency), s)["each"]
        o = overhead(latency, plain)
        print(f"latency on the idle stack, one worker, {o['files']} files one at a time (medians): upload to task "
              f"{o['latency']:.2f} s, plain faster-whisper loop {o['plain']:.2f} s, overhead {o['overhead']:+.2f} s",
              file=out)
    return 0 if all(r[-1] == 0 for r in rows) else 1


def bench_kafka(s: Settings, set_path: str, audio_dir: str, count: int, out: IO[str]) -> int:
    """`bench kafka`: the Kafka part of the pipeline alone on the running stack (`dev up`, one broker or
    `--brokers 3`): ingest -> transcribe -> classify -> route, one worker each, with Whisper replaced by
    the set's own transcripts (`VM_RECORDED_TRANSCRIPTS`), so audio is still stored, fetched and decoded
    but not recognised. `count` voicemails (the set's recordings, each under a new key) announced at
    once after a warm-up; voicemails/s from the first announcement to the last task, and each stage's
    busy seconds per voicemail from its /metrics, so the slowest stage shows."""
    from kafka import KafkaProducer

    from pipeline import devstack, events
    from pipeline.adapters import s3 as s3io
    from pipeline.cli.tail import read_tasks
    from pipeline.transcribe.recorded import record_line
    from pipeline.transport import producer_kwargs

    state = devstack.up(s)
    docs = [json.loads(line) for line in Path(set_path).read_text().splitlines() if line.strip()]
    audio = {p.stem: p for p in Path(audio_dir).iterdir() if p.is_file()}
    clips = [(audio[d["id"]].read_bytes(), d) for d in docs if d["id"] in audio]
    if not clips:
        raise SystemExit(f"no recording in {audio_dir} for an id of {set_path}")
    recorded = s.state_dir / "bench" / "recorded.jsonl"
    recorded.parent.mkdir(parents=True, exist_ok=True)
    recorded.write_text("".join(record_line(body, d["text"], d.get("language", "en")) + "\n" for body, d in clips))
    port = s.http_port or 9400
    stages = ["ingest", "transcribe", "classify", "route"]
    env = {**os.environ, "VM_LOG_LEVEL": "warning", "VM_RECORDED_TRANSCRIPTS": str(recorded),
           "VM_KAFKA_BOOTSTRAP": state["kafka_bootstrap"]}
    ports = [port + 20 + i for i in range(len(stages))]
    workers = [_spawn(stage, {**env, "VM_HTTP_PORT": str(p)}) for p, stage in zip(ports, stages, strict=True)]
    s3 = s3io.client(s)
    producer = KafkaProducer(**producer_kwargs(s.model_copy(update={"kafka_bootstrap": state["kafka_bootstrap"]})))

    def run(n: int) -> float:
        tag, started = uuid.uuid4().hex[:8], time.monotonic()
        wanted = {events.task_id(_announce(s, s3, producer, f"bench/kafka/{tag}/{i}.wav", clips[i % len(clips)][0]))
                  for i in range(n)}
        producer.flush()
        for _, task in read_tasks(s, idle_timeout_s=120):
            wanted.discard(task["id"])
            if not wanted:
                return time.monotonic() - started
        raise RuntimeError(f"{len(wanted)} of {n} voicemails without a task")

    def busy() -> dict[str, tuple[float, float]]:
        """stage -> (seconds handling messages, messages handled) from the workers' /metrics."""
        found = {}
        for p, stage in zip(ports, stages, strict=True):
            text = _get(p, "/metrics")
            total = re.search(rf'voicemail_stage_seconds_sum{{stage="{stage}"}} ([0-9.e+-]+)', text)
            n = re.search(rf'voicemail_stage_seconds_count{{stage="{stage}"}} ([0-9.e+-]+)', text)
            found[stage] = (float(total.group(1)) if total else 0.0, float(n.group(1)) if n else 0.0)
        return found

    try:
        _wait_ready(ports)
        run(min(10, count))  # warm-up: connections, metadata, spaCy's first call
        before = busy()
        seconds = run(count)
        after = busy()
    finally:
        producer.close()
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=60)
    brokers = len(state["brokers"])
    print(f"{count} voicemails through ingest -> transcribe (recorded transcripts) -> classify -> route, one worker "
          f"each, on {brokers} broker{'s' if brokers > 1 else ''} (acks=all), {os.cpu_count()} cores shared by "
          "Kafka, S3 and every stage", file=out)
    print(f"{seconds:.1f} s: {count / seconds:.1f} voicemails/s ({60 * count / seconds:.0f}/min)", file=out)
    for stage in stages:
        spent, handled = (a - b for a, b in zip(after[stage], before[stage], strict=True))
        print(f"  {stage:10} {1000 * spent / max(handled, 1):7.1f} ms busy per message, {handled:.0f} messages",
              file=out)
    return 0
