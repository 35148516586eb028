"""Keeps a session's program small: leaves out library parts it never uses, shares one heap.

A session must stay within 45 MiB of memory (and its first cue must be on time), and most of
that is spent before our code runs: Python, Textual, the audio library. Three things here cost
nothing a user can see:

- stretch-timer never goes on the network, yet asyncio (used by Textual, plain mode and the
  history worker) imports `ssl` for its encrypted connections, which maps OpenSSL's libcrypto:
  about 3.5 MiB and 5-10 ms. asyncio works without it (Python can be built without `ssl`).
- miniaudio imports `urllib.request` at the top of its module for its internet-radio client,
  pulling in `http.client`, `email`, `ssl` and `hashlib`: about 3 MiB and 20-50 ms. A
  stand-in takes its place and imports the real module if anything ever reads from it.
- glibc gives each thread that allocates its own heap ("arena"), which keeps its pages after
  the thread's work is done. Our threads (history writes, opening the audio device) allocate
  little, mostly while holding Python's lock anyway, so one shared heap saves about 1.3 MiB
  with no waiting we could measure (first step line and cue timing, bench/).

Nothing here imports Textual.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["deferred", "import_asyncio_without_ssl", "share_one_heap"]

_M_ARENA_MAX = -8
"""glibc's mallopt() parameter for the most heaps ("arenas") malloc may create (malloc.h)."""


def share_one_heap() -> bool:
    """Make every thread allocate from the main heap (glibc only). True when it was set.

    Call before starting threads: a thread that has already allocated keeps its own heap.
    Does nothing on other C libraries (musl, macOS), which do not make a heap per thread.
    """
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
    except (ValueError, OSError):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, 1))


def import_asyncio_without_ssl() -> None:
    """Import asyncio for a program that makes no encrypted connections: without `ssl`.

    asyncio tries `import ssl` when it is first imported and carries on without it when that
    fails. `ssl` is blocked only for that moment, so anything imported later that wants it
    still gets it. Does nothing when asyncio or ssl is already loaded (as under pytest).
    """
    if "asyncio" in sys.modules or "ssl" in sys.modules:
        return
    # A None entry in sys.modules makes `import ssl` raise ImportError.
    sys.modules["ssl"] = None  # type: ignore[assignment]
    try:
        import asyncio  # noqa: F401
    finally:
        del sys.modules["ssl"]


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is read, then imports the real one."""

    def __getattr__(self, attribute: str) -> Any:
        # Only called for attributes the stand-in lacks, i.e. the module's own contents.
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


@contextmanager
def deferred(name: str) -> Iterator[None]:
    """While this block runs, `import <name>` binds a stand-in that loads nothing yet.

    For a library that imports a module at its top but uses it only in functions we never
    call. The real module is imported the first time anything is read from the stand-in.
    After the block, other imports of `name` get the real module as usual.
    """
    if name in sys.modules:
        yield
        return
    parent_name, _, child = name.rpartition(".")
    parent = importlib.import_module(parent_name) if parent_name else None
    stand_in = _Deferred(name)
    sys.modules[name] = stand_in
    if parent is not None:
        # `import a.b` binds `a`; the library then reads `a.b`, the parent's attribute.
        setattr(parent, child, stand_in)
    try:
        yield
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
