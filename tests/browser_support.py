"""The headless Chromium the shared page is tried in, for the browser test and bench/share.py:
Debian's `chromium` (installed by scripts/setup-test-system), started quietly."""

from __future__ import annotations

import shutil

__all__ = ["CHROMIUM", "CHROMIUM_ARGS"]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Quiet: the test machine has no network, where Chromium's background connections
    # (updates, sync, QUIC probes) would hang it.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
