"""The fixed cast (CONVENTIONS.md) and keyword-only factories every test builds on.

alice  an admitted member          bob    alice's connection (member)
carol  a client                    mona   the community manager
adam   an admin                    eve    an applicant with no access yet
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from tests.members.mailbox import SmtpSink
from townsquare.fabric.models import Connection
from townsquare.members import services
from townsquare.members.models import Role, User, Visibility
from townsquare.skills.services import resolve_skill

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate-limit counters and the skills matcher version live in the cache. On Redis,
    # clear() would FLUSHDB the whole database, other test runs' keys and channel-layer
    # subscriptions included: delete only this run's prefix there.
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture
def make_member(db: Any) -> Callable[..., User]:
    def make(
        *,
        name: str,
        email: str | None = None,
        skills: tuple[str, ...] = (),
        headline: str = "",
        admitted: bool = True,
        rate: str | None = None,
        currency: str = "USD",
        hours: int = 20,
        time_zone: str = "Europe/Berlin",
        **profile_fields: Any,
    ) -> User:
        email = email or f"{name.split()[0].lower()}@example.com"
        if admitted:
            user = services.create_account(
                email=email, name=name, role=Role.MEMBER, password=PASSWORD, time_zone=time_zone
            )
        else:
            user = services.register_applicant(
                email=email, name=name, password=PASSWORD, time_zone=time_zone
            )
        entries = [services.SkillEntry(skill=resolve_skill(s), level=3, years=4) for s in skills]
        services.update_profile(
            user,
            user.profile,
            headline=headline,
            skills=entries,
            hourly_rate=Decimal(rate) if rate else None,
            currency=currency,
            available_hours=hours,
            **profile_fields,
        )
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def alice(make_member: Callable[..., User]) -> User:
    return make_member(
        name="Alice Archer", skills=("Python", "Django", "PostgreSQL"),
        headline="Backend engineer for marketplaces", rate="95", currency="EUR",
    )  # fmt: skip


@pytest.fixture
def bob(make_member: Callable[..., User], alice: User) -> User:
    user = make_member(
        name="Bob Baker", skills=("React", "TypeScript"), headline="Frontend developer",
        rate="80", time_zone="America/New_York",
    )  # fmt: skip
    low, high = sorted((alice.pk, user.pk))
    Connection.objects.create(member_a_id=low, member_b_id=high)
    return user


@pytest.fixture
def carol(db: Any) -> User:
    return services.create_account(
        email="carol@client.example", name="Carol Client", role=Role.CLIENT, password=PASSWORD
    )


@pytest.fixture
def mona(db: Any) -> User:
    return services.create_account(
        email="mona@example.com", name="Mona Manager", role=Role.MANAGER, password=PASSWORD
    )


@pytest.fixture
def adam(db: Any) -> User:
    return services.create_account(
        email="adam@example.com", name="Adam Admin", role=Role.ADMIN, password=PASSWORD
    )


@pytest.fixture
def eve(make_member: Callable[..., User]) -> User:
    user = make_member(name="Eve Early", admitted=False, skills=("Figma",), headline="Designer")
    services.submit_application(user, why="I design products and want to meet other designers.")
    return user


@pytest.fixture
def login() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def hidden_profile(make_member: Callable[..., User]) -> User:
    return make_member(name="Hugo Hidden", skills=("Rust",), profile_visibility=Visibility.ONLY_ME)


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
