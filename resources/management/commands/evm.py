"""`manage.py evm --org SLUG --key KEY [--status-date YYYY-MM-DD] [--format json|text]`.

Prints a project's earned-value figures at a status date: the same numbers as the EVM page and
the API (all three call `resources.evm.selectors.project_evm`).
"""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import Baseline, Project
from resources.evm import figures as evm_figures
from resources.evm.selectors import EvmReport, evm_json, project_evm


def _status_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--status-date {text!r} is not a date (YYYY-MM-DD).") from error


def _text(report: EvmReport, ratio_places: int) -> str:
    figures = report.result.project.rounded(
        money_places=report.money_places, ratio_places=ratio_places
    )
    source = (
        f"baseline {report.baseline.name!r}"
        if report.baseline
        else "the current plan (no baseline saved)"
    )
    lines = [
        f"Earned value of {report.project.key} {report.project.name} "
        f"at the end of {report.status_date:%Y-%m-%d} ({report.currency}; planned value "
        f"from {source})",
        "",
    ]
    width = max(len(label) for label in evm_figures.FIGURE_LABELS.values())
    for name, label in evm_figures.FIGURE_LABELS.items():
        value = figures[name]
        shown = "not defined yet" if value is None else f"{value:,f}"
        lines.append(f"{label:<{width}}  {shown:>18}")
    if report.unrated_hours:
        lines.append(f"\n{report.unrated_hours} approved hours have no rate: AC leaves them out.")
    if report.committed:
        lines.append(f"Committed (unpaid) expenses, not in AC: {report.committed:,}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print a project's earned-value figures (PV, EV, AC, SPI, CPI, EAC, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--key", required=True, help="The project's key.")
        parser.add_argument(
            "--status-date", help="YYYY-MM-DD (default: the project's status date, else today)."
        )
        parser.add_argument("--baseline", help="A baseline's name (default: the latest).")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument(
            "--ratio-places", type=int, default=4, help="Decimals of SPI, CPI, TCPI (default 4)."
        )
        parser.add_argument(
            "--branches", action="store_true", help="JSON: add every WBS branch's figures."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        project = (
            Project.objects.alive()
            .select_related("organisation")
            .filter(organisation__slug=options["org"], key=options["key"].upper())
            .first()
        )
        if project is None:
            raise CommandError(f"No project {options['key']} in {options['org']!r}.")
        baseline = None
        if options["baseline"]:
            baseline = Baseline.objects.filter(project=project, name=options["baseline"]).first()
            if baseline is None:
                raise CommandError(f"{project.key} has no baseline {options['baseline']!r}.")
        try:
            report = project_evm(
                project, status_date=_status_date(options["status_date"]), baseline=baseline
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            data = evm_json(
                report, ratio_places=options["ratio_places"], branches=options["branches"]
            )
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self.stdout.write(_text(report, options["ratio_places"]))
