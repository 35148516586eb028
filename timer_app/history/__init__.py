"""Provides session history: an SQLite file of the sessions done, and what is computed from it.

- `schema`: the tables and their migrations (`PRAGMA user_version`).
- `records`: timestamps, the session and exercise rows, and the SQL that writes and reads them.
- `store`: `History`, the database of one program run: opening it, a corrupt file set aside,
  history turned off (with one notice) when the data folder cannot be written.
- `recorder`: `HistoryRecorder`, the engine listener that records a session as it goes.
- `stats`: days, weeks and streaks in the user's local time (pure functions, no SQL).
- `report`: what `stretch history` prints, and the overview the app shows.

Nothing here imports Textual or rich; the app only reads through these modules.
"""
