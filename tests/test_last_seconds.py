"""The last seconds counted (`count_last`) and the time left said halfway through a long hold
(`say_halfway`): each word said from its rendering on the beat, ticks and the halfway cue
without a voice, and pause, skip, back and +/-10 s never making a number stale or doubled.

In virtual time, with the real engine and listener and a player that notes, for each word it is
given, how many seconds the engine has left in the step at that moment.
"""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_prompts_on_beat import CUE_LENGTH, ENGINE, LiveVoice, SpeakingPlayer, decode, encode
from test_sound import (
    RIG_GRANULE,
    AlsaCapture,
    builtin,
    capture,
    child_env,
    find_in_order,
    needs_alsa,
    needs_miniaudio,
)
from test_voice import espeak_shim, needs_espeak

from engine_support import Session, eventually, held, plan_of
from helpers import SHORT_ROUTINE
from timer_app.companions import Companions
from timer_app.core.plan import Plan
from timer_app.session.engine import Engine
from timer_app.session.prompts import halfway_text, timely_texts
from timer_app.sound import SoundListener
from timer_app.sound.backend import RATE
from timer_app.sound.listener import SPEECH_AFTER_CUE
from timer_app.sound.miniaudio_backend import FADE_SECONDS
from timer_app.sound.rendered import RenderedPrompts, render_with
from timer_app.sound.speech import find_engine
from timer_app.testing import VirtualClock
from timer_app.views.plain.run import run_plain

__all__ = ["capture"]  # the fixture, used by name

COUNT = ["3.", "2.", "1."]
STRETCH = [sys.executable, "-m", "timer_app"]


def spoken(text: str) -> array[int]:
    """A rendering half a second long (a count word as espeak-ng says it), carrying its text."""
    return array("h", [*encode(text), *[0] * round(0.5 * RATE)])


@dataclass
class CountingPlayer(SpeakingPlayer):
    """Also notes the engine's time left in the step as each word is handed over (a count
    word starts at once; the halfway time after its cue)."""

    engine: Engine | None = None
    left: list[tuple[str, float]] = field(default_factory=list)

    def speak(self, samples: array[int], lead: float) -> bool:
        assert self.engine is not None
        self.left.append((decode(samples), round(self.engine.remaining(), 6)))
        return super().speak(samples, lead)


def setup(
    plan: Plan,
    *,
    count: str = "aloud",
    say_halfway: bool = False,
    voice: bool = True,
    render_all: bool = True,
) -> tuple[Session, CountingPlayer, LiveVoice, RenderedPrompts | None, SoundListener]:
    session = Session(plan)
    session.engine.count_rests = count != "off"
    player = CountingPlayer(session.clock, engine=session.engine)
    live = LiveVoice()
    rendered = RenderedPrompts(ENGINE, render=spoken) if voice else None
    if rendered is not None and render_all:
        rendered.want([t for texts in timely_texts(plan, count=True, halfway=True) for t in texts])
    listener = SoundListener(
        player,  # type: ignore[arg-type]
        live if voice else None,  # type: ignore[arg-type]
        plan=plan,
        clock=session.clock,
        rendered=rendered,
        prompts=False,
        count=count,
        say_halfway=say_halfway,
    )
    session.engine.add_listener(listener)
    return session, player, live, rendered, listener


async def ready(rendered: RenderedPrompts | None, plan: Plan) -> None:
    assert rendered is not None
    texts = {t for step in timely_texts(plan, count=True, halfway=True) for t in step}
    await eventually(lambda: all(rendered.ready(t) for t in texts))


async def close(listener: SoundListener, rendered: RenderedPrompts | None) -> None:
    await listener.aclose(grace=1)
    if rendered is not None:
        rendered.close()


HOLD_AND_REST = plan_of(held("Reach", seconds=8, reps=2, rest=5, prepare=4, per_side=False))
"""get ready 0-4, hold 4-12, rest 12-17, hold 17-25."""


async def test_the_last_3_seconds_of_each_hold_and_rest_are_said_on_the_beat() -> None:
    session, player, live, rendered, listener = setup(HOLD_AND_REST)
    await ready(rendered, HOLD_AND_REST)
    await session.start()
    await session.finish()
    await close(listener, rendered)
    # Hold, rest, hold: "3." with 3 s left, "2." with 2, "1." with 1, each at once (no lead).
    assert player.left == [("3.", 3), ("2.", 2), ("1.", 1)] * 3
    assert player.heard() == COUNT * 3
    assert all(lead == 0 for what, _, lead, _ in player.calls if what == "speak")
    # The get-ready keeps its ticks (the count-in to the stretch); the said counts replace them.
    assert player.played.count("tick") == 2 and player.played.count("tick-last") == 1
    assert live.said == []


async def test_ticks_count_rests_too_and_off_leaves_them_silent_as_before() -> None:
    for count, rest_ticks in (("ticks", 3), ("off", 0)):
        session, player, _live, rendered, listener = setup(HOLD_AND_REST, count=count)
        await session.start()
        await session.finish()
        await close(listener, rendered)
        ticks = player.played.count("tick") + player.played.count("tick-last")
        assert ticks == 3 * 3 + rest_ticks, count  # get ready and two holds, and the rest
        assert player.heard() == []


async def test_without_a_voice_the_count_is_ticked() -> None:
    session, player, _live, rendered, listener = setup(HOLD_AND_REST, voice=False)
    await session.start()
    await session.finish()
    await close(listener, rendered)
    assert player.played.count("tick") == 2 * 4 and player.played.count("tick-last") == 4
    assert player.calls and all(what == "cue" for what, *_ in player.calls)


async def test_a_count_word_not_rendered_in_time_is_a_tick_never_said_late() -> None:
    session, player, live, rendered, listener = setup(HOLD_AND_REST, render_all=False)
    assert rendered is not None
    rendered.close()  # nothing will ever be rendered
    await session.start()
    await session.finish()
    await close(listener, rendered)
    assert player.heard() == [] and live.said == []
    assert player.played.count("tick-last") == 4


async def test_pause_in_a_count_goes_on_from_where_it_was_after_the_count_in() -> None:
    session, player, _live, rendered, listener = setup(HOLD_AND_REST)
    await ready(rendered, HOLD_AND_REST)
    await session.start()
    await session.at(9.5)  # "3." said at 9; 2.5 s left
    await session.act(session.engine.pause)
    # The word being said belongs to before the pause: hushed, then the pause's cue.
    assert [c[:2] for c in player.calls[-2:]] == [("hush", ""), ("cue", "paused")]
    await session.wait(20)
    await session.act(session.engine.resume)
    await session.finish()
    await close(listener, rendered)
    # "3." is not said again after the count-in; "2." and "1." come when they are so.
    assert player.left == [("3.", 3), ("2.", 2), ("1.", 1)] * 3
    assert player.played[-1] == "routine-complete"


async def test_skip_and_back_in_a_count_never_finish_the_old_count() -> None:
    plan = plan_of(
        held("Reach", seconds=8, reps=1, prepare=4, per_side=False),
        held("Bend", seconds=8, reps=1, prepare=4, per_side=False),
    )
    session, player, _live, rendered, listener = setup(plan)
    await ready(rendered, plan)
    await session.start()
    await session.at(10.5)  # Reach: "3." and "2." said
    await session.act(session.engine.skip)
    assert player.calls[-1][0] in ("hush", "cue")
    assert any(what == "hush" for what, *_ in player.calls[-3:])
    await session.at(21)  # Bend: get ready from 10.5, hold 14.5-22.5; "3." and "2." said
    await session.act(session.engine.back)  # restarts Bend (more than 3 s of it has run)
    await session.finish()
    await close(listener, rendered)
    # Reach 3, 2 (cut by the skip); Bend 3, 2 (cut by back); Bend again 3, 2, 1: each number
    # said with that many seconds left, never one from before the control.
    cut = [("3.", 3), ("2.", 2)]
    assert player.left == [*cut, *cut, *cut, ("1.", 1)]


async def test_plus_and_minus_10_s_in_a_count_silence_it_and_count_again_from_the_new_end() -> None:
    session, player, _live, rendered, listener = setup(HOLD_AND_REST)
    await ready(rendered, HOLD_AND_REST)
    await session.start()
    await session.at(9.2)  # "3." is being said (half a second long)
    await session.act(session.engine.extend)  # 12.8 s left
    assert player.calls[-1][0] == "hush"
    await session.at(19.5)  # 2.5 s left: "3." said again at 3 s left
    await session.act(session.engine.shorten)  # to 1 s left: the word is cut, "1." at once
    assert [c[:2] for c in player.calls[-2:]] == [("hush", ""), ("speak", "1.")]
    await session.finish()
    await close(listener, rendered)
    # Every number was said with exactly that many seconds left; nothing twice in a row.
    assert player.left[:3] == [("3.", 3), ("3.", 3), ("1.", 1)]
    assert player.left[3:] == [("3.", 3), ("2.", 2), ("1.", 1)] * 2
    assert all(left == float(text[0]) for text, left in player.left)


LONG_HOLD = plan_of(held("Lie still", seconds=60, reps=1, prepare=4, per_side=False))


async def test_a_long_hold_says_the_time_left_after_its_halfway_cue() -> None:
    session, player, live, rendered, listener = setup(LONG_HOLD, count="off", say_halfway=True)
    await ready(rendered, LONG_HOLD)
    await session.start()
    await session.finish()
    await close(listener, rendered)
    assert player.heard() == ["Halfway. 30 seconds to go."]
    cue = next(c for c in player.calls if c[1] == "halfway")
    speak = next(c for c in player.calls if c[0] == "speak")
    assert speak[3] == cue[3] == 4 + 30  # handed over with its cue ...
    assert speak[2] == min(SPEECH_AFTER_CUE, CUE_LENGTH)  # ... to start as the cue has sounded
    assert live.said == []


async def test_after_10_s_more_the_halfway_says_the_new_time_left() -> None:
    session, player, live, rendered, listener = setup(LONG_HOLD, count="off", say_halfway=True)
    await ready(rendered, LONG_HOLD)
    await session.start()
    await session.at(10)
    await session.act(session.engine.extend)  # 70 s in all: halfway at 35 s left
    await eventually(lambda: rendered is not None and rendered.ready(halfway_text(35)))
    await session.finish()
    await close(listener, rendered)
    assert player.heard() == ["Halfway. 35 seconds to go."]
    assert player.left == [("Halfway. 35 seconds to go.", 35)]
    assert live.said == []


async def test_10_s_more_while_the_halfway_time_is_said_silences_it() -> None:
    session, player, _live, rendered, listener = setup(LONG_HOLD, count="off", say_halfway=True)
    await ready(rendered, LONG_HOLD)
    await session.start()
    await session.at(34.2)  # "Halfway. 30 seconds to go." handed over at 34, still sounding
    assert player.calls[-1][:2] == ("speak", "Halfway. 30 seconds to go.")
    await session.act(session.engine.extend)
    assert player.calls[-1][0] == "hush"  # 40 s to go now: the 30 is out of date
    await session.at(50)
    calls = len(player.calls)
    await session.act(session.engine.extend)  # long after it was said: nothing to silence
    assert len(player.calls) == calls
    await session.finish()
    await close(listener, rendered)


async def test_a_hold_under_45_s_and_no_voice_have_the_halfway_cue_alone() -> None:
    plan = plan_of(held("Lie still", seconds=40, reps=1, prepare=4, per_side=False))
    for each, voice in ((plan, True), (LONG_HOLD, False)):
        session, player, live, rendered, listener = setup(
            each, count="off", say_halfway=True, voice=voice
        )
        await session.start()
        await session.finish()
        await close(listener, rendered)
        assert player.played.count("halfway") == 1
        assert player.heard() == [] and live.said == []


def test_plain_mode_prints_no_line_for_a_counted_second() -> None:
    lines = {}
    for count in ("off", "ticks", "aloud"):
        out = io.StringIO()
        clock = VirtualClock(auto=True)
        companions = Companions(sound="off", count_last=count)
        run_plain(
            HOLD_AND_REST, stdout=out, stdin=io.StringIO(), clock=clock, companions=companions
        )
        lines[count] = out.getvalue().splitlines()
    assert lines["ticks"] == lines["off"] == lines["aloud"]


async def test_companions_make_the_engine_count_rests_unless_the_count_is_off() -> None:
    for count, counts in (("off", False), ("ticks", True), ("aloud", True)):
        engine = Engine(HOLD_AND_REST, clock=VirtualClock())
        companions = Companions(sound="off", count_last=count)
        companions.attach(engine)
        assert engine.count_rests is counts
    await asyncio.sleep(0)


def test_without_a_speech_engine_counting_aloud_gives_the_one_voice_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng, espeak, spd-say nor say
    told: list[str] = []
    for count, halfway in (("aloud", False), ("off", True), ("ticks", False)):
        companions = Companions(sound="off", count_last=count, say_halfway=halfway)
        companions.sound_notify = lambda notice: told.append(str(notice))
        assert companions.player.name == "off"
    assert told == ["Voice: no speech engine found (install espeak-ng); cues only."] * 2


@pytest.mark.slow
@needs_alsa
@needs_miniaudio
@needs_espeak
def test_through_a_sound_card_the_count_is_said_on_the_beat(
    capture: AlsaCapture, tmp_path: Path
) -> None:
    """Plain mode with `count_last: aloud` and espeak-ng: "3.", "2." and "1." reach the card
    whole, each as many seconds before the hold's end as it says, counted from the hold's cue
    in the very same stream."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "bell-test.yaml").write_text(SHORT_ROUTINE, encoding="utf-8")  # hold 4 s
    settings = capture.home / ".config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("volume: 100\ncount_last: aloud\n", encoding="utf-8")
    env = child_env(capture.home)
    env["PATH"], speech = espeak_shim(tmp_path, env["PATH"])
    done = subprocess.run(
        [
            *STRETCH,
            "--routines",
            str(routines),
            "run",
            "bell-test",
            "--plain",
            "--sound",
            "miniaudio",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    time.sleep(0.3)  # the last page on its way through the capture's pipe
    said = (speech / "said.txt").read_text(encoding="utf-8").splitlines()
    assert said == COUNT  # rendered ahead, once each, and nothing else said
    # The same words as the app rendered them: espeak-ng writes the same samples each time.
    engine = find_engine(["espeak-ng"])
    assert engine is not None
    words = {text: render_with(engine, tmp_path)(text) for text in COUNT}
    data = bytes(capture.data)
    head = 2 * round(FADE_SECONDS * RATE)
    [hold] = find_in_order(data, [builtin("hold")[head:]])
    hold -= head // 2
    for text in COUNT:
        samples = words[text]
        # Where the word is loud (its leading silence says nothing of where it is).
        start = next(i for i, s in enumerate(samples) if abs(s) > 1000)
        [found] = find_in_order(data, [samples[start : start + RATE // 5].tobytes()])
        onset = (found - start - hold) / RATE
        left = 4 - onset  # the hold lasts 4 s
        # Within what the rig can tell (its page-sized writes), as the cues are checked.
        assert abs(left - int(text[0])) < RIG_GRANULE + 0.02, (text, left)
