"""Forms of the timesheet pages. The week grid itself is read by resources/timesheets/grid.py
(its cells are not Django fields: their number depends on the rows)."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from resources.timesheets import grid


def week_from(value: str | None, today: date | None = None) -> date:
    """The Monday of the week holding the given day (YYYY-MM-DD); this week when absent or
    unreadable."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    return grid.week_start(day or today or timezone.localdate())


def task_ids(values: list[str]) -> set[int]:
    """Task ids from query or post values (`add=12&add=15`, `tasks=12,15`); junk is ignored."""
    ids = set()
    for value in values:
        for part in value.split(","):
            if part.strip().isdigit():
                ids.add(int(part))
    return ids


class DecisionForm(forms.Form):
    """A manager's decision on one person's week in the project."""

    DECISIONS = [("approve", "Approve"), ("reject", "Send back"), ("reopen", "Reopen")]

    decision = forms.ChoiceField(choices=DECISIONS)
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    week = forms.DateField(widget=forms.HiddenInput)
    entries = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(max_length=500, required=False, widget=forms.TextInput)

    def clean_week(self) -> date:
        week: date = self.cleaned_data["week"]
        if week.weekday() != 0:
            raise forms.ValidationError("A timesheet week starts on a Monday.")
        return week

    def entry_ids(self) -> set[int] | None:
        text = self.cleaned_data.get("entries") or ""
        return task_ids([text]) if text else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") in {"reject", "reopen"} and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why, so the person knows what to change.")
        return data
