"""Applying to join creates the applicant's account; the emailed link verifies the address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.members.dbstate import members_state
from tests.members.mailbox import SmtpSink, body_of, link_path_in
from townsquare.members.models import Application, User

APPLY = "/apply/"


def application_form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Ada Applicant",
        "email": "ada@example.org",
        "password": "a long and unusual passphrase",
        "time_zone": "Europe/Lisbon",
        "headline": "Data engineer, pipelines and warehouses",
        "skills": "Python, reactjs, Airflow",
        "why": "I build data platforms and want to meet people who do the same.",
        "referral_code": "",
    }
    data.update(overrides)
    return data


def test_applying_creates_an_applicant_who_is_signed_in_and_sees_waiting_for_review(
    db: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, application_form())

    assert response.status_code == 302
    assert response["Location"] == "/application/"
    ada = User.objects.get(email="ada@example.org")
    assert ada.is_applicant
    assert ada.time_zone == "Europe/Lisbon"
    assert ada.application.status == Application.Status.SUBMITTED
    assert ada.profile.headline == "Data engineer, pipelines and warehouses"
    assert {ps.skill.name for ps in ada.profile.skills.select_related("skill")} == {
        "Python",
        "React",
        "Apache Airflow",
    }
    page = client.get("/application/")
    assert page.status_code == 200
    assert page.wsgi_request.user == ada
    assert "Waiting for review" in page.content.decode()
    assert "Please verify your email address" in page.content.decode()


def test_the_verification_email_arrives_over_smtp_and_its_link_verifies_the_address(
    db: Any, smtp_server: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, application_form())

    [message] = smtp_server.to("ada@example.org")
    assert message["Subject"] == "Verify your email for Townsquare"
    assert "Hello Ada Applicant" in body_of(message)
    path = link_path_in(body_of(message))
    assert path.startswith("/accounts/verify/")
    assert User.objects.get(email="ada@example.org").email_verified_at is None

    response = client.get(path, follow=True)

    assert response.status_code == 200
    assert User.objects.get(email="ada@example.org").email_verified_at is not None
    page = response.content.decode()
    assert "your email address is verified" in page
    assert "Please verify your email address" not in page


def test_the_verification_link_works_without_being_signed_in(
    db: Any, smtp_server: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(APPLY, application_form())
    [message] = smtp_server.to("ada@example.org")

    response = Client().get(link_path_in(body_of(message)))

    assert response.status_code == 302
    assert User.objects.get(email="ada@example.org").email_verified_at is not None


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="signature"),
        pytest.param(lambda token: "999" + token[token.index(":") :], id="user-id"),
        pytest.param(lambda token: "not-a-token", id="garbage"),
    ],
)
def test_a_tampered_verification_token_shows_a_400_page_and_verifies_nobody(
    db: Any,
    smtp_server: SmtpSink,
    django_capture_on_commit_callbacks: Callable[..., Any],
    tamper: Callable[[str], str],
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, application_form())
    [message] = smtp_server.to("ada@example.org")
    token = link_path_in(body_of(message)).removeprefix("/accounts/verify/").strip("/")

    response = client.get(f"/accounts/verify/{tamper(token)}/")

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert User.objects.get(email="ada@example.org").email_verified_at is None


def test_a_verification_link_for_a_changed_address_no_longer_verifies(
    db: Any, smtp_server: SmtpSink, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, application_form())
    [message] = smtp_server.to("ada@example.org")
    User.objects.filter(email="ada@example.org").update(email="ada@elsewhere.example")

    response = client.get(link_path_in(body_of(message)))

    assert response.status_code == 400
    assert User.objects.get(email="ada@elsewhere.example").email_verified_at is None


def test_applying_with_an_address_that_has_an_account_is_a_field_error_and_creates_nothing(
    alice: User,
) -> None:
    before = members_state()

    response = Client().post(APPLY, application_form(email="Alice@Example.com"))

    assert response.status_code == 200
    assert "An account with this email exists" in response.context["form"].errors["email"][0]
    assert "An account with this email exists" in response.content.decode()
    assert members_state() == before


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("short1", id="too-short"),
        pytest.param("password123", id="common"),
        pytest.param("83759182736", id="numeric"),
        pytest.param("ada@example.org", id="like-the-email"),
    ],
)
def test_a_weak_password_is_a_field_error_and_creates_nothing(db: Any, password: str) -> None:
    before = members_state()

    response = Client().post(APPLY, application_form(password=password))

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert members_state() == before
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "field", ["name", "email", "password", "time_zone", "headline", "skills", "why"]
)
def test_posting_the_application_without_a_required_field_creates_no_user(
    db: Any, field: str
) -> None:
    data = application_form()
    del data[field]
    before = members_state()

    response = Client().post(APPLY, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert members_state() == before
    assert not User.objects.filter(email="ada@example.org").exists()
