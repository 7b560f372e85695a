"""`python -m pipeline worker [--stage S ...]`.

One stage: a faust worker for that stage's app in this process. Several stages: one child process
per stage (each its own consumer group, as in production), supervised; if one exits, all stop.
Child i serves /metrics, /healthz and /readyz on VM_HTTP_PORT + i.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time

import faust

from pipeline import topics
from pipeline.config import get_settings
from pipeline.logging import get_logger
from pipeline.stream.app import make_app
from pipeline.stream.ops import Ops

log = get_logger(__name__)
STAGES = topics.STAGES


def run(stages: list[str] | None) -> int:
    """Run one stage in this process, or several under a supervisor; exit status."""
    stages = stages or list(STAGES)
    if len(stages) == 1:
        return _run_stage(stages[0])
    return _supervise(stages)


def _run_stage(stage: str) -> int:
    s = get_settings()
    app = make_app(stage, s)
    importlib.import_module(f"pipeline.{stage}.agent").register(app, s)
    Ops(app, stage, s.http_port)
    log.info("worker.start", stage=stage, http_port=s.http_port)
    worker = faust.Worker(app, loglevel="WARNING", quiet=True, redirect_stdouts=False, override_logging=False)
    worker.spinner = None  # its terminal escape codes would break the JSON log lines
    worker.execute_from_commandline()  # exits the process when the worker stops
    return 0


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
