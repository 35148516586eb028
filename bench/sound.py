"""Measures what sound costs a session: `python bench/sound.py [--seconds 30]`.

Plays through the real miniaudio backend into ALSA's `file` plugin, whose output goes to a FIFO
that a thread drains at a sound card's pace (22.05 kHz, 16-bit mono: 44,100 bytes a second), so
the device runs exactly as it would on hardware, on a machine with no sound card. Prints:

- the cost of `play()` itself (the call the event loop makes at a step boundary);
- boundary to `play()`: a real session on the real monotonic clock with short steps, from each
  step's planned start to the moment its cue was handed to the device;
- CPU seconds per minute of the process with the device open and idle (its audio thread calls
  back every 10 ms), which every session pays on top of the view's own cost.

Targets (issue 5): a cue starts within 5 ms of its boundary. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE_BYTES = 2 * 22050  # bytes a second the "speaker" takes


def route_alsa_to_fifo(folder: Path) -> tuple[threading.Event, list[int]]:
    """Point ALSA's default device at a FIFO in `folder` drained in real time; returns the
    event that stops the draining thread, and a list that gets that thread's native id."""
    fifo = folder / "audio.fifo"
    os.mkfifo(fifo)
    (folder / ".asoundrc").write_text(
        f'pcm.!default {{ type file slave.pcm "null" file "{fifo}" format "raw" }}\n'
    )
    os.environ.update(
        HOME=str(folder), XDG_CONFIG_HOME=str(folder), PULSE_SERVER="unix:/nonexistent/pulse"
    )
    read_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    keep_fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # so the reader never sees EOF
    stop = threading.Event()
    drain_id: list[int] = []

    def drain() -> None:
        drain_id.append(threading.get_native_id())
        taken, began = 0, time.monotonic()
        while not stop.is_set():
            with contextlib.suppress(BlockingIOError):  # nothing written yet
                taken += len(os.read(read_fd, 4096))
            ahead = taken / RATE_BYTES - (time.monotonic() - began)
            time.sleep(max(0.002, ahead))
        os.close(read_fd)
        os.close(keep_fd)

    threading.Thread(target=drain, daemon=True).start()
    return stop, drain_id


def thread_cpu(tid: int) -> float:
    """CPU seconds (user + system) of one thread of this process, from /proc (Linux)."""
    fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def figures(name: str, values: list[float], unit: str, scale: float) -> None:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(
        f"{name:<34} p50 {statistics.median(values) * scale:8.3f} {unit}"
        f"   p99 {p99 * scale:8.3f} {unit}   max {max(values) * scale:8.3f} {unit}"
        f"   ({len(values)} samples)"
    )


async def session_latencies(player: object) -> list[float]:
    """Event-to-play() delays over a real session of short steps on the monotonic clock: from
    the moment each cue is due (its event's session time) to the call handing it to the device.
    Cues played later on purpose ("exercise done" is followed by the next step's cue once it
    has sounded) are not counted."""
    sys.path.insert(0, str(ROOT / "tests"))
    from engine_support import plan_of, tempo
    from timer_app.session.clock import MonotonicClock
    from timer_app.session.engine import Engine
    from timer_app.session.events import Event, SessionStarted
    from timer_app.sound import SoundListener

    plan = plan_of(*(tempo(f"Pump {i}", reps=5, on=0.4, off=0.4, end_hold=0) for i in range(4)))
    clock = MonotonicClock()
    engine = Engine(plan, clock=clock)
    delays: list[float] = []
    due: list[float | None] = [None]
    origin: list[float] = []

    class Timed:
        # The real player, noting how late each cue reaches it.
        def __getattr__(self, name: str) -> object:
            return getattr(player, name)

        def play(self, name: str) -> None:
            if due[0] is not None:
                delays.append(clock.now() - due[0])
            player.play(name)  # type: ignore[attr-defined]

    sound = SoundListener(Timed(), plan=plan, clock=clock)  # type: ignore[arg-type]

    def listener(event: Event) -> None:
        if isinstance(event, SessionStarted):
            origin.append(event.clock_start)
        due[0] = origin[0] + event.at
        try:
            sound(event)
        finally:
            due[0] = None

    engine.add_listener(listener)
    await engine.run()
    return delays


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="idle time to measure CPU")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="stretch-sound-") as tmp:
        stop, drain_id = route_alsa_to_fifo(Path(tmp))
        from timer_app.sound import make_player

        notices: list[str] = []
        opened = time.perf_counter()
        player = make_player("miniaudio", volume=80, notify=notices.append)
        open_ms = (time.perf_counter() - opened) * 1000
        if player.name != "miniaudio":
            print("miniaudio could not open the device:", *notices)
            return 1
        print(f"open the device (import, ALSA, decode cues)   {open_ms:.1f} ms")

        calls = []
        for i in range(2000):
            began = time.perf_counter()
            player.play("tick" if i % 2 else "tick-last")
            calls.append(time.perf_counter() - began)
            time.sleep(0.001)
        figures("play() call", calls, "us", 1e6)

        delays = asyncio.run(session_latencies(player))
        figures("cue due to play()", delays, "ms", 1e3)

        # The device open and idle, as between cues: the process's CPU less the drain thread,
        # which stands in for the sound card and is no part of the app.
        time.sleep(1.0)
        tid = drain_id[0]
        cpu_before, drain_before = time.process_time(), thread_cpu(tid)
        wall_before = time.monotonic()
        time.sleep(args.seconds)
        wall = time.monotonic() - wall_before
        cpu = (time.process_time() - cpu_before) - (thread_cpu(tid) - drain_before)
        print(f"device open and idle                {cpu / wall * 60:.3f} CPU s per minute")
        player.close()
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
