"""Tests of the session engine: whole routines in virtual time, every control at every step."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable

import pytest

from engine_support import (
    Session,
    first_of_kind,
    held,
    mixed_plan,
    plan_of,
    run_plan,
    tempo,
    timed,
)
from timer_app.core.plan import Plan
from timer_app.session.clock import MonotonicClock
from timer_app.session.engine import Engine
from timer_app.session.events import (
    ClockJumped,
    CountIn,
    Cue,
    Event,
    ExerciseEnded,
    Extended,
    Finished,
    Paused,
    Resumed,
    SessionStarted,
    SkipHeld,
    Skipped,
    StepEnded,
    StepStarted,
    WentBack,
)
from timer_app.testing import VirtualClock, settle

KINDS = ["prepare", "hold", "rest", "switch", "on", "off", "timed"]


def total_identity(finished: Finished, plan: Plan) -> None:
    """The session's time adds up, to the microsecond."""
    assert finished.elapsed == pytest.approx(
        finished.running + finished.paused + finished.counting_in, abs=1e-6
    )
    assert finished.running == pytest.approx(
        plan.total + finished.extended + finished.redone - finished.skipped, abs=1e-6
    )


# ----------------------------------------------------------------------------- plain runs


async def test_mixed_plan_is_what_the_tests_assume() -> None:
    plan = mixed_plan()
    assert plan.total == 179
    assert [s.kind for s in plan.steps][:9] == [
        "prepare",
        "hold",
        "rest",
        "hold",
        "switch",
        "hold",
        "rest",
        "hold",
        "prepare",
    ]
    assert {s.kind for s in plan.steps} == set(KINDS)


async def test_steps_start_in_order_exactly_at_their_planned_times() -> None:
    plan = mixed_plan()
    session = await run_plan(plan, start=1000.0)
    rec = session.recorder
    assert isinstance(rec.events[0], SessionStarted)
    assert isinstance(rec.events[-1], Finished)
    assert len(rec.of(Finished)) == 1
    started = rec.of(StepStarted)
    assert [e.step.index for e in started] == list(range(len(plan.steps)))
    for event in started:
        assert event.at == pytest.approx(event.step.start, abs=1e-9)
        assert event.deadline == pytest.approx(1000.0 + event.step.end, abs=1e-9)
    # Each step began (was handled) at exactly its planned instant on the clock.
    for event, handled in zip(rec.events, rec.times, strict=True):
        if isinstance(event, StepStarted):
            assert handled == pytest.approx(1000.0 + event.step.start, abs=1e-9)
    ended = rec.of(StepEnded)
    assert [e.how for e in ended] == ["completed"] * len(plan.steps)
    finished = rec.of(Finished)[0]
    assert finished.completed
    assert finished.elapsed == pytest.approx(179.0, abs=1e-9)
    assert finished.paused == finished.counting_in == finished.skipped == 0
    assert [o.status for o in finished.outcomes] == ["done", "done", "done"]
    assert [o.active for o in finished.outcomes] == [120, 12, 20]
    assert finished.active == 152
    total_identity(finished, plan)


async def test_remaining_steps_and_session_remaining_count_down() -> None:
    plan = mixed_plan()
    session = await run_plan(plan)
    started = session.recorder.of(StepStarted)
    assert [e.remaining_steps for e in started] == list(range(len(plan.steps), 0, -1))
    assert [e.session_remaining for e in started] == [179 - s.start for s in plan.steps]


async def test_a_30_minute_routine_runs_instantly_without_ticking() -> None:
    plan = plan_of(*(held(f"Stretch {i}", seconds=30, reps=3) for i in range(9)))
    assert plan.total > 30 * 60
    wakeups = 0

    class CountingClock(VirtualClock):
        async def sleep_until(self, deadline: float) -> None:
            nonlocal wakeups
            wakeups += 1
            await super().sleep_until(deadline)

    session = Session(plan)
    session.clock = CountingClock()
    session.engine = Engine(plan, clock=session.clock)
    session.engine.add_listener(session.recorder)
    begun = time.perf_counter()
    await session.start()
    finished = await session.finish()
    assert time.perf_counter() - begun < 5
    assert finished.elapsed == pytest.approx(plan.total, abs=1e-6)
    cues = len(session.recorder.of(Cue))
    # One wakeup per step end and per cue: nothing polls or ticks.
    assert wakeups <= len(plan.steps) + cues + 1


async def test_late_wakeups_never_accumulate() -> None:
    """Every sleep ends 40 ms late, yet each step starts at its planned instant."""

    class LateClock(VirtualClock):
        async def sleep_until(self, deadline: float) -> None:
            await super().sleep_until(deadline + 0.04)

    plan = mixed_plan()
    clock = LateClock()
    engine = Engine(plan, clock=clock)
    events: list[tuple[float, Event]] = []
    engine.add_listener(lambda e: events.append((clock.now(), e)))
    task = asyncio.create_task(engine.run())
    await clock.advance(0)
    while not task.done():
        deadline = clock.next_deadline()
        assert deadline is not None
        await clock.advance_to(deadline)
    finished = await task
    starts = [(t, e) for t, e in events if isinstance(e, StepStarted)]
    for handled, event in starts:
        assert event.at == pytest.approx(event.step.start, abs=1e-9)
        # Handled late by the one sleep's lateness, never by the sum of all of them.
        assert handled - event.step.start == pytest.approx(0.04 if event.step.index else 0)
    assert finished.elapsed == pytest.approx(plan.total, abs=1e-9)
    assert clock.now() == pytest.approx(plan.total + 0.04)


async def test_an_early_wakeup_is_rechecked_and_never_ends_a_step_early() -> None:
    class EarlyClock(VirtualClock):
        async def sleep_until(self, deadline: float) -> None:
            early = deadline - 0.001
            await super().sleep_until(early if self.now() < early else deadline)

    plan = mixed_plan()
    clock = EarlyClock()
    engine = Engine(plan, clock=clock)
    ends: list[tuple[float, StepEnded]] = []
    engine.add_listener(lambda e: ends.append((clock.now(), e)) if isinstance(e, StepEnded) else 0)
    task = asyncio.create_task(engine.run())
    await clock.advance(0)
    while not task.done():
        deadline = clock.next_deadline()
        assert deadline is not None
        await clock.advance_to(deadline)
    await task
    assert len(ends) == len(plan.steps)
    for handled, event in ends:
        assert handled >= event.step.end - 1e-9


async def test_the_monotonic_clock_never_wakes_early() -> None:
    clock = MonotonicClock()
    deadline = clock.now()
    late = []
    for _ in range(10):
        deadline += 0.03
        await clock.sleep_until(deadline)
        late.append(clock.now() - deadline)
    # Never early. How late is for bench/timing.py to measure, not for a test on a busy machine.
    assert min(late) >= 0


async def test_runs_on_the_real_monotonic_clock() -> None:
    plan = plan_of(tempo("Quick", reps=2, on=0.05, off=0.05, end_hold=0, prepare=0.05))
    engine = Engine(plan, clock=MonotonicClock())
    seen: list[tuple[float, StepStarted]] = []
    engine.add_listener(
        lambda e: seen.append((time.monotonic(), e)) if isinstance(e, StepStarted) else None
    )
    finished = await engine.run()
    assert finished.completed
    assert finished.elapsed == pytest.approx(plan.total, abs=1e-6)
    origin = seen[0][0]
    # Each step starts no earlier than planned (a listener may hear of it a little later).
    assert [event.step.index for _, event in seen] == list(range(len(plan.steps)))
    for handled, event in seen:
        assert handled - origin >= event.step.start - 0.002


# ----------------------------------------------------------------------------- cues


async def test_countdown_and_halfway_cues() -> None:
    plan = plan_of(
        held("Long", seconds=30, reps=1, per_side=False, prepare=5),
        held("Short", seconds=10, reps=1, per_side=False, prepare=3),
        tempo("Pumps", reps=1, on=2, off=2, end_hold=0, prepare=2),
        timed("Timed", seconds=20, prepare=0),
    )
    session = await run_plan(plan)
    cues = [(c.step.kind, c.step.entry, c.kind, c.seconds, c.at) for c in session.recorder.of(Cue)]
    assert cues == [
        ("prepare", 0, "countdown", 3, 2),
        ("prepare", 0, "countdown", 2, 3),
        ("prepare", 0, "countdown", 1, 4),
        ("hold", 0, "halfway", 15, 20),
        ("hold", 0, "countdown", 3, 32),
        ("hold", 0, "countdown", 2, 33),
        ("hold", 0, "countdown", 1, 34),
        # A 3 s prepare: only the counts that fit inside it. A 10 s hold: no halfway.
        ("prepare", 1, "countdown", 2, 36),
        ("prepare", 1, "countdown", 1, 37),
        ("hold", 1, "countdown", 3, 45),
        ("hold", 1, "countdown", 2, 46),
        ("hold", 1, "countdown", 1, 47),
        ("prepare", 2, "countdown", 1, 49),
        # on/off steps: no cues at all.
        ("timed", 3, "halfway", 10, 64),
        ("timed", 3, "countdown", 3, 71),
        ("timed", 3, "countdown", 2, 72),
        ("timed", 3, "countdown", 1, 73),
    ]


async def test_no_cues_on_rest_switch_or_tempo_steps() -> None:
    session = await run_plan(mixed_plan())
    kinds = {c.step.kind for c in session.recorder.of(Cue)}
    assert kinds == {"prepare", "hold", "timed"}
    # The tempo's 1 s end hold is too short for any count.
    assert all(c.step.entry != 1 or c.step.kind == "prepare" for c in session.recorder.of(Cue))


async def test_a_countdown_given_before_an_extension_is_given_again() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(32.5)  # "3" given at 32 for the hold ending at 35
    assert await session.act(session.engine.extend, 10)
    await session.at(46)
    counts = [
        (c.seconds, c.at)
        for c in session.recorder.of(Cue)
        if c.step.index == 1 and c.kind == "countdown"
    ]
    assert counts == [(3, 32), (3, 42), (2, 43), (1, 44)]


async def test_progress_through_the_plan_never_goes_back_when_a_step_is_made_longer() -> None:
    session = await Session(mixed_plan()).start()
    engine = session.engine
    assert engine.plan_done() == 0
    await session.at(20)  # half of the first hold (5-35) has run
    assert engine.plan_done() == pytest.approx(20)
    assert await session.act(engine.extend, 30)  # now 45 s left, not 15
    assert engine.plan_done() == pytest.approx(20)  # nothing taken back
    await session.at(20 + 45 / 3)  # a third of the new time left has run
    assert engine.plan_done() == pytest.approx(20 + 15 / 3)  # and of the plan's share left
    seen = [engine.plan_done()]
    for t in range(36, 66):
        await session.at(t)
        seen.append(engine.plan_done())
    assert seen == sorted(seen)  # the bars only ever fill
    assert engine.step is not None and engine.step.index == 2  # the rest after the long hold
    assert engine.plan_done() == pytest.approx(35)  # its first second: its start in the plan
    await session.act(engine.stop)
    assert engine.plan_done() == engine.plan.total


# ----------------------------------------------------------------------------- pause


async def test_pause_freezes_remaining_and_resume_counts_in() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    engine = session.engine
    await session.at(20)  # 15 s left of the hold 5-35
    assert await session.act(engine.pause)
    assert engine.state == "paused"
    await session.wait(60)
    assert engine.remaining() == 15
    assert engine.deadline is None
    assert await session.act(engine.resume)
    assert engine.state == "counting-in"
    assert engine.remaining() == 15
    assert engine.count_in_remaining() == 3
    await session.wait(2.5)
    assert engine.state == "counting-in"
    assert engine.remaining() == 15  # the step's time does not run during GET READY
    assert engine.count_in_remaining() == pytest.approx(0.5)
    await session.wait(0.5)
    assert engine.state == "running"
    await session.wait(14.9)
    assert engine.step is not None and engine.step.index == 1
    await session.wait(0.1)
    assert engine.step is not None and engine.step.index == 2
    resumed = session.recorder.of(Resumed)[0]
    assert resumed.count_in == 3 and resumed.at == 80
    assert resumed.running_at == 83 and resumed.deadline == 98
    assert [(c.seconds, c.at) for c in session.recorder.of(CountIn)] == [
        (3, 80),
        (2, 81),
        (1, 82),
        (0, 83),  # GO: the step's time runs again
    ]
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(179 + 60 + 3)
    assert finished.paused == pytest.approx(60)
    assert finished.counting_in == pytest.approx(3)
    assert [o.status for o in finished.outcomes] == ["done", "done", "done"]
    assert finished.active == pytest.approx(152)
    total_identity(finished, plan)


async def test_count_in_zero_resumes_at_once() -> None:
    session = await Session(mixed_plan(), count_in=0).start()
    engine = session.engine
    await session.at(20)
    await session.act(engine.pause)
    await session.wait(10)
    await session.act(engine.resume)
    assert engine.state == "running"
    assert engine.deadline == 45
    assert session.recorder.of(CountIn) == []
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(189)
    assert finished.counting_in == 0


@pytest.mark.parametrize("kind", KINDS)
async def test_pause_and_resume_at_every_kind_of_step(kind: str) -> None:
    plan = mixed_plan()
    index = first_of_kind(plan, kind)
    step = plan.steps[index]
    into = step.duration / 2
    session = await Session(plan).start()
    await session.at(step.start + into)
    assert session.engine.step == step
    assert await session.act(session.engine.pause)
    assert session.recorder.of(Paused)[-1].remaining == pytest.approx(step.duration - into)
    await session.wait(4)
    assert session.engine.step == step  # nothing moves while paused
    assert await session.act(session.engine.resume)
    finished = await session.finish()
    ends = [e for e in session.recorder.of(StepEnded) if e.step.index == index]
    assert ends[0].at == pytest.approx(step.end + 4 + 3)
    assert finished.elapsed == pytest.approx(plan.total + 7)
    assert [e.step.index for e in session.recorder.of(StepStarted)] == list(range(len(plan.steps)))
    total_identity(finished, plan)


async def test_pause_during_a_switch_keeps_the_side_change() -> None:
    plan = mixed_plan()
    switch = plan.steps[first_of_kind(plan, "switch")]
    session = await Session(plan).start()
    await session.at(switch.start + 2)
    await session.act(session.engine.pause)
    await session.wait(30)
    assert session.engine.step == switch and session.engine.remaining() == 3
    await session.act(session.engine.resume)
    await session.wait(3 + 3)
    step = session.engine.step
    assert step is not None and step.kind == "hold" and step.side == "right"
    assert session.recorder.of(StepStarted)[-1].at == pytest.approx(switch.end + 33)


async def test_pause_during_the_count_in_goes_back_to_paused() -> None:
    session = await Session(mixed_plan()).start()
    engine = session.engine
    await session.at(20)
    await session.act(engine.pause)
    await session.wait(5)
    await session.act(engine.resume)
    await session.wait(1)
    assert await session.act(engine.pause)
    assert engine.state == "paused" and engine.remaining() == 15
    await session.wait(5)
    await session.act(engine.resume)
    finished = await session.finish()
    assert finished.paused == pytest.approx(10)
    assert finished.counting_in == pytest.approx(4)
    assert finished.elapsed == pytest.approx(179 + 14)


async def test_pause_and_resume_are_idempotent_and_toggle_switches() -> None:
    session = await Session(mixed_plan()).start()
    engine = session.engine
    assert not await session.act(engine.resume)  # running already
    await session.at(10)
    assert await session.act(engine.pause)
    assert not await session.act(engine.pause)
    assert await session.act(engine.toggle_pause)
    assert engine.state == "counting-in"
    assert not await session.act(engine.resume)
    assert await session.act(engine.toggle_pause)
    assert engine.state == "paused"
    assert len(session.recorder.of(Paused)) == 2
    assert len(session.recorder.of(Resumed)) == 1


# ----------------------------------------------------------------------------- skip


@pytest.mark.parametrize("kind", KINDS)
async def test_skip_at_every_kind_of_step_goes_to_the_next_exercise(kind: str) -> None:
    plan = mixed_plan()
    step = plan.steps[first_of_kind(plan, kind)]
    session = await Session(plan).start()
    await session.at(step.start + step.duration / 2)
    assert await session.act(session.engine.skip)
    target = plan.first_step_of(step.entry + 1)
    if target == len(plan.steps):
        assert session.engine.state == "finished"
    else:
        started = session.recorder.of(StepStarted)[-1]
        assert started.step.index == target
        assert started.at == pytest.approx(step.start + step.duration / 2)
    ended = session.recorder.of(StepEnded)[-1]
    assert ended.step == step and ended.how == "skipped"
    assert ended.remaining == pytest.approx(step.duration / 2)
    skipped = session.recorder.of(Skipped)[-1]
    assert skipped.from_entry == step.entry
    finished = await session.finish()
    assert finished.skipped == pytest.approx(
        step.duration / 2 + sum(s.duration for s in plan.steps[step.index + 1 : target])
    )
    assert finished.elapsed == pytest.approx(plan.total - finished.skipped)
    assert finished.outcomes[step.entry].status in ("partial", "skipped")
    total_identity(finished, plan)


async def test_skip_at_the_last_exercise_finishes_the_session() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(165)  # the timed stretch of the last exercise, 6 s in
    assert await session.act(session.engine.skip)
    assert session.engine.state == "finished"
    skipped = session.recorder.of(Skipped)[-1]
    assert skipped.from_entry == 2 and skipped.to_entry is None
    finished = await session.finish()
    assert finished.completed
    assert finished.elapsed == 165
    assert finished.outcomes[2].status == "partial"
    assert finished.outcomes[2].active == pytest.approx(6)
    assert len(session.recorder.of(Finished)) == 1


async def test_a_skip_just_after_an_exercise_began_by_itself_is_held_once() -> None:
    # Knee to chest ends by itself at 140 and Ankle pumps' get-ready begins: a key pressed
    # 0.4 s later was most likely meant for Knee to chest.
    session = await Session(mixed_plan()).start()
    await session.at(140.4)
    assert not await session.act(session.engine.skip)
    held = session.recorder.of(SkipHeld)
    assert [event.step.exercise.name for event in held] == ["Ankle pumps"]
    assert session.engine.step is not None and session.engine.step.entry == 1
    assert session.recorder.of(Skipped) == []
    # Pressed again, it goes through.
    await session.at(140.6)
    assert await session.act(session.engine.skip)
    assert session.engine.step is not None and session.engine.step.entry == 2


async def test_a_step_says_when_the_exercise_before_it_ran_to_its_end() -> None:
    # Listeners play "exercise done" from this, rather than pairing ExerciseEnded with the next
    # StepStarted themselves.
    session = await Session(mixed_plan()).start()
    await session.at(150)
    assert await session.act(session.engine.skip)  # Ankle pumps left early: no "done"
    await session.finish()
    started = session.recorder.of(StepStarted)
    done_at = [(event.at, event.step.exercise.name) for event in started if event.after_done]
    assert done_at == [(140.0, "Ankle pumps")]
    assert not started[0].after_done  # the session's first step follows nothing


def test_the_plan_gives_each_exercise_its_span() -> None:
    plan = mixed_plan()
    knee, pumps, neck = (plan.spans[entry] for entry in range(3))
    assert (knee.start, knee.end, pumps.start, pumps.end, neck.end) == (0, 140, 140, 155, 179)
    assert [s.kind for s in knee.stretches] == ["hold"] * 4
    assert [s.kind for s in pumps.stretches[:3]] == ["on", "hold", "off"]
    assert knee.first.kind == "prepare" and knee.last.kind == "hold"
    assert plan.span_of(plan.steps[5]) is knee
    assert plan.first_step_of(1) == pumps.first.index


@pytest.mark.parametrize("when", [141.1, 150.0])
async def test_a_skip_a_second_or_more_after_an_exercise_began_goes_through(when: float) -> None:
    session = await Session(mixed_plan()).start()
    await session.at(when)
    assert await session.act(session.engine.skip)
    assert session.engine.step is not None and session.engine.step.entry == 2
    assert session.recorder.of(SkipHeld) == []


async def test_skips_in_quick_succession_are_never_held() -> None:
    # The person moved on themselves: two quick presses skip two exercises.
    session = await Session(mixed_plan()).start()
    await session.at(100)
    assert await session.act(session.engine.skip)
    await session.at(100.2)
    assert await session.act(session.engine.skip)
    assert session.engine.step is not None and session.engine.step.entry == 2
    assert session.recorder.of(SkipHeld) == []


async def test_skip_while_paused_shows_the_next_exercise_still_paused() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    engine = session.engine
    await session.at(20)
    await session.act(engine.pause)
    await session.act(engine.skip)
    assert engine.state == "paused"
    assert engine.step == plan.steps[8]
    assert engine.remaining() == 3
    started = session.recorder.of(StepStarted)[-1]
    assert started.step.index == 8 and started.deadline is None
    await session.wait(10)
    await session.act(engine.resume)
    await session.wait(3)
    assert engine.state == "running" and engine.step == plan.steps[8]
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(20 + 10 + 3 + (179 - 140))


async def test_skip_during_count_in_keeps_counting_in_for_the_new_exercise() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    engine = session.engine
    await session.at(20)
    await session.act(engine.pause)
    await session.act(engine.resume)
    await session.wait(1)
    await session.act(engine.skip)
    assert engine.state == "counting-in" and engine.step == plan.steps[8]
    assert engine.deadline == pytest.approx(23 + 3)
    await session.wait(2)
    assert engine.state == "running"


# ----------------------------------------------------------------------------- back


async def test_back_more_than_3_s_in_restarts_the_exercise() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(140 + 3 + 1)  # ankle pumps, 4 s in (prepare 3 + 1 of the first "on")
    assert await session.act(session.engine.back)
    went = session.recorder.of(WentBack)[-1]
    assert (went.from_entry, went.to_entry, went.restarted) == (1, 1, True)
    assert session.engine.step == plan.steps[8]
    assert session.recorder.of(StepStarted)[-1].at == 144
    finished = await session.finish()
    assert finished.redone == pytest.approx(3 + 2)
    assert finished.elapsed == pytest.approx(179 + 4)
    assert finished.outcomes[1].status == "done"
    total_identity(finished, plan)


async def test_back_within_3_s_goes_to_the_previous_exercise() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(142)  # ankle pumps prepare, 2 s in
    assert await session.act(session.engine.back)
    went = session.recorder.of(WentBack)[-1]
    assert (went.from_entry, went.to_entry, went.restarted) == (1, 0, False)
    assert session.engine.step == plan.steps[0]
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(142 + 179)
    # Steps 0-8 again (the prepare left with 1 s unrun is counted whole, its 1 s as skipped).
    assert finished.redone == pytest.approx(143)
    assert finished.skipped == pytest.approx(1)
    total_identity(finished, plan)


async def test_back_counts_only_running_time_not_pauses() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(142)
    await session.act(session.engine.pause)
    await session.wait(30)  # 2 s in, however long the pause
    await session.act(session.engine.back)
    assert session.engine.step == plan.steps[0]
    assert session.engine.state == "paused"


async def test_back_exactly_3_s_in_still_goes_back() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(143)
    await session.act(session.engine.back)
    assert session.engine.step == plan.steps[0]


async def test_back_at_the_first_exercise_restarts_it() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(2)
    assert await session.act(session.engine.back)
    went = session.recorder.of(WentBack)[-1]
    assert (went.from_entry, went.to_entry, went.restarted) == (0, 0, True)
    assert session.recorder.of(StepStarted)[-1].at == 2
    assert session.engine.step == plan.steps[0]


async def test_restart_exercise_starts_it_again() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(50)  # second left hold of knee to chest
    assert await session.act(session.engine.restart_exercise)
    assert session.engine.step == plan.steps[0]
    assert session.recorder.of(StepStarted)[-1].at == 50
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(179 + 50)
    assert finished.redone == pytest.approx(50 + 20)  # steps 0..3 again, incl. the cut hold
    assert finished.skipped == pytest.approx(20)
    assert finished.outcomes[0].status == "done"
    assert finished.outcomes[0].active == pytest.approx(120 + 30 + 10)
    total_identity(finished, plan)


# ----------------------------------------------------------------------------- next step


async def test_next_step_cuts_a_rest_short() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(36)  # rest 35-40
    assert await session.act(session.engine.next_step)
    ended = session.recorder.of(StepEnded)[-1]
    assert ended.step.kind == "rest" and ended.how == "cut" and ended.remaining == 4
    started = session.recorder.of(StepStarted)[-1]
    assert started.step.index == 3 and started.at == 36 and started.deadline == 66
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(175)
    assert finished.outcomes[0].status == "done"  # cutting a rest loses no stretching
    total_identity(finished, plan)


async def test_next_step_at_the_last_step_finishes() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(170)
    assert await session.act(session.engine.next_step)
    finished = await session.finish()
    assert finished.completed
    assert finished.elapsed == 170
    assert finished.outcomes[2].status == "partial"


async def test_end_wait_ends_a_get_ready_or_a_rest_but_never_a_stretch() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    engine = session.engine
    await session.at(2)  # get ready 0-5
    assert await session.act(engine.end_wait)
    started = session.recorder.of(StepStarted)[-1]
    assert started.step.kind == "hold" and started.at == 2 and started.deadline == 32
    await session.at(10)  # holding
    assert not await session.act(engine.end_wait)
    assert engine.step is not None and engine.step.kind == "hold"
    assert engine.remaining() == 22
    await session.at(33)  # rest 32-37
    assert engine.step.kind == "rest"
    assert await session.act(engine.end_wait)
    assert engine.step.kind == "hold"
    finished = await session.finish()
    assert finished.outcomes[0].status == "done"  # a shorter wait loses no stretching
    total_identity(finished, plan)


async def test_rounds_are_exercises_of_their_own_from_engine_to_summary() -> None:
    plan = plan_of(timed("Neck [/"), rounds=2)  # prepare 0-4, timed 4-24, rest, prepare, timed
    rest = next(step for step in plan.steps if step.round_rest)
    assert (rest.start, rest.entry) == (24, 1)
    session = await Session(plan).start()
    await session.at(25)
    assert session.engine.step == rest
    assert await session.act(session.engine.end_wait)  # the rest between rounds is a wait too
    assert session.engine.step is not None and session.engine.step.kind == "prepare"
    finished = await session.finish()
    assert [(o.entry, o.exercise.name, o.status) for o in finished.outcomes] == [
        (0, "Neck [/", "done"),
        (1, "Neck [/", "done"),
    ]
    assert finished.active == 40
    total_identity(finished, plan)


async def test_cutting_a_hold_makes_the_exercise_partial() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(10)
    await session.act(session.engine.next_step)
    finished = await session.finish()
    outcome = finished.outcomes[0]
    assert outcome.status == "partial"
    assert outcome.active == pytest.approx(95)
    assert outcome.planned_active == 120


# ----------------------------------------------------------------------------- exercises


def exercise_story(session: Session) -> list[tuple[object, ...]]:
    """The session told by exercise: ("begins", entry, at) for a StepStarted that enters an
    exercise, ("ends", entry, status, how, active, at) for an ExerciseEnded."""
    story: list[tuple[object, ...]] = []
    for event in session.events:
        if isinstance(event, StepStarted) and event.new_exercise:
            story.append(("begins", event.step.entry, event.at))
        elif isinstance(event, ExerciseEnded):
            o = event.outcome
            story.append(("ends", o.entry, o.status, event.how, o.active, event.at))
    return story


async def test_each_exercise_begins_and_ends_with_its_outcome() -> None:
    session = await run_plan(mixed_plan())
    assert exercise_story(session) == [
        ("begins", 0, 0),
        ("ends", 0, "done", "completed", 120, 140),
        ("begins", 1, 140),
        ("ends", 1, "done", "completed", 12, 155),
        ("begins", 2, 155),
        ("ends", 2, "done", "completed", 20, 179),
    ]
    names = session.recorder.names()
    # The end of an exercise comes right after the end of its last step, before what is next.
    assert names[-3:] == ["StepEnded", "ExerciseEnded", "Finished"]
    first_end = names.index("ExerciseEnded")
    assert names[first_end - 1 : first_end + 2] == ["StepEnded", "ExerciseEnded", "StepStarted"]
    ended = session.recorder.of(ExerciseEnded)
    assert tuple(e.outcome for e in ended) == session.recorder.of(Finished)[0].outcomes


async def test_restarting_an_exercise_neither_ends_it_nor_begins_a_new_one() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(50)  # second left hold of knee to chest
    await session.act(session.engine.restart_exercise)
    restarted = session.recorder.of(StepStarted)[-1]
    assert restarted.step.index == 0 and not restarted.new_exercise
    await session.at(61)  # 11 s into the second attempt; back() starts it over again
    await session.act(session.engine.back)
    assert session.recorder.of(WentBack)[-1].restarted
    assert not session.recorder.of(StepStarted)[-1].new_exercise
    finished = await session.finish()
    # One exercise, ended once, with every attempt's stretching: 30 + 10, 6, then 120.
    assert exercise_story(session)[:3] == [
        ("begins", 0, 0),
        ("ends", 0, "done", "completed", 166, 61 + 140),
        ("begins", 1, 61 + 140),
    ]
    assert finished.outcomes[0].active == 166


async def test_going_back_ends_the_exercise_left_and_the_one_gone_back_to_ends_again() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(142)  # ankle pumps prepare, 2 s in
    await session.act(session.engine.back)  # to knee to chest
    names = session.recorder.names()
    assert names[-4:] == ["StepEnded", "ExerciseEnded", "WentBack", "StepStarted"]
    finished = await session.finish()
    assert exercise_story(session) == [
        ("begins", 0, 0),
        ("ends", 0, "done", "completed", 120, 140),
        ("begins", 1, 140),
        ("ends", 1, "skipped", "skipped", 0, 142),  # left in its get-ready
        ("begins", 0, 142),
        ("ends", 0, "done", "completed", 240, 282),  # both times counted
        ("begins", 1, 282),
        ("ends", 1, "done", "completed", 12, 297),
        ("begins", 2, 297),
        ("ends", 2, "done", "completed", 20, 321),
    ]
    assert [o.active for o in finished.outcomes] == [240, 12, 20]


async def test_skip_next_step_and_stop_end_exercises_and_say_how() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    engine = session.engine
    await session.at(20)  # 15 s into the first hold
    await session.act(engine.skip)
    # Ankle pumps from 20: prepare 20-23, then on/hold/off x3; the last "off" is 34-35.
    await session.at(34.5)
    await session.act(engine.next_step)
    # Neck from 34.5: prepare 34.5-38.5, timed 38.5-58.5.
    await session.at(40)
    await session.act(engine.stop)
    finished = await session.finish()
    assert exercise_story(session) == [
        ("begins", 0, 0),
        ("ends", 0, "partial", "skipped", 15, 20),
        ("begins", 1, 20),
        ("ends", 1, "partial", "cut", 11.5, 34.5),
        ("begins", 2, 34.5),
        ("ends", 2, "partial", "cut", 1.5, 40),
    ]
    assert tuple(e.outcome for e in session.recorder.of(ExerciseEnded)) == finished.outcomes


async def test_a_stop_ends_only_the_exercise_under_way() -> None:
    session = await Session(mixed_plan()).start()
    await session.at(50)
    await session.act(session.engine.stop)
    finished = await session.finish()
    # The two exercises never reached did not end: they never began. Finished has them.
    assert exercise_story(session) == [("begins", 0, 0), ("ends", 0, "partial", "cut", 40, 50)]
    assert [o.status for o in finished.outcomes] == ["partial", "not-reached", "not-reached"]


# ----------------------------------------------------------------------------- extend


async def test_extend_a_hold_moves_its_end_and_the_session_end() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(10)
    assert await session.act(session.engine.extend, 10)
    assert session.engine.deadline == 45
    assert session.engine.remaining() == 35
    event = session.recorder.of(Extended)[-1]
    assert event.by == 10 and event.remaining == 35 and event.deadline == 45
    finished = await session.finish()
    assert finished.extended == 10
    assert finished.elapsed == pytest.approx(189)
    assert finished.outcomes[0].active == pytest.approx(130)
    total_identity(finished, plan)


async def test_shorten_never_leaves_less_than_1_s() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    engine = session.engine
    await session.at(30)  # 5 s left of the hold
    assert await session.act(engine.shorten, 10)
    assert engine.remaining() == 1
    assert session.recorder.of(Extended)[-1].by == -4
    await session.wait(0.5)
    assert not await session.act(engine.shorten)  # 0.5 s left: nothing to take
    assert engine.remaining() == 0.5
    finished = await session.finish()
    assert finished.extended == -4
    assert finished.elapsed == pytest.approx(175)
    assert finished.outcomes[0].status == "done"


async def test_shorten_while_paused_changes_the_frozen_time() -> None:
    session = await Session(mixed_plan()).start()
    engine = session.engine
    await session.at(10)
    await session.act(engine.pause)
    await session.act(engine.shorten, 10)
    assert engine.remaining() == 15
    await session.act(engine.extend, 2.5)
    assert engine.remaining() == 17.5
    assert session.recorder.of(Extended)[-1].deadline is None
    await session.act(engine.resume)
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(179 - 7.5 + 3)


async def test_extend_during_tempo_affects_only_that_step() -> None:
    plan = mixed_plan()
    on = plan.steps[first_of_kind(plan, "on")]
    session = await Session(plan).start()
    await session.at(on.start + 1)
    assert await session.act(session.engine.extend, 10)
    await session.finish()
    started = {e.step.index: e.at for e in session.recorder.of(StepStarted)}
    assert started[on.index + 1] == on.end + 10
    assert started[on.index + 2] == on.end + 11
    assert started[on.index + 3] == on.end + 12
    last_reps = [
        e.step
        for e in session.recorder.of(StepStarted)
        if e.step.entry == 1 and e.step.is_last_rep and e.step.kind != "prepare"
    ]
    assert [(s.kind, s.rep, s.reps) for s in last_reps] == [
        ("on", 3, 3),
        ("hold", 3, 3),
        ("off", 3, 3),
    ]


async def test_extend_rejects_nonsense() -> None:
    session = await Session(mixed_plan()).start()
    with pytest.raises(ValueError, match="extend"):
        session.engine.extend(float("nan"))


# ----------------------------------------------------------------------------- stop, start, end


async def test_stop_twice_finishes_once() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(50)
    assert await session.act(session.engine.stop)
    assert not await session.act(session.engine.stop)
    finished = await session.finish()
    assert not finished.completed
    assert finished.elapsed == 50
    assert [o.status for o in finished.outcomes] == ["partial", "not-reached", "not-reached"]
    assert session.recorder.of(StepEnded)[-1].how == "cut"
    assert len(session.recorder.of(Finished)) == 1
    assert session.engine.state == "finished"
    assert session.engine.step is None
    total_identity(finished, plan)


def step_controls(engine: Engine) -> tuple[Callable[[], bool], ...]:
    """Every control a person has over a session, except stop."""
    return (
        engine.pause,
        engine.resume,
        engine.toggle_pause,
        engine.skip,
        engine.back,
        engine.next_step,
        engine.extend,
        engine.shorten,
        engine.restart_exercise,
    )


async def test_controls_before_the_start_do_nothing_and_stop_ends_run_at_once() -> None:
    plan = mixed_plan()
    session = Session(plan)
    engine = session.engine
    assert engine.state == "idle"
    assert engine.remaining() == 0 and engine.elapsed() == 0
    assert engine.session_remaining() == 179
    for control in step_controls(engine):
        assert control() is False
    assert await session.act(engine.stop)
    assert not await session.act(engine.stop)
    await session.start()
    finished = await session.finish()
    assert not finished.completed and finished.elapsed == 0
    # It never began: its end alone, so history has no session to record.
    assert session.recorder.names() == ["Finished"]
    assert all(o.status == "not-reached" for o in finished.outcomes)


async def test_a_stop_in_a_get_ready_leaves_that_exercise_not_reached_not_skipped() -> None:
    session = await Session(mixed_plan()).start()
    await session.at(142)  # ankle pumps' get-ready, 2 s in
    await session.act(session.engine.stop)
    finished = await session.finish()
    # Nobody chose to skip ankle pumps: the session ended before any of it was stretched.
    assert exercise_story(session)[-1] == ("ends", 1, "not-reached", "cut", 0, 142)
    assert [o.status for o in finished.outcomes] == ["done", "not-reached", "not-reached"]


async def test_controls_after_the_end_do_nothing() -> None:
    session = await run_plan(mixed_plan())
    engine = session.engine
    count = len(session.events)
    for control in (*step_controls(engine), engine.stop):
        assert control() is False
    await session.wait(10)
    assert len(session.events) == count
    assert engine.remaining() == 0 and engine.elapsed() == 179
    with pytest.raises(RuntimeError):
        await engine.run()


async def test_cancelling_run_reports_a_stopped_session() -> None:
    session = await Session(mixed_plan()).start()
    await session.at(12)
    assert session.task is not None
    session.task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await session.task
    finished = session.engine.finished
    assert finished is not None and not finished.completed and finished.elapsed == 12


class LoopReports:
    """Collects what asyncio reports to the loop's exception handler (an exception never
    retrieved, a task destroyed while pending): what a person would see printed on leaving."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        self.messages.append(f"{context.get('message')}: {context.get('exception')!r}")

    async def collect(self) -> list[str]:
        """Let everything left run out, then let the garbage collector find what was dropped."""
        for _ in range(3):
            await settle()
            gc.collect()
        return self.messages


@pytest.fixture
async def loop_reports() -> AsyncIterator[LoopReports]:
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    reports = LoopReports()
    loop.set_exception_handler(reports)
    try:
        yield reports
    finally:
        loop.set_exception_handler(previous)


@pytest.mark.parametrize("when", ["in a step", "in the drain", "in the drain after a cancel"])
async def test_cancelling_run_anywhere_leaves_nothing_unretrieved(
    when: str, loop_reports: LoopReports
) -> None:
    """Leaving the app cancels the session's task wherever it is: in a step, or while run()
    waits for the listeners at the end (here for one that is stuck). Nothing may be printed
    then, the app must not hang, the cancellation must go on, and the listeners that keep up
    (history) must still hear that the session ended."""
    gate = asyncio.Event()  # never set: a listener stuck for as long as the test lasts
    stuck_seen: list[Event] = []

    async def stuck(event: Event) -> None:
        stuck_seen.append(event)
        await gate.wait()

    session = Session(mixed_plan())
    session.engine.listener_grace = 30.0  # real seconds: only a cancellation ends the drain
    session.engine.add_listener(stuck)
    await session.start()
    await session.at(12)
    assert session.task is not None
    if when == "in the drain":
        await session.act(session.engine.stop)  # run() now waits for the stuck listener
    begun = time.monotonic()
    session.task.cancel()
    if when == "in the drain after a cancel":
        await settle()  # run() is giving the listeners a last moment; cancel that too
        assert not session.task.done()
        session.task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await session.task
    assert time.monotonic() - begun < 5  # a last moment for the listeners, not their 30 s
    finished = session.engine.finished
    assert finished is not None and not finished.completed and finished.elapsed == 12
    assert isinstance(session.events[-1], Finished)
    assert stuck_seen == session.events[:1]  # the stuck one never got further
    assert await loop_reports.collect() == []
    # Every task the engine started (its listeners' and its own helpers) is over.
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_a_clock_that_cannot_sleep_ends_the_session_with_its_error(
    loop_reports: LoopReports,
) -> None:
    class Broken(VirtualClock):
        async def sleep_until(self, deadline: float) -> None:
            raise OSError("clock gone")

    engine = Engine(mixed_plan(), clock=Broken(5.0))
    heard: list[Event] = []
    engine.add_listener(heard.append)
    with pytest.raises(OSError, match="clock gone"):
        await asyncio.wait_for(engine.run(), 5)  # not a runner spinning on it for ever
    # The listeners still hear that the session ended, as a stopped one.
    assert isinstance(heard[-1], Finished) and not heard[-1].completed
    assert await loop_reports.collect() == []


async def test_empty_plan_finishes_at_once() -> None:
    plan = mixed_plan()
    empty = Plan(plan.routine, ())
    session = await run_plan(empty)
    finished = session.recorder.of(Finished)[0]
    assert finished.completed and finished.elapsed == 0


# ----------------------------------------------------------------------------- clock jumps


async def test_a_clock_jump_past_a_deadline_pauses_and_redoes_the_step() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    engine = session.engine
    await session.at(10)
    await session.clock.jump(100)  # frozen for 100 s during the hold ending at 35
    assert engine.state == "paused"
    assert engine.step == plan.steps[1]  # did not race through the missed steps
    jumped = session.recorder.of(ClockJumped)
    assert len(jumped) == 1
    assert jumped[0].late_by == pytest.approx(75)
    assert jumped[0].lost == pytest.approx(105)
    assert engine.remaining() == 30  # the whole hold again
    assert [e.step.index for e in session.recorder.of(StepStarted)] == [0, 1]
    await session.wait(5)
    await session.act(engine.resume)
    await session.wait(3 + 29.9)
    assert engine.step == plan.steps[1]
    await session.wait(0.1)
    assert engine.step == plan.steps[2]
    finished = await session.finish()
    assert finished.paused == pytest.approx(105 + 5)
    assert finished.elapsed == pytest.approx(179 + 110 + 3)
    assert finished.outcomes[0].status == "done"
    assert finished.outcomes[0].active == pytest.approx(120)
    total_identity(finished, plan)


async def test_a_short_delay_is_not_a_clock_jump() -> None:
    plan = mixed_plan()
    session = await Session(plan).start()
    await session.at(34)
    await session.clock.jump(2.9)  # 1.9 s past the end of the hold
    assert session.recorder.of(ClockJumped) == []
    assert session.engine.state == "running"
    assert session.engine.step == plan.steps[2]
    assert session.recorder.of(StepStarted)[-1].at == 35
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(179)


async def test_a_clock_jump_during_the_count_in_pauses_again() -> None:
    session = await Session(mixed_plan()).start()
    engine = session.engine
    await session.at(20)
    await session.act(engine.pause)
    await session.act(engine.resume)
    await session.clock.jump(10)
    assert engine.state == "paused"
    assert engine.remaining() == 15
    await session.act(engine.resume)
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(179 + 10 + 3)
    total_identity(finished, mixed_plan())


# ----------------------------------------------------------------------------- listeners


async def test_a_raising_listener_is_logged_and_disturbs_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    plan = mixed_plan()
    baseline = await run_plan(plan)

    def broken(event: Event) -> None:
        raise RuntimeError("speaker on fire")

    session = Session(plan)
    session.engine.add_listener(broken)
    later = session.recorder
    session.engine.remove_listener(later)
    session.engine.add_listener(later)  # after the broken one, so it would see any disruption
    with caplog.at_level(logging.ERROR, logger="timer_app.session.listeners"):
        await session.start()
        await session.finish()
    assert later.events == baseline.recorder.events
    assert later.times == baseline.recorder.times
    assert "speaker on fire" in caplog.text


async def test_a_slow_async_listener_does_not_hold_up_the_clock() -> None:
    plan = mixed_plan()
    baseline = await run_plan(plan)
    gate = asyncio.Event()
    slow_seen: list[Event] = []

    async def slow(event: Event) -> None:
        await gate.wait()  # stuck until the whole session is over
        slow_seen.append(event)

    session = Session(plan)
    session.engine.add_listener(slow)
    await session.start()
    while session.engine.state != "finished":
        deadline = session.clock.next_deadline()
        assert deadline is not None
        await session.clock.advance_to(deadline)
    assert session.recorder.events == baseline.recorder.events
    assert session.recorder.times == baseline.recorder.times
    assert slow_seen == []
    gate.set()
    assert session.task is not None
    await session.task  # run() waits for listeners to catch up
    assert slow_seen == baseline.recorder.events


async def test_a_blocking_listener_in_a_thread_keeps_real_time() -> None:
    plan = plan_of(tempo("Quick", reps=3, on=0.05, off=0.05, end_hold=0, prepare=0.05))
    engine = Engine(plan, clock=MonotonicClock())
    starts: list[float] = []

    def blocking(event: Event) -> None:
        if isinstance(event, StepStarted) and event.step.index < 2:
            time.sleep(0.2)  # e.g. playing a sound synchronously

    engine.add_listener(blocking, blocking=True)
    engine.add_listener(
        lambda e: starts.append(time.monotonic()) if isinstance(e, StepStarted) else None
    )
    begun = time.monotonic()
    finished = await engine.run()
    assert finished.elapsed == pytest.approx(plan.total, abs=1e-6)
    # The listener blocks for 0.2 s at a time; had it held up the clock, steps would be that
    # late. The margin below it is for a busy test machine.
    for handled, step in zip(starts, plan.steps, strict=True):
        assert handled - begun - step.start < 0.15


async def test_controls_from_a_listener_take_effect_at_once() -> None:
    plan = mixed_plan()
    session = Session(plan)
    engine = session.engine

    def no_rests(event: Event) -> None:
        if isinstance(event, StepStarted) and event.step.kind == "rest":
            engine.next_step()  # a sync callback on the loop thread

    engine.add_listener(no_rests)
    await session.start()
    finished = await session.finish()
    assert finished.elapsed == pytest.approx(179 - 10)
    rests = [e for e in session.recorder.of(StepEnded) if e.step.kind == "rest"]
    assert [(e.how, e.remaining) for e in rests] == [("cut", 5), ("cut", 5)]


async def test_listener_added_during_the_session_gets_later_events() -> None:
    session = await Session(mixed_plan()).start()
    await session.at(50)
    late: list[Event] = []
    session.engine.add_listener(late.append)
    await session.finish()
    assert isinstance(late[-1], Finished)
    assert all(e.at >= 50 for e in late)


# ----------------------------------------------------------------------------- read API


async def test_read_api_while_running() -> None:
    plan = mixed_plan()
    session = await Session(plan, start=500).start()
    engine = session.engine
    await session.at(20)
    assert engine.state == "running"
    assert engine.index == 1 and engine.step == plan.steps[1]
    assert engine.deadline == 535
    assert engine.remaining() == 15
    assert engine.elapsed() == 20
    assert engine.session_remaining() == 159
    assert engine.count_in_remaining() == 0
    assert engine.finished is None
    await session.finish()
    assert engine.finished is not None and engine.state == "finished"
    assert engine.session_remaining() == 0


async def test_remaining_is_never_negative_even_if_the_runner_is_late() -> None:
    session = await Session(mixed_plan()).start()
    session.clock._now = 36.5  # moved without waking anyone, as a busy loop would see it
    assert session.engine.remaining() == 0


# -- waiting for the person to start (a session shared to a phone) ------------------------------


async def test_a_session_that_waits_for_start_keeps_its_clock_still_until_started() -> None:
    session = Session(plan_of(held("Reach", seconds=10, reps=1, prepare=5, per_side=False)))
    session.task = asyncio.create_task(session.engine.run(wait_for_start=True))
    await session.wait(60)  # a minute spent opening the page on a phone
    assert session.engine.waiting
    assert session.engine.state == "idle"
    assert session.events == []
    assert session.engine.pause() is False  # nothing to pause yet
    assert await session.act(session.engine.start)
    assert not session.engine.waiting
    assert session.engine.start() is False  # once only
    await session.wait(0)
    assert session.engine.state == "running"
    assert session.engine.remaining() == 5  # the whole get-ready, not 55 s into it
    finished = await session.finish()
    assert finished.completed and finished.began
    assert finished.elapsed == 15  # from the start, not from the run


async def test_stop_while_waiting_to_start_ends_the_session_with_nothing_done() -> None:
    session = Session(plan_of(held("Reach", seconds=10, reps=1, prepare=5, per_side=False)))
    session.task = asyncio.create_task(session.engine.run(wait_for_start=True))
    await session.wait(3)
    assert await session.act(session.engine.stop)
    finished = await session.task
    assert not finished.completed and not finished.began
    assert finished.elapsed == 0
    assert not session.engine.waiting
    assert session.recorder.names() == ["Finished"]


async def test_start_does_nothing_to_a_session_not_asked_to_wait() -> None:
    session = await Session(
        plan_of(held("Reach", seconds=10, reps=1, prepare=5, per_side=False))
    ).start()
    assert session.engine.start() is False
    await session.act(session.engine.stop)  # at once, at 0:00: it did begin
    finished = await session.finish()
    assert finished.began and finished.elapsed == 0


async def test_stop_as_of_pause_ends_the_session_when_it_paused() -> None:
    session = await Session(
        plan_of(held("Reach", seconds=10, reps=1, prepare=5, per_side=False))
    ).start()
    await session.at(7)
    await session.act(session.engine.pause)
    await session.wait(30)  # a question on screen
    await session.act(lambda: session.engine.stop(as_of_pause=True))
    finished = await session.finish()
    assert (finished.elapsed, finished.paused, finished.active) == (7, 0, 2)
    assert finished.at == 7
