"""The directory's text index, in each database's own engine (see members/search.py)."""

from django.db import migrations

SQLITE_FORWARD = [
    # External-content FTS5 over members_profile.search_document, rowid = user_id.
    """CREATE VIRTUAL TABLE members_profile_fts USING fts5(
        search_document, content='members_profile', content_rowid='user_id',
        tokenize="porter unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER members_profile_fts_ai AFTER INSERT ON members_profile BEGIN
        INSERT INTO members_profile_fts(rowid, search_document)
        VALUES (new.user_id, new.search_document);
    END""",
    """CREATE TRIGGER members_profile_fts_ad AFTER DELETE ON members_profile BEGIN
        INSERT INTO members_profile_fts(members_profile_fts, rowid, search_document)
        VALUES ('delete', old.user_id, old.search_document);
    END""",
    """CREATE TRIGGER members_profile_fts_au AFTER UPDATE OF search_document ON members_profile
    BEGIN
        INSERT INTO members_profile_fts(members_profile_fts, rowid, search_document)
        VALUES ('delete', old.user_id, old.search_document);
        INSERT INTO members_profile_fts(rowid, search_document)
        VALUES (new.user_id, new.search_document);
    END""",
    "INSERT INTO members_profile_fts(members_profile_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS members_profile_fts_au",
    "DROP TRIGGER IF EXISTS members_profile_fts_ad",
    "DROP TRIGGER IF EXISTS members_profile_fts_ai",
    "DROP TABLE IF EXISTS members_profile_fts",
]
POSTGRES_FORWARD = [
    # 'simple' config: skill names and people's names must not be stemmed or stop-worded.
    """ALTER TABLE members_profile ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', search_document)) STORED""",
    "CREATE INDEX members_profile_search_gin ON members_profile USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS members_profile_search_gin",
    "ALTER TABLE members_profile DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
