"""Accounts, roles, profiles with per-field visibility, and curated admission."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townsquare.lib.money import CURRENCIES


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    CLIENT = "client", _("Client")
    MANAGER = "manager", _("Community manager")
    ADMIN = "admin", _("Admin")


class Visibility(models.IntegerChoices):
    """Who may see a profile field; a viewer sees fields at or below their tier."""

    PUBLIC = 0, _("Everyone")
    MEMBERS = 1, _("Signed-in community")
    CONNECTIONS = 2, _("My connections")
    ONLY_ME = 3, _("Only me")


def new_referral_code() -> str:
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("admitted_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """A person with a login: member (applicant until admitted), client, manager or admin."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Members are applicants until a manager admits them; other roles are admitted on creation.
    admitted_at = models.DateTimeField(null=True, blank=True)
    referral_code = models.CharField(max_length=16, unique=True, default=new_referral_code)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        indexes = [models.Index(fields=["role", "admitted_at"])]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def is_admitted(self) -> bool:
        return self.admitted_at is not None

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.MEMBER and self.admitted_at is None


class MessagePolicy(models.TextChoices):
    """Who may start a private conversation with a member."""

    CONNECTIONS = "connections", _("My connections")
    MEMBERS = "members", _("Any member")
    NOBODY = "nobody", _("Nobody")


class Level(models.IntegerChoices):
    BEGINNER = 1, _("Beginner")
    INTERMEDIATE = 2, _("Intermediate")
    ADVANCED = 3, _("Advanced")
    EXPERT = 4, _("Expert")


class Profile(models.Model):
    """What a member shows of themselves, each part with its own visibility."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE)
    headline = models.CharField(max_length=140, blank=True, default="")
    bio = models.TextField(blank=True, default="", help_text=_("Markdown"))
    bio_html = models.TextField(blank=True, default="")
    hourly_rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=[(c, c) for c in CURRENCIES], default="USD")
    rate_usd = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    available_hours = models.PositiveSmallIntegerField(default=0)
    available_from = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=120, blank=True, default="")
    links = models.JSONField(default=list, blank=True)
    client_contact = models.BooleanField(
        default=False, help_text=_("Clients may contact me about work.")
    )
    message_policy = models.CharField(
        max_length=12, choices=MessagePolicy.choices, default=MessagePolicy.CONNECTIONS,
        help_text=_("Who may start a private conversation with me."),
    )  # fmt: skip

    profile_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    bio_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    skills_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    rate_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    availability_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    location_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    links_visibility = models.PositiveSmallIntegerField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )

    # Text the directory searches: only parts every signed-in viewer may see (see search.py).
    search_document = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["profile_visibility", "rate_usd"]),
            models.Index(fields=["available_hours"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_rate__isnull=True) | models.Q(hourly_rate__gte=0),
                name="members_profile_rate_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(available_hours__lte=168),
                name="members_profile_hours_in_week",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class ProfileSkill(models.Model):
    """A skill a member lists, with level and years of experience."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Skill", on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.INTERMEDIATE)
    years = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-level", "-years", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="members_profileskill_once"),
            models.CheckConstraint(condition=models.Q(years__lte=60), name="members_years_sane"),
        ]
        indexes = [models.Index(fields=["skill", "profile"])]

    def __str__(self) -> str:
        return f"{self.skill_id} ({self.get_level_display()})"


class Application(models.Model):
    """A request to join, reviewed by a community manager."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="application")
    why = models.TextField()
    referral_code = models.CharField(max_length=16, blank=True, default="")
    referred_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(blank=True, default="", help_text=_("Shown to the applicant."))
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(referred_by=models.F("user")),
                name="members_application_no_self_referral",
            )
        ]

    def __str__(self) -> str:
        return f"Application of {self.user}"


class Invitation(models.Model):
    """A member's invitation to someone by email, carrying the member's referral code."""

    inviter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["inviter", "email"], name="members_invitation_once")
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email}"
