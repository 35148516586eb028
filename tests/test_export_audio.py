"""`stretch export ID --audio FILE`: a whole session as an audio file with chapters, decoded
back with soundfile and its chapters read back with mutagen, as a player would read them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mutagen
import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from helpers import REPO, routine_yaml, run_main
from timer_app.core.plan import Overrides, Plan, compile_plan
from timer_app.export.chapters import SAFETY_CHAPTER
from timer_app.routines.library import load_library
from timer_app.routines.writer import new_file

ROUTINE = "export-test"
FANFARE = soundfile.info(str(REPO / "sounds" / "tones" / "routine-complete.wav")).duration
"""The closing fanfare starts as the plan ends; the file runs on until it has sounded."""
FFPROBE = shutil.which("ffprobe")
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="needs espeak-ng: scripts/setup-test-system installs it as root with apt",
)


@pytest.fixture
def routine(user_routines: Path) -> Path:
    path = user_routines / f"{ROUTINE}.yaml"
    path.write_text(routine_yaml(ROUTINE), encoding="utf-8")
    return path


@pytest.fixture
def no_speech(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A computer with no speech engine: nothing on PATH."""
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def plan_of(**overrides: object) -> Plan:
    return compile_plan(load_library().routines[ROUTINE], Overrides(**overrides))  # type: ignore[arg-type]


def decoded(path: Path) -> tuple[npt.NDArray[np.float64], int]:
    samples, rate = soundfile.read(str(path), dtype="float64")
    return samples, rate


def onset(samples: npt.NDArray[np.float64], rate: int, near: float, within: float = 0.1) -> float:
    """Where sound starts near `near` seconds: the first sample in the window louder than a
    quarter of the window's loudest (a codec's faint pre-echo stays under that)."""
    low = max(0, round((near - within) * rate))
    part = np.abs(samples[low : round((near + within) * rate)])
    assert part.max() > 0.01, f"silence around {near:.3f} s"
    return (low + int(np.argmax(part > 0.25 * part.max()))) / rate


def loudness(samples: npt.NDArray[np.float64], rate: int, start: float, end: float) -> float:
    part = samples[round(start * rate) : round(end * rate)]
    return float(np.sqrt(np.mean(part**2))) if len(part) else 0.0


def chapters_read_back(path: Path) -> list[tuple[str, float]]:
    """(title, start) of each chapter as mutagen reads the file's own tags."""
    tags = mutagen.File(str(path)).tags  # type: ignore[attr-defined]
    if path.suffix == ".mp3":
        toc = tags.getall("CTOC")[0]
        chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
        return [
            (chaps[i].sub_frames["TIT2"].text[0], chaps[i].start_time / 1000)
            for i in toc.child_element_ids
        ]
    found = []
    number = 1
    while f"CHAPTER{number:03d}" in tags:
        hours, minutes, seconds = tags[f"CHAPTER{number:03d}"][0].split(":")
        start = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        found.append((tags[f"CHAPTER{number:03d}NAME"][0], start))
        number += 1
    return found


def planned_chapters(plan: Plan, lead: float) -> list[tuple[str, float]]:
    return [(span.first.exercise.name, lead + span.start) for span in plan.spans.values()]


@pytest.mark.usefixtures("routine", "no_speech")
@pytest.mark.parametrize("suffix", [".wav", ".mp3", ".ogg", ".opus"])
def test_every_cue_sounds_at_its_steps_time_and_the_file_lasts_the_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"session{suffix}"
    status, out, err = run_main(capsys, "export", ROUTINE, "--audio", str(target))
    assert status == 0, err
    plan = plan_of()
    samples, rate = decoded(target)
    # No voice: no safety note before the session, which starts at once.
    assert len(samples) / rate == pytest.approx(plan.total + FANFARE, abs=0.05)
    late = {step.describe(): onset(samples, rate, step.start) - step.start for step in plan.steps}
    late["routine complete"] = onset(samples, rate, plan.total) - plan.total
    assert max(abs(s) for s in late.values()) <= 0.020, late
    # Silence between the cues: the last count of the first get-ready has ended well before
    # the first "pressure on" (3 s).
    assert loudness(samples, rate, 2.5, 2.95) < 0.001
    chapters = len(plan.spans)
    assert f"{chapters} chapters" in out
    assert str(target) in out
    if suffix == ".wav":
        sheet = target.with_suffix(".cue").read_text(encoding="utf-8")
        assert f'FILE "{target.name}" WAVE' in sheet
        assert sheet.count("TRACK") == chapters
        assert '    TITLE "Side bend"\n    INDEX 01 00:09:00' in sheet  # 9 s: 9 * 75 frames
        assert "Chapters for players that read them" in out
    else:
        assert chapters_read_back(target) == planned_chapters(plan, 0.0)


@needs_espeak
@pytest.mark.usefixtures("routine")
@pytest.mark.parametrize("suffix", [".mp3", ".ogg"])
def test_the_safety_note_is_said_first_and_the_session_follows_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"session{suffix}"
    status, out, err = run_main(capsys, "export", ROUTINE, "--audio", str(target))
    assert status == 0, err
    assert err == ""
    plan = plan_of()
    read = chapters_read_back(target)
    assert read[0] == (SAFETY_CHAPTER, 0.0)
    lead = read[1][1]  # the session's own time 0, after the safety note and a pause
    assert lead == round(lead) and 6 <= lead <= 20
    assert read == [(SAFETY_CHAPTER, 0.0), *planned_chapters(plan, lead)]
    samples, rate = decoded(target)
    assert loudness(samples, rate, 0.1, 1.5) > 0.01  # the note is spoken at once
    assert loudness(samples, rate, lead - 1.0, lead - 0.05) < 0.001  # then a pause
    # The session's first cue starts exactly at its time; its prompt follows the cue.
    assert onset(samples, rate, lead) == pytest.approx(lead, abs=0.02)
    assert loudness(samples, rate, lead + 0.6, lead + 1.6) > 0.01
    # The fanfare, then "Routine complete." said after it: the file ends once that is said.
    duration = len(samples) / rate
    assert lead + plan.total + FANFARE + 0.3 < duration < lead + plan.total + 4
    assert loudness(samples, rate, lead + plan.total + FANFARE, duration) > 0.005
    assert f"{len(read)} chapters" in out


@needs_espeak
@pytest.mark.usefixtures("routine")
def test_the_plan_options_of_run_shape_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "twice.mp3"
    options = ["--hold", "2", "--reps", "1", "--rounds", "2"]
    status, _, err = run_main(capsys, "export", ROUTINE, *options, "--audio", str(target))
    assert status == 0, err
    plan = plan_of(hold=2, reps=1, rounds=2)
    read = chapters_read_back(target)
    lead = read[1][1]
    assert [title for title, _ in read] == [
        SAFETY_CHAPTER,
        "Reach up (round 1 of 2)",
        "Side bend (round 1 of 2)",
        "Reach up (round 2 of 2)",
        "Side bend (round 2 of 2)",
    ]
    assert [start for _, start in read[1:]] == [lead + s.start for s in plan.spans.values()]
    samples, rate = decoded(target)
    assert len(samples) / rate > lead + plan.total + FANFARE
    tags = mutagen.File(str(target)).tags  # type: ignore[attr-defined]
    assert "2 rounds" in tags["TIT2"].text[0]


@pytest.mark.usefixtures("routine", "no_speech")
def test_without_a_speech_engine_the_cues_are_written_and_it_says_so_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "quiet.ogg"
    status, out, err = run_main(capsys, "export", ROUTINE, "--audio", str(target))
    assert status == 0
    lines = err.splitlines()
    assert len(lines) == 1
    assert "espeak-ng" in lines[0] and "the cues and the chapters, but no spoken" in lines[0]
    # No chapter for a safety note that is not said.
    assert [title for title, _ in chapters_read_back(target)] == ["Reach up", "Side bend"]
    assert "Wrote" in out


@pytest.mark.usefixtures("routine", "no_speech")
@pytest.mark.parametrize(
    ("name", "args", "status", "said"),
    [
        ("session.flac", [], 2, "end the name in .wav, .mp3, .ogg, .opus"),
        ("session", [], 2, "(no suffix)"),
        ("session.mp3", ["-o", "x.yaml"], 2, "not both"),
        ("missing/session.mp3", [], 1, "there is no folder"),
    ],
)
def test_a_name_that_cannot_be_written_is_refused_in_one_line_before_any_work(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    args: list[str],
    status: int,
    said: str,
) -> None:
    target = tmp_path / name
    got, out, err = run_main(capsys, "export", ROUTINE, *args, "--audio", str(target))
    assert (got, out) == (status, "")
    assert err.startswith("stretch: ") and err.count("\n") == 1 and said in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-programs"]


@pytest.mark.usefixtures("routine", "no_speech")
def test_an_existing_file_is_never_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "session.wav"
    sheet = tmp_path / "session.cue"
    sheet.write_text("mine", encoding="utf-8")
    status, _, err = run_main(capsys, "export", ROUTINE, "--audio", str(target))
    assert status == 1
    assert err == f"stretch: {sheet} already exists; give another file name\n"
    assert sheet.read_text(encoding="utf-8") == "mine"
    assert not target.exists()


@pytest.mark.usefixtures("routine", "no_speech")
def test_an_unknown_routine_or_a_folder_that_refuses_the_file_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = run_main(capsys, "export", "no-such", "--audio", str(tmp_path / "a.mp3"))
    assert status == 1 and err.count("\n") == 1 and "no-such" in err
    # /proc takes no new files, whoever asks (root included).
    status, _, err = run_main(capsys, "export", ROUTINE, "--audio", "/proc/session.mp3")
    assert status == 1
    assert err.startswith("stretch: cannot write /proc/session.mp3: ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-programs"]


def test_a_file_that_fails_while_written_is_not_left_behind(tmp_path: Path) -> None:
    target = tmp_path / "session.mp3"

    def half_then_full(temporary: Path) -> None:
        temporary.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), new_file(target) as temporary:
        half_then_full(temporary)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("routine")
def test_the_plan_options_go_with_audio_only(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(capsys, "export", ROUTINE, "--quick", "--rounds", "2")
    assert (status, out) == (2, "")
    assert "--quick, --rounds" in err and "--audio" in err
    status, out, err = run_main(capsys, "export", ROUTINE, "--voice-rate", "120", "--cues", "soft")
    assert (status, out) == (2, "")
    assert "--cues, --voice-rate" in err and "--audio" in err


@needs_espeak
@pytest.mark.usefixtures("routine")
def test_the_voice_options_of_run_choose_the_voice_of_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    leads = {}
    for rate in ("165", "100"):
        target = tmp_path / f"at-{rate}.ogg"
        status, _, err = run_main(
            capsys, "export", ROUTINE, "--audio", str(target), "--voice-rate", rate
        )
        assert status == 0, err
        leads[rate] = chapters_read_back(target)[1][1]
    # Said slower, the safety note takes longer, so the session starts later in the file.
    assert leads["100"] > leads["165"]
    target = tmp_path / "unknown.ogg"
    status, _, err = run_main(
        capsys, "export", ROUTINE, "--audio", str(target), "--voice-name", "xx-nope"
    )
    assert status == 0
    assert err.count("\n") == 1 and "xx-nope" in err and "default English voice" in err


def _export_on(stderr_to_pty: bool, target: Path, env: dict[str, str]) -> tuple[str, str]:
    """Run the real command with stderr on a pseudo-terminal or a pipe: (stdout, stderr)."""
    import pty

    argv = [sys.executable, "-m", "timer_app", "export", ROUTINE, "--audio", str(target)]
    if not stderr_to_pty:
        done = subprocess.run(
            argv, capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed: all is read
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    assert proc.wait(timeout=60) == 0
    return out, seen.decode()


@pytest.mark.slow
@pytest.mark.usefixtures("routine")
def test_a_progress_bar_on_a_terminal_and_a_plain_line_on_a_pipe(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    closing = r"Wrote {}: MP3, 0:\d\d, \d chapters \(in [\d.]+ s, \d+\u00d7 real time\)\n"
    out, err = _export_on(True, tmp_path / "a.mp3", env)
    assert "\rExporting " in err and " 100%  " in err
    assert "Exporting" not in err.rsplit("\r\x1b[K", 1)[1]  # cleared before anything else
    assert re.fullmatch(closing.format(re.escape(str(tmp_path / "a.mp3"))), out)
    out, err = _export_on(False, tmp_path / "b.mp3", env)
    assert "Exporting" not in err and "\r" not in err
    assert re.fullmatch(closing.format(re.escape(str(tmp_path / "b.mp3"))), out)


@pytest.mark.slow
def test_the_encoder_and_tag_libraries_load_only_for_an_audio_export() -> None:
    code = (
        "import sys\nfrom timer_app.cli.main import main\n"
        "main(['export', 'neck-stretches', '-o', '/dev/null'])\n"
        "print(sorted(m for m in ('soundfile', 'numpy', 'mutagen') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(FFPROBE is None, reason="needs ffprobe (Debian: ffmpeg)")
@pytest.mark.usefixtures("routine", "no_speech")
@pytest.mark.parametrize("suffix", [".mp3", ".ogg", ".opus"])
def test_ffprobe_reads_the_same_chapters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    import json

    assert FFPROBE is not None
    target = tmp_path / f"session{suffix}"
    assert run_main(capsys, "export", ROUTINE, "--audio", str(target))[0] == 0
    probe = subprocess.run(
        [FFPROBE, "-v", "error", "-show_chapters", "-of", "json", str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    chapters = json.loads(probe.stdout)["chapters"]
    assert [(c["tags"]["title"], float(c["start_time"])) for c in chapters] == planned_chapters(
        plan_of(), 0.0
    )


@needs_espeak
@pytest.mark.usefixtures("routine")
def test_each_prompt_is_said_in_its_own_step_just_after_its_cue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timer_app.export.audio import default_cues, default_voice, export_audio
    from timer_app.session.prompts import FINISHED, prompts_of
    from timer_app.sound.backend import RATE
    from timer_app.sound.listener import FOLLOW_GAP, SPEECH_AFTER_CUE

    plan = plan_of()
    cues = default_cues(lambda notice: None)
    # By default: today's cues and the installed speech engine.
    spoken = export_audio(plan, tmp_path / "spoken.wav", title="t")
    assert default_voice() is not None
    silent = export_audio(plan, tmp_path / "cues.wav", cues=cues, voice=None, title="t")
    lead = spoken.lead
    assert lead > 0 and silent.lead == 0
    # Every prompt of the plan, and "Routine complete.", once each, in order.
    said = [prompt.what for prompt in spoken.timeline.prompts]
    assert said == [*(text for text in prompts_of(plan) if text), FINISHED]
    expected = prompts_of(plan)
    # At most: "exercise done", the gap, the step's cue (the listener's longest wait).
    longest_lead = len(cues["exercise-done"]) / RATE + FOLLOW_GAP + SPEECH_AFTER_CUE
    for prompt in spoken.timeline.prompts[:-1]:
        step = max((s for s in plan.steps if s.start <= prompt.start), key=lambda s: s.start)
        assert expected[step.index] == prompt.what
        assert 0 < prompt.start - step.start <= longest_lead, prompt.what
    # The spoken file is the cues-only file with speech added: take the cues away and what is
    # left starts where each prompt was placed (WAV keeps every sample).
    with_speech, rate = decoded(spoken.path)
    cues_only, _ = decoded(silent.path)
    start = round(lead * rate)
    speech = with_speech[start : start + len(cues_only)] - cues_only
    assert np.abs(with_speech[: round((lead - 1.0) * rate)]).max() > 0.05  # the safety note
    for prompt in spoken.timeline.prompts:
        assert onset(speech, rate, prompt.start, within=0.2) >= prompt.start - 0.001
        assert loudness(speech, rate, prompt.start, prompt.start + 0.3) > 0.005, prompt.what


@pytest.mark.usefixtures("routine")
def test_a_speech_engine_that_fails_leaves_the_cues_and_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programs = tmp_path / "programs"
    programs.mkdir()
    broken = programs / "espeak-ng"
    broken.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(programs))
    target = tmp_path / "session.ogg"
    status, out, err = run_main(capsys, "export", ROUTINE, "--audio", str(target))
    assert status == 0 and out.startswith("Wrote ")
    assert err.startswith("note: espeak-ng could not say \u201c") and err.count("\n") == 1
    assert "the cues and the chapters, but no spoken safety note or prompts" in err
    assert [title for title, _ in chapters_read_back(target)] == ["Reach up", "Side bend"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["programs", "session.ogg"]


@pytest.mark.usefixtures("routine", "no_speech")
def test_the_file_has_the_settings_cue_set_at_its_cue_volumes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from timer_app.config.settings import settings_path

    settings_path().write_text("cues: bells\ncue_volume:\n  routine-complete: 50\n")
    target = tmp_path / "bells.wav"
    status, _, err = run_main(capsys, "export", ROUTINE, "--audio", str(target))
    assert status == 0, err
    samples, rate = decoded(target)
    plan = plan_of()
    first = plan.steps[0]
    bell, bell_rate = soundfile.read(str(REPO / "sounds" / "bells" / "get-ready.wav"))
    assert bell_rate == rate
    # The session's first sound is the bells' get-ready, sample for sample (at volume 100).
    start = round(first.start * rate)
    assert np.allclose(samples[start : start + 2000], bell[:2000], atol=2 / 32768)
    fanfare, _ = soundfile.read(str(REPO / "sounds" / "bells" / "routine-complete.wav"))
    end = round(plan.total * rate)
    heard = samples[end : end + len(fanfare)]
    # The fanfare at its own volume: 50 %, on the volume's curve (a quarter of the samples).
    assert float(np.max(np.abs(heard))) == pytest.approx(np.max(np.abs(fanfare)) / 4, rel=0.01)
