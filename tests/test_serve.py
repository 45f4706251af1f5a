"""`townsquare serve` starts granian for real and answers /healthz once ready."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_healthz_and_serves_static_files(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="townsquare.settings", TOWNSQUARE_VAR=str(tmp_path))
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "townsquare", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                    status = r.status
                    body = r.read()
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, (
            server.stdout.read().decode() if server.poll() is not None else "no answer"
        )
        assert body == b"ok"
        css = f"http://127.0.0.1:{port}/static/townsquare/townsquare.css"
        with urllib.request.urlopen(css, timeout=5) as r:  # noqa: S310
            assert r.status == 200
            assert b"--brand" in r.read()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                # A loaded machine can keep granian from finishing its shutdown in time.
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
