"""Permission-matrix entries for the money exports of the reports pages (issue 5 + 8).

Budget lines and time entries (with rates and costs) are money: the project's managers, org
admins and stakeholders download them; members and viewers get 403, people outside the project
404, anonymous visitors the login page.
"""

from tests.permission_matrix import Case, expect

MONEY = expect(
    403, anonymous=302, outsider=404, bystander=404, stakeholder=200, manager=200, admin=200
)


def _export(world):
    return {"project_id": world.project.pk, "fmt": "csv"}  # xlsx goes through the same checks


ROUTES = [
    Case("export-budget-lines", "get", MONEY, kwargs=_export),
    Case("export-time-entries", "get", MONEY, kwargs=_export),
]
