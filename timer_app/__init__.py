"""stretch-timer: a guided, real-time stretching session timer for the terminal."""

__version__ = "0.1.0"
