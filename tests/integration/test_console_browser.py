"""The callback console in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
driven by Selenium against the real stack and `python -m pipeline console`."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from pipeline import events
from pipeline.config import Settings
from tests.conftest import SAMPLES
from tests.integration.conftest import CONSOLE_BASE as BASE
from tests.integration.conftest import CONSOLE_PASSWORD as PASSWORD
from tests.integration.conftest import drop

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(shutil.which("chromedriver") is None or shutil.which("chromium") is None,
                                 reason="apt-get install chromium chromium-driver")]


def click_live(driver: WebDriver, selector: str) -> None:
    """Click a link in the worklist: a live update may re-render the row between the find and the click."""
    def clicked(d: WebDriver) -> bool:
        try:
            d.find_element(By.CSS_SELECTOR, selector).click()
        except StaleElementReferenceException:
            return False
        return True
    WebDriverWait(driver, 10, 0.1).until(clicked)


@pytest.fixture
def browsers() -> Iterator[list[WebDriver]]:
    opened: list[WebDriver] = []

    def new() -> WebDriver:
        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or ""
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900",
                    "--autoplay-policy=no-user-gesture-required"):
            opts.add_argument(arg)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
        opened.append(driver)
        return driver

    yield new  # type: ignore[misc]
    for driver in opened:
        driver.quit()


def log_in(driver: WebDriver, name: str) -> None:
    driver.get(f"{BASE}/login")
    driver.find_element(By.NAME, "username").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#worklist, main.scorecard"))


def row(task_id: str) -> str:
    return f'tr[data-task-id="{task_id}"]'


def test_an_emergency_is_seen_heard_worked_and_gone_from_a_colleagues_screen(stack: Settings, s3, console: dict,
                                                                              delivered: dict, browsers) -> None:
    cleo, carl, nina = browsers(), browsers(), browsers()
    for driver, name in ((cleo, "cleo"), (carl, "carl"), (nina, "nina")):
        log_in(driver, name)
    audio = (SAMPLES / "audio" / "sample01.wav").read_bytes()
    vm_id = drop(s3, stack, "sample01.wav", audio, mailbox="main", **{"received-at": "2026-11-26T15:00:00Z"})
    task_id = events.task_id(vm_id)
    # It appears on both clinicians' open pages without a reload, pinned on top under the banner.
    for driver in (cleo, carl):
        WebDriverWait(driver, 180, 0.2).until(lambda d: d.find_elements(By.CSS_SELECTOR, row(task_id)))
    assert cleo.find_element(By.ID, "banner").is_displayed()
    listed = cleo.execute_script(  # read in one go: a live update re-renders the rows
        "return [...document.querySelectorAll('#worklist tbody tr')].map(r => [r.dataset.taskId, r.className])")
    ours = [task for task, _ in listed].index(task_id)
    assert all(cls == "urgency-emergency" for _, cls in listed[: ours + 1])  # among the emergencies, on top
    shots = stack.stack_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    cleo.save_screenshot(str(shots / "console-worklist.png"))

    click_live(cleo, f"{row(task_id)} a[href^='/task/']")
    WebDriverWait(cleo, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'main[data-task-id="{task_id}"]'))
    assert cleo.find_elements(By.CSS_SELECTOR, "mark.ev-urgency")  # the words behind the emergency
    played = cleo.execute_async_script("""
        const done = arguments[0], a = document.querySelector('audio');
        a.addEventListener('error', () => done({error: a.error && a.error.code}));
        a.play().then(() => setTimeout(() => done({duration: a.duration, at: a.currentTime}), 1500),
                      e => done({error: String(e)}));""")
    assert "error" not in played and played["duration"] > 1 and played["at"] > 0, played
    cleo.save_screenshot(str(shots / "console-task.png"))

    cleo.find_element(By.NAME, "accept").click()
    # The post redirects back to the page: while it loads, the old page's nodes are gone (Chromium then
    # answers with a stale element or an inspector error), so those just mean "not yet".
    WebDriverWait(cleo, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda d: "status accepted" in d.find_element(By.TAG_NAME, "main").text)
    cleo.find_element(By.NAME, "note").send_keys("Called 911 for him; family with him")
    clicked = time.monotonic()
    cleo.find_element(By.NAME, "complete").click()
    WebDriverWait(carl, 10, 0.05).until(lambda d: not d.find_elements(By.CSS_SELECTOR, row(task_id)))
    print(f"\nconsole in Chromium: Complete clicked, the row gone from a colleague's page "
          f"{time.monotonic() - clicked:.2f} s later")

    # A nurse cannot open a billing task, and a post without the page's CSRF token is refused.
    billing = next(t["id"] for topic, t in delivered["tasks"] if topic == "tasks.billing")
    nina.get(f"{BASE}/task/{billing}")
    assert "belongs to another role" in nina.find_element(By.TAG_NAME, "body").text
    status = nina.execute_async_script("""
        fetch(arguments[0], {method: 'POST', body: new URLSearchParams({note: 'forged'})})
          .then(r => arguments[1](r.status));""", f"/task/{billing}/complete")
    assert status == 403

    # The manager's scorecard counts what just happened (screenshot for the README).
    mona = browsers()
    log_in(mona, "mona")
    figures = mona.find_element(By.CSS_SELECTOR, ".figures").text
    assert int(figures.split(" tasks")[0]) >= 6 and mona.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    mona.save_screenshot(str(shots / "console-scorecard.png"))
