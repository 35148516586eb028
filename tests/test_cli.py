"""The `stretch` command end to end: list, show, validate, schema, errors and start-up cost."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from helpers import DATA, REPO, on_terminal, routine_yaml, run_main, stretch
from history_support import history_in, local_noon, record
from timer_app.cli.main import main
from timer_app.cli.parser import build_parser, with_share_value
from timer_app.core.plan import ROUND_REST, compile_plan
from timer_app.routines.library import load_library

HOSTILE = routine_yaml("hostile")


def test_help_carries_the_safety_note_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "gentle pull, never pain" in out
    assert "Stop if pain increases" in out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("stretch-timer ")


def test_list_shows_every_preset(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(capsys, "list")
    assert status == 0
    assert err == ""
    for routine_id in ("doctor-jo-5-minute", "doctor-jo-seated", "neck-stretches"):
        assert routine_id in out


def test_list_json_has_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "list", "--json")
    assert status == 0
    items = json.loads(out)
    assert {"id", "title", "duration_s", "positions", "equipment", "source"} <= set(items[0])
    by_id = {item["id"]: item for item in items}
    assert by_id["doctor-jo-seated"]["positions"] == ["seated"]
    assert "chair" in by_id["doctor-jo-seated"]["equipment"]
    assert by_id["doctor-jo-5-minute"]["source"]["site"] == "Ask Doctor Jo"


def test_show_json_lists_steps_that_add_up(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "show", "doctor-jo-5-minute", "--json")
    assert status == 0
    plan = json.loads(out)
    assert set(plan) == {"id", "title", "total_s", "rounds", "steps", "left_out", "exercises"}
    keys = {"kind", "exercise", "name", "side", "rep", "reps", "start_s", "duration_s"}
    extra = {"move", "optional", "round", "entry"}
    assert all(set(step) == keys | extra for step in plan["steps"])
    moves = [step["move"] for step in plan["steps"] if step["move"]]
    assert moves[0]["cue"] == "Lie down on your back."
    assert {"cue", "from", "to", "fetch", "minimum_s"} == set(moves[0])
    last = plan["steps"][-1]
    assert last["start_s"] + last["duration_s"] == pytest.approx(plan["total_s"])
    assert 240 <= plan["total_s"] <= 360


def test_show_gives_each_exercises_how_to_and_note_under_its_first_get_ready(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_main(capsys, "show", "healthsoul-lower-back", "--rounds", "2")
    assert status == 0
    lines = out.splitlines()
    ready = lines.index(next(line for line in lines if "Get ready: Double knee to chest" in line))
    told = [line.strip() for line in lines[ready + 1 : ready + 6]]
    assert told[:3] == [
        "1. Lie on your back, feet flat.",
        "2. Bring one knee up, then the other.",
        "3. Hold both knees and draw them gently toward your chest.",
    ]
    # The routine's note on it (HealthSoul's head forward) follows the how-to.
    assert " ".join(told[3:]).startswith("Note: Also bring your head forward toward your knees")
    # Once for the routine, not again in the second round; the steps are all there.
    assert out.count("1. Lie on your back, feet flat.") == 1
    assert out.count("Get ready: Double knee to chest") == 2

    status, brief, _ = run_main(capsys, "show", "healthsoul-lower-back", "--brief")
    assert status == 0
    assert "1. Lie on your back" not in brief and "Note:" not in brief
    # The steps and the moves stay.
    assert "Get ready: Double knee to chest" in brief
    assert "Lie down on your back." in brief and "Come up onto your knees." in brief

    status, out, _ = run_main(capsys, "show", "healthsoul-lower-back", "--json")
    plan = json.loads(out)
    double = next(item for item in plan["exercises"] if item["id"] == "double-knee-to-chest")
    assert double["how_to"][0] == "Lie on your back, feet flat."
    assert double["note"].startswith("Also bring your head forward toward your knees")
    assert double["cautions"] and double["entry"] == 1 and double["optional"] is False
    assert {step["entry"] for step in plan["steps"]} == {0, 1, 2}


def fits(text: str, width: int) -> None:
    """Every line fits `width`, but for a line that is one word too long to break."""
    for line in text.splitlines():
        assert len(line) <= width or " " not in line.strip(), f"{len(line)} > {width}: {line!r}"


def words(text: str) -> Counter[str]:
    return Counter(word for word in text.split() if not set(word) <= set("█▏▎▍▌▋▊▉"))


@pytest.mark.parametrize("width", [40, 60, 100])
def test_show_and_history_wrap_to_the_terminal_at_word_boundaries(
    width: int, isolated_home: Path
) -> None:
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    long_title = "Morning stretches for a back that has sat at a desk all week long"
    record(history, local_noon(days_ago=0), title=long_title, state="stopped")
    for argv in (
        ["show", "doctor-jo-dont-crack-your-back"],
        ["show", "pt-upper-lower-hips", "--quick", "--prepare", "1"],
        ["history"],
    ):
        out = on_terminal(*argv, columns=width)
        fits(out, width)
        # The same words as on a terminal too wide to wrap anything: only spaces moved, so
        # no word was cut in two (history's bars are shortened to fit, so they differ).
        wide = on_terminal(*argv, columns=1000)
        assert words(out) == words(wide), argv
    assert long_title in " ".join(on_terminal("history", columns=width).split())


@pytest.mark.parametrize("width", [40, 60, 100])
def test_list_and_exercises_fit_the_terminal(width: int) -> None:
    presets = load_library(user=False)
    for command, ids in (("list", presets.routines), ("exercises", presets.exercises)):
        out = on_terminal(command, columns=width)
        fits(out, width)
        assert set(ids) <= set(out.split()), command  # every id whole


def test_output_to_a_pipe_wraps_at_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["show", "doctor-jo-dont-crack-your-back"], ["list"], ["exercises"]):
        assert main(argv) == 0
        out = capsys.readouterr().out
        fits(out, 80)
        assert max(len(line) for line in out.splitlines()) > 60, argv  # wrapped, not cramped


def test_show_text_is_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "show", "neck-stretches")
    assert status == 0
    assert "AT" in out and "STEP" in out and "SIDE" in out
    assert "Source:" in out
    assert "Cautions:" in out
    assert out.rstrip().splitlines()[-1].startswith("Total ")


def test_quick_mode_keeps_holds_and_shortens_the_session(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, full, _ = run_main(capsys, "show", "doctor-jo-seated", "--json")
    _, quick, _ = run_main(capsys, "show", "doctor-jo-seated", "--json", "--quick")
    full_plan, quick_plan = json.loads(full), json.loads(quick)
    assert quick_plan["total_s"] < full_plan["total_s"]
    holds = {s["duration_s"] for s in quick_plan["steps"] if s["kind"] == "hold"}
    assert holds == {s["duration_s"] for s in full_plan["steps"] if s["kind"] == "hold"}
    assert all(s["reps"] == 1 for s in quick_plan["steps"] if s["kind"] == "hold")


def test_overrides_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(
        capsys,
        "show",
        "spine-health-five",
        "--json",
        "--hold",
        "20s",
        "--reps",
        "2",
        "--prepare",
        "1:00",
    )
    assert status == 0
    steps = json.loads(out)["steps"]
    assert {s["duration_s"] for s in steps if s["kind"] == "prepare"} == {60}
    # Held exercises now hold 20 s twice; a tempo's short end-range hold keeps its own length.
    held = [s for s in steps if s["kind"] == "hold" and s["reps"] == 2]
    assert held
    assert {s["duration_s"] for s in held} == {20}


def test_rounds_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, one, _ = run_main(capsys, "show", "neck-stretches", "--json")
    status, out, _ = run_main(capsys, "show", "neck-stretches", "--json", "--rounds", "3")
    assert status == 0
    plan = json.loads(out)
    assert plan["rounds"] == 3
    assert {s["round"] for s in plan["steps"]} == {1, 2, 3}
    assert plan["total_s"] == 3 * json.loads(one)["total_s"] + 2 * ROUND_REST
    status, text, _ = run_main(capsys, "show", "neck-stretches", "--rounds", "3")
    assert "Adjusted: 3 rounds" in text
    assert "Rest before round 2 of 3" in text
    assert "Rest before round 3 of 3" in text
    assert text.rstrip().endswith("3 rounds")


def test_rounds_out_of_range_say_what_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    for rounds in ("0", "11"):
        with pytest.raises(SystemExit) as exit_info:
            main(["run", "neck-stretches", "--plain", "--rounds", rounds])
        assert exit_info.value.code == 2
        assert "argument --rounds: must be from 1 to 10" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "neck-stretches", "--reps", "0"],
        ["show", "neck-stretches", "--hold", "2h"],
        ["show", "neck-stretches", "--prepare", "soon"],
    ],
)
def test_bad_overrides_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_unknown_routine_suggests_a_near_miss(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(capsys, "show", "neck-stretchs")
    assert status == 1
    assert "did you mean 'neck-stretches'?" in err


def test_a_routine_whose_file_is_broken_is_named_as_such_not_as_unknown(
    user_routines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = user_routines / "three.yaml"
    broken.write_text("title: Three\nsequence:\n  - exercise: cat-cow\n    hold: -3s\n")
    status, _, err = run_main(capsys, "show", "three")
    assert status == 1
    assert f"{broken}:4:11: sequence entry 1 (cat-cow): hold: a duration cannot be negative" in err
    assert err.rstrip().endswith(
        f"the routine 'three' could not be loaded: {broken} has problems"
        f" (`stretch validate {broken}` lists them)"
    )
    assert "no routine with the id" not in err


def test_routines_option_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    (second / "other.yaml").write_text(HOSTILE.replace("id: hostile", "id: other"), "utf-8")
    status, out, _ = run_main(capsys, "--routines", str(first), "list", "--routines", str(second))
    assert status == 0
    assert "hostile" in out and "other" in out


def test_hostile_text_is_printed_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    _, listing, _ = run_main(capsys, "--routines", str(tmp_path), "list")
    assert "Neck [/" in listing
    _, shown, _ = run_main(capsys, "--routines", str(tmp_path), "show", "hostile")
    assert "Neck [/" in shown
    assert "[red]x[/red] and [bold]" in shown
    assert "Hold: [red]x" in shown


def test_broken_user_file_is_reported_and_everything_else_works(
    user_routines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = user_routines / "mine.yaml"
    broken.write_text("title: Mine\nsequence:\n  - exercise: knee-to-chst\n", encoding="utf-8")
    status, out, err = run_main(capsys, "list")
    assert status == 0
    assert "doctor-jo-5-minute" in out
    assert f"{broken}:3:15: sequence entry 1 (knee-to-chst): unknown exercise 'knee-to-chst'" in err
    assert "did you mean 'knee-to-chest'?" in err
    assert "1 routine file could not be loaded" in err


def test_user_routine_replaces_a_preset_with_a_notice(
    user_routines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (user_routines / "neck.yaml").write_text(
        "id: neck-stretches\ntitle: My neck routine\nsequence: [chin-to-chest]\n", "utf-8"
    )
    status, out, err = run_main(capsys, "show", "neck-stretches")
    assert status == 0
    assert out.startswith("My neck routine")
    assert "replaces the preset" in err


def test_validate_good_and_bad_files(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "validate", str(REPO / "routines"))
    assert status == 0
    assert "files valid" in out
    bad = DATA / "bad" / "unknown_key.yaml"
    status, out, err = run_main(capsys, "validate", str(bad))
    assert status == 1
    assert f"{bad}:4:3: defaults: unknown field 'hodl' (did you mean 'hold'?)" in out
    # The closing count comes last, on its own line, on the same stream as the problems.
    assert out.splitlines()[-2:] == [
        f"{bad}:14:5: sequence entry 1 (knee-hug): unknown field 'rpes' (did you mean 'reps'?)",
        "1 of 1 files have problems",
    ]
    assert out.endswith("\n") and err == ""


def test_validate_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run_main(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert status == 1
    assert "no such file or folder" in out


def test_validate_a_folder_without_routine_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("not a routine\n", encoding="utf-8")
    status, out, _ = run_main(capsys, "validate", str(tmp_path))
    assert status == 1
    assert out.splitlines() == [
        f"{tmp_path}: no routine files (*.yaml, *.yml) in this folder",
        "1 of 1 files have problems",
    ]


def test_validate_never_shows_a_traceback_whatever_the_file_holds(tmp_path: Path) -> None:
    blobs = {
        "random.yaml": bytes(range(256)) * 4,
        "nul.yaml": b"title: a\x00b\n",
        "latin1.yaml": b"title: caf\xe9\n",
        "tabs.yaml": b"title:\n\t- x\n",
        "anchors.yaml": b"a: *nowhere\n",
        "bom.yaml": b"\xef\xbb\xbftitle: ok\nsequence: [chin-to-chest]\n",
        "deep.yaml": b"a: " + b"{b: " * 5000,
        "number.yaml": b"42\n",
        "list_of_nulls.yaml": b"title: x\nsequence: [~, ~]\n",
    }
    for name, data in blobs.items():
        (tmp_path / name).write_bytes(data)
    result = stretch("validate", *sorted(str(p) for p in tmp_path.iterdir()))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{tmp_path / 'random.yaml'}:1:1: this is a binary file" in result.stdout
    assert f"{tmp_path / 'bom.yaml'}" not in result.stdout  # a BOM is fine


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "schema")
    assert status == 0
    assert json.loads(out)["title"] == "stretch-timer routine file"


def test_python_dash_m_works_like_the_command() -> None:
    result = stretch("list", "--json")
    assert result.returncode == 0, result.stderr
    assert any(item["id"] == "neck-stretches" for item in json.loads(result.stdout))


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["show", "doctor-jo-5-minute"]])
def test_fast_commands_never_import_textual(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from timer_app.cli.main import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert "HEAVY []" in result.stderr


def test_listing_fits_the_terminal_width() -> None:
    from timer_app.cli.tables import list_text
    from timer_app.routines.library import load_library

    library = load_library(user=False)
    plans = {rid: compile_plan(routine) for rid, routine in library.routines.items()}
    full = list_text(library, plans)
    assert max(len(line) for line in full.splitlines()) > 80
    narrow = list_text(library, plans, width=80)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    # Nothing is cut: ids, titles, positions and sources all still read in full.
    assert "doctor-jo-dont-crack-your-back" in narrow
    assert "Doctor Jo's 5-minute back routine" in narrow
    assert "lying-back, seated, hands-knees; Ask Doctor Jo" in narrow
    assert "A physical therapist's blog" in " ".join(narrow.split())  # wrapped, not cut


@pytest.mark.parametrize(
    ("argv", "share", "routine"),
    [
        (["run", "--share", "neck-stretches"], "local", "neck-stretches"),
        (["run", "--share", "lan", "neck-stretches"], "lan", "neck-stretches"),
        (["run", "neck-stretches", "--share"], "local", "neck-stretches"),
        (["run", "neck-stretches", "--share", "local"], "local", "neck-stretches"),
        (["run", "neck-stretches"], None, "neck-stretches"),
    ],
)
def test_share_may_come_before_the_routine(
    argv: list[str], share: str | None, routine: str
) -> None:
    args = build_parser().parse_args(with_share_value(argv))
    assert (args.share, args.routine) == (share, routine)
