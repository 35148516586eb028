"""Measures the full-screen app against a bare Textual countdown, side by side, in tmux.

Prints figures, asserts nothing. Needs tmux (Debian: `apt-get install tmux`). Usage:

    python bench/app.py [--runs 5] [--seconds 60] [--sound off|auto|...] [--screens]
                        [--stretch PATH] [--compare PATH] [--long MINUTES] [--figures]

Every figure is a ratio to a reference measured in the same run: `bench/bare_countdown.py`, a
Textual app with one `Digits` countdown and nothing else, so a busy machine or a slower Textual
moves both sides. The contenders (bare, stretch, and with `--compare` a second stretch, e.g.
another checkout's `.venv/bin/stretch`) take turns, bare first, each in its own tmux session at
80x24 on a private tmux server, each with its own empty HOME and XDG folders where the safety
note is acknowledged and a history file exists (one plain session, stopped at once), as for a
returning user. One round of launches is run first and discarded, to warm the file cache.

- Launch: from spawning the tmux session until the first countdown digit is on screen, read by
  `tmux capture-pane` every 3 ms; a countdown is recognised by the `Digits` glyphs of an `m:ss`
  clock (drawn with Textual's own `Digits` renderable, bold and plain). Stretch runs
  `stretch run doctor-jo-5-minute`. Median of --runs launches each. The polling costs a few ms
  of CPU on both sides; the figure is an upper bound.
- CPU: CPU seconds per minute of the process tree (utime + stime of every thread, from
  /proc/PID/stat, plus reaped children) over --seconds after the first digit, for
  `stretch run doctor-jo-5-minute` (the densest preset), `stretch run neck-stretches`, and the
  bare countdown. /proc counts 10 ms ticks, so short windows are coarse.
- Memory: PSS (/proc/PID/smaps_rollup, summed over the process tree) of the usual way in:
  `stretch` opens the picker, typing `5-minute` and Enter starts doctor-jo-5-minute, and PSS is
  read 5 s after the countdown is drawn; the bare countdown's PSS is read the same time after
  its spawn. One reading each.
- `--long MINUTES` measures only this: one long session (`stretch run doctor-jo-5-minute
  --reps N`, N chosen so it outlasts MINUTES) and a bare countdown run at the same time (a long
  run cannot take turns), PSS and USS read every minute, growth printed (last - first); the
  target is at most +1 MiB over 30 minutes (`--long 30`). Running together, they share some
  pages (the same Python), which lowers each PSS a little but not its growth. PSS also moves
  when other processes sharing those pages start or end (a test suite beside it), so on a busy
  machine the USS (pages only this process maps) is the figure that shows a leak.

- `--figures` measures only this: stretch with the exercise's figure drawn (`figures: true` in
  the settings, the default) against the same stretch with `figures: false`, taking turns (the
  order swapped every run), --runs times each: launch to the first digit (doctor-jo-5-minute;
  target: not later than without figures), CPU per minute over --seconds of one long hold
  (lunge hold; target at most 1.1x) and of tempo reps (squat with a reach, 2 s on and 2 s off,
  each step a new pose; target at most 1.5x), both counted from the step's banner on screen,
  and PSS at the end of the tempo window (target: at most +3 MiB). Medians, with the range.
  Each run checks that the figure is on screen with figures on and absent with them off.

Sound: `--sound off` by default (sessions pass `--sound`, the picker reads it from the settings
file); `--sound auto` measures what users get where there is a sound card. The host's load
average is printed before and after: the figures mean little when the machine is busy.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.segment import Segment
from rich.style import Style
from textual.renderables.digits import Digits

ROOT = Path(__file__).resolve().parent.parent
BARE_SCRIPT = ROOT / "bench" / "bare_countdown.py"
DENSE = "doctor-jo-5-minute"
"""The preset with the most steps a minute: the heaviest session to draw."""
CALM = "neck-stretches"
WIDTH, HEIGHT = 80, 24
POLL = 0.003
"""Seconds between two reads of the pane while waiting for the countdown."""
SETTLE = 5.0
"""Seconds the session runs, after its first digit, before its memory is read."""
TARGETS = {"launch": 1.3, "cpu": 1.5, "pss": 1.6}
"""Most that stretch may cost, as a multiple of the bare countdown."""
LONG_GROWTH_MIB = 1.0
TMUX = ["tmux", "-u", "-L", f"stretch-bench-{os.getpid()}"]
"""A private tmux server (its own socket), so nobody else's sessions are touched."""


# -- the screen -----------------------------------------------------------------------------------


def _glyphs() -> dict[tuple[str, str, str], str]:
    """Each character of an `m:ss` clock as `Digits` draws it: its three rows, 3 cells wide."""
    glyphs: dict[tuple[str, str, str], str] = {}
    for bold in (False, True):
        for character in "0123456789:":
            rows = "".join(
                s.text for s in Digits(character).render(Style(bold=bold)) if isinstance(s, Segment)
            ).split("\n")
            top, middle, bottom = (row.ljust(3) for row in rows[:3])
            glyphs[top, middle, bottom] = character
    return glyphs


GLYPHS = _glyphs()


def countdown_on(screen: str) -> str | None:
    """The `m:ss` clock drawn in `Digits` glyphs on `screen`, or None when there is none."""
    lines = [line.ljust(WIDTH + 8) for line in screen.splitlines()]

    def glyph(row: int, column: int) -> str | None:
        if column < 0:
            return None
        cells = tuple(lines[row + i][column : column + 3] for i in range(3))
        return GLYPHS.get((cells[0], cells[1], cells[2]))

    for row in range(len(lines) - 2):
        middle = lines[row + 1]
        for match in re.finditer(":", middle):
            colon = match.start() - 1
            if glyph(row, colon) != ":":
                continue
            minutes = ""
            column = colon - 3
            while (character := glyph(row, column)) is not None and character.isdigit():
                minutes = character + minutes
                column -= 3
            seconds = "".join(glyph(row, colon + 3 * i) or "" for i in (1, 2))
            if minutes and len(seconds) == 2 and seconds.isdigit():
                return f"{minutes}:{seconds}"
    return None


# -- tmux -----------------------------------------------------------------------------------------


def tmux(*args: str) -> str:
    return subprocess.run([*TMUX, *args], capture_output=True, text=True, check=False).stdout


def capture(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


@dataclass
class Contender:
    """One program measured: the bare countdown, or a stretch executable with its own home."""

    name: str
    home: Path
    stretch: Path | None = None
    """The `stretch` executable; None for the bare countdown."""
    screens: dict[str, str] = field(default_factory=dict)
    """The last screen of each measurement, shown when something goes wrong."""

    @property
    def session(self) -> str:
        return f"bench-{self.name}"

    def environment(self) -> dict[str, str]:
        env = {
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_CACHE_HOME": str(self.home / "cache"),
            "XDG_STATE_HOME": str(self.home / "state"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
        }
        # Kept: it is where a sound server (PulseAudio, PipeWire) is found.
        if "XDG_RUNTIME_DIR" in os.environ:
            env["XDG_RUNTIME_DIR"] = os.environ["XDG_RUNTIME_DIR"]
        return env

    def session_command(
        self, routine: str, sound: str, *, reps: int | None = None, length: float | None = None
    ) -> list[str]:
        """`stretch run ROUTINE`; for the reference, a bare countdown (`length` s, or 5:32)."""
        if self.stretch is None:
            return [sys.executable, str(BARE_SCRIPT), *([] if length is None else [f"{length:g}"])]
        more = [] if reps is None else ["--reps", str(reps)]
        return [str(self.stretch), "run", routine, "--sound", sound, *more]

    def spawn(self, command: list[str]) -> float:
        """Start `command` in a fresh 80x24 tmux session; return when it was spawned."""
        tmux("kill-session", "-t", self.session)
        env = " ".join(shlex.quote(f"{k}={v}") for k, v in self.environment().items())
        line = f"exec env -i {env} {shlex.join(command)}"
        started = time.perf_counter()
        tmux("new-session", "-d", "-s", self.session, "-x", str(WIDTH), "-y", str(HEIGHT), line)
        return started

    def wait_for(
        self, found: Callable[[str], object], what: str, timeout: float = 20.0
    ) -> tuple[float, str]:
        """Poll the pane until `found(screen)`; return when, and the screen."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = capture(self.session)
            now = time.perf_counter()
            if found(screen):
                return now, screen
            if now > deadline:
                self.stop()
                raise SystemExit(f"{self.name}: {what} not seen within {timeout:g} s:\n{screen}")
            time.sleep(POLL)

    def wait_for_countdown(self) -> tuple[float, str]:
        return self.wait_for(countdown_on, "the countdown")

    def pid(self) -> int:
        pids = tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()
        if not pids:
            raise SystemExit(f"{self.name}: the program has exited (no tmux pane left)")
        return int(pids[0])

    def stop(self) -> None:
        tmux("kill-session", "-t", self.session)


def prepare_home(contender: Contender) -> None:
    """Acknowledge the safety note and leave one session in the history, as for a regular."""
    data = contender.home / "data" / "stretch-timer"
    data.mkdir(parents=True)
    (data / "safety-acknowledged").write_text("bench\n", encoding="utf-8")
    if contender.stretch is None:
        return
    # A plain session, stopped (Ctrl+C) once it has written its history file and begun.
    child = subprocess.Popen(
        [str(contender.stretch), "run", CALM, "--plain", "--sound", "off"],
        env=contender.environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.perf_counter() + 15.0
    while time.perf_counter() < deadline and child.poll() is None:
        if any(path.name != "safety-acknowledged" for path in data.iterdir()):
            time.sleep(1.0)  # the session's row, written as it starts
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    if not any(path.name != "safety-acknowledged" for path in data.iterdir()):
        print(f"note: {contender.name}: no history file was written in {data}", file=sys.stderr)


def write_settings(contender: Contender, sound: str, more: str = "") -> None:
    settings = contender.home / "config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f"sound: {sound}\n{more}", encoding="utf-8")


# -- /proc ----------------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str]:
    # Fields after the command name, which may itself hold spaces and parentheses.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_tree(pid: int) -> list[int]:
    """`pid` and its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(_stat_fields(int(entry))[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pid: int) -> float:
    """CPU time of the tree: every thread (utime, stime) and reaped children (cutime, cstime)."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = _stat_fields(member)
        except OSError:
            continue
        ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def _rollup_kib(pid: int, fields: tuple[str, ...]) -> int:
    """The sum of `fields` (e.g. "Pss:") of /proc/PID/smaps_rollup over the tree, in KiB."""
    kib = 0
    for member in process_tree(pid):
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith(fields):
                kib += int(line.split()[1])
    return kib


def pss_mib(pid: int) -> float:
    """Proportional set size of the tree: shared pages count by the share each process has."""
    return _rollup_kib(pid, ("Pss:",)) / 1024


def uss_mib(pid: int) -> float:
    """Unique set size of the tree: the pages no other process maps. Unlike PSS it does not
    move when neighbours that share pages (the same Python, the same libraries) come and go,
    so it is the figure that shows a leak on a busy machine."""
    return _rollup_kib(pid, ("Private_Clean:", "Private_Dirty:")) / 1024


# -- the measurements -----------------------------------------------------------------------------


def launch_ms(contender: Contender, sound: str) -> float:
    started = contender.spawn(contender.session_command(DENSE, sound))
    seen, screen = contender.wait_for_countdown()
    contender.screens["launch"] = screen
    contender.stop()
    time.sleep(0.3)  # let the process exit before the next spawn
    return (seen - started) * 1000


def cpu_per_minute(contender: Contender, routine: str, sound: str, seconds: float) -> float:
    contender.spawn(contender.session_command(routine, sound))
    contender.wait_for_countdown()
    pid = contender.pid()
    before = cpu_seconds(pid)
    time.sleep(seconds)
    used = cpu_seconds(pid) - before
    contender.screens[f"cpu {routine}"] = capture(contender.session)
    contender.stop()
    return used / seconds * 60


def start_from_picker(contender: Contender, text: str) -> float:
    """Open the picker, filter it down to `text`, and start the routine; return the spawn time.

    Today's picker takes typing anywhere ("Type anywhere to filter") and Enter starts the best
    match. Releases before it needed `/` first, then Enter to the list and Enter to start;
    Textual moves the focus to the filter after `/` is handled, so the text waits a little, and
    keys that still land on the list (its `i` opens the details) make us start over.
    """
    for _ in range(3):
        started = contender.spawn([str(contender.stretch)])
        _, screen = contender.wait_for(lambda s: "to filter" in s, "the picker")
        typing_filters = "Type anywhere to filter" in screen
        time.sleep(0.5)
        if not typing_filters:
            tmux("send-keys", "-t", contender.session, "/")
            time.sleep(0.3)
        tmux("send-keys", "-t", contender.session, "-l", text)
        # The list starts with "Basic neck stretches"; it goes once the filter is applied.
        deadline = time.perf_counter() + 2.0
        while time.perf_counter() < deadline:
            if "Basic neck" not in (screen := capture(contender.session)) and text in screen:
                if not typing_filters:
                    tmux("send-keys", "-t", contender.session, "Enter")  # to the list
                    time.sleep(0.3)
                tmux("send-keys", "-t", contender.session, "Enter")  # start the first routine
                return started
            time.sleep(0.05)
    raise SystemExit(f"{contender.name}: the picker did not take the filter {text!r}:\n{screen}")


def session_pss(contender: Contender, sound: str, after: float | None) -> tuple[float, float]:
    """PSS of a session started from the picker, SETTLE s after its first digit; or, for the
    bare countdown, `after` s after its spawn. Returns (MiB, seconds since spawn)."""
    if contender.stretch is None:
        assert after is not None
        started = contender.spawn(contender.session_command(DENSE, sound))
        contender.wait_for_countdown()
        time.sleep(max(0.0, started + after - time.perf_counter()))
    else:
        write_settings(contender, sound)
        started = start_from_picker(contender, "5-minute")
        _, screen = contender.wait_for_countdown()
        if "5-minute" not in screen:
            raise SystemExit(f"{contender.name}: not the {DENSE} session:\n{screen}")
        time.sleep(SETTLE)
    measured_at = time.perf_counter() - started
    pss = pss_mib(contender.pid())
    contender.screens["memory"] = capture(contender.session)
    contender.stop()
    return pss, measured_at


# -- the report -----------------------------------------------------------------------------------


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min; {os.cpu_count()} CPUs)"


def figure(value: float) -> str:
    """Three significant digits, without an exponent."""
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


@dataclass
class Metric:
    """One row of the report: a figure for each contender, and the most stretch may cost."""

    label: str
    target: float | None
    """Largest stretch/bare ratio that meets the target; None for a figure shown for context."""
    figures: dict[str, float] = field(default_factory=dict)
    note: str = ""


def report(contenders: list[Contender], metrics: list[Metric]) -> str:
    """One row per metric: each contender's figure, and each stretch's ratio to bare."""
    header = ["", "bare"]
    for c in contenders[1:]:
        header += [c.name, f"{c.name}/bare", ""]
    header.append("target")
    rows = [header]
    for metric in metrics:
        bare = metric.figures["bare"]
        row = [metric.label, figure(bare)]
        for c in contenders[1:]:
            ratio = metric.figures[c.name] / bare if bare else float("inf")
            good = "" if metric.target is None else "ok" if ratio <= metric.target else "OVER"
            row += [figure(metric.figures[c.name]), f"{ratio:.2f}x", good]
        row.append("-" if metric.target is None else f"<= {metric.target:g}x")
        rows.append(row)
    notes = [f"  {m.label.strip()}: {m.note}" for m in metrics if m.note]
    return "\n".join([table(rows), *notes])


# -- the runs -------------------------------------------------------------------------------------


def measure(contenders: list[Contender], args: argparse.Namespace) -> None:
    """Launches, then memory, then CPU; the contenders take turns in each."""
    for contender in contenders:  # warm-up, not counted
        launch_ms(contender, args.sound)
    launches: dict[str, list[float]] = {c.name: [] for c in contenders}
    for _ in range(args.runs):
        for contender in contenders:
            launches[contender.name].append(launch_ms(contender, args.sound))
    launch = Metric(
        "launch to first digit (ms, median)",
        TARGETS["launch"],
        {name: statistics.median(ms) for name, ms in launches.items()},
        "range "
        + ", ".join(f"{name} {min(ms):.0f}-{max(ms):.0f}" for name, ms in launches.items())
        + f" ms; {args.runs} runs each",
    )

    memory = Metric("PSS (MiB), picker then session", TARGETS["pss"])
    after: float | None = None
    for contender in [*contenders[1:], contenders[0]]:  # bare last: it waits as long as stretch
        memory.figures[contender.name], measured_at = session_pss(contender, args.sound, after)
        after = after or measured_at
    memory.note = f"read {after:.1f} s after spawn ({SETTLE:g} s after stretch's first digit)"

    dense = Metric(f"CPU (s/min), {DENSE}", TARGETS["cpu"])
    calm = Metric(f"CPU (s/min), {CALM}", None)
    for metric, routine in ((dense, DENSE), (calm, CALM)):
        for contender in contenders:
            if contender.stretch is None and metric is calm:
                metric.figures["bare"] = dense.figures["bare"]
            else:
                metric.figures[contender.name] = cpu_per_minute(
                    contender, routine, args.sound, args.seconds
                )
    dense.note = f"over {args.seconds:g} s from the first digit"
    calm.note = "no target, for context; bare is the run above"

    print(report(contenders, [launch, dense, calm, memory]))
    if args.screens:
        for contender in contenders:
            for what, screen in contender.screens.items():
                print(f"\n{contender.name}, last screen of {what}:\n{screen.rstrip()}")


def long_reps(stretch: Path, minutes: float) -> tuple[int, float]:
    """The --reps that make DENSE last at least `minutes` (plus one), and its length in s."""

    def total(reps: int) -> float:
        shown = subprocess.run(
            [str(stretch), "show", DENSE, "--reps", str(reps), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        return float(json.loads(shown.stdout)["total_s"])

    wanted = (minutes + 1) * 60
    one, two = total(1), total(2)
    # Each rep adds one hold per stretch and side, so the length grows by the same each time.
    reps = max(1, min(100, 1 + math.ceil((wanted - one) / (two - one))))
    while total(reps) < wanted and reps < 100:
        reps += 1
    return reps, total(reps)


def measure_long(contenders: list[Contender], args: argparse.Namespace) -> None:
    """All contenders at once (a long run cannot take turns): PSS each minute, and growth."""
    pids: dict[str, int] = {}
    for contender in contenders:
        if contender.stretch is None:
            command = contender.session_command(DENSE, args.sound, length=args.long * 60 + 120)
        else:
            reps, seconds = long_reps(contender.stretch, args.long)
            print(f"{contender.name}: {DENSE} --reps {reps} lasts {seconds / 60:.1f} min")
            command = contender.session_command(DENSE, args.sound, reps=reps)
        contender.spawn(command)
        contender.wait_for_countdown()
        pids[contender.name] = contender.pid()
    time.sleep(SETTLE)
    readers = {"PSS": pss_mib, "USS": uss_mib}
    samples = {(name, kind): list[float]() for name in pids for kind in readers}
    rows = [["minute", *(f"{name} {kind}" for name, kind in samples)]]
    for minute in range(int(args.long) + 1):
        if minute:
            time.sleep(60)
        for (name, kind), values in samples.items():
            values.append(readers[kind](pids[name]))
        rows.append([str(minute), *(f"{values[-1]:.2f}" for values in samples.values())])
        now = (f"{name} {kind} {values[-1]:.2f} MiB" for (name, kind), values in samples.items())
        print(f"minute {minute}: " + ", ".join(now))
    for contender in contenders:
        contender.screens["long"] = capture(contender.session)
        contender.stop()
    print()
    print(table(rows))
    for (name, kind), values in samples.items():
        growth = values[-1] - values[0]
        if name == "bare":
            verdict = "(the reference)"
        else:
            good = "ok" if growth <= LONG_GROWTH_MIB else "OVER"
            verdict = f"{good} (target: at most +{LONG_GROWTH_MIB:g} MiB)"
        print(
            f"{name}: {kind} growth over {args.long:g} min {growth:+.2f} MiB "
            f"(highest {max(values) - values[0]:+.2f}) {verdict}"
        )


# -- figures on against off ----------------------------------------------------------------------

FIGURE_ROUTINES = {
    "hold": (
        "bench-figures-hold",
        "lunge-hold",
        "hold: 5m\n    reps: 1",
        "HOLD",
    ),
    "tempo": (
        "bench-figures-tempo",
        "squat-reach",
        "tempo: {pressure_on: 2s, pressure_off: 2s}\n    reps: 60",
        "PRESSURE",
    ),
}
"""(routine id, exercise, dose, the banner its measured step shows): standing, so the get-ready
is short (no move), and long enough for any --seconds up to 4 minutes."""
FIGURE_TARGETS = {"launch": 1.0, "hold": 1.1, "tempo": 1.5}
"""Most that figures may cost, as a multiple of figures off."""
FIGURE_PSS_MIB = 3.0
"""Most PSS that figures may add."""


def braille_on(screen: str) -> bool:
    """A figure is drawn: the screen holds braille dots."""
    return any("\u2801" <= character <= "\u28ff" for character in screen)


def write_figure_routines(contender: Contender) -> None:
    folder = contender.home / "config" / "stretch-timer" / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    for routine, exercise, dose, _ in FIGURE_ROUTINES.values():
        text = (
            f"id: {routine}\ntitle: {routine}\nsequence:\n  - exercise: {exercise}\n"
            f"    {dose}\n    prepare: 1s\n"
        )
        (folder / f"{routine}.yaml").write_text(text, encoding="utf-8")


def figure_run(contender: Contender, kind: str, sound: str, seconds: float) -> tuple[float, float]:
    """CPU seconds per minute over `seconds` from the banner of the measured step; and PSS (MiB)
    at the end of that window."""
    routine, _, _, banner = FIGURE_ROUTINES[kind]
    contender.spawn(contender.session_command(routine, sound))
    contender.wait_for_countdown()
    contender.wait_for(lambda screen: banner in screen, f"the {banner} banner")
    pid = contender.pid()
    before = cpu_seconds(pid)
    time.sleep(seconds)
    used = cpu_seconds(pid) - before
    pss = pss_mib(pid)
    screen = capture(contender.session)
    contender.screens[f"cpu {kind}"] = screen
    contender.stop()
    drawn = braille_on(screen)
    if drawn != contender.name.endswith("-on"):
        raise SystemExit(
            f"{contender.name}: the figure is {'' if drawn else 'not '}drawn:\n{screen}"
        )
    return used / seconds * 60, pss


def measure_figures(contenders: list[Contender], args: argparse.Namespace) -> None:
    """Figures off against on: launches, CPU in a hold and in tempo reps, and PSS."""
    off, on = contenders
    for contender in contenders:  # warm-up, not counted
        launch_ms(contender, args.sound)
    figures: dict[str, dict[str, list[float]]] = {
        what: {c.name: [] for c in contenders} for what in ("launch", "hold", "tempo", "pss")
    }
    for run in range(args.runs):
        # Each goes first every other run: a machine that gets busier favours neither.
        order = (off, on) if run % 2 == 0 else (on, off)
        for contender in order:
            figures["launch"][contender.name].append(launch_ms(contender, args.sound))
        for kind in ("hold", "tempo"):
            for contender in order:
                cpu, pss = figure_run(contender, kind, args.sound, args.seconds)
                figures[kind][contender.name].append(cpu)
                if kind == "tempo":
                    figures["pss"][contender.name].append(pss)
        print(f"run {run + 1} of {args.runs} done; load average {load()}", flush=True)
    labels = {
        "launch": "launch to first digit (ms)",
        "hold": "CPU (s/min), a hold",
        "tempo": "CPU (s/min), tempo reps",
        "pss": "PSS (MiB), end of tempo window",
    }
    rows = [["median (range)", off.name, on.name, "on vs off", "target", ""]]
    for what, label in labels.items():
        values = {name: statistics.median(v) for name, v in figures[what].items()}
        spread = {name: f"{figure(min(v))}-{figure(max(v))}" for name, v in figures[what].items()}
        if what == "pss":
            change, target = values[on.name] - values[off.name], FIGURE_PSS_MIB
            shown, wanted = f"{change:+.2f} MiB", f"<= +{target:g} MiB"
        else:
            change = values[on.name] / values[off.name] if values[off.name] else float("inf")
            target = FIGURE_TARGETS[what]
            shown, wanted = f"{change:.2f}x", f"<= {target:g}x"
        rows.append(
            [
                label,
                f"{figure(values[off.name])} ({spread[off.name]})",
                f"{figure(values[on.name])} ({spread[on.name]})",
                shown,
                wanted,
                "ok" if change <= target else "OVER",
            ]
        )
    print(table(rows))
    # Each run's two launches were back to back: their difference is freer of the machine's
    # drift than the two medians are.
    launches = zip(figures["launch"][off.name], figures["launch"][on.name], strict=True)
    paired = [b - a for a, b in launches]
    print(
        f"  launch, on minus off in the same run: median {statistics.median(paired):+.0f} ms"
        f" (range {min(paired):+.0f} to {max(paired):+.0f})"
    )
    print(
        f"  {args.runs} runs each, alternating; CPU over {args.seconds:g} s from the step's"
        " banner; /proc counts CPU in 10 ms ticks"
    )
    if args.screens:
        for contender in contenders:
            for what, screen in contender.screens.items():
                print(f"\n{contender.name}, last screen of {what}:\n{screen.rstrip()}")


@contextmanager
def tmux_server() -> Iterator[None]:
    """A private tmux server, kept alive by an idle session so each spawn finds it running."""
    tmux("new-session", "-d", "-s", "keeper", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 86400")
    socket = tmux("display-message", "-p", "#{socket_path}").strip()
    try:
        yield
    finally:
        tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)


def executable(text: str) -> Path:
    path = Path(text).expanduser().absolute()
    if not os.access(path, os.X_OK):
        raise argparse.ArgumentTypeError(f"{path} is not an executable")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=5, help="launches timed per contender")
    parser.add_argument("--seconds", type=float, default=60.0, help="CPU window after 1st digit")
    parser.add_argument(
        "--sound",
        choices=["off", "auto", "miniaudio", "simpleaudio", "bell"],
        default="off",
        help="stretch's sound (users get auto)",
    )
    parser.add_argument(
        "--stretch",
        type=executable,
        metavar="PATH",
        default=ROOT / ".venv" / "bin" / "stretch",
        help="the stretch executable to measure",
    )
    parser.add_argument(
        "--compare",
        type=executable,
        metavar="PATH",
        help="a second stretch to measure in turn, e.g. another checkout's",
    )
    parser.add_argument(
        "--long",
        type=float,
        metavar="MINUTES",
        help="measure only PSS growth over a session this long",
    )
    parser.add_argument(
        "--figures",
        action="store_true",
        help="measure only the figures' cost: figures on against figures off",
    )
    parser.add_argument("--screens", action="store_true", help="print each last screen")
    args = parser.parse_args()
    if args.runs < 1 or args.seconds <= 0:
        parser.error("--runs and --seconds must be positive")
    if not os.access(args.stretch, os.X_OK):
        parser.error(
            f"no stretch at {args.stretch}: run `make .venv/.test-installed`, or --stretch"
        )
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed: apt-get install tmux")

    python = sys.version.split()[0]
    print(f"bench/app.py: tmux {WIDTH}x{HEIGHT}, --sound {args.sound}, Python {python}")
    if not args.figures:
        print(f"  bare:    {sys.executable} {BARE_SCRIPT.relative_to(ROOT)}")
    print(f"  stretch: {args.stretch}")
    if args.compare:
        print(f"  compare: {args.compare}")
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory(prefix="stretch-bench-") as folder, tmux_server():
        if args.figures:
            pair = [
                Contender(f"figures-{word}", Path(folder) / word, args.stretch)
                for word in ("off", "on")
            ]
            for contender, value in zip(pair, ("false", "true"), strict=True):
                prepare_home(contender)
                write_settings(contender, args.sound, f"figures: {value}\n")
                write_figure_routines(contender)
            measure_figures(pair, args)
            print(f"load average after:  {load()}")
            return
        contenders = [Contender("bare", Path(folder) / "bare")]
        contenders.append(Contender("stretch", Path(folder) / "stretch", args.stretch))
        if args.compare:
            contenders.append(Contender("compare", Path(folder) / "compare", args.compare))
        for contender in contenders:
            prepare_home(contender)
        if args.long:
            measure_long(contenders, args)
        else:
            measure(contenders, args)
        if args.screens and args.long:
            for contender in contenders:
                print(f"\n{contender.name}, last screen:\n{contender.screens['long'].rstrip()}")
    print(f"load average after:  {load()}")


if __name__ == "__main__":
    main()
