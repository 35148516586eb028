"""Provides the builder's save policy: where a routine is saved, whether the file it makes
reads back as the same routine, and when the person must be asked before a file is replaced.

The builder screen asks the question and shows the outcome; everything it decides is here,
with no Textual, so it is tested as plain code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from timer_app.core.model import Exercise, Routine
from timer_app.core.paths import user_routines_dir
from timer_app.core.plan import compile_plan
from timer_app.routines.draft import Draft
from timer_app.routines.problems import FileProblems, Problem
from timer_app.routines.reading import build_routine, check_node
from timer_app.routines.writer import routine_file_name, routine_text
from timer_app.routines.yamlfile import parse_text

__all__ = ["SaveDecision", "decide_save", "left_out_on_save", "read_back"]


@dataclass(frozen=True)
class SaveDecision:
    """What saving a routine comes to, before anything is written."""

    path: Path
    """The file to write."""
    text: str
    """What to write in it."""
    replace: bool
    """Write over the file that is there; False: only where no file is yet (a file that
    appears meanwhile is the caller's to ask about)."""
    ask: str | None = None
    """Why the person must say yes before the file is replaced; None: go ahead."""
    refused: str | None = None
    """Why nothing may be saved at all; None: it may."""


def decide_save(
    routine: Routine,
    draft: Draft,
    *,
    opened_id: str,
    opened_text: str | None,
    library: Mapping[str, Exercise],
) -> SaveDecision:
    """How to save `routine`, built from `draft`.

    The file opened (`draft.path`) is saved in place unless the id was changed from
    `opened_id`: then it is a new file in the user's routines folder. `opened_text` is the
    file as it was when opened: a file changed on disk since, or one with comments or unused
    exercises that saving would drop, is replaced only after asking.
    """
    path = draft.path
    if path is None or routine.id != opened_id:
        path = user_routines_dir() / routine_file_name(routine.id)
    text = routine_text(routine, library=library)
    read, problems = read_back(text, path, library)
    if read is None or compile_plan(read).steps != compile_plan(routine).steps:
        # The writer and the reader disagree: better no file than a different routine.
        reason = str(problems[0]) if problems else "the file would not read back the same"
        return SaveDecision(path, text, replace=False, refused=reason)
    if path != draft.path:
        return SaveDecision(path, text, replace=False)
    on_disk = _read(path)
    if on_disk != opened_text:
        return SaveDecision(
            path, text, replace=True, ask=f"{path} was changed since you opened it."
        )
    lost = left_out_on_save(on_disk, path, draft) if on_disk is not None else []
    if lost:
        why = f"{path.name} has {' and '.join(lost)}, which saving leaves out."
        return SaveDecision(path, text, replace=True, ask=why)
    return SaveDecision(path, text, replace=True)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def read_back(
    text: str, path: Path, pool: Mapping[str, Exercise]
) -> tuple[Routine | None, list[Problem]]:
    """The routine that `text` gives, read as the file at `path` with the library's exercises
    `pool`, and its problems: what `stretch validate` and the picker will make of it."""
    try:
        node, problems = parse_text(path, text)
    except FileProblems as error:
        return None, error.problems
    loaded = check_node(path, node, problems)
    routine = build_routine(loaded, dict(pool))
    return routine, loaded.problems


def left_out_on_save(text: str, path: Path, draft: Draft) -> list[str]:
    """What saving `draft` over the file `text` came from would leave out: the routine
    writer keeps every field of the routine, but not comments, nor exercises the file
    defines and its sequence does not use. Each is said in a few words."""
    lost: list[str] = []
    # The modeline is written again; any other comment would be gone.
    if any(
        line.lstrip().startswith("#") and "yaml-language-server" not in line
        for line in text.splitlines()
    ):
        lost.append("its comments")
    try:
        node, problems = parse_text(path, text)
    except FileProblems:
        return lost
    unused = sorted(set(check_node(path, node, problems).exercises) - draft.exercise_ids())
    if unused:
        lost.append(f"the exercises it defines but does not use ({', '.join(unused)})")
    return lost
