"""A non-editable install finds its presets, sounds, schema and shared page from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO
from timer_app.config.choices import CUE_SETS
from timer_app.session.cues import CUES

pytestmark = pytest.mark.slow


def test_wheel_install_finds_presets_from_another_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("stretch_timer-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Only the installed copy is importable: the checkout is not on the path.
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", "import timer_app, sys; print(timer_app.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(target))
    result = subprocess.run(
        [str(target / "bin" / "stretch"), "list", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ids = {item["id"] for item in json.loads(result.stdout)}
    assert {"doctor-jo-5-minute", "doctor-jo-seated", "healthsoul-lower-back"} <= ids
    packaged = target / "timer_app" / "data"
    assert (packaged / "schema" / "routine.schema.json").is_file()
    assert (packaged / "routines" / "exercises.yaml").is_file()
    # Every cue of every set ships, so a plain install has sound.
    for cue_set in CUE_SETS:
        for cue in CUES:
            assert (packaged / "sounds" / cue_set / f"{cue}.wav").is_file(), (cue_set, cue)
    # The shared page ships too: `--share` serves it from the installed copy.
    for name in ("index.html", "app.js", "app.css"):
        assert (packaged / "web" / name).is_file(), name
