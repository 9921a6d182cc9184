"""Writes for a project's money: budget lines with planned amounts per month, contingency and
management reserve, and expenses (vendor invoices, committed or paid, with the invoice file).

* Everything is in the project's currency: a budget line or expense in another currency is
  refused, saying which currency the project uses.
* Every change to the budget (a line added, changed or removed, a month's planned amount,
  the contingency or the management reserve) needs a reason and is kept as a `BudgetChange`
  row with its author: the change log on the budget page. It is also recorded in the project's
  history (`tpm.history.record`). Expenses are actuals, not budget: their changes go to the
  history only.
* Editable records carry a version; a stale edit raises `StaleVersionError` (409 on pages).
"""

import secrets
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from projects.models import Project
from resources.models import (
    BudgetCategory,
    BudgetChange,
    BudgetLine,
    BudgetLinePlan,
    Expense,
    ExpenseStatus,
    ProjectFinance,
    TimeEntry,
)
from tpm import history
from tpm.collab import check_upload
from tpm.concurrency import lock_current_version
from tpm.models import User

ZERO = Decimal(0)
REASON_REQUIRED = "Say why the budget changes: the reason is kept in the change log."


def finance_of(project: Project) -> ProjectFinance:
    finance, _ = ProjectFinance.objects.get_or_create(project=project)
    return finance


def _reason(reason: str | None) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError({"reason": REASON_REQUIRED})
    return cleaned


def check_currency(project: Project, currency: str | None, what: str = "budget line") -> str:
    """The project's currency, or a refusal naming both currencies."""
    currency = (currency or project.currency).strip().upper()
    if currency != project.currency:
        raise ValidationError(
            {
                "currency": f"{project.key}'s money is in {project.currency}; this {what} is in "
                f"{currency}. Convert the amount to {project.currency} and enter it in "
                f"{project.currency}."
            }
        )
    return currency


def _money(value: Any, field: str, label: str) -> Decimal:
    amount = Decimal(value)
    if amount < 0:
        raise ValidationError({field: f"{label} cannot be negative."})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: f"{label} has at most two decimals."})
    return amount


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01')):f}"
    return "" if value is None else str(value)


def _log(
    project: Project,
    actor: User,
    reason: str,
    changes: Mapping[str, tuple[Any, Any]],
    *,
    line: BudgetLine | None = None,
    target: models.Model | None = None,
    action: str = "updated",
) -> None:
    """One BudgetChange per changed value, and one history entry for them all."""
    rows = [
        BudgetChange(
            project=project,
            budget_line=line,
            field=field,
            old_value=_text(old)[:200],
            new_value=_text(new)[:200],
            reason=reason,
            author=actor,
        )
        for field, (old, new) in changes.items()
    ]
    BudgetChange.objects.bulk_create(rows)
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target or line or finance_of(project),
        action=action,
        scope=f"project:{project.pk}",
        changes={
            **{field: [_text(old), _text(new)] for field, (old, new) in changes.items()},
            "reason": [None, reason],
        },
    )


def _check_line_fields(project: Project, changes: dict[str, Any]) -> None:
    if "category" in changes and changes["category"] not in BudgetCategory.values:
        raise ValidationError({"category": "Choose one of the budget categories."})
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ValidationError({"name": "Give the budget line a name."})
    if "amount" in changes:
        changes["amount"] = _money(changes["amount"], "amount", "The amount")
    if "currency" in changes:
        changes["currency"] = check_currency(project, changes["currency"])


def _month(day: date) -> date:
    if day.day != 1:
        raise ValidationError({"months": f"{day:%d %b %Y} is not the first day of a month."})
    return day


@transaction.atomic
def budget_line_create(
    *,
    project: Project,
    actor: User,
    category: str,
    name: str,
    amount: Decimal,
    reason: str,
    currency: str | None = None,
    months: Mapping[date, Decimal] | None = None,
) -> BudgetLine:
    """A new budget line; `months` optionally plans its spend (first day of month -> amount)."""
    reason = _reason(reason)
    fields: dict[str, Any] = {
        "category": category,
        "name": name,
        "amount": amount,
        "currency": currency,
    }
    _check_line_fields(project, fields)
    line = BudgetLine.objects.create(project=project, **fields)
    diff: dict[str, tuple[Any, Any]] = {"created": (None, f"{line.name}: {_text(line.amount)}")}
    diff.update(_set_months(line, months or {}))
    _log(project, actor, reason, diff, line=line)
    return line


@transaction.atomic
def budget_line_update(
    *, line: BudgetLine, actor: User, version: int | None, reason: str, **changes: Any
) -> BudgetLine:
    """Change a line's name, category or amount (its currency stays the project's)."""
    unknown = set(changes) - {"name", "category", "amount", "currency"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    current = lock_current_version(line, version)
    project = Project.objects.select_related("organisation").get(pk=current.project_id)
    _check_line_fields(project, changes)
    diff = {
        name: (getattr(current, name), value)
        for name, value in changes.items()
        if getattr(current, name) != value
    }
    if not diff:
        return current
    reason = _reason(reason)
    for name, (_, value) in diff.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    _log(project, actor, reason, diff, line=current)
    return current


def _set_months(line: BudgetLine, months: Mapping[date, Decimal]) -> dict[str, tuple[Any, Any]]:
    planned = {p.month: p for p in line.plan.all()}
    diff: dict[str, tuple[Any, Any]] = {}
    for day, value in sorted(months.items()):
        month = _month(day)
        amount = _money(value or ZERO, "months", f"The amount planned for {month:%b %Y}")
        existing = planned.get(month)
        old = existing.amount if existing else ZERO
        if old == amount:
            continue
        diff[f"plan {month:%Y-%m}"] = (old, amount)
        if existing is not None and amount == ZERO:
            existing.delete()
        elif existing is not None:
            existing.amount = amount
            existing.save(update_fields=["amount"])
        else:
            BudgetLinePlan.objects.create(line=line, month=month, amount=amount)
    return diff


@transaction.atomic
def budget_line_plan_set(
    *,
    line: BudgetLine,
    actor: User,
    version: int | None,
    reason: str,
    months: Mapping[date, Decimal],
) -> BudgetLine:
    """Plan the line's spend month by month (0 removes a month). The months need not add up
    to the line's amount: the budget page says by how much they differ."""
    current = lock_current_version(line, version)
    project = Project.objects.select_related("organisation").get(pk=current.project_id)
    diff = _set_months(current, months)
    if not diff:
        return current
    reason = _reason(reason)
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    _log(project, actor, reason, diff, line=current)
    return current


@transaction.atomic(durable=True)
def budget_line_edit(
    *,
    line: BudgetLine,
    actor: User,
    version: int | None,
    reason: str,
    months: Mapping[date, Decimal],
    **changes: Any,
) -> BudgetLine:
    """The line's page: its fields (`budget_line_update`) and monthly plan (`budget_line_plan_set`)
    saved together, or neither; `version` is the one the editor started from."""
    current = budget_line_update(line=line, actor=actor, version=version, reason=reason, **changes)
    return budget_line_plan_set(
        line=current, actor=actor, version=current.version, reason=reason, months=months
    )


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor: User, reason: str) -> None:
    """Remove a line (its expenses stay, no longer on a line); the change log keeps it."""
    reason = _reason(reason)
    project = Project.objects.select_related("organisation").get(pk=line.project_id)
    _log(
        project,
        actor,
        reason,
        {"deleted": (f"{line.name}: {_text(line.amount)}", None)},
        target=finance_of(project),
        action="budget line deleted",
    )
    line.delete()


@transaction.atomic
def finance_update(
    *,
    project: Project,
    actor: User,
    version: int | None,
    reason: str = "",
    contingency: Decimal | None = None,
    management_reserve: Decimal | None = None,
    progress_from_timesheets: bool | None = None,
) -> ProjectFinance:
    """Contingency and management reserve (budget changes: a reason is required), and whether
    approved time drives the tasks' progress."""
    current = lock_current_version(finance_of(project), version)
    money: dict[str, tuple[Any, Any]] = {}
    for name, value, label in (
        ("contingency", contingency, "The contingency"),
        ("management_reserve", management_reserve, "The management reserve"),
    ):
        if value is None:
            continue
        amount = _money(value, name, label)
        if getattr(current, name) != amount:
            money[name] = (getattr(current, name), amount)
    switched = (
        progress_from_timesheets is not None
        and progress_from_timesheets != current.progress_from_timesheets
    )
    if not money and not switched:
        return current
    if money:
        reason = _reason(reason)
    for name, (_, value) in money.items():
        setattr(current, name, value)
    if switched:
        current.progress_from_timesheets = bool(progress_from_timesheets)
    current.version += 1
    current.save()
    if money:
        _log(project, actor, reason, money, target=current)
    if switched:
        history.record(
            actor=actor,
            organisation=project.organisation,
            target=current,
            action="updated",
            scope=f"project:{project.pk}",
            changes={
                "progress_from_timesheets": [
                    not current.progress_from_timesheets,
                    current.progress_from_timesheets,
                ]
            },
        )
        if current.progress_from_timesheets:
            _progress_from_time(project, actor)
    return current


def _progress_from_time(project: Project, actor: User) -> None:
    from resources.timesheets.services import project_actuals_refresh

    ids = set(
        TimeEntry.objects.approved().filter(task__project=project).values_list("task_id", flat=True)
    )
    project_actuals_refresh(project=project, task_ids=ids, actor=actor)


# Expenses -------------------------------------------------------------------------------------

EXPENSE_FIELDS = (
    "vendor",
    "description",
    "invoice_number",
    "amount",
    "currency",
    "date",
    "status",
    "budget_line",
)


def _check_expense(project: Project, fields: dict[str, Any]) -> None:
    if "vendor" in fields:
        fields["vendor"] = (fields["vendor"] or "").strip()
        if not fields["vendor"]:
            raise ValidationError({"vendor": "Name the vendor (or who was paid)."})
    if "amount" in fields:
        fields["amount"] = _money(fields["amount"], "amount", "The amount")
    if "currency" in fields:
        fields["currency"] = check_currency(project, fields["currency"], "expense")
    if "status" in fields and fields["status"] not in ExpenseStatus.values:
        raise ValidationError({"status": "An expense is committed or paid."})
    line = fields.get("budget_line")
    if line is not None and line.project_id != project.pk:
        raise ValidationError({"budget_line": "Choose a budget line of this project."})


def _attach(expense: Expense, upload: UploadedFile) -> None:
    """Check the file's limits (a refused file is never stored), then store it under a random
    key; a replaced file is deleted once the change is committed."""
    content_type = check_upload(upload)
    old = expense.attachment.name if expense.attachment else ""
    expense.attachment_key = secrets.token_hex(16)
    expense.attachment_name = (upload.name or "invoice")[-255:]
    expense.attachment_content_type = content_type
    expense.attachment_size = upload.size or 0
    expense.attachment.save(expense.attachment_key, upload, save=False)
    if old:
        storage = expense.attachment.storage
        transaction.on_commit(lambda: storage.delete(old))


def _save_with_file(expense: Expense) -> None:
    """Save the row; if that fails, the file just stored goes too."""
    try:
        expense.save()
    except Exception:
        if expense.attachment:
            expense.attachment.storage.delete(expense.attachment.name or "")
        raise


@transaction.atomic
def expense_create(
    *,
    project: Project,
    actor: User,
    vendor: str,
    amount: Decimal,
    date: date,
    status: str = ExpenseStatus.COMMITTED,
    currency: str | None = None,
    budget_line: BudgetLine | None = None,
    description: str = "",
    invoice_number: str = "",
    upload: UploadedFile | None = None,
) -> Expense:
    """Record a vendor invoice or purchase, committed or paid, with its file."""
    fields: dict[str, Any] = {
        "vendor": vendor,
        "amount": amount,
        "currency": currency,
        "status": status,
        "budget_line": budget_line,
    }
    _check_expense(project, fields)
    expense = Expense(
        project=project,
        date=date,
        description=description,
        invoice_number=invoice_number,
        created_by=actor,
        **fields,
    )
    if upload is not None:
        _attach(expense, upload)
    _save_with_file(expense)
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=expense,
        action="created",
        scope=f"project:{project.pk}",
        changes={
            "amount": [None, _text(expense.amount)],
            "status": [None, expense.status],
            "vendor": [None, expense.vendor],
        },
    )
    return expense


@transaction.atomic
def expense_update(
    *,
    expense: Expense,
    actor: User,
    version: int | None,
    upload: UploadedFile | None = None,
    **changes: Any,
) -> Expense:
    """Correct an expense or mark it paid; a new file replaces the old one."""
    unknown = set(changes) - set(EXPENSE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    current = lock_current_version(expense, version)
    project = Project.objects.select_related("organisation").get(pk=current.project_id)
    _check_expense(project, changes)
    before = history.snapshot(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    diff = history.diff(before, history.snapshot(current, changes))
    if upload is not None:
        _attach(current, upload)
        diff["attachment"] = [None, current.attachment_name]
    if not diff:
        return current
    current.version += 1
    _save_with_file(current)
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=current,
        action="updated",
        scope=f"project:{project.pk}",
        changes=diff,
    )
    return current
