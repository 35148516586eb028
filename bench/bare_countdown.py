"""The reference for bench/app.py: the least a Textual countdown can be.

One `Digits` widget showing `m:ss` left until a deadline on the monotonic clock, repainted by
`set_interval(1.0)`; no header, no footer, no CSS, nothing else. The shown time is computed from
the deadline at each tick (Textual's timers skip missed ticks, so counting them would drift).
The first digit is in the first frame: the widget is composed with its text already set.

    python bench/bare_countdown.py [SECONDS]    # default 332, as long as doctor-jo-5-minute

Ctrl+Q quits (Textual's own binding).
"""

from __future__ import annotations

import math
import sys
from time import monotonic

from textual.app import App, ComposeResult
from textual.widgets import Digits


def clock(seconds: float) -> str:
    """Whole seconds left as `m:ss`, rounding up, as stretch shows them."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class BareCountdown(App[None]):
    """A big countdown and nothing else."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.deadline = monotonic() + seconds
        self.digits = Digits(clock(seconds))

    def compose(self) -> ComposeResult:
        yield self.digits

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        self.digits.update(clock(self.deadline - monotonic()))


if __name__ == "__main__":
    BareCountdown(float(sys.argv[1]) if len(sys.argv) > 1 else 332.0).run()
