"""The full-screen Textual app: a thin view over the routine library and the session engine."""
