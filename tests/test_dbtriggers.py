"""Triggers that a SQLite table rebuild drops are put back after migrate."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from townsquare.lib.dbtriggers import repair_after_migrate


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the repair is for SQLite rebuilds")
def test_search_triggers_dropped_by_a_table_rebuild_come_back_and_reindex(make_member) -> None:
    alice = make_member(name="Alice Archer", headline="Backend engineer")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER members_profile_fts_au")
        cursor.execute("DROP TRIGGER pulse_auditentry_no_update")
    repair_after_migrate(using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT rowid FROM members_profile_fts WHERE members_profile_fts MATCH 'backend'"
        )
        found = [row[0] for row in cursor.fetchall()]
    assert {"members_profile_fts_au", "pulse_auditentry_no_update"} <= names
    assert found == [alice.pk]


@pytest.mark.django_db(transaction=True)
def test_search_finds_profiles_after_all_migrations(make_member) -> None:
    # Migrations after the search index (0005 rebuilt members_profile on SQLite) must not
    # leave the index without its triggers.
    call_command("migrate", verbosity=0)
    make_member(name="Alice Archer", headline="Backend engineer")
    from townsquare.members.models import Profile
    from townsquare.members.search import search_profiles

    assert list(
        search_profiles(Profile.objects.all(), "backend").values_list("user__name", flat=True)
    ) == ["Alice Archer"]
