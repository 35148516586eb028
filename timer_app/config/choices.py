"""Provides the sound choices: one tuple for the command line, the settings file and the player."""

__all__ = ["SOUND_CHOICES"]

SOUND_CHOICES = ("auto", "miniaudio", "simpleaudio", "bell", "off")
"""How cues may be played: `auto` first, then each backend in the order `auto` tries them, then
`off`. A module of its own so that `stretch --help` reads it without loading the settings code."""
