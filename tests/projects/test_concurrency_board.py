"""Cards moved into a column with a blocking WIP limit at the same moment (issue 22): the
column never ends up over its limit. `card_move` locks the project row before it counts the
column, so the moves are counted one after the other.

PostgreSQL only: SQLite lets one writer in at a time.
"""

import json

import pytest
from django.urls import reverse

from projects.agile.services import board as board_services
from projects.agile.services import workflow as workflow_services
from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.threads import needs_postgresql, run_together

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 2
CARDS = 6


def _mover(client, url, task, status):
    body = json.dumps({"task": task.pk, "status": status.pk, "version": task.version})
    return lambda: client.post(url, body, content_type="application/json")


def test_simultaneous_moves_never_take_a_column_over_a_blocking_limit(world):
    needs_postgresql()
    statuses = {s.name: s for s in workflow_services.ensure_workflow(world.project)}
    doing = statuses["In progress"]
    workflow_services.status_update(
        status=doing,
        actor=world.manager,
        version=doing.version,
        wip_limit=LIMIT,
        wip_blocking=True,
    )
    cards = [TaskFactory(project=world.project, name=f"Card {n}") for n in range(CARDS)]
    url = reverse("project-board-move", args=[world.project.pk])
    clients = [client_for(world.member) for _ in cards]

    outcomes = run_together(
        [_mover(client, url, card, doing) for client, card in zip(clients, cards, strict=True)]
    )

    assert all(outcome.ok for outcome in outcomes)
    codes = sorted(outcome.value.status_code for outcome in outcomes)
    assert codes == [200] * LIMIT + [400] * (CARDS - LIMIT)
    refusals = [o.value.json()["detail"] for o in outcomes if o.value.status_code == 400]
    assert all("blocking" in detail for detail in refusals)
    statuses = workflow_services.ensure_workflow(world.project)
    assert board_services.column_counts(world.project.pk, statuses)[doing.pk] == LIMIT
