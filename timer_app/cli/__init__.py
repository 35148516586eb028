"""The `stretch` command: argument parsing, one handler per command, and its text tables."""
