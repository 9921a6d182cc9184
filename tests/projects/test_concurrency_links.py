"""Two links that close a loop together, created at the same moment (issue 22): one is
accepted and the other refused naming the loop, in one plan and through other projects.
`dependency_create` takes the organisation row before the loop check (which reads every
project's links), so the second check sees the first link.

PostgreSQL only: SQLite lets one writer in at a time.
"""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from projects.models import Dependency, Task
from projects.plan import services as task_services
from projects.schedule import services as schedule_services
from tests.factories import DependencyFactory, ProjectFactory, TaskFactory
from tests.threads import needs_postgresql, run_together, unexpected

pytestmark = pytest.mark.django_db(transaction=True)


def _link(before: Task, after: Task, actor):
    return partial(
        task_services.dependency_create, predecessor=before, successor=after, actor=actor
    )


def test_links_closing_a_loop_together_are_not_both_accepted(world):
    needs_postgresql()
    org = world.organisation
    home = world.project
    others = [ProjectFactory(organisation=org, key=f"X{n}") for n in range(4)]
    # in one plan: a -> b and b -> a
    a, b = (TaskFactory(project=home, name=name) for name in ("Design", "Build"))
    # across two plans: x -> y and y -> x
    x, y = TaskFactory(project=home, name="Contract"), TaskFactory(project=others[0], name="Sign")
    # across four plans, two links already there: p1 -> p2 and p3 -> p4 close the loop
    # p1 -> p2 -> p3 -> p4 -> p1 together, each one alone closes nothing
    p1, p2, p3, p4 = (TaskFactory(project=others[n], name=f"Hand-off {n}") for n in range(4))
    DependencyFactory(predecessor=p2, successor=p3)
    DependencyFactory(predecessor=p4, successor=p1)
    pairs = [(a, b), (x, y), (p1, p2)]
    calls = [
        _link(a, b, world.manager),
        _link(b, a, world.manager),
        _link(x, y, world.manager),
        _link(y, x, world.manager),
        _link(p1, p2, world.admin),
        _link(p3, p4, world.admin),
    ]

    outcomes = run_together(calls)

    assert unexpected(outcomes, ValidationError) == []
    for n, (first, second) in enumerate(pairs):
        both = outcomes[2 * n : 2 * n + 2]
        assert sum(outcome.ok for outcome in both) == 1, (first.name, second.name)
        refused = next(outcome.error for outcome in both if not outcome.ok)
        assert isinstance(refused, ValidationError)
        assert "would close a loop" in " ".join(refused.messages)
    assert Dependency.objects.filter(predecessor__in=[a, b], successor__in=[a, b]).count() == 1
    assert Dependency.objects.filter(predecessor__in=[x, y], successor__in=[x, y]).count() == 1
    # no plan is left with a loop: every project still schedules
    for project in [home, *others]:
        schedule_services.project_reschedule(project=project)
