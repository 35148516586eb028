"""Provides `stretch sounds`: the cue sets, each cue played in turn so a person can hear them.

`stretch sounds` lists the sets and plays every cue of each; `stretch sounds soft` one set's;
`stretch sounds soft --cue switch` one cue. It plays through the sound setting's device at the
settings' volumes, as a session would. Where no device can play them (no sound card, `--sound
bell` or `off`), it still lists the sets, says so in one line and exits 1, ringing nothing.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING, TextIO

from timer_app.cli.commands import settings_for
from timer_app.config.choices import CUE_SETS, CUES

if TYPE_CHECKING:
    from timer_app.sound.notice import Notice
    from timer_app.sound.player import Player

__all__ = ["PAUSE_BETWEEN", "cmd_sounds"]

PAUSE_BETWEEN = 0.5
"""Seconds of silence after each cue, so one is heard out before the next."""
DRAIN = 0.3
"""Seconds the device may still hold after the last cue is handed over (see the listener)."""
HEARD_ON = ("miniaudio", "simpleaudio")
"""The backends that play the cues themselves (the bell rings one note for every cue)."""


def cmd_sounds(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings, _ = settings_for(err)
    sets = [args.set] if args.set else list(CUE_SETS)
    if args.cue and not args.set:
        sets = [settings.cues]
    cues = [args.cue] if args.cue else list(CUES)
    notices: list[Notice] = []
    if not args.cue:
        width = max(len(name) for name in CUE_SETS)
        for name in sets:
            mark = " (in use)" if name == settings.cues else ""
            print(f"{name:<{width}}  {CUE_SETS[name]}{mark}", file=out)
        out.flush()
    from timer_app.sound.player import make_player

    player = make_player(
        args.sound or settings.sound,
        volume=settings.volume,
        notify=notices.append,
        cue_set=sets[0],
        cue_volume=settings.cue_volume,
        bell=False,
    )
    try:
        if player.name not in HEARD_ON:
            why = "; ".join(reason for notice in notices for reason in notice.reasons)
            if not why:
                why = f"sound is {player.name}" if player.name != "off" else "sound is off"
            print(f"stretch: cannot play the cues here ({why}); nothing played", file=err)
            return 1
        for notice in notices:
            print(f"stretch: {notice}", file=err)
        _play(player, sets, cues, out, several=len(sets) > 1 or not args.cue)
    finally:
        player.close()
    return 0


def _play(player: Player, sets: list[str], cues: list[str], out: TextIO, *, several: bool) -> None:
    for name in sets:
        player.use_cues(name)
        if several:
            print(f"\n{name}:", file=out)
        for cue in cues:
            print(f"  {cue}" if several else f"{name}: {cue}", file=out)
            out.flush()  # said as it sounds, not after
            player.play(cue)
            time.sleep(player.duration(cue) + PAUSE_BETWEEN)
    time.sleep(DRAIN)
