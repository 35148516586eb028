"""Measures `stretch export ID --audio FILE`: `python bench/export.py [ROUTINE]`.

Exports a routine (default doctor-jo-5-minute) in every format, with the installed speech
engine if there is one, and prints for each: the file's duration, the wall time of the export
and how many times faster than real time that is, the file's size and its average bit rate;
then the share of the time each phase took (speaking the prompts, placing the sounds on the
timeline, encoding). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from timer_app.core.plan import compile_plan
from timer_app.export.audio import default_cues, default_voice, export_audio
from timer_app.export.formats import FORMATS
from timer_app.routines.cache import cached_library


class Phases:
    """The `progress` callback: wall seconds spent in each phase the exporter names."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._since = time.perf_counter()
        self._phase = ""

    def __call__(self, what: str, done: float) -> None:
        now = time.perf_counter()
        if self._phase:
            self.seconds[self._phase] = self.seconds.get(self._phase, 0.0) + now - self._since
        self._since, self._phase = now, what


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("routine", nargs="?", default="doctor-jo-5-minute")
    args = parser.parse_args()
    routine = cached_library([]).find(args.routine)
    plan = compile_plan(routine)
    cues = default_cues(lambda notice: print(f"note: {notice}"))
    voice = default_voice()
    print(f"{routine.id}: plan {plan.total:.0f} s, voice: {voice.name if voice else 'none'}")
    print(f"{'format':<11} {'duration':>9} {'wall':>7} {'x real':>7} {'size':>10} {'kbit/s':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for suffix, fmt in FORMATS.items():
            phases = Phases()
            target = Path(folder) / f"session{suffix}"
            started = time.perf_counter()
            exported = export_audio(
                plan, target, cues=cues, voice=voice, title=routine.title, progress=phases
            )
            wall = time.perf_counter() - started
            size = target.stat().st_size
            duration = exported.duration
            print(
                f"{fmt.name:<11} {duration:8.2f}s {wall:6.2f}s {duration / wall:6.0f}x"
                f" {size / 1e6:8.2f}MB {size * 8 / duration / 1000:7.1f}"
            )
            print("            " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.seconds.items()))


if __name__ == "__main__":
    main()
