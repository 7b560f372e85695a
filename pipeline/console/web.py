"""The callback console's web shell (aiohttp): login, a live worklist per role, the task page with its
audio, and the Accept / Complete / Reassign actions, which publish to `tasks.status` like any EHR.

It reads the same topics an EHR consumer reads (the role task topics, `tasks.status`,
`tasks.escalated`, and `voicemail.triaged` for the evidence offsets) from the beginning, without a
consumer group, into memory. Every page needs a session; every state change needs the session's CSRF
token; a user sees and acts on their roles' tasks only; each view and action goes to `console.audit`.
PHI stays out of URLs (task ids are opaque), logs and browser storage.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import ssl
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from kafka import KafkaProducer

from pipeline import events, topics
from pipeline.adapters import s3 as s3io
from pipeline.adapters.kafka import read_topics
from pipeline.config import Settings
from pipeline.console import pages
from pipeline.console.core import Row, Worklist, highlights, status_update
from pipeline.console.users import User, UserStore
from pipeline.logging import get_logger
from pipeline.sla.core import latest_version, scorecard
from pipeline.transport import producer_kwargs

log = get_logger(__name__)
COOKIE = "vm_console"
LOGIN_FAILURES, LOGIN_WINDOW_S = 5, 300  # per address and per user name
SSE_HEARTBEAT_S = 15.0


@dataclass
class Session:
    """A logged-in user: who, the CSRF token their forms carry, and when the session ends."""
    user: User
    csrf: str
    expires: float


_SESSION = web.RequestKey("session", Session)  # set by the guard on every request past the login


class LoginLimiter:
    """Failed logins per key (address, user name) in a sliding window: too many and the key waits."""

    def __init__(self, limit: int = LOGIN_FAILURES, window_s: float = LOGIN_WINDOW_S) -> None:
        self.limit, self.window_s = limit, window_s
        self.failures: dict[str, list[float]] = {}

    def blocked(self, *keys: str, now: float | None = None) -> bool:
        """Whether any key failed `limit` times within the window."""
        now = time.monotonic() if now is None else now
        for key in keys:
            recent = [t for t in self.failures.get(key, []) if now - t < self.window_s]
            self.failures[key] = recent
            if len(recent) >= self.limit:
                return True
        return False

    def failed(self, *keys: str, now: float | None = None) -> None:
        """Count a failed login against each key."""
        now = time.monotonic() if now is None else now
        for key in keys:
            self.failures.setdefault(key, []).append(now)


class Console:
    """The console's state: the worklist and evidence read from Kafka, sessions, and who listens live."""

    def __init__(self, s: Settings, users: UserStore, session_s: float) -> None:
        self.s, self.users, self.session_s = s, users, session_s
        self.worklist = Worklist()
        self.evidence: dict[str, dict[str, Any]] = {}  # voicemail id -> {"text", "evidence"} from voicemail.triaged
        # For the scorecard, without PHI: each task's latest timing fields, every status, escalation, dead letter.
        self.history: dict[str, list[Any]] = {"statuses": [], "escalations": [], "dead_letters": []}
        self.task_times: dict[str, tuple[str, dict[str, Any]]] = {}
        self.sessions: dict[str, Session] = {}
        self.limiter = LoginLimiter()
        self.listeners: set[asyncio.Queue[set[str]]] = set()
        self.producer: KafkaProducer | None = None
        self._connecting = asyncio.Lock()
        self.kafka_wait_s = 15.0
        self.s3: Any = None

    # -- Kafka in: a reader thread hands each message to the event loop --------------------------------

    def follow(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read the task, status, escalation and triage topics from the beginning, for as long as it runs."""
        names = [*(topics.task_topic(r) for r in topics.ROLES), topics.TASK_STATUS, topics.ESCALATED, topics.TRIAGED,
                 topics.DLQ]

        def run() -> None:
            while True:
                try:
                    for topic, raw in read_topics(self.s, names):  # one consumer for good: each message once
                        loop.call_soon_threadsafe(self.apply, topic, raw)
                except Exception as exc:  # noqa: BLE001 - no broker yet, or lost: read it all again, afresh
                    log.warning("console.follow_failed", error=type(exc).__name__)
                    loop.call_soon_threadsafe(self.reset)
                    time.sleep(5)

        threading.Thread(target=run, name="console-follow", daemon=True).start()

    def reset(self) -> None:
        """Forget what was read (it is read again from the beginning)."""
        self.worklist = Worklist()
        self.evidence.clear()
        self.task_times.clear()
        for kept in self.history.values():
            kept.clear()
        self._tell(set(topics.ROLES))

    def apply(self, topic: str, raw: bytes) -> None:
        """One message into the worklist; listeners whose roles changed are told."""
        try:
            doc = json.loads(raw)
            if topic == topics.TRIAGED:
                triage = doc["triage"]
                self.evidence[doc["voicemail_id"]] = {"text": doc["transcript"]["text"], "evidence": triage["evidence"],
                                                      "caller": triage.get("caller_name"),
                                                      "relationship": triage.get("caller_relationship")}
                return
            if topic == topics.DLQ:
                self.history["dead_letters"].append({"reason": doc["reason"], "failed_at": doc["failed_at"]})
                return
            if topic == topics.TASK_STATUS:
                update = events.validate(topics.TASK_STATUS, doc)
                self.history["statuses"].append({k: update[k] for k in ("id", "status", "lastModified") if k in update})
                changed = set(self.worklist.status(update))
            elif topic == topics.ESCALATED:
                self.history["escalations"].append({"task_id": doc["task_id"], "level": doc["level"]})
                role = self.worklist.escalated(doc)
                changed = {role} if role else set()
            else:
                task = events.validate("task", doc)
                self._remember(topic, task)
                role = self.worklist.task(topic, task)
                changed = {role} if role else set()
        except Exception as exc:  # noqa: BLE001 - a bad message is the workers' to dead-letter, not ours
            log.warning("console.message_skipped", topic=topic, error=type(exc).__name__)
            return
        self._tell(changed)

    def _tell(self, changed: set[str]) -> None:
        if changed:
            for queue in self.listeners:
                queue.put_nowait(changed)

    def acted(self, update: dict[str, Any]) -> None:
        """An update this console published (and the broker acked): shown at once, before it is read back
        (reading it back applies it again, to the same effect)."""
        self._tell(set(self.worklist.status(update)))

    def _remember(self, topic: str, task: dict[str, Any]) -> None:
        """A task's timing fields for the scorecard (a re-triaged task counts once, as its latest version)."""
        known = self.task_times.get(task["id"])
        if latest_version(task, known[1] if known else None):
            slim = {k: task[k] for k in ("id", "priority", "authoredOn", "restriction")}
            slim["input"] = [i for i in task.get("input", []) if i["type"]["coding"][0]["code"] == "urgency"]
            self.task_times[task["id"]] = (topic, slim)

    def scorecard(self, days: int) -> dict[str, Any]:
        """The return-call scorecard over the last `days` days."""
        now = events.utcnow()
        return scorecard(list(self.task_times.values()), self.history["statuses"], self.history["escalations"],
                         now, self.history["dead_letters"], since=now - timedelta(days=days))

    # -- Kafka out --------------------------------------------------------------------------------------

    async def publish(self, topic: str, key: str, value: bytes) -> None:
        """Send and wait for the broker's ack (acks=all), off the event loop; 503 while Kafka cannot be
        reached (the pages still serve, and nothing is shown as done that the broker did not take)."""
        loop = asyncio.get_running_loop()
        try:
            if self.producer is None:  # made on first use: the console starts and serves without Kafka
                async with self._connecting:
                    if self.producer is None:
                        self.producer = await loop.run_in_executor(None, lambda: KafkaProducer(
                            **producer_kwargs(self.s),
                            bootstrap_timeout_ms=int(self.kafka_wait_s * 1000)))
            producer = self.producer
            assert producer is not None
            future = producer.send(topic, key=key.encode(), value=value)
            await asyncio.wait_for(loop.run_in_executor(None, lambda: future.get(timeout=30)), self.kafka_wait_s)
        except Exception as exc:  # noqa: BLE001 - no broker, a timeout or a refused send: the same answer
            log.warning("console.publish_failed", topic=topic, error=type(exc).__name__)
            raise web.HTTPServiceUnavailable(text="Kafka cannot be reached; try again shortly") from None

    async def audit(self, user: str, action: str, task_id: str | None = None) -> None:
        """Who did what to which task, when: on `console.audit` (ids and action names only, no PHI)."""
        record = {"schema_version": events.SCHEMA_VERSION, "at": events.iso(events.utcnow()), "user": user,
                  "action": action, "task_id": task_id}
        await self.publish(topics.CONSOLE_AUDIT, user, events.encode(topics.CONSOLE_AUDIT, record))

    # -- sessions ---------------------------------------------------------------------------------------

    def session(self, request: web.Request) -> Session | None:
        """The live session the request's cookie names, if any."""
        token = request.cookies.get(COOKIE)
        found = self.sessions.get(token) if token else None
        if found is None or found.expires < time.monotonic():
            if token:
                self.sessions.pop(token, None)
            return None
        return found


def _row_for(console: Console, request: web.Request) -> Row:
    """The task of the URL, if the user's roles hold it: 404 when not open, 403 when another role's."""
    row = console.worklist.rows.get(request.match_info["task_id"])
    if row is None:
        raise web.HTTPNotFound(text="no such open task")
    if row.role not in request[_SESSION].user.roles:
        log.warning("console.forbidden", user=request[_SESSION].user.name, task_id=row.task_id)
        raise web.HTTPForbidden(text="this task belongs to another role")
    return row


def _same_origin(request: web.Request) -> bool:
    """Whether a form post came from this console's own pages (Origin, else Referer, names this host)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    return source is not None and urlparse(source).netloc == request.host


def build_app(console: Console) -> web.Application:
    """The aiohttp application: routes, the session and CSRF checks, and security headers."""

    @web.middleware
    async def guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                    ) -> web.StreamResponse:
        public = request.path in ("/login", "/static/console.js", "/static/console.css")
        if not public:
            found = console.session(request)
            if found is None:
                if request.method == "GET" and request.path in ("/", "/scorecard"):
                    raise web.HTTPSeeOther("/login")
                raise web.HTTPUnauthorized(text="log in first")
            request[_SESSION] = found
            sent = str((await request.post()).get("csrf") or request.headers.get("X-CSRF-Token", ""))
            if request.method == "POST" and not secrets.compare_digest(sent.encode(), found.csrf.encode()):
                log.warning("console.csrf_refused", user=found.user.name, path=request.path)
                raise web.HTTPForbidden(text="missing or wrong CSRF token")
        response = await handler(request)
        response.headers.update({
            "Content-Security-Policy": "default-src 'self'; media-src 'self'; object-src 'none'; "
                                       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
            "Cache-Control": "no-store"})
        return response

    async def login_page(request: web.Request) -> web.Response:
        return web.Response(text=pages.login(request.query.get("error")), content_type="text/html")

    async def login(request: web.Request) -> web.Response:
        if not _same_origin(request):
            raise web.HTTPForbidden(text="login from this console's own page")
        form = await request.post()
        name, password = str(form.get("username", "")), str(form.get("password", ""))
        keys = (f"addr:{request.remote}", f"user:{name}")
        if console.limiter.blocked(*keys):
            log.warning("console.login_throttled", user=name)
            raise web.HTTPTooManyRequests(text="too many failed logins; wait a few minutes")
        user = await asyncio.get_running_loop().run_in_executor(None, console.users.check, name, password)
        if user is None:
            console.limiter.failed(*keys)
            log.info("console.login_failed")
            raise web.HTTPSeeOther("/login?error=1")
        await console.audit(user.name, "login")  # no trail, no login
        token = secrets.token_urlsafe(32)
        console.sessions[token] = Session(user, secrets.token_urlsafe(32), time.monotonic() + console.session_s)
        response = web.HTTPSeeOther("/scorecard" if user.roles == {"manager"} else "/")
        response.set_cookie(COOKIE, token, httponly=True, secure=True, samesite="Strict", path="/",
                            max_age=int(console.session_s))
        raise response

    async def logout(request: web.Request) -> web.Response:
        console.sessions.pop(request.cookies.get(COOKIE, ""), None)
        await console.audit(request[_SESSION].user.name, "logout")
        response = web.HTTPSeeOther("/login")
        response.del_cookie(COOKIE, path="/")
        raise response

    async def worklist_page(request: web.Request) -> web.Response:
        found = request[_SESSION]
        return web.Response(text=pages.worklist(found.user, found.csrf), content_type="text/html")

    def rows(user: User) -> list[dict[str, Any]]:
        return [{**r.summary(), "caller": console.evidence.get(r.voicemail_id or "", {}).get("caller")}
                for r in console.worklist.open_for(set(user.roles))]

    async def worklist_json(request: web.Request) -> web.Response:
        return web.json_response({"tasks": rows(request[_SESSION].user)})

    async def live(request: web.Request) -> web.StreamResponse:
        user = request[_SESSION].user
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
        await response.prepare(request)
        queue: asyncio.Queue[set[str]] = asyncio.Queue()
        console.listeners.add(queue)
        try:
            await response.write(_sse(rows(user)))
            while console.session(request) is not None:
                try:
                    changed = await asyncio.wait_for(queue.get(), SSE_HEARTBEAT_S)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                while not queue.empty():  # a burst of changes is one update
                    changed |= queue.get_nowait()
                if changed & user.roles:
                    await response.write(_sse(rows(user)))
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            console.listeners.discard(queue)
        return response

    async def task_page(request: web.Request) -> web.Response:
        row = _row_for(console, request)
        found = request[_SESSION]
        triaged = console.evidence.get(row.voicemail_id or "", {})
        text = triaged.get("text") or row.transcript  # the Task's copy, when the triage is not read yet
        pieces = highlights(text, triaged.get("evidence", []))
        await console.audit(found.user.name, "view", row.task_id)
        page = pages.task(row, pieces, found.csrf, triaged.get("caller"), triaged.get("relationship"))
        return web.Response(text=page, content_type="text/html")

    async def audio(request: web.Request) -> web.StreamResponse:
        row = _row_for(console, request)
        if not row.audio or not row.audio.startswith("s3://"):
            raise web.HTTPNotFound(text="no audio for this task")
        bucket, key = row.audio.removeprefix("s3://").split("/", 1)
        loop = asyncio.get_running_loop()
        try:
            obj = await loop.run_in_executor(None, lambda: console.s3.get_object(Bucket=bucket, Key=key))
        except Exception as exc:  # noqa: BLE001 - expired by the lifecycle rule, or storage down
            log.warning("console.audio_unavailable", task_id=row.task_id, error=type(exc).__name__)
            raise web.HTTPNotFound(text="the recording is no longer stored") from None
        await console.audit(request[_SESSION].user.name, "listen", row.task_id)
        response = web.StreamResponse(headers={"Content-Type": obj.get("ContentType") or "audio/wav",
                                               "Content-Length": str(obj["ContentLength"])})
        await response.prepare(request)
        body = obj["Body"]
        try:
            while chunk := await loop.run_in_executor(None, body.read, 64 * 1024):
                await response.write(chunk)
        finally:
            body.close()
        return response

    async def act(request: web.Request) -> web.Response:
        row = _row_for(console, request)
        action = request.match_info["action"]
        form = await request.post()
        now = events.utcnow()
        if action == "accept":
            update = status_update(row.task_id, "accepted", now)
        elif action == "complete":
            update = status_update(row.task_id, "completed", now, note=str(form.get("note", "")).strip()[:2000] or None)
        elif action == "reassign":
            role = str(form.get("role", ""))
            if role not in topics.ROLES or role == row.role:
                raise web.HTTPBadRequest(text=f"reassign to one of {', '.join(topics.ROLES)}, not its own role")
            update = status_update(row.task_id, "requested", now, role=role)
        else:
            raise web.HTTPNotFound(text="no such action")
        await console.publish(topics.TASK_STATUS, row.task_id, events.encode(topics.TASK_STATUS, update))
        console.acted(update)
        await console.audit(request[_SESSION].user.name, action, row.task_id)
        if request.headers.get("Accept") == "application/json":
            return web.json_response({"task_id": row.task_id, "status": update["status"]})
        raise web.HTTPSeeOther("/" if action != "accept" else f"/task/{row.task_id}")

    async def scorecard_page(request: web.Request) -> web.Response:
        if "manager" not in request[_SESSION].user.roles:
            raise web.HTTPForbidden(text="the scorecard is for the practice manager")
        try:
            days = int(request.query.get("days", "7"))
        except ValueError:
            raise web.HTTPBadRequest(text="days is a whole number") from None
        if days not in pages.PERIODS:
            raise web.HTTPBadRequest(text=f"days is one of {', '.join(map(str, pages.PERIODS))}")
        found = request[_SESSION]
        return web.Response(text=pages.scorecard(console.scorecard(days), days, found.csrf), content_type="text/html")

    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        kind = {"console.js": "application/javascript", "console.css": "text/css"}[name]
        return web.Response(text=(Path(__file__).with_name("static") / name).read_text(), content_type=kind)

    app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    app.add_routes([
        web.get("/login", login_page), web.post("/login", login), web.post("/logout", logout),
        web.get("/", worklist_page), web.get("/api/worklist", worklist_json), web.get("/events", live),
        web.get("/task/{task_id}", task_page), web.get("/task/{task_id}/audio", audio),
        web.post("/task/{task_id}/{action}", act), web.get("/scorecard", scorecard_page),
        web.get(r"/static/{name:console\.(?:js|css)}", static),
    ])
    return app


def _sse(rows: list[dict[str, Any]]) -> bytes:
    return f"event: worklist\ndata: {json.dumps({'tasks': rows})}\n\n".encode()


def tls_context(s: Settings) -> ssl.SSLContext | None:
    """The console's TLS (1.2 or later) from VM_CONSOLE_TLS_CERT and _KEY; None when they are not set."""
    if not (s.console_tls_cert and s.console_tls_key):
        return None
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(s.console_tls_cert, s.console_tls_key)
    return ctx


async def serve(s: Settings, users: UserStore) -> None:
    """Run the console until cancelled: follow the topics, serve HTTP(S) on the configured address."""
    console = Console(s, users, s.console_session_minutes * 60)
    console.s3 = s3io.client(s)
    console.follow(asyncio.get_running_loop())
    ctx = tls_context(s)
    runner = web.AppRunner(build_app(console), access_log=None)  # URLs hold task ids only, but keep logs lean
    await runner.setup()
    site = web.TCPSite(runner, s.console_host, s.console_port, ssl_context=ctx)
    await site.start()
    log.info("console.listening", host=s.console_host, port=s.console_port, tls=ctx is not None)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        if console.producer is not None:
            with contextlib.suppress(Exception):
                console.producer.close(timeout=5)

