"""The demo's change requests (issue 7), on the payments project: CR-1 (longer work) approved and
applied with a re-baseline, CR-2 (an added task and a longer hypercare) submitted and waiting for
a decision, both with their computed impact. CR-1 adds no task, so the "Approved plan" baseline
still covers the whole plan."""

from projects.baselines.selectors import plan_clock
from projects.changes import services as change_services
from projects.models import ChangeRequest, Project, Task
from tpm.demo import DemoPeople


def _task(project: Project, name: str) -> Task:
    return Task.objects.alive().get(project=project, name=name)


def seed_changes(projects: list[Project], people: DemoPeople) -> list[ChangeRequest]:
    """Two change requests on PAY (none when the demo has no payments project)."""
    project = next((p for p in projects if p.key == "PAY"), None)
    if project is None:
        return []
    day = plan_clock(project).minutes_per_day
    engineer, manager = people.engineers[0], people.manager
    pentest = change_services.change_request_create(
        project=project,
        actor=engineer,
        title="Longer shadow traffic and penetration test",
        description="Shadow production traffic for twelve days instead of ten, and two more "
        "days of penetration testing to cover the new fraud rules.",
        reason="Chargebacks doubled last quarter; the card schemes asked for tighter rules.",
        priority="high",
        rebaseline=True,
        proposal=[
            {
                "op": "change_duration",
                "task": _task(project, "Shadow production traffic").pk,
                "duration_minutes": 12 * day,
            },
            {
                "op": "change_duration",
                "task": _task(project, "Penetration test").pk,
                "duration_minutes": 7 * day,
            },
        ],
    )
    pentest = change_services.change_request_submit(
        change_request=pentest, actor=engineer, version=pentest.version
    )
    pentest = change_services.change_request_start_review(
        change_request=pentest, actor=manager, version=pentest.version
    )
    pentest = change_services.change_request_approve(
        change_request=pentest,
        actor=manager,
        version=pentest.version,
        comment="Agreed at the steering committee; re-baselined.",
    )
    tuning = change_services.change_request_create(
        project=project,
        actor=engineer,
        title="Tune the fraud rules and extend hypercare",
        description="A rules-tuning task after the fraud adapter, and hypercare of twenty "
        "working days instead of ten.",
        reason="The holiday peak falls inside the first fortnight after go-live.",
        proposal=[
            {
                "op": "add_task",
                "key": "new-1",
                "name": "Fraud checks: rules tuning",
                "duration_minutes": 3 * day,
                "effort_hours": "24",
                "cost": "3600",
                "predecessors": [{"task": _task(project, "Fraud checks: implement adapter").pk}],
                "successors": [{"task": _task(project, "Feature complete").pk}],
            },
            {
                "op": "change_duration",
                "task": _task(project, "Hypercare").pk,
                "duration_minutes": 20 * day,
            },
        ],
    )
    tuning = change_services.change_request_submit(
        change_request=tuning, actor=engineer, version=tuning.version
    )
    return [pentest, tuning]
