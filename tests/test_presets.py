"""The preset library: every routine the sources give, with their facts and cautions intact."""

from __future__ import annotations

import re

import pytest

from helpers import REPO
from timer_app.core.model import Hold, Routine, Tempo
from timer_app.core.plan import Overrides, compile_plan
from timer_app.routines.library import load_library

PRESET_IDS = {
    "doctor-jo-5-minute",
    "doctor-jo-seated",
    "doctor-jo-back-pain-relief",
    "doctor-jo-dont-crack-your-back",
    "pt-upper-lower-hips",
    "physio-ed-standing",
    "spine-health-five",
    "neck-stretches",
    "lumbar-flexion-and-core",
    "healthsoul-lower-back",
    "hamstring-hip-flexor-relief",
}
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def presets() -> dict[str, Routine]:
    library = load_library(user=False)
    assert library.problems == []
    assert library.notices == []
    return library.routines


def exercise_ids(routine: Routine) -> list[str]:
    return [entry.exercise.id for entry in routine.entries]


def test_every_preset_is_there_with_source_summary_and_cautions(
    presets: dict[str, Routine],
) -> None:
    assert set(presets) == PRESET_IDS
    for routine in presets.values():
        assert routine.preset
        assert routine.source is not None and routine.source.title and routine.source.site
        assert routine.summary
        assert routine.cautions, f"{routine.id} carries no caution"
        assert any("pain" in caution.lower() for caution in routine.all_cautions)
        for entry in routine.entries:
            assert entry.exercise.how_to


def test_doctor_jo_5_minute_is_real_time_one_hold_per_side(presets: dict[str, Routine]) -> None:
    routine = presets["doctor-jo-5-minute"]
    assert exercise_ids(routine)[0] == "pelvic-tilt"
    names = " ".join(e.exercise.name.lower() for e in routine.entries)
    for part in ("knee to chest", "trunk rotation", "ql", "child", "cat"):
        assert part in names
    assert routine.entries[3].exercise.position == "seated"
    holds = [e.dosage for e in routine.entries if isinstance(e.dosage, Hold)]
    assert holds and all(h.seconds == 30 and h.reps == 1 for h in holds)
    # "Back Pain Relief Stretches - 5 Minute Real Time Routine": about five and a half.
    assert 5 * 60 + 15 <= compile_plan(routine).total <= 5 * 60 + 45
    # "Next sitting": on the edge of the bed, the couch or a chair; no chair is required.
    assert "chair" not in routine.equipment
    assert any("cat/cow" in note.lower() and "our choice" in note for note in routine.notes)
    assert routine.source is not None and routine.source.site == "Ask Doctor Jo"


def test_doctor_jo_seated_stays_in_the_chair(presets: dict[str, Routine]) -> None:
    routine = presets["doctor-jo-seated"]
    assert routine.positions == ("seated",)
    assert "office" not in routine.suits  # the source says nothing of offices or desks
    assert routine.floor_free
    assert "chair" in routine.equipment and "towel" in routine.equipment
    assert len(routine.entries) == 7
    holds = [e.dosage for e in routine.entries if isinstance(e.dosage, Hold)]
    assert holds and all(h.seconds == 30 and h.reps == 3 for h in holds)


def test_physio_ed_standing_has_no_lying_positions_and_suits_pregnancy(
    presets: dict[str, Routine],
) -> None:
    routine = presets["physio-ed-standing"]
    assert routine.floor_free
    assert "pregnancy" in routine.suits
    assert "counter" in routine.equipment
    assert any("pregnan" in text.lower() for text in (*routine.cautions, *routine.notes))


def test_pt_routine_does_upper_back_first_and_tempo_for_the_spine(
    presets: dict[str, Routine],
) -> None:
    routine = presets["pt-upper-lower-hips"]
    kinds = [type(entry.dosage).__name__ for entry in routine.entries]
    assert kinds == ["Tempo", "Tempo", "Tempo", "Tempo", "Hold", "Hold"]
    assert "foam-roll" in routine.entries[0].exercise.equipment
    holds = [e.dosage for e in routine.entries if isinstance(e.dosage, Hold)]
    assert all(h.seconds == 30 for h in holds)


def test_cautions_kept_from_their_sources(presets: dict[str, Routine]) -> None:
    neck = " ".join(presets["neck-stretches"].all_cautions).lower()
    assert "circle" in neck
    crack = " ".join(presets["doctor-jo-dont-crack-your-back"].all_cautions).lower()
    assert "diagnosis" in crack
    assert "lying-face-down" in " ".join(
        e.exercise.position for e in presets["doctor-jo-dont-crack-your-back"].entries
    )


def test_lumbar_flexion_rotation_is_ten_reps_with_a_short_end_hold(
    presets: dict[str, Routine],
) -> None:
    routine = presets["lumbar-flexion-and-core"]
    first = routine.entries[0]
    assert first.exercise.position == "lying-side"
    assert isinstance(first.dosage, Tempo)
    assert first.dosage.reps == 10 and 1 <= first.dosage.end_hold <= 2


def test_ranges_are_chosen_within_the_source_and_explained(presets: dict[str, Routine]) -> None:
    routine = presets["healthsoul-lower-back"]
    for entry in routine.entries:
        assert isinstance(entry.dosage, Hold)
        assert 15 <= entry.dosage.seconds <= 30 and 2 <= entry.dosage.reps <= 5
    assert routine.notes


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles (../shared/seeds) are absent")
def test_instructions_are_in_our_own_words(presets: dict[str, Routine]) -> None:
    run = 7
    seen: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        seed_words = words(seed.read_text(encoding="utf-8"))
        seen.update(tuple(seed_words[i : i + run]) for i in range(len(seed_words) - run + 1))
    copied = []
    for routine in presets.values():
        texts = [routine.summary, *routine.cautions, *routine.notes]
        for entry in routine.entries:
            exercise = entry.exercise
            texts += [*exercise.how_to, *exercise.cautions, exercise.other_side or ""]
            texts.append(entry.note or "")
        for text in texts:
            text_words = words(text)
            for i in range(len(text_words) - run + 1):
                if tuple(text_words[i : i + run]) in seen:
                    copied.append(
                        f"{routine.id}: {' '.join(text_words[i : i + run])!r} in {text!r}"
                    )
    assert not copied, "\n".join(copied)


def test_prone_props_are_optional_and_say_why_first(presets: dict[str, Routine]) -> None:
    routine = presets["doctor-jo-dont-crack-your-back"]
    [optional] = [entry for entry in routine.entries if entry.optional]
    assert optional.exercise.id == "prone-props"
    assert any("diagnosis" in caution and "disc" in caution for caution in routine.cautions)
    assert [
        e.exercise.id for e in compile_plan(routine, Overrides(skip_optional=True)).routine.entries
    ] == [e.exercise.id for e in routine.entries if not e.optional]
    notes = " ".join(routine.notes)
    assert "our choice of technique" in notes
    # The note and the caution agree on how hard to squeeze.
    met = next(e.exercise for e in routine.entries if e.exercise.id == "isometric-met")
    assert "gentle" in notes and all("firmly" not in c for c in met.cautions)


def test_spine_health_five_uses_the_towel_hamstring_dose_and_says_its_length(
    presets: dict[str, Routine],
) -> None:
    routine = presets["spine-health-five"]
    hamstring = next(e for e in routine.entries if e.exercise.id == "hamstring-stretch")
    assert isinstance(hamstring.dosage, Hold)
    assert hamstring.dosage.seconds >= 15 and hamstring.dosage.reps >= 5
    assert hamstring.side_order == "alternate"  # "Switch legs and repeat"
    assert "short" not in routine.summary
    minutes = compile_plan(routine).total / 60
    assert "13 minutes" in routine.summary and 12.75 <= minutes <= 13.25


def test_choices_that_are_ours_are_said_so(presets: dict[str, Routine]) -> None:
    lumbar = presets["lumbar-flexion-and-core"]
    assert any("doctor" in caution for caution in lumbar.cautions)
    assert any("one at a time" in note and "our addition" in note for note in lumbar.notes)
    healthsoul = " ".join(presets["healthsoul-lower-back"].notes)
    assert "buttock" in healthsoul and "physical therapist's blog" in healthsoul


def test_hamstring_and_hip_flexor_relief_follows_its_source(presets: dict[str, Routine]) -> None:
    routine = presets["hamstring-hip-flexor-relief"]
    assert routine.source is not None and "Hamstring And Hip Flexor" in routine.source.title
    hamstring, hip_flexor = routine.entries
    assert hamstring.exercise.id == "hamstring-stretch"
    assert "towel" in hamstring.exercise.equipment
    assert hamstring.exercise.position == "lying-back"
    # "Hold it for a minimum of 15 seconds then relax. Switch legs and repeat at least 5 times."
    assert isinstance(hamstring.dosage, Hold)
    assert hamstring.dosage.seconds >= 15 and hamstring.dosage.reps >= 5
    assert hamstring.side_order == "alternate"
    # "Kneel on both knees with the bottom on your heels" ... "maintain it for 20 seconds",
    # then the opposite leg.
    assert hip_flexor.exercise.position == "kneeling" and hip_flexor.exercise.per_side
    assert "heels" in " ".join(hip_flexor.exercise.how_to)
    assert hip_flexor.dosage == Hold(20, 1, hip_flexor.dosage.rest)
    cautions = " ".join(routine.all_cautions).lower()
    for words in ("bounce", "doctor", "72 hours", "pain"):
        assert words in cautions
    assert len(routine.notes) >= 3
