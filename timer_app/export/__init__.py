"""Provides a session as an audio file (`stretch export ID --audio FILE`): the real engine and
sound listener run in virtual time, and what they play is mixed, encoded and given chapters.

Nothing here is imported until that command runs: the encoder (soundfile, with numpy) and the
tag library (mutagen) take a large share of a second to load.
"""
