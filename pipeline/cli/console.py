"""`python -m pipeline console`: serve the callback console; `console add-user NAME --role ROLE` adds a user."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import sys
from typing import IO

from pipeline.config import Settings
from pipeline.console.users import UserError, UserStore


def add_user(s: Settings, name: str | None, roles: list[str] | None, password_stdin: bool,
             stdin: IO[str] = sys.stdin, out: IO[str] = sys.stdout) -> int:
    """Create or replace a console user; the password from stdin (first line) or a prompt, never an argument."""
    if not name or not roles:
        print("console add-user: give a NAME and at least one --role", file=sys.stderr)
        return 2
    if password_stdin:
        password = stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("console add-user: the passwords differ", file=sys.stderr)
            return 2
    try:
        user = UserStore(s.console_users).add(name, roles, password)
    except UserError as exc:
        print(f"console add-user: {exc}", file=sys.stderr)
        return 2
    print(f"user {user.name}: {', '.join(sorted(user.roles))} ({s.console_users})", file=out)
    return 0


def serve(s: Settings) -> int:
    """Serve the console until interrupted."""
    from pipeline.console.web import serve as run

    if not s.console_users.exists():
        print(f"console: no users yet ({s.console_users}); add one with "
              "`python -m pipeline console add-user NAME --role nurse`", file=sys.stderr)
        return 2
    scheme = "https" if s.console_tls_cert else "http"
    print(f"console: {scheme}://{s.console_host}:{s.console_port}/", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(s, UserStore(s.console_users)))
    return 0
