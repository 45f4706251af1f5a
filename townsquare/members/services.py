"""Every write about members goes through here: accounts, profiles, admission, invitations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.lib.markdown import render_markdown
from townsquare.lib.money import to_usd
from townsquare.members.models import (
    Application,
    Invitation,
    Profile,
    ProfileSkill,
    Role,
    User,
    Visibility,
)
from townsquare.pulse.services import record_audit
from townsquare.skills.models import Skill

VERIFY_SALT = "townsquare.members.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 7


def send_templated_mail(to: str, template: str, context: dict[str, Any]) -> None:
    """Sends `members/email/<template>.txt` after the surrounding transaction commits."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject, _sep, body = render_to_string(f"members/email/{template}.txt", context).partition("\n")

    def _send() -> None:
        send_mail(subject.strip(), body.lstrip(), settings.DEFAULT_FROM_EMAIL, [to])

    transaction.on_commit(_send)


# Accounts -------------------------------------------------------------------------------


def email_verification_token(user: User) -> str:
    return signing.TimestampSigner(salt=VERIFY_SALT).sign(f"{user.pk}:{user.email}")


def send_verification_email(user: User) -> None:
    token = email_verification_token(user)
    link = settings.SITE_URL + reverse("members:verify-email", kwargs={"token": token})
    send_templated_mail(user.email, "verify_email", {"user": user, "link": link})


def verify_email(token: str) -> User | None:
    """Marks the address in the token verified; None when the token is bad or stale."""
    try:
        value = signing.TimestampSigner(salt=VERIFY_SALT).unsign(token, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    user_id, _sep, email = value.partition(":")
    user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        return None
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def register_applicant(*, email: str, name: str, password: str, time_zone: str = "UTC") -> User:
    """Creates an applicant's account and empty profile, and sends the verification mail."""
    user = User.objects.create_user(
        email=email, password=password, name=name, role=Role.MEMBER, time_zone=time_zone
    )
    Profile.objects.create(user=user)
    send_verification_email(user)
    return user


@transaction.atomic
def create_account(
    *,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
    time_zone: str = "UTC",
    actor: User | None = None,
) -> User:
    """An already-admitted account (client, manager, admin, or a member moved in by import)."""
    now = timezone.now()
    user = User.objects.create_user(
        email=email,
        password=password,
        name=name,
        role=role,
        time_zone=time_zone,
        admitted_at=now,
        email_verified_at=now if password is None else None,
    )
    if role == Role.MEMBER:
        Profile.objects.create(user=user)
    record_audit(actor, "account.create", user, data={"role": role})
    return user


# Profiles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillEntry:
    skill: Skill
    level: int
    years: int


def compose_search_document(
    *,
    name: str,
    headline: str,
    bio: str,
    bio_visibility: int,
    location: str,
    location_visibility: int,
    skills_visibility: int,
    skill_terms: Iterable[str],
) -> str:
    """The pure core of `build_search_document`, shared with the seed (no queries)."""
    shared = Visibility.MEMBERS
    # Name and headline are what a listing shows; whoever can list the profile sees them.
    parts = [name, headline]
    if bio_visibility <= shared:
        parts.append(bio)
    if location_visibility <= shared:
        parts.append(location)
    if skills_visibility <= shared:
        parts.extend(skill_terms)
    return "\n".join(p for p in dict.fromkeys(parts) if p)


def skill_search_terms(skill: Skill) -> list[str]:
    """A skill's name and synonyms, as the directory indexes them."""
    return [skill.name, *(s.name for s in skill.synonyms.all())]


def build_search_document(profile: Profile, skills: list[Skill]) -> str:
    """Text the directory searches: only parts every signed-in member may see."""
    return compose_search_document(
        name=profile.user.name,
        headline=profile.headline,
        bio=profile.bio,
        bio_visibility=profile.bio_visibility,
        location=profile.location,
        location_visibility=profile.location_visibility,
        skills_visibility=profile.skills_visibility,
        skill_terms=(term for skill in skills for term in skill_search_terms(skill)),
    )


PROFILE_FIELDS = (
    "headline", "bio", "hourly_rate", "currency", "available_hours", "available_from",
    "location", "links", "client_contact", "message_policy", "profile_visibility", "bio_visibility",
    "skills_visibility", "rate_visibility", "availability_visibility", "location_visibility",
    "links_visibility",
)  # fmt: skip


@transaction.atomic
def update_profile(
    actor: User,
    profile: Profile,
    *,
    name: str | None = None,
    time_zone: str | None = None,
    skills: list[SkillEntry] | None = None,
    **fields: Any,
) -> Profile:
    """Saves profile fields and, when given, replaces the skill list; re-indexes for search."""
    if actor.pk != profile.user_id:
        raise PermissionError("Only the member edits their own profile.")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    user = profile.user
    if name is not None or time_zone is not None:
        user.name = name if name is not None else user.name
        user.time_zone = time_zone if time_zone is not None else user.time_zone
        user.save(update_fields=["name", "time_zone"])
    for field, value in fields.items():
        setattr(profile, field, value)
    profile.bio_html = render_markdown(profile.bio)
    profile.rate_usd = to_usd(profile.hourly_rate, profile.currency)
    if skills is not None:
        profile.skills.all().delete()
        ProfileSkill.objects.bulk_create(
            ProfileSkill(profile=profile, skill=e.skill, level=e.level, years=e.years)
            for e in skills
        )
    if skills is None:
        skill_rows = [ps.skill for ps in profile.skills.select_related("skill")]
    else:
        skill_rows = [e.skill for e in skills]
    profile.search_document = build_search_document(profile, skill_rows)
    profile.full_clean(exclude=["user"])
    profile.save()
    return profile


# Admission ------------------------------------------------------------------------------


def member_by_referral_code(code: str) -> User | None:
    code = (code or "").strip()
    if not code:
        return None
    return User.objects.filter(
        referral_code=code, role=Role.MEMBER, admitted_at__isnull=False, is_active=True
    ).first()


@transaction.atomic
def submit_application(applicant: User, *, why: str, referral_code: str = "") -> Application:
    """Puts the applicant in the review queue (or updates a not-yet-decided application)."""
    if not applicant.is_applicant:
        raise ValidationError(_("Only applicants submit applications."))
    referrer = member_by_referral_code(referral_code)
    if referral_code.strip() and referrer is None:
        raise ValidationError({"referral_code": _("This referral code is not valid.")})
    if referrer is not None and referrer.pk == applicant.pk:
        raise ValidationError({"referral_code": _("You cannot refer yourself.")})
    application, created = Application.objects.get_or_create(
        user=applicant,
        defaults={"why": why, "referral_code": referral_code.strip(), "referred_by": referrer},
    )
    if not created:
        if application.status != Application.Status.SUBMITTED:
            raise ValidationError(_("This application has already been decided."))
        application.why = why
        application.referral_code = referral_code.strip()
        application.referred_by = referrer
        application.save(update_fields=["why", "referral_code", "referred_by"])
    if referrer is not None:
        Invitation.objects.filter(
            inviter=referrer, email__iexact=applicant.email, application__isnull=True
        ).update(application=application)
    return application


DECISIONS = {
    "approve": Application.Status.APPROVED,
    "waitlist": Application.Status.WAITLISTED,
    "decline": Application.Status.DECLINED,
}


@transaction.atomic
def decide_application(
    manager: User, application: Application, *, decision: str, reason: str, ip: str = ""
) -> Application:
    """Approves, waitlists or declines with a reason the applicant sees.

    1. Lock the application row, so two managers cannot decide it twice.
    2. Record the decision; on approval, admit the member.
    3. Audit it, and tell the applicant by email after commit.
    """
    if not manager.is_manager:
        raise PermissionError("Only community managers decide applications.")
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose approve, waitlist or decline.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the applicant a reason.")})
    application = (
        Application.objects.select_for_update().select_related("user").get(pk=application.pk)
    )
    if application.status in (Application.Status.APPROVED, Application.Status.DECLINED):
        raise ValidationError(_("This application has already been decided."))
    application.status = DECISIONS[decision]
    application.reason = reason.strip()
    application.decided_by = manager
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    if application.status == Application.Status.APPROVED:
        applicant = application.user
        applicant.admitted_at = application.decided_at
        applicant.save(update_fields=["admitted_at"])
    record_audit(
        manager, f"application.{decision}", application, reason=application.reason, ip=ip,
        data={"applicant": application.user.email},
    )  # fmt: skip
    send_templated_mail(
        application.user.email,
        "application_decided",
        {"application": application, "link": settings.SITE_URL + reverse("members:application")},
    )
    return application


@transaction.atomic
def invite_by_email(inviter: User, *, email: str, note: str = "") -> Invitation:
    """Records an invitation with the inviter's referral code and emails it."""
    if inviter.role != Role.MEMBER or inviter.admitted_at is None:
        raise PermissionError("Only admitted members invite.")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This person already has an account.")})
    invitation, created = Invitation.objects.get_or_create(
        inviter=inviter, email=email, defaults={"note": note}
    )
    if not created:
        raise ValidationError({"email": _("You have already invited this address.")})
    link = settings.SITE_URL + reverse("members:apply") + f"?ref={inviter.referral_code}"
    send_templated_mail(email, "invitation", {"inviter": inviter, "note": note, "link": link})
    return invitation
