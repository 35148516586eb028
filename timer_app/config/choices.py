"""Provides the sound, cue-set and sharing choices: one table each for the command line, the
settings file and the code that acts on them."""

__all__ = ["CUES", "CUE_SETS", "DEFAULT_CUE_SET", "SHARE_CHOICES", "SOUND_CHOICES"]

SOUND_CHOICES = ("auto", "miniaudio", "simpleaudio", "bell", "off")
"""How cues may be played: `auto` first, then each backend in the order `auto` tries them, then
`off`. A module of its own so that `stretch --help` reads it without loading the settings code."""

CUE_SETS = {
    "tones": "clear mallet tones and glides",
    "soft": "low, round and quiet: a quiet room, late at night",
    "bells": "struck bells that ring on and die away",
}
"""The built-in cue sets, each in `sounds/<name>/`, with what it sounds like in a few words."""
DEFAULT_CUE_SET = "tones"

CUES = (
    "get-ready",
    "hold",
    "tick",
    "tick-last",
    "halfway",
    "switch",
    "pressure-on",
    "pressure-off",
    "rest",
    "exercise-done",
    "routine-complete",
    "paused",
)
"""Every cue, by name; each set has `sounds/<set>/<name>.wav`, and a user's
`<config>/sounds/<name>.wav` replaces it in every set. `timer_app.session.cues` says which one
each moment of a session calls for."""

SHARE_CHOICES = ("local", "lan")
"""Where a shared session listens: this computer only (127.0.0.1), or the local network's
address (`--share lan`), where anyone on the network who has the address can follow."""
