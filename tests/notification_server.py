"""A mock desktop notification server on a D-Bus session bus, for the reminder tests.

Run as `python notification_server.py LOG ANSWER`: it owns org.freedesktop.Notifications,
appends each Notify call to LOG as a JSON line, and answers each notification as a person
would: ANSWER `start` or `snooze` presses that button, `dismiss` closes it, `none` waits.
"""

# No `from __future__ import annotations`: dbus-fast reads the D-Bus signatures from them.
import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusDict, DBusSignature, DBusStr
from dbus_fast.service import ServiceInterface, dbus_method, dbus_signal

Strings = Annotated[list[str], DBusSignature("as")]
UInt = Annotated[int, DBusSignature("u")]
Int = Annotated[int, DBusSignature("i")]
Pair = Annotated[list[int | str], DBusSignature("us")]
Closed = Annotated[list[int], DBusSignature("uu")]

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class Notifications(ServiceInterface):
    """The parts of the Desktop Notifications Specification a client uses."""

    def __init__(self, log: Path, answer: str) -> None:
        super().__init__(NAME)
        self.log = log
        self.answer = answer
        self.next_id = 0

    @dbus_method()
    def GetCapabilities(self) -> Strings:
        return ["actions", "body", "persistence"]

    @dbus_method()
    def GetServerInformation(self) -> Annotated[list[str], DBusSignature("ssss")]:
        return ["mock", "stretch-timer tests", "1.0", "1.2"]

    @dbus_method()
    def Notify(
        self,
        app_name: DBusStr,
        replaces_id: UInt,
        app_icon: DBusStr,
        summary: DBusStr,
        body: DBusStr,
        actions: Strings,
        hints: DBusDict,
        expire_timeout: Int,
    ) -> UInt:
        self.next_id += 1
        record: dict[str, Any] = {
            "app_name": app_name,
            "summary": summary,
            "body": body,
            "actions": actions,
            "id": self.next_id,
        }
        with self.log.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(record) + "\n")
        asyncio.get_running_loop().call_later(0.2, self._respond, self.next_id)
        return self.next_id

    @dbus_method()
    def CloseNotification(self, notification_id: UInt) -> None:
        self.NotificationClosed(notification_id, 3)

    @dbus_signal()
    def ActionInvoked(self, notification_id: int, action: str) -> Pair:
        return [notification_id, action]

    @dbus_signal()
    def NotificationClosed(self, notification_id: int, reason: int) -> Closed:
        return [notification_id, reason]

    def _respond(self, notification_id: int) -> None:
        if self.answer in ("start", "snooze"):
            self.ActionInvoked(notification_id, self.answer)
            self.NotificationClosed(notification_id, 2)
        elif self.answer == "dismiss":
            self.NotificationClosed(notification_id, 2)


async def serve(log: Path, answer: str) -> None:
    bus = await MessageBus().connect()
    bus.export(PATH, Notifications(log, answer))
    await bus.request_name(NAME)
    print("ready", flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(serve(Path(sys.argv[1]), sys.argv[2]))
