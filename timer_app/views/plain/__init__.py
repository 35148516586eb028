"""Plain follow-along mode: one line of text per step, for screen readers, pipes and logs."""
