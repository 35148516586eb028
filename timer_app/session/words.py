"""Provides the words a session is shown in, whichever view or device shows it.

Pure functions of the plan, a step and the engine's events: plain mode prints them, the app's
session screen shows them and the shared page (`timer_app.share`) gets them ready-made, so a
phone says exactly what the terminal says.
"""

from __future__ import annotations

from timer_app.core.durations import count_in_number, format_clock, format_elapsed, round_half_up
from timer_app.core.plan import Plan, Step
from timer_app.session.events import (
    ClockJumped,
    Event,
    Extended,
    Finished,
    Paused,
    Resumed,
    SkipHeld,
    Skipped,
    StepStarted,
    WentBack,
)

__all__ = [
    "STATUS_WORDS",
    "change_span",
    "event_line",
    "exercise_count",
    "next_text",
    "part_span",
    "paused_span",
    "resuming_text",
    "skip_held_text",
    "span",
    "summary_head",
    "summary_lines",
    "summary_rows",
]


def event_line(event: Event, *, pause_key: str | None, skip_key: str | None = None) -> str | None:
    """The line for one event: a step line, a short notice, or None for events not said.

    `pause_key`, `skip_key`: the keys that resume and skip, when there is a keyboard to press
    them on.
    """
    if isinstance(event, StepStarted):
        return f"[{format_elapsed(event.at)}] {event.step.describe()}"
    if isinstance(event, ClockJumped):
        return (
            f"Paused: the timer was held up for {round_half_up(event.late_by)} s past the end"
            " of a step, so this step starts again."
        )
    if isinstance(event, Paused):
        resume = f" Press {pause_key} to resume." if pause_key else ""
        return f"Paused with {format_clock(event.remaining)} left.{resume}"
    if isinstance(event, Resumed):
        if event.count_in > 0:
            return f"Resuming in {event.count_in:g} s: {event.step.phase_and_side()}."
        return "Resumed."
    if isinstance(event, Skipped):
        if event.to_entry is not None:
            return "Skipped to the next exercise."
        return "Skipped the last exercise."
    if isinstance(event, SkipHeld):
        return skip_held_text(event.step, skip_key)
    if isinstance(event, WentBack):
        return (
            "Starting the exercise again." if event.restarted else "Back to the previous exercise."
        )
    if isinstance(event, Extended):
        verb = "longer" if event.by > 0 else "shorter"
        return f"This step is {change_span(event.by)} {verb}: {format_clock(event.remaining)} left."
    return None


def skip_held_text(step: Step, skip_key: str | None) -> str:
    """Why a skip just after an exercise began by itself did nothing, and how to skip it."""
    again = f"press {skip_key} again" if skip_key else "Skip again"
    return f"Already on {step.exercise.name}: {again} to skip it."


def change_span(seconds: float) -> str:
    """How much longer or shorter, in whole seconds, sign left out: `10 s`, `5 s`.

    A step is shortened only as far as a second before its end, so a change is often a
    fraction (4.99879); the person is told it to the second.
    """
    whole = round_half_up(abs(seconds))
    return f"{whole} s" if whole >= 1 else "under a second"


def next_text(plan: Plan, step: Step) -> str:
    """What comes after `step`: `Next: Knee to chest`, `Next: switch to the right side`,
    `Next: rest 10 s`, or in tempo work the next exercise (`Then: Bridge`)."""
    later = plan.steps[step.index + 1 :]
    if not later:
        return "Next: finish"
    upcoming = later[0]
    if upcoming.entry != step.entry:
        return f"Next: {upcoming.exercise.name}"
    if upcoming.kind == "switch" or (upcoming.side and upcoming.side != step.side):
        return f"Next: switch to the {upcoming.side} side"
    if upcoming.kind in ("on", "off") and step.kind in ("on", "off", "hold"):
        following = next((s for s in later if s.entry != step.entry), None)
        return f"Then: {following.exercise.name}" if following else "Then: finish"
    return f"Next: {upcoming.phase.lower()} {upcoming.duration:g} s"


def exercise_count(plan: Plan, step: Step) -> str:
    """Where the step is in the session: `exercise 2 of 5`, or with rounds
    `round 2 of 3 · exercise 2 of 5`, counting the exercises of one round."""
    per_round = plan.per_round
    count = f"exercise {step.entry % per_round + 1} of {per_round}"
    return f"{step.round_text()} \u00b7 {count}" if plan.rounds > 1 else count


def span(seconds: float) -> str:
    """A time in a summary, to the nearest second, a half up (format_clock rounds up, as
    countdowns must)."""
    return format_clock(round_half_up(seconds))


def part_span(done: float, planned: float) -> str:
    """How much of a step or exercise cut short was done, `0:29 of 0:30`: never rounded up
    to the whole of it, which would read as done beside the words "cut short"."""
    whole = round_half_up(done)
    planned_whole = round_half_up(planned)
    if done < planned and planned_whole >= 1:
        whole = min(whole, planned_whole - 1)
    return f"{format_clock(whole)} of {format_clock(planned_whole)}"


def paused_span(seconds: float) -> str | None:
    """The time a session was paused, as a summary says it, or None when it rounds to no
    time at all (a tap on pause and on resume at once): `paused 0:00` would read as a fault."""
    return span(seconds) if round_half_up(seconds) >= 1 else None


def summary_lines(plan: Plan, finished: Finished | None, stopped_for: str | None) -> list[str]:
    """The summary: how the session ended, then one aligned row per exercise."""
    lines = summary_head(plan, finished, stopped_for)
    rows = summary_rows(finished) if finished is not None else []
    width = max((len(name) for _, name, _ in rows), default=0)
    word_width = max((len(word) for word, _, _ in rows), default=0)
    for word, name, time_text in rows:
        row = f"  {word:<{max(8, word_width)}} {name:<{width}}  {time_text}"
        lines.append(row.rstrip())
    return lines


def summary_head(plan: Plan, finished: Finished | None, stopped_for: str | None) -> list[str]:
    """The summary's first lines: how the session ended and what was done."""
    title = plan.routine.title
    if finished is None:
        return [f"Stopped: {title}."]
    if not finished.began:
        why = f" ({stopped_for})" if stopped_for else ""
        return [f"Stopped{why} before it started: {title}."]
    time = span(finished.elapsed)
    if finished.completed:
        head = f"Finished: {title} in {time}"
    else:
        why = f" ({stopped_for})" if stopped_for else ""
        head = f"Stopped{why} after {time}: {title}"
    extras = []
    paused = paused_span(finished.paused)
    if paused is not None:
        extras.append(f"paused {paused}")
    if finished.extended:
        how = "extended" if finished.extended > 0 else "shortened"
        sign = "+" if finished.extended > 0 else "-"
        extras.append(f"{sign}{change_span(finished.extended)} {how}")
    done = sum(1 for outcome in finished.outcomes if outcome.status == "done")
    return [
        head + (f" ({', '.join(extras)})" if extras else "") + ".",
        f"Exercises done: {done} of {len(finished.outcomes)}; stretching {span(finished.active)}.",
    ]


STATUS_WORDS = {
    "done": "done",
    "partial": "cut short",
    "skipped": "skipped",
    "not-reached": "not reached",
}
"""What became of an exercise, as every summary words it (the app's, plain mode's, the
shared page's)."""


def summary_rows(finished: Finished) -> list[tuple[str, str, str]]:
    """The summary's rows as (what became of the exercise, its name, its time): the shared
    page lays them out in columns of its own, where spaces would not line up. None for a
    session that never began: every row would say "not reached"."""
    if not finished.began:
        return []
    rows = []
    for outcome in finished.outcomes:
        time_text = span(outcome.active)
        if outcome.status == "partial":
            time_text = part_span(outcome.active, outcome.planned_active)
        elif outcome.status in ("skipped", "not-reached"):
            time_text = ""
        rows.append((STATUS_WORDS[outcome.status], outcome.exercise.name, time_text))
    return rows


def resuming_text(step: Step, count_in_left: float) -> str:
    """Said under the countdown while a resume counts in: `Resuming in 3: hold, left side`."""
    return f"Resuming in {count_in_number(count_in_left)}: {step.phase_and_side()}"
