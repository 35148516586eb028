"""One table of controls serves every view: the app, plain mode, settings and the README."""

from __future__ import annotations

import inspect
import re

import pytest

from helpers import REPO
from timer_app.config.settings import settings_spec
from timer_app.core.controls import CONTROLS, Control, key_label, key_name, key_names, keymap
from timer_app.session.engine import Engine


@pytest.mark.parametrize("control", [c for c in CONTROLS if c.call], ids=lambda c: c.id)
def test_each_engine_control_names_an_engine_method_that_takes_its_arguments(
    control: Control,
) -> None:
    assert control.call is not None
    method = getattr(Engine, control.call)
    inspect.signature(method).bind(None, *control.args)


def test_the_app_binds_every_control_by_its_id() -> None:
    from timer_app.views.tui.app import StretchApp
    from timer_app.views.tui.screens.session import SessionScreen

    # A binding without an id is a screen's own key (c for the cautions), not a control.
    ids = {b.id for b in [*SessionScreen.BINDINGS, *StretchApp.BINDINGS] if b.id is not None}
    # F1 opens help besides the help control's keys (where `?` types, in the picker's filter);
    # it is the app's own key, not a control, so `keys:` in the settings does not list it.
    assert ids - {"help-f1"} == {c.id for c in CONTROLS}


def test_every_control_can_be_remapped_in_settings() -> None:
    keys = next(f for f in settings_spec().fields if f.name == "keys")
    assert [f.name for f in keys.type.fields] == [c.id for c in CONTROLS]


def test_the_readme_key_table_lists_each_control_with_its_keys() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|]+?) \| [^|]+ \|$", readme.split("| key | does |")[1], re.M)
    shown = [row.split(", ") for row in rows if row != "---"][: len(CONTROLS)]
    assert shown == [[key_label(k) for k in c.keys] for c in CONTROLS]


def test_typed_characters_and_arrow_sequences_are_named_as_the_app_names_keys() -> None:
    assert [key_name(c) for c in " +=-_?n\x11"] == [
        "space",
        "plus",
        "equals_sign",
        "minus",
        "underscore",
        "question_mark",
        "n",
        "ctrl+q",
    ]
    assert list(key_names("\x1b[C\x1bOD\x1b[Ax")) == ["right", "left", "up", "x"]


def test_a_remapped_key_leaves_the_control_that_had_it() -> None:
    mapped = keymap({"pause": "n"})
    assert mapped["n"] == "pause"
    assert "space" not in mapped
    assert mapped["right"] == "skip"


@pytest.mark.parametrize("control", CONTROLS, ids=[c.id for c in CONTROLS])
async def test_every_engine_control_is_performed_the_same_way_by_every_view(
    control: Control,
) -> None:
    from engine_support import Session, mixed_plan
    from timer_app.session.perform import perform

    session = await Session(mixed_plan()).start()
    await session.at(12)  # in a hold
    if control.call is None:
        # Mute, share, quit and help are the view's own: the engine has nothing to do.
        with pytest.raises(ValueError, match=control.id):
            perform(session.engine, control)
        return
    before = (session.engine.state, session.engine.remaining(), session.engine.step)
    changed = perform(session.engine, control)
    await session.wait(0)
    after = (session.engine.state, session.engine.remaining(), session.engine.step)
    assert isinstance(changed, bool)
    # A change said is a change seen; "go on" refuses in a hold and changes nothing.
    assert changed == (after != before)
