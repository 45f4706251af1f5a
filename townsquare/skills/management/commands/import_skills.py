"""`townsquare import_skills FILE`: adds the skills of an ESCO-style CSV to the taxonomy.

ESCO ships its skills as CSV with, among other columns, `conceptUri`, `preferredLabel` and
`altLabels` (one alternative label per line inside the quoted field). Each row becomes a
skill named by its preferred label, its alternative labels become synonyms, and its concept
URI identifies it, so running the import again updates instead of duplicating.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.skills.models import Domain, Skill, SkillCategory
from townsquare.skills.normalise import normalise_key
from townsquare.skills.services import TaxonomyRow, load_taxonomy

REQUIRED_COLUMNS = ("conceptUri", "preferredLabel", "altLabels")
MAX_NAME = Skill._meta.get_field("name").max_length
MAX_URI = Skill._meta.get_field("external_uri").max_length
MAX_CATEGORY = SkillCategory._meta.get_field("name").max_length
# ESCO separates labels by newlines; hand-made files often use "|" like our own taxonomy.
_LABEL_SEPARATOR = re.compile(r"[\r\n|]+")


def split_labels(text: str) -> list[str]:
    """The labels in an `altLabels` field, each once, in file order."""
    labels = (" ".join(label.split()) for label in _LABEL_SEPARATOR.split(text or ""))
    return list(dict.fromkeys(label for label in labels if label))


def _too_long(name: str) -> bool:
    # The key can outgrow the name: NFKC expands ligatures and the like.
    return len(name) > MAX_NAME or len(normalise_key(name)) > MAX_NAME


@dataclass
class EscoFile:
    """What a file holds: rows to load, and the rows or labels left out with their reasons."""

    read: int = 0
    rows: list[TaxonomyRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_esco_csv(path: Path, *, category: str, domain: str) -> EscoFile:
    result = EscoFile()
    rows, skipped = result.rows, result.skipped
    seen: dict[str, int] = {}
    # utf-8-sig: spreadsheet exports often start with a byte-order mark.
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise CommandError(
                f"{path} lacks the column(s) {', '.join(missing)}; an ESCO-style CSV needs "
                f"{', '.join(REQUIRED_COLUMNS)} (other columns are ignored)."
            )
        for number, record in enumerate(reader, start=1):
            result.read = number
            uri = (record.get("conceptUri") or "").strip()
            name = " ".join((record.get("preferredLabel") or "").split())
            where = f"row {number}" + (f" ({name})" if name else "")
            if not uri:
                skipped.append(f"{where}: no conceptUri")
                continue
            if len(uri) > MAX_URI:
                skipped.append(f"{where}: conceptUri longer than {MAX_URI} characters")
                continue
            if uri in seen:
                skipped.append(f"{where}: same conceptUri as row {seen[uri]}")
                continue
            seen[uri] = number
            if not normalise_key(name):
                skipped.append(f"{where}: no preferredLabel")
                continue
            if _too_long(name):
                skipped.append(f"{where}: preferredLabel longer than {MAX_NAME} characters")
                continue
            synonyms = []
            for label in split_labels(record.get("altLabels") or ""):
                if _too_long(label):
                    skipped.append(
                        f"{where}: alternative label “{label[:40]}…” longer than "
                        f"{MAX_NAME} characters"
                    )
                else:
                    synonyms.append(label)
            rows.append(
                TaxonomyRow(
                    name=name,
                    category=category,
                    domain=domain,
                    synonyms=tuple(synonyms),
                    uri=uri,
                )
            )
    return result


class Command(BaseCommand):
    help = (
        "Import skills from an ESCO-style CSV (columns conceptUri, preferredLabel, altLabels). "
        "Safe to run again: skills are matched by conceptUri."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file, UTF-8.")
        parser.add_argument(
            "--category",
            default="Imported (ESCO)",
            help="Category for the imported skills (default: %(default)s).",
        )
        parser.add_argument(
            "--domain",
            default=Domain.OTHER.value,
            choices=Domain.values,
            help="Domain of that category when it is new (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        category = " ".join(options["category"].split())
        if len(category) > MAX_CATEGORY:
            raise CommandError(f"--category is longer than {MAX_CATEGORY} characters.")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            esco = read_esco_csv(path, category=category, domain=options["domain"])
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from None
        except csv.Error as error:
            raise CommandError(f"{path} is not a readable CSV file: {error}") from None

        report = load_taxonomy(esco.rows)
        skipped = esco.skipped + (report.skipped or [])

        self.stdout.write(f"Read {esco.read} rows from {path}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Skills created: {report.created}, updated: {report.updated}; "
                f"synonyms added: {report.synonyms}; skipped: {len(skipped)}."
            )
        )
        for reason in skipped:
            self.stdout.write(self.style.WARNING(f"  skipped {reason}"))
