"""`townsquare serve --asgi --with-worker`, the embedded default's one process: pages,
the live socket and the background worker, all stopping together."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import websockets


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def townsquare(env: dict[str, str], *argv: str) -> str:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "townsquare", *argv],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip


def test_one_process_serves_pages_sockets_and_runs_the_worker(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="townsquare.settings", TOWNSQUARE_VAR=str(tmp_path))
    townsquare(env, "migrate", "--verbosity", "0")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "townsquare", "serve", "--asgi", "--with-worker", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                    status = r.status
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200

        async def anonymous_socket() -> int | None:
            async with websockets.connect(
                f"ws://127.0.0.1:{port}/ws/live/", origin=f"http://127.0.0.1:{port}", proxy=None
            ) as ws:
                try:
                    await asyncio.wait_for(ws.recv(), 10)
                except websockets.ConnectionClosed as closed:
                    return closed.rcvd.code if closed.rcvd else None
            return None

        assert asyncio.run(anonymous_socket()) == 4401

        # The worker beside the server runs what is queued in the database.
        townsquare(
            env, "shell", "-c",
            "from townsquare.conversations.tasks import send_notification_email as t; "
            "print(t.enqueue(987654, 'message', 'hi', '/').id)",
        )  # fmt: skip
        check = (
            "from django_tasks_db.models import DBTaskResult as R; "
            "print(R.objects.filter(status='SUCCESSFUL').count())"
        )
        deadline = time.monotonic() + 30
        while townsquare(env, "shell", "-c", check).strip().splitlines()[-1] != "1":
            assert time.monotonic() < deadline, "the worker did not run the task"
            time.sleep(0.5)

        kids = children(server.pid)
        assert len(kids) == 2
    finally:
        # Killed outright, the supervisor still takes granian and the worker with it.
        server.kill()
        server.wait(timeout=10)
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in kids)
