"""Transcribe stage shell: voicemail.received -> fetch object -> Whisper (in a thread) -> voicemail.transcribed."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import faust

from pipeline import events, topics
from pipeline.adapters import s3 as s3io
from pipeline.config import Settings
from pipeline.domain import Voicemail
from pipeline.errors import Rejected
from pipeline.logging import get_logger
from pipeline.stream.app import Dedupe, Outcome, StageShell
from pipeline.stream.ops import MODEL_LOAD_SECONDS
from pipeline.transcribe.core import Transcriber, transcribed_event
from pipeline.transcribe.recorded import Recorded

log = get_logger(__name__)


def register(app: faust.App, s: Settings) -> None:
    """Wire the transcribe stage: voicemail.received -> voicemail.transcribed."""
    # once per worker process
    transcriber = Recorded(s, s.recorded_transcripts) if s.recorded_transcripts else Transcriber(s)
    MODEL_LOAD_SECONDS.labels(s.whisper_model).set(transcriber.load_seconds)
    s3 = s3io.client(s)
    # Inference runs in threads so heartbeats and rebalances go on during long audio.
    pool = ThreadPoolExecutor(max_workers=s.transcribe_concurrency, thread_name_prefix="whisper")
    shell = StageShell(app, "transcribe", topics.RECEIVED)
    # voicemail_id -> model id that transcribed it: a redelivered or re-announced voicemail is not
    # transcribed again (the costly part); a new model does transcribe it again.
    done = Dedupe(shell.table("transcribed"))

    async def step(raw: bytes) -> Outcome:
        received = events.read(Voicemail, topics.RECEIVED, raw)
        vm_id = received.voicemail_id
        if received.size > s.max_audio_bytes:  # refused before any download
            raise Rejected("audio_too_large", f"{received.size} bytes > {s.max_audio_bytes}")
        if done.done(vm_id, transcriber.model_id):
            log.info("transcribe.duplicate_skipped", voicemail_id=vm_id)
            return Outcome([])
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(pool, s3io.fetch, s3, received.bucket, received.key,
                                          received.etag, s.max_audio_bytes)
        transcript = await loop.run_in_executor(pool, transcriber.transcribe, data)
        out = transcribed_event(received, transcript, events.utcnow())
        return Outcome([(topics.TRANSCRIBED, vm_id, events.encode(topics.TRANSCRIBED, out))],
                       on_acked=done.after_ack(vm_id, transcriber.model_id))

    shell.consume(topics.RECEIVED, step, name="transcribe", concurrency=s.transcribe_concurrency)
