"""The audit log is append-only in the database itself, not only in the ORM.

On PostgreSQL (production) no row can be changed or deleted; on SQLite no row can be
changed (see the note on deletes below). Only one change is allowed: the actor link is cleared when that account is deleted (the
entry itself stays).
"""

from django.db import migrations

GUARDED = "action, target_type, target_id, reason, data, ip, created_at"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER pulse_auditentry_no_update BEFORE UPDATE OF {GUARDED} ON pulse_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER pulse_auditentry_actor_only_cleared BEFORE UPDATE OF actor_id ON pulse_auditentry
    WHEN NEW.actor_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    # No DELETE trigger on SQLite: Django's test flush empties tables with DELETE, and SQLite
    # cannot tell it apart. The ORM refuses deletes (models.py); PostgreSQL enforces both.
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS pulse_auditentry_no_update",
    "DROP TRIGGER IF EXISTS pulse_auditentry_actor_only_cleared",
]
POSTGRES_FORWARD = [
    """CREATE FUNCTION pulse_auditentry_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'audit entries are append-only';
        END IF;
        IF NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id
           OR (NEW.action, NEW.target_type, NEW.target_id, NEW.reason, NEW.data::text, NEW.ip,
               NEW.created_at)
              IS DISTINCT FROM
              (OLD.action, OLD.target_type, OLD.target_id, OLD.reason, OLD.data::text, OLD.ip,
               OLD.created_at) THEN
            RAISE EXCEPTION 'audit entries are append-only';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER pulse_auditentry_append_only BEFORE UPDATE OR DELETE ON pulse_auditentry
    FOR EACH ROW EXECUTE FUNCTION pulse_auditentry_append_only()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS pulse_auditentry_append_only ON pulse_auditentry",
    "DROP FUNCTION IF EXISTS pulse_auditentry_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("pulse", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
