"""Cost figures computed ahead (reports.models.CostFigures), and the triggers that keep them honest.

Every write to what a project's earned value is made of bumps the project's `generation`, whatever
code makes it (services, bulk updates of a reschedule, imports, the admin): the figures stored for
an older generation are then ignored until `reports.sources.cost.refresh` computes them again.

* project-scoped tables: tasks, time entries (through their task), budget lines and their month
  plans, expenses, reserves, baselines and their tasks, history entries of a project (recorded
  progress), the project row itself (its deletion removes the row);
* organisation-scoped tables (rates, resources, calendars and their exceptions) bump every project
  of the organisation.

PostgreSQL: one statement-level trigger per table and event, reading the transition table, so a
bulk insert of thousands of rows costs one upsert per statement. SQLite (the tests): row-level.
"""

from django.db import migrations, models

# table -> (events, PostgreSQL: the project ids of the rows in transition table `changed`,
#           SQLite: a SELECT of (project id, 1, 0) for the row `{row}` (NEW or OLD))
ALL = ("INSERT", "UPDATE", "DELETE")
PROJECT_OF_ORG_PG = (
    "SELECT p.id FROM projects_project p WHERE p.organisation_id IN "
    "(SELECT organisation_id FROM changed)"
)
PROJECT_OF_ORG_SQLITE = (
    "SELECT p.id, 1, 0 FROM projects_project p WHERE p.organisation_id = {row}.organisation_id"
)
SOURCES = {
    "projects_task": (
        ALL,
        "SELECT project_id FROM changed",
        "SELECT {row}.project_id, 1, 0 WHERE true",
    ),
    "resources_timeentry": (
        ALL,
        "SELECT t.project_id FROM changed c JOIN projects_task t ON t.id = c.task_id",
        "SELECT t.project_id, 1, 0 FROM projects_task t WHERE t.id = {row}.task_id",
    ),
    "resources_budgetline": (
        ALL,
        "SELECT project_id FROM changed",
        "SELECT {row}.project_id, 1, 0 WHERE true",
    ),
    "resources_budgetlineplan": (
        ALL,
        "SELECT l.project_id FROM changed c JOIN resources_budgetline l ON l.id = c.line_id",
        "SELECT l.project_id, 1, 0 FROM resources_budgetline l WHERE l.id = {row}.line_id",
    ),
    "resources_expense": (
        ALL,
        "SELECT project_id FROM changed",
        "SELECT {row}.project_id, 1, 0 WHERE true",
    ),
    "resources_projectfinance": (
        ALL,
        "SELECT project_id FROM changed",
        "SELECT {row}.project_id, 1, 0 WHERE true",
    ),
    "projects_baseline": (
        ALL,
        "SELECT project_id FROM changed",
        "SELECT {row}.project_id, 1, 0 WHERE true",
    ),
    "projects_baselinetask": (
        ALL,
        "SELECT b.project_id FROM changed c JOIN projects_baseline b ON b.id = c.baseline_id",
        "SELECT b.project_id, 1, 0 FROM projects_baseline b WHERE b.id = {row}.baseline_id",
    ),
    "tpm_historyentry": (
        ("INSERT",),
        "SELECT CAST(substr(scope, 9) AS bigint) FROM changed WHERE scope ~ '^project:[0-9]+$'",
        "SELECT CAST(substr({row}.scope, 9) AS INTEGER), 1, 0 "
        "WHERE {row}.scope GLOB 'project:[0-9]*'",
    ),
    "projects_project": (
        ("INSERT", "UPDATE"),
        "SELECT id FROM changed",
        "SELECT {row}.id, 1, 0 WHERE true",
    ),
    "resources_costrate": (ALL, PROJECT_OF_ORG_PG, PROJECT_OF_ORG_SQLITE),
    "resources_resource": (ALL, PROJECT_OF_ORG_PG, PROJECT_OF_ORG_SQLITE),
    "projects_workcalendar": (ALL, PROJECT_OF_ORG_PG, PROJECT_OF_ORG_SQLITE),
    "projects_calendarexception": (
        ALL,
        "SELECT p.id FROM projects_project p JOIN projects_workcalendar w "
        "ON w.organisation_id = p.organisation_id JOIN changed c ON c.calendar_id = w.id",
        "SELECT p.id, 1, 0 FROM projects_project p JOIN projects_workcalendar w "
        "ON w.organisation_id = p.organisation_id WHERE w.id = {row}.calendar_id",
    ),
}

BUMP_PG = """
CREATE OR REPLACE FUNCTION reports_cost_figures_bump(ids bigint[]) RETURNS void AS $$
    INSERT INTO reports_costfigures (project_id, generation, computed_generation)
    SELECT DISTINCT id, 1, 0 FROM unnest(ids) AS id WHERE id IS NOT NULL ORDER BY id
    ON CONFLICT (project_id) DO UPDATE SET generation = reports_costfigures.generation + 1;
$$ LANGUAGE sql;
CREATE OR REPLACE FUNCTION reports_cost_figures_forget() RETURNS trigger AS $$
BEGIN
    DELETE FROM reports_costfigures WHERE project_id IN (SELECT id FROM changed);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_cost_figures_projects_project_forget AFTER DELETE ON projects_project
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
EXECUTE FUNCTION reports_cost_figures_forget();
"""


def _postgres_up() -> list[str]:
    statements = [BUMP_PG]
    for table, (events, ids, _) in SOURCES.items():
        function = f"reports_cost_figures_from_{table}"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$\n"
            f"BEGIN\n    PERFORM reports_cost_figures_bump(ARRAY({ids}));\n"
            "    RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql;"
        )
        for event in events:
            transition = "OLD" if event == "DELETE" else "NEW"
            statements.append(
                f"CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {transition} TABLE AS changed FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {function}();"
            )
    return statements


def _postgres_down() -> list[str]:
    statements = [
        "DROP TRIGGER IF EXISTS reports_cost_figures_projects_project_forget ON projects_project;"
    ]
    for table, (events, _, _) in SOURCES.items():
        function = f"reports_cost_figures_from_{table}"
        for event in events:
            statements.append(f"DROP TRIGGER IF EXISTS {function}_{event.lower()} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {function}();")
    statements.append("DROP FUNCTION IF EXISTS reports_cost_figures_forget();")
    statements.append("DROP FUNCTION IF EXISTS reports_cost_figures_bump(bigint[]);")
    return statements


def _sqlite_name(table: str, event: str) -> str:
    return f"reports_cost_figures_{table}_{event.lower()}"


def _sqlite_up() -> list[str]:
    statements = [
        "CREATE TRIGGER reports_cost_figures_projects_project_forget AFTER DELETE ON "
        "projects_project FOR EACH ROW BEGIN "
        "DELETE FROM reports_costfigures WHERE project_id = OLD.id; END;"
    ]
    for table, (events, _, select) in SOURCES.items():
        for event in events:
            row = "OLD" if event == "DELETE" else "NEW"
            statements.append(
                f"CREATE TRIGGER {_sqlite_name(table, event)} AFTER {event} ON {table} "
                "FOR EACH ROW BEGIN "
                "INSERT INTO reports_costfigures (project_id, generation, computed_generation) "
                f"{select.format(row=row)} "
                "ON CONFLICT (project_id) DO UPDATE SET generation = generation + 1; END;"
            )
    return statements


def _sqlite_down() -> list[str]:
    statements = ["DROP TRIGGER IF EXISTS reports_cost_figures_projects_project_forget;"]
    for table, (events, _, _) in SOURCES.items():
        statements += [f"DROP TRIGGER IF EXISTS {_sqlite_name(table, e)};" for e in events]
    return statements


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        make = statements_by_vendor.get(schema_editor.connection.vendor)
        for statement in make() if make else ():
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0011_plan_dates_within_bounds"),
        ("resources", "0002_one_time_entry_per_task_and_day"),
        ("tpm", "0004_notification_email_state_pending_jobs"),
        ("reports", "0004_delivery_claim"),
    ]

    operations = [
        migrations.CreateModel(
            name="CostFigures",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="projects.project",
                    ),
                ),
                ("generation", models.PositiveBigIntegerField(default=1)),
                ("computed_generation", models.PositiveBigIntegerField(default=0)),
                ("as_of", models.DateField(blank=True, null=True)),
                ("data", models.JSONField(blank=True, null=True)),
                ("computed_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": _sqlite_up, "postgresql": _postgres_up}),
            _run({"sqlite": _sqlite_down, "postgresql": _postgres_down}),
        ),
    ]
