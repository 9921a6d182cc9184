"""Permission-matrix entries for the timesheet and its approval (resources/timesheets/urls.py).

Everyone signed in has a timesheet of their own (the organisation's tasks they may log time on);
approving a project's time is its managers' (and org admins') job: ProjectAction.APPROVE_TIME.
"""

from tests.permission_matrix import Case, expect, project_manage

from .timesheet_helpers import MONDAY, log, submit, task

SIGNED_IN = expect(200, anonymous=302)


def _web(world):
    return {"project_id": world.project.pk}


def _submitted(world):
    """The member's submitted week on WEB, as the approve form posts it."""
    build = task(world, "Integrate")
    log(world, world.member, {(build, 0): "3"})
    submit(world, world.member)
    return {"decision": "approve", "person": world.member.pk, "week": MONDAY.isoformat()}


ROUTES = [
    Case("timesheet", "get", SIGNED_IN),
    # An unchanged week: nothing to store, back to the page.
    Case("timesheet", "post", expect(302), data=lambda w: {"week": MONDAY.isoformat()}),
    Case("time-approvals", "get", project_manage(), kwargs=_web),
    Case("time-decision", "post", project_manage(ok=302), kwargs=_web, data=_submitted),
]
