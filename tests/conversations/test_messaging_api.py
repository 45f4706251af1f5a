"""The conversations API: list, start, history and resync, send, read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from townsquare.api.services import issue_token
from townsquare.conversations import services
from townsquare.fabric.models import Block
from townsquare.members.models import MessagePolicy, Profile, User

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user: User) -> None:
        _token, secret = issue_token(user, "tests")
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data=data, **self.headers)

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(path, data=data, content_type="application/json", **self.headers)


@pytest.fixture
def api() -> Callable[[User], Api]:
    return Api


def test_start_send_list_and_read(alice: User, bob: User, api: Callable[[User], Api]) -> None:
    created = api(alice).post("/api/v1/conversations", {"with": [bob.pk]})
    assert created.status_code == 201, created.json()
    conversation_id = created.json()["id"]
    assert created.json()["kind"] == "direct"
    assert created.json()["participants"] == [{"id": bob.pk, "name": "Bob Baker", "role": "member"}]
    again = api(bob).post("/api/v1/conversations", {"with": [alice.pk]})
    assert again.status_code == 200 and again.json()["id"] == conversation_id

    sent = api(alice).post(
        f"/api/v1/conversations/{conversation_id}/messages", {"body": "Hi *Bob*"}
    )
    assert sent.status_code == 201
    message = sent.json()
    assert message["body_html"] == "<p>Hi <em>Bob</em></p>\n" and message["sender"] == alice.pk

    listed = api(bob).get("/api/v1/conversations").json()
    assert listed["unread_total"] == 1
    assert listed["results"][0]["unread"] == 1
    assert listed["results"][0]["last_message"]["id"] == message["id"]

    read = api(bob).post(f"/api/v1/conversations/{conversation_id}/read", {"up_to": message["id"]})
    assert read.json() == {
        "conversation": conversation_id,
        "last_read_id": message["id"],
        "unread_total": 0,
    }


def test_history_and_resync_by_id(
    alice: User, bob: User, api: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SEND_LIMIT", 1000)
    conversation, _ = services.start_direct_conversation(alice, bob)
    ids = [services.send_message(alice, conversation, f"n{i}").pk for i in range(12)]
    url = f"/api/v1/conversations/{conversation.pk}/messages"
    latest = api(bob).get(url, {"limit": 5}).json()
    assert [m["id"] for m in latest["results"]] == ids[7:] and latest["has_older"]
    older = api(bob).get(url, {"limit": 5, "before": ids[7]}).json()
    assert [m["id"] for m in older["results"]] == ids[2:7]
    received, after = [], ids[3]
    while True:
        page = api(bob).get(url, {"limit": 3, "after": after}).json()
        received += [m["id"] for m in page["results"]]
        if not page["has_newer"]:
            break
        after = received[-1]
    assert received == ids[4:]


def test_a_group_with_a_title(
    alice: User, bob: User, mona: User, api: Callable[[User], Api]
) -> None:
    response = api(mona).post(
        "/api/v1/conversations", {"with": [alice.pk, bob.pk], "title": "Welcome"}
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "group" and response.json()["title"] == "Welcome"


def test_refusals_are_400_with_the_reason(
    alice: User, make_member: Callable[..., User], api: Callable[[User], Api]
) -> None:
    olga = make_member(name="Olga Other")
    response = api(olga).post("/api/v1/conversations", {"with": [alice.pk]})
    assert response.status_code == 400
    assert "connections only" in response.json()["errors"]["with"][0]


def test_someone_you_cannot_see_is_404(
    alice: User, hidden_profile: User, api: Callable[[User], Api]
) -> None:
    assert (
        api(alice).post("/api/v1/conversations", {"with": [hidden_profile.pk]}).status_code == 404
    )
    assert api(alice).post("/api/v1/conversations", {"with": [987654]}).status_code == 404


def test_a_foreign_conversation_is_404_everywhere(
    alice: User, bob: User, mona: User, api: Callable[[User], Api]
) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    base = f"/api/v1/conversations/{conversation.pk}"
    assert api(mona).get(f"{base}/messages").status_code == 404
    assert api(mona).post(f"{base}/messages", {"body": "hi"}).status_code == 404
    assert api(mona).post(f"{base}/read", {"up_to": 1}).status_code == 404


def test_blocked_sending_is_400(alice: User, bob: User, api: Callable[[User], Api]) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    Block.objects.create(blocker=bob, blocked=alice)
    response = api(alice).post(f"/api/v1/conversations/{conversation.pk}/messages", {"body": "hi"})
    assert response.status_code == 400


def test_sending_too_fast_is_429_with_retry_after(
    alice: User, bob: User, api: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SEND_LIMIT", 2)
    conversation, _ = services.start_direct_conversation(alice, bob)
    client = api(alice)
    url = f"/api/v1/conversations/{conversation.pk}/messages"
    assert [client.post(url, {"body": f"m{i}"}).status_code for i in range(3)] == [201, 201, 429]
    refused = client.post(url, {"body": "again"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_applicants_get_403(eve: User, alice: User, api: Callable[[User], Api]) -> None:
    Profile.objects.filter(user=alice).update(message_policy=MessagePolicy.MEMBERS)
    assert api(eve).get("/api/v1/conversations").status_code == 403
    assert api(eve).post("/api/v1/conversations", {"with": [alice.pk]}).status_code == 403


def test_input_is_validated(alice: User, bob: User, api: Callable[[User], Api]) -> None:
    conversation, _ = services.start_direct_conversation(alice, bob)
    assert api(alice).post("/api/v1/conversations", {"with": []}).status_code == 422
    response = api(alice).post(f"/api/v1/conversations/{conversation.pk}/messages", {"body": ""})
    assert response.status_code == 422 and "body" in response.json()["errors"]
    response = api(alice).post(
        f"/api/v1/conversations/{conversation.pk}/messages", {"body": "x" * (services.MAX_BODY + 1)}
    )
    assert response.status_code == 422
