"""Building timesheets the way the app does: through the services (R3's tests share these)."""

from datetime import date, timedelta
from decimal import Decimal

from projects.models import Task
from projects.plan import services as task_services
from resources.models import CostRate
from resources.timesheets import services as time_services
from resources.timesheets.grid import CellInput
from tests.resources.factories import CostRateFactory, person_for

MONDAY = date(2027, 3, 1)


def day(n: int) -> date:
    """Monday + n days of the test week."""
    return MONDAY + timedelta(days=n)


def rate(world, user, hourly: str = "100", since: date = date(2026, 1, 1)) -> CostRate:
    """Give a user a resource in the world's organisation with an hourly rate."""
    resource = person_for(user, world.organisation)
    return CostRateFactory.create(
        resource=resource,
        hourly_rate=Decimal(hourly),
        effective_from=since,
        currency=world.project.currency,
    )


def task(world, name: str = "Build adapter", parent: Task | None = None, **fields) -> Task:
    return task_services.task_create(
        project=world.project, actor=world.manager, name=name, parent=parent, **fields
    )


def log(world, user, cells: dict[tuple[Task, int], str], monday: date = MONDAY) -> None:
    """Save hours per (task, day index) for `user` in the test week."""
    time_services.timesheet_save(
        person=user,
        organisation=world.organisation,
        monday=monday,
        cells=[CellInput(t.pk, day(n), Decimal(h)) for (t, n), h in cells.items()],
        actor=user,
    )


def submit(world, user, monday: date = MONDAY) -> None:
    time_services.timesheet_submit(
        person=user, organisation=world.organisation, monday=monday, actor=user
    )


def approve(world, user, monday: date = MONDAY) -> time_services.Decision:
    return time_services.time_approve(
        project=world.project, person=user, monday=monday, actor=world.manager
    )
