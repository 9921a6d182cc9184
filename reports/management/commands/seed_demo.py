"""`manage.py seed_demo`: a demo organisation, one user per role and three projects.

Lives in the top app because it seeds every app; later issues add their part here.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from projects.agile.demo import seed_agile
from projects.changes.demo import seed_changes
from projects.demo import seed_projects
from projects.plan.demo import seed_calendar, seed_plans
from projects.scope.demo import seed_scope
from projects.work.demo import seed_collaboration
from reports.demo import seed_reports
from resources.demo import seed_resources
from risks.demo import seed_risks
from tpm.demo import DEMO_PASSWORD, demo_exists, seed_people


class Command(BaseCommand):
    help = "Create demo data: an organisation, one user per role and three projects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when the demo organisation already exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already present; nothing to do.")
                return
            self.stderr.write("The demo organisation exists already; use a fresh database.")
            raise SystemExit(1)
        with transaction.atomic():
            organisation, people = seed_people()
            today = timezone.localdate()
            projects = seed_projects(organisation, people, today)
            seed_calendar(organisation)
            task_count = seed_plans(projects, people, today)
            seed_agile(projects, people, today)  # workflow, points, sprints with history (issue 4)
            seed_resources(projects, people, today)  # pool, rates, time, budgets (issue 5)
            risk_count = seed_risks(projects, people, today)
            seed_scope(projects, people, today)  # charter, objectives, gates (issue 7)
            seed_changes(projects, people)  # change requests, one re-baselined (issue 7)
            seed_collaboration(projects, people)  # comments, mentions, a file (issue 4)
            # Last: reports snapshot what every other app seeded.
            report_count = seed_reports(projects, people)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {organisation} with {len(projects)} projects, {task_count} tasks, "
                f"{risk_count} risks and {report_count} status reports."
            )
        )
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for role, user in people.rows():
            self.stdout.write(f"  {role:<24} {user.email:<22} {user.full_name}")
