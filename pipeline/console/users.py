"""The console's users: a JSON file of names, roles and scrypt password hashes (memory-hard, from the
standard library), readable by its owner only. `console add-user` writes it; the server reads it."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from pipeline.console.core import CONSOLE_ROLES

# scrypt at N=2^15, r=8: 32 MiB and about a tenth of a second per guess on this machine's cores.
_N, _R, _P = 2**15, 8, 1
_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 12


class UserError(ValueError):
    """A user cannot be added as asked (bad name, unknown role, short password)."""


@dataclass(frozen=True)
class User:
    """A console user and the roles whose worklists they see."""
    name: str
    roles: frozenset[str]


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 1024 * 1024, dklen=32)


class UserStore:
    """Users in one JSON file: {name: {"roles": [...], "salt": hex, "hash": hex}}."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def add(self, name: str, roles: list[str], password: str) -> User:
        """Create or replace a user; UserError for a bad name, role or password."""
        if not _NAME.match(name):
            raise UserError("a user name is 2-32 characters: lowercase letters, digits, '.', '_' or '-'")
        unknown = sorted(set(roles) - set(CONSOLE_ROLES))
        if not roles or unknown:
            raise UserError(f"roles must be some of {', '.join(CONSOLE_ROLES)}"
                            + (f"; not {unknown}" if unknown else ""))
        if len(password) < MIN_PASSWORD:
            raise UserError(f"a password has at least {MIN_PASSWORD} characters")
        salt = secrets.token_bytes(16)
        users = self._load()
        users[name] = {"roles": sorted(set(roles)), "salt": salt.hex(), "hash": _hash(password, salt).hex()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        tmp.write_text(json.dumps(users, indent=1))
        os.replace(tmp, self.path)
        return User(name, frozenset(roles))

    def check(self, name: str, password: str) -> User | None:
        """The user when the password is theirs; None otherwise (unknown names cost the same time)."""
        entry = self._load().get(name)
        salt = bytes.fromhex(entry["salt"]) if entry else b"\0" * 16
        digest = _hash(password, salt)
        if entry is None or not hmac.compare_digest(digest, bytes.fromhex(entry["hash"])):
            return None
        return User(name, frozenset(entry["roles"]))
