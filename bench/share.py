"""Measures how closely a shared page follows the terminal: step latency and countdown drift.

Prints figures, asserts nothing. Needs Debian's chromium (scripts/setup-test-system). Usage:

    python bench/share.py [--minutes 2] [--stretch PATH]

A plain session (`stretch run ... --plain --share --sound off`, in its own empty HOME) runs a
routine of about --minutes with a step every 2 to 8 s, and headless Chromium at phone size
follows it on 127.0.0.1; the session waits for Start, which the page taps once it watches.
All times are read on this process's monotonic clock, which on Linux is the same
CLOCK_MONOTONIC the session's engine runs on.

- Step latency: for each step, the time from the terminal's step line (read from the session's
  stdout by a thread) to the page's step line changing (a MutationObserver on the page calls
  back into this process). Both sides include a small cost of being observed (a pipe read, a
  DevTools call), so the figure is an upper bound. Target: within 100 ms.
- Countdown drift: every 5 s, the page's own countdown (`deadline - (its clock + offset)`, the
  offset measured when it connected) against the true remaining time, `deadline - now` on the
  monotonic clock at the middle of the call; the change from the first sample to the last is
  the drift, the largest difference the worst error. Target: drift under 50 ms.
- Shown digit: when the countdown's shown second changes, against when it should (the
  deadline minus whole seconds); this adds the page's frame interval.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.async_api import async_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - after the path is set

STEP_LINE = re.compile(r"^\[(?:\d+:)?\d+:\d\d\] ")


def routine(minutes: float) -> str:
    """Per exercise: get ready 2 s, then left and right, each 3 holds of 8 s with 2 s rests,
    and a 2 s switch: 60 s, 12 steps."""
    exercises = max(1, round(minutes))
    entries = "".join(
        "  - exercise: bend\n    hold: 8s\n    reps: 3\n    rest: 2s\n"
        "    prepare: 2s\n    switch: 2s\n"
        for _ in range(exercises)
    )
    return (
        "id: share-bench\ntitle: Share bench\nexercises:\n  - id: bend\n    name: Side bend\n"
        "    how_to: Lean to one side.\n    position: standing\n    per_side: true\n"
        f"sequence:\n{entries}"
    )


class Lines(threading.Thread):
    """Reads the session's stdout, keeping each step line with the time it arrived."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.proc = proc
        self.steps: list[tuple[str, float]] = []
        self.first = threading.Event()
        self.url = ""

    def run(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            now = time.monotonic()
            line = raw.decode(errors="replace").rstrip("\n")
            if not self.url and line.startswith("Follow in a browser: "):
                self.url = line.split(": ", 1)[1]
                self.first.set()
            if STEP_LINE.match(line):
                self.steps.append((line, now))


OBSERVE = """
() => {
  const watch = (id, report) => new MutationObserver(
    () => report(document.getElementById(id).textContent)
  ).observe(document.getElementById(id), {childList: true, characterData: true, subtree: true});
  watch('line', window.stepChanged);
  watch('countdown', (text) =>
    window.digitChanged(text, state.state === 'running' ? state.deadline : null));
}
"""

PAGE_REMAINING = "() => state && state.deadline !== null ? state.deadline - engineNow() : null"


async def follow(url: str, lines: Lines, proc: subprocess.Popen[bytes]) -> None:
    page_steps: dict[str, float] = {}
    digits: list[tuple[str, float | None, float]] = []
    samples: list[tuple[float, float]] = []
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="share-bench-chromium-"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport={"width": 390, "height": 844},
        )
        page = await context.new_page()
        await page.expose_function(
            "stepChanged", lambda text: page_steps.setdefault(text, time.monotonic())
        )
        await page.expose_function(
            "digitChanged",
            lambda text, deadline: digits.append((text, deadline, time.monotonic())),
        )
        await page.goto(url)
        await page.click("#without-sound")
        await page.evaluate(OBSERVE)
        # Shared from the start, the session waits for Start: tapped once the page watches,
        # so every step change is seen.
        await page.click("#pause")
        while proc.poll() is None:
            before = time.monotonic()
            shown = await page.evaluate(PAGE_REMAINING)
            after = time.monotonic()
            deadline = await page.evaluate("() => state && state.deadline")
            if shown is not None and deadline is not None and after - before < 0.01:
                true = deadline - (before + after) / 2
                samples.append((before, shown - true))
            await asyncio.sleep(5)
        await context.close()
    report(lines, page_steps, samples, digits)


def spread(values: list[float]) -> str:
    """Milliseconds as `median 3.1 ms, p95 8.0 ms, max 9.2 ms`."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"


def report(
    lines: Lines,
    page_steps: dict[str, float],
    samples: list[tuple[float, float]],
    digits: list[tuple[str, float | None, float]],
) -> None:
    delays = [(page_steps[text] - at) * 1000 for text, at in lines.steps[1:] if text in page_steps]
    print(f"steps: {len(lines.steps)} on the terminal, {len(delays)} seen changing on the page")
    if delays:
        print(f"step latency, terminal line -> page: {spread(delays)} (target: within 100 ms)")
    if len(samples) >= 2:
        errors = [error * 1000 for _, error in samples]
        span = samples[-1][0] - samples[0][0]
        print(
            f"countdown: {len(samples)} samples over {span:.0f} s; error first {errors[0]:+.2f} ms,"
            f" last {errors[-1]:+.2f} ms; drift {errors[-1] - errors[0]:+.2f} ms;"
            f" worst {max(errors, key=abs):+.2f} ms (target: drift under 50 ms)"
        )
    late = []
    for text, deadline, at in digits:
        minutes, _, seconds = text.partition(":")
        if deadline is None or not seconds.isdigit():
            continue
        # The page shows a partial second rounded up: it should show `value` from
        # deadline - value on.
        value = int(minutes) * 60 + int(seconds)
        late.append((at - (deadline - value)) * 1000)
    if late:
        print(
            f"shown second changes: {len(late)}, later than due by {spread(late)}"
            " (includes the page's frame interval and the DevTools call)"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="length of the session")
    parser.add_argument("--stretch", default=None, help="the stretch command (default: this tree)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="share-bench-home-"))
    routines = home / ".config" / "stretch-timer" / "routines"
    routines.mkdir(parents=True)
    (routines / "share-bench.yaml").write_text(routine(args.minutes), encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PYTHONPATH": str(REPO),
    }
    command = [args.stretch] if args.stretch else [sys.executable, "-m", "timer_app"]
    proc = subprocess.Popen(
        [*command, "run", "share-bench", "--plain", "--share", "--sound", "off"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env=env,
    )
    lines = Lines(proc)
    lines.start()
    if not lines.first.wait(20):
        proc.kill()
        raise SystemExit("the session printed no address")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    try:
        await follow(lines.url, lines, proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
