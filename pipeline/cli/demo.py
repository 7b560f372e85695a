"""`python -m pipeline demo`: the whole product on the local stack, in one command.

Starts the stack and the workers, submits the sample voicemails, prints the tasks they became,
per role, then stops the workers (the stack stays up: `python -m pipeline dev down`).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict

from pipeline import devstack
from pipeline.cli.tail import read_tasks, summary
from pipeline.config import REPO_ROOT, Settings
from pipeline.ingest.submit import submit_files

SAMPLES = sorted((REPO_ROOT / "samples" / "audio").glob("*.wav"))


def demo(s: Settings, timeout_s: float = 300) -> int:
    """Start the stack and the workers, submit the demo voicemails, print their tasks; exit status."""
    devstack.up(s)
    log_path = s.stack_dir / "logs" / "worker.log"
    print(f"workers starting (log: {log_path})", flush=True)
    with log_path.open("ab") as log:
        workers = subprocess.Popen([sys.executable, "-m", "pipeline", "worker"], stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        submitted = io.StringIO()
        if submit_files(s, [str(p) for p in SAMPLES], mailbox="demo", out=submitted) != 0:
            print(submitted.getvalue(), file=sys.stderr)
            return 1
        wanted = {json.loads(line)["voicemail_id"] for line in submitted.getvalue().splitlines()}
        print(f"submitted {len(wanted)} voicemails; waiting for their tasks...", flush=True)
        by_role: dict[str, list[str]] = defaultdict(list)
        started = time.monotonic()
        for topic, task in read_tasks(s, idle_timeout_s=timeout_s):
            vm_id = next(i["value"] for i in task["identifier"] if i["system"].endswith(":voicemail"))
            if vm_id in wanted:
                wanted.discard(vm_id)
                by_role[topic].append(summary(topic, task))
            if not wanted or time.monotonic() - started > timeout_s:
                break
        for topic in sorted(by_role):
            print(f"\n{topic} ({len(by_role[topic])})")
            for line in by_role[topic]:
                print("  " + line)
        if wanted:
            print(f"\n{len(wanted)} voicemails produced no task in {timeout_s:.0f}s; see {log_path}", file=sys.stderr)
            return 1
        print(f"\nall tasks in {time.monotonic() - started:.1f}s. Stack still up: python -m pipeline dev down")
        return 0
    finally:
        os.killpg(workers.pid, signal.SIGTERM)
        workers.wait(timeout=60)
