"""The cue settings in a real settings file (`cues`, `cue_volume`, `count_last`,
`say_halfway`), what a bad value says, and the player they make: the chosen set's own sounds,
each cue at its own volume, a set switched while the device stays open, and saving a choice
made in the app without touching the rest of the file."""

from __future__ import annotations

import wave
from array import array
from pathlib import Path

import pytest

from timer_app.config.choices import CUE_SETS, CUES
from timer_app.config.settings import Settings, load_settings, save_setting
from timer_app.sound.backend import gain_for
from timer_app.sound.notice import Notice
from timer_app.sound.player import make_player

ROOT = Path(__file__).resolve().parent.parent


def samples_of(cue_set: str, name: str) -> array[int]:
    with wave.open(str(ROOT / "sounds" / cue_set / f"{name}.wav"), "rb") as reader:
        return array("h", reader.readframes(reader.getnframes()))


def test_the_cue_settings_load_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(
        "cues: soft\ncue_volume:\n  switch: 60\n  routine-complete: 40\n"
        "count_last: aloud\nsay_halfway: true\n",
        encoding="utf-8",
    )
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.cues == "soft"
    assert settings.cue_volume == {"switch": 60, "routine-complete": 40}
    assert settings.count_last == "aloud"
    assert settings.say_halfway is True
    defaults = Settings()
    assert (defaults.cues, defaults.cue_volume, defaults.count_last) == ("tones", {}, "off")
    assert defaults.say_halfway is False


def test_bad_cue_settings_name_file_line_and_field_and_the_defaults_stand(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(
        "volume: 70\ncues: bell\ncue_volume:\n  swich: 20\n  hold: 140\n  rest: 30\n"
        "count_last: loud\nsay_halfway: yes\n",
        encoding="utf-8",
    )
    settings, problems = load_settings(path)
    said = [str(p) for p in problems]
    assert said == [
        f"{path}:2:7: cues: 'bell' is not one of: tones, soft, bells (did you mean 'bells'?)",
        f"{path}:4:3: cue_volume: unknown field 'swich' (did you mean 'switch'?)",
        f"{path}:5:9: cue_volume.hold: 140 is outside 0 to 100",
        f"{path}:7:13: count_last: 'loud' is not one of: off, ticks, aloud (did you mean 'aloud'?)",
        f"{path}:8:14: say_halfway: expected true or false, got 'yes'",
    ]
    assert settings == Settings(volume=70, cue_volume={"rest": 30})


def test_each_set_plays_its_own_sounds_at_each_cues_volume() -> None:
    notices: list[Notice] = []
    for cue_set in CUE_SETS:
        player = make_player(
            "off", volume=80, notify=notices.append, cue_set=cue_set, cue_volume={"switch": 50}
        )
        assert player.cue_set == cue_set
        player.close()
    # What the device gets: the set's samples, the switch cue at its own volume.
    from timer_app.sound.player import _load, at_volumes

    soft = at_volumes(_load(notices.append, None, None, "soft"), {"switch": 50})
    assert soft["hold"] == samples_of("soft", "hold")
    factor = round(gain_for(50) * 32768)
    assert soft["switch"] == array("h", [s * factor >> 15 for s in samples_of("soft", "switch")])
    assert max(soft["switch"]) < max(samples_of("soft", "switch")) / 3
    assert notices == []


def test_an_unknown_set_is_told_once_and_the_tones_play() -> None:
    notices: list[Notice] = []
    player = make_player("off", volume=80, notify=notices.append, cue_set="chimes")
    assert player.cue_set == "tones"
    assert [str(n) for n in notices] == ["Sound: no cue set called 'chimes'; using tones."]


class Device:
    """A backend standing in for the audio device: what it was given to play."""

    name = "miniaudio"

    def __init__(self, cues: dict[str, array[int]]) -> None:
        self.cues = cues
        self.played: list[array[int]] = []

    def play(self, name: str) -> None:
        self.played.append(self.cues[name])

    def cut(self) -> None:
        pass

    def set_gain(self, gain: float) -> None:
        pass

    def set_cues(self, cues: dict[str, array[int]]) -> None:
        self.cues = cues

    def close(self) -> None:
        pass


def test_switching_sets_keeps_the_device_and_plays_the_new_sounds_with_their_lengths() -> None:
    from timer_app.sound.player import Player, _load, at_volumes

    opened: list[Device] = []
    state = {"set": "tones"}

    def reload(cue_set: str, volumes: dict[str, int]) -> dict[str, array[int]]:
        state["set"] = cue_set
        return at_volumes(_load(print, None, None, cue_set), volumes)

    def cues() -> dict[str, array[int]]:
        return reload(state["set"], {})

    def open_device(gain: float) -> Device:
        opened.append(Device(cues()))
        return opened[-1]

    player = Player(
        [("miniaudio", open_device)],  # type: ignore[list-item]
        volume=100,
        notify=print,
        cues=cues,
        reload=reload,  # type: ignore[arg-type]
    )
    player.play("hold")
    assert player.duration("hold") == pytest.approx(0.6)
    player.use_cues("bells")
    player.play("hold")
    assert len(opened) == 1  # the same device
    device = opened[0]
    assert device.played == [samples_of("tones", "hold"), samples_of("bells", "hold")]
    assert player.cue_set == "bells"
    assert player.duration("hold") == pytest.approx(1.2)  # a bell rings longer


def test_a_choice_made_in_the_app_is_saved_and_the_rest_of_the_file_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "stretch-timer" / "settings.yaml"
    assert save_setting("cues", "bells", path) is None  # no file yet: made
    assert path.read_text(encoding="utf-8") == "cues: bells\n"
    path.write_text(
        "# mine\nvolume: 60\ncues: bells   # at night: soft\nkeys:\n  pause: p\n",
        encoding="utf-8",
    )
    assert save_setting("cues", "soft", path) is None
    assert save_setting("count_last", "aloud", path) is None
    assert save_setting("say_halfway", True, path) is None
    assert path.read_text(encoding="utf-8") == (
        "# mine\nvolume: 60\ncues: soft   # at night: soft\nkeys:\n  pause: p\n"
        "count_last: aloud\nsay_halfway: true\n"
    )
    settings, problems = load_settings(path)
    assert problems == []
    assert (settings.cues, settings.count_last, settings.say_halfway) == ("soft", "aloud", True)
    assert settings.keys == {"pause": "p"} and settings.volume == 60
    assert [p.name for p in path.parent.iterdir()] == ["settings.yaml"]  # no temporary left


def test_a_settings_file_that_cannot_be_read_or_written_is_said_and_left_alone(
    tmp_path: Path,
) -> None:
    garbled = tmp_path / "settings.yaml"
    garbled.write_bytes(b"volume: \xff\n")
    problem = save_setting("cues", "soft", garbled)
    assert problem is not None and problem.startswith(f"could not read {garbled}")
    assert garbled.read_bytes() == b"volume: \xff\n"
    in_a_file = tmp_path / "settings.yaml" / "settings.yaml"  # its folder is a file
    problem = save_setting("cues", "soft", in_a_file)
    assert problem is not None and problem.startswith(f"could not write {in_a_file}")


def test_every_cue_has_a_volume_field() -> None:
    from timer_app.config.settings import settings_spec

    spec = settings_spec().type_of("cue_volume")
    assert [f.name for f in spec.fields] == list(CUES)  # type: ignore[union-attr]


async def test_a_shared_page_plays_the_set_the_terminal_plays() -> None:
    import aiohttp

    from engine_support import Session, held, plan_of
    from timer_app.share.session import share_session

    session = Session(plan_of(held("Reach", reps=1, per_side=False)))
    server = await share_session(session.engine, "local", cue_set="bells")
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(server.url + "sounds/hold.wav") as reply,
        ):
            assert reply.status == 200
            body = await reply.read()
    finally:
        await server.stop()
    assert body == (ROOT / "sounds" / "bells" / "hold.wav").read_bytes()
