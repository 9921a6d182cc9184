"""What a plan edit changes, typed: one frozen dataclass per kind of edit.

Every field defaults to `NOT_GIVEN`, so a partial update says only what it changes (`None` is a
value: "clear the deadline"). `given()` is the changes as {field: value}, in declaration
order; `from_dict` builds one from parsed input (a form's or serializer's data, a stored
change-request proposal) and refuses a field the edit does not change, naming it.
"""

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, Self

from django.core.exceptions import ValidationError

from projects.models import WorkCalendar
from tpm.models import User


class NotGiven(enum.Enum):
    """The sentinel of a field the edit leaves as it is."""

    NOT_GIVEN = "not given"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven.NOT_GIVEN


class _Changes:
    def given(self) -> dict[str, Any]:
        """The fields this edit changes, with their new values."""
        values = ((field.name, getattr(self, field.name)) for field in fields(self))  # type: ignore[arg-type]
        return {name: value for name, value in values if value is not NOT_GIVEN}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        unknown = set(data) - set(cls.names())
        if unknown:
            raise ValidationError(
                dict.fromkeys(sorted(unknown), "This field cannot be changed here.")
            )
        return cls(**data)


@dataclass(frozen=True)
class TaskChanges(_Changes):
    """A planner's edit of a task (task_update); dates follow."""

    name: str | NotGiven = NOT_GIVEN
    notes: str | NotGiven = NOT_GIVEN
    duration_minutes: int | NotGiven = NOT_GIVEN
    effort_hours: Decimal | NotGiven | None = NOT_GIVEN
    cost: Decimal | NotGiven | None = NOT_GIVEN
    actual_cost: Decimal | NotGiven | None = NOT_GIVEN
    deadline: date | NotGiven | None = NOT_GIVEN
    constraint_type: str | NotGiven = NOT_GIVEN
    constraint_date: datetime | NotGiven | None = NOT_GIVEN
    is_manual: bool | NotGiven = NOT_GIVEN
    manual_start: datetime | NotGiven | None = NOT_GIVEN
    manual_finish: datetime | NotGiven | None = NOT_GIVEN
    calendar: WorkCalendar | NotGiven | None = NOT_GIVEN
    # Everyone assigned afterwards (an empty list unassigns everybody).
    assignees: Iterable[User] | NotGiven = NOT_GIVEN


@dataclass(frozen=True)
class ProgressChanges(_Changes):
    """What the people doing the work report (task_update_progress)."""

    status: str | NotGiven = NOT_GIVEN
    percent_complete: int | NotGiven = NOT_GIVEN
    actual_start: datetime | NotGiven | None = NOT_GIVEN
    actual_finish: datetime | NotGiven | None = NOT_GIVEN
    remaining_hours: Decimal | NotGiven | None = NOT_GIVEN


@dataclass(frozen=True)
class LinkChanges(_Changes):
    """A link's new type and/or lag (dependency_update)."""

    type: str | NotGiven = NOT_GIVEN
    lag_minutes: int | NotGiven = NOT_GIVEN


# What a planner may change on a task: the API's serializers list the same fields.
PLAN_FIELDS = tuple(name for name in TaskChanges.names() if name != "assignees")
PROGRESS_FIELDS = ProgressChanges.names()
