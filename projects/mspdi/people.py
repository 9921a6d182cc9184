"""The baselines and assignees of an MSPDI file, stored on import and gathered for export.

On import each Microsoft Project baseline number becomes a Linchpin baseline named after it
("Baseline 2 (from Microsoft Project)"), and each work resource is matched to a person of the
organisation (by e-mail, else by name), who joins the new project as a member. On export the
latest eleven baselines get Microsoft Project's numbers back (those imported keep theirs).
"""

import re
from decimal import Decimal

from projects import services
from projects.models import Baseline, BaselineTask, Project, Task
from projects.mspdi.assignments import MspdiResource, match_people
from projects.mspdi.baselines import BASELINE_NUMBERS, MspdiBaselineTask, baseline_name
from projects.mspdi.read import MspdiPlan
from projects.mspdi.write import ExportExtras
from projects.schedule.input import PlanData, from_wall_clock, project_zone, to_wall_clock
from projects.selectors import project_assignable_people
from tpm.models import Membership, User
from tpm.roles import ProjectRole

IMPORTED_SUFFIX = " (from Microsoft Project)"
IMPORTED_BASELINE = re.compile(r"^Baseline(?: (\d+))? \(from Microsoft Project\)$")


def import_assignments(
    project: Project, actor: User, plan: MspdiPlan, tasks: dict[int, Task]
) -> tuple[int, list[str]]:
    """Assign the imported tasks (by the file's UID) to the people their resources are; returns
    how many assignments were made and the names of the resources who are nobody here."""
    people = {
        membership.user.pk: membership.user
        for membership in Membership.objects.filter(
            organisation_id=project.organisation_id
        ).select_related("user")
    }
    by_email = {person.email.lower(): pk for pk, person in people.items()}
    by_name = {person.full_name: pk for pk, person in people.items() if person.full_name}
    through = Task.assignees.through
    rows, working, strangers = [], set(), {}
    for source in plan.tasks:
        if source.uid not in tasks or not source.resources:
            continue
        matched, unknown = match_people(list(source.resources), by_email, by_name)
        rows += [through(task_id=tasks[source.uid].pk, user_id=pk) for pk in matched]
        working.update(matched)
        strangers.update({resource.uid: resource.name for resource in unknown})
    with_role = set(project_assignable_people(project=project).values_list("pk", flat=True))
    for pk in sorted(working - with_role):  # so they can report progress on their tasks
        services.project_member_add(
            project=project, user=people[pk], role=ProjectRole.MEMBER, actor=actor
        )
    through.objects.bulk_create(rows, batch_size=500)
    return len(rows), sorted(strangers.values())


def import_baselines(project: Project, actor: User, plan: MspdiPlan, tasks: dict[int, Task]) -> int:
    """One baseline per Microsoft Project baseline number in the file; returns how many."""
    zone = project_zone(project)
    stored = Task.objects.in_bulk([task.pk for task in tasks.values()])  # numbered, scheduled
    by_number: dict[int, list[tuple[Task, MspdiBaselineTask]]] = {}
    for source in plan.tasks:
        if source.uid in tasks:
            for row in source.baselines:
                by_number.setdefault(row.number, []).append((stored[tasks[source.uid].pk], row))
    for number, rows in sorted(by_number.items()):
        baseline = Baseline.objects.create(
            project=project,
            name=f"{baseline_name(number)}{IMPORTED_SUFFIX}",
            created_by=actor,
            project_start=from_wall_clock(min(row.start for _, row in rows), zone),
            project_finish=from_wall_clock(max(row.finish for _, row in rows), zone),
            task_count=len(rows),
        )
        BaselineTask.objects.bulk_create(
            [
                BaselineTask(
                    baseline=baseline,
                    task=task,
                    task_name=task.name,
                    wbs_code=task.wbs_code,
                    outline_key=task.outline_key,
                    start=from_wall_clock(row.start, zone),
                    finish=from_wall_clock(row.finish, zone),
                    duration_minutes=0 if task.is_milestone else row.duration,
                    effort_hours=None
                    if row.work_minutes is None
                    else Decimal(row.work_minutes) / 60,
                    cost=row.cost,
                    is_milestone=task.is_milestone,
                    is_summary=task.is_summary,
                )
                for task, row in rows
            ],
            batch_size=500,
        )
    return len(by_number)


def _baseline_numbers(baselines: list[Baseline]) -> dict[int, int]:
    """Baseline id -> MS Project baseline number: the number it was imported with, if any (so a
    round trip keeps "Baseline 2" as 2), else the lowest free one, oldest first."""
    numbers: dict[int, int] = {}
    for baseline in baselines:
        match = IMPORTED_BASELINE.match(baseline.name)
        number = int(match.group(1) or 0) if match else None
        if number is not None and number not in numbers.values():
            numbers[baseline.pk] = number
    free = (n for n in BASELINE_NUMBERS if n not in numbers.values())
    for baseline in baselines:
        if baseline.pk not in numbers:
            numbers[baseline.pk] = next(free)
    return numbers


def export_extras(plan: PlanData) -> ExportExtras:
    """The latest eleven baselines and the assignees of a loaded plan, in a fixed number of
    queries."""
    zone = project_zone(plan.project)
    ids = [task.pk for task in plan.tasks]
    latest = Baseline.objects.filter(project=plan.project).order_by("-created_at", "-pk")
    numbers = _baseline_numbers(list(reversed(latest[: len(BASELINE_NUMBERS)])))
    baselines: dict[int, list[MspdiBaselineTask]] = {}
    for row in BaselineTask.objects.filter(baseline_id__in=numbers, task_id__in=ids):
        assert row.task_id is not None
        baselines.setdefault(row.task_id, []).append(
            MspdiBaselineTask(
                task_uid=0,  # the writer places it under the task's own UID
                number=numbers[row.baseline_id],
                start=to_wall_clock(row.start, zone) or row.start,
                finish=to_wall_clock(row.finish, zone) or row.finish,
                duration=row.duration_minutes,
                work_minutes=None if row.effort_hours is None else round(row.effort_hours * 60),
                cost=row.cost,
            )
        )
    through = Task.assignees.through
    pairs = list(through.objects.filter(task_id__in=ids).values_list("task_id", "user_id"))
    users = User.objects.in_bulk({user_id for _, user_id in pairs})
    people = [
        MspdiResource(str(pk), users[pk].display_name, users[pk].email) for pk in sorted(users)
    ]
    return ExportExtras(baselines, people, [(task, str(user)) for task, user in pairs])
