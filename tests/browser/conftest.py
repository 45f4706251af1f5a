"""Playwright driving Debian's Chromium (never a downloaded browser) against the live server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
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


@pytest.fixture(scope="session")
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
