"""The database refuses to change a published status report, whatever code tries.

SQLite and PostgreSQL each get a BEFORE UPDATE trigger that aborts when the old row is
published and the update touches what the report says. Links to other rows may still be cleared
when those rows go (a deleted schedule or user sets them to NULL), and deleting stays possible
(a project purge cascades to its reports).
"""

from django.db import migrations

MESSAGE = "published status reports are immutable"
GUARDED = (
    "project_id, status, title, snapshot, generated_at, summary, accomplishments, "
    "next_steps, asks, period, published_at"
)

SQLITE_UP = f"""
CREATE TRIGGER reports_statusreport_published_immutable
BEFORE UPDATE OF {GUARDED} ON reports_statusreport
FOR EACH ROW WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS reports_statusreport_published_immutable;"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION reports_statusreport_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_statusreport_published_immutable
BEFORE UPDATE OF {GUARDED} ON reports_statusreport
FOR EACH ROW WHEN (OLD.status = 'published')
EXECUTE FUNCTION reports_statusreport_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS reports_statusreport_published_immutable ON reports_statusreport;
DROP FUNCTION IF EXISTS reports_statusreport_refuse_update();
"""


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
