"""`townsquare import_connections FILE.csv`: bring the ties of a community that moves in.

Like `import_members` (members/importing.py): every row is checked first, then written in
its own transaction, so a bad row is reported by line and skipped, never half-written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import DatabaseError

from townsquare.fabric import services
from townsquare.members.importing import ImportFileError, RowError
from townsquare.members.models import Role, User

COLUMNS = ("email_a", "email_b")


@dataclass
class ConnectionImport:
    imported: int = 0
    already: int = 0
    errors: list[RowError] = field(default_factory=list)


def _header(fieldnames: list[str]) -> dict[str, int]:
    present: dict[str, int] = {}
    for index, name in enumerate(fieldnames):
        present.setdefault((name or "").lstrip("\ufeff").strip().lower(), index)
    missing = [c for c in COLUMNS if c not in present]
    if missing:
        raise ImportFileError(
            f"The header lacks the column(s) {', '.join(missing)}; "
            f"expected the columns {', '.join(COLUMNS)}."
        )
    return {c: present[c] for c in COLUMNS}


def _email(column: str, value: str) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{column} {value!r} is not a valid address") from None
    return email


def import_connections(lines: Iterable[str]) -> ConnectionImport:
    """Connects the members named on each good row; reports the others by line number.

    1. Check the header (ImportFileError when a column is missing).
    2. Check each row: two valid, different addresses, a pair not seen earlier in the file.
    3. Look every address up at once; both must be admitted, active members.
    4. Write each pair in its own transaction; a pair already connected is counted, not
       an error, so running the same file twice is harmless.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise ImportFileError(f"The file is empty; expected the columns {', '.join(COLUMNS)}.")
    positions = _header(header)
    result = ConnectionImport()
    rows: list[tuple[int, str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(RowError(line, f"unreadable CSV: {error}"))
            continue
        if not any(value.strip() for value in record):
            continue
        padded = record + [""] * (len(header) - len(record))
        try:
            a = _email("email_a", padded[positions["email_a"]])
            b = _email("email_b", padded[positions["email_b"]])
        except ValueError as error:
            result.errors.append(RowError(line, str(error)))
            continue
        if a == b:
            result.errors.append(RowError(line, f"both columns name {a}"))
            continue
        pair = (a, b) if a < b else (b, a)
        if pair in seen:
            result.errors.append(RowError(line, f"this pair is already on line {seen[pair]}"))
            continue
        seen[pair] = line
        rows.append((line, a, b))
    emails = {email for _line, a, b in rows for email in (a, b)}
    members = {
        u.email.lower(): u
        for u in User.objects.filter(
            email__in=emails, role=Role.MEMBER, is_active=True, admitted_at__isnull=False
        )
    }
    for line, a, b in rows:
        unknown = [email for email in (a, b) if email not in members]
        if unknown:
            result.errors.append(
                RowError(line, f"no admitted member has the address {', '.join(unknown)}")
            )
            continue
        try:
            created = services.connect_members(members[a], members[b])
        except (ValidationError, DatabaseError) as error:
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            result.errors.append(RowError(line, f"not saved: {reason}"))
            continue
        if created:
            result.imported += 1
        else:
            result.already += 1
    return result


class Command(BaseCommand):
    help = (
        f"Connect members from a UTF-8 CSV file with the columns {', '.join(COLUMNS)} (the "
        "members' email addresses; both must be admitted members already, see "
        "import_members). Bad rows are reported by line number and skipped; pairs already "
        "connected are counted and left alone. Exits non-zero when rows failed and nothing "
        "was imported, or with --strict when any row failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument(
            "--strict", action="store_true", help="exit non-zero when any row was skipped"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            # Decoding it all before the first row is written: a wrong encoding imports nothing.
            with open(path, encoding="utf-8-sig", newline="") as fh:
                text = fh.read()
            result = import_connections(io.StringIO(text, newline=""))
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path} is not UTF-8 text (byte {error.start}); save it as UTF-8 CSV."
            ) from None
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        for error in result.errors:
            self.stderr.write(f"line {error.line}: {error.reason}")
        skipped = len(result.errors)
        summary = (
            f"Imported {result.imported}, already connected {result.already}, skipped {skipped}."
        )
        if skipped and (options["strict"] or not (result.imported or result.already)):
            raise CommandError(summary, returncode=2)
        self.stdout.write(self.style.SUCCESS(summary) if result.imported else summary)
