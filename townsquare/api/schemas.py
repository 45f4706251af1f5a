"""The API's input and output schemas, and the functions that fill outputs from selectors.

Inputs mirror the HTML forms' rules (members/forms.py) so that a value the profile page
refuses, the API refuses too. Outputs of other members' profiles are built only from a
`ProfileView`, so a part the viewer may not see is null here exactly when the profile page
leaves it out.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from townsquare.lib.money import CURRENCIES
from townsquare.lib.tz import COMMON_ZONES, is_valid_zone
from townsquare.members import services
from townsquare.members.models import (
    Application,
    Level,
    Profile,
    ProfileSkill,
    Role,
    User,
    Visibility,
)
from townsquare.members.selectors import ProfileView
from townsquare.skills.models import Skill
from townsquare.skills.services import resolve_skill

MAX_PER_PAGE = 100
# Ids in paths: out-of-range numbers are refused here, before they reach the database.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


def _check_zone(value: str) -> str:
    if value not in COMMON_ZONES or not is_valid_zone(value):
        raise ValueError(
            _("Choose a time zone from the list (an IANA name such as Europe/Berlin).")
        )
    return value


Currency = Literal[CURRENCIES]  # type: ignore[valid-type]
VisibilityLevel = Annotated[int, Field(ge=Visibility.PUBLIC, le=Visibility.ONLY_ME)]
Rate = Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=2, allow_inf_nan=False)]


def _text(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


# Text inputs are stripped like Django's form fields, then measured.
TimeZone = Annotated[str, _text(64)]
SearchText = Annotated[str, _text(200)]
SkillName = Annotated[str, _text(100, 1)]
SkillText = Annotated[str, _text(100)]
PersonName = Annotated[str, _text(120, 1)]
Headline = Annotated[str, _text(140)]
RequiredHeadline = Annotated[str, _text(140, 1)]
Location = Annotated[str, _text(120)]
Link = Annotated[str, _text(2048, 1)]
Email = Annotated[str, _text(254, 3)]
Why = Annotated[str, _text(4000, 20)]
ReferralCode = Annotated[str, _text(16)]
Reason = Annotated[str, _text(2000, 1)]


class InputSchema(Schema):
    """Inputs refuse fields they do not know, so a typo is an error instead of a no-op."""

    model_config = ConfigDict(extra="forbid")


# Errors ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, for people.")
    errors: dict[str, list[str]] | None = Field(
        None,
        description="Messages per input field (`__all__` for the input as a whole); "
        "only on 400 and 422.",
    )


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut,
}  # fmt: skip


def errors(*codes: int) -> dict[int, type[Schema]]:
    return {code: ERRORS[code] for code in codes}


# Skills ---------------------------------------------------------------------------------


class SkillOut(Schema):
    id: int
    name: str
    category: str | None
    domain: str | None
    pending: bool = Field(description="Typed by a member, not yet reviewed by a manager.")


class SkillSuggestionOut(SkillOut):
    matched: str = Field(description="The name or synonym that matched the query.")


class SkillDetailOut(SkillOut):
    synonyms: list[str]


def skill_out(skill: Skill) -> dict[str, Any]:
    category = skill.category
    return {
        "id": skill.pk,
        "name": skill.name,
        "category": category.name if category else None,
        "domain": category.domain if category else None,
        "pending": skill.status == Skill.Status.PENDING,
    }


# Profiles -------------------------------------------------------------------------------


class ProfileSkillOut(Schema):
    id: int = Field(description="The skill's id (see /skills/{skill_id}).")
    name: str
    level: int = Field(ge=1, le=4, description="1 beginner, 2 intermediate, 3 advanced, 4 expert")
    level_label: str
    years: int
    pending: bool


class MemberProfileOut(Schema):
    """A member's profile as the caller may see it; parts they may not see are null."""

    id: int
    name: str
    headline: str
    is_own: bool
    url: str
    avatar_url: str
    client_contact: bool
    bio: str | None = Field(description="Markdown; null when hidden from the caller.")
    bio_html: str | None = Field(description="The bio rendered and sanitised.")
    skills: list[ProfileSkillOut] | None
    hourly_rate: Decimal | None
    currency: str | None
    available_hours: int | None
    available_from: date | None
    location: str | None
    time_zone: str | None
    links: list[str] | None


def profile_skills_out(rows: list[ProfileSkill]) -> list[dict[str, Any]]:
    return [
        {
            "id": ps.skill_id,
            "name": ps.skill.name,
            "level": ps.level,
            "level_label": str(Level(ps.level).label),
            "years": ps.years,
            "pending": ps.skill.status == Skill.Status.PENDING,
        }
        for ps in rows
    ]


def _member_urls(request: HttpRequest, member_id: int) -> dict[str, str]:
    return {
        "url": request.build_absolute_uri(reverse("members:profile", args=[member_id])),
        "avatar_url": request.build_absolute_uri(reverse("members:avatar", args=[member_id])),
    }


def member_profile_out(request: HttpRequest, view: ProfileView) -> dict[str, Any]:
    """Mirrors templates/members/profile.html: each hidden part is null."""
    member, p, shown = view.member, view.profile, view.visible
    return {
        "id": member.pk,
        "name": member.name,
        "headline": p.headline,
        "is_own": view.is_own,
        **_member_urls(request, member.pk),
        "client_contact": p.client_contact,
        "bio": p.bio if shown["bio"] else None,
        "bio_html": p.bio_html if shown["bio"] else None,
        "skills": profile_skills_out(view.skills) if view.skills is not None else None,
        "hourly_rate": p.hourly_rate if shown["rate"] else None,
        "currency": p.currency if shown["rate"] else None,
        "available_hours": p.available_hours if shown["availability"] else None,
        "available_from": p.available_from if shown["availability"] else None,
        "location": p.location if shown["location"] else None,
        "time_zone": member.time_zone if shown["location"] else None,
        "links": list(p.links) if shown["links"] else None,
    }


class MemberListingOut(Schema):
    """One directory result: only parts every signed-in member may see (as on /members/)."""

    id: int
    name: str
    headline: str
    url: str
    avatar_url: str
    skills: list[str] | None = Field(description="Up to six top skills; null when hidden.")
    hourly_rate: Decimal | None
    currency: str | None
    available_hours: int | None
    time_zone: str | None


def member_listing_out(request: HttpRequest, p: Profile) -> dict[str, Any]:
    """Mirrors templates/members/directory.html: the listing shows the community tier only."""
    shared = Visibility.MEMBERS
    rate_shown = p.rate_visibility <= shared
    return {
        "id": p.user_id,
        "name": p.user.name,
        "headline": p.headline,
        **_member_urls(request, p.user_id),
        "skills": (
            [ps.skill.name for ps in p.listed_skills] if p.skills_visibility <= shared else None
        ),
        "hourly_rate": p.hourly_rate if rate_shown else None,
        "currency": p.currency if rate_shown else None,
        "available_hours": p.available_hours if p.availability_visibility <= shared else None,
        "time_zone": p.user.time_zone if p.location_visibility <= shared else None,
    }


class Page(Schema):
    count: int = Field(description="Results across all pages.")
    page: int
    pages: int
    per_page: int


class MemberPageOut(Page):
    results: list[MemberListingOut]


Hours = Annotated[int, Field(ge=0, le=80)]
Offset = Annotated[float, Field(ge=-12, le=14, allow_inf_nan=False)]
PageNumber = Annotated[int, Field(ge=1)]
PerPage = Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]
# Query strings send `?min_hours=` for an empty filter field: that is "no filter".
Blank = BeforeValidator(_empty_is_none)


class DirectoryQuery(Schema):
    """The directory's filters; the same rules as the /members/ page's form."""

    q: SearchText = Field("", description="Words in name, headline, bio, location, skills.")
    skill: SkillText = Field("", description="A skill as people type it (synonyms, typos).")
    min_hours: Annotated[Hours | None, Blank] = Field(None, description="Hours per week.")
    available_by: Annotated[date | None, Blank] = None
    rate_min: Annotated[Rate | None, Blank] = Field(
        None, description="Hourly rate in USD, converted from each member's currency."
    )
    rate_max: Annotated[Rate | None, Blank] = None
    tz_min: Annotated[Offset | None, Blank] = Field(
        None, description="Lowest UTC offset in hours, daylight saving included."
    )
    tz_max: Annotated[Offset | None, Blank] = None
    page: PageNumber = 1
    per_page: PerPage = Field(20, description=f"At most {MAX_PER_PAGE}.")


# Me ---------------------------------------------------------------------------------------


class OwnProfileOut(Schema):
    """Everything of the caller's own profile, visibility settings included."""

    headline: str
    bio: str
    bio_html: str
    hourly_rate: Decimal | None
    currency: str
    rate_usd: Decimal | None
    available_hours: int
    available_from: date | None
    location: str
    links: list[str]
    client_contact: bool
    profile_visibility: int = Field(description="0 everyone, 1 community, 2 connections, 3 only me")
    bio_visibility: int
    skills_visibility: int
    rate_visibility: int
    availability_visibility: int
    location_visibility: int
    links_visibility: int
    skills: list[ProfileSkillOut]
    updated_at: datetime


class MeOut(Schema):
    id: int
    email: str
    name: str
    role: str
    time_zone: str
    date_joined: datetime
    admitted_at: datetime | None = Field(description="Null while an applicant.")
    email_verified: bool
    referral_code: str | None = Field(description="Admitted members' code for invitations.")
    application_id: int | None
    url: str | None = Field(description="The profile page; null for roles without a profile.")
    profile: OwnProfileOut | None


VISIBILITY_FIELDS = (
    "profile_visibility", "bio_visibility", "skills_visibility", "rate_visibility",
    "availability_visibility", "location_visibility", "links_visibility",
)  # fmt: skip


def me_out(request: HttpRequest, user: User, view: ProfileView | None) -> dict[str, Any]:
    try:
        application_id: int | None = user.application.pk
    except Application.DoesNotExist:
        application_id = None
    out: dict[str, Any] = {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "time_zone": user.time_zone,
        "date_joined": user.date_joined,
        "admitted_at": user.admitted_at,
        "email_verified": user.email_verified_at is not None,
        "referral_code": user.referral_code
        if user.is_admitted and user.role == Role.MEMBER
        else None,
        "application_id": application_id,
        "url": None,
        "profile": None,
    }
    if view is not None:
        p = view.profile
        out["url"] = _member_urls(request, user.pk)["url"]
        out["profile"] = {
            **{
                f: getattr(p, f)
                for f in (
                    "headline",
                    "bio",
                    "bio_html",
                    "hourly_rate",
                    "currency",
                    "rate_usd",
                    "available_hours",
                    "available_from",
                    "location",
                    "client_contact",
                    "updated_at",
                    *VISIBILITY_FIELDS,
                )
            },  # fmt: skip
            "links": list(p.links),
            "skills": profile_skills_out(view.skills or []),
        }
    return out


def skill_entries(user: User, rows: list[dict[str, Any]]) -> list[services.SkillEntry]:
    """Resolves typed skills as the profile page does; of two rows for one skill, the last wins.

    New names become pending skills inside the caller's transaction.
    """
    entries: dict[int, services.SkillEntry] = {}
    for index, row in enumerate(rows):
        try:
            skill = resolve_skill(row["name"], actor=user)
        except DjangoValidationError as error:
            raise DjangoValidationError({f"skills.{index}.name": error.messages}) from None
        entries[skill.pk] = services.SkillEntry(
            skill=skill, level=row.get("level", Level.INTERMEDIATE), years=row.get("years", 0)
        )
    return list(entries.values())


class SkillIn(InputSchema):
    name: SkillName = Field(description="As you say it; matched to the community's list.")
    level: int = Field(2, ge=1, le=4, description="1 beginner … 4 expert")
    years: int = Field(0, ge=0, le=60)


NOT_NULL = (
    "name", "time_zone", "headline", "bio", "currency", "available_hours", "location", "links",
    "client_contact", "skills", *VISIBILITY_FIELDS,
)  # fmt: skip


class ProfilePatch(InputSchema):
    """Fields to change; leave a field out to keep it. `skills`, when given, replaces the list."""

    name: PersonName | None = None
    time_zone: TimeZone | None = None
    headline: Headline | None = None
    bio: str | None = Field(None, description="Markdown.")
    hourly_rate: Rate | None = Field(None, description="Per hour in `currency`; null clears it.")
    currency: Currency | None = None
    available_hours: int | None = Field(None, ge=0, le=80, description="Hours per week.")
    available_from: date | None = Field(None, description="Null means now.")
    location: Location | None = None
    links: list[Link] | None = Field(None, max_length=10)
    client_contact: bool | None = None
    profile_visibility: VisibilityLevel | None = None
    bio_visibility: VisibilityLevel | None = None
    skills_visibility: VisibilityLevel | None = None
    rate_visibility: VisibilityLevel | None = None
    availability_visibility: VisibilityLevel | None = None
    location_visibility: VisibilityLevel | None = None
    links_visibility: VisibilityLevel | None = None
    skills: list[SkillIn] | None = Field(None, max_length=30)

    @field_validator(*NOT_NULL)
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields the caller sent: an explicit null is an error, absence is not.
        if value is None:
            raise ValueError(_("This field cannot be null."))
        return value

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return _check_zone(value) if value is not None else None

    @field_validator("links")
    @classmethod
    def _links(cls, value: list[str] | None) -> list[str] | None:
        check = URLValidator(schemes=["http", "https"])
        for link in value or []:
            try:
                check(link)
            except DjangoValidationError:
                raise ValueError(
                    _("Each link must start with https:// or http://: %(link)s") % {"link": link}
                ) from None
        return value


# Applications -----------------------------------------------------------------------------


class ApplicationIn(InputSchema):
    """Sign-up and application in one, like the /apply/ page."""

    name: PersonName
    email: Email
    password: str = Field(min_length=1, max_length=4096)
    time_zone: TimeZone = "UTC"
    headline: RequiredHeadline = Field(description="e.g. Backend engineer, Python and Go")
    skills: list[SkillName] = Field(min_length=1, max_length=30)
    why: Why = Field(description="Why you want to join.")
    referral_code: ReferralCode = ""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(_("Enter a valid email address.")) from None
        return value.lower()

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _check_zone(value)


class PersonOut(Schema):
    id: int
    name: str


class ApplicantOut(PersonOut):
    email: str
    email_verified: bool
    time_zone: str
    headline: str


class ApplicationOut(Schema):
    id: int
    status: Literal["submitted", "approved", "waitlisted", "declined"]
    status_label: str
    why: str
    referral_code: str
    referred_by: PersonOut | None
    reason: str = Field(description="The manager's reason, shown to the applicant.")
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: PersonOut | None = Field(description="Only managers see who decided.")
    applicant: ApplicantOut


class ApplicationDetailOut(ApplicationOut):
    skills: list[ProfileSkillOut] | None
    waitlist_position: int | None = Field(description="1-based, while waitlisted.")


class ApplicationPageOut(Page):
    results: list[ApplicationOut]


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.name} if user is not None else None


def application_out(viewer: Any, application: Application) -> dict[str, Any]:
    applicant = application.user
    return {
        "id": application.pk,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "why": application.why,
        "referral_code": application.referral_code,
        "referred_by": _person(application.referred_by),
        "reason": application.reason,
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "decided_by": _person(application.decided_by) if viewer.is_manager else None,
        "applicant": {
            "id": applicant.pk,
            "name": applicant.name,
            "email": applicant.email,
            "email_verified": applicant.email_verified_at is not None,
            "time_zone": applicant.time_zone,
            "headline": applicant.profile.headline,
        },
    }


class ApplicationQuery(Schema):
    status: Literal["submitted", "approved", "waitlisted", "declined"] = "submitted"
    page: PageNumber = 1
    per_page: PerPage = Field(20, description=f"At most {MAX_PER_PAGE}.")


class DecisionIn(InputSchema):
    decision: Literal["approve", "waitlist", "decline"]
    reason: Reason = Field(description="The applicant sees it.")
