"""Every kind of bad routine file gets clear `PATH:LINE:COL: message` problems, all at once.

Each file in tests/data/bad/ states the problems it must produce in `# expect: LINE:COL text`
comments; the file must produce those and no others.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import DATA
from timer_app.routines.library import load_library
from timer_app.routines.problems import Problem
from timer_app.routines.yamlfile import MAX_FILE_BYTES

BAD = sorted((DATA / "bad").glob("*.yaml"))
EXPECT = re.compile(r"#\s*expect:\s*(\d+):(\d+)\s+(.*)")


def problems_for(path: Path) -> list[Problem]:
    library = load_library([path], user=False)
    return [problem for problem in library.problems if problem.path == path]


def expectations(path: Path) -> list[tuple[int, int, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            found.append((int(match[1]), int(match[2]), match[3].strip()))
    return found


@pytest.mark.parametrize("path", BAD, ids=[path.stem for path in BAD])
def test_bad_file_reports_each_problem_with_its_place(path: Path) -> None:
    problems = problems_for(path)
    expected = expectations(path)
    assert expected, "each bad file states what it expects"
    for line, column, text in expected:
        matching = [
            p for p in problems if p.line == line and p.column == column and text in p.message
        ]
        assert matching, f"expected {line}:{column} {text!r} among:\n" + "\n".join(
            map(str, problems)
        )
    places = {(line, column, text) for line, column, text in expected}
    unexplained = [
        p
        for p in problems
        if not any(
            p.line == line and p.column == column and text in p.message
            for line, column, text in places
        )
    ]
    assert not unexplained, "\n".join(map(str, unexplained))


def test_broken_file_leaves_presets_and_other_files_working(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("title: [\n", encoding="utf-8")
    (tmp_path / "fine.yaml").write_text(
        "title: Fine\nexercises:\n  - {id: a, name: A, how_to: Do it., position: seated}\n"
        "sequence: [a]\n",
        encoding="utf-8",
    )
    library = load_library([tmp_path], user=False)
    assert "fine" in library.routines
    assert "doctor-jo-5-minute" in library.routines
    assert library.broken_files == [tmp_path / "broken.yaml"]


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_non_utf8_file_names_line_and_column(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "latin1.yaml", "title: ok\nsummary: caf\xe9\n".encode("latin-1"))
    [problem] = problems_for(path)
    assert (problem.line, problem.column) == (2, 13)
    assert "not UTF-8" in problem.message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [problem] = problems_for(path)
    assert "binary file" in problem.message


def test_huge_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "huge.yaml", b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    [problem] = problems_for(path)
    assert "at most 1 MiB" in problem.message


@pytest.mark.parametrize("depth", [40, 200_000], ids=["past our limit", "past any parser's"])
def test_deep_nesting_is_a_located_rejection(tmp_path: Path, depth: int) -> None:
    # Whichever layer stops it first (our reader at 32 levels, or PyYAML's own limit in newer
    # releases), the user gets one problem on the right line that says what is wrong.
    path = write_bytes(tmp_path, "deep.yaml", b"title: ok\nsummary: " + b"[" * depth)
    [problem] = problems_for(path)
    assert problem.line == 2
    assert problem.column > 1
    assert "nest" in problem.message


def test_control_character_is_located(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "bell.yaml", b"title: ok\nsummary: a\x07b\n")
    [problem] = problems_for(path)
    assert (problem.line, problem.column) == (2, 11)
    assert "U+0007" in problem.message


def test_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "routine.yaml"
    folder.mkdir()  # a folder where a file is expected cannot be read as one
    library = load_library([tmp_path / "missing"], user=False)
    assert [str(p) for p in library.problems] == [f"{tmp_path / 'missing'}: no such file or folder"]


@pytest.mark.parametrize(
    "path", sorted((DATA / "routines").glob("*.yaml")), ids=lambda path: path.stem
)
def test_every_routine_the_tests_use_is_a_valid_file(path: Path) -> None:
    # The tests' own routines (tests/data/routines) are kept as real files a person could
    # write: one that no longer validates would make every test using it test nothing. Read
    # beside the presets, as the tests read them: some use the library's exercises.
    library = load_library([path], user=False)
    assert library.problems == [] and library.warnings == []
    assert library.routines
