"""Provides `ShareServer`: the web server that lets a browser follow a running session.

It runs on the session's own event loop (aiohttp), as one more engine listener: each event
becomes a message (`feed.PageFeed`) that goes to every connected page over Server-Sent Events.
A page that connects, or connects again after the phone slept, first gets the whole state, so
it is caught up at once. Controls from the page make the same engine calls as the keys.

Safety: the address holds a random token that every path must start with (compared in constant
time; 403 otherwise), the server sends no CORS headers, so no other site's script can read or
drive it, control requests are rate-limited and checked (400, and nothing changes, when
malformed), and it listens on 127.0.0.1 unless the local network is asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from timer_app.config.choices import DEFAULT_CUE_SET
from timer_app.core.controls import BY_ID
from timer_app.core.paths import config_dir, cue_set_dir, package_dir
from timer_app.session.cues import CUES
from timer_app.session.engine import Engine
from timer_app.session.events import Event
from timer_app.session.perform import perform
from timer_app.share.calendar import FILE_NAME, calendar_file, calendar_offer
from timer_app.share.feed import PAGE_ACTIONS, PageFeed
from timer_app.share.words import browser_note

__all__ = ["HEARTBEAT", "ShareError", "ShareServer", "lan_address"]

HEARTBEAT = 10.0
"""Seconds between keep-alive messages on the event stream: the page takes a long silence as
a dead connection (a phone that slept) and reconnects."""
CONTROL_RATE = 4.0
"""Control requests allowed per second, on average, from all pages together."""
CONTROL_BURST = 8.0
"""Control requests allowed at once, before the rate applies."""
MAX_BODY = 256
"""Bytes a control request may have; a real one is about 20."""
QUEUE_SIZE = 256
"""Messages a page may fall behind by before it is cut off (it reconnects and catches up)."""
PAGE_FILES = {
    "": ("index.html", "text/html; charset=utf-8"),
    "app.js": ("app.js", "text/javascript; charset=utf-8"),
    "app.css": ("app.css", "text/css; charset=utf-8"),
}
HEADERS = {
    # Everything the page uses comes from this server; nothing else may run or load.
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
"""Sent with every response (and, on purpose, no Access-Control-* header)."""


class _UnreadableRequests(logging.Filter):
    """Drops the web library's reports of requests it could not even read (a bad request line,
    a header too long, a broken body): each has had its 400 already, and anyone who reaches
    the port, token or not, could otherwise write tracebacks into the session's terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, HttpProcessingError)


REQUEST_LOG = logging.getLogger(f"{__name__}.requests")
"""Where the server reports a request it failed on; a fault of ours still shows."""
REQUEST_LOG.addFilter(_UnreadableRequests())


class ShareError(Exception):
    """Sharing could not start (no local network, no free port); the message says why."""


def lan_address() -> str:
    """This computer's address on the local network: the one its default route leaves from.

    Connecting a UDP socket sends nothing; it only makes the system choose the interface.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: reserved, never routed to anyone
            address = str(probe.getsockname()[0])
    except OSError as error:
        raise ShareError(f"no local network found ({error.strerror or error})") from None
    if address.startswith("127.") or address == "0.0.0.0":
        raise ShareError("no local network found")
    return address


class _Bucket:
    """A token bucket on the real monotonic clock: requests, not the session, are timed."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class ShareServer:
    """Serves one session to browsers. `await start()`, add it as a listener, `await stop()`.

    `lan`: listen on the local network's address instead of 127.0.0.1. `port` 0 picks a free
    one. `note`: the view's way to say a line (`From a browser: pause.`) when a page uses a
    control, before the engine's own line for it. `web_dir` and `sounds_dir`: where the page
    and the cues are (tests may pass others); `cue_set`: the built-in set the page plays, as the
    terminal does.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        lan: bool = False,
        port: int = 0,
        rate: float = CONTROL_RATE,
        burst: float = CONTROL_BURST,
        note: Callable[[str], None] | None = None,
        web_dir: Path | None = None,
        sounds_dir: Path | None = None,
        cue_set: str = DEFAULT_CUE_SET,
    ) -> None:
        self.engine = engine
        self.feed = PageFeed(engine)
        self.lan = lan
        self.port = port
        self.token = secrets.token_urlsafe(18)
        """Random per session; 24 URL-safe characters (144 bits)."""
        self.url = ""
        """The page's address, once started."""
        self._bucket = _Bucket(rate, burst)
        self._note = note
        self._web_dir = web_dir or package_dir("web")
        self._sounds = [sounds_dir or cue_set_dir(cue_set)]
        if sounds_dir is None:
            self._sounds.insert(0, config_dir() / "sounds")  # the user's own cues win
        self._clients: set[asyncio.Queue[str | None]] = set()
        self._runner: web.AppRunner | None = None
        self._stopped = False

    # -- life

    async def start(self) -> str:
        """Listen, and return the page's address (with its token)."""
        host = lan_address() if self.lan else "127.0.0.1"
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_BODY)
        app.on_response_prepare.append(_add_headers)
        base = f"/{self.token}/"
        app.router.add_get(f"/{self.token}", self._to_page)
        for name in PAGE_FILES:
            app.router.add_get(base + name, self._page_file)
        app.router.add_get(base + "sounds/{name}", self._sound)
        app.router.add_get(base + "clock", self._clock)
        app.router.add_get(base + "events", self._events)
        app.router.add_post(base + "control", self._control)
        app.router.add_get(base + "calendar", self._calendar_offer)
        app.router.add_get(base + FILE_NAME, self._calendar_file)
        # A page's stream that is still open when the session ends gets a second to close.
        runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0, logger=REQUEST_LOG
        )
        await runner.setup()
        site = web.TCPSite(runner, host, self.port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise ShareError(f"could not listen on {host} ({error.strerror or error})") from None
        except BaseException:
            await runner.cleanup()  # cancelled (the session ended meanwhile): nothing left open
            raise
        self._runner = runner
        port = runner.addresses[0][1]
        self.url = f"http://{host}:{port}{base}"
        return self.url

    async def stop(self) -> None:
        """End every page's stream and stop listening; the port refuses from then on."""
        if self._stopped:
            return
        self._stopped = True
        for queue in list(self._clients):
            _close(queue)
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    # -- the engine listener

    def __call__(self, event: Event) -> None:
        message = self.feed.message(event)
        if message is None:
            return
        data = json.dumps(message, separators=(",", ":"))
        for queue in list(self._clients):
            try:
                queue.put_nowait(data)
            except asyncio.QueueFull:
                _close(queue)  # far behind: cut off; it reconnects and is caught up

    # -- requests

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        # Before any route is looked at: the first part of every path must be the token.
        first = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return web.Response(status=403, text="Forbidden\n")
        response: web.StreamResponse = await handler(request)
        return response

    async def _to_page(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"/{self.token}/")

    async def _page_file(self, request: web.Request) -> web.StreamResponse:
        name = request.path.split("/", 2)[2]
        filename, content_type = PAGE_FILES[name]
        body = await asyncio.to_thread((self._web_dir / filename).read_bytes)
        return web.Response(body=body, headers={"Content-Type": content_type})

    async def _sound(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        stem = name.removesuffix(".wav")
        if not name.endswith(".wav") or stem not in CUES:
            raise web.HTTPNotFound()
        for folder in self._sounds:
            path = folder / name
            if path.is_file():
                body = await asyncio.to_thread(path.read_bytes)
                return web.Response(body=body, headers={"Content-Type": "audio/wav"})
        raise web.HTTPNotFound()

    async def _clock(self, request: web.Request) -> web.StreamResponse:
        # The page measures its offset from the engine's clock with this: half the round trip
        # is the error, a millisecond or two on a local network.
        return web.json_response({"now": self.engine.clock.now()})

    async def _calendar_offer(self, request: web.Request) -> web.StreamResponse:
        # Read when asked: the reminders may have been changed since the session began.
        return web.json_response(await asyncio.to_thread(calendar_offer))

    async def _calendar_file(self, request: web.Request) -> web.StreamResponse:
        body = await asyncio.to_thread(calendar_file)
        if body is None:
            raise web.HTTPNotFound(text="No reminders are set.\n")
        return web.Response(
            body=body,
            headers={
                "Content-Type": "text/calendar; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{FILE_NAME}"',
            },
        )

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_SIZE)
        if self._stopped:
            return response
        self._clients.add(queue)
        try:
            first = json.dumps(self.feed.message(), separators=(",", ":"))
            await response.write(f"retry: 1000\ndata: {first}\n\n".encode())
            while True:
                try:
                    data = await asyncio.wait_for(queue.get(), HEARTBEAT)
                except TimeoutError:
                    await response.write(b"event: ping\ndata: {}\n\n")
                    continue
                if data is None:
                    break
                await response.write(f"data: {data}\n\n".encode())
        except ConnectionError:
            pass  # the page went away: nothing to tell anyone
        finally:
            self._clients.discard(queue)
        return response

    async def _control(self, request: web.Request) -> web.StreamResponse:
        if not self._bucket.take():
            return web.json_response({"error": "too many requests"}, status=429)
        action = await _read_action(request)
        if action is None:
            return web.json_response({"error": "malformed control request"}, status=400)
        if action == "start":
            # Only a session waiting for its person: a late tap changes nothing, says nothing.
            # (Said after the call, yet before the step's line: that comes through a listener.)
            changed = self.engine.start()
            if changed and self._note is not None:
                self._note(browser_note(action, paused=False))
            return web.json_response({"changed": changed})
        if self.engine.waiting:
            # Nothing to pause or skip yet (the page shows Start alone): nothing to say.
            return web.json_response({"changed": False})
        control = BY_ID[action]
        assert control.call is not None
        if self._note is not None:
            # Said first: a person at the desk sees why the session paused (or skipped).
            self._note(browser_note(action, paused=self.engine.state == "paused"))
        # The very call the key makes, so the terminal shows it as if the key was pressed.
        changed = perform(self.engine, control)
        return web.json_response({"changed": changed})


async def _read_action(request: web.Request) -> str | None:
    """The control a request names, or None when it is anything but `{"action": "<id>"}`."""
    if request.content_type != "application/json":
        return None
    try:
        body = await request.read()
        data = json.loads(body)
    except (ValueError, web.HTTPException):
        return None
    if not isinstance(data, dict) or set(data) != {"action"}:
        return None
    action = data["action"]
    return action if isinstance(action, str) and action in PAGE_ACTIONS else None


def _close(queue: asyncio.Queue[str | None]) -> None:
    """Tell a page's stream to end, making room for the word if it is full."""
    while True:
        try:
            queue.put_nowait(None)
            return
        except asyncio.QueueFull:
            with contextlib.suppress(asyncio.QueueEmpty):
                queue.get_nowait()


async def _add_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(HEADERS)
