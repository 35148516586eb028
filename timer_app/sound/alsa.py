"""Provides `silence_alsa()`: stops ALSA writing its error messages to file descriptor 2.

ALSA prints every error it meets while looking for a sound card ("ALSA lib confmisc.c:855:
cannot find card '0'", a dozen lines on a machine without one) straight to fd 2, which is the
terminal that Textual draws the screen on. We cannot redirect fd 2 (the screen and Python's own
error reports need it), so instead we give ALSA a handler that does nothing. It must be in place
before any device is opened; playing backends call this first.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

__all__ = ["silence_alsa"]

# void (*)(const char *file, int line, const char *function, int err, const char *fmt, ...)
# The handler is variadic; we declare the fixed arguments only. On the platforms that have ALSA
# (Linux on x86-64, ARM, ...) the variadic arguments are passed where a callee that ignores them
# never looks, so this is safe.
_ERROR_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
# alsa-lib 1.2.15 and later route messages through a log handler as well:
# void (*)(int prio, int interface, const char *file, int line, const char *function,
#          int errcode, const char *fmt, va_list arg)
_LOG_HANDLER = ctypes.CFUNCTYPE(
    None,
    ctypes.c_int,
    ctypes.c_int,
    ctypes.c_char_p,
    ctypes.c_int,
    ctypes.c_char_p,
    ctypes.c_int,
    ctypes.c_char_p,
    ctypes.c_void_p,
)


def _ignore(*_args: object) -> None:
    """Drop the message: there is nowhere safe to show it, and the fallback notice says enough."""


# Module-level references: ALSA keeps only the C pointer, so if these objects were collected the
# next error would call freed memory and crash the process.
_installed: dict[str, Any] = {}


def silence_alsa() -> bool:
    """Install the do-nothing handlers once per process. True when ALSA is present and silenced.

    Safe to call any number of times, and on systems without ALSA (it does nothing there).
    """
    if _installed:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        library = ctypes.CDLL("libasound.so.2")
    except OSError:
        return False  # no ALSA: nothing will print either
    error_handler = _ERROR_HANDLER(_ignore)
    handlers: list[Any] = [error_handler]
    try:
        set_error = library.snd_lib_error_set_handler
        set_error.argtypes = [_ERROR_HANDLER]
        set_error.restype = ctypes.c_int
        set_error(error_handler)
        set_log = getattr(library, "snd_lib_log_set_handler", None)
        if set_log is not None:
            log_handler = _LOG_HANDLER(_ignore)
            set_log.argtypes = [_LOG_HANDLER]
            set_log.restype = ctypes.c_void_p
            set_log(log_handler)
            handlers.append(log_handler)
    except AttributeError:
        return False
    _installed.update(library=library, handlers=tuple(handlers))
    return True
