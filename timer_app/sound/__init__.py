"""Provides sound for a session: cue players (`make_player`), spoken prompts (`make_voice`) and
the engine listener that uses both (`SoundListener`).

Typical use::

    player = make_player(settings.sound, volume=settings.volume, notify=notices.append)
    voice = make_voice(settings.voice, notices.append)
    engine.add_listener(SoundListener(player, voice, plan=engine.plan, clock=engine.clock))
    ...
    player.close()

Nothing heavy is imported here: the audio libraries load when a player opens its device.
"""

from timer_app.session.cues import CUES
from timer_app.sound.listener import SoundListener
from timer_app.sound.player import CuePlayer, Player, make_player
from timer_app.sound.voice import Voice, make_voice

__all__ = ["CUES", "CuePlayer", "Player", "SoundListener", "Voice", "make_player", "make_voice"]
