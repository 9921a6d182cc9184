"""`manage.py import_mspdi PATH --org SLUG --key KEY [--as EMAIL]`: a project from MS Project."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.mspdi.importer import project_import_mspdi
from tpm.models import Membership, Organisation, User
from tpm.roles import OrgRole


class Command(BaseCommand):
    help = "Import a Microsoft Project XML (MSPDI) file as a new project of an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The MSPDI (.xml) file.")
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--key", required=True, help="The new project's key, e.g. WEB.")
        parser.add_argument(
            "--as",
            dest="email",
            default="",
            help="Who imports it (becomes its manager); default: the organisation's first admin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug {options['org']!r}.")
        actor = _actor(organisation, options["email"])
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            report = project_import_mspdi(
                organisation=organisation, actor=actor, key=options["key"], data=path.read_bytes()
            )
        except ValidationError as error:
            raise CommandError(_message(error)) from error
        project = report.project
        self.stdout.write(
            self.style.SUCCESS(f"Imported {project.key} {project.name}: {report.summary()}")
        )


def _actor(organisation: Organisation, email: str) -> User:
    memberships = Membership.objects.filter(organisation=organisation).select_related("user")
    if email:
        membership = memberships.filter(user__email__iexact=email).first()
        if membership is None:
            raise CommandError(f"{email} is not a member of {organisation.slug}.")
        return membership.user
    admin = memberships.filter(role=OrgRole.ADMIN).order_by("created_at", "pk").first()
    if admin is None:
        raise CommandError(f"{organisation.slug} has no admin; name the importer with --as.")
    return admin.user


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items()
        )
    return " ".join(error.messages)
