"""Provides sharing a running session with a browser (`stretch run ID --share`): a small web
server on the session's own event loop, the page it serves, and the QR code of its address.

Nothing is imported here: the web library loads only when a session is shared.
"""
