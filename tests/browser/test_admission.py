"""Admission end to end in a real browser: apply, be approved, complete the profile, be found."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.conftest import PASSWORD
from townsquare.members.models import User

APPLICANT_NAME = "Nora Newcomer"
APPLICANT_EMAIL = "nora@example.org"
APPLICANT_PASSWORD = "plum-orchard-47-lantern"
REASON = "Welcome! React and Kubernetes people are in demand right now."
PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, base_url: str, email: str, password: str, *, path: str = "") -> None:
    """Signs in through the login page (or through `path`, which sends a visitor there)."""
    page.goto(base_url + (path or "/accounts/login/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.browser
def test_applicant_is_approved_completes_profile_and_is_found_by_skill(
    live_server: LiveServer,
    new_page: Callable[..., Page],
    results_dir: Path,
    mona: User,
    alice: User,
) -> None:
    base = live_server.url

    # 1. An applicant opens the application form, fills it in and sends it.
    applicant = new_page()
    applicant.goto(base + "/apply/")
    expect(applicant.get_by_role("heading", name="Apply to join")).to_be_visible()
    applicant.get_by_label("Your name").fill(APPLICANT_NAME)
    applicant.get_by_label("Email").fill(APPLICANT_EMAIL)
    applicant.get_by_label("Password").fill(APPLICANT_PASSWORD)
    applicant.get_by_label("Time zone").select_option("Europe/Lisbon")
    applicant.get_by_label("Headline").fill("Frontend and platform engineer")
    applicant.get_by_label("Skills").fill("reactjs, k8s")
    applicant.get_by_label("Why do you want to join?").fill(
        "I build React front ends and run them on Kubernetes; I want to meet peers."
    )
    expect(applicant.get_by_label("Referral code")).to_have_value("")
    applicant.get_by_role("button", name="Send my application").click()

    expect(applicant).to_have_url(re.compile(r"/application/$"))
    expect(applicant.get_by_text("Thank you for applying")).to_be_visible()
    expect(applicant.locator("#application-status")).to_have_text("Waiting for review")

    # 2. Mona, a community manager, signs in and approves the application with a reason.
    manager = new_page()
    sign_in(manager, base, mona.email, PASSWORD)
    manager.get_by_role("link", name="Admission", exact=True).click()
    expect(manager.get_by_role("heading", name="Admission queue")).to_be_visible()
    manager.get_by_role("link", name=APPLICANT_NAME).click()
    expect(manager.get_by_role("heading", name=APPLICANT_NAME, level=1)).to_be_visible()
    # The free text "reactjs, k8s" was matched to the community's canonical skills.
    facts = manager.locator(".facts")
    expect(facts).to_contain_text("React")
    expect(facts).to_contain_text("Kubernetes")
    expect(facts).not_to_contain_text("pending")
    manager.get_by_label("Approve").check()
    manager.get_by_label("Reason").fill(REASON)
    manager.get_by_role("button", name="Record decision").click()
    expect(manager.get_by_text("Decision recorded; the applicant has been told.")).to_be_visible()
    expect(manager.get_by_role("link", name=APPLICANT_NAME)).to_have_count(0)

    # 3. The applicant follows the link in the decision email, signs in again in a fresh
    #    browser, and sees the decision and its reason.
    decided = [m for m in mail.outbox if m.to == [APPLICANT_EMAIL] and "Approved" in m.subject]
    assert len(decided) == 1
    link = re.search(r"https?://\S+/application/", decided[0].body)
    assert link is not None
    member = new_page()
    sign_in(member, base, APPLICANT_EMAIL, APPLICANT_PASSWORD, path=urlsplit(link[0]).path)
    expect(member).to_have_url(re.compile(r"/application/$"))
    expect(member.locator("#application-status")).to_have_text("Approved")
    expect(member.locator("#application-reason")).to_have_text(REASON)

    # 4. The new member completes the profile: one more skill in an empty row, and a rate.
    member.get_by_role("link", name="Complete your profile").click()
    expect(member.get_by_role("heading", name="Edit your profile")).to_be_visible()
    skill_names = member.locator("input[name^='skills-'][name$='-name']")
    # The draft's skills come first, in the page's order (level, years, then name).
    expect(skill_names.nth(0)).to_have_value("Kubernetes")
    expect(skill_names.nth(1)).to_have_value("React")
    skill_names.and_(member.locator(":not([value])")).first.fill("Django")
    member.get_by_label("Hourly rate").fill("120")
    member.get_by_label("Currency").select_option("EUR")
    member.get_by_role("button", name="Save profile").click()
    expect(member.get_by_text("Your profile is saved.")).to_be_visible()
    expect(member.get_by_role("heading", name=APPLICANT_NAME, level=1)).to_be_visible()
    skills = member.locator(".skills .skill > span")
    expect(skills).to_have_count(3)
    # Skills of equal level and years come in no fixed order.
    assert sorted(skills.all_inner_texts()) == ["Django", "Kubernetes", "React"]
    expect(member.locator(".facts")).to_contain_text("120 EUR / hour")

    # 5. Alice, an admitted member, searches the directory by a spelling variant of React
    #    and finds the new member.
    finder = new_page()
    sign_in(finder, base, alice.email, PASSWORD)
    finder.get_by_role("link", name="Directory").click()
    expect(finder.get_by_role("heading", name="Directory")).to_be_visible()
    finder.get_by_role("search").get_by_label("Skill").fill("react.js")
    finder.get_by_role("button", name="Search").click()
    expect(finder.locator("#result-count")).to_have_text(
        re.compile(r"1 member found · skill: React")
    )
    expect(finder.locator(".result-name")).to_have_text([APPLICANT_NAME])
    finder.get_by_role("link", name=APPLICANT_NAME).click()
    expect(finder.get_by_role("heading", name=APPLICANT_NAME, level=1)).to_be_visible()
    expect(finder.locator(".skills")).to_contain_text("Django")
    expect(finder.locator(".facts")).to_contain_text("120 EUR / hour")

    # 6. The same search on a phone: a screenshot to look at, and nothing wider than the screen.
    phone = new_page(
        storage_state=finder.context.storage_state(),
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    phone.goto(base + "/members/?skill=react.js")
    expect(phone.locator(".result-name")).to_have_text([APPLICANT_NAME])
    # The stylesheet is served (the layout check below means nothing without it).
    assert phone.evaluate("getComputedStyle(document.body).display") == "flex"
    phone.screenshot(path=results_dir / "directory-phone.png", full_page=True)
    widths = phone.evaluate(
        "({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["client"] == PHONE["width"]
    assert widths["scroll"] <= widths["client"], widths
