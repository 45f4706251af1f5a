"""`townsquare import_members FILE.csv`: move members in from another community."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.members.importing import COLUMNS, SKILL_SEPARATOR, ImportFileError, import_members


class Command(BaseCommand):
    help = (
        f"Import members from a UTF-8 CSV file with the columns {', '.join(COLUMNS)} "
        f"(skills separated by '{SKILL_SEPARATOR}'). Imported people are admitted members "
        "without a password: they choose one through password reset. Bad rows are reported "
        "by line number and skipped. Exits non-zero when rows failed and nothing was "
        "imported, or with --strict when any row failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument(
            "--strict", action="store_true", help="exit non-zero when any row was skipped"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            # utf-8-sig: spreadsheets often save UTF-8 with a byte-order mark. Decoding it all
            # before the first row is written means a wrong encoding imports nobody.
            with open(path, encoding="utf-8-sig", newline="") as fh:
                text = fh.read()
            result = import_members(io.StringIO(text, newline=""))
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
        imported, skipped = len(result.imported), len(result.errors)
        summary = f"Imported {imported}, skipped {skipped}."
        if skipped and (options["strict"] or not imported):
            raise CommandError(summary, returncode=2)
        self.stdout.write(self.style.SUCCESS(summary) if imported else summary)
