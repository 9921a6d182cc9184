"""A stale edit is a 409 on every page: nothing is overwritten and the page shows the record as it
is now, with its current version, so the next save starts from it (docs/architecture.md, "Data
that must not be lost").

Each case saves "Theirs" behind the editor's back, then posts "Mine" with the version the editor
loaded.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import F, Model
from django.urls import reverse

from projects.agile.services import sprints as sprint_services
from projects.models import Deliverable, GateTemplate, Objective, QualityGate, Sprint
from reports import services as report_services
from reports.health import Thresholds
from reports.models import THRESHOLD_FIELDS, HealthThresholds, ReportSchedule, StatusReport
from tests.conftest import client_for
from tests.factories import (
    HealthThresholdsFactory,
    ReportScheduleFactory,
    SprintFactory,
    TaskFactory,
)
from tests.projects.factories_scope import (
    DeliverableFactory,
    GateTemplateFactory,
    ObjectiveFactory,
    QualityGateFactory,
)
from tests.projects.helpers import text


@dataclass
class Edit:
    user: str  # the World attribute of who edits
    url: str
    data: dict[str, Any]  # what the editor posts, "Mine", at the version they loaded
    shown: str  # what the 409 page must show: the other person's value
    unchanged: Callable[[], bool]  # the other person's edit is still there


def _theirs(row: Model, **values: Any) -> None:
    """Someone else saves `row` meanwhile: new values and the next version."""
    type(row)._default_manager.filter(pk=row.pk).update(version=F("version") + 1, **values)


def _still(model: type[Model], pk: int, **values: Any) -> Callable[[], bool]:
    return lambda: model._default_manager.filter(pk=pk, **values).exists()


def _sprint_start(world) -> Edit:
    sprint = SprintFactory(project=world.project)
    TaskFactory(project=world.project, sprint=sprint, story_points=3)
    _theirs(sprint, name="Theirs")
    return Edit(
        "manager",
        reverse("sprint-start", args=[world.project.pk, sprint.pk]),
        {"version": sprint.version},
        "Theirs",
        _still(Sprint, sprint.pk, name="Theirs", state="planned"),
    )


def _sprint_close(world) -> Edit:
    sprint = SprintFactory(project=world.project)
    TaskFactory(project=world.project, sprint=sprint, story_points=3)
    sprint = sprint_services.sprint_start(
        sprint=sprint, actor=world.manager, version=sprint.version
    )
    _theirs(sprint, name="Theirs")
    return Edit(
        "manager",
        reverse("sprint-close", args=[world.project.pk, sprint.pk]),
        {"version": sprint.version, "move_to": ""},
        "Theirs",
        _still(Sprint, sprint.pk, name="Theirs", state="active"),
    )


def _gate(world) -> Edit:
    gate = QualityGateFactory(project=world.project)
    _theirs(gate, name="Theirs")
    return Edit(
        "manager",
        reverse("gate-edit", args=[world.project.pk, gate.pk]),
        {"name": "Mine", "due_date": "", "description": "", "version": gate.version},
        'value="Theirs"',
        _still(QualityGate, gate.pk, name="Theirs"),
    )


def _gate_template(world) -> Edit:
    template = GateTemplateFactory(organisation=world.organisation)
    _theirs(template, name="Theirs")
    return Edit(
        "admin",
        reverse("gate-template-edit", args=[template.pk]),
        {"name": "Mine", "reviewer_roles": ["manager"], "version": template.version},
        'value="Theirs"',
        _still(GateTemplate, template.pk, name="Theirs"),
    )


def _objective(world) -> Edit:
    objective = ObjectiveFactory(project=world.project)
    _theirs(objective, title="Theirs")
    data = {
        "title": "Mine",
        "metric": objective.metric,
        "baseline_value": "1200",
        "target_value": "600",
        "direction": objective.direction,
        "version": objective.version,
    }
    return Edit(
        "manager",
        reverse("objective-edit", args=[world.project.pk, objective.pk]),
        data,
        'value="Theirs"',
        _still(Objective, objective.pk, title="Theirs"),
    )


def _deliverable(world) -> Edit:
    deliverable = DeliverableFactory(project=world.project)
    _theirs(deliverable, name="Theirs")
    return Edit(
        "manager",
        reverse("deliverable-edit", args=[world.project.pk, deliverable.pk]),
        {
            "name": "Mine",
            "status": "planned",
            "due_date": deliverable.due_date.isoformat(),
            "version": deliverable.version,
        },
        'value="Theirs"',
        _still(Deliverable, deliverable.pk, name="Theirs"),
    )


def _thresholds(world) -> Edit:
    row = HealthThresholdsFactory(organisation=world.organisation)
    _theirs(row, late_critical_red=7)
    data = {name: str(getattr(Thresholds(), name)) for name in THRESHOLD_FIELDS}
    data |= {"late_critical_red": "9", "version": str(row.version)}
    return Edit(
        "admin",
        reverse("health-thresholds"),
        data,
        'name="late_critical_red" value="7"',
        _still(HealthThresholds, row.pk, late_critical_red=7),
    )


def _report_draft(world) -> Edit:
    draft = report_services.report_create(project=world.project, actor=world.manager)
    _theirs(draft, summary="Theirs")
    return Edit(
        "manager",
        reverse("report-edit", args=[world.project.pk, draft.pk]),
        {"title": draft.title, "summary": "Mine", "version": draft.version, "action": "save"},
        "Theirs</textarea>",
        _still(StatusReport, draft.pk, summary="Theirs"),
    )


def _schedule(world) -> Edit:
    schedule = ReportScheduleFactory(project=world.project, created_by=world.manager)
    _theirs(schedule, name="Theirs")
    data = {
        "name": "Mine",
        "frequency": schedule.frequency,
        "weekday": schedule.weekday,
        "time_of_day": "09:00",
        "time_zone": schedule.time_zone,
        "starts_on": schedule.starts_on.isoformat(),
        "recipient_roles": ["stakeholder"],
        "audience": schedule.audience,
        "is_active": "on",
        "version": schedule.version,
    }
    return Edit(
        "manager",
        reverse("report-schedule-edit", args=[world.project.pk, schedule.pk]),
        data,
        'value="Theirs"',
        _still(ReportSchedule, schedule.pk, name="Theirs"),
    )


CASES = {
    "sprint start (was a redirect)": _sprint_start,
    "sprint close (was a redirect)": _sprint_close,
    "gate edit": _gate,
    "gate template edit": _gate_template,
    "objective edit": _objective,
    "deliverable edit": _deliverable,
    "health thresholds": _thresholds,
    "status report draft": _report_draft,
    "report schedule edit": _schedule,
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_a_stale_edit_answers_409_with_the_current_state(world, make):
    # given an edit page loaded at version 1, then someone else saved "Theirs" (version 2)
    edit = make(world)
    # when the editor saves "Mine" from the page they loaded
    response = client_for(getattr(world, edit.user)).post(edit.url, edit.data)
    # then nothing is overwritten and the page shows the record as it is now
    assert response.status_code == 409
    page = text(response)
    assert edit.shown in page
    assert 'value="Mine"' not in page
    assert f'name="version" value="{int(edit.data["version"]) + 1}"' in page  # saving again works
    assert "someone else" in page.lower()  # the message says why nothing was saved
    assert edit.unchanged()


@pytest.mark.parametrize(
    "make",
    [_gate, _gate_template, _objective, _schedule],
    ids=lambda make: make.__name__.strip("_"),
)
def test_the_409_page_carries_the_current_version_so_saving_again_works(world, make):
    # given a stale edit refused with 409
    edit = make(world)
    client = client_for(getattr(world, edit.user))
    assert client.post(edit.url, edit.data).status_code == 409
    # when the editor saves again from the page they were shown (its version)
    again = client.post(edit.url, edit.data | {"version": edit.data["version"] + 1})
    # then it is saved
    assert again.status_code == 302
    assert not edit.unchanged()
