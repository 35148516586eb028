"""Provides the user's folders for stretch-timer: routines and settings, and session data."""

from __future__ import annotations

from pathlib import Path

APP_NAME = "stretch-timer"


def config_dir() -> Path:
    """The user's config folder (honours XDG_CONFIG_HOME on Linux)."""
    # Imported here: platformdirs costs a few ms that `--help` need not pay.
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def user_routines_dir() -> Path:
    """Where a user's own routine files live."""
    return config_dir() / "routines"


def data_dir() -> Path:
    """The user's data folder (honours XDG_DATA_HOME on Linux): history, acknowledgements."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cue_set_dir(cue_set: str) -> Path:
    """The folder of a built-in cue set (`tones`, `soft`, `bells`): `sounds/<set>/`."""
    return package_dir("sounds") / cue_set


def package_dir(name: str) -> Path:
    """A data folder shipped with the package: `routines`, `sounds` or `schema`.

    A wheel install carries them in `timer_app/data/`; a source checkout has them at the top.
    """
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data" / name
    if packaged.is_dir():
        return packaged
    return package.parent / name
