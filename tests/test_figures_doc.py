"""The figures' gallery, docs/figures.md: it is exactly what `scripts/make_figures_doc.py` makes
from the library today (a changed pose, a new exercise, a renamed one all fail here until the
script is run again), it shows every exercise's keyframes, and every picture it links is there."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

from timer_app.routines.library import load_library

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RUN_IT = "out of date: run `python scripts/make_figures_doc.py` and commit what it writes"


def load_generator() -> ModuleType:
    path = ROOT / "scripts" / "make_figures_doc.py"
    spec = importlib.util.spec_from_file_location("make_figures_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_gallery_is_what_the_script_makes() -> None:
    made: dict[str, str] = load_generator().gallery()
    committed = {
        path.relative_to(DOCS).as_posix()
        for path in [DOCS / "figures.md", *(DOCS / "figures").glob("*")]
    }
    assert committed == set(made), RUN_IT
    for name, text in made.items():
        assert (DOCS / name).read_text(encoding="utf-8") == text, f"docs/{name} is {RUN_IT}"


def test_the_gallery_shows_every_exercise_and_every_picture_it_links(tmp_path: Path) -> None:
    # Written afresh (not the committed copy), so this holds of what the script makes.
    assert load_generator().main(["--out", str(tmp_path)]) == 0
    page = (tmp_path / "figures.md").read_text(encoding="utf-8")
    for exercise in load_library(user=False).exercises.values():
        assert f"### {exercise.name}\n" in page
        pictures = re.findall(rf'src="(figures/{re.escape(exercise.id)}-(\w+)\.svg)"', page)
        names = [pose for _, pose in pictures]
        tempo_release = exercise.figure is not None and exercise.figure.release is not None
        assert names == ["start", "stretch", *(["release"] if tempo_release else [])]
        for line in exercise.how_to:
            assert line in page
    linked = set(re.findall(r'src="(figures/[^"]+)"', page))
    assert linked == {p.relative_to(tmp_path).as_posix() for p in (tmp_path / "figures").iterdir()}
    for name in linked:
        picture = ElementTree.parse(tmp_path / name).getroot()
        assert picture.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(picture.get("viewBox", "").split()) == 4
        assert picture.find("{http://www.w3.org/2000/svg}title") is not None


def test_running_it_again_removes_pictures_of_exercises_that_are_gone(tmp_path: Path) -> None:
    generator = load_generator()
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "renamed-stretch.svg").write_text("<svg/>", encoding="utf-8")
    generator.main(["--out", str(tmp_path)])
    assert not (tmp_path / "figures" / "renamed-stretch.svg").exists()
