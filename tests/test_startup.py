"""What `stretch run ID` does before its first frame: only what that frame needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO

# As `stretch run neck-stretches` starts the app, up to the session's first countdown.
FIRST_FRAME = """\
import asyncio, json, sys
from timer_app.cli.commands import load_plan
from timer_app.cli.parser import build_parser
from timer_app.companions import Companions
from timer_app.views.tui.app import StretchApp

args = build_parser().parse_args(["run", "neck-stretches"])
plan, library = load_plan(args, None)

async def main() -> None:
    app = StretchApp(plan=plan, library=library, companions=Companions(sound="off"))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            await pilot.pause()
            if type(app.screen).__name__ == "SessionScreen":
                break
        print(json.dumps({
            "screen": type(app.screen).__name__,
            "modules": sorted(m for m in sys.modules if m.startswith(("timer_app", "yaml"))),
        }))
        app.exit()

asyncio.run(main())
"""


def first_frame_modules() -> tuple[str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    return seen["screen"], set(seen["modules"])


def test_a_session_started_by_id_draws_without_the_picker_or_the_yaml_reader(
    isolated_home: Path,
) -> None:
    from timer_app.config.acknowledgement import remember

    assert remember()
    first_frame_modules()  # the first start parses the routine files and keeps them
    screen, modules = first_frame_modules()
    assert screen == "SessionScreen"
    # The routine came from the cache: no routine file read, no parser imported.
    assert "yaml" not in modules and "timer_app.routines.reading" not in modules
    # Screens it has not shown are not imported.
    for module in (
        "picker",
        "builder",
        "stats",
        "reminders",
        "summary",
        "safety",
        "confirm",
        "notice",
    ):
        assert f"timer_app.views.tui.screens.{module}" not in modules, module
