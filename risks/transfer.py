"""The register in and out of spreadsheets: export as CSV/XLSX, import with a dry run.

An import maps the file's columns to the register's fields, converts each row with the same
rules (and the same service, `risk_create`) as the form, and reports the errors per row. A dry
run rolls everything back; a real import saves every row or none.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from projects.models import Project
from tpm import money
from tpm.models import User

from . import scoring, selectors, services, tabular
from .models import Risk, RiskCategory, RiskKind, RiskStatus, RiskStrategy

# (field, column title) in the order of the export; the import accepts the same titles.
COLUMNS: list[tuple[str, str]] = [
    ("ref", "Ref"),
    ("title", "Title"),
    ("kind", "Kind"),
    ("category", "Category"),
    ("status", "Status"),
    ("owner", "Owner email"),
    ("cause", "Cause"),
    ("event", "Event"),
    ("effect", "Effect"),
    ("probability", "Probability"),
    ("impact_schedule", "Schedule impact"),
    ("impact_cost", "Cost impact rating"),
    ("impact_scope", "Scope impact"),
    ("impact_quality", "Quality impact"),
    ("score", "Score"),
    ("level", "Level"),
    ("residual_probability", "Residual probability"),
    ("residual_impact", "Residual impact"),
    ("residual_score", "Residual score"),
    ("cost_impact", "Cost impact"),
    ("emv", "EMV"),
    ("schedule_impact_days", "Schedule impact days"),
    ("expected_days", "Expected delay days"),
    ("strategy", "Strategy"),
    ("response_plan", "Response plan"),
    ("contingency_plan", "Contingency plan"),
    ("trigger", "Trigger"),
    ("proximity", "Proximity"),
    ("raised_on", "Raised on"),
    ("next_review_on", "Next review"),
]

# What an import may set; the rest of the export (ref, scores, EMV) is computed.
IMPORTABLE = [
    "title",
    "kind",
    "category",
    "status",
    "owner",
    "cause",
    "event",
    "effect",
    "probability",
    "impact_schedule",
    "impact_cost",
    "impact_scope",
    "impact_quality",
    "residual_probability",
    "residual_impact",
    "cost_impact",
    "schedule_impact_days",
    "strategy",
    "response_plan",
    "contingency_plan",
    "trigger",
    "proximity",
    "raised_on",
    "next_review_on",
]
TITLES = dict(COLUMNS)
REQUIRED = ("title", "probability")


def export_columns(*, with_money: bool = True) -> list[tuple[str, str]]:
    """The columns of an export; amounts (tpm/money.py) only for readers who see money."""
    return [(n, t) for n, t in COLUMNS if with_money or not money.is_money_key(n)]


def export_rows(
    risks: list[Risk], thresholds: scoring.Thresholds, *, with_money: bool = True
) -> list[list[Any]]:
    rows = []
    for risk in risks:
        values = {
            "ref": risk.ref,
            "kind": risk.kind,
            "category": risk.category.name,
            "owner": risk.owner.email if risk.owner else "",
            "level": scoring.level(risk.score, thresholds).value,
            "emv": risk.emv(),
            "expected_days": risk.expected_days(),
        }
        rows.append(
            [
                values[name] if name in values else getattr(risk, name)
                for name, _ in export_columns(with_money=with_money)
            ]
        )
    return rows


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(project: Project, fmt: str, *, with_money: bool = True) -> HttpResponse:
    """The whole register (every status) as a file to download."""
    thresholds = services.settings_for(project.organisation).thresholds()
    risks = list(
        selectors.project_register(
            project=project,
            filters=selectors.RegisterFilters(status="all", sort="ref"),
            thresholds=thresholds,
        )
    )
    header = [title for _, title in export_columns(with_money=with_money)]
    rows = export_rows(risks, thresholds, with_money=with_money)
    if fmt == "csv":
        content = tabular.write_csv(header, rows)
    else:
        content = tabular.write_xlsx(header, rows, title=f"{project.key} risks")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{project.key}-risks-{stamp}.{fmt}"'
    return response


def guess_mapping(header: list[str]) -> dict[str, int | None]:
    """Field -> column index, matching titles or field names, ignoring case and spaces."""

    def norm(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    index = {norm(title): i for i, title in enumerate(header)}
    mapping: dict[str, int | None] = {}
    for name in IMPORTABLE:
        mapping[name] = index.get(norm(TITLES[name]), index.get(norm(name)))
    return mapping


@dataclass
class RowResult:
    line: int  # the line in the file (the header is line 1)
    title: str
    errors: list[str] = field(default_factory=list)
    score: int | None = None


@dataclass
class ImportResult:
    rows: list[RowResult]
    saved: bool

    @property
    def error_count(self) -> int:
        return sum(bool(row.errors) for row in self.rows)


def _date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date (use YYYY-MM-DD)")


def _choice(text: str, choices: Any, noun: str) -> str:
    lowered = text.strip().lower()
    for value, label in choices:
        if lowered in (str(value).lower(), str(label).lower()):
            return str(value)
    allowed = ", ".join(str(v) for v, _ in choices if v)
    raise ValueError(f"{noun} “{text}” is not one of: {allowed}")


class _Context:
    def __init__(self, project: Project) -> None:
        services.categories_ensure(organisation=project.organisation)
        self.categories = {
            c.name.lower(): c
            for c in RiskCategory.objects.filter(organisation_id=project.organisation_id)
        }
        self.people = {u.email.lower(): u for u in selectors.project_people(project=project)}


def _convert(raw: dict[str, str], ctx: _Context) -> tuple[dict[str, Any], list[str]]:
    """Text cells to the service's values; messages for the cells that cannot be read."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    for name, text in raw.items():
        if text == "":
            continue
        label = TITLES[name]
        try:
            if name in services.RATING_FIELDS or name == "schedule_impact_days":
                if not text.lstrip("-").isdigit():
                    raise ValueError(f"{label} must be a whole number, not “{text}”")
                values[name] = int(text)
            elif name == "cost_impact":
                try:
                    values[name] = Decimal(text.replace(",", ""))
                except InvalidOperation as error:
                    raise ValueError(f"{label} must be an amount, not “{text}”") from error
            elif name in ("proximity", "raised_on", "next_review_on"):
                values[name] = _date(text)
            elif name == "kind":
                values[name] = _choice(text, RiskKind.choices, "Kind")
            elif name == "status":
                values[name] = _choice(text, RiskStatus.choices, "Status")
            elif name == "strategy":
                values[name] = _choice(text, RiskStrategy.choices, "Strategy")
            elif name == "category":
                category = ctx.categories.get(text.lower())
                if category is None:
                    raise ValueError(
                        f"No category “{text}”; use one of: "
                        + ", ".join(c.name for c in ctx.categories.values())
                    )
                values[name] = category
            elif name == "owner":
                person = ctx.people.get(text.lower())
                if person is None:
                    raise ValueError(f"{text} has no role in this project")
                values[name] = person
            else:
                values[name] = text
        except ValueError as error:
            errors.append(f"{error}.")
    for name in REQUIRED:
        if name not in values and not any(TITLES[name] in e for e in errors):
            errors.append(f"{TITLES[name]} is required.")
    return values, errors


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{TITLES.get(name, name.replace('_', ' ').capitalize())}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def risks_import(
    *,
    project: Project,
    actor: User,
    header: list[str],
    rows: list[list[str]],
    mapping: dict[str, int | None],
    dry_run: bool,
) -> ImportResult:
    """Validate every row through `risk_create`; save all of them only when none fails."""
    results: list[RowResult] = []
    with transaction.atomic():
        ctx = _Context(project)
        for offset, row in enumerate(rows, start=2):
            raw = {
                name: row[column].strip()
                for name, column in mapping.items()
                if column is not None and 0 <= column < len(row)
            }
            values, errors = _convert(raw, ctx)
            result = RowResult(line=offset, title=raw.get("title", ""), errors=errors)
            results.append(result)
            if errors:
                continue
            try:
                with transaction.atomic():  # a savepoint per row: one bad row, one message
                    risk = services.risk_create(
                        project=project, actor=actor, note="Imported.", **values
                    )
                    result.score = risk.score
            except ValidationError as error:
                result.errors.extend(_messages(error))
        failed = any(result.errors for result in results)
        if dry_run or failed:
            transaction.set_rollback(True)
    return ImportResult(rows=results, saved=not (dry_run or failed))
