"""The user's settings, and the safety note with its acknowledgement."""
