"""Provides `cached_library`: the routine library as last parsed, while no file it came from
has changed, so the app draws its first frame without reading every routine file again.

The cache is a pickle in the user's cache folder (`~/.cache/stretch-timer` on Linux), written
atomically. It is used only when its key matches: the path, size, modification and change
times of every routine file it was built from (and the list of those files), and of every
module that builds or defines the model, with the Python version. Anything else (no cache, a
file added, removed or touched, a damaged or foreign cache, a new version of this code) parses
the files again, so a cache can make loading faster but never changes a plan.

Pickle runs code when it loads, so the cache is read only from the user's own cache folder,
which only they (and programs they run) can write: the same trust as their routine files.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from timer_app.core.paths import APP_NAME
from timer_app.routines.catalog import Library, routine_sources

__all__ = ["cache_path", "cached_library"]

CACHE_FILE = "library.pickle"
_CODE = ("core", "routines")
"""Packages whose modules define or build what the cache holds: any change to them (an edit,
an upgrade) makes the cache stale."""

Key = tuple[object, ...]


def cache_path() -> Path:
    """Where the parsed library is kept (honours XDG_CACHE_HOME on Linux)."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False) / CACHE_FILE


def cached_library(extra: Sequence[Path] = ()) -> Library:
    """`load_library(extra)`, from the cache when nothing it was built from has changed."""
    try:
        key = _key(extra)
    except OSError:
        return _load(extra)  # a file vanished as it was listed: read what is there
    path = cache_path()
    cached = _read(path, key)
    if cached is not None:
        return cached
    library = _load(extra)
    _write(path, key, library)
    return library


def _load(extra: Sequence[Path]) -> Library:
    # The loader (the YAML reader, the file format) is imported only when files are read.
    from timer_app.routines.library import load_library

    return load_library(extra)


def _key(extra: Sequence[Path]) -> Key:
    files: list[tuple[str, bool, int, int, int]] = []
    for path, is_preset in routine_sources(extra):
        stat = path.stat()
        files.append((str(path), is_preset, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    package = Path(__file__).resolve().parent.parent
    code = []
    for name in _CODE:
        for module in sorted((package / name).glob("*.py")):
            stat = module.stat()
            code.append((module.name, stat.st_size, stat.st_mtime_ns))
    # `extra` folders that do not exist are a problem the library reports: part of the key.
    missing = tuple(str(folder) for folder in extra if not folder.exists())
    return (sys.version_info[:3], tuple(code), tuple(files), missing)


def _read(path: Path, key: Key) -> Library | None:
    try:
        with path.open("rb") as file:
            stored_key, library = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # damaged, truncated, or written by other code: build it again
        return None
    if stored_key != key or not isinstance(library, Library):
        return None
    return library


def _write(path: Path, key: Key, library: Library) -> None:
    """Keep the library for next time; a cache that cannot be written is no loss."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".library-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump((key, library), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
