"""Choosing the voice: `voice:` in settings, the run flags, `stretch voices` and its preview,
and one VoiceChoice heard the same on the live path and the rendered one (real espeak-ng where
it is installed)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_sound import AlsaCapture, child_env, needs_alsa, needs_miniaudio

from engine_support import Session, eventually, held, plan_of, tempo
from helpers import REPO, on_terminal, stretch
from timer_app.config.settings import Settings, load_settings
from timer_app.config.voice import VoiceChoice
from timer_app.session.prompts import FINISHED, prompts_of
from timer_app.sound import SoundListener
from timer_app.sound.backend import RATE, gain_for
from timer_app.sound.notice import Notice
from timer_app.sound.rendered import RenderedPrompts, render_prompt
from timer_app.sound.speech import SpeechEngine, find_engine
from timer_app.sound.voice import Voice, make_voice
from timer_app.sound.voices import check_choice, find_voice, parse_voices
from timer_app.sound.wav import scaled

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(
    ESPEAK is None,
    reason="needs espeak-ng: scripts/setup-test-system installs it as root with apt",
)
CHOSEN = VoiceChoice("en-us", rate=120, pitch=30)


@pytest.fixture
def capture(tmp_path: Path) -> Iterator[AlsaCapture]:
    sink = AlsaCapture(tmp_path)
    yield sink
    sink.close()


# ----------------------------------------------------------------------------- the command line


def test_the_argv_for_each_choice() -> None:
    espeak = SpeechEngine("espeak-ng", ("/usr/bin/espeak-ng",), ("-w",), chooses=True)
    out = Path("/tmp/p.wav")
    assert espeak.argv("Switch sides.") == [
        "/usr/bin/espeak-ng", "-s", "165", "-p", "50", "Switch sides."
    ]  # fmt: skip
    assert espeak.argv("Switch sides.", out, CHOSEN) == [
        "/usr/bin/espeak-ng", "-v", "en-us", "-s", "120", "-p", "30",
        "-w", "/tmp/p.wav", "Switch sides.",
    ]  # fmt: skip
    assert espeak.argv("1.", None, VoiceChoice("en-gb+f3", 450, 0)) == [
        "/usr/bin/espeak-ng", "-v", "en-gb+f3", "-s", "450", "-p", "0", "1."
    ]  # fmt: skip
    # The text is always last and never read as an option.
    assert espeak.argv("-v de", None, CHOSEN)[-1] == "v de"
    # Engines that do not take espeak-ng's options run as they always have.
    say = SpeechEngine("say", ("say", "-r", "190"), ("-o",))
    assert say.argv("1.", None, CHOSEN) == ["say", "-r", "190", "1."]


@pytest.mark.parametrize(
    ("choice", "problem"),
    [
        ({"rate": 79}, "voice rate 79 is outside 80 to 450"),
        ({"pitch": 100}, "voice pitch 100 is outside 0 to 99"),
        ({"name": "-w"}, "'-w' is not a voice name"),
        ({"name": "en gb"}, "'en gb' is not a voice name"),
    ],
)
def test_a_choice_espeak_ng_would_misread_cannot_be_made(
    choice: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        VoiceChoice(**choice)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- settings


def settings_from(tmp_path: Path, text: str) -> tuple[Settings, list[str]]:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    settings, problems = load_settings(path)
    return settings, [str(problem).replace(str(path), "settings.yaml") for problem in problems]


def test_voice_in_settings_is_true_false_or_the_voice_to_speak_with(tmp_path: Path) -> None:
    settings, problems = settings_from(tmp_path, "voice: true\n")
    assert problems == []
    assert settings.voice is True and settings.voice_choice == VoiceChoice()
    settings, problems = settings_from(tmp_path, "voice: false\n")
    assert settings.voice is False
    settings, problems = settings_from(
        tmp_path, "volume: 50\nvoice:\n  name: en-gb\n  rate: 150\n  pitch: 40\n"
    )
    assert problems == []
    assert settings.voice is True
    assert settings.voice_choice == VoiceChoice("en-gb", 150, 40)
    settings, problems = settings_from(tmp_path, "voice: {rate: 200}\n")
    assert settings.voice_choice == VoiceChoice(rate=200)


def test_bad_voice_settings_name_file_line_and_field_and_the_defaults_stand(
    tmp_path: Path,
) -> None:
    settings, problems = settings_from(
        tmp_path,
        "volume: 50\nvoice:\n  name: --stdin\n  rate: 900\n  pitch: high\n  speed: 3\n",
    )
    assert problems == [
        "settings.yaml:3:9: voice.name: '--stdin' is not valid: a voice such as en-gb, "
        "en-us or en-us+f3 (see `stretch voices`)",
        "settings.yaml:4:9: voice.rate: 900 is outside 80 to 450",
        "settings.yaml:5:10: voice.pitch: expected a whole number, got 'high'",
        "settings.yaml:6:3: voice: unknown field 'speed'",
    ]
    # The mapping still turns the voice on; each bad value keeps its default.
    assert settings.voice is True
    assert settings.voice_choice == VoiceChoice()
    assert settings.volume == 50


def test_a_bare_voice_name_in_settings_is_answered_with_the_mapping_to_write(
    tmp_path: Path,
) -> None:
    settings, problems = settings_from(tmp_path, "sound: off\nvoice: en-gb\n")
    assert problems == [
        "settings.yaml:2:8: voice: expected true, false or a mapping of fields, got 'en-gb' "
        "(did you mean {name: en-gb}?)"
    ]
    assert settings.voice is False


# ----------------------------------------------------------------------------- espeak-ng's voices

LISTING = """\
Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  af              --/M      Afrikaans          gmw/af
 5  chr-US-Qaaa-x-west --/M      Cherokee_          iro/chr
 5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 5  en-gb-x-rp      --/M      English_(Received_Pronunciation) gmw/en-GB-x-rp       (en-gb 4)(en 5)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  fr-fr            30/F      French             roa/fr               (fr 5)
 5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)
 5  yue             --/M      Chinese_(Cantonese,_latin_as_Jyutping) sit/yue-Latn-jyutping (zh-yue 5)(zh 8)
espeak-ng: a warning that is not a voice
"""  # noqa: E501


def test_the_voice_listing_is_read_by_its_words_not_its_columns() -> None:
    voices = parse_voices(LISTING)
    assert [v.language for v in voices] == [
        "af", "chr-US-Qaaa-x-west", "cmn", "en-gb", "en-gb-x-rp", "en-us", "fr-fr", "yue", "yue"
    ]  # fmt: skip
    assert voices[2].name == "Chinese (Mandarin, latin as English)"
    assert voices[2].others == ("zh-cmn", "zh")
    assert voices[6].gender == "female"
    assert [v.language for v in voices if v.reads_prompts] == ["en-gb", "en-gb-x-rp", "en-us"]
    assert find_voice("en-us+f3", voices) == voices[5]
    assert find_voice("gmw/en-US", voices) == voices[5]
    assert find_voice("English (Great Britain)", voices) == voices[3]
    assert find_voice("xx", voices) is None


@needs_espeak
def test_an_unknown_voice_is_said_once_and_the_default_english_voice_speaks() -> None:
    notices: list[Notice] = []
    voice = make_voice(True, notices.append, choice=VoiceChoice("xx-nope", 140, 60))
    assert voice is not None
    assert [str(n) for n in notices] == [
        "Voice: espeak-ng has no voice 'xx-nope' (see `stretch voices`); "
        "using the default English voice, not xx-nope."
    ]
    # The app's header line says the outcome alone: it still names the voice.
    assert notices[0].short == "Voice: using the default English voice, not xx-nope."
    # Never silence: the rate and pitch stay, the engine's own English voice says it.
    assert voice.choice == VoiceChoice(None, 140, 60)
    samples = render_prompt("Switch sides.", voice.choice, engine=voice.engine)
    assert max(abs(s) for s in samples) > 3000


@needs_espeak
def test_a_voice_that_is_not_english_is_used_as_chosen_with_a_notice() -> None:
    engine = find_engine(["espeak-ng"])
    assert engine is not None
    choice, notice = check_choice(engine, VoiceChoice("de"))
    assert choice == VoiceChoice("de")
    assert str(notice) == (
        "Voice: de is not an English voice; the English prompts are read in German."
    )
    assert check_choice(engine, VoiceChoice("en-gb+f3", 150, 40)) == (
        VoiceChoice("en-gb+f3", 150, 40),
        None,
    )


def test_an_engine_without_voice_options_says_it_speaks_in_its_own() -> None:
    say = SpeechEngine("say", ("say",), ("-o",))
    assert check_choice(say, VoiceChoice()) == (VoiceChoice(), None)
    choice, notice = check_choice(say, CHOSEN)
    assert choice == CHOSEN
    assert str(notice) == (
        "Voice: say does not take a voice, rate or pitch; speaking in say's own voice."
    )


# ------------------------------------------------------------------ the same on both paths

# Stands in for espeak-ng: notes each command line it is given, one a line, and writes nothing.
LOGGING_ENGINE = """\
#!/bin/sh
printf '%s\\n' "$*" >> "{log}"
"""


async def test_the_live_and_the_rendered_paths_run_the_same_options(tmp_path: Path) -> None:
    log = tmp_path / "argv.txt"
    program = tmp_path / "espeak-ng"
    program.write_text(LOGGING_ENGINE.format(log=log), encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    engine = SpeechEngine("espeak-ng", (str(program),), ("-w",), chooses=True)
    rendered = RenderedPrompts(engine, choice=CHOSEN)
    rendered.want(["Switch sides."])
    await eventually(lambda: rendered.ready("Switch sides."))
    rendered.close()
    voice = Voice(engine, choice=CHOSEN)
    voice.say("Switch sides.")
    await voice.aclose(grace=5)
    ahead, live = log.read_text(encoding="utf-8").splitlines()
    options = "-v en-us -s 120 -p 30"
    assert ahead.startswith(f"{options} -w ") and ahead.endswith(" Switch sides.")
    assert live == f"{options} Switch sides."


class KeepingPlayer:
    """A player with a speech channel that keeps the samples of each prompt it is given."""

    name = "fake"
    muted = False
    volume = 100
    speaks = True

    def __init__(self) -> None:
        self.prompts: list[array[int]] = []

    def play(self, name: str) -> None:
        pass

    def speak(self, samples: array[int], lead: float) -> bool:
        self.prompts.append(samples)
        return True

    def hush(self) -> None:
        pass

    def duration(self, name: str) -> float:
        return 0.1


class NoLiveVoice:
    """Every prompt here is rendered first: the live voice must never be needed."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str, *, delay: float = 0.0, stale_after: float = 1.0) -> None:
        self.said.append(text)

    def stop(self) -> None:
        pass

    async def aclose(self, grace: float = 0.0) -> None:
        pass


PLAN = plan_of(
    held("Knee to chest", seconds=4, reps=1, prepare=2, per_side=True),
    tempo("Pelvic tilt", reps=2, on=2, off=1, end_hold=0, prepare=2),
)


async def session_prompts(choice: VoiceChoice) -> list[array[int]]:
    """Run PLAN with `choice`, every prompt rendered by espeak-ng first; what the player got."""
    engine = find_engine(["espeak-ng"])
    assert engine is not None
    session = Session(PLAN)
    player = KeepingPlayer()
    voice = NoLiveVoice()
    rendered = RenderedPrompts(engine, choice=choice)
    texts = [*(t for t in prompts_of(PLAN) if t), FINISHED]
    rendered.want(texts)
    await eventually(lambda: all(rendered.ready(t) for t in texts), within=30)
    listener = SoundListener(
        player,  # type: ignore[arg-type]
        voice,  # type: ignore[arg-type]
        plan=PLAN,
        clock=session.clock,
        rendered=rendered,
    )
    session.engine.add_listener(listener)
    await session.start()
    await session.finish()
    await listener.aclose(grace=1)
    rendered.close()
    assert voice.said == []
    assert len(player.prompts) == len(texts)
    return player.prompts


@needs_espeak
async def test_a_session_in_a_chosen_voice_plays_that_voice(tmp_path: Path) -> None:
    default = await session_prompts(VoiceChoice())
    chosen = await session_prompts(CHOSEN)
    for mine, theirs in zip(chosen, default, strict=True):
        assert mine != theirs
        # 120 words a minute against 165: each prompt is longer.
        assert len(mine) > len(theirs) * 1.15
    # And it is what render_prompt gives: the one way a text becomes speech.
    assert chosen[-1] == render_prompt(FINISHED, CHOSEN)


# ----------------------------------------------------------------------------- stretch voices


@needs_espeak
def test_stretch_voices_through_a_pipe() -> None:
    result = stretch("voices")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["VOICE", "NAME"]
    # The voices that can read the prompts come first.
    assert lines[1].startswith("*")
    marked = [line.split()[1] for line in lines if line.startswith("*")]
    assert "en-us" in marked and all(v.startswith("en") for v in marked)
    assert not any(line.split()[:1] == ["de"] for line in lines if line.startswith("*"))
    assert any(line.split()[:2] == ["de", "German"] for line in lines)
    assert max(len(line) for line in lines) <= 80
    assert "stretch voices --say en-gb" in result.stdout.replace("\n", " ")
    english = stretch("voices", "--english", "--json")
    listed = json.loads(english.stdout)
    assert {"voice": "en-gb", "reads_prompts": True}.items() <= next(
        v for v in listed if v["voice"] == "en-gb"
    ).items()
    assert all(v["reads_prompts"] for v in listed)


@needs_espeak
def test_stretch_voices_on_a_narrow_terminal_puts_each_name_under_its_voice() -> None:
    out = on_terminal("voices", "--english", columns=32)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 32
    at = lines.index("* en-gb")
    assert lines[at + 1] == "    English (Great Britain)"
    wide = on_terminal("voices", "--english", columns=100)
    assert any(
        line.split() == ["*", "en-gb", "English", "(Great", "Britain)"]
        for line in wide.splitlines()
    )


def test_stretch_voices_without_espeak_ng_says_how_to_install_it() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "timer_app", "voices"],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(REPO)},
        stdin=subprocess.DEVNULL,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "stretch: espeak-ng is not installed; on Debian or Ubuntu: sudo apt install espeak-ng\n"
    )


@needs_alsa
@needs_miniaudio
@needs_espeak
def test_the_preview_plays_through_the_cue_player_sample_for_sample(
    capture: AlsaCapture,
) -> None:
    settings = capture.home / ".config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("sound: miniaudio\nvolume: 80\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "timer_app", "voices", "--say", "en-us", "--rate", "150"],
        env=child_env(capture.home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    time.sleep(0.3)  # the last page still on its way through the capture's pipe
    first = "Lie down on your back. Pelvic tilt, 6 reps."
    # What a session in this voice would play: rendered the one way, scaled to the volume.
    expected = scaled(render_prompt(first, VoiceChoice("en-us", 150)), gain_for(80))
    data = bytes(capture.data)
    middle = len(expected) // 2
    found = data.find(expected[middle : middle + 2 * RATE // 2])
    assert found >= 0, "the prompt is not in the audio"
    assert found % 2 == 0
    # All of it, up to its last sample.
    start = found - middle
    assert data[start : start + len(expected)] == expected
