"""Sharing a session (`--share`): the server's safety, its messages, the app's share key, and
that nothing of it is loaded when a session is not shared. The real browser is in
test_share_browser.py."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from icalendar import Calendar
from textual.widgets import Static

from engine_support import Session, held, plan_of
from helpers import REPO, SHORT_ROUTINE, on_picker, read_until, until
from timer_app.config.acknowledgement import remember
from timer_app.core.controls import BY_ID
from timer_app.core.plan import Plan
from timer_app.core.steps import KINDS
from timer_app.remind.file import save_reminders
from timer_app.remind.rules import Reminder, parse_days
from timer_app.session.events import Event, StepStarted
from timer_app.session.words import event_line, summary_lines, summary_rows
from timer_app.share.feed import PAGE_CONTROLS, PageFeed
from timer_app.share.qr import ERROR_LEVEL, qr_lines
from timer_app.share.server import ShareServer
from timer_app.share.words import browser_note, lan_command
from timer_app.testing import VirtualClock
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.session import SessionScreen
from timer_app.views.tui.screens.share import ShareScreen, StartShareScreen


def two_exercises() -> Plan:
    """Knee to chest 0-5 get ready, 5-35 hold; Bridge 35-40 get ready, 40-70 hold."""
    return plan_of(
        held("Knee to chest", reps=1, per_side=False), held("Bridge", reps=1, per_side=False)
    )


BURST = 20
"""Control requests the test server takes at once before it refuses."""


@pytest.fixture
async def shared() -> AsyncIterator[tuple[Session, ShareServer]]:
    session = Session(two_exercises())
    server = ShareServer(session.engine, burst=BURST)
    await server.start()
    session.engine.add_listener(server)
    await session.start()
    try:
        yield session, server
    finally:
        session.engine.stop()
        await session.clock.advance(0)
        await server.stop()
        if session.task is not None:
            await session.task


async def post(url: str, body: bytes, content_type: str = "application/json") -> int:
    async with (
        aiohttp.ClientSession() as client,
        client.post(url + "control", data=body, headers={"Content-Type": content_type}) as reply,
    ):
        return reply.status


async def test_every_path_needs_the_token(shared: tuple[Session, ShareServer]) -> None:
    _, server = shared
    root = server.url.removesuffix(f"{server.token}/")
    wrong = server.token[:-1] + ("A" if server.token[-1] != "A" else "B")
    async with aiohttp.ClientSession() as client:
        for path in ("", "app.js", f"{wrong}/", f"{wrong}/app.js", f"{server.token}x/", "x"):
            async with client.get(root + path, allow_redirects=False) as reply:
                assert reply.status == 403, path
        # The clock, the event stream, the cues and the controls too, with the token's start.
        for path in ("clock", "events", "sounds/hold.wav", "app.css"):
            for token in ("", wrong, server.token[:8]):
                async with client.get(f"{root}{token}/{path}") as reply:
                    assert reply.status == 403, (token, path)
        async with client.post(
            f"{root}{wrong}/control",
            data=b'{"action": "pause"}',
            headers={"Content-Type": "application/json"},
        ) as reply:
            assert reply.status == 403
        assert shared[0].engine.state != "paused"
        async with client.get(server.url, headers={"Origin": "http://evil.example"}) as reply:
            assert reply.status == 200
            assert "text/html" in reply.headers["Content-Type"]
            # No CORS: another site's script may neither read the page nor drive the session.
            assert not [h for h in reply.headers if h.lower().startswith("access-control")]
        async with client.options(
            server.url + "control",
            headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        ) as reply:
            assert reply.status >= 400
            assert not [h for h in reply.headers if h.lower().startswith("access-control")]
        async with client.get(server.url + "sounds/hold.wav") as reply:
            assert reply.status == 200
            assert (await reply.read())[:4] == b"RIFF"
        async with client.get(server.url + "sounds/..%2Fapp.js") as reply:
            assert reply.status == 404


async def test_the_page_offers_the_reminders_calendar_behind_the_token(
    shared: tuple[Session, ShareServer],
) -> None:
    _, server = shared
    root = server.url.removesuffix(f"{server.token}/")
    wrong = server.token[:-1] + ("A" if server.token[-1] != "A" else "B")
    async with aiohttp.ClientSession() as client:
        # No reminders: nothing offered, no file.
        async with client.get(server.url + "calendar") as reply:
            assert await reply.json() == {"label": "", "file": "stretch-reminders.ics"}
        async with client.get(server.url + "stretch-reminders.ics") as reply:
            assert reply.status == 404
        # Set meanwhile (the session is running): offered at once, read when asked.
        save_reminders(
            [
                Reminder(
                    times=(time(10), time(15, 30)),
                    days=parse_days("mon-fri"),
                    routine="neck-stretches",
                )
            ]
        )
        async with client.get(server.url + "calendar") as reply:
            offer = await reply.json()
        assert offer["label"] == "Add your reminder to stretch to this phone's calendar (.ics)"
        async with client.get(server.url + offer["file"]) as reply:
            assert reply.status == 200
            assert reply.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert reply.headers["Content-Disposition"] == (
                'attachment; filename="stretch-reminders.ics"'
            )
            assert not [h for h in reply.headers if h.lower().startswith("access-control")]
            body = await reply.read()
        # The same events as `stretch remind ics`: one a time, weekly on its days, an alarm each.
        calendar = Calendar.from_ical(body)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 2
        assert {str(event["summary"]) for event in events} == {"Stretch: Basic neck stretches"}
        assert all(event["rrule"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"] for event in events)
        assert all(list(event.walk("VALARM")) for event in events)
        for token in ("", wrong, server.token[:8]):
            for path in ("calendar", "stretch-reminders.ics"):
                async with client.get(f"{root}{token}/{path}") as reply:
                    assert reply.status == 403, (token, path)


async def test_a_request_that_cannot_be_read_gets_400_and_writes_nothing_to_the_terminal(
    shared: tuple[Session, ShareServer], caplog: pytest.LogCaptureFixture
) -> None:
    _, server = shared
    host, port = server.url.split("//")[1].split("/")[0].split(":")
    token = server.token.encode()
    unreadable = (
        b"GET /\x1b[31mred HTTP/1.1\r\nHost: x\r\n\r\n",  # no token needed to send one
        b"GET /" + token + b"/ HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 20000 + b"\r\n\r\n",
        b"POST /" + token + b"/control HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/json\r\n\r\nzz\r\n",
    )
    for request in unreadable:
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request)
        status = await reader.readline()
        writer.close()
        assert status.split()[1] == b"400", (request[:40], status)
    await asyncio.sleep(0.05)
    # Its 400 is the whole answer: no traceback, no escape codes in the session's terminal.
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


async def test_a_malformed_control_gets_400_and_changes_nothing(
    shared: tuple[Session, ShareServer],
) -> None:
    session, server = shared
    await session.at(10)
    before = (session.engine.state, session.engine.index, session.engine.remaining())
    bad = [
        b"",
        b"pause",
        b"{",
        b"[]",
        b'{"action": "stop"}',
        b'{"action": "quit"}',
        b'{"action": "pause", "more": 1}',
        b'{"action": 1}',
        b'{"action": "' + b"p" * 400 + b'"}',
    ]
    for body in bad:
        assert await post(server.url, body) == 400, body
    assert await post(server.url, b'{"action": "pause"}', "text/plain") == 400
    assert (session.engine.state, session.engine.index, session.engine.remaining()) == before


async def test_controls_make_the_engine_calls_and_are_rate_limited(
    shared: tuple[Session, ShareServer],
) -> None:
    session, server = shared
    await session.at(10)
    assert await post(server.url, b'{"action": "pause"}') == 200
    assert session.engine.state == "paused"
    assert await post(server.url, b'{"action": "skip"}') == 200
    assert session.engine.step is not None and session.engine.step.exercise.name == "Bridge"
    # A flood is cut off: the burst is allowed, then 429 until the bucket refills.
    statuses = [await post(server.url, b'{"action": "extend"}') for _ in range(BURST + 10)]
    assert 429 in statuses
    assert statuses.count(200) < BURST + 2


async def session_in(state: str) -> Session:
    """Two exercises, 10 s in (5 s into Knee to chest's hold), in `state`."""
    session = Session(two_exercises())
    if state == "waiting":
        session.task = asyncio.create_task(session.engine.run(wait_for_start=True))
        await session.clock.advance(0)
        return session
    await session.start()
    await session.at(10)
    if state in ("paused", "counting-in"):
        session.engine.pause()
        await session.wait(4)
    if state == "counting-in":
        session.engine.resume()
        await session.wait(1)
    assert session.engine.state == {"waiting": "idle"}.get(state, state)
    return session


def seen(session: Session) -> tuple[object, ...]:
    engine = session.engine
    return (engine.state, engine.index, engine.remaining(), engine.count_in_remaining())


@pytest.mark.parametrize("state", ["waiting", "running", "paused", "counting-in"])
@pytest.mark.parametrize("action", [*PAGE_CONTROLS, "start"])
async def test_every_page_control_in_every_state_does_what_its_key_does(
    state: str, action: str
) -> None:
    by_page, by_key = await session_in(state), await session_in(state)
    notes: list[str] = []
    server = ShareServer(by_page.engine, burst=BURST, note=notes.append)
    await server.start()
    by_page.engine.add_listener(server)
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(server.url + "events") as stream,
        ):
            first = await _next_message(stream)
            if state == "waiting":
                # Not begun: the time left is the whole session, first step included.
                assert first["remaining"] + first["later"] == by_page.plan.total  # type: ignore[operator]
            async with client.post(server.url + "control", json={"action": action}) as reply:
                assert reply.status == 200
                changed = (await reply.json())["changed"]
            if action == "start":
                expected = by_key.engine.start()
            else:
                control = BY_ID[action]
                assert control.call is not None
                expected = getattr(by_key.engine, control.call)(*control.args)
            assert changed == expected
            # The terminal says where a control came from; while waiting, only Start counts.
            if state == "waiting":
                assert notes == (["From a browser: start."] if action == "start" else [])
            elif action == "start":
                assert notes == []
            else:
                assert notes == [browser_note(action, paused=state == "paused")]
            await by_page.clock.advance(0)
            await by_key.clock.advance(0)
            assert seen(by_page) == seen(by_key)
            # What the page then shows is the engine's state, whatever the control did: the
            # stream says so (when anything changed), and so does a page that connects now.
            engine = by_page.engine
            messages = [server.feed.message()]
            if changed:
                async with asyncio.timeout(5):
                    while messages[-1] is None or messages[-1]["state"] != engine.state:
                        messages.append(await _next_message(stream))
            step = engine.step or engine.plan.steps[0]
            phase = {"paused": "PAUSED", "counting-in": "RESUMING", "idle": "NOT STARTED"}
            for message in (messages[0], messages[-1]):
                assert message is not None
                assert message["state"] == engine.state
                assert message["waiting"] == engine.waiting
                texts = message["texts"]
                assert isinstance(texts, dict)
                assert texts["name"] == step.exercise.name
                assert texts["phase"] == phase.get(engine.state, KINDS[step.kind].banner)
    finally:
        for session in (by_page, by_key):
            session.engine.stop()
            await session.clock.advance(0)
            if session.task is not None:
                await session.task
        await server.stop()


async def test_the_page_is_told_the_terminals_words_and_the_deadline(
    shared: tuple[Session, ShareServer],
) -> None:
    session, server = shared
    async with aiohttp.ClientSession() as client, client.get(server.url + "events") as stream:
        first = await _next_message(stream)
        # Caught up at once: the state as it is, with plain mode's own step line.
        started = session.recorder.of(StepStarted)[-1]
        assert first["line"] == event_line(started, pause_key=None)
        assert first["line"] == "[0:00] Knee to chest - get ready 5 s"
        assert first["texts"]["phase"] == "GET READY"
        assert first["texts"]["next"] == "Next: hold 30 s"
        assert first["safety"][0].startswith("Stretching should feel like a gentle pull")
        await session.at(5)
        # 3, 2, 1 knocked out as the terminal does, each marked with its moment.
        for seconds, cue in ((3, "tick"), (2, "tick"), (1, "tick-last")):
            tick = await _next_message(stream)
            assert tick["cues"] == [cue]
            assert tick["cueAt"] == pytest.approx(session.start_time + 5 - seconds)
        hold = await _next_message(stream)
        assert hold["texts"]["phase"] == "HOLD"
        assert hold["deadline"] == pytest.approx(session.clock.now() + 30)
        assert hold["cues"] == ["hold"]
        assert hold["say"] is None
        session.engine.pause()
        paused = await _next_message(stream)
        assert paused["texts"]["phase"] == "PAUSED"
        assert paused["deadline"] is None
        assert paused["notice"] == "Paused with 0:30 left."
        session.engine.resume()
        resuming = await _next_message(stream)
        assert resuming["texts"]["resuming"] == "Resuming in 3: hold"
        assert resuming["notice"] == ""  # said once, under the countdown, and gone after


async def test_the_page_keeps_the_word_for_a_skip_and_gets_the_summary_in_columns() -> None:
    session = Session(two_exercises(), count_in=0)
    feed = PageFeed(session.engine)
    messages: list[dict[str, Any]] = []
    session.engine.add_listener(lambda event: messages.append(feed.message(event) or {}))
    await session.start()
    await session.at(8)
    await session.act(session.engine.skip)
    # The step that the skip started still says why it started, as the terminal's line did.
    bridge = messages[-1]
    assert bridge["texts"]["name"] == "Bridge"
    assert bridge["notice"] == "Skipped to the next exercise."
    await session.at(9)
    await session.act(session.engine.back)  # 1 s into Bridge: back to the one before
    assert messages[-1]["texts"]["name"] == "Knee to chest"
    assert messages[-1]["notice"] == "Back to the previous exercise."
    finished = await session.finish()
    end = messages[-1]
    assert end["state"] == "finished"
    # The head as plain mode says it; the rows as cells, the same words as plain mode's rows.
    plain = summary_lines(session.plan, finished, None)
    assert end["summary"] == plain[:2]
    assert [list(row) for row in end["summaryRows"]] == [list(r) for r in summary_rows(finished)]
    for (word, name, took), line in zip(end["summaryRows"], plain[2:], strict=True):
        assert line.split() == [*word.split(), *name.split(), *took.split()]


async def _next_message(stream: aiohttp.ClientResponse) -> dict[str, object]:
    async with asyncio.timeout(5):
        while True:
            line = (await stream.content.readline()).decode()
            if line.startswith("data: ") and line != "data: {}\n":
                message: dict[str, object] = json.loads(line.removeprefix("data: "))
                return message


async def test_after_the_session_the_port_refuses() -> None:
    session = Session(two_exercises())
    server = ShareServer(session.engine)
    await server.start()
    session.engine.add_listener(server)
    await session.start()
    async with aiohttp.ClientSession() as client, client.get(server.url) as reply:
        assert reply.status == 200
    session.engine.stop()
    await session.clock.advance(0)
    await server.stop()
    host, port = server.url.split("//")[1].split("/")[0].split(":")
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(host, int(port))


def test_the_qr_code_is_drawn_with_half_blocks_module_for_module() -> None:
    import segno

    text = "http://127.0.0.1:1234/token/"
    lines = qr_lines(text)
    upper = {"\u2580", "\u2588"}
    lower = {"\u2584", "\u2588"}
    drawn = []
    for line in lines:
        drawn.append([c in upper for c in line])
        drawn.append([c in lower for c in line])
    code = segno.make(text, error=ERROR_LEVEL)
    expected = [[bool(m) for m in row] for row in code.matrix_iter(border=2)]
    assert drawn[: len(expected)] == expected
    assert not any(any(row) for row in drawn[len(expected) :])  # the padding row is light


# -- the app ---------------------------------------------------------------------------------


def shared_app(
    monkeypatch: pytest.MonkeyPatch, share: str | None = "local"
) -> tuple[StretchApp, VirtualClock]:
    """The app of `stretch run ID --share` (with None: without it), in virtual time, with
    the safety note read."""
    assert remember()
    monkeypatch.setattr(SessionScreen, "flash_seconds", 0.0)
    clock = VirtualClock()
    return StretchApp(plan=two_exercises(), clock=clock, share=share), clock


async def stop_sharing(pilot: Any, session: SessionScreen) -> None:
    """Stop the session, and let its server close."""
    session.engine.stop()
    await until(pilot, lambda: session.sharing._runner is None)  # type: ignore[union-attr]


async def test_the_share_key_shares_without_pausing_and_the_page_drives_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, clock = shared_app(monkeypatch, share=None)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        await clock.advance(8)
        await pilot.press("s")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, ShareScreen):
                break
        assert isinstance(app.screen, ShareScreen)
        session = app.screen_stack[-2]
        assert isinstance(session, SessionScreen) and session.sharing is not None
        url = session.sharing.url
        assert url.startswith("http://127.0.0.1:")
        dialog = app.screen
        assert url in str(dialog.query_one("#share-url", Static).render())
        # On 127.0.0.1 a phone cannot follow: no code to scan (a phone would look on itself),
        # and the dialog says so plainly, with the command that shares to a phone.
        assert not dialog.query("#share-qr")
        where = str(dialog.query_one("#share-where", Static).render())
        assert "only on this computer" in where
        assert f"stretch run {session.plan.routine.id} --share lan" in where
        assert session.engine.state == "running"  # reading the address is no reason to pause
        await pilot.press("escape")
        assert await post(url, b'{"action": "pause"}') == 200
        await pilot.pause()
        assert str(session.query_one("#phase", Static).render()) == "PAUSED"
        # Whoever is at the desk is told why it paused.
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("From a browser: pause." in toast for toast in toasts), toasts
        main = session.query_one("#session-main")
        assert main.border_title == "Paused from a browser"  # for as long as it is paused
        assert "Resume" in str(session.query_one("#pause-button").render())
        assert url in str(session.query_one("#share-address", Static).render())
        await pilot.press("space")
        assert not main.border_title
        session.engine.stop()
        for _ in range(50):
            await pilot.pause()
            if session.engine.state == "finished" and session.sharing._runner is None:
                break
    host, port = url.split("//")[1].split("/")[0].split(":")
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(host, int(port))


async def shared_from_the_start(pilot: Any, app: StretchApp) -> SessionScreen:
    """The app of `stretch run ID --share`, once its share dialog is up."""
    await until(pilot, lambda: isinstance(app.screen, StartShareScreen))
    session = app.screen_stack[-2]
    assert isinstance(session, SessionScreen) and session.sharing is not None
    return session


async def test_shared_from_the_start_the_session_waits_behind_the_dialog_for_enter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, clock = shared_app(monkeypatch)
    async with app.run_test(size=(100, 40)) as pilot:
        session = await shared_from_the_start(pilot, app)
        dialog = app.screen
        # First, so it is read first: nothing happens until the person starts.
        start = str(dialog.query_one("#share-start", Static).render())
        assert start == "Waiting to start: press Enter here, or tap Start on the page."
        assert dialog.query_one("#share-dialog").border_subtitle == "Enter: start · Esc: cancel"
        await clock.advance(60)  # a minute finding the phone: the session has not begun
        await pilot.pause()
        assert session.engine.waiting and session.engine.state == "idle"
        await pilot.press("enter")
        await until(pilot, lambda: session.engine.state == "running")
        assert app.screen is session
        assert session.engine.remaining() == 5  # its whole get-ready, from now
        assert str(session.query_one("#phase", Static).render()) == "GET READY"
        await stop_sharing(pilot, session)


async def test_start_on_the_page_starts_the_app_session_and_closes_the_dialog(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _ = shared_app(monkeypatch)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        session = await shared_from_the_start(pilot, app)
        assert session.sharing is not None
        url = session.sharing.url
        # Nothing but Start makes sense yet: the other controls change nothing.
        assert await post(url, b'{"action": "skip"}') == 200
        assert session.engine.waiting
        assert await post(url, b'{"action": "start"}') == 200
        await until(pilot, lambda: app.screen is session)
        assert session.engine.state == "running"
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("From a browser: start." in toast for toast in toasts), toasts
        # A second tap (another phone, or a late one) changes nothing.
        async with (
            aiohttp.ClientSession() as client,
            client.post(url + "control", json={"action": "start"}) as reply,
        ):
            assert await reply.json() == {"changed": False}
        await stop_sharing(pilot, session)


async def test_started_from_the_page_under_another_screen_the_dialog_only_closes_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, clock = shared_app(monkeypatch)
    async with app.run_test(size=(100, 40)) as pilot:
        session = await shared_from_the_start(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, StartShareScreen) and session.sharing is not None
        await pilot.press("ctrl+p")  # the command palette, over the dialog
        await until(pilot, lambda: app.screen is not dialog)
        assert await post(session.sharing.url, b'{"action": "start"}') == 200
        await until(pilot, lambda: session.engine.state == "running")
        await pilot.press("escape")  # the palette closes
        await until(pilot, lambda: app.screen is dialog)
        assert not dialog.waiting
        assert dialog.query_one("#share-dialog").border_subtitle == "Enter or Esc: close"
        await pilot.press("escape")  # closes the dialog; the session goes on
        await until(pilot, lambda: app.screen is session)
        await clock.advance(1)
        await pilot.pause()
        assert session.engine.state == "running"
        await stop_sharing(pilot, session)


@pytest.mark.parametrize("key", ["escape", "ctrl+q", "ctrl+c"])
async def test_esc_at_the_start_gives_the_session_up_with_no_summary_and_no_history(
    isolated_home: Path, key: str
) -> None:
    from timer_app.companions import Companions
    from timer_app.history.store import History

    assert remember()
    clock = VirtualClock()
    app = StretchApp(
        plan=two_exercises(),
        clock=clock,
        share="local",
        companions=Companions(sound="off", history=True),
    )
    async with app.run_test(size=(100, 40)) as pilot:
        session = await shared_from_the_start(pilot, app)
        assert session.sharing is not None
        url = session.sharing.url
        # Nothing has begun: no question, and no summary.
        await pilot.press(key)
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 0
    host, port = url.split("//")[1].split("/")[0].split(":")
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(host, int(port))
    history = History(notify=pytest.fail)
    connection = history.open()
    assert connection is not None
    assert connection.execute("SELECT count(*) FROM sessions").fetchone() == (0,)


@pytest.mark.parametrize("dialog_type", [ShareScreen, StartShareScreen])
@pytest.mark.parametrize("size", [(80, 24), (100, 40)])
async def test_the_qr_code_of_a_local_network_address_is_whole_on_the_screen(
    size: tuple[int, int], dialog_type: type[ShareScreen]
) -> None:
    # A code cut off at the bottom does not scan: 80x24 is the common terminal size.
    assert remember()
    url = "http://192.168.100.200:65535/" + "t" * 24 + "/"  # the longest a LAN address gets
    app = StretchApp()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.push_screen(
            dialog_type(url, lan=True, command="stretch run neck-stretches --share lan")
        )
        await pilot.pause()
        dialog = app.screen.query_one("#share-dialog")
        code = app.screen.query_one("#share-qr", Static)
        assert code.region.height == len(qr_lines(url))
        assert dialog.region.contains_region(code.region)
        assert dialog.region.bottom <= size[1] - 1  # above the key bar
        assert url in str(app.screen.query_one("#share-url", Static).render())


# -- nothing loaded without --share -----------------------------------------------------------

WITHOUT_SHARE = """
import asyncio, io, sys
from timer_app.config.acknowledgement import remember
from timer_app.core.plan import compile_plan
from timer_app.routines.library import load_library
from timer_app.testing import VirtualClock
from timer_app.views.plain.run import run_plain
from timer_app.views.tui.app import StretchApp

plan = compile_plan(load_library([], user=False).routines["neck-stretches"])
out = io.StringIO()
assert run_plain(plan, stdout=out, stdin=io.StringIO(), clock=VirtualClock(auto=True)) == 0
assert "Finished" in out.getvalue()

async def app_session():
    remember()
    app = StretchApp()
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "SessionScreen", app.screen

asyncio.run(app_session())
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("aiohttp", "segno", "timer_app")
                and (not m.startswith("timer_app") or m.startswith("timer_app.share")))
print(loaded)
"""


def test_without_share_no_web_library_is_imported(isolated_home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_SHARE],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# -- plain mode's share key ------------------------------------------------------------------

PLAIN_ON_A_TERMINAL = """
import sys
sys.path[:0] = [{root!r}, {tests!r}]
from engine_support import held, plan_of
from timer_app.views.plain.run import run_plain
plan = plan_of(held("Reach", seconds=30, reps=1, prepare=1, per_side=False))
sys.exit(run_plain(plan, stdout=sys.stdout, stdin=sys.stdin, count_in=0, share={share!r}))
"""


@pytest.mark.slow
def test_the_share_key_in_plain_mode_prints_the_address_and_serves_it() -> None:
    import pty
    import urllib.request

    code = PLAIN_ON_A_TERMINAL.format(root=str(REPO), tests=str(REPO / "tests"), share=None)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert ", s share," in read_until(proc, "] Reach - hold 30 s")
        os.write(master, b"s")
        # Pressed without --share lan: the address, then, said plainly, that a phone cannot
        # open it, and how to share to one.
        where = read_until(proc, "stops working when the session ends.\n")
        url = where.split("Follow in a browser: ")[1].split("\n")[0]
        assert url.startswith("http://127.0.0.1:")
        assert "only on this computer (127.0.0.1): a phone cannot open it." in where
        assert "start the session with --share lan" in where
        with urllib.request.urlopen(url, timeout=5) as reply:
            assert reply.status == 200
        # A page pauses: the terminal says where the pause came from, then the pause.
        request = urllib.request.Request(
            url + "control",
            data=b'{"action": "pause"}',
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as reply:
            assert reply.status == 200
        told = read_until(proc, "left.")
        assert re.search(r"From a browser: pause\.\nPaused with 0:\d\d left\.", told), told
        os.write(master, b"qy")
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0, err.decode()
    assert "Stopped (q)" in out.decode()
    host, port = url.split("//")[1].split("/")[0].split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=2)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["enter", "sigterm"])
def test_plain_mode_shared_from_the_start_waits_for_enter(how: str) -> None:
    import pty

    code = PLAIN_ON_A_TERMINAL.format(root=str(REPO), tests=str(REPO / "tests"), share="local")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        said = read_until(proc, "Waiting to start: press Enter here, or tap Start on the page.\n")
        # The address first, for a screen reader to say at once; the wait is said last.
        assert said.startswith("Follow in a browser: http://127.0.0.1:")
        with pytest.raises(AssertionError):
            read_until(proc, "[0:00]", timeout=1.0)  # nothing starts by itself
        if how == "enter":
            os.write(master, b"\r")
            read_until(proc, "[0:00] Reach - get ready 1 s")
            os.write(master, b"qy")
        else:
            proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)
    if how == "enter":
        assert proc.returncode == 0, err.decode()
        assert "Stopped (q) after 0:0" in out.decode()
    else:
        assert proc.returncode == 143, err.decode()
        # It never began: said in a line, with no list of exercises "not reached".
        assert out.decode().rstrip().endswith("Stopped (SIGTERM) before it started: Test routine.")


@pytest.mark.slow
def test_plain_mode_shared_here_suggests_the_same_command_with_share_lan(
    tmp_path: Path,
) -> None:
    # `--plain --share` said `stretch run ID --share lan`, which opens the full-screen app: the
    # suggestion is the person's own command, every option kept, with --share lan.
    (tmp_path / "bell-test.yaml").write_text(SHORT_ROUTINE, encoding="utf-8")
    command = ["--routines", str(tmp_path), "run", "bell-test", "--plain", "--share"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "timer_app", *command, "--sound", "off"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        said = read_until(proc, "Waiting to start: tap Start on the page.")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
    finally:
        proc.kill()
    suggested = f"stretch --routines {tmp_path} run bell-test --plain --sound off --share lan"
    assert f"To follow on a phone, start the session with --share lan: {suggested}\n" in said


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        (["run", "neck", "--plain", "--share"], "stretch run neck --plain --share lan"),
        (["run", "--share", "neck", "--quick"], "stretch run neck --quick --share lan"),
        (["run", "neck", "--share=local", "-o"], "stretch run neck -o --share lan"),
        (["run", "neck", "--sha", "local", "--voice"], "stretch run neck --voice --share lan"),
        (
            ["--routines", "my dir", "run", "neck"],
            "stretch --routines 'my dir' run neck --share lan",
        ),
        ([], "stretch run neck --share lan"),
    ],
)
def test_the_command_to_share_to_a_phone_keeps_every_option_typed(
    typed: list[str], suggested: str
) -> None:
    assert lan_command("neck", given=typed) == suggested


async def test_a_session_chosen_in_the_picker_is_suggested_by_id_from_its_folders(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Started with `stretch run other-id --quick --share`, then this one chosen in the picker:
    # the options typed were for the other routine, the folders are still where it is found.
    assert remember()
    clock = VirtualClock()
    app = StretchApp(
        clock=clock,
        share="local",
        routine_dirs=[tmp_path],
        command_line=["run", "other-id", "--quick", "--share"],
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await on_picker(pilot)
        await pilot.press("enter")  # the first routine in the list
        session = await shared_from_the_start(pilot, app)
        where = str(app.screen.query_one("#share-where", Static).render())
        routine_id = session.plan.routine.id
        assert f"stretch --routines {tmp_path} run {routine_id} --share lan" in where
        await stop_sharing(pilot, session)


def test_the_page_sets_text_as_text_and_loads_nothing_from_elsewhere() -> None:
    page = REPO / "web"
    script = (page / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    html = (page / "index.html").read_text(encoding="utf-8")
    css = (page / "app.css").read_text(encoding="utf-8")
    # Every file the page uses is its own: no address elsewhere, no fonts or images fetched.
    for text in (script, html, css):
        for outside in ("http:", "https:", '="//', "url(", "@import"):
            assert outside not in text, outside


async def test_a_stop_just_after_a_resume_still_ends_the_page_with_the_summary() -> None:
    # The app's Stop question pauses under it and resumes as it closes: the resume and the
    # stop come in one moment, and the page's listener hears them a moment later.
    session = Session(two_exercises())
    feed = PageFeed(session.engine)
    messages: list[dict[str, Any]] = []

    def listen(event: Event) -> None:
        message = feed.message(event)
        if message is not None:
            messages.append(message)

    session.engine.add_listener(listen)
    await session.start()
    await session.at(8)
    await session.act(session.engine.pause)
    session.engine.resume()
    session.engine.stop()
    await session.finish()
    # Nothing says the session is over before the summary does.
    ends = [message for message in messages if message["state"] == "finished"]
    assert len(ends) == 1 and ends[0] is messages[-1]
    assert ends[0]["final"]
    assert ends[0]["notice"] == ""  # not "Resuming in 3 s" over the summary
    assert ends[0]["summary"][0].startswith("Stopped after 0:08")
    assert not any(message["final"] for message in messages[:-1])


async def test_a_session_that_ends_under_the_share_dialog_leaves_for_its_summary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from timer_app.views.tui.screens.summary import SummaryScreen

    app, clock = shared_app(monkeypatch, share=None)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")  # the share dialog does not pause the session
        await until(pilot, lambda: isinstance(app.screen, ShareScreen))
        await clock.advance(70)  # the session runs to its end under the dialog
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        # The dialog went with its session: nothing of either is left under the summary.
        assert not [s for s in app.screen_stack if isinstance(s, SessionScreen | ShareScreen)]
        assert app.screen.finished.completed  # type: ignore[attr-defined]
