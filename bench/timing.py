"""Measures real-time accuracy and cost of plain mode: `python bench/timing.py [--seconds 60]`.

Runs `python -m timer_app --routines TMPDIR run ID --plain` on a generated routine of short tempo
steps (1 s on, 1 s off), timestamps every step line as it arrives on the pipe, and compares the
arrivals with the plan from `show ID --json`. Prints: time to the first step line, lateness of
the step lines (p50/p99/max, against the plan, relative to the first line), end drift, CPU
seconds per minute of the child (whole run, and steady state after the first line), peak RSS.

Targets: p99 late <= 3 ms, no drift, <= 0.1 CPU s/min, first line <= 150 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTINE_ID = "bench-tempo"
STEP_LINE = re.compile(rb"^\[(?:\d+:)?\d+:\d\d\] ")
SUMMARY_LINE = re.compile(rb"^(Finished|Stopped)\b")
STEADY_AFTER = 5.0
"""Seconds after the first step line from which CPU counts as steady."""
ENTRY_SECONDS = 21.0  # 1 s prepare + 10 reps of 1 s on, 1 s off


@dataclass
class Run:
    launched: float
    first_output: float | None
    """When the first line of any kind (the header) arrived."""
    arrivals: list[float]
    """Monotonic time each step line arrived."""
    finished_at: float | None
    """When the summary's first line arrived."""
    exit_status: int
    cpu_total: float
    cpu_steady: float | None
    steady_span: float | None
    peak_rss_kib: int | None
    output: str


def tempo_keys() -> tuple[str, str]:
    """The tempo field names the routine format uses (`pressure_on` or plain `on`)."""
    sys.path.insert(0, str(ROOT))
    try:
        from timer_app.routines.format import TEMPO

        names = {field.name for field in TEMPO.fields}
    except (ImportError, AttributeError):
        names = set()
    finally:
        sys.path.pop(0)
    if {"pressure_on", "pressure_off"} <= names:
        return "pressure_on", "pressure_off"
    return '"on"', '"off"'  # quoted: bare on/off are booleans to YAML 1.1


def write_routine(folder: Path, seconds: float) -> None:
    entries = max(1, math.ceil(seconds / ENTRY_SECONDS))
    on, off = tempo_keys()
    lines = [
        f"id: {ROUTINE_ID}",
        "title: Timing benchmark",
        "exercises:",
        "  - id: pumps",
        "    name: Ankle pumps",
        "    how_to: Point and flex the foot.",
        "    position: seated",
        "sequence:",
    ]
    for _ in range(entries):
        lines += [
            "  - exercise: pumps",
            f"    tempo: {{{on}: 1s, {off}: 1s}}",
            "    reps: 10",
            "    prepare: 1s",
        ]
    (folder / f"{ROUTINE_ID}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def cli(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "timer_app", "--routines", str(folder), *args]


DIRECT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from timer_app.routines.library import load_library
    from timer_app.core.plan import compile_plan
    folder, routine_id, what = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    plan = compile_plan(load_library([folder], user=False).find(routine_id))
    if what == "show":
        steps = [{"start_s": s.start, "duration_s": s.duration} for s in plan.steps]
        json.dump({"id": routine_id, "total_s": plan.total, "steps": steps}, sys.stdout)
    else:
        from timer_app.views.plain.run import run_plain
        sys.exit(run_plain(plan, stdout=sys.stdout, stdin=sys.stdin))
    """
)


def commands(folder: Path, direct: bool) -> tuple[list[str], list[str]]:
    if direct:
        base = [sys.executable, "-c", DIRECT, str(folder), ROUTINE_ID]
        return [*base, "show"], [*base, "run"]
    return cli(folder, "show", ROUTINE_ID, "--json"), cli(folder, "run", ROUTINE_ID, "--plain")


def plan_offsets(show: list[str]) -> tuple[list[float], float]:
    done = subprocess.run(show, cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"`{' '.join(show)}` failed:\n{done.stderr.decode()}")
    data = json.loads(done.stdout)
    return [float(step["start_s"]) for step in data["steps"]], float(data["total_s"])


def proc_cpu(pid: int) -> float | None:
    """CPU seconds of a live process, all its threads, from /proc (Linux).

    schedstat counts nanoseconds; /proc/PID/stat counts 10 ms ticks, too coarse for a process
    that uses a few hundredths of a second a minute.
    """
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
        return (
            sum(int(Path(f"/proc/{pid}/task/{t}/schedstat").read_text().split()[0]) for t in tasks)
            / 1e9
        )
    except (OSError, ValueError, IndexError):
        return None


def proc_peak_rss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_session(command: list[str], steps: int) -> Run:
    cpu_before = children_cpu()
    launched = time.monotonic()
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    arrivals: list[float] = []
    first_output: float | None = None
    finished_at: float | None = None
    cpu_first = cpu_last = None
    peak = None
    steady_from = steady_to = None
    pending = b""
    output = bytearray()
    while True:
        select.select([fd], [], [])
        chunk = os.read(fd, 65536)
        now = time.monotonic()
        if not chunk:
            break
        output += chunk
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if first_output is None:
                first_output = now
            if STEP_LINE.match(line):
                arrivals.append(now)
                if steady_from is None and now - arrivals[0] >= STEADY_AFTER:
                    # Steady state: start-up work (the audio device opening in a thread, the
                    # history file's first write) is over by now.
                    cpu_first, steady_from = proc_cpu(proc.pid), now
                if len(arrivals) == steps:
                    # Still alive: read its figures before it exits.
                    cpu_last, steady_to = proc_cpu(proc.pid), now
                    peak = proc_peak_rss(proc.pid)
            elif finished_at is None and SUMMARY_LINE.match(line):
                # Not any later line: notices (say, about the sound device) come and go.
                finished_at = now
    status = proc.wait()
    cpu_total = children_cpu() - cpu_before
    steady = None if cpu_first is None or cpu_last is None else cpu_last - cpu_first
    span = None if steady_from is None or steady_to is None else steady_to - steady_from
    if peak is None:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Run(
        launched,
        first_output,
        arrivals,
        finished_at,
        status,
        cpu_total,
        steady,
        span,
        peak,
        output.decode(errors="replace"),
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def report(run: Run, starts: list[float], total: float) -> bool:
    if len(run.arrivals) != len(starts):
        print(f"expected {len(starts)} step lines, got {len(run.arrivals)}; output:")
        print(run.output)
        return False
    first = run.arrivals[0] - run.launched
    origin = run.arrivals[0]
    # Against the plan, measured from the first line: the child's own session start.
    late = [(t - origin) - start for t, start in zip(run.arrivals, starts, strict=True)][1:]
    late_ms = [x * 1000 for x in late] or [0.0]
    minutes = (time.monotonic() - run.launched) / 60
    end_drift = None if run.finished_at is None else (run.finished_at - origin) - total
    ok = True

    def line(label: str, value: str, target: str = "", good: bool = True) -> None:
        nonlocal ok
        ok = ok and good
        mark = "" if not target else ("  ok" if good else "  MISSED")
        print(f"{label:<28}{value:>14}   {target}{mark}")

    print(f"session: {total:g} s planned, {len(starts)} steps, exit status {run.exit_status}")
    line("first step line", f"{first * 1000:.1f} ms", "<= 150 ms", first <= 0.150)
    if run.first_output is not None:
        header = run.first_output - run.launched
        line("  of which: to the header", f"{header * 1000:.1f} ms")
        line("  of which: header to step", f"{(first - header) * 1000:.1f} ms")
    line("late p50", f"{statistics.median(late_ms):.2f} ms")
    line(
        "late p99", f"{percentile(late_ms, 0.99):.2f} ms", "<= 3 ms", percentile(late_ms, 0.99) <= 3
    )
    line("late max", f"{max(late_ms):.2f} ms")
    # Lateness is measured from the first line's arrival, which has its own jitter: a line may
    # look that much early. Half a millisecond of it is allowed.
    line(
        "early max (negative = early)",
        f"{min(late_ms):.2f} ms",
        ">= -0.5 ms (vs the 1st line)",
        min(late_ms) >= -0.5,
    )
    line("drift, last step line", f"{late_ms[-1]:.2f} ms", "<= 3 ms", abs(late_ms[-1]) <= 3)
    if end_drift is not None:
        line(
            "drift, end of session",
            f"{end_drift * 1000:.2f} ms",
            "<= 3 ms",
            abs(end_drift) <= 0.003,
        )
    per_minute = run.cpu_total / minutes
    line("CPU s/min, whole run", f"{per_minute:.3f}", "<= 0.1 (incl. start-up)", per_minute <= 0.1)
    if run.cpu_steady is not None and run.steady_span:
        steady = run.cpu_steady / (run.steady_span / 60)
        line("CPU s/min, steady", f"{steady:.3f}", "<= 0.1", steady <= 0.1)
    line("CPU s, whole run", f"{run.cpu_total:.3f}")
    if run.peak_rss_kib is not None:
        line("peak RSS", f"{run.peak_rss_kib / 1024:.1f} MiB")
    line("exit status", str(run.exit_status), "0", run.exit_status == 0)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=60.0,
        help="length of the session, at least 60 (default 60)",
    )
    parser.add_argument(
        "--sound", default="auto", help="--sound for the session (default auto, as users get)"
    )
    parser.add_argument(
        "--direct",
        action="store_true",
        help="call run_plain through `python -c` instead of the CLI",
    )
    args = parser.parse_args()
    seconds = max(60.0, args.seconds)
    with tempfile.TemporaryDirectory(prefix="stretch-bench-") as tmp:
        folder = Path(tmp)
        # A home of its own: the runs must not land in the person's history, nor read their
        # settings (a --sound or prepare of theirs would change what is measured).
        home = folder / "home"
        os.environ.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
        )
        write_routine(folder, seconds)
        show, run_command = commands(folder, args.direct)
        if not args.direct:
            run_command += ["--sound", args.sound]
        starts, total = plan_offsets(show)
        print("running:", " ".join(run_command if not args.direct else ["python -c <run_plain>"]))
        run = run_session(run_command, len(starts))
    return 0 if report(run, starts, total) else 1


if __name__ == "__main__":
    sys.exit(main())
