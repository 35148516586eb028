"""The README's examples work: its routine validates and its sample output is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO
from timer_app.cli.main import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_routine_example_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [example] = [block for block in fenced("yaml") if block.startswith("title:")]
    path = tmp_path / "morning.yaml"
    path.write_text(example, encoding="utf-8")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().out
    assert main(["--routines", str(tmp_path), "show", "morning"]) == 0
    out = capsys.readouterr().out
    assert "Desk lean" in out and "Pressure on: Cat/cow" in out


def test_readme_show_sample_matches_the_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    [sample] = [block for block in fenced("text") if "(neck-stretches)" in block]
    assert main(["show", "neck-stretches", "--quick"]) == 0
    assert capsys.readouterr().out == sample


def test_readme_settings_example_loads_cleanly(tmp_path: Path) -> None:
    from timer_app.config.settings import load_settings

    [example] = [block for block in fenced("yaml") if "keys:" in block]
    path = tmp_path / "settings.yaml"
    path.write_text(example, encoding="utf-8")
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.keys == {"pause": "p", "skip": "n,right,j"}
    assert settings.prepare == 10


def test_the_development_map_names_every_package_and_module() -> None:
    [tree] = [block for block in fenced("text") if block.startswith("timer_app/")]
    words = set(re.findall(r"[\w.]+/?", tree))
    package = REPO / "timer_app"
    for path in sorted(package.rglob("*.py")):
        if path.name.startswith("__") or path.parent.name in ("screens", "widgets"):
            continue  # screens/ and widgets/ are named as folders: one module each
        assert path.stem in words or path.name in words, f"{path} is not in the README's map"
    for folder in sorted(p for p in package.rglob("*") if (p / "__init__.py").is_file()):
        if folder != package:
            assert f"{folder.name}/" in words, f"{folder} is not in the README's map"


def test_the_quick_start_names_the_system_packages_make_test_installs() -> None:
    # Run as root, `make test` installs these; anyone else is told to, or their tests skip.
    script = (REPO / "scripts" / "setup-test-system").read_text(encoding="utf-8")
    [listed] = re.findall(r'^packages="([^"]+)"$', script, flags=re.MULTILINE)
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    for package in listed.split():
        assert f"`{package}`" in quick_start, package
    assert f"`sudo apt install {listed}`" in quick_start
    assert "Run as root" in quick_start and "skipped" in quick_start


def test_readme_voice_example_loads_as_that_voice(tmp_path: Path) -> None:
    from timer_app.config.settings import load_settings
    from timer_app.config.voice import VoiceChoice

    [example] = [block for block in fenced("yaml") if block.startswith("voice:")]
    path = tmp_path / "settings.yaml"
    path.write_text(example, encoding="utf-8")
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.voice is True
    assert settings.voice_choice == VoiceChoice("en-gb", rate=150, pitch=40)
