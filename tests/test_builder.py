"""The routine builder, driven by Textual's pilot: real files in a temporary config folder,
the real writer and the real loader, the plan compared with what `stretch show` makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from helpers import on_picker, routine_yaml, until
from timer_app.cli.main import main
from timer_app.config.acknowledgement import remember
from timer_app.core.plan import compile_plan
from timer_app.core.plan_text import step_table, total_line
from timer_app.routines.catalog import preset_dir
from timer_app.routines.draft import Draft
from timer_app.routines.format import ALL_OPTIONAL
from timer_app.routines.library import load_library
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.builder import BuilderScreen
from timer_app.views.tui.screens.choose_exercise import ChooseExerciseScreen
from timer_app.views.tui.screens.confirm import ConfirmScreen
from timer_app.views.tui.screens.own_exercise import OwnExerciseScreen
from timer_app.views.tui.widgets.check import Check
from timer_app.views.tui.widgets.keybar import KeyBar

SIZE = (100, 32)


@pytest.fixture(autouse=True)
def acknowledged_before() -> None:
    assert remember()


async def on_builder(pilot: Pilot[int]) -> BuilderScreen:
    """Wait for the builder to be open, mounted and drawn."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, BuilderScreen) and bool(app.screen.sub_title))
    await pilot.pause()
    return builder(app)  # type: ignore[arg-type]


def builder(app: StretchApp) -> BuilderScreen:
    screen = app.screen
    assert isinstance(screen, BuilderScreen)
    return screen


def shown(app: StretchApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def problem_of(app: StretchApp, field_id: str) -> str:
    return shown(app, f"#{field_id}-row .field-problem")


async def add_from_library(pilot: Pilot[int], words: str) -> None:
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, BuilderScreen)
    count = len(screen.draft.entries)
    await pilot.press("ctrl+n")
    await until(pilot, lambda: isinstance(app.screen, ChooseExerciseScreen))
    await pilot.press(*words, "enter")
    await until(pilot, lambda: app.screen is screen and len(screen.draft.entries) > count)


async def type_into(pilot: Pilot[int], field_id: str, text: str) -> None:
    """Focus a field, as tab would, and give it a new value, as typing or pasting does (one
    change, rather than one a key: the tests stay fast)."""
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    field.value = text
    await pilot.pause()


def list_lines(options: OptionList) -> list[str]:
    """The lines of a list as the terminal shows them."""
    return [options.render_line(y).text for y in range(options.size.height)]


def plan_lines(app: StretchApp) -> list[str]:
    return shown(app, "#builder-plan").splitlines()


async def test_build_save_see_it_in_the_picker_reopen_and_edit_it(user_routines: Path) -> None:
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_builder(pilot)
        assert screen.sub_title == "new routine"
        # The title has the focus; the id follows it.
        await pilot.press(*"My [back]")
        assert screen.query_one("#routine-id", Input).value == "my-back"
        assert "add at least one exercise" in shown(app, "#builder-status")

        await add_from_library(pilot, "knee")
        await add_from_library(pilot, "cat")
        assert [e.exercise.id for e in screen.draft.entries] == ["knee-to-chest", "cat-cow"]
        # A library exercise comes dosed as the presets do it: cat/cow as tempo reps, as in
        # Doctor Jo's 5-minute routine; knee to chest as its holds, each side.
        cat_cow = screen.draft.entries[1]
        assert (cat_cow.kind, cat_cow.pressure_on, cat_cow.tempo_reps) == ("tempo", "3s", "5")
        assert (cat_cow.note, cat_cow.optional, cat_cow.prepare) == ("", False, "")
        assert screen.draft.entries[0].kind == "hold"
        # The dose is chosen with the keyboard: Enter on the list goes to it.
        await pilot.press("enter")
        assert app.focused is screen.query_one("#entry-kind")
        await pilot.press("enter", "up", "enter")
        await pilot.pause()
        assert screen.draft.entries[1].kind == "hold"
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert screen.draft.entries[1].kind == "tempo"
        await type_into(pilot, "entry-tempo_reps", "6")
        await type_into(pilot, "entry-pressure_on", "3s")

        # An exercise of one's own, then moved to the top.
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#choose-filter", Input).value = "desk lean"
        await pilot.pause()
        # Nothing in the library: Enter makes one's own, named as typed.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OwnExerciseScreen)
        assert app.screen.query_one("#own-name", Input).value == "Desk lean"
        app.screen.query_one("#own-how-to").focus()
        await pilot.press(*"Lean", "enter", *"Sink")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.query_one("#builder-entries", OptionList).focus()
        await pilot.press("ctrl+up", "ctrl+up")
        await pilot.pause()
        assert [e.exercise.id for e in screen.draft.entries] == [
            "desk-lean",
            "knee-to-chest",
            "cat-cow",
        ]
        assert screen.current == 0
        # ctrl+o changes an exercise of one's own; its id and dose stay.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OwnExerciseScreen)
        app.screen.query_one("#own-name", Input).value = "Desk lean, slow"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.draft.entries[0].exercise.name == "Desk lean, slow"
        assert screen.draft.entries[0].exercise.id == "desk-lean"
        await type_into(pilot, "entry-hold", "20s")

        # The plan and the total follow every change.
        shown_plan = plan_lines(app)
        assert any("Hold: Desk lean, slow" in line and "20 s" in line for line in shown_plan)
        assert any("Pressure on: Cat/cow" in line and "1/6" in line for line in shown_plan)
        assert shown_plan[-1].startswith("Total ")
        assert shown_plan[-1] in shown(app, "#builder-status")

        await pilot.press("ctrl+s")
        await pilot.pause()
        path = user_routines / "my-back.yaml"
        assert path.is_file()
        assert "saved" in shown(app, "#builder-status")

        # The saved file validates, and its plan is the one the builder showed.
        assert main(["validate", str(path)]) == 0
        library = load_library()
        saved = library.routines["my-back"]
        assert saved.title == "My [back]"
        plan = compile_plan(saved)
        assert [*step_table(plan), "", total_line(plan)] == shown_plan

        await pilot.press("escape")  # nothing unsaved: no question
        picker = await on_picker(pilot)
        assert picker.current() is not None
        assert picker.current().id == "my-back"  # type: ignore[union-attr]
        assert "Edit" in app.screen.query_one(KeyBar).render().plain

        # Reopen it, change the reps of the knee to chest, save again: the same file.
        await pilot.press("ctrl+e")
        screen = await on_builder(pilot)
        assert screen.sub_title == "editing my-back.yaml"
        assert screen.draft.entries[2].kind == "tempo"
        assert not screen.unsaved  # opening it changes nothing
        assert "saved" in shown(app, "#builder-status")
        screen.query_one("#builder-entries", OptionList).highlighted = 1
        await pilot.pause()
        await type_into(pilot, "entry-reps", "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)  # its own file: saved in place
        assert sorted(p.name for p in user_routines.iterdir()) == ["my-back.yaml"]
        again = load_library().routines["my-back"]
        assert again.entries[1].dosage.reps == 2  # type: ignore[union-attr]
        assert plan_lines(app) == [
            *step_table(compile_plan(again)),
            "",
            total_line(compile_plan(again)),
        ]


async def test_edit_a_copy_of_a_preset_leaves_the_preset_alone(user_routines: Path) -> None:
    preset_file = preset_dir() / "neck-stretches.yaml"
    before = preset_file.read_bytes()
    app = StretchApp()
    async with app.run_test(size=SIZE) as pilot:
        picker = await on_picker(pilot)
        await pilot.press(*"neck")
        assert picker.current().id == "neck-stretches"  # type: ignore[union-attr]
        # A preset is never edited in place: no Edit for it, only Copy.
        assert picker.check_action("edit_routine", ()) is False
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen is picker
        await pilot.press("ctrl+t")
        screen = await on_builder(pilot)
        assert screen.sub_title == "a copy of Basic neck stretches"
        assert screen.draft.title == "Basic neck stretches (my copy)"
        assert not screen.unsaved
        assert "not saved yet" in shown(app, "#builder-status")
        assert screen.draft.id == "basic-neck-stretches-my-copy"
        preset_plan = compile_plan(load_library().routines["neck-stretches"])
        assert plan_lines(app) == [*step_table(preset_plan), "", total_line(preset_plan)]
        await type_into(pilot, "entry-hold", "45s")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert preset_file.read_bytes() == before
    copy = user_routines / "basic-neck-stretches-my-copy.yaml"
    assert main(["validate", str(copy)]) == 0
    library = load_library()
    assert library.routines["neck-stretches"].preset
    copied = library.routines["basic-neck-stretches-my-copy"]
    assert copied.source == library.routines["neck-stretches"].source  # still credited
    assert copied.entries[0].dosage.seconds == 45  # type: ignore[union-attr]


async def test_the_empty_title_and_id_boxes_are_seen_and_say_what_goes_in_them(
    user_routines: Path,
) -> None:
    app = StretchApp(build=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_builder(pilot)
        for field_id, words in (("routine-title", "picker"), ("routine-id", "title")):
            box = builder(app).query_one(f"#{field_id}", Input)
            assert box.value == "" and box.region.width >= 20
            # An empty one-line box shows its placeholder, as the other fields' "none" does.
            assert words in box.render_line(0).text


async def test_leaving_with_unsaved_changes_asks_first(user_routines: Path) -> None:
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        await on_builder(pilot)
        await pilot.press(*"Half")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # stay
        await pilot.pause()
        assert builder(app).draft.title == "Half"
        await pilot.press("ctrl+q")  # quitting asks too
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BuilderScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # leave
        await on_picker(pilot)
    assert list(user_routines.iterdir()) == []


async def test_an_existing_file_is_never_overwritten_without_asking(user_routines: Path) -> None:
    # A broken file of that name: not a routine the picker knows, so its id is not taken.
    existing = user_routines / "stretch-break.yaml"
    existing.write_text("title: [unfinished\n", encoding="utf-8")
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        await on_builder(pilot)
        await type_into(pilot, "routine-title", "Stretch break")
        await add_from_library(pilot, "chin")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "stretch-break.yaml exists already" in shown(app, ".dialog-title")
        await pilot.press("n")
        await pilot.pause()
        assert existing.read_text(encoding="utf-8") == "title: [unfinished\n"
        assert "unsaved changes" in shown(app, "#builder-status")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert main(["validate", str(existing)]) == 0
    assert load_library().routines["stretch-break"].entries[0].exercise.id == "chin-to-chest"


async def test_each_text_field_takes_as_much_as_the_file_format_does(user_routines: Path) -> None:
    # One table: the builder's boxes read their limits from the format's own field types, so
    # the app never accepts what `stretch validate` would refuse, nor stops short of it.
    from timer_app.routines.format import ENTRY, ROUTINE_FILE, SOURCE

    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_builder(pilot)
        await add_from_library(pilot, "knee to chest")
        expected = {
            "routine-title": ROUTINE_FILE.max_length("title"),
            "routine-id": ROUTINE_FILE.max_length("id"),
            "routine-summary": ROUTINE_FILE.max_length("summary"),
            "entry-note": ENTRY.max_length("note"),
            **{f"routine-source_{part}": SOURCE.max_length(part) for part in ("title", "url")},
        }
        for field_id, longest in expected.items():
            assert screen.query_one(f"#{field_id}", Input).max_length == longest, field_id


async def test_wrong_values_say_what_the_file_format_says_and_block_saving(
    user_routines: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        await on_builder(pilot)
        await type_into(pilot, "routine-title", "Too long")
        await add_from_library(pilot, "bridge")
        await type_into(pilot, "entry-hold", "2h")
        await type_into(pilot, "entry-reps", "0")
        await type_into(pilot, "routine-id", "neck-stretches")
        await pilot.press("ctrl+s")
        await pilot.pause()
        hold_problem = problem_of(app, "entry-hold")
        reps_problem = problem_of(app, "entry-reps")
        assert "a routine with the id 'neck-stretches' exists already" in problem_of(
            app, "routine-id"
        )
        assert "The plan shows once these are put right" in shown(app, "#builder-plan")
    assert list(user_routines.iterdir()) == []
    # The same values in a file get the same words from `stretch validate`.
    bad = tmp_path / "too-long.yaml"
    bad.write_text(
        "title: Too long\nsequence:\n  - exercise: bridge\n    hold: 2h\n    reps: 0\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) != 0
    printed = capsys.readouterr()
    out = printed.out + printed.err
    assert hold_problem.removeprefix("\u26a0 ") in out
    assert reps_problem.removeprefix("\u26a0 ") in out


def test_every_preset_copied_in_the_builder_has_the_presets_plan() -> None:
    library = load_library(user=False)
    for routine in library.routines.values():
        draft = Draft.from_routine(
            routine, library.exercises, copy=True, taken=set(library.routines)
        )
        copied = draft.routine(set(library.routines))
        assert copied is not None, draft.problems(set(library.routines))
        assert copied.id not in library.routines
        assert compile_plan(copied).steps == compile_plan(routine).steps, routine.id
        # What the builder edits as lines of text comes back item for item.
        words = ("summary", "cautions", "notes")
        assert [getattr(copied, name) for name in words] == [
            getattr(routine, name) for name in words
        ], routine.id
        assert [(e.note, e.optional) for e in copied.entries] == [
            (e.note, e.optional) for e in routine.entries
        ], routine.id


def test_stretch_new_without_a_terminal_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new"]) == 2
    assert "needs a terminal" in capsys.readouterr().err


HAND_WRITTEN = routine_yaml("hand-written")


async def test_reopening_a_hand_written_file_asks_before_leaving_out_its_comments(
    user_routines: Path,
) -> None:
    path = user_routines / "hand-written.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    app = StretchApp()
    async with app.run_test(size=SIZE) as pilot:
        await on_picker(pilot)
        await pilot.press(*"hand", "ctrl+e")
        await on_builder(pilot)
        await type_into(pilot, "entry-hold", "20s")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = shown(app, ".dialog-title")
        assert "its comments" in question
        assert "the exercises it defines but does not use (spare)" in question
        await pilot.press("n")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == HAND_WRITTEN
        # Changed meanwhile in an editor: asked again, for that.
        path.write_text(HAND_WRITTEN.replace("chin-to-chest", "ear-to-shoulder"), "utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "was changed since you opened it" in shown(app, ".dialog-title")
        await pilot.press("y")
        await pilot.pause()
    saved = load_library().routines["hand-written"]
    assert [e.exercise.id for e in saved.entries] == ["chin-to-chest"]
    assert saved.entries[0].dosage.seconds == 20  # type: ignore[union-attr]


HOSTILE = routine_yaml("hostile-short")


async def test_text_from_files_is_shown_literally_in_the_builder(user_routines: Path) -> None:
    (user_routines / "short.yaml").write_text(HOSTILE, encoding="utf-8")
    app = StretchApp()
    async with app.run_test(size=SIZE) as pilot:
        await on_picker(pilot)
        await pilot.press(*"short", "ctrl+t")
        screen = await on_builder(pilot)
        assert screen.sub_title == "a copy of Neck [/ short"
        assert screen.query_one("#routine-title", Input).value == "Neck [/ short (my copy)"
        assert shown(app, "#entry-name") == "[red]x tilt"
        entries = screen.query_one("#builder-entries", OptionList)
        assert "\u25b8 1. [red]x tilt (yours)" in "\n".join(list_lines(entries))
        assert screen.query_one("#entry-note", Input).value == "[u]Slowly"
        assert screen.query_one("#routine-summary", Input).value == "[bold]Loud[/bold] summary"
        assert screen.query_one("#routine-cautions", TextArea).text == "[i]Careful"
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert any("Hold: [red]x tilt" in line for line in plan_lines(app))
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.query_one("#own-how-to", TextArea).text == "Tilt [b]gently[/b]."


async def type_lines(pilot: Pilot[int], field_id: str, text: str) -> None:
    """Focus a box of lines and type `text` into it at once (as pasting does)."""
    area = pilot.app.screen.query_one(f"#{field_id}", TextArea)
    area.focus()
    area.insert(text)
    await pilot.pause()


async def test_summary_cautions_notes_and_an_exercises_note_and_flag_are_saved(
    user_routines: Path,
) -> None:
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_builder(pilot)
        await pilot.press(*"Desk back")
        await add_from_library(pilot, "knee")
        await add_from_library(pilot, "cat")
        await type_into(pilot, "entry-note", "Keep it [small].")
        # The flag is a checkbox: space turns it on, and the mark says so without colour.
        screen.query_one("#entry-optional").focus()
        await pilot.press("space")
        await pilot.pause()
        assert screen.draft.entries[1].optional
        assert "\u2713" in str(screen.query_one("#entry-optional").render())
        await type_into(pilot, "routine-summary", "For a back stiff from sitting.")
        await type_lines(pilot, "routine-cautions", "Stop if pain spreads.\n\n  Go slowly.  \n")
        # The heading of the box with the focus is marked, as a one-line field's label is.
        assert screen.query_one("#routine-cautions-row").has_class("-focus")
        await type_lines(pilot, "routine-notes", "Holds of 30 s, as the source says.")
        assert not screen.query_one("#routine-cautions-row").has_class("-focus")
        await pilot.press("ctrl+s")
        await pilot.pause()
        path = user_routines / "desk-back.yaml"
        assert "saved" in shown(app, "#builder-status")

    assert main(["validate", str(path)]) == 0
    saved = load_library().routines["desk-back"]
    assert saved.summary == "For a back stiff from sitting."
    assert saved.cautions == ("Stop if pain spreads.", "Go slowly.")  # blank lines left out
    assert saved.notes == ("Holds of 30 s, as the source says.",)
    assert [(e.note, e.optional) for e in saved.entries] == [
        (None, False),
        ("Keep it [small].", True),
    ]

    # Reopened, the builder shows them all, and nothing counts as changed.
    app = StretchApp()
    async with app.run_test(size=SIZE) as pilot:
        await on_picker(pilot)
        await pilot.press(*"desk back", "ctrl+e")
        screen = await on_builder(pilot)
        assert not screen.unsaved
        assert screen.query_one("#routine-summary", Input).value == saved.summary
        assert (
            screen.query_one("#routine-cautions", TextArea).text
            == "Stop if pain spreads.\nGo slowly."
        )
        screen.query_one("#builder-entries", OptionList).highlighted = 1
        await pilot.pause()
        assert screen.query_one("#entry-note", Input).value == "Keep it [small]."
        assert screen.query_one("#entry-optional", Check).value
        # Taking the note and the flag off writes neither.
        await type_into(pilot, "entry-note", "")
        screen.query_one("#entry-optional").focus()
        await pilot.press("space")
        screen.query_one("#routine-notes", TextArea).clear()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    text = path.read_text(encoding="utf-8")
    assert "note" not in text and "optional" not in text
    assert main(["validate", str(path)]) == 0


async def test_wrong_summary_cautions_and_flags_say_what_validate_says(
    user_routines: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_line = "x" * 301
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_builder(pilot)
        await pilot.press(*"Wrong")
        await add_from_library(pilot, "bridge")
        await type_into(pilot, "entry-note", long_line)
        screen.query_one("#entry-optional").focus()
        await pilot.press("space")
        await type_lines(pilot, "routine-cautions", f"Fine.\n{long_line}")
        await type_into(pilot, "routine-summary", "y" * 601)
        await pilot.press("ctrl+s")
        await pilot.pause()
        found = {
            field_id: problem_of(app, field_id).removeprefix("\u26a0 ")
            for field_id in ("entry-note", "routine-cautions", "routine-summary")
        }
        assert all(found.values()), found
        assert found["routine-cautions"].startswith("line 2: ")
        assert ALL_OPTIONAL in shown(app, "#builder-plan")
    assert list(user_routines.iterdir()) == []
    bad = tmp_path / "wrong.yaml"
    bad.write_text(
        f"title: Wrong\nsummary: {'y' * 601}\ncautions: [Fine., {long_line}]\n"
        f"sequence:\n  - exercise: bridge\n    note: {long_line}\n    optional: true\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) != 0
    printed = capsys.readouterr()
    out = printed.out + printed.err
    for problem in found.values():
        # The builder names the line beside the box; the file names the item in the list.
        assert problem.removeprefix("line 2: ") in out, (problem, out)
    assert ALL_OPTIONAL in out


async def test_esc_closes_the_plan_shown_in_place_of_the_fields(user_routines: Path) -> None:
    app = StretchApp(build=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_builder(pilot)
        await pilot.press(*"Plan")
        await add_from_library(pilot, "bridge")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen.query_one("#builder-plan-pane").display
        assert not screen.query_one("#builder-edit-pane").display
        await pilot.press("escape")
        await pilot.pause()
        # Back at the fields, still in the builder, nothing asked.
        assert app.screen is screen
        assert screen.query_one("#builder-edit-pane").display
        assert app.focused is screen.query_one("#builder-entries")


async def test_the_plan_beside_the_fields_keeps_its_times_in_view(user_routines: Path) -> None:
    app = StretchApp()
    async with app.run_test(size=(140, 32)) as pilot:
        await on_picker(pilot)
        await pilot.press(*"neck", "ctrl+t")
        screen = await on_builder(pilot)
        pane = screen.query_one("#builder-plan-pane")
        assert pane.display and screen.query_one("#builder-edit-pane").display
        # From the first drawing on, every row fits the pane: the times are never cut off
        # (what to do in a get-ready, on its own lines under a step, may run on).
        lines = plan_lines(app)
        assert lines[0].rstrip().endswith("TIME")
        rows = [line for line in lines if line.strip() and not line.startswith(" " * 8)]
        assert max(len(row) for row in rows) <= pane.content_region.width
    # Narrower, the plan takes the fields' place on ctrl+g instead of being squeezed.
    app = StretchApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await on_picker(pilot)
        await pilot.press(*"neck", "ctrl+t")
        screen = await on_builder(pilot)
        assert not screen.query_one("#builder-plan-pane").display
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen.query_one("#builder-plan-pane").display


async def test_the_source_and_who_it_suits_are_edited_checked_and_saved(
    user_routines: Path,
) -> None:
    saved_file = user_routines / "desk-break.yaml"
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_builder(pilot)
        await pilot.press(*"Desk break")
        await add_from_library(pilot, "cat")
        # A link alone is not a source: it needs a title and a site, as the file format says.
        await type_into(pilot, "routine-source_url", "https://example.org/desk")
        assert screen.plan is None
        assert problem_of(app, "routine-source_title") == (
            "\u26a0 needed with a source: the title of the article or video"
        )
        assert problem_of(app, "routine-source_site") == (
            "\u26a0 needed with a source: the site or publisher"
        )
        await type_into(pilot, "routine-source_title", "Stretches at your desk")
        await type_into(pilot, "routine-source_site", "Example Clinic")
        assert problem_of(app, "routine-source_site") == ""
        assert screen.plan is not None
        office = screen.query_one("#suit-office", Check)
        office.focus()
        await pilot.press("space")
        await pilot.pause()
        screen.query_one("#suit-beginners", Check).value = True
        await pilot.pause()
        assert screen.draft.suits == ("office", "beginners")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert main(["validate", str(saved_file)]) == 0
        saved = load_library().routines["desk-break"]
        assert saved.source is not None
        source = saved.source
        assert (source.title, source.site, source.author, source.url) == (
            "Stretches at your desk",
            "Example Clinic",
            None,
            "https://example.org/desk",
        )
        assert saved.suits == ("office", "beginners")

        # Reopened, the fields hold them; emptying every part of the source takes it away.
        await pilot.press("escape")
        await on_picker(pilot)
        await pilot.press("ctrl+e")
        screen = await on_builder(pilot)
        assert screen.query_one("#routine-source_site", Input).value == "Example Clinic"
        assert screen.query_one("#suit-office", Check).value
        assert not screen.query_one("#suit-pregnancy", Check).value
        assert not screen.unsaved
        for part in ("title", "site", "url"):
            await type_into(pilot, f"routine-source_{part}", "")
        screen.query_one("#suit-office", Check).value = False
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load_library().routines["desk-break"]
    assert saved.source is None
    assert saved.suits == ("beginners",)


async def test_two_quick_moves_in_the_list_settle_on_the_second(user_routines: Path) -> None:
    # Two moves before either is handled: the first's message is stale by the time it comes.
    # Following it used to rebuild the list on the old exercise and start a loop that kept a
    # core busy for as long as the builder was open.
    app = StretchApp(build=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_builder(pilot)
        for words in ("pelvic", "knee", "cat"):
            await add_from_library(pilot, words)
        options = screen.query_one("#builder-entries", OptionList)
        options.highlighted = 0
        await pilot.pause()
        refreshes = 0
        refresh_all = screen.refresh_all

        def counted() -> None:
            nonlocal refreshes
            refreshes += 1
            refresh_all()

        screen.refresh_all = counted  # type: ignore[method-assign]
        options.highlighted = 1
        options.highlighted = 2
        for _ in range(20):
            await pilot.pause()
        settled = refreshes
        for _ in range(20):
            await pilot.pause()
        assert refreshes == settled <= 2  # idle, not rebuilding the list again and again
        assert screen.current == options.highlighted == 2
        assert screen.query_one("#entry-editor").entry is screen.draft.entries[2]  # type: ignore[attr-defined]
