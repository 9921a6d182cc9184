"""A generated security sweep: every route that addresses an object by id, filled with the ids
of the first organisation's objects (the permission matrix's world: tests/permission_matrix.py,
tests/*/route_expectations*.py), called with every method by people of the *second*
organisation (its admin, a member, a member's API token) and by nobody signed in. Each answer
must refuse (401, 403, 404, 405, or a redirect to the sign-in page) and carry none of the first
organisation's data (its names carry a marker). Routes without ids answer in the caller's own
organisation: for them, the marker must never appear.

The sweep also finds which unsafe methods each route accepts (anything but 405) and requires
the permission matrix to say what every role gets from each.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from projects.models import Project
from tests.factories import member_of
from tests.test_permission_matrix import CASES
from tpm import services
from tpm.models import Organisation, User

MARKER = "Qx7Marker"
METHODS = ("get", "post", "put", "patch", "delete")
REFUSED = {401, 403, 404, 405}
IDENTITIES = ("admin", "member", "token", "anonymous")


def _by_id(world) -> dict[str, dict]:
    """One set of path parameters per route that addresses objects by id."""
    routes: dict[str, dict] = {}
    for case in CASES:
        if case.route in routes:
            continue
        kwargs = case.kwargs(world)
        if any(isinstance(value, int) for value in kwargs.values()):
            routes[case.route] = {"kwargs": kwargs, "query": case.query}
    return routes


def _mark(world) -> None:
    """The first organisation's names carry the marker, so a leak shows in any body."""
    Organisation.objects.filter(pk=world.organisation.pk).update(name=f"Acme {MARKER}")
    Project.objects.filter(organisation=world.organisation).update(name=f"Website {MARKER}")
    User.objects.filter(memberships__organisation=world.organisation).update(
        full_name=f"Acme person {MARKER}"
    )


def _client(world, identity: str) -> Client:
    client = Client()
    if identity == "admin":
        client.force_login(world.outsider)
    elif identity == "member":
        client.force_login(member_of(world.other_organisation, email="member@globex.test"))
    elif identity == "token":
        person = member_of(world.other_organisation, email="script@globex.test")
        _, raw = services.token_create(user=person, name="sweep")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def _refused(identity: str, response) -> bool:
    if response.status_code in REFUSED:
        return True
    return (
        identity in ("anonymous", "token")  # a token signs in to the API only
        and response.status_code == 302
        and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    )


@pytest.mark.parametrize("identity", IDENTITIES)
def test_another_organisation_gets_nothing_of_the_first(world, identity):
    routes = _by_id(world)  # objects made before the marker, so it lands on them too
    _mark(world)
    client = _client(world, identity)
    problems = []
    for route, params in sorted(routes.items()):
        url = reverse(route, kwargs=params["kwargs"]) + params["query"]
        for method in METHODS:
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace")
            if not _refused(identity, response):
                problems.append(f"{method.upper()} {url} ({route}): {response.status_code}")
            elif MARKER in body:
                problems.append(f"{method.upper()} {url} ({route}): shows the first's data")
    assert problems == [], f"{identity} of the second organisation got through:\n" + "\n".join(
        problems
    )


def test_pages_without_ids_show_the_callers_organisation_only(world):
    # routes in the caller's own organisation (lists, settings, the portfolio) answer, but
    # never with the first organisation's data
    without_ids = sorted(
        {
            case.route
            for case in CASES
            if case.method == "get"
            and not any(isinstance(value, int) for value in case.kwargs(world).values())
            and not case.kwargs(world)
        }
    )
    _mark(world)
    client = _client(world, "admin")
    leaks = [
        route
        for route in without_ids
        if MARKER in client.get(reverse(route)).content.decode(errors="replace")
    ]
    assert leaks == []


def test_every_unsafe_method_a_route_accepts_is_in_the_matrix(world):
    # given the methods each route accepts: what the second organisation's admin gets is 405
    # for the others (the method is checked before the object is looked up)
    routes = _by_id(world)
    client = _client(world, "admin")
    accepted = {
        (route, method)
        for route, params in routes.items()
        for method in METHODS[1:]
        if getattr(client, method)(
            reverse(route, kwargs=params["kwargs"]) + params["query"]
        ).status_code
        != 405
    }
    # then the matrix says what every role gets from each of them
    listed = {(case.route, case.method) for case in CASES}
    missing = sorted(accepted - listed)
    assert missing == [], "\n".join(f"{route} {method}" for route, method in missing)
