"""Input schemas for member pages: one form per page, field-level errors."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from townsquare.lib.tz import COMMON_ZONES, is_valid_zone
from townsquare.members.models import Level, Profile, User, Visibility
from townsquare.members.selectors import DirectoryFilters

ZONE_CHOICES = [(z, z.replace("_", " ")) for z in COMMON_ZONES]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ZONE_CHOICES, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not is_valid_zone(value):
            raise ValidationError(_("Choose a time zone from the list."))


class ApplyForm(forms.Form):
    """Sign-up and application in one: the account is the applicant's from the first step."""

    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    time_zone = TimeZoneField(label=_("Time zone"), initial="UTC")
    headline = forms.CharField(
        label=_("Headline"), max_length=140, help_text=_("e.g. Backend engineer, Python and Go")
    )
    skills = forms.CharField(
        label=_("Skills"), max_length=600, help_text=_("Separated by commas: Django, PostgreSQL")
    )
    why = forms.CharField(
        label=_("Why do you want to join?"), widget=forms.Textarea(attrs={"rows": 5}),
        min_length=20, max_length=4000,
    )  # fmt: skip
    referral_code = forms.CharField(label=_("Referral code"), max_length=16, required=False)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise ValidationError(_("An account with this email exists; sign in instead."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password = data.get("password")
        if password:
            candidate = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def skill_names(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["skills"].split(",") if s.strip()][:30]


class ApplicationForm(forms.Form):
    why = forms.CharField(
        label=_("Why do you want to join?"), widget=forms.Textarea(attrs={"rows": 5}),
        min_length=20, max_length=4000,
    )  # fmt: skip
    referral_code = forms.CharField(label=_("Referral code"), max_length=16, required=False)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, also for accounts without a usable password yet.

    Members moved in by import have none and choose theirs here; Django's own form skips
    such accounts (it assumes they sign in some other way).
    """

    def get_users(self, email: str) -> Iterator[User]:
        def folded(address: str) -> str:
            return unicodedata.normalize("NFKC", address).casefold()

        users = User.objects.filter(email__iexact=email, is_active=True)
        return (u for u in users if folded(u.email) == folded(email))

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Links point at SITE_URL, never at whatever Host header the request carried.
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        super().save(*args, **kwargs)


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)


def _validate_links(value: list[str]) -> None:
    check = URLValidator(schemes=["http", "https"])
    for link in value:
        check(link)


class LinksField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()][:10]

    def prepare_value(self, value: Any) -> str:
        return "\n".join(value) if isinstance(value, list) else (value or "")

    def validate(self, value: Any) -> None:
        try:
            _validate_links(value)
        except ValidationError:
            raise ValidationError(
                _("Each line must be a link starting with https:// or http://")
            ) from None


VISIBILITY_WIDGET = forms.Select(attrs={"class": "visibility"})


class ProfileForm(forms.ModelForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    time_zone = TimeZoneField(label=_("Time zone"))
    links = LinksField(label=_("Links"), required=False, help_text=_("One per line"))

    class Meta:
        model = Profile
        fields = [
            "headline", "bio", "hourly_rate", "currency", "available_hours", "available_from",
            "location", "client_contact", "message_policy", "profile_visibility", "bio_visibility",
            "skills_visibility", "rate_visibility", "availability_visibility",
            "location_visibility", "links_visibility",
        ]  # fmt: skip
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8}),
            "available_from": forms.DateInput(attrs={"type": "date"}),
            **{
                f: VISIBILITY_WIDGET
                for f in (
                    "profile_visibility",
                    "bio_visibility",
                    "skills_visibility",
                    "rate_visibility",
                    "availability_visibility",
                    "location_visibility",
                    "links_visibility",
                )
            },  # fmt: skip
        }
        help_texts = {
            "client_contact": _("Clients then see a Message button on your profile."),
            "message_policy": _("Blocked people never can."),
        }
        labels = {
            "available_hours": _("Available hours per week"),
            "client_contact": _("Clients may contact me about work"),
            "message_policy": _("Who may message me"),
            "profile_visibility": _("Who can find my profile"),
        }

    def clean_hourly_rate(self) -> Decimal | None:
        rate = self.cleaned_data.get("hourly_rate")
        if rate is not None and rate < 0:
            raise ValidationError(_("A rate cannot be negative."))
        return rate

    def clean_available_hours(self) -> int:
        hours = self.cleaned_data.get("available_hours") or 0
        if hours > 80:
            raise ValidationError(_("At most 80 hours a week."))
        return hours


class SkillEntryForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=100, required=False)
    level = forms.TypedChoiceField(
        label=_("Level"), choices=Level.choices, coerce=int, initial=Level.INTERMEDIATE
    )
    years = forms.IntegerField(label=_("Years"), min_value=0, max_value=60, initial=0)


SkillFormSet = forms.formset_factory(SkillEntryForm, extra=3, max_num=30, absolute_max=40)


class DirectoryForm(forms.Form):
    """The directory's filters; `filters()` turns them into the shared DirectoryFilters."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    skill = forms.CharField(label=_("Skill"), max_length=100, required=False)
    min_hours = forms.IntegerField(
        label=_("At least hours/week"), min_value=0, max_value=80, required=False
    )
    available_by = forms.DateField(
        label=_("Available by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rate_min = forms.DecimalField(
        label=_("Rate from (USD)"), min_value=0, max_digits=9, decimal_places=2, required=False
    )
    rate_max = forms.DecimalField(
        label=_("Rate to (USD)"), min_value=0, max_digits=9, decimal_places=2, required=False
    )
    tz_min = forms.FloatField(
        label=_("UTC offset from"), min_value=-12, max_value=14, required=False
    )
    tz_max = forms.FloatField(label=_("UTC offset to"), min_value=-12, max_value=14, required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for low, high in (("rate_min", "rate_max"), ("tz_min", "tz_max")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("Must not be below the lower bound."))
        return data

    def filters(self, skill_ids: tuple[int, ...]) -> DirectoryFilters:
        d = self.cleaned_data
        return DirectoryFilters(
            q=d.get("q") or "",
            skill_ids=skill_ids,
            min_hours=d.get("min_hours"),
            available_by=d.get("available_by"),
            rate_min=d.get("rate_min"),
            rate_max=d.get("rate_max"),
            tz_min=d.get("tz_min"),
            tz_max=d.get("tz_max"),
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("waitlist", _("Waitlist")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the applicant sees it)"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )  # fmt: skip


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Their email"))
    note = forms.CharField(
        label=_("A note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


VISIBILITY_CHOICES = Visibility.choices
