"""The callback console without Kafka: the worklist core, users, and the web shell's security rules, fed
with real FHIR Tasks built by the route core. `tests/integration/test_console.py` runs it on the real stack."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import ssl
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from pipeline import events, topics
from pipeline.config import Settings
from pipeline.console.core import Worklist, highlights, status_update
from pipeline.console.users import UserError, UserStore
from pipeline.console.web import COOKIE, Console, LoginLimiter, build_app, tls_context
from pipeline.domain import Evidence
from pipeline.route.core import build_task
from pipeline.route.policy import load_policy
from tests.support.records import transcript, triage, voicemail

POLICY = load_policy()
PASSWORD = "correct horse battery"


def task_for(n: int, urgency: str, role: str, received: datetime) -> dict:
    vm = voicemail(voicemail_id=f"vm-{n:032x}", received_at=received)
    return dict(build_task(POLICY, vm, transcript(), triage(urgency, role), received).resource)


NOON = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Tuesday, open hours in New York


def test_emergencies_lead_then_priority_then_deadline() -> None:
    wl = Worklist()
    routine = task_for(1, "routine", "nurse", NOON)
    urgent_late = task_for(2, "urgent", "nurse", NOON)
    urgent_early = task_for(3, "urgent", "nurse", NOON - timedelta(minutes=30))
    emergency = task_for(4, "emergency", "clinician", NOON)
    for topic, t in (("tasks.nurse", routine), ("tasks.nurse", urgent_late), ("tasks.nurse", urgent_early),
                     ("tasks.clinician", emergency)):
        wl.task(topic, t)
    order = [r.task_id for r in wl.open_for({"nurse", "clinician"})]
    assert order == [emergency["id"], urgent_early["id"], urgent_late["id"], routine["id"]]
    assert [r.task_id for r in wl.open_for({"nurse"})] == order[1:]


def test_a_finished_task_leaves_and_a_late_copy_stays_out() -> None:
    wl = Worklist()
    t = task_for(1, "urgent", "nurse", NOON)
    wl.task("tasks.nurse", t)
    assert wl.status(status_update(t["id"], "accepted", NOON)) == ("nurse",)
    assert wl.rows[t["id"]].status == "accepted"
    assert wl.status(status_update(t["id"], "completed", NOON, note="Called back, all well")) == ("nurse",)
    assert wl.open_for({"nurse"}) == []
    assert wl.task("tasks.nurse", t) is None  # redelivered after completion: not open again


def test_reassigning_moves_the_task_to_the_other_role() -> None:
    wl = Worklist()
    t = task_for(1, "routine", "front_desk", NOON)
    wl.task("tasks.front_desk", t)
    assert wl.status(status_update(t["id"], "requested", NOON, role="nurse")) == ("front_desk", "nurse")
    assert wl.open_for({"front_desk"}) == [] and wl.open_for({"nurse"})[0].task_id == t["id"]
    wl.task("tasks.front_desk", t)  # the route stage re-publishes it: it stays where a person sent it
    assert wl.rows[t["id"]].role == "nurse"


def test_escalations_raise_the_level_only() -> None:
    wl = Worklist()
    t = task_for(1, "urgent", "nurse", NOON)
    wl.task("tasks.nurse", t)
    assert wl.escalated({"task_id": t["id"], "level": 2}) == "nurse"
    assert wl.escalated({"task_id": t["id"], "level": 1}) is None
    assert wl.rows[t["id"]].level == 2


def test_the_row_reads_what_the_task_says() -> None:
    wl = Worklist()
    t = task_for(1, "emergency", "clinician", NOON)
    wl.task("tasks.clinician", t)
    row = wl.rows[t["id"]]
    assert (row.urgency, row.priority, row.callback_number, row.patient) == (
        "emergency", "stat", "+12155550100", "Pat Doe (DOB 1950-01-02)")
    assert row.voicemail_id == "vm-" + f"{1:032x}" and row.audio == "s3://voicemail/inbox/a.wav"
    assert row.due == NOON + timedelta(minutes=15)
    assert row.transcript == "words" and "words" not in repr(row)


def test_evidence_is_cut_out_of_the_transcript() -> None:
    text = "I have chest pain, call 215-555-0100."
    ev = [{"field": "urgency", "start": 7, "end": 17}, {"field": "callback_number", "start": 24, "end": 36},
          {"field": "intents", "start": 0, "end": 0}]
    assert highlights(text, ev) == [("I have ", None), ("chest pain", "urgency"), (", call ", None),
                                    ("215-555-0100", "callback_number"), (".", None)]
    long_dob = [{"field": "dob", "start": 2, "end": 12}, *ev]  # overlaps the red flag: urgency's words win
    assert highlights(text, long_dob)[1] == ("chest pain", "urgency")


def test_users_are_hashed_and_checked(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "users.json")
    store.add("nina", ["nurse"], PASSWORD)
    assert store.check("nina", PASSWORD).roles == {"nurse"}
    assert store.check("nina", PASSWORD + "x") is None and store.check("nobody", PASSWORD) is None
    saved = (tmp_path / "users.json").read_text()
    assert PASSWORD not in saved and "scrypt" not in saved and "nina" in saved
    assert (tmp_path / "users.json").stat().st_mode & 0o077 == 0  # the owner's only


@pytest.mark.parametrize(("name", "roles", "password", "says"), [
    ("Nina", ["nurse"], PASSWORD, "lowercase"),
    ("nina", ["surgeon"], PASSWORD, "surgeon"),
    ("nina", [], PASSWORD, "roles"),
    ("nina", ["nurse"], "short", "12 characters"),
])
def test_bad_users_are_refused_clearly(tmp_path: Path, name: str, roles: list[str], password: str,
                                       says: str) -> None:
    with pytest.raises(UserError, match=says):
        UserStore(tmp_path / "users.json").add(name, roles, password)


def test_login_failures_are_limited_per_address_and_name() -> None:
    limiter = LoginLimiter(limit=3, window_s=60)
    for t in range(3):
        assert not limiter.blocked("addr:1", "user:nina", now=t)
        limiter.failed("addr:1", "user:nina", now=t)
    assert limiter.blocked("addr:2", "user:nina", now=10)  # another address, the same name
    assert not limiter.blocked("addr:2", "user:other", now=10)
    assert not limiter.blocked("addr:1", "user:nina", now=70)  # the window passed


class FakeProducer:
    """Kafka's place in the unit test: what the console would publish, acked at once."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []

    def send(self, topic: str, key: bytes, value: bytes):
        self.sent.append((topic, key, value))
        done: asyncio.Future = asyncio.get_running_loop().create_future()  # type: ignore[type-arg]
        done.set_result(None)
        return type("Acked", (), {"get": staticmethod(lambda timeout=None: None)})()


def run_console(tmp_path: Path, scenario) -> None:
    """Serve a console over a worklist holding a nurse task and a billing task; run `scenario(client, ids)`."""
    store = UserStore(tmp_path / "users.json")
    store.add("nina", ["nurse"], PASSWORD)
    store.add("bill", ["billing"], PASSWORD)
    store.add("mona", ["manager"], PASSWORD)

    async def main() -> None:
        console = Console(Settings(), store, session_s=3600)
        console.producer = FakeProducer()  # type: ignore[assignment]
        nurse, billing = task_for(1, "urgent", "nurse", NOON), task_for(2, "informational", "billing", NOON)
        console.apply("tasks.nurse", json.dumps(nurse).encode())
        console.apply("tasks.billing", json.dumps(billing).encode())
        async with TestClient(TestServer(build_app(console))) as client:
            await scenario(client, console, nurse["id"], billing["id"])

    asyncio.run(main())


async def log_in(client: TestClient, name: str) -> tuple[str, str]:
    """(session cookie, CSRF token) for `name`, through the login form."""
    origin = str(client.make_url("/"))
    r = await client.post("/login", data={"username": name, "password": PASSWORD}, allow_redirects=False,
                          headers={"Origin": origin.rstrip("/")})
    assert r.status == 303, await r.text()
    home = r.headers["Location"]
    set_cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "Secure" in set_cookie and "SameSite=Strict" in set_cookie
    token = r.cookies[COOKIE].value
    page = await client.get(home, headers={"Cookie": f"{COOKIE}={token}"})
    csrf = re.search(r'name="csrf" content="([^"]+)"', await page.text()).group(1)
    return token, csrf


def test_every_page_and_the_audio_need_a_session(tmp_path: Path) -> None:
    async def scenario(client, console, nurse_id, _billing_id) -> None:
        assert (await client.get("/", allow_redirects=False)).headers["Location"] == "/login"
        for path in ("/api/worklist", "/events", f"/task/{nurse_id}", f"/task/{nurse_id}/audio"):
            assert (await client.get(path)).status == 401, path
        assert (await client.post(f"/task/{nurse_id}/accept", data={})).status == 401
        assert console.producer.sent == []
    run_console(tmp_path, scenario)


def test_a_user_sees_and_acts_on_their_roles_tasks_only(tmp_path: Path) -> None:
    async def scenario(client, console, nurse_id, billing_id) -> None:
        token, csrf = await log_in(client, "nina")
        cookie = {"Cookie": f"{COOKIE}={token}"}
        listed = await (await client.get("/api/worklist", headers=cookie)).json()
        assert [t["task_id"] for t in listed["tasks"]] == [nurse_id]
        assert (await client.get(f"/task/{billing_id}", headers=cookie)).status == 403
        assert (await client.post(f"/task/{billing_id}/accept", data={"csrf": csrf}, headers=cookie)).status == 403
        page = await client.get(f"/task/{nurse_id}", headers=cookie)
        assert page.status == 200 and f'data-task-id="{nurse_id}"' in await page.text()
        assert page.headers["Cache-Control"] == "no-store" and "frame-ancestors 'none'" in page.headers[
            "Content-Security-Policy"]
        sent = [(t, json.loads(v)) for t, _, v in console.producer.sent]
        assert [(t, v["action"], v["task_id"]) for t, v in sent] == [
            (topics.CONSOLE_AUDIT, "login", None), (topics.CONSOLE_AUDIT, "view", nurse_id)]
    run_console(tmp_path, scenario)


def test_a_forged_post_without_the_csrf_token_is_refused(tmp_path: Path) -> None:
    async def scenario(client, console, nurse_id, _billing_id) -> None:
        token, csrf = await log_in(client, "nina")
        cookie = {"Cookie": f"{COOKIE}={token}"}
        before = len(console.producer.sent)
        assert (await client.post(f"/task/{nurse_id}/accept", data={}, headers=cookie)).status == 403
        assert (await client.post(f"/task/{nurse_id}/accept", data={"csrf": "guess"}, headers=cookie)).status == 403
        assert len(console.producer.sent) == before  # nothing published
        ok = await client.post(f"/task/{nurse_id}/complete", data={"csrf": csrf, "note": "Left a message"},
                               headers={**cookie, "Accept": "application/json"})
        assert ok.status == 200
        topic, key, value = console.producer.sent[-2]
        assert (topic, key.decode()) == (topics.TASK_STATUS, nurse_id)
        update = events.decode(topics.TASK_STATUS, value)
        assert (update["status"], update["note"]) == ("completed", [{"text": "Left a message"}])
    run_console(tmp_path, scenario)


def test_login_is_rate_limited_and_needs_the_consoles_own_page(tmp_path: Path) -> None:
    async def scenario(client, console, _nurse_id, _billing_id) -> None:
        origin = {"Origin": str(client.make_url("/")).rstrip("/")}
        assert (await client.post("/login", data={"username": "nina", "password": PASSWORD})).status == 403
        for _ in range(5):
            r = await client.post("/login", data={"username": "nina", "password": "wrong password!"},
                                  headers=origin, allow_redirects=False)
            assert r.headers["Location"] == "/login?error=1"
        r = await client.post("/login", data={"username": "nina", "password": PASSWORD}, headers=origin,
                              allow_redirects=False)
        assert r.status == 429  # even the right password waits now
    run_console(tmp_path, scenario)


def test_the_live_worklist_pushes_a_new_task_to_its_role(tmp_path: Path) -> None:
    async def scenario(client, console, nurse_id, _billing_id) -> None:
        token, _ = await log_in(client, "nina")
        async with client.get("/events", headers={"Cookie": f"{COOKIE}={token}"}) as stream:
            first = await stream.content.readuntil(b"\n\n")
            assert nurse_id.encode() in first
            later = task_for(3, "emergency", "nurse", NOON)  # after hours routing could do this; here by hand
            console.apply("tasks.nurse", json.dumps(later).encode())
            pushed = json.loads((await stream.content.readuntil(b"\n\n")).split(b"data: ", 1)[1])
            assert [t["task_id"] for t in pushed["tasks"]] == [later["id"], nurse_id]
    run_console(tmp_path, scenario)


def test_transcript_evidence_is_marked_and_escaped(tmp_path: Path) -> None:
    async def scenario(client, console, nurse_id, _billing_id) -> None:
        vm_id = console.worklist.rows[nurse_id].voicemail_id
        text = "<script>alert(1)</script> crushing chest pain"
        evidence = [events.to_wire(Evidence("urgency", "emergency", 35, 45, "red_flag"))]
        console.apply(topics.TRIAGED, json.dumps({"voicemail_id": vm_id, "transcript": {"text": text},
                                                  "triage": {"evidence": evidence, "caller_name": "Rosa Doe",
                                                             "caller_relationship": "caregiver"}}).encode())
        token, _ = await log_in(client, "nina")
        page = await (await client.get(f"/task/{nurse_id}", headers={"Cookie": f"{COOKIE}={token}"})).text()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
        assert '<mark class="ev-urgency" title="urgency">chest pain</mark>' in page
        assert "Caller: Rosa Doe (caregiver)" in page
        listed = await (await client.get("/api/worklist", headers={"Cookie": f"{COOKIE}={token}"})).json()
        assert listed["tasks"][0]["caller"] == "Rosa Doe"
    run_console(tmp_path, scenario)


def test_the_scorecard_is_the_managers(tmp_path: Path) -> None:
    async def scenario(client, console, nurse_id, _billing_id) -> None:
        console.apply(topics.TASK_STATUS, json.dumps(status_update(nurse_id, "completed", events.utcnow())).encode())
        console.apply(topics.DLQ, json.dumps({"reason": "audio_corrupt", "failed_at": events.iso(events.utcnow())}
                                             ).encode())
        nina, _ = await log_in(client, "nina")
        assert (await client.get("/scorecard", headers={"Cookie": f"{COOKIE}={nina}"})).status == 403
        mona, _ = await log_in(client, "mona")  # a manager lands on the scorecard
        cookie = {"Cookie": f"{COOKIE}={mona}"}
        assert (await client.get("/scorecard?days=2", headers=cookie)).status == 400
        page = await (await client.get("/scorecard?days=30", headers=cookie)).text()
        assert "<b>2</b> tasks" in page and "audio_corrupt" in page and "<svg" in page
        assert "Pat Doe" not in page  # figures, no patients
        assert (await client.get("/api/worklist", headers=cookie)).status == 200  # an empty list: no task role
    run_console(tmp_path, scenario)


def test_without_kafka_the_console_serves_and_refuses_what_it_cannot_record(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "users.json")
    store.add("nina", ["nurse"], PASSWORD)

    async def main() -> None:
        console = Console(Settings(kafka_bootstrap="127.0.0.1:1"), store, session_s=3600)  # nothing listens there
        console.kafka_wait_s = 2.0
        async with TestClient(TestServer(build_app(console))) as client:
            assert (await client.get("/login")).status == 200
            r = await client.post("/login", data={"username": "nina", "password": PASSWORD}, allow_redirects=False,
                                  headers={"Origin": str(client.make_url("/")).rstrip("/")})
            assert r.status == 503  # a login that cannot reach the audit trail does not happen
            assert not console.sessions

    asyncio.run(main())


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_with_a_certificate_the_console_speaks_https_only(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    s = Settings(console_tls_cert=cert, console_tls_key=key)
    assert tls_context(Settings()) is None

    async def main() -> None:
        runner = web.AppRunner(build_app(Console(s, UserStore(tmp_path / "users.json"), 3600)))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls_context(s))
        await site.start()
        port = runner.addresses[0][1]
        trusted = ssl.create_default_context(cafile=str(cert))
        try:
            async with aiohttp.ClientSession() as http:
                assert (await http.get(f"https://127.0.0.1:{port}/login", ssl=trusted)).status == 200
                with pytest.raises(aiohttp.ClientError):
                    await http.get(f"http://127.0.0.1:{port}/login")
        finally:
            await runner.cleanup()

    asyncio.run(main())


def test_a_lost_reader_starts_again_from_nothing(tmp_path: Path) -> None:
    console = Console(Settings(), UserStore(tmp_path / "users.json"), 3600)
    t = task_for(1, "urgent", "nurse", NOON)
    console.apply("tasks.nurse", json.dumps(t).encode())
    console.apply(topics.TASK_STATUS, json.dumps(status_update(t["id"], "accepted", NOON)).encode())
    console.reset()  # the topics are read again from the beginning: nothing may count twice
    for topic, doc in (("tasks.nurse", t), (topics.TASK_STATUS, status_update(t["id"], "accepted", NOON))):
        console.apply(topic, json.dumps(doc).encode())
    assert len(console.history["statuses"]) == 1 and list(console.worklist.rows) == [t["id"]]
