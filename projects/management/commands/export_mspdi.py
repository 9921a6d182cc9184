"""`manage.py export_mspdi --org SLUG --key KEY PATH`: a project as Microsoft Project XML."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import Project
from projects.mspdi.importer import project_export_mspdi


class Command(BaseCommand):
    help = "Export a project's plan and computed schedule as Microsoft Project XML (MSPDI)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--key", required=True, help="The project's key.")
        parser.add_argument("path", type=Path, help="Where to write the .xml file.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = (
            Project.objects.alive()
            .select_related("organisation")
            .filter(organisation__slug=options["org"], key=options["key"].upper())
            .first()
        )
        if project is None:
            raise CommandError(f"No project {options['key']} in {options['org']!r}.")
        data = project_export_mspdi(project=project)
        path: Path = options["path"]
        path.write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {project.key} to {path} ({len(data):,} bytes).")
        )
