"""Property tests: any controls at any moments keep the engine's promises."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine_support import Session, held, mixed_plan, plan_of, tempo, timed
from timer_app.core.plan import Plan
from timer_app.core.steps import ACTIVE_KINDS
from timer_app.session.engine import JUMP_THRESHOLD
from timer_app.session.events import (
    ClockJumped,
    CountIn,
    Event,
    ExerciseEnded,
    ExerciseOutcome,
    Extended,
    Finished,
    Paused,
    Resumed,
    SessionStarted,
    Skipped,
    StepEnded,
    StepStarted,
    WentBack,
)

EXAMPLES = int(os.environ.get("ENGINE_EXAMPLES", "150"))
"""Examples per property; raise it (ENGINE_EXAMPLES=5000) for a long hunt before a release."""

CONTROLS = (
    "pause",
    "resume",
    "toggle_pause",
    "skip",
    "back",
    "next_step",
    "extend",
    "shorten",
    "restart_exercise",
    "stop",
    "jump",
)
PLANS = {
    "mixed": mixed_plan(),
    "short": plan_of(
        held("One side", seconds=2, reps=2, rest=1, prepare=1, per_side=False),
        tempo("Tempo", reps=2, on=0.5, off=0.5, end_hold=0, prepare=0),
        timed("Both sides", seconds=1.5, prepare=0.5, per_side=True),
    ),
}


@dataclass(frozen=True)
class Action:
    delay: float
    control: str
    amount: float


actions = st.builds(
    Action,
    delay=st.one_of(st.just(0.0), st.floats(0, 4), st.floats(0, 60)).map(lambda x: round(x, 3)),
    control=st.sampled_from(CONTROLS),
    amount=st.floats(0.5, 40).map(lambda x: round(x, 3)),
)


async def scenario(plan: Plan, script: list[Action], count_in: float) -> Session:
    session = await Session(plan, count_in=count_in).start()
    engine = session.engine
    jumped = False
    for action in script:
        before = engine.plan_done()
        await session.wait(action.delay)
        waited = engine.plan_done()
        # Progress through the plan only fills as time runs, unless a clock jump is found
        # (its step runs again from its start).
        assert jumped or waited >= before - 1e-9
        jumped = action.control == "jump"
        if action.control == "jump":
            await session.clock.jump(action.amount)
        elif action.control in ("extend", "shorten"):
            getattr(engine, action.control)(action.amount)
        else:
            getattr(engine, action.control)()
        # Only going back, or a restart, takes progress back; +/- time never does.
        if action.control not in ("back", "restart_exercise", "jump"):
            assert engine.plan_done() >= waited - 1e-9, action
        assert 0 <= engine.plan_done() <= plan.total + 1e-9
        # Whatever happened, the read API stays sane.
        assert engine.remaining() >= 0
        assert engine.count_in_remaining() >= 0
        assert engine.elapsed() >= 0
    await session.finish(resume=True)
    return session


def check(plan: Plan, session: Session, *, frozen: bool = False) -> None:
    """The promises, checked from the events alone; `frozen`: the script had clock jumps."""
    events = session.events
    assert isinstance(events[0], SessionStarted)
    finishes = [e for e in events if isinstance(e, Finished)]
    assert len(finishes) == 1
    assert events[-1] is finishes[0]
    finished = finishes[0]
    # Finished is sent at the instant the session ends and says so; after a late wakeup (a
    # frozen process, up to the 2 s that is not yet a clock jump) the end is the planned one.
    handled = session.recorder.times[-1]
    if frozen:
        assert finished.elapsed - 1e-6 <= handled <= finished.elapsed + JUMP_THRESHOLD + 1e-6
    else:
        assert finished.elapsed == pytest.approx(handled, abs=1e-6)
    ats = [e.at for e in events]
    assert ats == sorted(ats)

    # Steps follow the plan, except where skip, back or restart say otherwise; each one ends
    # exactly once before the next begins.
    current: StepStarted | None = None
    reason: Skipped | WentBack | None = None
    ended = True
    # Step clock accounting from the events alone.
    ran = active = 0.0
    extension = 0.0
    not_running = 0.0
    mode = "running"
    paused_at = count_in_start = 0.0
    for event in events:
        if isinstance(event, StepStarted):
            assert ended, "a step started before the previous one ended"
            if current is None:
                assert event.step.index == 0
            elif reason is None:
                assert event.step.index == current.step.index + 1
            elif isinstance(reason, Skipped):
                assert reason.to_entry is not None
                assert event.step.index == plan.first_step_of(reason.to_entry)
                assert event.step.index == plan.first_step_of(reason.from_entry + 1)
            else:
                assert event.step.index == plan.first_step_of(reason.to_entry)
                assert reason.to_entry in (reason.from_entry, reason.from_entry - 1)
            current, reason, ended, extension = event, None, False, 0.0
        elif isinstance(event, StepEnded):
            assert current is not None and event.step == current.step and not ended
            assert event.remaining >= 0
            if event.how == "completed":
                assert event.remaining == 0
            step_ran = event.step.duration + extension - event.remaining
            assert step_ran >= -1e-6
            ran += step_ran
            if event.step.kind in ACTIVE_KINDS:
                active += step_ran
            ended = True
        elif isinstance(event, Skipped | WentBack):
            reason = event
        elif isinstance(event, Extended):
            assert event.remaining >= 0
            extension += event.by
        elif isinstance(event, Paused):
            assert event.remaining >= 0
            if mode == "counting":  # paused again during the count-in
                not_running += event.at - count_in_start
            mode, paused_at = "paused", event.at
        elif isinstance(event, Resumed):
            assert mode == "paused"
            not_running += event.at - paused_at
            mode = "counting" if event.count_in > 0 else "running"
            count_in_start = event.at
        elif isinstance(event, CountIn):
            assert mode == "counting"
            if event.seconds == 0:
                assert event.at == pytest.approx(count_in_start + session.engine.count_in)
                not_running += event.at - count_in_start
                mode = "running"
        elif isinstance(event, ClockJumped):
            # `lost` covers the step's run so far, or the count-in that was under way.
            not_running += event.lost
            mode, paused_at = "paused", event.at
        elif isinstance(event, Finished):
            if mode == "paused":
                not_running += event.at - paused_at
            elif mode == "counting":
                not_running += event.at - count_in_start
    assert ended

    assert finished.running == pytest.approx(ran, abs=1e-5)
    assert finished.active == pytest.approx(active, abs=1e-5)
    assert finished.running == pytest.approx(finished.elapsed - not_running, abs=1e-5)
    assert sum(o.active for o in finished.outcomes) == pytest.approx(finished.active, abs=1e-5)
    assert finished.elapsed == pytest.approx(
        finished.running + finished.paused + finished.counting_in, abs=1e-5
    )
    assert finished.running == pytest.approx(
        plan.total + finished.extended + finished.redone - finished.skipped, abs=1e-5
    )
    for outcome in finished.outcomes:
        assert outcome.active >= -1e-9
        if outcome.status in ("skipped", "not-reached"):
            assert outcome.active == 0
    check_exercises(plan, events, finished)


def check_exercises(plan: Plan, events: list[Event], finished: Finished) -> None:
    """Each exercise the session enters (`StepStarted.new_exercise`) ends exactly once
    (`ExerciseEnded`), right after the end of its last step, with the outcome the events
    themselves show; the last word on each exercise is the one `Finished` has."""
    stretched = [0.0] * len(plan.routine.entries)
    completed: set[int] = set()
    inside: int | None = None  # the exercise entered and not yet ended
    previous: StepStarted | None = None
    extension = 0.0
    last_word: dict[int, ExerciseOutcome] = {}
    for before, event in zip([None, *events], events, strict=False):
        if isinstance(event, StepStarted):
            entry = event.step.entry
            assert event.new_exercise == (previous is None or previous.step.entry != entry)
            if event.new_exercise:
                assert inside is None, "an exercise began before the last one ended"
                inside = entry
            assert inside == entry
            previous, extension = event, 0.0
        elif isinstance(event, Extended):
            extension += event.by
        elif isinstance(event, StepEnded):
            if event.step.kind in ACTIVE_KINDS:
                stretched[event.step.entry] += event.step.duration + extension - event.remaining
            if event.how == "completed":
                completed.add(event.step.index)
        elif isinstance(event, ExerciseEnded):
            outcome = event.outcome
            assert isinstance(before, StepEnded), "an exercise ends with its last step"
            assert before.step.entry == outcome.entry == inside
            assert (event.how, event.at) == (before.how, before.at)
            if event.how == "completed":
                # Ran to its end: the step was the last of the exercise in the plan.
                assert plan.first_step_of(outcome.entry + 1) == before.step.index + 1
            stretching = [
                s for s in plan.steps if s.entry == outcome.entry and s.kind in ACTIVE_KINDS
            ]
            if stretching and all(s.index in completed for s in stretching):
                assert outcome.status == "done"
            elif stretched[outcome.entry] < 1e-6:
                # Stopped in it before any stretching: nobody chose to skip it.
                stopped_here = not finished.completed and events[-2] is event
                assert outcome.status == ("not-reached" if stopped_here else "skipped")
            else:
                assert outcome.status == "partial"
            assert outcome.active == pytest.approx(stretched[outcome.entry], abs=1e-5)
            assert outcome.planned_active == pytest.approx(sum(s.duration for s in stretching))
            assert outcome.exercise == plan.routine.entries[outcome.entry].exercise
            last_word[outcome.entry] = outcome
            inside = None
        elif isinstance(event, Finished):
            assert inside is None, "the session finished inside an exercise that never ended"
    for outcome in finished.outcomes:
        if outcome.entry in last_word:
            assert last_word[outcome.entry] == outcome
        else:  # never entered: the session was stopped before it
            assert not finished.completed or not plan.steps
            assert (outcome.status, outcome.active) == ("not-reached", 0)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan_name=st.sampled_from(sorted(PLANS)),
    script=st.lists(actions, max_size=12),
    count_in=st.sampled_from([0.0, 3.0, 1.5]),
)
# Cases hypothesis found once, kept so they are always tried: a freeze in the very first step
# (its start time 0.0 was once taken for "not running"), a countdown brought into the past by
# extending a paused step, and a 2 s late wakeup (not yet a jump) at the very end.
@example(plan_name="short", script=[Action(0.0, "jump", 4.0)], count_in=0.0)
@example(
    plan_name="short",
    script=[Action(0.5, "pause", 1.0), Action(0.0, "extend", 1.25)],
    count_in=0.0,
)
@example(
    plan_name="short",
    script=[Action(0.0, "extend", 1.0), Action(0.0, "extend", 3.0), Action(14.0, "jump", 7.0)],
    count_in=0.0,
)
def test_any_controls_at_any_time_keep_the_invariants(
    plan_name: str, script: list[Action], count_in: float
) -> None:
    plan = PLANS[plan_name]
    session = asyncio.run(scenario(plan, script, count_in))
    check(plan, session, frozen=any(a.control == "jump" for a in script))
    finished = session.engine.finished
    assert finished is not None
    if not script:
        assert finished.completed
        assert finished.elapsed == pytest.approx(plan.total, abs=1e-6)
        assert all(o.status == "done" for o in finished.outcomes)
    if "stop" not in [a.control for a in script]:
        assert finished.completed


@settings(max_examples=max(1, EXAMPLES // 3), deadline=None)
@given(
    pauses=st.lists(
        st.tuples(
            st.floats(0, 170).map(lambda x: round(x, 3)),
            st.floats(0, 100).map(lambda x: round(x, 3)),
        ),
        max_size=5,
    ),
    count_in=st.sampled_from([0.0, 3.0]),
)
def test_pauses_only_add_their_own_length(
    pauses: list[tuple[float, float]], count_in: float
) -> None:
    """Pausing never changes what is run: only pauses and count-ins are added."""
    plan = PLANS["mixed"]

    async def go() -> Session:
        session = await Session(plan, count_in=count_in).start()
        for at, length in sorted(pauses):
            if session.now() < at:
                await session.at(at)
            await session.act(session.engine.pause)
            await session.wait(length)
            await session.act(session.engine.resume)
        await session.finish()
        return session

    session = asyncio.run(go())
    check(plan, session)
    finished = session.engine.finished
    assert finished is not None
    assert finished.running == pytest.approx(plan.total, abs=1e-6)
    assert finished.elapsed == pytest.approx(
        plan.total + finished.paused + finished.counting_in, abs=1e-6
    )
    assert all(o.status == "done" for o in finished.outcomes)
    starts = [e for e in session.events if isinstance(e, StepStarted)]
    assert [e.step.index for e in starts] == list(range(len(plan.steps)))
