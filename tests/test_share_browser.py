"""A real browser follows a shared plain-mode session: headless Chromium (Debian's `chromium`,
installed by scripts/setup-test-system) driven by Playwright, all on 127.0.0.1.

One session, in real time, about 10 s: the page turns sound on (every cue fetched and
decoded), the countdown moves, the page adds 10 s, pauses and resumes the session, skips an
exercise, goes back and skips again (plain mode prints each, as for a key), speaks the prompts
the terminal's voice says, loses its connection and catches up, and after the session the port
refuses. Set SHARE_SHOTS to a folder to keep phone-sized screenshots of it.

Speech is heard by a stand-in for the browser's `speechSynthesis`, put in place by the test
before the page loads (headless Chromium has no voices); the page itself is unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, async_playwright

from browser_support import CHROMIUM, CHROMIUM_ARGS
from helpers import REPO, read_until, routine_yaml
from timer_app.config.settings import settings_path
from timer_app.core.plan import Plan, compile_plan
from timer_app.remind.file import save_reminders
from timer_app.remind.rules import Reminder
from timer_app.routines.library import load_library
from timer_app.session.cues import CUES
from timer_app.session.prompts import prompt_for
from timer_app.share.figure import MOVE_FRAMES

PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/setup-test-system)"
)

ROUTINE = routine_yaml("share-test")


SPEECH_STAND_IN = """
window.spoken = [];
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {
    speak(utterance) { window.spoken.push(utterance.text); },
    cancel() {},
    getVoices() { return []; },
  },
});
"""
"""Records what the page asks the browser to say, in order, in `window.spoken`."""


def intro_of(plan: Plan, exercise_id: str) -> str:
    """What the terminal's voice says as an exercise starts (`sound.listener.prompt_for`)."""
    step = next(step for step in plan.steps if step.exercise.id == exercise_id)
    said, _ = prompt_for(step, True, plan)
    assert said is not None
    return said


class Relay:
    """A TCP relay the page reaches the server through, so a test can cut the connection the
    way a sleeping phone or a lost network does: open connections reset, new ones refused."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except ConnectionError:
                pass
            finally:
                sink.transport.abort()
                self._writers.discard(sink)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def line(proc: subprocess.Popen[bytes], pattern: str) -> str:
    """Wait for the session to print `pattern`, leaving the event loop free meanwhile."""
    return await asyncio.to_thread(read_until, proc, pattern)


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[BrowserContext]:
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport=PHONE,
        )
        try:
            yield context
        finally:
            await context.close()


@contextlib.contextmanager
def shared_plain_session(routine: str) -> Iterator[subprocess.Popen[bytes]]:
    """`stretch run ROUTINE --plain --share` in its own process, with a 1 s count-in (the
    settings of the test's home), killed at the end if it is still running."""
    settings = settings_path()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("count_in: 1s\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "timer_app", "run", routine, "--plain", "--share"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


async def text_of(page: Page, selector: str) -> str:
    return (await page.text_content(selector)) or ""


async def wait_text(page: Page, selector: str, expected: str, timeout: float = 5000) -> None:
    await page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).textContent === text",
        arg=[selector, expected],
        timeout=timeout,
    )


async def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SHARE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(folder) / f"{name}.png"))


async def test_a_browser_follows_and_drives_a_plain_session(
    browser: BrowserContext, user_routines: Path, isolated_home: Path
) -> None:
    (user_routines / "share-test.yaml").write_text(ROUTINE, encoding="utf-8")
    save_reminders([Reminder(times=(time(10),), routine="share-test")])
    with shared_plain_session("share-test") as proc:
        # Shared from the start, the session waits for its person, who opens the page first.
        first = await line(proc, "Waiting to start: tap Start on the page.\n")
        # The address comes first, on its own line, for a screen reader to say at once.
        match = re.fullmatch(
            r"Follow in a browser: (http://127\.0\.0\.1:\d+/[\w-]+/)\n.*", first, re.S
        )
        assert match, first
        url = match.group(1)
        host, port = url.split("//")[1].split("/")[0].split(":")
        relay = Relay(int(port))
        await relay.start()
        plan = compile_plan(load_library([user_routines], user=False).routines["share-test"])
        await browser.add_init_script(SPEECH_STAND_IN)
        page = await browser.new_page()
        wavs: dict[str, int] = {}
        page.on(
            "response",
            lambda reply: (
                wavs.__setitem__(reply.url.rsplit("/", 1)[1], reply.status)
                if "/sounds/" in reply.url
                else None
            ),
        )
        await page.goto(url.replace(f":{port}/", f":{relay.port}/"))
        # The page opens on the terminal's safety note, sent with the first message.
        await page.wait_for_function(
            "() => document.querySelector('#safety').textContent.includes('gentle pull')",
            timeout=5000,
        )
        # With a reminder set, the page offers it for the phone's calendar: the same .ics.
        await wait_text(
            page, "#calendar", "Add your reminder to stretch to this phone's calendar (.ics)"
        )
        await shot(page, "1-safety-note")
        async with page.expect_download() as download_info:
            await page.click("#calendar")
        download = await download_info.value
        assert download.suggested_filename == "stretch-reminders.ics"
        saved = await download.path()
        calendar = saved.read_text(encoding="utf-8")
        assert calendar.startswith("BEGIN:VCALENDAR")
        assert "SUMMARY:Stretch: Share test" in calendar
        # The first tap turns sound on: every cue is fetched, through the token, and decoded.
        await page.click("#with-sound")
        await page.wait_for_function("() => document.body.dataset.sound === 'ready'", timeout=5000)
        assert wavs == {f"{name}.wav": 200 for name in CUES}

        # Waiting for its person: the page offers Start, and nothing else, until the session
        # is started from either side.
        await wait_text(page, "#phase", "NOT STARTED")
        await wait_text(page, "#pause", "Start")
        assert (await text_of(page, "#notice")).startswith("Tap Start when you are ready")
        assert not await page.is_visible("#skip")
        await asyncio.sleep(1.5)  # the clock has not started: nothing moves
        assert await text_of(page, "#countdown") == "0:02"
        await shot(page, "2-waiting")
        await page.click("#pause")
        said = await line(proc, "get ready 2 s")
        assert "From a browser: start.\n[0:00] Reach up" in said, said
        await wait_text(page, "#phase", "HOLD")
        assert await page.is_visible("#skip")

        # The countdown moves, from the deadline.
        before = await text_of(page, "#countdown")
        await page.wait_for_function(
            "(before) => document.querySelector('#countdown').textContent !== before",
            arg=before,
            timeout=2500,
        )
        await shot(page, "3-hold")

        # +10 s from the page: the engine lengthens the step; the page counts from the new
        # deadline, as the terminal says it, and its bars stay where they were (they fill by
        # plan time; a longer step is not time taken back).
        bar_width = "(id) => parseFloat(document.getElementById(id).style.width)"
        session_bar = await page.evaluate(bar_width, "session-bar")
        exercise_bar = await page.evaluate(bar_width, "exercise-bar")
        await page.click("#extend")
        said = await line(proc, " left.")
        assert "From a browser: +10 s.\nThis step is 10 s longer: " in said, said
        left = said.rsplit("longer: ", 1)[1].split(" ")[0]
        minutes, seconds = left.split(":")
        await page.wait_for_function(
            "(at) => { const [m, s] = document.querySelector('#countdown').textContent"
            ".split(':'); return Math.abs(60 * m + 1 * s - at) <= 1; }",
            arg=60 * int(minutes) + int(seconds),
            timeout=2000,
        )
        assert await page.evaluate(bar_width, "session-bar") >= session_bar > 0
        assert await page.evaluate(bar_width, "exercise-bar") >= exercise_bar > 0

        # Pause from the page: the engine pauses, and the terminal says where it came from.
        await page.click("#pause")
        said = await line(proc, "Paused with")
        assert "From a browser: pause.\nPaused with " in said, said
        await wait_text(page, "#phase", "PAUSED")
        await wait_text(page, "#pause", "Resume")
        await shot(page, "4-paused")
        await page.click("#pause")
        await line(proc, "Resuming in 1 s: hold.")
        await wait_text(page, "#phase", "HOLD", timeout=3000)

        # Skip from the page; the page says what the terminal's voice says as Side bend starts.
        await page.click("#skip")
        await line(proc, "Skipped to the next exercise.")
        await wait_text(page, "#name", "Side bend")
        await page.wait_for_function(
            "(text) => window.spoken.includes(text)", arg=intro_of(plan, "side"), timeout=3000
        )

        # Back from the page, within 3 s of Side bend's start: to the exercise before.
        await page.click("#back")
        await line(proc, "Back to the previous exercise.")
        await wait_text(page, "#name", "Reach up")
        await page.click("#skip")
        await line(proc, "Skipped to the next exercise.")
        await wait_text(page, "#name", "Side bend")

        # The connection drops (the network goes, a phone sleeps); the session goes on without
        # the page; once the server can be reached again, the page reconnects by itself and
        # catches up to the step the terminal is on.
        await relay.cut()
        await line(proc, "Side bend - right - switch sides")
        assert "switch" not in (await text_of(page, "#phase")).lower()
        await relay.start()
        await page.wait_for_function(
            "() => ['SWITCH SIDES', 'HOLD'].includes(document.querySelector('#phase').textContent)"
            " && document.querySelector('#side').textContent === 'RIGHT'",
            timeout=4000,
        )
        await shot(page, "5-caught-up")

        assert proc.wait(timeout=20) == 0
        await page.wait_for_function(
            "() => document.body.classList.contains('finished')", timeout=3000
        )
        assert (await text_of(page, "#summary")).startswith("Finished: Share test")
        # The rows in columns, a cell each: what became of each exercise, its name, its time.
        cells = await page.eval_on_selector_all(
            "#summary-rows span", "(cells) => cells.map((cell) => cell.textContent)"
        )
        assert cells[:2] == ["cut short", "Reach up"] and cells[3:5] == ["done", "Side bend"]
        await shot(page, "6-finished")
    # The session is over: so is the server.
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(host, int(port))


FIGURE_LOG = """
() => {
  window.figureLog = [];
  const box = document.getElementById("figure");
  const near = box.querySelector('[data-layer="near"]');
  const note = () => window.figureLog.push({
    phase: document.getElementById("phase").textContent,
    side: document.getElementById("figure-side").textContent,
    pose: box.dataset.pose,
    frame: Number(box.dataset.frame),
    near: near.getAttribute("d"),
    viewBox: document.getElementById("figure-svg").getAttribute("viewBox"),
    shown: !box.hidden && box.getBoundingClientRect().height > 50,
  });
  note();
  new MutationObserver(note).observe(near, { attributes: true, attributeFilter: ["d"] });
}
"""
"""Notes every frame the page draws of the figure, with what the page said beside it."""


def mirrored_path(path: str) -> str:
    """A path of moves and lines (M x yL x y...) with every x negated, as the page writes it."""

    def flip(match: re.Match[str]) -> str:
        x = -float(match.group(2))
        return f"{match.group(1)}{'0.0' if x == 0 else f'{x:.1f}'} {match.group(3)}"

    return re.sub(r"([ML])(-?[\d.]+) (-?[\d.]+)", flip, path)


async def test_the_page_shows_the_figure_mirrored_for_the_right_side_and_moving_in_tempo_reps(
    browser: BrowserContext, user_routines: Path, isolated_home: Path
) -> None:
    (user_routines / "share-figures.yaml").write_text(
        routine_yaml("share-figures"), encoding="utf-8"
    )
    with shared_plain_session("share-figures") as proc:
        first = await line(proc, "Waiting to start: tap Start on the page.\n")
        url = re.search(r"Follow in a browser: (\S+)\n", first)
        assert url, first
        page = await browser.new_page()
        await page.goto(url.group(1))
        await page.click("#without-sound")
        # Before the start, the page shows the first step's figure: the start pose.
        await page.wait_for_function("() => !document.getElementById('figure').hidden")
        await page.evaluate(FIGURE_LOG)
        await page.click("#pause")
        # Pressure on, left side: the page pauses the session while the figure is moving.
        await wait_text(page, "#phase", "PRESSURE ON")
        await page.wait_for_function("() => document.getElementById('figure').dataset.frame > 0")
        await page.click("#pause")
        await wait_text(page, "#phase", "PAUSED")
        await shot(page, "figure-1-paused-moving")
        frozen = await page.get_attribute("#figure", "data-frame")
        drawn = len(await page.evaluate("() => window.figureLog"))
        await asyncio.sleep(1.0)
        assert await page.get_attribute("#figure", "data-frame") == frozen
        assert len(await page.evaluate("() => window.figureLog")) == drawn
        await page.click("#pause")
        await wait_text(page, "#phase", "pressure off", timeout=6000)
        await shot(page, "figure-2-pressure-off")
        await wait_text(page, "#figure-side", "right side", timeout=6000)
        await wait_text(page, "#phase", "PRESSURE ON", timeout=4000)
        await shot(page, "figure-3-right-side")
        assert proc.wait(timeout=20) == 0
        log: list[dict[str, Any]] = await page.evaluate("() => window.figureLog")
    assert all(entry["shown"] for entry in log)
    # The pause came while the figure was between its poses, and it stood still there.
    assert 0 < int(frozen or 0) < MOVE_FRAMES - 1
    by_side = {
        side: [entry for entry in log if entry["side"] == side]
        for side in ("left side", "right side")
    }
    for side, entries in by_side.items():
        poses = [entry["pose"] for entry in entries]
        # Start (get ready or switch), pressure on, pressure off: the page changes pose.
        assert [p for i, p in enumerate(poses) if i == 0 or poses[i - 1] != p] == [
            "start",
            "stretch",
            "release",
        ], side
        for pose in ("stretch", "release"):
            frames = [entry["frame"] for entry in entries if entry["pose"] == pose]
            # Moved frame by frame, in order, into the pose, and never back.
            assert frames == sorted(frames) and frames[-1] == MOVE_FRAMES - 1, (side, frames)
            assert len(set(frames)) >= 4, (side, frames)
    # The right side is the left's mirror image: the frame and every line of the body.
    left, right = by_side["left side"], by_side["right side"]
    x, y, width, height = (float(v) for v in left[-1]["viewBox"].split())
    assert [float(v) for v in right[-1]["viewBox"].split()] == [-(x + width), y, width, height]
    for pose in ("start", "stretch", "release"):
        one = next(e for e in reversed(left) if e["pose"] == pose)
        other = next(e for e in reversed(right) if e["pose"] == pose)
        assert other["near"] == mirrored_path(one["near"]), pose
        assert one["near"] != other["near"]
