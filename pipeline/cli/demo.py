"""`python -m pipeline demo`: the whole product on the local stack, in one command.

Starts the stack and the workers, submits the sample voicemails, prints the tasks they became,
per role, then stops the workers. The stack and the callback console stay up (`python -m pipeline dev
down` stops both); the console's URL and a demo login are printed last.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import defaultdict

from pipeline import devstack, events
from pipeline.cli.tail import read_tasks, summary
from pipeline.config import REPO_ROOT, Settings
from pipeline.console.core import CONSOLE_ROLES
from pipeline.console.users import UserStore
from pipeline.ingest.submit import submit_files

SAMPLES = sorted((REPO_ROOT / "samples" / "audio").glob("*.wav"))
DEMO_USER = "demo"


def start_console(s: Settings) -> tuple[str, str]:
    """The console in the background (left running when it already is), with a `demo` user who sees every
    role; its URL and the demo password (made once, kept owner-only in the stack folder)."""
    secret = s.stack_dir / "console" / "demo-password"
    if not secret.exists():
        secret.parent.mkdir(parents=True, exist_ok=True)
        secret.touch(mode=0o600)
        secret.write_text(secrets.token_urlsafe(12))
    password = secret.read_text().strip()
    UserStore(s.console_users).add(DEMO_USER, list(CONSOLE_ROLES), password)
    url = f"{'https' if s.console_tls_cert else 'http'}://{s.console_host}:{s.console_port}/"
    if devstack.console_pid(s) is None:
        devstack.spawn_console(s)
    return url, password


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
            vm_id = events.voicemail_of(task)
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
        print(f"\nall tasks in {time.monotonic() - started:.1f}s.")
        url, password = start_console(s)
        print(f"\ncallback console: {url}  (log in as {DEMO_USER} / {password})\n"
              "Stack and console still up: python -m pipeline dev down")
        return 0
    finally:
        os.killpg(workers.pid, signal.SIGTERM)
        workers.wait(timeout=60)
