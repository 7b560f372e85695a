"""`python -m pipeline worker [--stage S ...]`.

One stage: a faust worker for that stage's app in this process. Several stages: one child process
per stage (each its own consumer group, as in production), supervised; if one exits, all stop.
Child i serves /metrics, /healthz and /readyz on VM_HTTP_PORT + i.

A stage whose view must be whole (the audit) runs as any number of replicas of which one works: each
waits as a standby until it holds the stage's lease (`stream/lease.py`), pauses while the lease is
lost, and stops when it does not come back.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import faust
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from pipeline import topics
from pipeline.config import Settings, get_settings
from pipeline.logging import get_logger
from pipeline.stream.app import make_app
from pipeline.stream.lease import Lease
from pipeline.stream.ops import Ops

log = get_logger(__name__)
STAGES = topics.STAGES
SINGLE_ACTIVE = ("audit",)  # the whole worker waits for the lease (ingest leases only its reconciler)


def run(stages: list[str] | None) -> int:
    """Run one stage in this process, or several under a supervisor; exit status."""
    stages = stages or list(STAGES)
    if len(stages) == 1:
        return _run_stage(stages[0])
    return _supervise(stages)


def _run_stage(stage: str) -> int:
    s = get_settings()
    app = make_app(stage, s)
    agent = importlib.import_module(f"pipeline.{stage}.agent")
    if stage in SINGLE_ACTIVE:
        agent.register(app, s, lease=_stand_by(stage, s))
    else:
        agent.register(app, s)
    Ops(app, stage, s.http_port)
    log.info("worker.start", stage=stage, http_port=s.http_port)
    worker = faust.Worker(app, loglevel="WARNING", quiet=True, redirect_stdouts=False, override_logging=False)
    worker.spinner = None  # its terminal escape codes would break the JSON log lines
    worker.execute_from_commandline()  # exits the process when the worker stops
    return 0


def _stand_by(stage: str, s: Settings) -> Lease:
    """Wait, answering health probes as a standby, until this replica holds the stage's lease; then
    return it, kept until the process exits. The stage acts only while it holds the lease. A lease
    lost and not back within a session timeout (another replica took it) stops the worker, and the
    supervisor or Kubernetes starts it again as a standby; a broker restart loses it for a moment."""
    def lost() -> None:  # on the lease thread: wait elsewhere
        threading.Thread(target=stop_unless_back, name="lease-lost", daemon=True).start()

    def stop_unless_back() -> None:
        if not lease.wait(s.kafka_session_timeout_s):
            log.warning("worker.lease_gone", stage=stage)
            os.kill(os.getpid(), signal.SIGTERM)

    lease = Lease(s, stage, topics.LEASES[stage], on_lost=lost).start()
    server = _standby_server(stage, s.http_port) if s.http_port else None

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(0)  # stopped while standing by: leave the group on the way out

    signal.signal(signal.SIGTERM, leave)
    log.info("worker.standby", stage=stage)
    try:
        while not lease.wait(1.0):
            if not lease.alive():
                raise SystemExit(1)
    except BaseException:
        lease.release()
        raise
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if server is not None:
            server.shutdown()
            server.server_close()
    atexit.register(lease.release)  # a clean stop hands the lease over at once
    log.info("worker.active", stage=stage)
    return lease


def _standby_server(stage: str, port: int) -> ThreadingHTTPServer:
    """/healthz, /readyz (a standby is ready: ready to take over) and /metrics while standing by."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/metrics":
                body, kind = generate_latest(), CONTENT_TYPE_LATEST
            elif self.path in ("/healthz", "/readyz"):
                body, kind = json.dumps({"ok": True, "stage": stage, "lease": "standby"}).encode(), "application/json"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass  # probes every few seconds: not worth a log line

    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    threading.Thread(target=server.serve_forever, name="standby-http", daemon=True).start()
    return server


def _supervise(stages: list[str]) -> int:
    base = get_settings().http_port
    children = {st: subprocess.Popen([sys.executable, "-m", "pipeline", "worker", "--stage", st],
                                     env={**os.environ, "VM_HTTP_PORT": str(base + i if base else 0)})
                for i, st in enumerate(stages)}
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while True:
            for stage, child in children.items():
                code = child.poll()
                if code is not None:
                    if not stopping:
                        log.error("worker.stage_exited", stage=stage, code=code)
                        stop(signal.SIGTERM, None)
                    for other in children.values():
                        other.wait(timeout=60)
                    return 0 if stopping else 1
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
