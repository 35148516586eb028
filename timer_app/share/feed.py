"""Provides `PageFeed`: what the shared page is told, as plain data, from the engine's events.

Pure (no web library): each message is a dict ready for JSON. It carries the whole state of
the session (so a page that reconnects is caught up by the next message alone), the words
ready-made from the same helpers the terminal uses (so the page never words anything itself),
the deadlines on the engine's clock (the page counts down from them, never by counting ticks),
and the cues and prompt the event calls for, by the same rules as the terminal's sound.
"""

from __future__ import annotations

from typing import Any

from timer_app.config.safety import NOT_ADVICE, SAFETY_NOTE
from timer_app.core.controls import BY_ID, EXTEND_SECONDS, RESUME_LABEL
from timer_app.core.plan import Plan, Step
from timer_app.core.steps import KINDS
from timer_app.session.cues import CUES, cue_for_event, cue_for_step
from timer_app.session.engine import Engine
from timer_app.session.events import (
    CountIn,
    Cue,
    Event,
    ExerciseEnded,
    Finished,
    Paused,
    Resumed,
    SessionStarted,
    Skipped,
    StepEnded,
    StepStarted,
    WentBack,
)
from timer_app.session.prompts import FINISHED, prompt_for
from timer_app.session.words import (
    event_line,
    exercise_count,
    next_text,
    resuming_text,
    summary_head,
    summary_rows,
)
from timer_app.share.figure import page_figure
from timer_app.share.words import START_LABEL, WAITING_PAGE

__all__ = ["PAGE_ACTIONS", "PAGE_CONTROLS", "PageFeed"]

PAGE_CONTROLS = ("pause", "skip", "back", "extend")
"""The controls the page offers, by their id in `core.controls`; a request names one."""
PAGE_ACTIONS = (*PAGE_CONTROLS, "start")
"""What a control request may name: a control, or `start` for a session waiting to start."""

Message = dict[str, Any]


class PageFeed:
    """Turns one session's events into the messages its followers get."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.plan: Plan = engine.plan
        self._line = ""
        """The last step line, as plain mode printed it (`[0:35] Reach - hold 30 s`)."""
        self._notice = ""
        self._notice_stays = False
        """The notice is about the step starting next ("Skipped to the next exercise."): kept
        through that step, so the tap that asked for it is answered on the page."""
        self._summary: list[str] = []
        self._summary_rows: list[tuple[str, str, str]] = []

    def message(self, event: Event | None = None) -> Message | None:
        """The message for `event` (None: the state as it is, for a page that just connected),
        or None when the event changes nothing a follower sees or hears."""
        cues: list[str] = []
        say = None
        if isinstance(event, SessionStarted | StepEnded | ExerciseEnded):
            return None
        if self.engine.state == "finished" and not isinstance(event, Finished | None):
            # Events reach this listener a moment after they happen: one from just before the
            # end (a resume, then Stop at once) would tell the page the session is over with
            # no summary yet, and the page stops listening before the summary comes.
            return None
        if isinstance(event, StepStarted):
            self._line = event_line(event, pause_key=None) or ""
            if not self._notice_stays:
                self._notice = ""
            self._notice_stays = False
            if event.after_done:
                cues.append("exercise-done")
            cues.append(cue_for_step(event.step))
            say, _ = prompt_for(event.step, event.new_exercise, self.plan)
        elif event is not None:
            line = event_line(event, pause_key=None)
            if isinstance(event, Resumed) and event.count_in > 0:
                # The page counts the resume in under the countdown ("Resuming in 3: hold"),
                # as the app does: the line would say it twice, then stay on, out of date.
                line = ""
            if line is not None:
                self._notice = line
                self._notice_stays = isinstance(event, Skipped | WentBack)
            cue = cue_for_event(event)
            if cue is not None:
                cues.append(cue)
            if isinstance(event, Finished):
                self._notice = ""  # the summary says how it ended
                self._summary = summary_head(self.plan, event, None)
                self._summary_rows = summary_rows(event)
                if event.completed:
                    say = FINISHED
        message = self.state()
        message["cues"] = cues
        message["say"] = say
        # Ticks and "go" mean something only at their moment: the page drops them if late.
        message["cueAt"] = self._clock_time(event) if isinstance(event, Cue | CountIn) else None
        if isinstance(event, Paused):
            message["say"] = None
        return message

    def _clock_time(self, event: Event) -> float:
        return self.engine.clock.now() - self.engine.elapsed() + event.at

    def state(self) -> Message:
        """Everything the page shows, as of now."""
        engine = self.engine
        step = engine.step
        state = engine.state
        clock_now = engine.clock.now()
        count_in_end = clock_now + engine.count_in_remaining() if state == "counting-in" else None
        message: Message = {
            "type": "state",
            "routine": self.plan.routine.title,
            # As the app's first-use dialog says it.
            "safety": [*SAFETY_NOTE.splitlines(), NOT_ADVICE],
            "state": state,
            # Waiting for its person to start (`--share`): the page offers Start.
            "waiting": engine.waiting,
            "deadline": engine.deadline if state == "running" else None,
            "countInEnd": count_in_end,
            "remaining": engine.remaining(),
            "later": self._later(step),
            "total": self.plan.total,
            "line": self._line,
            "notice": WAITING_PAGE if engine.waiting else self._notice,
            "summary": self._summary,
            # The session is over and this is its summary: the page stops listening.
            "final": bool(self._summary),
            "summaryRows": self._summary_rows,
            # The buttons say what the app's buttons and key bar say.
            "labels": {
                **{cid: BY_ID[cid].label for cid in PAGE_CONTROLS},
                "resume": RESUME_LABEL,
                "start": START_LABEL,
                "left": "left",
                "exercise": "exercise",
                "session": "session",
            },
            "cueNames": list(CUES),
            "extend": EXTEND_SECONDS,
        }
        if step is None:
            first = self.plan.steps[0] if self.plan.steps and state == "idle" else None
            message["texts"] = self._texts(first, state) if first else None
            message["figure"] = None
            if first is not None:
                message["remaining"] = first.duration
                message["later"] = self._later(first)  # the session's time left: its total
                message["figure"] = page_figure(self.plan, first, first.duration)
            return message
        message["texts"] = self._texts(step, state)
        # The step's figure, posed by the step; the page moves it by its own countdown.
        message["figure"] = page_figure(self.plan, step, engine.step_length())
        span = self.plan.span_of(step)
        # The meters fill by plan time, as the terminal's do (Engine.plan_done): the page
        # works out Progress.done from its countdown, each frame.
        progress = engine.progress()
        assert progress is not None  # there is a step
        message["progress"] = {"start": progress.start, "end": progress.end, "over": progress.over}
        message["exercise"] = {"start": span.start, "length": span.end - span.start}
        return message

    def _later(self, step: Step | None) -> float:
        """Planned seconds after the current step: the session's time left is this plus the
        step's own remaining time."""
        if step is None:
            return 0.0 if self.engine.state == "finished" else self.plan.total
        return self.plan.total - step.end

    def _texts(self, step: Step, state: str) -> dict[str, Any]:
        kind = KINDS[step.kind]
        if state == "paused":
            phase, phase_class = "PAUSED", "paused"
        elif state == "idle":
            phase, phase_class = "NOT STARTED", "waiting"
        elif state == "counting-in":
            phase, phase_class = "RESUMING", "prepare"
        else:
            phase, phase_class = kind.banner, step.kind
        rep = f"rep {step.rep} of {step.reps}" if kind.active and step.reps > 1 else ""
        return {
            "count": exercise_count(self.plan, step),
            "name": step.exercise.name,
            "phase": phase,
            "phaseClass": phase_class,
            "side": step.side.upper() if step.side else "",
            "rep": rep,
            "move": f"Move: {step.move.cue}" if step.move is not None else "",
            "howTo": self.plan.instructions(step.entry),
            "cautions": [f"Caution: {caution}" for caution in step.exercise.cautions],
            "next": next_text(self.plan, step),
            "resuming": (
                resuming_text(step, self.engine.count_in_remaining())
                if state == "counting-in"
                else ""
            ),
        }
