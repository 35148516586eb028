"""Session history as a library: recording through the real engine into a real SQLite file,
damaged and unwritable files, streaks across midnight, time zones and daylight saving, totals,
and the report's text."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine_support import held, mixed_plan, plan_of, tempo, timed
from history_support import BASE, history_in, record, recording, sessions_in, statuses
from timer_app.history.migrations import SCHEMA_VERSION
from timer_app.history.records import (
    ExerciseRecord,
    SessionRecord,
    load_sessions,
    parse_utc,
    start_session,
    utc_text,
)
from timer_app.history.report import read_overview, read_report, report_text
from timer_app.history.stats import (
    Streak,
    ago,
    bar,
    local_date,
    minutes_text,
    per_day,
    per_week,
    streak,
    streak_of_days,
)

# ---------------------------------------------------------------------------------- recording


async def test_the_session_is_written_at_its_start_and_each_exercise_as_it_ends(
    tmp_path: Path,
) -> None:
    plan = mixed_plan()  # knee to chest 0-140, ankle pumps 140-155, neck 155-179
    history, notices = history_in(tmp_path)
    session, recorder = await recording(plan, history)

    [started] = sessions_in(history)
    assert started.state == "interrupted"  # no end yet: a crash now leaves it like this
    assert started.title == "Test routine"
    assert started.started == BASE
    assert started.exercise_count == 3
    assert started.exercises == ()

    await session.at(139.9)
    assert sessions_in(history)[0].exercises == ()  # the first exercise is still going
    await session.at(140)
    [so_far] = sessions_in(history)
    assert so_far.state == "interrupted"
    assert [(e.name, e.status, e.active_seconds) for e in so_far.exercises] == [
        ("Knee to chest", "done", 120.0)
    ]
    await session.at(155)
    assert statuses(sessions_in(history)[0]) == ["done", "done"]

    finished = await session.finish()
    [done] = sessions_in(history)
    assert done.state == "completed"
    assert done.ended == BASE + timedelta(seconds=179)
    assert done.elapsed_seconds == 179
    assert statuses(done) == ["done", "done", "done"]
    assert done.active_seconds == pytest.approx(finished.active)
    assert [e.active_seconds for e in done.exercises] == [o.active for o in finished.outcomes]
    assert recorder.done.is_set()
    assert recorder.session_id == done.id
    assert notices.lines == []


async def test_a_stopped_session_keeps_every_outcome_and_reads_as_stopped(
    tmp_path: Path,
) -> None:
    history, _ = history_in(tmp_path)
    session, _ = await recording(mixed_plan(), history)
    await session.at(150)  # in the ankle pumps
    await session.act(session.engine.stop)
    await session.finish()
    [stopped] = sessions_in(history)
    assert stopped.state == "stopped"
    assert statuses(stopped) == ["done", "partial", "not-reached"]
    assert stopped.elapsed_seconds == 150


async def test_skip_records_the_skipped_exercise_when_it_is_left(tmp_path: Path) -> None:
    history, _ = history_in(tmp_path)
    session, _ = await recording(mixed_plan(), history)
    await session.at(20)  # 15 s into the first hold
    await session.act(session.engine.skip)
    [so_far] = sessions_in(history)
    [first] = so_far.exercises
    assert (first.status, first.active_seconds, first.planned_seconds) == ("partial", 15, 120)
    await session.act(session.engine.skip)
    assert statuses(sessions_in(history)[0]) == ["partial", "skipped"]
    await session.finish()
    assert statuses(sessions_in(history)[0]) == ["partial", "skipped", "done"]


async def test_back_redoes_an_exercise_and_its_latest_outcome_wins(tmp_path: Path) -> None:
    history, _ = history_in(tmp_path)
    session, recorder = await recording(mixed_plan(), history)
    engine = session.engine
    await session.at(2)
    await session.act(engine.skip)  # leave the first exercise in its get-ready
    assert statuses(sessions_in(history)[0]) == ["skipped"]
    await session.wait(1)
    await session.act(engine.back)  # within 3 s of the pumps: back to the first exercise
    assert statuses(sessions_in(history)[0]) == ["skipped", "skipped"]
    await session.wait(140)  # all of it this time; the pumps start again
    [so_far] = sessions_in(history)
    assert statuses(so_far) == ["done", "skipped"]
    assert so_far.exercises[0].active_seconds == 120
    # One row per exercise, rewritten: never two for the same one.
    connection = sqlite3.connect(history.path)
    assert connection.execute("SELECT COUNT(*) FROM exercises").fetchone() == (2,)
    connection.close()
    finished = await session.finish()
    assert statuses(sessions_in(history)[0]) == ["done", "done", "done"]
    assert [recorder.outcome(n).status for n in range(3)] == ["done"] * 3
    assert finished.completed


async def test_restart_counts_every_attempt_as_the_engine_does(tmp_path: Path) -> None:
    history, recorder_history = history_in(tmp_path)
    session, recorder = await recording(mixed_plan(), history)
    await session.at(25)  # 20 s into the first hold
    await session.act(session.engine.restart_exercise)
    finished = await session.finish()
    [first, *_] = sessions_in(history)[0].exercises
    assert first.status == "done"
    assert first.active_seconds == 140  # 20 s of the first attempt and 120 s of the second
    assert finished.outcomes[0].active == 140
    assert recorder.outcome(0).active_seconds == 140
    assert recorder_history.lines == []


async def test_a_session_that_never_ends_reads_as_interrupted(tmp_path: Path) -> None:
    """What a crash leaves: the rows written so far and no end state. Nothing else to do."""
    history, _ = history_in(tmp_path)
    session, _ = await recording(mixed_plan(), history)
    await session.at(145)
    report = read_report(history, days=7, now=BASE + timedelta(minutes=10), tz=UTC)
    assert report is not None
    [crashed] = report.sessions
    assert crashed.state == "interrupted"
    assert crashed.ended is None
    assert statuses(crashed) == ["done"]
    assert report.streak.current == 0  # only completed sessions make a streak
    assert report.per_day[-1].active_seconds == 120  # but its stretching counts
    await session.finish()


CONTROLS = ("skip", "back", "restart_exercise", "next_step", "extend", "shorten", "pause")
CONTROLS += ("resume", "stop", "jump")
SHORT = plan_of(
    held("One side", seconds=2, reps=2, rest=1, prepare=1, per_side=False),
    tempo("Tempo", reps=2, on=0.5, off=0.5, end_hold=0, prepare=0),
    timed("Both sides", seconds=1.5, prepare=0.5, per_side=True),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    script=st.lists(
        st.tuples(
            st.floats(0, 5).map(lambda x: round(x, 2)),
            st.sampled_from(CONTROLS),
            st.floats(0.5, 20).map(lambda x: round(x, 2)),
        ),
        max_size=10,
    ),
    count_in=st.sampled_from([0.0, 1.5]),
)
def test_outcomes_worked_out_during_the_session_match_the_engines(
    script: list[tuple[float, str, float]], count_in: float
) -> None:
    """Whatever the controls (and frozen clocks), the outcome recorded for each exercise as it
    ends follows the engine's own rule, so a crash records what `Finished` would have."""

    async def go(folder: Path) -> None:
        history, notices = history_in(folder)
        session, recorder = await recording(SHORT, history, count_in=count_in)
        engine = session.engine
        for delay, control, amount in script:
            await session.wait(delay)
            if control == "jump":
                await session.clock.jump(amount)
            elif control in ("extend", "shorten"):
                getattr(engine, control)(amount)
            else:
                getattr(engine, control)()
        finished = await session.finish(resume=True)
        for outcome in finished.outcomes:
            derived = recorder.outcome(outcome.entry)
            assert derived.status == outcome.status
            assert derived.active_seconds == pytest.approx(outcome.active, abs=1e-5)
            assert derived.planned_seconds == pytest.approx(outcome.planned_active)
        [recorded] = sessions_in(history)
        assert recorded.state == ("completed" if finished.completed else "stopped")
        assert statuses(recorded) == [o.status for o in finished.outcomes]
        assert notices.lines == []

    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(go(Path(folder)))


# ---------------------------------------------------------------------------------- the file


def test_a_new_file_is_wal_with_the_current_schema(tmp_path: Path) -> None:
    history, notices = history_in(tmp_path / "deeper" / "still")
    connection = history.open()
    assert connection is not None
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert connection.execute("PRAGMA busy_timeout").fetchone() == (5000,)
    connection.close()
    assert notices.lines == []


def test_timestamps_are_utc_iso_text(tmp_path: Path) -> None:
    history, _ = history_in(tmp_path)
    connection = history.open()
    assert connection is not None
    local = datetime(2024, 5, 6, 9, 30, 15, tzinfo=timezone(timedelta(hours=2)))
    session_id = start_session(
        connection,
        routine_id="r",
        title="T",
        started=local,
        planned_seconds=60,
        exercise_count=1,
    )
    raw = connection.execute("SELECT started FROM sessions WHERE id = ?", (session_id,))
    assert raw.fetchone() == ("2024-05-06T07:30:15Z",)
    connection.close()
    assert parse_utc("2024-05-06T07:30:15Z") == local
    with pytest.raises(ValueError, match="aware"):
        utc_text(datetime(2024, 5, 6))  # a naive datetime


def test_an_empty_file_is_migrated_and_a_newer_one_left_alone(tmp_path: Path) -> None:
    history, notices = history_in(tmp_path)
    history.path.write_bytes(b"")  # a 0-byte file is an empty SQLite database
    connection = history.open()
    assert connection is not None
    assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = history.path.read_bytes()

    newer, newer_notices = history_in(tmp_path)
    assert newer.open() is None
    [notice] = newer_notices.lines
    assert "newer stretch-timer" in notice and "version 99" in notice
    assert history.path.read_bytes() == before
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert notices.lines == []


@pytest.mark.parametrize(
    "damage",
    ["garbage", "torn page"],
)
def test_a_damaged_file_is_kept_aside_and_a_new_history_started(
    tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "history.db"
    if damage == "garbage":
        path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
        (tmp_path / "history.db-wal").write_bytes(b"a stale log")
    else:
        # A real history whose second page (the sessions table) was overwritten on disk.
        history, _ = history_in(tmp_path)
        connection = history.open()
        assert connection is not None
        for n in range(50):
            start_session(
                connection,
                routine_id=f"r{n}",
                title="x" * 200,
                started=BASE,
                planned_seconds=1,
                exercise_count=1,
            )
        connection.close()
        with path.open("r+b") as stream:
            stream.seek(4096 + 8)
            stream.write(b"\xff" * 64)
    damaged = path.read_bytes()

    history, notices = history_in(tmp_path)
    connection = history.open()
    assert connection is not None
    connection.close()
    [backup] = [p for p in tmp_path.glob("history.db.corrupt-*") if p.name[-4:] != "-wal"]
    assert backup.read_bytes() == damaged  # kept, byte for byte
    [notice] = notices.lines
    assert str(path) in notice and backup.name in notice
    assert "new history was started" in notice
    if damage == "garbage":
        assert (tmp_path / f"{backup.name}-wal").read_bytes() == b"a stale log"
    # The new file works, and recording a session into it does too.
    assert sessions_in(history) == []
    assert history.enabled


async def test_a_session_runs_on_a_damaged_file_and_is_recorded_in_the_new_one(
    tmp_path: Path,
) -> None:
    history, notices = history_in(tmp_path)
    history.path.write_bytes(b"\x00garbage" * 512)
    session, _ = await recording(plan_of(timed("Only", seconds=2, prepare=1)), history)
    finished = await session.finish()
    assert finished.completed
    assert len(notices.lines) == 1
    assert [s.state for s in sessions_in(history)] == ["completed"]


async def test_an_unwritable_data_folder_turns_history_off_with_one_notice(
    tmp_path: Path,
) -> None:
    # The tests run as root, whom file permissions do not stop; a data folder that cannot be
    # made because its parent is a regular file fails for anyone.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    history, notices = history_in(blocker / "stretch-timer")
    for _ in range(2):  # two sessions in one run: still one notice
        session, recorder = await recording(mixed_plan(), history)
        finished = await session.finish()
        assert finished.completed
        assert recorder.done.is_set()
        assert recorder.session_id is None
    [notice] = notices.lines
    assert "History is off" in notice and "not-a-folder" in notice
    assert not history.enabled
    assert read_report(history, days=7, now=BASE) is None


async def test_a_write_failing_mid_session_turns_history_off_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    history, notices = history_in(tmp_path)
    session, recorder = await recording(mixed_plan(), history)
    await session.at(10)
    # Someone breaks the file under us: the next exercise's write will fail.
    other = sqlite3.connect(history.path)
    other.execute("DROP TABLE exercises")
    other.close()
    finished = await session.finish()
    assert finished.completed
    [notice] = notices.lines
    assert notice.startswith("History is off for the rest of this run")
    assert "no such table: exercises" in notice
    assert recorder.done.is_set()
    assert history.open() is None


# ---------------------------------------------------------------------------------- streaks

UTC_MINUS_5 = timezone(timedelta(hours=-5))
UTC_PLUS_9 = timezone(timedelta(hours=9))


def at(day: str, clock: str, tz: tzinfo) -> datetime:
    """A moment given in local time."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz).astimezone(UTC)


def days(*names: str) -> list[date]:
    return [date.fromisoformat(name) for name in names]


def test_one_minute_either_side_of_midnight_is_two_days_of_a_streak() -> None:
    starts = [at("2024-05-05", "23:59", UTC_MINUS_5), at("2024-05-06", "00:01", UTC_MINUS_5)]
    value = streak(starts, today=date(2024, 5, 6), tz=UTC_MINUS_5)
    assert (value.current, value.longest) == (2, 2)
    # Two minutes apart is the same day somewhere else.
    value = streak(starts, today=date(2024, 5, 6), tz=UTC)
    assert (value.current, value.longest) == (1, 1)


def test_the_same_moments_make_different_days_in_different_time_zones() -> None:
    # 02:00 UTC is 21:00 the evening before at UTC-5, and 11:00 the same day at UTC+9.
    starts = [datetime(2024, 5, d, 2, 0, tzinfo=UTC) for d in (6, 7, 8)]
    assert local_date(starts[0], UTC_MINUS_5) == date(2024, 5, 5)
    assert local_date(starts[0], UTC_PLUS_9) == date(2024, 5, 6)
    # On the 8th, in New York-like time, the session of that UTC morning was "yesterday".
    west = streak(starts, today=date(2024, 5, 8), tz=UTC_MINUS_5)
    east = streak(starts, today=date(2024, 5, 8), tz=UTC_PLUS_9)
    assert (west.current, east.current) == (3, 3)
    # On the 9th the west has missed a day (its last was the 7th), the east has not.
    assert streak(starts, today=date(2024, 5, 9), tz=UTC_MINUS_5).current == 0
    assert streak(starts, today=date(2024, 5, 9), tz=UTC_PLUS_9).current == 3


def test_today_without_a_session_yet_keeps_yesterdays_streak_alive() -> None:
    value = streak_of_days(days("2024-05-03", "2024-05-04", "2024-05-05"), today=date(2024, 5, 6))
    assert (value.current, value.longest) == (3, 3)
    # A whole day without one breaks it; the longest is remembered.
    value = streak_of_days(days("2024-05-03", "2024-05-04"), today=date(2024, 5, 6))
    assert (value.current, value.longest) == (0, 2)


def test_gaps_separate_runs_and_several_sessions_a_day_count_once() -> None:
    ran = days("2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04")  # 4 in a row
    ran += days("2024-04-10", "2024-04-10", "2024-04-11")  # 2, one twice
    ran += days("2024-05-05", "2024-05-06")  # 2, up to today
    value = streak_of_days(ran, today=date(2024, 5, 6))
    assert (value.current, value.longest) == (2, 4)
    assert streak_of_days([], today=date(2024, 5, 6)) == Streak(0, 0)
    # Only a day in the future (a clock that was set wrong): no current streak.
    assert streak_of_days(days("2024-05-08"), today=date(2024, 5, 6)) == Streak(0, 1)


def test_a_daylight_saving_change_does_not_break_a_streak_or_move_a_day() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        new_york = zoneinfo.ZoneInfo("America/New_York")
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this machine")
    # 10 March 2024: New York springs forward (a 23-hour day); 27 October: Berlin falls back
    # (a 25-hour day). Late-evening sessions, each day around the change.
    for tz, first in ((new_york, date(2024, 3, 9)), (berlin, date(2024, 10, 26))):
        starts = [
            datetime.combine(first + timedelta(days=n), datetime.min.time(), tz).replace(
                hour=23, minute=30
            )
            for n in range(3)
        ]
        assert [local_date(s.astimezone(UTC), tz) for s in starts] == [
            first + timedelta(days=n) for n in range(3)
        ]
        value = streak([s.astimezone(UTC) for s in starts], today=first + timedelta(days=2), tz=tz)
        assert (value.current, value.longest) == (3, 3)
    # A fixed offset taken on the wrong side of the change would have moved a day.
    late = datetime(2024, 3, 9, 23, 30, tzinfo=new_york).astimezone(UTC)
    assert local_date(late, timezone(timedelta(hours=-4))) == date(2024, 3, 10)
    assert local_date(late, new_york) == date(2024, 3, 9)


def session_record(
    started: datetime, *, seconds: float = 60, state: str = "completed", sid: int = 1
) -> SessionRecord:
    exercise = ExerciseRecord(
        entry=0,
        exercise_id="x",
        name="X",
        status="done",
        active_seconds=seconds,
        planned_seconds=seconds,
    )
    return SessionRecord(
        id=sid,
        routine_id="r",
        title="R",
        started=started,
        ended=None,
        state=state,  # type: ignore[arg-type]
        planned_seconds=seconds,
        exercise_count=1,
        elapsed_seconds=None,
        exercises=(exercise,),
    )


def test_minutes_per_day_and_whole_iso_weeks_in_local_time() -> None:
    sessions = [
        session_record(at("2024-12-28", "10:00", UTC_PLUS_9), seconds=120),  # Sat, W52
        session_record(at("2024-12-30", "00:30", UTC_PLUS_9), seconds=60),  # Mon, 2025-W01
        session_record(at("2024-12-31", "23:50", UTC_PLUS_9), seconds=30, state="stopped"),
        session_record(at("2025-01-01", "08:00", UTC_PLUS_9), seconds=90),
    ]
    daily = per_day(sessions, first=date(2024, 12, 30), last=date(2025, 1, 1), tz=UTC_PLUS_9)
    assert [(d.day.isoformat(), d.active_seconds, d.sessions, d.completed) for d in daily] == [
        ("2024-12-30", 60, 1, 1),
        ("2024-12-31", 30, 1, 0),
        ("2025-01-01", 90, 1, 1),
    ]
    weekly = per_week(sessions, first=date(2024, 12, 29), last=date(2025, 1, 1), tz=UTC_PLUS_9)
    assert [(w.label, w.monday.isoformat(), w.active_seconds) for w in weekly] == [
        ("2024-W52", "2024-12-23", 120),  # counted whole, though the window starts on Sunday
        ("2025-W01", "2024-12-30", 180),
    ]


def test_words_and_bars() -> None:
    today = date(2024, 5, 6)
    moment = datetime(2024, 5, 6, 1, tzinfo=UTC)
    assert ago(moment, today=today, tz=UTC) == "today"
    assert ago(moment - timedelta(days=1), today=today, tz=UTC) == "yesterday"
    assert ago(moment - timedelta(days=3), today=today, tz=UTC) == "3 days ago"
    assert ago(moment - timedelta(days=30), today=today, tz=UTC) == "on 6 Apr"
    assert ago(moment - timedelta(days=400), today=today, tz=UTC) == "on 2 Apr 2023"
    assert ago(moment, today=today, tz=UTC_MINUS_5) == "yesterday"  # 20:00 on the 5th there
    assert [minutes_text(s) for s in (0, 10, 31, 600, 629)] == [
        "0 min",
        "<1 min",
        "1 min",
        "10 min",
        "10 min",
    ]
    assert bar(10, 10, 4) == "\u2588" * 4
    assert bar(5, 10, 4) == "\u2588" * 2
    assert bar(1, 10, 4) == "\u258d"  # 0.4 of a cell: three eighths
    assert bar(0.001, 10, 4) == "\u258f"  # anything at all shows
    assert bar(0, 10, 4) == bar(3, 0, 4) == ""


def test_sessions_written_out_of_time_order_are_read_with_their_own_exercises(
    tmp_path: Path,
) -> None:
    """Row ids follow the order of writing, not of starting (a clock set back, an import):
    reading by time must still pair each session with its exercises and honour the limit."""
    history, _ = history_in(tmp_path)
    ids = [record(history, BASE - timedelta(days=n), minutes=n + 1) for n in range(5)]
    connection = history.open()
    assert connection is not None
    try:
        recent = load_sessions(connection, since=BASE - timedelta(days=2))
        newest_two = load_sessions(connection, limit=2)
    finally:
        connection.close()
    assert [s.id for s in recent] == ids[:3]
    assert [s.active_seconds for s in recent] == [60, 120, 180]
    assert [s.id for s in newest_two] == ids[:2]
    assert all(len(s.exercises) == 2 for s in recent + newest_two)


def test_the_overview_has_the_streak_last_times_and_today(tmp_path: Path) -> None:
    history, _ = history_in(tmp_path)
    now = datetime(2024, 5, 6, 20, tzinfo=UTC)
    record(history, now - timedelta(days=1), routine_id="a")
    record(history, now - timedelta(hours=2), routine_id="b", minutes=4)
    record(history, now - timedelta(hours=1), routine_id="a", state="stopped", minutes=2)
    overview = read_overview(history, now=now, tz=UTC)
    assert overview is not None
    assert (overview.streak.current, overview.streak.longest) == (2, 2)
    assert overview.last_done == {"a": now - timedelta(days=1), "b": now - timedelta(hours=2)}
    assert (overview.today_seconds, overview.today_sessions) == (360, 2)
    # Sunday the 5th ends the week before this one.
    assert [w.active_seconds for w in overview.weeks[-2:]] == [180, 360]
    assert len(overview.weeks) == 8
    assert [s.state for s in overview.recent] == ["stopped", "completed", "completed"]
    assert overview.recorded == 3
    # No file at all is an empty history, and reading it does not create one.
    empty, notices = history_in(tmp_path / "nothing")
    overview = read_overview(empty, now=now)
    assert overview is not None and overview.recorded == 0
    assert not empty.path.exists() and notices.lines == []


def test_history_text_lists_sessions_days_weeks_and_the_streak(tmp_path: Path) -> None:
    history, _ = history_in(tmp_path)
    tz = UTC_PLUS_9
    now = at("2024-05-08", "21:00", tz)
    record(history, at("2024-05-06", "07:30", tz), minutes=12)
    record(history, at("2024-05-07", "23:59", tz), minutes=3, title="Late [one]")
    record(history, at("2024-05-08", "00:01", tz), state="stopped", minutes=1)
    report = read_report(history, days=3, now=now, tz=tz)
    assert report is not None
    text = report_text(report, tz=tz)
    assert text.splitlines()[:3] == [
        "Streak: 2 days (your longest)",
        "",
        "Sessions in the last 3 days:",
    ]
    # A day later: the 8th was only a stopped session, so the streak is broken.
    later = read_report(history, days=1, now=now + timedelta(days=1), tz=tz)
    assert later is not None
    assert report_text(later, tz=tz).splitlines()[:3] == [
        "Streak: 0 days \u00b7 longest 2",
        "",
        "No sessions today.",
    ]
    assert (
        "Wed 2024-05-08 00:01  stopped       1 min  Basic neck stretches (1 of 2 exercises done)"
        in text
    )
    assert "Tue 2024-05-07 23:59  completed     3 min  Late [one]" in text
    assert "  Mon 2024-05-06         12  " + "\u2588" * 30 + "\n" in text
    assert "  Wed 2024-05-08          1  \u2588\u2588\u258c" in text
    assert text.endswith("  2024-W19 from 6 May    16  " + "\u2588" * 30)


def test_a_first_version_file_is_brought_up_to_date_and_keeps_every_row(tmp_path: Path) -> None:
    # A history written before 'not-reached' existed: version 1's tables, one session in it.
    from timer_app.history.migrations import MIGRATIONS

    path = tmp_path / "history.db"
    old = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO sessions (id, routine_id, title, started, planned_seconds, exercise_count)"
        " VALUES (1, 'neck-stretches', 'Basic neck stretches', '2026-11-29T09:00:00Z', 60, 1)"
    )
    old.execute(
        "INSERT INTO exercises VALUES (1, 0, 'chin', 'Chin to chest', 'skipped', 0, 30,"
        " '2026-11-29T09:01:00Z')"
    )
    old.commit()
    old.close()

    history, notices = history_in(tmp_path)
    connection = history.open()
    assert connection is not None and notices.lines == []
    assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert connection.execute("SELECT name, status FROM exercises").fetchall() == [
        ("Chin to chest", "skipped")
    ]
    connection.execute(
        "INSERT INTO exercises VALUES (1, 1, 'ear', 'Ear to shoulder', 'not-reached', 0, 60,"
        " '2026-11-29T09:02:00Z')"
    )
    connection.close()
