"""Permission-matrix entries for the workload heat map, its drill-down and levelling.

Every member of the organisation sees the workload (the outsider sees their own organisation's
on the heat map, and gets 404 for Acme's people). Applying levelling needs PLAN on some project
of the organisation: managers and org admins; posted without a ticked change it is a 422 that
says so, everyone else a 403.
"""

from resources.models import Resource
from tests.permission_matrix import Case, expect

SIGNED_IN = expect(200, anonymous=302)
ORG_READ_BY_ID = expect(200, anonymous=302, outsider=404)
PLANNERS = expect(403, anonymous=302, outsider=404, manager=422, admin=422)


def _person(world) -> Resource:
    return Resource.objects.get_or_create(
        organisation=world.organisation, name="Workload person", defaults={"email": "wp@acme.test"}
    )[0]


def _person_kwargs(world):
    return {"resource_id": _person(world).pk}


ROUTES = [
    Case("workload", "get", SIGNED_IN),
    Case(
        "workload-cell",
        "get",
        ORG_READ_BY_ID,
        kwargs=lambda w: {"resource_id": _person(w).pk, "week": "2031-01-06"},
    ),
    Case("workload-levelling", "get", ORG_READ_BY_ID, kwargs=_person_kwargs),
    Case("workload-levelling-apply", "post", PLANNERS, kwargs=_person_kwargs),
]
