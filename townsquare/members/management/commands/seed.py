"""`townsquare seed`: a realistic, deterministic community in an empty database.

    townsquare seed --members 100000 --seed 1 [--password P] [--connections-per-member 10]

Members come from role archetypes (members/seeding/archetypes.py) in world regions
(seeding/world.py), with the fixed demo cast at fixed emails (alice, bob, carol, mona,
admin, eve @demo.townsquare.local) that `townsquare demo` prints. The cast always gets
--password (default "townsquare-demo"); everyone else gets it only when --password is given,
and an unusable password otherwise. One hash serves every account: hashing per user with
argon2 would take hours at this size.
"""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from townsquare.fabric.models import Connection
from townsquare.fabric.services import request_graph_rebuild
from townsquare.members.models import Application, Profile, ProfileSkill, User
from townsquare.members.seeding.generate import (
    APPLICATION_FIELDS,
    CONNECTION_FIELDS,
    PROFILE_FIELDS,
    PROFILE_SKILL_FIELDS,
    USER_FIELDS,
    Batch,
    Generator,
    SkillRef,
)
from townsquare.members.seeding.writer import RowWriter, indexes_deferred
from townsquare.members.services import skill_search_terms
from townsquare.pulse.services import record_audit
from townsquare.skills.models import Skill
from townsquare.skills.services import load_taxonomy, read_shipped_taxonomy

DEFAULT_PASSWORD = "townsquare-demo"  # noqa: S105 - the local demo's published password
BATCH = 5000
# Below this many members a progress bar is noise.
PROGRESS_FROM = 5000


def load_skill_refs() -> dict[str, SkillRef]:
    """Accepted skills by name with the terms the directory indexes (two queries)."""
    if not Skill.objects.filter(status=Skill.Status.ACCEPTED).exists():
        load_taxonomy(read_shipped_taxonomy())
    skills = Skill.objects.filter(status=Skill.Status.ACCEPTED).prefetch_related("synonyms")
    return {s.name: SkillRef(id=s.pk, terms=tuple(skill_search_terms(s))) for s in skills}


class Command(BaseCommand):
    help = "Fill an empty database with a realistic, deterministic demo community."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=400, help="Admitted members (≥ 2).")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same community.")
        parser.add_argument(
            "--password",
            default=None,
            help=f'Password for every seeded account (the cast gets "{DEFAULT_PASSWORD}" if unset; '
            "everyone else then gets an unusable password).",
        )
        parser.add_argument(
            "--connections-per-member",
            type=float,
            default=10.0,
            help="Average number of connections a member ends up with (default 10).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        members = options["members"]
        if members < 2:
            raise CommandError("--members must be at least 2 (alice and bob).")
        if options["connections_per_member"] < 0:
            raise CommandError("--connections-per-member must not be negative.")
        existing = User.objects.count()
        if existing:
            raise CommandError(
                f"The database already has {existing} accounts; seed only fills an empty "
                "database. Point DATABASE_URL at a new database, or empty this one with "
                "`townsquare flush`."
            )
        started = time.monotonic()
        password = options["password"]
        cast_hash = make_password(password or DEFAULT_PASSWORD)
        others_hash = cast_hash if password else make_password(None)
        generator = Generator(
            members=members,
            seed=options["seed"],
            connections_per_member=options["connections_per_member"],
            now=timezone.now().replace(microsecond=0),
            skills=load_skill_refs(),
            password_hash=others_hash,
            cast_password_hash=cast_hash,
        )
        writer = RowWriter()
        quiet = options["verbosity"] == 0 or members < PROGRESS_FROM
        loaded = [User, Profile, ProfileSkill, Application, Connection]
        with transaction.atomic(), indexes_deferred(loaded):
            self._write(writer, generator.cast_and_staff())
            with tqdm(total=members, unit="member", desc="members", disable=quiet) as bar:
                bar.update(2)
                for batch in generator.member_batches(BATCH):
                    self._write(writer, batch)
                    bar.update(len(batch))
            self._write(writer, generator.applicant_batch())
            if not quiet:
                self.stderr.write("connections: weaving the graph…")
            ties = generator.connections()
            with tqdm(total=len(ties), unit="tie", desc="connections", disable=quiet) as bar:
                for start in range(0, len(ties), 50_000):
                    chunk = ties[start : start + 50_000]
                    writer.write(Connection, CONNECTION_FIELDS, chunk)
                    bar.update(len(chunk))
            writer.finish([User])
            # The ties bypassed the fabric services: tell every running process to rebuild.
            request_graph_rebuild()
            record_audit(
                None, "seed.run",
                data={"members": members, "seed": options["seed"], "rows": writer.written},
            )  # fmt: skip
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Sets the visibility map and statistics now rather than leaving a fresh table of
            # a million rows to autovacuum (index-only scans need the map). Not possible
            # inside an outer transaction (tests), where ANALYZE above has to do.
            with connection.cursor() as cursor:
                for label in writer.written:
                    table = apps.get_model(label)._meta.db_table
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        elapsed = time.monotonic() - started
        if options["verbosity"] > 0:
            counts = ", ".join(f"{n:,} {label}" for label, n in writer.written.items())
            self.stdout.write(self.style.SUCCESS(f"Seeded in {elapsed:.1f} s: {counts}."))

    def _write(self, writer: RowWriter, batch: Batch) -> None:
        writer.write(User, USER_FIELDS, batch.users)
        writer.write(Profile, PROFILE_FIELDS, batch.profiles)
        writer.write(ProfileSkill, PROFILE_SKILL_FIELDS, batch.profile_skills)
        if batch.applications:
            writer.write(Application, APPLICATION_FIELDS, batch.applications)
