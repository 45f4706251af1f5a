"""Helpers for the Square, group, notification and digest tests: places, threads, API calls.

Plain functions rather than fixtures, so each test says what it builds.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from townsquare.api.services import issue_token
from townsquare.conversations import groups, square_services
from townsquare.conversations.models import Group, Thread, Topic
from townsquare.members.models import User


def make_topic(manager: User, name: str = "General", **fields: Any) -> Topic:
    return square_services.create_topic(manager, name=name, **fields)


def make_thread(
    author: User, place: Topic | Group, title: str = "Hello", body: str = "First post"
) -> Thread:
    if isinstance(place, Topic):
        return square_services.start_thread(author, topic=place, title=title, body=body)
    return square_services.start_thread(author, group=place, title=title, body=body)


def make_group(
    owner: User,
    name: str = "Pythonistas",
    access: str = Group.Access.OPEN,
    members: tuple[User, ...] = (),
) -> Group:
    group = groups.create_group(owner, name=name, access=access)
    for member in members:
        if group.is_open:
            groups.join_group(member, group)
        else:
            invitation = groups.invite_to_group(owner, group, member)
            groups.respond_to_invitation(member, invitation, accept=True)
    return group


class Api:
    """Calls the API as one user with a fresh personal token (or anonymously)."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, secret = issue_token(user, "tests")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data=data, **self.headers)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(
            path, data=data or {}, content_type="application/json", **self.headers
        )

    def patch(self, path: str, data: Any = None) -> Any:
        return self.client.patch(
            path, data=data or {}, content_type="application/json", **self.headers
        )
