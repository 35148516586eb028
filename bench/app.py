"""Benchmark of the full-screen app in a real terminal (tmux): start-up, CPU and memory.

Prints figures, asserts nothing. Needs tmux. Usage:

    python bench/app.py [--seconds 60] [--runs 5]

- first frame: launch `stretch` in a fresh tmux pane and poll the pane until the picker is
  drawn (the poll itself adds a few milliseconds; the figure is an upper bound);
- session: run `stretch run neck-stretches` for --seconds and read the process's CPU time
  and peak resident memory (VmHWM) from /proc;
- picker then session: start `stretch`, press Enter on the first routine, and read the peak
  resident memory once the session has run for a while (the picker stays underneath);
- both memory figures again with sound off, to show what the sound system costs here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRETCH = Path(sys.executable).parent / "stretch"
SESSION = "stretch-bench"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def start(command: str, home: Path) -> float:
    # XDG_RUNTIME_DIR is kept: it is where a sound server (PulseAudio, PipeWire) is found.
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    env = (
        f"env HOME={home} XDG_CONFIG_HOME={home}/config XDG_DATA_HOME={home}/data "
        f"TERM=xterm-256color {f'XDG_RUNTIME_DIR={runtime} ' if runtime else ''}"
    )
    tmux("kill-session", "-t", SESSION)
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", f"exec {env}{command}")
    return started


def wait_for(*texts: str, timeout: float = 10.0) -> float:
    """Poll the pane until any of `texts` is on it; return when it was seen."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        screen = tmux("capture-pane", "-p", "-t", SESSION)
        if any(text in screen for text in texts):
            return time.perf_counter()
        time.sleep(0.002)
    screen = tmux("capture-pane", "-p", "-t", SESSION)
    raise SystemExit(f"{texts} did not appear within {timeout} s:\n{screen}")


def pane_pid() -> int:
    return int(tmux("list-panes", "-t", SESSION, "-F", "#{pane_pid}").split()[0])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="session length to measure")
    parser.add_argument("--runs", type=int, default=5, help="start-ups to time")
    parser.add_argument(
        "--sound", default="auto", help="--sound for the session (default auto, as users get)"
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed: apt install tmux")
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "data" / "stretch-timer").mkdir(parents=True)
        # Acknowledge the safety note beforehand, so the picker is the first thing drawn.
        (home / "data" / "stretch-timer" / "safety-acknowledged").write_text("bench\n")

        first_frames, pickers = [], []
        for _ in range(args.runs):
            started = start(str(STRETCH), home)
            first_frames.append((wait_for("loading routines", "Type to filter") - started) * 1000)
            pickers.append((wait_for("Type to filter") - started) * 1000)
            tmux("kill-session", "-t", SESSION)
            time.sleep(0.3)
        for name, figures in (("first frame", first_frames), ("picker ready", pickers)):
            print(
                f"{name}: median {statistics.median(figures):.0f} ms, min {min(figures):.0f} ms, "
                f"max {max(figures):.0f} ms ({args.runs} runs, tmux 80x24)"
            )

        start(f"{STRETCH} run neck-stretches --sound {args.sound}", home)
        wait_for("GET READY")
        pid = pane_pid()
        time.sleep(1.0)  # start-up cost is measured above; measure the steady session
        cpu_before = cpu_seconds(pid)
        time.sleep(args.seconds)
        cpu_used = cpu_seconds(pid) - cpu_before
        rss = peak_rss_mib(pid)
        screen = tmux("capture-pane", "-p", "-t", SESSION)
        tmux("kill-session", "-t", SESSION)
        per_minute = cpu_used / args.seconds * 60
        print(
            f"session (--sound {args.sound}): {per_minute:.3f} CPU s per minute"
            f" over {args.seconds:.0f} s"
        )
        print(f"session (--sound {args.sound}): peak RSS {rss:.1f} MiB")
        print(f"session (--sound off): peak RSS {session_rss(home, 'off'):.1f} MiB")
        for sound in (args.sound, "off"):
            rss = picker_rss(home, sound)
            print(f"picker, then a session (sound {sound}): peak RSS {rss:.1f} MiB")
        print("last screen of the measured session:")
        print(screen.rstrip())


def session_rss(home: Path, sound: str) -> float:
    """Peak RSS of `stretch run` after a few seconds of session."""
    start(f"{STRETCH} run neck-stretches --sound {sound}", home)
    wait_for("GET READY")
    pid = pane_pid()
    time.sleep(5.0)
    rss = peak_rss_mib(pid)
    tmux("kill-session", "-t", SESSION)
    return rss


def picker_rss(home: Path, sound: str) -> float:
    """Peak RSS of the usual way in: the picker, Enter, a few seconds of session."""
    settings = home / "config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f"sound: {sound}\n", encoding="utf-8")
    try:
        start(str(STRETCH), home)
        wait_for("Type to filter")
        time.sleep(1.0)
        tmux("send-keys", "-t", SESSION, "Enter")
        wait_for("GET READY")
        pid = pane_pid()
        time.sleep(5.0)
        rss = peak_rss_mib(pid)
        tmux("kill-session", "-t", SESSION)
    finally:
        settings.unlink()
    return rss


if __name__ == "__main__":
    main()
