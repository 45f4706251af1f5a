"""Playwright driving Debian's Chromium (never a downloaded browser) against a live server:
pytest-django's `live_server` (WSGI, pages only) or `live_asgi_server` below (pages and the
live socket)."""

from __future__ import annotations

import asyncio
import copy
import os
import socket
import threading
import time
import types
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API runs an asyncio event loop in this (the test) thread. Django refuses
# ORM calls from a thread with a running loop (SynchronousOnlyOperation), but the test builds
# its cast and reads the database in plain synchronous code between browser steps: nothing
# here is async, the check is a false alarm for this thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# --disable-background-networking and friends: the machine's network is closed, and without
# them Chromium keeps dialling Google services and floods the log with refused connections.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous for a cold start on a loaded CI machine, short enough to fail fast when stuck.
TIMEOUT_MS = 15_000


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, which would break async_to_sync in every test that runs after the browser tests.
@pytest.fixture(scope="package")
def chromium() -> Iterator[Callable[[], Browser]]:
    """Debian's Chromium, launched on first use and shared by the session's tests.

    The launch happens inside the test that first opens a page, so a missing browser FAILS
    that test (rather than erroring its setup): CI installs Chromium with apt-get, its
    absence is a broken environment, never a reason to skip.
    """
    with ExitStack() as stack:
        launched: list[Browser] = []

        def get() -> Browser:
            if not launched:
                if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
                    pytest.fail(
                        f"Chromium is not installed at {CHROMIUM}. Install Debian's package "
                        "(`apt-get install chromium`); the browser tests never download "
                        "a browser.",
                        pytrace=False,
                    )
                playwright = stack.enter_context(sync_playwright())
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
                stack.callback(browser.close)
                launched.append(browser)
            return launched[0]

        yield get


@pytest.fixture
def new_page(chromium: Callable[[], Browser]) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh browser context: one context per person, no shared cookies."""
    contexts: list[BrowserContext] = []

    def make(**context_options: Any) -> Page:
        context = chromium().new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def results_dir(pytestconfig: pytest.Config) -> Path:
    """Where screenshots go (gitignored)."""
    path = pytestconfig.rootpath / "test-results"
    path.mkdir(exist_ok=True)
    return path


# The ASGI live server -------------------------------------------------------------------

HOST = "127.0.0.1"


@contextmanager
def _in_memory_sqlite_shared_by_every_thread() -> Iterator[None]:
    """On in-memory SQLite, this thread's connection serves every thread while it lasts.

    The test database is then an in-memory database in SQLite's shared-cache mode, where a
    second connection waits for no lock: a read beside another thread's write fails at once
    ("database table is locked"). Django's LiveServerThread therefore hands its one
    connection to each request thread. An ASGI server runs synchronous code (views, the
    consumers' database calls) in threads that asgiref creates, where no such hand-over can
    be placed, so for the duration the connection handler's per-thread storage is replaced
    by one that every thread shares. PostgreSQL needs none of this: each thread connects to
    the test database and sees what the test committed.
    """
    shared = [c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()]
    if not shared:
        yield
        return
    per_thread = connections._connections
    connections._connections = types.SimpleNamespace(**{c.alias: c for c in connections.all()})
    for conn in shared:
        conn.inc_thread_sharing()
    try:
        yield
    finally:
        for conn in shared:
            conn.dec_thread_sharing()
        connections._connections = per_thread


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class LiveAsgiServer:
    """`townsquare.asgi.application` served by granian (production's ASGI server) in a
    thread of the test process: pages, static files (from the finders, as `live_server`
    serves them) and the websocket at /ws/live/.

    In-process, so the server sees the test's database (see above) and shares the
    in-memory channel layer and the graph engine with the test.
    """

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None
        self._thread = threading.Thread(target=self._run, name="live-asgi-server", daemon=True)

    def _run(self) -> None:
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from granian.constants import Interfaces
        from granian.log import LogLevels
        from granian.server.embed import Server

        from townsquare.asgi import application

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            self._server = Server(
                ASGIStaticFilesHandler(application),
                address=HOST,
                port=self.port,
                interface=Interfaces.ASGI,
                websockets=True,
                log_level=LogLevels.error,
                # Granian's own log goes to the root logger, where pytest shows it on failure.
                log_dictconfig={"loggers": {"_granian": {"handlers": [], "propagate": True}}},
            )
            self._loop = loop
            loop.run_until_complete(self._server.serve())
        except BaseException as error:  # reported by start() or stop(), in the test
            self.error = error
        finally:
            # Connections the consumers' database thread opened (PostgreSQL) must not
            # outlive the test database; pages close theirs at the end of each request.
            loop.run_until_complete(sync_to_async(connections.close_all)())
            loop.close()

    def start(self, timeout: float = 30.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310 (our own loopback URL)
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.error is not None or not self._thread.is_alive():
                raise RuntimeError("The ASGI live server did not start") from self.error
            if time.monotonic() > deadline:
                raise TimeoutError(f"The ASGI live server did not answer within {timeout} s")
            time.sleep(0.05)

    def stop(self, timeout: float = 20.0) -> None:
        if self._loop is not None and self._server is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._server.stop)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"The ASGI live server did not stop within {timeout} s")
        if self.error is not None:
            raise self.error


@pytest.fixture
def live_asgi_server(transactional_db: None, settings: Any) -> Iterator[LiveAsgiServer]:
    """A live server with websockets (`live_server` is WSGI only), for the test's lifetime.

    Needs committed data (`transactional_db`). The channel layer is a fresh one for the
    test (groups of earlier tests' sockets are gone, and this test's go with it); on Redis
    it also gets a prefix of this process's own, so that parallel runs sharing one Redis do
    not hear each other's events.
    """
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "channels_redis" in layers["default"]["BACKEND"]:
        layers["default"].setdefault("CONFIG", {})["prefix"] = f"townsquare-test-{os.getpid()}"
    settings.CHANNEL_LAYERS = layers  # Channels drops its layers when this setting changes.
    with _in_memory_sqlite_shared_by_every_thread():
        server = LiveAsgiServer()
        try:
            server.start()
            yield server
        finally:
            server.stop()
