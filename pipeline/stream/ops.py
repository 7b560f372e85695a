"""What ops scrape and probe on each worker: Prometheus metrics, /healthz and /readyz.

Labels carry stage, topic, partition and reason codes only, never anything from a voicemail.
The HTTP server runs on the worker's event loop, so a loop that stops turning fails /healthz.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import faust
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from pipeline.logging import get_logger

log = get_logger(__name__)

STAGE_SECONDS = Histogram("voicemail_stage_seconds", "Time to handle one message, publish included", ["stage"],
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160))
MESSAGES = Counter("voicemail_messages_total", "Messages handled", ["stage", "outcome"])
DEAD_LETTERS = Counter("voicemail_dead_letters_total", "Messages sent to voicemail.dlq", ["stage", "reason"])
PUBLISH_RETRIES = Counter("voicemail_publish_retries_total", "Publishes retried after a broker error", ["stage"])
REDRIVES = Counter("voicemail_redrives_total", "Events the audit re-published for a stopped voicemail", ["why"])
STATE_ROWS = Gauge("voicemail_state_rows", "Rows in a stage's state table: open (under way) or ended marks",
                   ["stage", "table"])
CONSUMER_LAG = Gauge("voicemail_consumer_lag", "Messages behind the partition's end", ["stage", "topic", "partition"])
MODEL_LOAD_SECONDS = Gauge("voicemail_model_load_seconds", "Time to load the Whisper model", ["model"])
READY = Gauge("voicemail_ready", "1 once the consumer has its partitions (and the model is loaded)", ["stage"])
COMMIT_HEALS = Counter("voicemail_commit_heals_total", "Re-reads from the committed offset of a stalled partition",
                       ["stage"])
LEASE_HELD = Gauge("voicemail_lease_held", "1 while this replica holds its stage's lease (the one active replica)",
                   ["lease"])
HEARTBEAT_AGE = 15.0  # /healthz fails when the loop's heartbeat is older than this
# faust can leave a hole at the head of a partition's acked offsets after a rebalance (a message it
# dropped): its commit then stalls there for good and the lag never drains. A partition read to its end
# whose commit has not moved for this long is re-read from the committed offset (the stages dedupe).
COMMIT_STALL_S = 30.0


class Ops:
    """A stage's health and readiness endpoints and its metrics."""
    def __init__(self, app: faust.App, stage: str, port: int) -> None:
        self.app, self.stage, self.port = app, stage, port
        self.assigned = False
        self.beat = time.monotonic()
        self.stalled: dict = {}  # tp -> (committed offset, since when it has not moved)
        # mode's stubs type receivers as (sender, *args, signal=..., **kw); faust calls (app, partitions, signal=...)
        app.on_partitions_assigned.connect(self._on_assigned)  # type: ignore[arg-type]
        app.on_partitions_revoked.connect(self._on_revoked)  # type: ignore[arg-type]
        app.timer(5.0, name=f"{stage}-ops-lag")(self._refresh_lag)
        app.task(self._serve)
        app.timer(1.0, name=f"{stage}-ops-beat")(self._heartbeat)

    async def _on_assigned(self, _app: faust.App, assigned: set, **_: object) -> None:
        self.assigned = True
        READY.labels(self.stage).set(1)

    async def _on_revoked(self, _app: faust.App, revoked: set, **_: object) -> None:
        self.assigned = False  # until the rebalance hands out partitions again
        READY.labels(self.stage).set(0)
        for tp in revoked:  # a partition that moved away keeps no stale lag here
            with contextlib.suppress(KeyError):
                CONSUMER_LAG.remove(self.stage, tp.topic, str(tp.partition))

    async def _heartbeat(self) -> None:
        self.beat = time.monotonic()

    async def _refresh_lag(self) -> None:
        consumer = self.app.consumer
        committed = consumer._committed_offset  # type: ignore[attr-defined]  # faust offers no public view of it
        stalled = []
        for tp in consumer.assignment():
            if tp.topic.endswith("-changelog"):
                continue
            end, pos = consumer.highwater(tp), await consumer.position(tp)
            if end is not None and pos is not None:
                CONSUMER_LAG.labels(self.stage, tp.topic, str(tp.partition)).set(max(0, end - pos))
            done = committed.get(tp)
            if end is None or pos is None or done is None or pos < end or done >= pos:
                self.stalled.pop(tp, None)  # still reading, or committed up to where it read
                continue
            since = self.stalled.setdefault(tp, (done, time.monotonic()))
            if since[0] != done:
                self.stalled[tp] = (done, time.monotonic())
            elif time.monotonic() - since[1] >= COMMIT_STALL_S:
                stalled.append((tp, pos - done))
        if stalled:
            for tp, gap in stalled:
                log.warning("ops.commit_stalled", stage=self.stage, topic=tp.topic, partition=tp.partition,
                            uncommitted=gap)
            COMMIT_HEALS.labels(self.stage).inc()
            self.stalled.clear()
            await consumer.perform_seek()  # every partition back to its committed offset

    async def _serve(self) -> None:
        if not self.port:
            return
        web_app = web.Application()
        web_app.router.add_get("/metrics", self._metrics)
        web_app.router.add_get("/healthz", self._healthz)
        web_app.router.add_get("/readyz", self._readyz)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "0.0.0.0", self.port).start()
        log.info("ops.listening", stage=self.stage, port=self.port)
        try:
            await asyncio.Event().wait()  # until the worker stops this task
        finally:
            await runner.cleanup()

    async def _metrics(self, _req: web.Request) -> web.Response:
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _healthz(self, _req: web.Request) -> web.Response:
        age = time.monotonic() - self.beat
        return _status(age < HEARTBEAT_AGE, {"stage": self.stage, "heartbeat_age_s": round(age, 1)})

    async def _readyz(self, _req: web.Request) -> web.Response:
        return _status(self.assigned, {"stage": self.stage, "partitions_assigned": self.assigned})


def _status(ok: bool, body: dict) -> web.Response:
    return web.json_response({"ok": ok, **body}, status=200 if ok else 503)
