"""Moving a community in: members from a CSV file become admitted members.

Imported people already belonged to a community elsewhere, so they skip admission. They get
no password: they choose one through password reset. Every row is checked first and then
written in its own transaction, so a bad row is reported and skipped and never half-written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction

from townsquare.lib.money import CURRENCIES
from townsquare.lib.tz import COMMON_ZONES
from townsquare.members import services
from townsquare.members.models import Level, Role, User
from townsquare.skills.services import resolve_skill

COLUMNS = (
    "email", "name", "headline", "skills", "hourly_rate", "currency", "timezone",
    "available_hours",
)  # fmt: skip
SKILL_SEPARATOR = ";"
MAX_SKILLS = 30
# The same limits the profile page enforces, so an imported profile is one a member could save.
MAX_HOURS = 80
MAX_RATE = Decimal("9999999.99")
_ZONES = frozenset(COMMON_ZONES)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (e.g. its header lacks columns)."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass(frozen=True)
class MemberRow:
    """One row, checked and converted."""

    line: int
    email: str
    name: str
    headline: str
    skills: tuple[str, ...]
    hourly_rate: Decimal | None
    currency: str
    time_zone: str
    available_hours: int


@dataclass
class ImportResult:
    imported: list[User] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def check_header(fieldnames: Iterable[str] | None) -> dict[str, str]:
    """Maps each expected column to its name in the file; ImportFileError if any is missing."""
    present: dict[str, str] = {}
    for name in fieldnames or ():
        # A BOM the reader did not strip, spaces or capitals must not hide a column.
        present.setdefault((name or "").lstrip("\ufeff").strip().lower(), name)
    missing = [c for c in COLUMNS if c not in present]
    if missing:
        raise ImportFileError(
            f"The header lacks the column(s) {', '.join(missing)}; "
            f"expected the columns {', '.join(COLUMNS)}."
        )
    return {c: present[c] for c in COLUMNS}


def _parse_rate(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"hourly_rate {text!r} is not a number") from None
    if not rate.is_finite() or rate < 0 or rate > MAX_RATE:
        raise ValueError(f"hourly_rate {text!r} must be between 0 and {MAX_RATE}")
    if rate != rate.quantize(Decimal("0.01")):
        raise ValueError(f"hourly_rate {text!r} has more than 2 decimals")
    return rate


def _parse_hours(text: str) -> int:
    if not text:
        return 0
    try:
        hours = int(text)
    except ValueError:
        raise ValueError(f"available_hours {text!r} is not a whole number") from None
    if not 0 <= hours <= MAX_HOURS:
        raise ValueError(f"available_hours {hours} is out of range (0 to {MAX_HOURS})")
    return hours


def parse_row(line: int, values: dict[str, str]) -> MemberRow:
    """Checks one row; ValueError with the reason when it cannot be imported."""
    email = values["email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"email {values['email']!r} is not a valid address") from None
    name = values["name"]
    if not name:
        raise ValueError("name is missing")
    if len(name) > 120:
        raise ValueError("name is longer than 120 characters")
    headline = values["headline"]
    if len(headline) > 140:
        raise ValueError("headline is longer than 140 characters")
    skills = tuple(
        dict.fromkeys(s.strip() for s in values["skills"].split(SKILL_SEPARATOR) if s.strip())
    )
    if len(skills) > MAX_SKILLS:
        raise ValueError(f"more than {MAX_SKILLS} skills")
    if any(len(s) > 100 for s in skills):
        raise ValueError("a skill name is longer than 100 characters")
    currency = values["currency"].upper() or "USD"
    if currency not in CURRENCIES:
        raise ValueError(f"currency {values['currency']!r} is not one we know")
    time_zone = values["timezone"] or "UTC"
    if time_zone not in _ZONES:
        raise ValueError(f"timezone {time_zone!r} is not a time zone name such as Europe/Berlin")
    return MemberRow(
        line=line,
        email=email,
        name=name,
        headline=headline,
        skills=skills,
        hourly_rate=_parse_rate(values["hourly_rate"]),
        currency=currency,
        time_zone=time_zone,
        available_hours=_parse_hours(values["available_hours"]),
    )


def import_member(row: MemberRow, *, actor: User | None = None) -> User:
    """Writes one member, all or nothing: account, profile and skills."""
    with transaction.atomic():
        user = services.create_account(
            email=row.email, name=row.name, role=Role.MEMBER, password=None,
            time_zone=row.time_zone, actor=actor,
        )  # fmt: skip
        entries: dict[int, services.SkillEntry] = {}
        for text in row.skills:
            skill = resolve_skill(text, actor=user)
            entries.setdefault(
                skill.pk, services.SkillEntry(skill=skill, level=Level.INTERMEDIATE, years=0)
            )
        services.update_profile(
            user,
            user.profile,
            headline=row.headline,
            skills=list(entries.values()),
            hourly_rate=row.hourly_rate,
            currency=row.currency,
            available_hours=row.available_hours,
        )
    return user


def import_members(lines: Iterable[str], *, actor: User | None = None) -> ImportResult:
    """Imports every good row of a CSV text stream and reports the others by line number.

    1. Check the header (ImportFileError when a column is missing).
    2. For each row: check it, refuse an address seen earlier in the file or already in use.
    3. Write each good row in its own transaction; a failure rolls that row back only.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise ImportFileError(f"The file is empty; expected the columns {', '.join(COLUMNS)}.")
    positions = {c: header.index(name) for c, name in check_header(header).items()}
    result = ImportResult()
    first_seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1  # where the next record starts
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(RowError(line, f"unreadable CSV: {error}"))
            continue
        if not record:  # a blank line
            continue
        padded = record + [""] * (len(header) - len(record))
        values = {c: padded[i].strip() for c, i in positions.items()}
        try:
            row = parse_row(line, values)
        except ValueError as error:
            result.errors.append(RowError(line, str(error)))
            continue
        if row.email in first_seen:
            reason = f"email {row.email} is already on line {first_seen[row.email]} of this file"
            result.errors.append(RowError(line, reason))
            continue
        first_seen[row.email] = line
        if User.objects.filter(email__iexact=row.email).exists():
            result.errors.append(RowError(line, f"email {row.email} already has an account"))
            continue
        try:
            result.imported.append(import_member(row, actor=actor))
        except (ValidationError, DatabaseError) as error:
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            result.errors.append(RowError(line, f"not saved: {reason}"))
    return result
