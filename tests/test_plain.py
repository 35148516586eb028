"""Tests of plain follow-along mode: the lines a script or screen reader gets, keys and signals."""

from __future__ import annotations

import asyncio
import io
import os
import re
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from engine_support import held, mixed_plan, plan_of, tempo, timed
from helpers import SHORT_ROUTINE, read_until, routine_yaml
from timer_app.companions import Companions
from timer_app.core.plan import Plan, compile_plan
from timer_app.routines.library import load_library
from timer_app.session.events import Event, StepStarted
from timer_app.testing import VirtualClock
from timer_app.views.plain.lines import format_elapsed
from timer_app.views.plain.run import _PlainSession, run_plain

ROOT = Path(__file__).resolve().parent.parent
STEP_LINE = re.compile(r"\[((?:\d+:)?\d+):(\d\d)\] (.*)")


class Recording(io.StringIO):
    """A stdout that notes the clock time of every flush, and can claim to be a terminal."""

    def __init__(self, clock: VirtualClock, *, tty: bool = False) -> None:
        super().__init__()
        self.clock = clock
        self.tty = tty
        self.flushes: list[tuple[float, str]] = []
        self._mark = 0

    def isatty(self) -> bool:
        return self.tty

    def flush(self) -> None:
        text = self.getvalue()
        self.flushes.append((self.clock.now(), text[self._mark :]))
        self._mark = len(text)


def run(plan: Plan, *, tty: bool = False, stdin: str = "") -> tuple[int, Recording]:
    clock = VirtualClock(auto=True)
    out = Recording(clock, tty=tty)
    status = run_plain(plan, stdout=out, stdin=io.StringIO(stdin), clock=clock)
    return status, out


def step_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("[")]


def test_one_line_per_step_with_the_session_time() -> None:
    plan = mixed_plan()
    status, out = run(plan)
    assert status == 0
    lines = step_lines(out.getvalue())
    assert lines == [f"[{format_elapsed(s.start)}] {s.describe()}" for s in plan.steps]
    assert lines[1] == "[0:05] Knee to chest - left - hold 30 s (rep 1 of 2)"
    assert lines[-1] == "[2:39] Neck [/ - stretch 20 s"
    for line in lines:
        assert STEP_LINE.fullmatch(line)


def test_each_step_line_is_flushed_the_moment_its_step_starts() -> None:
    plan = mixed_plan()
    _, out = run(plan)
    written = [(t, chunk) for t, chunk in out.flushes if chunk.startswith("[")]
    assert len(written) == len(plan.steps)
    for (t, chunk), step in zip(written, plan.steps, strict=True):
        assert chunk == f"[{format_elapsed(step.start)}] {step.describe()}\n"
        assert t == pytest.approx(step.start, abs=1e-9)


def test_header_and_summary_never_start_with_a_bracket() -> None:
    plan = plan_of(held("[red]x", reps=1), timed("Neck [/"), title="[bold]Evening[/]", quick=True)
    status, out = run(plan)
    assert status == 0
    text = out.getvalue()
    others = [line for line in text.splitlines() if not STEP_LINE.fullmatch(line)]
    assert others, "expected a header and a summary"
    assert not any(line.startswith("[") for line in others)
    assert len(step_lines(text)) == len(plan.steps)
    # Routine text exactly as written: no markup eaten, no escapes added.
    assert "Routine: [bold]Evening[/] (" in text
    assert "[0:00] [red]x - left - get ready 5 s" in text
    assert "Neck [/ - stretch 20 s" in text
    assert "quick: one hold each" in text
    assert "gentle pull, never pain" in text  # the safety note


def test_summary_tells_what_was_done() -> None:
    _, out = run(mixed_plan())
    tail = out.getvalue().splitlines()[-5:]
    assert tail[0] == "Finished: Test routine in 2:59."
    assert tail[1] == "Exercises done: 3 of 3; stretching 2:32."
    assert tail[2].split() == ["done", "Knee", "to", "chest", "2:00"]


def test_stdin_that_is_not_a_terminal_gives_no_keys_and_no_error() -> None:
    plan = plan_of(tempo("Pumps", reps=2))
    status, out = run(plan, stdin="q n b +\n")
    assert status == 0
    assert len(step_lines(out.getvalue())) == len(plan.steps)
    assert "Keys:" not in out.getvalue()
    assert "Finished:" in out.getvalue()


def test_a_frozen_process_does_not_leave_a_plain_run_paused_forever() -> None:
    class FreezingClock(VirtualClock):
        """Freezes for 60 s once, in the middle of the first hold."""

        frozen = False

        async def sleep_until(self, deadline: float) -> None:
            if not self.frozen and self.now() >= 10:
                self.frozen = True
                self._now += 60
            await super().sleep_until(deadline)

    plan = mixed_plan()
    clock = FreezingClock(auto=True)
    out = Recording(clock)
    status = run_plain(plan, stdout=out, stdin=io.StringIO(), clock=clock)
    assert status == 0
    text = out.getvalue()
    assert "Paused: the timer was held up" in text
    assert "Resuming in 3 s: " in text
    assert len(step_lines(text)) == len(plan.steps)
    assert "Finished:" in text


def test_terminal_output_counts_down_on_a_status_line_a_few_times_a_second_at_most() -> None:
    plan = mixed_plan()
    status, out = run(plan, tty=True)
    assert status == 0
    text = out.getvalue()
    assert "\r\x1b[K" in text
    assert text.rindex("\x1b[?25h") > text.rindex("\x1b[?25l")  # the cursor is shown again
    # Step lines are still whole lines, each after a cleared status line.
    clean = [line.split("\r\x1b[K")[-1].replace("\x1b[?25l", "") for line in text.split("\n")]
    assert [line for line in clean if STEP_LINE.fullmatch(line)] == [
        f"[{format_elapsed(s.start)}] {s.describe()}" for s in plan.steps
    ]
    # The countdown shows whole seconds from the deadline: "0:30 left" right at the hold start.
    assert "  0:30 left" in text and "  0:01 left" in text
    per_second: dict[int, int] = {}
    for t, _ in out.flushes:
        per_second[int(t)] = per_second.get(int(t), 0) + 1
    assert max(per_second.values()) <= 8
    assert len(out.flushes) < plan.total * 4


def test_plain_countdown_false_leaves_the_status_line_out_on_a_terminal() -> None:
    # For a screen reader that would read out each redraw: the step lines alone.
    plan = mixed_plan()
    clock = VirtualClock(auto=True)
    out = Recording(clock, tty=True)
    status = run_plain(plan, stdout=out, stdin=io.StringIO(), clock=clock, countdown=False)
    assert status == 0
    text = out.getvalue()
    assert "\r" not in text and " to go" not in text and "\x1b[" not in text
    assert step_lines(text) == [f"[{format_elapsed(s.start)}] {s.describe()}" for s in plan.steps]


def test_broken_stdout_ends_the_session_quietly() -> None:
    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    clock = VirtualClock(auto=True)
    status = run_plain(mixed_plan(), stdout=Gone(), stdin=io.StringIO(), clock=clock)
    assert status == 1
    assert clock.now() < 1


def test_each_get_ready_says_where_to_be_how_to_do_it_its_note_and_cautions(
    tmp_path: Path,
) -> None:
    """A screen-reader user hears the instructions; they are indented, never step lines."""
    (tmp_path / "told.yaml").write_text(
        "title: Told\n"
        "exercises:\n"
        "  - id: reach\n"
        "    name: Reach\n"
        "    how_to: [Stand tall., Reach both arms up.]\n"
        "    position: standing\n"
        "    cautions: [Keep your shoulders down.]\n"
        "sequence:\n"
        "  - exercise: reach\n"
        "    hold: 5s\n"
        "    reps: 1\n"
        "    note: Breathe out as you reach.\n",
        encoding="utf-8",
    )
    plan = compile_plan(load_library([tmp_path], user=False).routines["told"])
    status, out = run(plan)
    assert status == 0
    lines = out.getvalue().splitlines()
    ready = next(i for i, line in enumerate(lines) if "Reach - get ready" in line)
    assert lines[ready + 1 : ready + 6] == [
        "    Move: Stand up.",
        "    1. Stand tall.",
        "    2. Reach both arms up.",
        "    Note: Breathe out as you reach.",
        "    Caution: Keep your shoulders down.",
    ]
    assert lines[ready + 6].startswith("[") and "Reach - hold 5 s" in lines[ready + 6]


@pytest.mark.parametrize("width", [100, 80, 60, 40])
def test_the_keys_line_fits_the_width_breaking_only_between_keys(width: int) -> None:
    from timer_app.views.plain.lines import keys_lines

    lines = keys_lines({"skip": "s,right", "share": "S"}, width)
    assert all(len(line) <= width for line in lines), lines
    assert lines[0].startswith("Keys: ") and all(line.startswith("      ") for line in lines[1:])
    items = " ".join(line.strip() for line in lines).removeprefix("Keys: ").split(", ")
    assert items[:2] == ["space/p pause", "s/\u2192 skip"] and items[-1] == "? keys"
    assert "S share" in items


def test_format_elapsed() -> None:
    # The same clock as the countdown's, rounding down as time counts up.
    assert format_elapsed(0) == "0:00"
    assert format_elapsed(34.9999999) == "0:35"
    assert format_elapsed(35.7) == "0:35"
    assert format_elapsed(3662) == "1:01:02"


# ----------------------------------------------------------------------------- real processes

ROUTINE_YAML = routine_yaml("plain-test")

IN_CODE = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from engine_support import held, plan_of
    from timer_app.views.plain.run import _PlainSession, run_plain
    plan = plan_of(held("Reach [/", seconds=30, reps=3, rest=2, prepare=1, per_side=False))
    sys.exit(run_plain(plan, stdout=sys.stdout, stdin=sys.stdin, count_in=0))
    """
).format(root=str(ROOT), tests=str(ROOT / "tests"))


@pytest.fixture
def command(tmp_path: Path) -> list[str]:
    """The real `stretch run ID --plain` on a routine of its own (silent: no cues wanted)."""
    (tmp_path / "plain-test.yaml").write_text(ROUTINE_YAML, encoding="utf-8")
    return [
        sys.executable,
        "-m",
        "timer_app",
        "--routines",
        str(tmp_path),
        "run",
        "plain-test",
        "--plain",
        "--sound",
        "off",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_a_signal_ends_cleanly_with_the_summary(
    command: list[str], sig: signal.Signals, status: int
) -> None:
    proc = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        before = read_until(proc, "] Reach [/ - hold 30 s")
        proc.send_signal(sig)
        rest, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    text = before + rest.decode()
    assert proc.returncode == status, err.decode()
    assert "Traceback" not in err.decode()
    assert "Stopped" in text and "Reach [/" in text
    assert "cut short Reach [/" in text
    assert not any(line.startswith("[") for line in rest.decode().splitlines())


@pytest.mark.slow
def test_ctrl_z_pauses_and_fg_carries_on() -> None:
    """SIGTSTP pauses before stopping; without keys to resume with, SIGCONT resumes."""
    proc = subprocess.Popen(
        [sys.executable, "-c", IN_CODE],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        read_until(proc, "] Reach [/ - hold 30 s (rep 1 of 3)")
        proc.send_signal(signal.SIGTSTP)
        assert "Paused with 0:30 left." in read_until(proc, "Paused with")
        for _ in range(250):  # wait until it has really stopped itself
            state = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "T":
                break
            time.sleep(0.02)
        assert state == "T"
        time.sleep(0.5)
        proc.send_signal(signal.SIGCONT)
        read_until(proc, "Resumed.")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 143
    assert "Stopped (SIGTERM) after" in out.decode()


@pytest.mark.slow
def test_keys_on_a_terminal_control_the_session_and_the_terminal_is_restored() -> None:
    import pty
    import termios

    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen(
        [sys.executable, "-c", IN_CODE],
        cwd=ROOT,
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        header = read_until(proc, "] Reach [/ - get ready 1 s")
        keys = header[header.index("Keys:") : header.index("] Reach")].splitlines()[:-1]
        # Output to a pipe: lines of 80 columns at most, a key never parted from its action.
        assert len(keys) > 1 and all(len(line) <= 80 for line in keys), keys
        assert "space/p pause" in keys[0] and keys[1].startswith("      ")
        read_until(proc, "] Reach [/ - hold 30 s (rep 1 of 3)")
        # cbreak: single keys, no Enter, while the session runs.
        during = termios.tcgetattr(slave)
        assert not during[3] & termios.ICANON
        os.write(master, b" ")
        read_until(proc, "Paused with")
        os.write(master, b" ")
        read_until(proc, "Resumed.")
        os.write(master, b"+")
        read_until(proc, "s longer")
        # q asks first, as in the app: any key but y goes on, y stops.
        os.write(master, b"q")
        asked = read_until(proc, "any other key to go on.")
        # The pause's line leaves out "press space": the question is the last thing said.
        assert re.search(r"Paused with 0:\d\d left\.\nStop this session\? Press y", asked), asked
        os.write(master, b"n")
        read_until(proc, "Resumed.")
        os.write(master, b"q")
        read_until(proc, "any other key to go on.")
        os.write(master, b"y")
        out, err = proc.communicate(timeout=10)
        after = termios.tcgetattr(slave)
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0, err.decode()
    assert "Stopped (q)" in out.decode()
    assert after == before


@pytest.mark.slow
def test_plain_mode_honours_remapped_keys_and_the_arrow_keys(
    command: list[str], isolated_home: Path
) -> None:
    import pty

    settings = isolated_home / ".config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("count_in: 0\nkeys:\n  pause: x\n  quit: z\n", encoding="utf-8")
    master, slave = pty.openpty()
    proc = subprocess.Popen(command, cwd=ROOT, stdin=slave, stdout=subprocess.PIPE)
    try:
        header = read_until(proc, "] Reach [/ - hold 30 s (rep 1 of 3)")
        assert "x pause" in header and "z quit" in header  # the key line says the new keys
        os.write(master, b" ")  # space no longer pauses: the user moved pause to x
        os.write(master, b"x")
        text = read_until(proc, "to resume.")
        assert text.count("Paused") == 1
        assert "Press x to resume." in text
        os.write(master, b"x")
        read_until(proc, "Resumed.")
        os.write(master, b"\x1b[D")  # left arrow: back, which restarts the exercise
        read_until(proc, "Starting the exercise again.")
        os.write(master, b"\x1bOC")  # right arrow, as sent in application cursor mode: skip
        skipped = read_until(proc, "Skipped the last exercise.")
        out, _ = proc.communicate(timeout=10)
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0
    assert "Finished: Plain [test]" in skipped + out.decode()  # skipping the last one ends it


def test_the_go_on_key_ends_a_get_ready_or_a_rest_and_says_a_stretch_goes_on() -> None:
    clock = VirtualClock(auto=True)
    out = Recording(clock)
    session = _PlainSession(
        plan_of(timed("Reach", prepare=10), rounds=2),
        stdout=out,
        stdin=io.StringIO(""),
        count_in=0,
        clock=clock,
        companions=Companions(sound="off"),
        keys={},
    )
    pressed: set[str] = set()

    def press(event: Event) -> None:
        # The first step of each kind gets the key, "." or its other key ">".
        if isinstance(event, StepStarted) and event.step.kind not in pressed:
            pressed.add(event.step.kind)
            session.on_key("full_stop" if event.step.kind == "prepare" else "greater_than_sign")

    session.engine.add_listener(press)
    try:
        assert asyncio.run(session.main()) == 0
    finally:
        session.restore_terminal()
    text = out.getvalue()
    assert step_lines(text) == [
        "[0:00] Reach - get ready 10 s (round 1 of 2)",
        "[0:00] Reach - stretch 20 s (round 1 of 2)",
        "[0:20] Rest before round 2 of 2 - 30 s",
        "[0:20] Reach - get ready 10 s (round 2 of 2)",  # the second get-ready runs its time
        "[0:30] Reach - stretch 20 s (round 2 of 2)",
    ]
    assert text.count("Nothing to end: this step is a stretch") == 1
    assert "Finished: Test routine in 0:50." in text
    assert "Exercises done: 2 of 2" in text  # each round's exercise is an exercise of its own


# ----------------------------------------------------------------------------- sound


def short_command(tmp_path: Path, *extra: str) -> list[str]:
    (tmp_path / "bell-test.yaml").write_text(SHORT_ROUTINE, encoding="utf-8")
    command = [sys.executable, "-m", "timer_app", "--routines", str(tmp_path)]
    return [*command, "run", "bell-test", "--plain", *extra]


@pytest.mark.slow
@pytest.mark.slow
@pytest.mark.parametrize("choice", ["bell", "auto"])
def test_piped_output_says_no_sound_will_play_when_only_the_bell_was_left(
    tmp_path: Path, choice: str
) -> None:
    # No sound card and no sound server here: the bell would be the fallback, but a pipe has
    # no terminal to ring it on, so the notice must not promise it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA", "PULSE"))}
    env.update(
        PULSE_SERVER="unix:/nonexistent/pulse",
        ALSA_CONFIG_PATH=str(tmp_path / "no-alsa.conf"),  # no device, even where there is one
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        short_command(tmp_path, "--sound", choice),
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [notice] = [line for line in done.stdout.splitlines() if line.startswith("Sound:")]
    assert notice.endswith("no sound will play.")
    assert "bell" not in notice or choice == "bell"


def test_the_bell_never_writes_into_piped_step_lines(tmp_path: Path) -> None:
    done = subprocess.run(
        short_command(tmp_path, "--sound", "bell"),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert b"\a" not in done.stdout
    assert step_lines(done.stdout.decode()) == [
        "[0:00] Reach - get ready 1 s",
        "[0:01] Reach - hold 4 s",
    ]


@pytest.mark.slow
def test_on_a_terminal_the_bell_rings_and_m_mutes_it(tmp_path: Path) -> None:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        short_command(tmp_path, "--sound", "bell"),
        cwd=ROOT,
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    seen = b""

    def read_until(pattern: bytes, bells: int = 0, timeout: float = 15) -> None:
        nonlocal seen
        end = time.monotonic() + timeout
        while pattern not in seen or seen.count(b"\a") < bells:
            ready, _, _ = select.select([master], [], [], max(0.0, end - time.monotonic()))
            assert ready, f"no {pattern!r} with {bells} bells in {seen!r}"
            seen += os.read(master, 4096)

    try:
        # Get ready, then hold. The step line and its bell come from two listeners, so the
        # bell may follow the line: wait for both.
        read_until(b"Reach - hold 4 s", bells=2)
        os.write(master, b"m")
        read_until(b"Sound off.")
        muted_at = len(seen)
        read_until(b"Finished: Bell test")
        proc.wait(timeout=10)
    finally:
        proc.kill()
        os.close(master)
    assert proc.returncode == 0
    assert b"\a" not in seen[muted_at:]


async def test_the_summary_tells_skipped_from_not_reached_in_aligned_rows() -> None:
    from engine_support import Session, mixed_plan
    from timer_app.views.plain.lines import summary_lines

    session = await Session(mixed_plan()).start()
    await session.at(50)
    await session.act(session.engine.stop)
    finished = await session.finish()
    head, _, *rows = summary_lines(session.engine.plan, finished, "q")
    assert head.startswith("Stopped (q) after 0:50")
    outcomes = finished.outcomes
    names = [row.index(outcome.exercise.name) for row, outcome in zip(rows, outcomes, strict=True)]
    assert len(set(names)) == 1  # the names start in one column
    assert [row[: names[0]].strip() for row in rows] == ["cut short", "not reached", "not reached"]


def test_a_held_skip_says_which_exercise_and_how_to_skip_it() -> None:
    from engine_support import mixed_plan
    from timer_app.session.events import SkipHeld
    from timer_app.session.words import event_line

    step = next(s for s in mixed_plan().steps if s.exercise.name == "Ankle pumps")
    held = SkipHeld(at=140.4, step=step)
    assert event_line(held, pause_key="space", skip_key="n") == (
        "Already on Ankle pumps: press n again to skip it."
    )
    # On the shared page there is no key: its button says Skip.
    assert event_line(held, pause_key=None) == "Already on Ankle pumps: Skip again to skip it."


async def test_a_hold_cut_short_never_reads_as_its_whole_length() -> None:
    from engine_support import Session, held, plan_of
    from timer_app.views.plain.lines import summary_lines

    # One 30 s hold, stopped 29.6 s in: rounded to the nearest second it would be "0:30 of
    # 0:30" beside "cut short" and "Exercises done: 0 of 1".
    session = await Session(plan_of(held("Chin to chest", reps=1, per_side=False))).start()
    await session.at(5 + 29.6)
    await session.act(session.engine.stop)
    finished = await session.finish()
    lines = summary_lines(session.engine.plan, finished, "q")
    assert lines[1].startswith("Exercises done: 0 of 1; stretching 0:30")
    assert lines[2].split() == ["cut", "short", "Chin", "to", "chest", "0:29", "of", "0:30"]


def test_doctor_jos_routine_says_each_change_of_position_before_it_and_how_to_stretch() -> None:
    plan = compile_plan(load_library([], user=False).routines["doctor-jo-5-minute"])
    status, out = run(plan)
    assert status == 0
    lines = out.getvalue().splitlines()

    def after(step_text: str) -> list[str]:
        at = next(i for i, line in enumerate(lines) if step_text in line)
        details = []
        for line in lines[at + 1 :]:
            if not line.startswith("    "):
                break
            details.append(line.strip())
        return details

    seated = after("] Seated QL stretch - left - get ready")
    assert seated[0] == "Move: Sit up on the edge of the bed, couch or a chair."
    assert seated[1].startswith("1. ")
    childs = after("] Child's pose (prayer stretch) - get ready")
    assert childs[0] == "Move: Get down onto your hands and knees."
    # Every get-ready says how to do the exercise, in numbered steps.
    for line in lines:
        if line.startswith("[") and " - get ready " in line:
            assert any(detail.startswith("1. ") for detail in after(line))


@pytest.mark.parametrize(
    ("pause", "said"), [(0.3, None), (0.6, "paused 0:01"), (61.4, "paused 1:01")]
)
async def test_the_summary_names_a_pause_only_when_it_lasted_a_second(
    pause: float, said: str | None
) -> None:
    from engine_support import Session, mixed_plan
    from timer_app.views.plain.lines import summary_lines

    session = await Session(mixed_plan(), count_in=0).start()
    await session.at(5)
    await session.act(session.engine.pause)
    await session.wait(pause)
    await session.act(session.engine.resume)
    finished = await session.finish()
    head = summary_lines(session.engine.plan, finished, None)[0]
    if said is None:
        assert "paused" not in head, head  # never "(paused 0:00)"
    else:
        assert f"({said})." in head, head


async def test_a_shortened_step_is_said_in_whole_seconds_as_is_the_summary() -> None:
    from engine_support import Session
    from timer_app.session.events import Extended, Finished
    from timer_app.session.words import event_line, summary_head

    session = await Session(
        plan_of(held("Reach", seconds=30, reps=1, prepare=5, per_side=False))
    ).start()
    await session.at(5 + 25.0012)  # 4.9988 s left: -10 s leaves the last second
    await session.act(session.engine.shorten)
    await session.act(session.engine.shorten)  # nothing more to take: refused
    finished = await session.finish()
    shortened = session.recorder.of(Extended)
    assert len(shortened) == 1 and shortened[0].by == pytest.approx(-3.9988)
    assert event_line(shortened[0], pause_key=None) == "This step is 4 s shorter: 0:01 left."
    assert isinstance(finished, Finished)
    assert summary_head(session.plan, finished, None)[0] == (
        "Finished: Test routine in 0:31 (-4 s shortened)."
    )
