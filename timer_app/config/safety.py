"""Provides the safety note shown before the first session and in `--help`."""

SAFETY_NOTE = (
    "Stretching should feel like a gentle pull, never pain. Stop if pain increases.\n"
    "See a doctor or physical therapist for new, severe or lasting pain."
)
"""Two short lines, plain enough to read at a glance."""

NOT_ADVICE = "These routines are general education, not medical advice or a treatment plan."
"""Said under the note where there is room for it: the app's first-use dialog, the shared page."""
