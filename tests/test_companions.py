"""Companions: sound and voice attached to each session, with the audio device opening in a
thread so that no session waits for it, and nothing said from the wrong thread."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from engine_support import Session, eventually, held, plan_of
from timer_app.companions import Companions


def slow_to_open(companions: Companions, seconds: float) -> threading.Event:
    """Make opening take `seconds` longer (as loading an audio library can); returns an event
    that is set once opening has begun."""
    begun = threading.Event()
    real_open = companions._open

    def open_slowly() -> None:
        begun.set()
        time.sleep(seconds)
        real_open()

    companions._open = open_slowly  # type: ignore[method-assign]
    return begun


def bell_companions() -> tuple[Companions, list[str]]:
    companions = Companions(sound="bell")
    rings: list[str] = []
    companions.ring = lambda: rings.append(threading.current_thread().name)
    return companions, rings


async def started_while_the_device_opens() -> tuple[Session, list[str]]:
    """A 5 s get-ready and a 10 s hold, started while the bell takes 0.3 s to open."""
    companions, rings = bell_companions()
    slow_to_open(companions, 0.3)
    companions.start_opening()
    session = Session(plan_of(held("Reach", seconds=10, reps=1, prepare=5, per_side=False)))
    companions.attach(session.engine)
    await session.start()
    return session, rings


async def test_a_session_does_not_wait_for_the_device_and_its_first_cue_still_sounds() -> None:
    session, rings = await started_while_the_device_opens()
    # The session is under way at once; the get-ready cue waits for the device.
    assert session.engine.state == "running"
    assert rings == []
    await eventually(lambda: bool(rings))
    assert rings == ["MainThread"]  # get ready, on the loop's thread, not the opener's
    await session.at(5)
    assert len(rings) == 5  # ... then 3, 2, 1 and hold, each at its moment


async def test_cues_gone_stale_while_the_device_opened_are_dropped() -> None:
    session, rings = await started_while_the_device_opens()
    await session.at(5)  # the whole get-ready passed before the device was ready
    await eventually(lambda: bool(rings))
    await asyncio.sleep(0.1)  # any cue left waiting for the device would sound by now
    # Only the hold, which is due now: get ready and its countdown are old news.
    assert len(rings) == 1
    await session.finish()


async def test_notices_from_opening_reach_the_view_on_its_own_thread() -> None:
    companions = Companions(sound="no-such-backend")
    said: list[tuple[str, str]] = []
    companions.notify = lambda text: said.append((threading.current_thread().name, text))
    companions.ring = lambda: None
    companions.start_opening()
    session = Session(plan_of(held("Reach", seconds=2, reps=1, prepare=1, per_side=False)))
    companions.attach(session.engine)
    await session.start()
    await eventually(lambda: bool(said))
    await session.finish()
    assert {thread for thread, _ in said} == {"MainThread"}
    assert said[0][1].startswith("Sound: unknown choice 'no-such-backend'")


@pytest.mark.parametrize("opening", [True, False])
async def test_mute_silences_cues_whether_or_not_the_device_was_still_opening(
    opening: bool,
) -> None:
    companions, rings = bell_companions()
    if opening:
        companions.start_opening()
    assert companions.toggle_mute()  # waits for the device if need be
    assert companions.muted
    session = Session(plan_of(held("Reach", seconds=4, reps=1, prepare=2, per_side=False)))
    companions.attach(session.engine)
    await session.start()
    await session.finish()
    assert rings == []
    assert not companions.toggle_mute()


async def test_voice_asked_for_without_an_engine_is_one_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    companions = Companions(sound="off", voice=True)
    said: list[str] = []
    companions.notify = said.append
    companions.start_opening()
    session = Session(plan_of(held("Reach", seconds=2, reps=1, prepare=1, per_side=False)))
    companions.attach(session.engine)
    await session.start()
    await eventually(lambda: bool(said))
    await session.finish()
    await companions.session_over()
    companions.close()
    assert said == ["Voice: no speech engine found (install espeak-ng); cues only."]


async def test_attaching_a_session_opens_no_history_and_the_session_is_still_recorded() -> None:
    # Opening the history (sqlite3, the record code, a check of the file) is the recorder's
    # first job in its own thread: the event loop draws the session meanwhile.
    from history_support import sessions_in

    companions = Companions(sound="off", history=True)
    session = Session(plan_of(held("Reach", seconds=2, reps=1, per_side=False)))
    companions.attach(session.engine)
    assert not companions.history_open  # attaching opened nothing
    await session.start()
    await session.at(session.plan.total)
    assert session.task is not None
    # The end waits for the recorder's last write, in real time (a thread writes it).
    await asyncio.wait_for(session.task, 10)
    await companions.history_written()
    assert companions.history_open
    history = companions.history
    assert history is not None
    [recorded] = sessions_in(history)
    assert recorded.state == "completed"
