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
    # "Back Pain Relief Stretches - 5 Minute Real Time Routine": about five and a half here.
    assert 5 * 60 + 15 <= compile_plan(routine).total <= 5 * 60 + 45
    # "Next sitting": on the edge of the bed, the couch or a chair; no chair is required.
    assert "chair" not in routine.equipment
    assert any("cat/cow" in note and note.startswith("Our choice") for note in routine.notes)
    # It says how long it really runs, and why.
    assert "about 5½ minutes" in routine.summary
    assert any("5½ minutes rather than the source's 5" in note for note in routine.notes)
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


def ours(routine: Routine) -> str:
    """The notes that list the routine's choices of its own, as one text."""
    return " ".join(note for note in routine.notes if note.startswith("Our choice: "))


def test_each_preset_lists_its_own_choices_together_at_the_end_of_its_notes(
    presets: dict[str, Routine],
) -> None:
    for routine in presets.values():
        starts = [note.startswith("Our choice: ") for note in routine.notes]
        first = starts.index(True)
        assert all(starts[first:]), f"{routine.id}: a note of the source's among ours"
        # Nowhere else does a note speak of a choice of ours.
        for note in routine.notes[:first]:
            assert not re.search(r"\bours?\b", note, re.IGNORECASE), note
        assert routine.notes[-1] == (
            "Our choice: the time given to get ready before each exercise and to change sides; "
            "the source gives none."
        )


# Each addition issue 20 found undisclosed, and the words its preset's choices now use for it.
DISCLOSED = {
    "doctor-jo-seated": [
        "the caution to use a sturdy chair that does not roll or tip",
        "a towel is fetched before the pelvic tilts; the source says a towel can help",
        "as 10 steady reps",
    ],
    "healthsoul-lower-back": [
        "pad the kneeling knee",
        "one at a time in the double knee to chest",
        "squeeze the buttock",
    ],
    "pt-upper-lower-hips": [
        "padding the kneeling knee",
        "keep your weight even across both hips comes from HealthSoul",
        "the figure 4 is done lying on your back; the source gives no position",
        "stopping if the pain gets worse",
    ],
    "doctor-jo-5-minute": ["one knee at a time", "6 pelvic tilts", "5 slow cat/cows"],
    "spine-health-five": ["one knee at a time", "lift only as high as feels easy"],
    "doctor-jo-back-pain-relief": ["as 10 steady reps", "one knee at a time"],
    "doctor-jo-dont-crack-your-back": ["are 10 steady reps", "our choice of technique"],
    "lumbar-flexion-and-core": [
        "three passages of the compilation",
        "Leon Turetsky",
        "one at a time",
        "stopping the flexion rotation if your symptoms get worse",
    ],
    "physio-ed-standing": [
        "to stop if the pain gets worse",
        "to squat only as deep as is comfortable",
        "to hold a counter or chair back for balance",
    ],
    "neck-stretches": ["sitting for the first two", "30-second holds"],
    "hamstring-hip-flexor-relief": ["5 times on each leg", "a mat or folded towel"],
}


def test_every_addition_of_ours_is_disclosed(presets: dict[str, Routine]) -> None:
    assert set(DISCLOSED) == set(presets)
    for routine_id, phrases in DISCLOSED.items():
        choices = ours(presets[routine_id])
        for phrase in phrases:
            assert phrase in choices, f"{routine_id}: {phrase!r} not among its choices"
    # The towel for the seated tilts helps; the steps do not make it a must.
    tilt = presets["doctor-jo-seated"].entries[1].exercise
    assert tilt.id == "seated-pelvic-tilt" and "if it helps" in tilt.how_to[0]


# Each caution issue 20 found weaker or stronger than its source: the source's words, and the
# words of ours that carry the same strength (and none that softened or strengthened it).
DOCTOR_JO = [
    (
        "stop immediately and contact your healthcare provider",
        "stop at once and contact your healthcare provider",
    ),
    (
        "get approval and guidance from your own healthcare provider before beginning",
        "get your own healthcare provider's approval and guidance before you begin",
    ),
]
SPINE_PRO = (
    # (sic: the page has a space before the comma)
    "If you experience any pain or other symptoms , please contact your spine professional "
    "immediately",
    "If you have any pain or other symptoms, contact your spine professional straight away",
)
APPROVAL = (
    "get your doctors approval before you start",
    "Get your doctor's approval before you start",
)
STRENGTH = {
    "doctor-jo-5-minute": DOCTOR_JO,
    "doctor-jo-back-pain-relief": DOCTOR_JO,
    "doctor-jo-seated": DOCTOR_JO,
    "doctor-jo-dont-crack-your-back": [
        *DOCTOR_JO,
        (
            "If you have certain diagnoses, you should not crack your back",
            "Some diagnoses rule out cracking your back",
        ),
    ],
    "spine-health-five": [SPINE_PRO, APPROVAL],
    "hamstring-hip-flexor-relief": [SPINE_PRO, APPROVAL],
    "lumbar-flexion-and-core": [SPINE_PRO, APPROVAL],
    "physio-ed-standing": [
        (
            "need to be aware of lying down postures that put pressure on the abdomen",
            "be mindful of lying positions that press on your belly",
        ),
        (
            "often need some pelvic support with a pregnancy belt",
            "often needs some support for the pelvis from a pregnancy belt",
        ),
    ],
}
WEAKER = ("stop and call them", "bad idea", "Ask your doctor whether", "may help", "avoid")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles (../shared/seeds) are absent")
def test_cautions_keep_their_sources_strength(presets: dict[str, Routine]) -> None:
    seeds = " ".join(
        " ".join(path.read_text(encoding="utf-8").replace("\u2019", "'").split())
        for path in SEEDS.glob("*.txt")
    )
    for routine_id, pairs in STRENGTH.items():
        cautions = " ".join(presets[routine_id].cautions)
        for source, ours_ in pairs:
            assert source in seeds, source  # quoted right
            assert ours_ in cautions, f"{routine_id}: {ours_!r}"
        for word in WEAKER:
            assert word not in cautions, f"{routine_id}: {word!r}"
    # "Usually, your painful side is down": usually, not always.
    lumbar = presets["lumbar-flexion-and-core"]
    assert lumbar.entries[0].note == "Usually with the painful side down."
    assert "usually" in lumbar.entries[0].exercise.how_to[0]


def test_a_preset_that_follows_an_authors_passage_credits_the_author(
    presets: dict[str, Routine],
) -> None:
    source = presets["lumbar-flexion-and-core"].source
    assert source is not None and source.author is not None
    assert "Leon Turetsky" in source.author and "Leon Turetsky" in str(source)


def test_a_summary_that_gives_a_length_gives_the_real_one(presets: dict[str, Routine]) -> None:
    said = {}
    for routine in presets.values():
        found = re.search(r"(\d+)(½|¼)? minutes", routine.summary)
        if found:
            minutes = int(found[1]) + {"½": 0.5, "¼": 0.25, None: 0.0}[found[2]]
            said[routine.id] = minutes
            total = compile_plan(routine).total / 60
            assert abs(total - minutes) <= 0.25, f"{routine.id}: says {minutes}, runs {total:.2f}"
    assert {"doctor-jo-5-minute", "spine-health-five", "hamstring-hip-flexor-relief"} <= set(said)


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
