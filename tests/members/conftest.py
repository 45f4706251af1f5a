"""Fixtures for the members tests: the shipped skill taxonomy, a real SMTP server, mail helpers.

Mail is sent after commit (`transaction.on_commit`); a test wrapped in a transaction never
commits, so tests that expect mail run the request inside
`django_capture_on_commit_callbacks(execute=True)`, which runs those callbacks for real.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.members.mailbox import SmtpSink
from townsquare.skills.services import load_taxonomy, read_shipped_taxonomy


@pytest.fixture(autouse=True)
def taxonomy(db: Any, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    """Loads the shipped taxonomy first, so the cast's skills are canonical ones.

    Running its on-commit callback moves the skills matcher's version, so the matcher is
    rebuilt from this test's skills rather than kept from an earlier test.
    """
    with django_capture_on_commit_callbacks(execute=True):
        load_taxonomy(read_shipped_taxonomy())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpSink]:
    """A real SMTP server on loopback, and Django configured to send through it."""
    sink = SmtpSink(host="127.0.0.1", port=_free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield sink
    finally:
        controller.stop()
