"""Admission: the review queue, decisions with reasons, the waitlist, referrals and invitations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.members.dbstate import members_state
from tests.members.mailbox import link_path_in
from townsquare.members import services
from townsquare.members.models import Application, Invitation, User
from townsquare.pulse.models import AuditEntry

QUEUE = "/manage/applications/"
REASON = "Your portfolio is strong and we have design work waiting."


def review_path(application: Application) -> str:
    return f"{QUEUE}{application.pk}/"


def decide(
    client: Client,
    application: Application,
    capture: Callable[..., Any],
    *,
    decision: str,
    reason: str = REASON,
) -> Any:
    with capture(execute=True):
        return client.post(review_path(application), {"decision": decision, "reason": reason})


def applicant(make_member: Callable[..., User], name: str) -> User:
    user = make_member(name=name, admitted=False, headline="Designer")
    services.submit_application(user, why="I would like to meet other designers here.")
    return user


def application_page(client: Client) -> str:
    response = client.get("/application/")
    assert response.status_code == 200
    return response.content.decode()


def apply_form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Ray Referred",
        "email": "ray@example.org",
        "password": "a long and unusual passphrase",
        "time_zone": "UTC",
        "headline": "Mobile developer",
        "skills": "Swift, Kotlin",
        "why": "A friend told me this community is worth my time.",
        "referral_code": "",
    }
    data.update(overrides)
    return data


# The queue -------------------------------------------------------------------------------


def test_the_review_queue_lists_submitted_applications_for_managers(
    eve: User, mona: User, make_member: Callable[..., User], login: Callable[[User], Client]
) -> None:
    walt = applicant(make_member, "Walt Waiting")
    services.decide_application(
        mona, walt.application, decision="waitlist", reason="Design is oversupplied."
    )

    response = login(mona).get(QUEUE)

    assert response.status_code == 200
    assert [a.user.name for a in response.context["queue"]] == ["Eve Early"]
    assert "Eve Early" in response.content.decode()
    waitlisted = login(mona).get(QUEUE, {"status": "waitlisted"})
    assert [a.user.name for a in waitlisted.context["queue"]] == ["Walt Waiting"]


@pytest.mark.parametrize("who", ["alice", "carol", "eve"])
def test_the_review_queue_and_applications_are_not_found_by_anyone_but_managers(
    request: pytest.FixtureRequest, eve: User, login: Callable[[User], Client], who: str
) -> None:
    client = login(request.getfixturevalue(who))

    assert client.get(QUEUE).status_code == 404
    assert client.get(review_path(eve.application)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_for_the_queue(eve: User) -> None:
    response = Client().get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_cannot_decide_an_application(
    eve: User, alice: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = login(alice)
    before = members_state()

    response = decide(
        client, eve.application, django_capture_on_commit_callbacks, decision="approve"
    )

    assert response.status_code == 404
    assert members_state() == before


# Decisions -------------------------------------------------------------------------------


def test_approving_admits_the_applicant_who_sees_the_reason_and_gets_an_email(
    eve: User, mona: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    response = decide(
        login(mona), eve.application, django_capture_on_commit_callbacks, decision="approve"
    )

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    eve.refresh_from_db()
    assert eve.is_admitted
    application = eve.application
    assert application.status == Application.Status.APPROVED
    assert application.decided_by == mona

    eve_client = login(eve)
    page = application_page(eve_client)
    assert "Approved" in page
    assert REASON in page
    assert eve_client.get("/members/").status_code == 200

    [message] = mail.outbox
    assert message.to == ["eve@example.com"]
    assert message.subject == "Your Townsquare application: Approved"
    assert REASON in message.body
    assert link_path_in(message.body) == "/application/"

    [entry] = AuditEntry.objects.filter(action="application.approve")
    assert entry.actor == mona
    assert entry.reason == REASON
    assert (entry.target_type, entry.target_id) == ("members.application", application.pk)
    assert entry.ip == "127.0.0.1"


def test_waitlisting_tells_each_applicant_their_place_in_line(
    eve: User,
    mona: User,
    make_member: Callable[..., User],
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    walt = applicant(make_member, "Walt Waiting")
    manager = login(mona)

    decide(manager, eve.application, django_capture_on_commit_callbacks, decision="waitlist")
    decide(manager, walt.application, django_capture_on_commit_callbacks, decision="waitlist")

    eve_page = application_page(login(eve))
    walt_page = application_page(login(walt))
    assert "Waitlisted" in eve_page
    assert REASON in eve_page
    assert "You are number 1 on the waitlist." in eve_page
    assert "You are number 2 on the waitlist." in walt_page
    eve.refresh_from_db()
    assert not eve.is_admitted
    assert login(eve).get("/members/")["Location"] == "/application/"
    assert [m.to for m in mail.outbox] == [["eve@example.com"], ["walt@example.com"]]
    assert "Your application is on our waitlist." in mail.outbox[0].body


def test_admitting_from_the_waitlist_moves_the_next_person_up(
    eve: User,
    mona: User,
    make_member: Callable[..., User],
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    walt = applicant(make_member, "Walt Waiting")
    manager = login(mona)
    decide(manager, eve.application, django_capture_on_commit_callbacks, decision="waitlist")
    decide(manager, walt.application, django_capture_on_commit_callbacks, decision="waitlist")

    response = decide(
        manager, eve.application, django_capture_on_commit_callbacks, decision="approve"
    )

    assert response.status_code == 302
    assert "You are number 1 on the waitlist." in application_page(login(walt))


def test_declining_tells_the_applicant_why_and_does_not_admit_them(
    eve: User, mona: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    reason = "We are not admitting more designers this quarter."

    decide(
        login(mona),
        eve.application,
        django_capture_on_commit_callbacks,
        decision="decline",
        reason=reason,
    )

    eve.refresh_from_db()
    assert not eve.is_admitted
    page = application_page(login(eve))
    assert "Declined" in page
    assert reason in page
    assert "We are not able to admit you at this time." in mail.outbox[0].body
    assert AuditEntry.objects.get(action="application.decline").reason == reason


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decision_without_a_reason_is_a_field_error_and_changes_nothing(
    eve: User,
    mona: User,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
    reason: str,
) -> None:
    client = login(mona)
    before = members_state()

    response = decide(
        client, eve.application, django_capture_on_commit_callbacks, decision="approve",
        reason=reason,
    )  # fmt: skip

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert members_state() == before
    assert mail.outbox == []


def test_an_unknown_decision_is_a_field_error(
    eve: User, mona: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = login(mona)
    before = members_state()

    response = decide(client, eve.application, django_capture_on_commit_callbacks, decision="ban")

    assert response.status_code == 400
    assert response.context["form"].errors["decision"]
    assert members_state() == before


def test_deciding_an_already_approved_application_is_refused_with_an_error(
    eve: User,
    mona: User,
    adam: User,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    decide(login(mona), eve.application, django_capture_on_commit_callbacks, decision="approve")
    second_manager = login(adam)
    before = members_state()
    mail.outbox.clear()

    response = decide(
        second_manager, eve.application, django_capture_on_commit_callbacks, decision="decline"
    )

    assert response.status_code == 400
    assert "This application has already been decided." in response.content.decode()
    assert members_state() == before
    assert mail.outbox == []
    eve.application.refresh_from_db()
    assert eve.application.status == Application.Status.APPROVED


# Referrals and invitations ---------------------------------------------------------------


def test_the_referral_link_prefills_the_code_and_records_who_referred(
    alice: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    form_page = client.get(f"/apply/?ref={alice.referral_code}")
    assert f'value="{alice.referral_code}"' in form_page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/", apply_form(referral_code=alice.referral_code))

    assert response.status_code == 302
    ray = User.objects.get(email="ray@example.org")
    assert ray.application.referred_by == alice
    assert "Alice Archer" in application_page(client)
    assert "Ray Referred" in login(alice).get("/invite/").content.decode()


@pytest.mark.parametrize("code", ["nosuchcode", "carolscode"])
def test_an_invalid_referral_code_is_a_field_error_and_creates_nothing(
    carol: User, code: str
) -> None:
    # A client's code is not a member's: only admitted members refer.
    User.objects.filter(pk=carol.pk).update(referral_code="carolscode")
    before = members_state()

    response = Client().post("/apply/", apply_form(referral_code=code))

    assert response.status_code == 200
    assert response.context["form"].errors["referral_code"] == ["This referral code is not valid."]
    assert members_state() == before
    assert not response.wsgi_request.user.is_authenticated


def test_an_invitation_email_carries_the_members_referral_link(
    alice: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login(alice).post(
            "/invite/", {"email": "Ray@Example.org", "note": "Come and join us!"}
        )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["ray@example.org"]
    assert message.subject == "Alice Archer invites you to Townsquare"
    assert "Come and join us!" in message.body
    link = next(w for w in message.body.split() if w.startswith("http"))
    assert link.endswith(f"/apply/?ref={alice.referral_code}")

    client = Client()
    path = link[link.index("/apply/") :]
    assert f'value="{alice.referral_code}"' in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/apply/", apply_form(referral_code=alice.referral_code))
    invitation = Invitation.objects.get(inviter=alice, email="ray@example.org")
    assert invitation.application == User.objects.get(email="ray@example.org").application
    assert "Waiting for review" in login(alice).get("/invite/").content.decode()


def test_inviting_someone_who_has_an_account_is_a_field_error(
    alice: User, bob: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/invite/", {"email": "bob@example.com"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert mail.outbox == []
    assert not Invitation.objects.exists()


# The audit log ---------------------------------------------------------------------------


def test_audit_entries_cannot_be_changed_or_deleted(
    eve: User, mona: User, login: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    decide(login(mona), eve.application, django_capture_on_commit_callbacks, decision="approve")
    entry = AuditEntry.objects.get(action="application.approve")

    entry.reason = "Rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.reason == REASON
    assert stored.actor == mona
