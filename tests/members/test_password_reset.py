"""Forgotten passwords: a link by email over SMTP, a new password, and no account enumeration."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import PASSWORD
from tests.members.mailbox import SmtpSink, body_of, link_path_in
from townsquare.members import services
from townsquare.members.models import Role, User

RESET = "/accounts/password-reset/"
NEW_PASSWORD = "a brand new and rather long passphrase"


def sign_in(email: str, password: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"email": email, "password": password})
    return client


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def choose_new_password(link_path: str, password: str) -> Any:
    client = Client()
    # The link redirects to a URL without the token, so the token never sits in a Referer.
    form_page = client.get(link_path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_path = form_page.redirect_chain[-1][0]
    return client.post(
        set_password_path, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_the_reset_link_arrives_over_smtp_and_sets_a_new_password(
    alice: User, smtp_server: SmtpSink
) -> None:
    response = Client().post(RESET, {"email": "alice@example.com"}, follow=True)

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    [message] = smtp_server.to("alice@example.com")
    assert message["Subject"] == "Reset your password for Townsquare"
    path = link_path_in(body_of(message))
    assert path.startswith("/accounts/reset/")

    done = choose_new_password(path, NEW_PASSWORD)

    assert "Password saved" in done.content.decode()
    assert is_signed_in(sign_in("alice@example.com", NEW_PASSWORD))
    assert not is_signed_in(sign_in("alice@example.com", PASSWORD))


def test_a_reset_link_works_only_once(alice: User, smtp_server: SmtpSink) -> None:
    Client().post(RESET, {"email": "alice@example.com"})
    [message] = smtp_server.to("alice@example.com")
    path = link_path_in(body_of(message))
    choose_new_password(path, NEW_PASSWORD)

    second = Client().get(path, follow=True)

    assert not second.context["validlink"]
    assert "This link is no longer valid" in second.content.decode()


def test_an_unknown_address_sees_the_same_check_your_email_page_and_nothing_is_sent(
    alice: User, smtp_server: SmtpSink
) -> None:
    known = Client().post(RESET, {"email": "alice@example.com"}, follow=True)
    unknown = Client().post(RESET, {"email": "nobody@example.com"}, follow=True)

    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert "Check your email" in unknown.content.decode()
    assert unknown.content == known.content
    assert smtp_server.to("nobody@example.com") == []
    assert len(smtp_server.messages) == 1


def test_a_member_who_never_had_a_password_chooses_one_through_reset(
    db: Any, smtp_server: SmtpSink
) -> None:
    # Members moved in by import have no usable password until they reset it.
    moved = services.create_account(email="moved@example.com", name="Moe Moved", role=Role.MEMBER)
    assert not moved.has_usable_password()

    Client().post(RESET, {"email": "moved@example.com"})

    [message] = smtp_server.to("moved@example.com")
    choose_new_password(link_path_in(body_of(message)), NEW_PASSWORD)
    assert is_signed_in(sign_in("moved@example.com", NEW_PASSWORD))


def test_a_deactivated_account_gets_no_reset_link(alice: User, smtp_server: SmtpSink) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)

    response = Client().post(RESET, {"email": "alice@example.com"}, follow=True)

    assert "Check your email" in response.content.decode()
    assert smtp_server.messages == []
