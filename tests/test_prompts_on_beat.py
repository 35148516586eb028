"""Prompts on the beat: rendered ahead of time and played through the cues' player with the
cue's length of silence in front; the live voice only when a rendering is not ready; and
pause, skip, back, +/-10 s and rounds never make a prompt be said twice or stale."""

from __future__ import annotations

import asyncio
import shutil
import threading
from array import array
from dataclasses import dataclass, field

import pytest

from engine_support import Session, eventually, held, plan_of, tempo
from timer_app.core.plan import Plan
from timer_app.session.prompts import FINISHED, prompts_of
from timer_app.sound import SoundListener
from timer_app.sound.listener import FOLLOW_GAP, SPEECH_AFTER_CUE
from timer_app.sound.rendered import RenderedPrompts
from timer_app.sound.speech import SpeechEngine, find_engine
from timer_app.testing import VirtualClock

CUE_LENGTH = 0.4
"""Every fake cue lasts this long, so a prompt's lead is this (under SPEECH_AFTER_CUE)."""
ENGINE = SpeechEngine("fake", ("fake",), ("-w",))


def encode(text: str) -> array[int]:
    """A rendering that carries its own text, so the player can tell which prompt it got."""
    data = text.encode()
    return array("h", data + b"\0" * (len(data) % 2))


def decode(samples: array[int]) -> str:
    return samples.tobytes().rstrip(b"\0").decode()


@dataclass
class SpeakingPlayer:
    """A player with a speech channel that notes, on the session's clock, what it was given."""

    clock: VirtualClock
    name: str = "fake"
    muted: bool = False
    volume: int = 100
    played: list[str] = field(default_factory=list)
    calls: list[tuple[str, str, float, float]] = field(default_factory=list)
    """(what: "cue", "speak" or "hush", text or cue name, lead, loop time)."""

    def _now(self) -> float:
        return self.clock.now()

    def play(self, name: str) -> None:
        self.played.append(name)
        self.calls.append(("cue", name, 0.0, self._now()))

    def speak(self, samples: array[int], lead: float) -> bool:
        self.calls.append(("speak", decode(samples), lead, self._now()))
        return True

    def hush(self) -> None:
        self.calls.append(("hush", "", 0.0, self._now()))

    def duration(self, name: str) -> float:
        return CUE_LENGTH

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        return self.muted

    def set_volume(self, volume: int) -> None:
        self.volume = volume

    def close(self) -> None:
        pass

    def heard(self) -> list[str]:
        """The prompts that began to sound: given, and not cut (by a hush or a newer prompt)
        before their lead of silence was over."""
        out = []
        pending: tuple[str, float] | None = None
        for what, text, lead, at in [*self.calls, ("end", "", 0.0, float("inf"))]:
            if what in ("speak", "hush", "end") and pending is not None:
                if at >= pending[1]:
                    out.append(pending[0])
                pending = None
            if what == "speak":
                pending = (text, at + lead)
        return out


@dataclass
class LiveVoice:
    """The live voice's side of the contract: what it was asked to say, and stops."""

    said: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    stops: int = 0
    engine: SpeechEngine = ENGINE

    def say(self, text: str, *, delay: float = 0.0, stale_after: float = 1.0) -> None:
        self.said.append(text)

    def stop(self) -> None:
        self.stops += 1

    async def aclose(self, grace: float = 0.0) -> None:
        pass


def setup(
    plan: Plan, *, render_all: bool = True, render: object = None
) -> tuple[Session, SpeakingPlayer, LiveVoice, RenderedPrompts, SoundListener]:
    session = Session(plan)
    player = SpeakingPlayer(session.clock)
    voice = LiveVoice()
    rendered = RenderedPrompts(ENGINE, render=render or encode)  # type: ignore[arg-type]
    if render_all:
        rendered.want([*prompts_of(plan), FINISHED])
    listener = SoundListener(
        player,  # type: ignore[arg-type]
        voice,  # type: ignore[arg-type]
        plan=plan,
        clock=session.clock,
        rendered=rendered,
    )
    session.engine.add_listener(listener)
    return session, player, voice, rendered, listener


def every_prompt(plan: Plan) -> list[str]:
    return [text for text in prompts_of(plan) if text]


async def run_rendered(plan: Plan) -> tuple[SpeakingPlayer, LiveVoice]:
    """Render every prompt of `plan`, then run it untouched to its end."""
    session, player, voice, rendered, listener = setup(plan)
    await eventually(lambda: all(rendered.ready(t) for t in every_prompt(plan)))
    await session.start()
    await session.finish()
    await listener.aclose(grace=1)
    rendered.close()
    return player, voice


TEMPO_PLAN = plan_of(
    held("Knee to chest", seconds=6, reps=2, rest=2, prepare=3, per_side=True),
    tempo("Pelvic tilt", reps=3, on=2, off=1, end_hold=0, prepare=3),
)


async def test_rendered_prompts_start_with_their_cue_on_the_device() -> None:
    player, voice = await run_rendered(TEMPO_PLAN)
    assert player.heard() == [*every_prompt(TEMPO_PLAN), FINISHED]
    assert "2." in player.heard()  # the tempo reps are counted
    assert voice.said == []  # the live voice was never needed
    # Each prompt is handed over at the very moment of its cue (the same loop callback), with
    # the cue's length of silence before it: the device starts it as the cue has sounded.
    calls = player.calls
    for i, (what, text, lead, at) in enumerate(calls):
        if what != "speak":
            continue
        cue = next(c for c in reversed(calls[:i]) if c[0] == "cue")
        if cue[1] == "exercise-done":
            # The next step's cue follows "exercise done"; the prompt follows that cue.
            assert lead == pytest.approx(CUE_LENGTH + FOLLOW_GAP + CUE_LENGTH)
        else:
            assert lead == pytest.approx(min(SPEECH_AFTER_CUE, CUE_LENGTH)), text
        assert at == cue[3], text


async def test_a_prompt_not_rendered_yet_is_said_live_once_and_never_again() -> None:
    gate = threading.Event()

    def slow(text: str) -> array[int]:
        gate.wait(5)
        return encode(text)

    plan = plan_of(held("Reach", seconds=4, reps=1, prepare=2, per_side=False))
    session, player, voice, rendered, listener = setup(plan, render_all=False, render=slow)
    await session.start()  # "Reach" is due CUE_LENGTH after its cue, and is not rendered
    await asyncio.sleep(CUE_LENGTH + 0.1)
    intro = every_prompt(plan)[0]
    assert voice.said == [intro]
    gate.set()
    await eventually(lambda: rendered.ready(intro))
    await session.finish()
    await listener.aclose(grace=1)
    rendered.close()
    assert voice.said.count(intro) == 1
    assert intro not in player.heard()


async def test_a_prompt_rendered_while_its_cue_sounds_is_played_when_due() -> None:
    def soon(text: str) -> array[int]:
        threading.Event().wait(0.1)
        return encode(text)

    plan = plan_of(held("Reach", seconds=4, reps=1, prepare=2, per_side=False))
    session, player, voice, rendered, listener = setup(plan, render_all=False, render=soon)
    await session.start()
    await asyncio.sleep(CUE_LENGTH + 0.1)
    intro = every_prompt(plan)[0]
    assert player.heard() == [intro]
    speak = next(c for c in player.calls if c[0] == "speak")
    assert speak[2] == 0.0  # due now: no lead left
    assert voice.said == []
    await session.finish()
    await listener.aclose(grace=1)
    rendered.close()


async def test_pause_silences_a_waiting_prompt_and_resume_does_not_repeat_it() -> None:
    session, player, voice, rendered, listener = setup(TEMPO_PLAN)
    await eventually(lambda: all(rendered.ready(t) for t in every_prompt(TEMPO_PLAN)))
    await session.start()
    await session.at(11)  # the left side's second hold begins (3-9 the first, then a rest)
    assert player.calls[-1][:2] == ("speak", "Rep 2 of 2.")
    await session.act(session.engine.pause)  # within the cue: the prompt has not begun
    await session.act(session.engine.resume)
    await session.finish(resume=True)
    await listener.aclose(grace=1)
    rendered.close()
    # Each side has a second rep; the left one's was cut by the pause and not said after it.
    assert player.heard().count("Rep 2 of 2.") == 1
    assert voice.stops >= 1 and voice.said == []


async def test_skip_and_back_say_nothing_stale_and_nothing_twice() -> None:
    plan = plan_of(
        held("Reach", seconds=10, reps=1, prepare=2, per_side=True),
        held("Bend", seconds=10, reps=1, prepare=2, per_side=False),
    )
    session, player, voice, rendered, listener = setup(plan)
    await eventually(lambda: all(rendered.ready(t) for t in every_prompt(plan)))
    intro_reach, switch, intro_bend = every_prompt(plan)
    await session.start()
    await session.act(session.engine.skip)  # during Reach's waiting intro: on to Bend
    await session.act(session.engine.back)  # at once back to Reach
    await asyncio.sleep(CUE_LENGTH + 0.1)
    assert player.heard() == [intro_reach]  # the two cut before they began: never heard
    await session.at(14)  # Reach left done; switch sides at 12
    await session.act(session.engine.extend)  # +10 s: nothing is said again
    await session.act(session.engine.shorten)
    await session.finish()
    await listener.aclose(grace=1)
    rendered.close()
    assert player.heard() == [intro_reach, switch, intro_bend, FINISHED]
    assert voice.said == []


async def test_every_round_says_its_prompts_again() -> None:
    plan = plan_of(held("Reach", seconds=4, reps=1, prepare=2, per_side=False), rounds=2)
    player, _voice = await run_rendered(plan)
    assert player.heard() == [*every_prompt(plan), FINISHED]
    assert len(every_prompt(plan)) >= 2


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_espeak_ng_renders_prompts_at_the_device_rate() -> None:
    engine = find_engine(["espeak-ng"])
    assert engine is not None
    rendered = RenderedPrompts(engine)
    rendered.want(["Switch sides.", "1."])
    deadline = threading.Event()
    for _ in range(100):
        if rendered.ready("Switch sides.") and rendered.ready("1."):
            break
        deadline.wait(0.05)
    samples = rendered.get("Switch sides.")
    rendered.close()
    assert samples is not None
    assert 0.4 < len(samples) / 22050 < 3.0
    assert max(abs(s) for s in samples) > 3000
