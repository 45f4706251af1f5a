"""Fixtures for the members tests: the shipped skill taxonomy (the SMTP server is in tests/conftest.py).

Mail is sent after commit (`transaction.on_commit`); a test wrapped in a transaction never
commits, so tests that expect mail run the request inside
`django_capture_on_commit_callbacks(execute=True)`, which runs those callbacks for real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from townsquare.skills.services import load_taxonomy, read_shipped_taxonomy


@pytest.fixture(autouse=True)
def taxonomy(db: Any, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    """Loads the shipped taxonomy first, so the cast's skills are canonical ones.

    Running its on-commit callback moves the skills matcher's version, so the matcher is
    rebuilt from this test's skills rather than kept from an earlier test.
    """
    with django_capture_on_commit_callbacks(execute=True):
        load_taxonomy(read_shipped_taxonomy())
