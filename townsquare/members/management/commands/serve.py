"""`townsquare serve`: granian serving the WSGI app (pages, API) or the ASGI app (websockets).

    townsquare serve [--workers N]              pages and the API (WSGI), production
    townsquare serve --asgi [--port 8001]       websockets (and pages) through ASGI
    townsquare serve --asgi --with-worker       the embedded default: one ASGI process for
                                                everything, plus the background worker

With `--with-worker` this command stays as a small supervisor of two children, granian and
`townsquare db_worker`: a signal to it reaches both, the worker is restarted if it dies,
and both die with it even when it is killed outright (Linux's parent-death signal).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

# One ASGI worker holds every socket of the embedded default; with no explicit limit granian
# would admit backlog/workers connections. Websockets are long-lived, so the bound is high.
ASGI_CONNECTIONS = 4096
PR_SET_PDEATHSIG = 1


def granian_argv(
    *, host: str, port: int, workers: int, threads: int, backpressure: int
) -> list[str]:
    return [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", str(threads),
        # Bounded concurrency per worker: measured p99 stays low instead of queueing in threads.
        "--backpressure", str(backpressure),
        "--static-path-route", settings.STATIC_URL.rstrip("/"),
        "--static-path-mount", str(settings.STATIC_ROOT),
        "--respawn-failed-workers",
        "--no-access-log",
        "townsquare.wsgi:application",
    ]  # fmt: skip


def granian_asgi_argv(*, host: str, port: int, workers: int, connections: int) -> list[str]:
    return [
        sys.executable, "-m", "granian",
        "--interface", "asgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--backlog", str(max(connections, 128)),
        "--backpressure", str(connections),
        "--static-path-route", settings.STATIC_URL.rstrip("/"),
        "--static-path-mount", str(settings.STATIC_ROOT),
        "--respawn-failed-workers",
        "--no-access-log",
        "townsquare.asgi:application",
    ]  # fmt: skip


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "townsquare", "db_worker", "--no-reload", "--verbosity", "1"]


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the supervisor dies, however it dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Serve Townsquare with granian: WSGI (pages, API) by default, ASGI with --asgi "
        "(websockets). Answers GET /healthz with 200 once ready."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "2")))
        parser.add_argument(
            "--backpressure", type=int, default=int(os.environ.get("WEB_BACKPRESSURE", "32"))
        )
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument(
            "--asgi",
            action="store_true",
            help="Serve the ASGI application (websockets at /ws/live/, and pages).",
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=int(os.environ.get("WS_CONNECTIONS", str(ASGI_CONNECTIONS))),
            help="With --asgi: open connections (websockets included) per worker.",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run the background worker (db_worker) as a child of this process.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["asgi"] and options["workers"] > 1 and not settings.REDIS_URL:
            raise CommandError(
                "--asgi with more than one worker needs REDIS_URL: the in-memory channel "
                "layer does not reach across processes."
            )
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        if options["asgi"]:
            argv = granian_asgi_argv(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                connections=options["connections"],
            )
        else:
            argv = granian_argv(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                threads=options["threads"],
                backpressure=options["backpressure"],
            )
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/")
        sys.stdout.flush()
        if options["with_worker"]:
            sys.exit(self.supervise(argv))
        # Replace this process so signals (Ctrl-C, SIGTERM from a supervisor) reach granian.
        os.execv(sys.executable, argv)  # noqa: S606

    def supervise(self, server_argv: list[str]) -> int:
        """Runs granian and the worker; returns granian's exit status once it stops."""
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        server = subprocess.Popen(server_argv, preexec_fn=_die_with_parent)  # noqa: S603
        worker = subprocess.Popen(worker_argv(), preexec_fn=_die_with_parent)  # noqa: S603
        restarts: list[float] = []
        try:
            while not stopping and server.poll() is None:
                if worker.poll() is not None:
                    # Tasks are durable in the database: a restarted worker picks them up.
                    now = time.monotonic()
                    restarts = [t for t in restarts if now - t < 60] + [now]
                    self.stderr.write(
                        f"Background worker exited ({worker.returncode}); restarting."
                    )
                    time.sleep(min(10.0, 0.5 * 2 ** (len(restarts) - 1)))
                    worker = subprocess.Popen(worker_argv(), preexec_fn=_die_with_parent)  # noqa: S603
                time.sleep(0.2)
        finally:
            for child in (worker, server):
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in (worker, server):
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
        return server.returncode if server.returncode and server.returncode > 0 else 0
