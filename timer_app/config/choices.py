"""Provides the sound and sharing choices: one tuple each for the command line, the settings
file and the code that acts on them."""

__all__ = ["SHARE_CHOICES", "SOUND_CHOICES"]

SOUND_CHOICES = ("auto", "miniaudio", "simpleaudio", "bell", "off")
"""How cues may be played: `auto` first, then each backend in the order `auto` tries them, then
`off`. A module of its own so that `stretch --help` reads it without loading the settings code."""

SHARE_CHOICES = ("local", "lan")
"""Where a shared session listens: this computer only (127.0.0.1), or the local network's
address (`--share lan`), where anyone on the network who has the address can follow."""
