"""The callback console on the real stack: `python -m pipeline console` as a user starts it, users made
with `console add-user`, voicemails dropped into the bucket and turned into tasks by the real workers,
the console's actions read back from the real topics."""

from __future__ import annotations

import asyncio
import json
import re
import time

import aiohttp
import pytest

from pipeline import events, topics
from pipeline.config import Settings
from tests.conftest import SAMPLES
from tests.integration.conftest import CONSOLE_BASE as BASE
from tests.integration.conftest import CONSOLE_PASSWORD as PASSWORD
from tests.integration.conftest import collect, drop

pytestmark = pytest.mark.integration


async def log_in(http: aiohttp.ClientSession, name: str) -> dict[str, str]:
    """Headers that carry `name`'s session, and the CSRF token of their pages."""
    r = await http.post(f"{BASE}/login", data={"username": name, "password": PASSWORD}, allow_redirects=False,
                        headers={"Origin": BASE})
    assert r.status == 303, await r.text()
    cookie = {"Cookie": f"vm_console={r.cookies['vm_console'].value}"}
    page = await (await http.get(f"{BASE}/", headers=cookie)).text()
    return {**cookie, "csrf": re.search(r'name="csrf" content="([^"]+)"', page).group(1)}


async def worklists(http: aiohttp.ClientSession, session: dict[str, str], into: list[tuple[float, list[str]]]) -> None:
    """Follow the live worklist: (when, task ids) for each update pushed."""
    async with http.get(f"{BASE}/events", headers={"Cookie": session["Cookie"]}) as stream:
        async for line in stream.content:
            if line.startswith(b"data: "):
                into.append((time.monotonic(), [t["task_id"] for t in json.loads(line[6:])["tasks"]]))


async def until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


def test_a_task_appears_live_is_worked_and_leaves_every_console(stack: Settings, s3, console: dict) -> None:
    opened = {"mailbox": "main", "received-at": "2026-11-26T15:00:00Z"}  # in office hours: urgent -> nurse
    emergency_vm = drop(s3, stack, "sample01.wav", (SAMPLES / "audio" / "sample01.wav").read_bytes(), **opened)
    audio = (SAMPLES / "audio" / "sample02.wav").read_bytes()

    async def main() -> str:
        async with aiohttp.ClientSession() as http:
            nina, nora, cleo, bill = [await log_in(http, n) for n in ("nina", "nora", "cleo", "bill")]
            seen_by_cleo: list[tuple[float, list[str]]] = []
            seen_by_nora: list[tuple[float, list[str]]] = []
            followers = [asyncio.create_task(worklists(http, cleo, seen_by_cleo)),
                         asyncio.create_task(worklists(http, nora, seen_by_nora))]
            await until(lambda: seen_by_cleo and seen_by_nora, 30, "first worklists")
            # A voicemail arrives while the clinician's page is open: it shows up without a reload.
            urgent_vm = drop(s3, stack, "sample02.wav", audio, **opened)
            emergency, urgent = events.task_id(emergency_vm), events.task_id(urgent_vm)
            await until(lambda: any(emergency in ids for _, ids in seen_by_cleo), 180, "the emergency, live")
            await until(lambda: any(urgent in ids for _, ids in seen_by_nora), 180, "the urgent task, live")
            assert (await http.get(f"{BASE}/task/{urgent}", headers={"Cookie": bill["Cookie"]})).status == 403
            assert (await http.get(f"{BASE}/task/{emergency}", headers={"Cookie": nina["Cookie"]})).status == 403

            page = await http.get(f"{BASE}/task/{urgent}", headers={"Cookie": nina["Cookie"]})
            text = await page.text()
            assert page.status == 200 and f'data-task-id="{urgent}"' in text and '<mark class="ev-' in text
            played = await http.get(f"{BASE}/task/{urgent}/audio", headers={"Cookie": nina["Cookie"]})
            assert played.status == 200 and await played.read() == audio  # streamed through the console

            forged = await http.post(f"{BASE}/task/{urgent}/complete", data={"note": "x"},
                                     headers={"Cookie": nina["Cookie"]})
            assert forged.status == 403
            for action, form in (("accept", {}), ("complete", {"note": "Spoke with the patient"})):
                clicked = time.monotonic()
                r = await http.post(f"{BASE}/task/{urgent}/{action}", data={"csrf": nina["csrf"], **form},
                                    headers={"Cookie": nina["Cookie"], "Accept": "application/json"})
                assert r.status == 200, await r.text()
            gone_at = await until(lambda: next((t for t, ids in seen_by_nora if t > clicked and urgent not in ids),
                                               None), 10, "gone from nora's worklist")
            print(f"\nconsole: Complete clicked by one nurse, the task gone from the other's open page "
                  f"{gone_at - clicked:.2f} s later")
            for f in followers:
                f.cancel()
            return urgent

    urgent = asyncio.run(main())
    statuses = collect(stack, [topics.TASK_STATUS], lambda u: u["id"] == urgent, count=2, timeout=30)
    assert [u["status"] for _, u in statuses] == ["accepted", "completed"]
    assert statuses[1][1]["note"] == [{"text": "Spoke with the patient"}]
    trail = collect(stack, [topics.CONSOLE_AUDIT], lambda a: a["task_id"] == urgent, count=4, timeout=30)
    assert [(a["user"], a["action"]) for _, a in trail] == [("nina", "view"), ("nina", "listen"),
                                                             ("nina", "accept"), ("nina", "complete")]
    logged = console["log"].read_text()
    assert "Spoke with the patient" not in logged and "Gerald" not in logged  # no PHI in the console's log
