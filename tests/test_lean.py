"""A session's program leaves out TLS, HTTP and per-thread heaps, and still works as before.

Each check runs in a fresh interpreter: under pytest, asyncio and ssl are already loaded.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import REPO, SHORT_ROUTINE


def run_python(code: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_a_whole_session_runs_without_loading_tls_or_http(tmp_path: Path) -> None:
    (tmp_path / "bell-test.yaml").write_text(SHORT_ROUTINE, encoding="utf-8")
    # miniaudio is tried first (no sound card here, so it falls back to the bell): its import
    # is the one that used to pull in urllib.request, http.client and ssl.
    result = run_python(
        f"""
        import sys
        from timer_app.cli.main import main
        status = main(["--routines", {str(tmp_path)!r}, "run", "bell-test", "--plain",
                       "--sound", "miniaudio"])
        loaded = [m for m in ("ssl", "_ssl", "http.client", "email.parser") if m in sys.modules]
        print("STATUS", status, "MINIAUDIO", "miniaudio" in sys.modules, "LOADED", loaded)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "[00:01] Reach - hold 4 s" in result.stdout
    assert "STATUS 0 MINIAUDIO True LOADED []" in result.stdout


def test_asyncio_runs_without_ssl_and_ssl_can_still_be_imported() -> None:
    result = run_python(
        """
        import sys
        from timer_app.lean import import_asyncio_without_ssl
        import_asyncio_without_ssl()
        print("SSL AFTER ASYNCIO", "ssl" in sys.modules)
        import asyncio
        print("RAN", asyncio.run(asyncio.sleep(0.01, result="yes")))
        import ssl
        print("SSL IMPORTABLE", ssl.PROTOCOL_TLS_CLIENT is not None)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [
        "SSL AFTER ASYNCIO False",
        "RAN yes",
        "SSL IMPORTABLE True",
    ]


def test_a_deferred_module_is_imported_on_first_use(tmp_path: Path) -> None:
    # A stand-in for a library that imports urllib.request at its top, like miniaudio.
    radio = "import urllib.request\n\ndef request(url):\n    return urllib.request.Request(url)\n"
    (tmp_path / "radio.py").write_text(radio, encoding="utf-8")
    result = run_python(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from timer_app.lean import deferred
        with deferred("urllib.request"):
            import radio
        print("AFTER IMPORT", "http.client" in sys.modules, "urllib.request" in sys.modules)
        made = radio.request("http://localhost/stream")
        real = sys.modules["urllib.request"]
        print("AFTER USE", type(made) is real.Request, made.host)
        import urllib.request
        print("SAME MODULE", urllib.request is real, radio.urllib.request is real)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [
        "AFTER IMPORT False False",
        "AFTER USE True localhost",
        "SAME MODULE True True",
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's per-thread heaps")
@pytest.mark.parametrize("shared", [True, False])
def test_threads_allocate_from_one_heap(shared: bool) -> None:
    # glibc's malloc_stats() prints one "Arena N:" block per heap to stderr.
    result = run_python(
        f"""
        import ctypes, threading
        from timer_app.lean import share_one_heap
        if {shared}:
            assert share_one_heap()
        def work():
            # Bytes objects of this size come from malloc, not Python's small-object pools.
            kept = [bytes(2000) for _ in range(1000)]
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        ctypes.CDLL(None).malloc_stats()
        """
    )
    assert result.returncode == 0, result.stderr
    heaps = [line for line in result.stderr.splitlines() if line.startswith("Arena ")]
    assert len(heaps) == (1 if shared else 2), result.stderr
