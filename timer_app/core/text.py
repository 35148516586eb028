"""Provides `safe_text`: text from a file made safe to show on a terminal, in a page or aloud;
and `slug`, an id made from a name.

Routine files, settings and the history database are untrusted: a shared routine could carry
escape sequences that clear the screen, retitle the window or write the clipboard (OSC 52), or
a right-to-left override that makes text read backwards. Every string read from them passes
through here once, where it is read, so no view has to remember to.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["safe_text", "slug", "unsafe_characters"]

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Marks, embeddings, overrides and isolates: they reorder what follows them on screen."""
_LINE_BREAKS = frozenset("\u0085\u2028\u2029")
"""Unicode line and paragraph separators: some terminals break the line on them."""
_KEPT = frozenset("\n")
"""Multi-line text (instructions, notes) keeps its line breaks; callers split on them."""


def _is_unsafe(character: str) -> bool:
    if character in _KEPT:
        return False
    if character in _BIDI_CONTROLS or character in _LINE_BREAKS:
        return True
    # Cc: C0 and C1 controls and DEL; Cs: lone surrogates, which cannot even be encoded.
    return unicodedata.category(character) in ("Cc", "Cs")


def _visible(character: str) -> str:
    code = ord(character)
    if character == "\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL, ␀ ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def unsafe_characters(text: str) -> list[tuple[int, str]]:
    """Each character `safe_text` would change, with its index: for a located warning."""
    return [(index, ch) for index, ch in enumerate(text) if _is_unsafe(ch)]


def safe_text(text: str) -> str:
    """`text` with every control character, bidi control and lone surrogate made visible.

    C0 controls become their Control Pictures symbol (ESC shows as ␛), a tab a space, and the
    rest `<U+202E>`; line breaks (\\n) are kept. Text with nothing to change is returned as is.
    """
    if text.isprintable() and text.isascii():
        return text  # the common case, checked in C
    if not unsafe_characters(text):
        return text
    return "".join(_visible(ch) if _is_unsafe(ch) else ch for ch in text)


def slug(text: str, limit: int = 60) -> str:
    """An id made from a name, as routine and exercise ids are written: `Étirement du dos #2`
    gives `etirement-du-dos-2`. Accents are dropped, anything else that is not a letter or a
    digit separates words; an empty string when nothing is left (`股四頭筋`)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:limit].strip("-")
