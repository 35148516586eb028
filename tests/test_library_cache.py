"""The parsed library kept in the cache folder: faster to start, never a different plan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, routine_yaml
from timer_app.core.plan import compile_plan
from timer_app.routines.cache import cache_path, cached_library
from timer_app.routines.library import load_library

# The hold is filled in by each test.
ROUTINE = routine_yaml("mine").replace("hold: 20s", "hold: {hold}s")


def write(folder: Path, hold: int, name: str = "mine.yaml") -> Path:
    path = folder / name
    path.write_text(ROUTINE.format(hold=hold), encoding="utf-8")
    return path


def hold_of(routine_id: str = "mine") -> float:
    plan = compile_plan(cached_library().routines[routine_id])
    return next(step.duration for step in plan.steps if step.kind == "hold")


def test_the_cached_library_is_the_library(user_routines: Path) -> None:
    write(user_routines, 30)
    first = cached_library()
    assert cache_path().is_file()
    again = cached_library()
    fresh = load_library()
    assert sorted(again.routines) == sorted(first.routines) == sorted(fresh.routines)
    for routine_id, routine in fresh.routines.items():
        assert compile_plan(again.routines[routine_id]) == compile_plan(routine)


def test_a_fresh_cache_is_read_without_the_yaml_reader(user_routines: Path) -> None:
    # What start-up saves: the routine files are neither parsed nor is their parser imported.
    write(user_routines, 30)
    code = (
        "import json, sys\n"
        "from timer_app.routines.cache import cached_library\n"
        "library = cached_library()\n"
        "print(json.dumps([sorted(library.routines), 'yaml' in sys.modules]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0][0] == runs[1][0] and "mine" in runs[0][0]
    assert runs[0][1] is True  # the first run parsed the files and kept them
    assert runs[1][1] is False


def test_an_edit_of_the_same_size_and_time_is_seen(user_routines: Path) -> None:
    path = write(user_routines, 30)
    assert hold_of() == 30
    before = path.stat()
    write(user_routines, 45)  # as many bytes as before
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert path.stat().st_size == before.st_size
    assert hold_of() == 45


def test_a_file_added_or_removed_is_seen(user_routines: Path) -> None:
    write(user_routines, 30)
    assert "other" not in cached_library().routines
    other = user_routines / "other.yaml"
    other.write_text(ROUTINE.format(hold=20).replace("id: mine", "id: other"), encoding="utf-8")
    assert "other" in cached_library().routines
    other.unlink()
    assert "other" not in cached_library().routines


def test_a_folder_given_with_routines_is_part_of_the_key(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(first, 30)
    write(second, 50)
    assert compile_plan(cached_library([first]).routines["mine"]).steps[-1].duration == 30
    assert compile_plan(cached_library([second]).routines["mine"]).steps[-1].duration == 50
    missing = cached_library([tmp_path / "gone"])
    assert [problem.message for problem in missing.problems] == ["no such file or folder"]


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle at all", b"\x80\x05\x95", "truncated", "foreign"],
    ids=["empty", "garbage", "cut-short-header", "truncated", "foreign"],
)
def test_a_damaged_or_foreign_cache_is_built_again(user_routines: Path, damage: object) -> None:
    write(user_routines, 30)
    cached_library()
    path = cache_path()
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "foreign":
        # A well-formed pickle of something else entirely, under a key of its own.
        import pickle

        path.write_bytes(pickle.dumps((("another", "key"), {"mine": "not a routine"})))
    else:
        assert isinstance(damage, bytes)
        path.write_bytes(damage)
    write(user_routines, 40)
    assert hold_of() == 40
    # ... and it was built again, whole.
    assert cache_path().stat().st_size > 1000


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    user_routines: Path, isolated_home: Path
) -> None:
    write(user_routines, 30)
    cache = isolated_home / ".cache"
    cache.write_text("a file where the folder should be", encoding="utf-8")
    assert hold_of() == 30
    assert not cache_path().exists()
