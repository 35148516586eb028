"""The ways to follow a session: the full-screen app (`tui`) and plain text (`plain`)."""
