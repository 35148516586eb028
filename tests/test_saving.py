"""The builder's save policy, as plain code: where a routine goes and when to ask first."""

from __future__ import annotations

from pathlib import Path

from helpers import routine_yaml
from timer_app.routines.draft import Draft
from timer_app.routines.library import load_library
from timer_app.routines.saving import SaveDecision, decide_save
from timer_app.routines.writer import save_text

MINE = routine_yaml("mine")


def opened(user_routines: Path, text: str = MINE) -> tuple[Draft, str]:
    """The person's own file, opened in the builder: its draft, and the file as opened."""
    path = user_routines / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    library = load_library()
    draft = Draft.from_routine(
        library.routines["mine"], library.exercises, copy=False, taken=set(library.routines)
    )
    return draft, text


def decide(draft: Draft, opened_text: str | None, opened_id: str = "mine") -> SaveDecision:
    library = load_library()
    taken = set(library.routines) - {opened_id}
    routine = draft.routine(taken)
    assert routine is not None, draft.problems(taken)
    return decide_save(
        routine, draft, opened_id=opened_id, opened_text=opened_text, library=library.exercises
    )


def test_an_unchanged_file_is_saved_in_place_without_asking(user_routines: Path) -> None:
    draft, text = opened(user_routines)
    decision = decide(draft, text)
    assert decision.path == user_routines / "mine.yaml"
    assert decision.replace and decision.ask is None and decision.refused is None
    # What would be written reads back as the routine.
    save_text(decision.path, decision.text, replace=True)
    assert load_library().routines["mine"].title == "Mine"


def test_a_file_changed_on_disk_since_it_was_opened_is_replaced_only_after_asking(
    user_routines: Path,
) -> None:
    draft, text = opened(user_routines)
    (user_routines / "mine.yaml").write_text(text.replace("20s", "25s"), encoding="utf-8")
    decision = decide(draft, text)
    assert decision.ask is not None and "was changed since you opened it" in decision.ask


def test_comments_that_saving_would_drop_are_asked_about(user_routines: Path) -> None:
    draft, text = opened(user_routines, "# my notes on this\n" + MINE)
    decision = decide(draft, text)
    assert decision.ask == "mine.yaml has its comments, which saving leaves out."


def test_a_new_id_is_a_new_file_and_the_old_one_stays(user_routines: Path) -> None:
    draft, text = opened(user_routines)
    draft.id = "mine-too"
    decision = decide(draft, text)
    assert decision.path == user_routines / "mine-too.yaml"
    assert not decision.replace and decision.ask is None


def test_a_new_routine_goes_to_the_users_routines_folder(user_routines: Path) -> None:
    draft, _ = opened(user_routines)
    draft.path = None
    draft.id = "brand-new"
    decision = decide(draft, None, opened_id="")
    assert decision.path == user_routines / "brand-new.yaml"
    assert not decision.replace and decision.ask is None
