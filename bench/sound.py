"""Measures what sound costs a session: `python bench/sound.py [--seconds 30]`.

Plays through the real miniaudio backend into ALSA's `file` plugin, whose output goes to a FIFO
that a thread drains at a sound card's pace (22.05 kHz, 16-bit mono: 44,100 bytes a second), so
the device runs exactly as it would on hardware, on a machine with no sound card. Prints:

- the cost of `play()` itself (the call the event loop makes at a step boundary);
- boundary to `play()`: a real session on the real monotonic clock with short steps, from each
  step's planned start to the moment its cue was handed to the device;
- CPU seconds per minute of the process with the device open and idle (its audio thread calls
  back every 10 ms), which every session pays on top of the view's own cost;
- with espeak-ng installed, prompt lateness: over a tempo routine and a routine with position
  moves, run on the real clock, how much later than its place each spoken prompt reaches the
  captured "card". A prompt's place is its cue's onset plus the lead the listener gives it (the
  cue's length, at most 0.6 s); its onset is found sample-exact in the captured stream.
  A prompt located with its cue is measured sample-exact; one whose 30 ms stretches all sound
  under something else (a tick, a cut) is not located, and the count says so.

Targets (issue 5): a cue starts within 5 ms of its boundary; (issue 19) a prompt's onset p95
within 30 ms of its place. Prints figures, asserts nothing.
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
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE_BYTES = 2 * 22050  # bytes a second the "speaker" takes


class Card:
    """ALSA's default device (for processes started after this, and this one) pointed at a
    FIFO in `folder`, drained at a sound card's pace by a thread; keeps what it took."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        fifo = folder / "audio.fifo"
        os.mkfifo(fifo)
        (folder / ".asoundrc").write_text(
            f'pcm.!default {{ type file slave.pcm "null" file "{fifo}" format "raw" }}\n'
        )
        os.environ.update(
            HOME=str(folder), XDG_CONFIG_HOME=str(folder), PULSE_SERVER="unix:/nonexistent/pulse"
        )
        self.data = bytearray()
        self.stop = threading.Event()
        self.drain_id: list[int] = []
        self._read = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self._keep = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # so the reader never sees EOF
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        self.drain_id.append(threading.get_native_id())
        began: float | None = None
        while not self.stop.is_set():
            chunk = b""
            with contextlib.suppress(BlockingIOError):  # nothing written yet
                chunk = os.read(self._read, 4096)
            now = time.monotonic()
            if chunk:
                if began is None or now > began + len(self.data) / RATE_BYTES + 0.05:
                    # Idle since the last sound (a player that opens the device per prompt):
                    # the card plays this from now on.
                    began = now - len(self.data) / RATE_BYTES
                self.data.extend(chunk)
            ahead = (began + len(self.data) / RATE_BYTES - now) if began is not None else 0
            time.sleep(max(0.002, ahead))
        os.close(self._read)
        os.close(self._keep)


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


def prompt_plans() -> list[tuple[str, object]]:
    """A tempo routine (a rep count on every 2 s "pressure on") and a routine with position
    moves said before each exercise (three presets' exercises, short holds)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from engine_support import plan_of, tempo
    from timer_app.core.plan import Overrides, compile_plan
    from timer_app.routines.library import load_library

    library = load_library(user=False)
    moves = compile_plan(library.routines["doctor-jo-5-minute"], Overrides(hold=3, reps=1))
    pumps = plan_of(tempo("Pelvic tilt", reps=8, on=2, off=1, end_hold=0, prepare=3))
    return [("tempo", pumps), ("moves", moves)]


async def run_prompts(plan: object, player: object, voice: object, rendered: object) -> list:
    """Run `plan` on the real clock with the voice; returns what the player was handed:
    ("cue", name, lead, perf time) and ("speak", samples, lead, perf time)."""
    from timer_app.session.clock import MonotonicClock
    from timer_app.session.engine import Engine
    from timer_app.sound import SoundListener

    handed: list[tuple[str, object, float, float]] = []

    class Noted:
        def __getattr__(self, name: str) -> object:
            return getattr(player, name)

        def play(self, name: str) -> None:
            handed.append(("cue", name, 0.0, time.monotonic()))
            player.play(name)  # type: ignore[attr-defined]

        def speak(self, samples: object, lead: float) -> bool:
            handed.append(("speak", samples, lead, time.monotonic()))
            return player.speak(samples, lead)  # type: ignore[attr-defined,no-any-return]

    clock = MonotonicClock()
    engine = Engine(plan, clock=clock)  # type: ignore[arg-type]
    sound = SoundListener(Noted(), voice, plan=plan, clock=clock, rendered=rendered)  # type: ignore[arg-type]
    engine.add_listener(sound)
    await engine.run()
    await sound.aclose(grace=3.0)
    return handed


def locate(
    data: bytes, samples: bytes, start: int, skip: int = 0, within: float = 5.0
) -> int | None:
    """The stream sample at which `samples` (from byte `skip` on) begins within `within`
    seconds of sample `start`, or None."""
    part = samples[skip : skip + 4410]
    if max(array("h", part), default=0) < 300:
        return None  # near silence matches anywhere
    end = 2 * start + round(within * RATE_BYTES) + len(samples)
    found = data.find(part, 2 * start, end)
    while found >= 0 and found % 2:  # between two samples: by chance
        found = data.find(part, found + 1, end)
    return None if found < 0 else (found - skip) // 2


def prompt_lateness(card: Card, handed: list, cue_data: dict[str, bytes], mark: int) -> list[float]:
    """Seconds each device prompt began after its place (its cue's onset plus its lead).

    Each prompt is found sample-exact in the stream, in order, by 30 ms of it that nothing
    else sounded over (a tick, the tail of a long cue); its cue, handed over at the same
    moment, is the last onset of that cue's opening 30 ms before it.
    """
    from timer_app.sound.wav import scaled

    data = bytes(card.data)
    late: list[float] = []
    at = mark // 2
    cue: str | None = None
    for what, item, lead, _ in handed:
        if what == "cue":
            cue = item
            continue
        sound = scaled(item, 1.0)
        onset = None
        for skip in range(0, len(sound) - 2 * 662, 2 * 551):
            onset = locate(data, sound[: skip + 2 * 662], at, skip=skip, within=600)
            if onset is not None:
                break
        if onset is None or cue is None:
            continue
        at = onset
        # The cue began `lead` before its prompt, give or take what is measured.
        opening = cue_data[cue][: 2 * 662]
        begin = 2 * (onset - round((lead + 0.2) * 22050))
        cue_at = data.rfind(opening, max(0, begin), 2 * onset + len(opening))
        while cue_at >= 0 and cue_at % 2:
            cue_at = data.rfind(opening, max(0, begin), cue_at)
        if cue_at >= 0:
            late.append((onset - cue_at // 2) / 22050 - lead)
    return late


def measure_prompts(player: object) -> None:
    """Prompt lateness over the prompt plans, rendered ahead and played on the cues' device."""
    from timer_app.core.paths import cue_set_dir
    from timer_app.sound import make_voice
    from timer_app.sound.rendered import RenderedPrompts
    from timer_app.sound.wav import load_cues, scaled

    voice = make_voice(True, print, engines=["espeak-ng"])
    if voice is None:
        print("prompt onset: espeak-ng is not installed")
        return
    cues = load_cues(builtin_dir=cue_set_dir("tones"), user_dir=None, notify=print)
    cue_data = {name: scaled(samples, 1.0) for name, samples in cues.items()}
    for name, plan in prompt_plans():
        rendered = RenderedPrompts(voice.engine)
        mark = len(CARD[0].data)
        handed = asyncio.run(run_prompts(plan, player, voice, rendered))
        rendered.close()
        time.sleep(0.5)  # the last prompt on its way through the capture's pipe
        late = prompt_lateness(CARD[0], handed, cue_data, mark)
        if late:
            figures(f"prompt after its place ({name})", late, "ms", 1e3)
        on_device = sum(1 for h in handed if h[0] == "speak")
        print(
            f"{'':34} {len(late)} of {on_device} prompts on the device located with their cue;"
            f" {len(voice.spoken)} said live (not rendered in time)"
        )
        voice.spoken.clear()


CARD: list[Card] = []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="idle time to measure CPU")
    parser.add_argument("--no-prompts", action="store_true", help="leave out prompt onsets")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="stretch-sound-") as tmp:
        card = Card(Path(tmp))
        CARD.append(card)
        stop, drain_id = card.stop, card.drain_id
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

        if not args.no_prompts:
            player.set_volume(100)  # the samples as rendered, to find them in the stream
            measure_prompts(player)

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
