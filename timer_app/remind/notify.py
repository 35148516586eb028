"""Provides the reminder's desktop notification: its title, Start and Snooze 10 min, and the
answer. desktop-notifier talks to the desktop (D-Bus org.freedesktop.Notifications on Linux);
it is imported only here, when a reminder is due, so `stretch` itself never loads it."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from timer_app.remind.words import Target

Answer = Literal["start", "snooze", "dismissed", "no answer", "no desktop"]
SNOOZE_MINUTES = 10


async def ask(target: Target, body: str, *, wait: float) -> Answer:
    """Show the notification and wait up to `wait` seconds for what the person does with it.

    "no desktop": there was nothing to show it on (no session bus or notification service).
    """
    from desktop_notifier import Button, DesktopNotifier, Urgency

    # It logs a failed send with a traceback; we tell the person ourselves instead.
    logging.getLogger("desktop_notifier").setLevel(logging.CRITICAL)
    loop = asyncio.get_running_loop()
    answered: asyncio.Future[Answer] = loop.create_future()
    delivered = False

    def answer(value: Answer) -> None:
        if not answered.done():
            answered.set_result(value)

    def dispatched() -> None:
        nonlocal delivered
        delivered = True

    notifier = DesktopNotifier(app_name="stretch-timer")
    identifier = await notifier.send(
        title=target.heading,
        message=body,
        urgency=Urgency.Normal,
        buttons=[
            Button("Start", on_pressed=lambda: answer("start"), identifier="start"),
            Button(
                f"Snooze {SNOOZE_MINUTES} min",
                on_pressed=lambda: answer("snooze"),
                identifier="snooze",
            ),
        ],
        on_dispatched=dispatched,
        on_clicked=lambda: answer("start"),
        on_dismissed=lambda: answer("dismissed"),
    )
    if not delivered:
        return "no desktop"
    try:
        return await asyncio.wait_for(answered, wait)
    except TimeoutError:
        await notifier.clear(identifier)
        return "no answer"
