"""Many people editing one plan at once (issue 22): no edit fails with a deadlock and none is
lost. Every writer takes the project row before the task or link it edits
(tpm/concurrency.py), so a reschedule, which rewrites the plan's tasks under the project lock,
never waits for a task row an edit holds while that edit waits for the project.

PostgreSQL only: SQLite lets one writer in at a time, so it has no deadlock to show.
"""

from datetime import UTC, datetime
from functools import partial
from itertools import pairwise

import pytest

from projects.models import Dependency, Task
from projects.plan import services as task_services
from projects.plan.changes import LinkChanges, ProgressChanges, TaskChanges
from projects.schedule import services as schedule_services
from tests.factories import DependencyFactory, TaskFactory
from tests.threads import needs_postgresql, run_together, unexpected
from tpm.concurrency import StaleVersionError

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3
START = datetime(2026, 1, 5, 9, tzinfo=UTC)
CHAIN = 12


def _chain(world) -> list[Task]:
    """Twelve tasks in a row: a longer task early in the chain moves every task after it, so
    each edit's reschedule rewrites rows other writers are editing. The plan starts on a fixed
    day in the past, so progress reports are about work that can have started."""
    world.project.start_date = START.date()
    world.project.save(update_fields=["start_date"])
    tasks: list[Task] = [
        TaskFactory.create(project=world.project, name=f"Step {n}") for n in range(CHAIN)
    ]
    for before, after in pairwise(tasks):
        DependencyFactory(predecessor=before, successor=after)
    schedule_services.project_reschedule(project=world.project)
    return tasks


def _fresh(task: Task) -> Task:
    return Task.objects.select_related("project").get(pk=task.pk)


def _edit(task: Task, actor, **changes):
    return partial(
        task_services.task_update,
        task=task,
        actor=actor,
        version=task.version,
        changes=TaskChanges(**changes),
    )


def _report(task: Task, actor, percent: int):
    return partial(
        task_services.task_update_progress,
        task=task,
        actor=actor,
        version=task.version,
        changes=ProgressChanges(percent_complete=percent, actual_start=START),
    )


def _relag(link: Dependency, actor, minutes: int):
    return partial(
        task_services.dependency_update,
        link=link,
        actor=actor,
        version=link.version,
        changes=LinkChanges(lag_minutes=minutes),
    )


def test_many_writers_on_one_plan_lose_nothing_and_never_deadlock(world):
    needs_postgresql()
    tasks = _chain(world)
    link = Dependency.objects.get(predecessor=tasks[8], successor=tasks[9])
    for round_ in range(1, ROUNDS + 1):
        current = [_fresh(task) for task in tasks]
        link = Dependency.objects.select_related("successor__project").get(pk=link.pk)
        durations = {n: 480 + 60 * (n + round_) for n in range(4)}
        # three people edit step 5 from the same version
        names = [f"Step 5, round {round_}, by {who}" for who in ("Ann", "Bob", "Cy")]
        lag = 60 * round_
        calls = [
            *(_edit(current[n], world.manager, duration_minutes=m) for n, m in durations.items()),
            *(_edit(current[5], world.manager, name=name) for name in names),
            _relag(link, world.manager, lag),
            _report(current[10], world.member, 10 * round_),
            _report(current[11], world.member, 20 * round_),
        ]
        outcomes = run_together(calls)

        # no writer failed for another reason than a stale version (a 409 for the user)
        assert unexpected(outcomes, StaleVersionError) == []
        # every edit on its own task or link was accepted and is in the plan
        assert all(outcome.ok for outcome in outcomes[:4] + outcomes[7:])
        for n, minutes in durations.items():
            assert _fresh(tasks[n]).duration_minutes == minutes
        assert Dependency.objects.get(pk=link.pk).lag_minutes == lag
        assert _fresh(tasks[10]).percent_complete == 10 * round_
        assert _fresh(tasks[11]).percent_complete == 20 * round_
        # of the three edits of step 5 from one version, one won and the others were told
        renames = outcomes[4:7]
        winners = [names[i] for i, outcome in enumerate(renames) if outcome.ok]
        assert len(winners) == 1
        assert all(isinstance(o.error, StaleVersionError) for o in renames if not o.ok)
        assert _fresh(tasks[5]).name == winners[0]
    # the stored dates are those of the final plan: running the engine again moves nothing
    assert not schedule_services.project_reschedule(project=world.project).moved
