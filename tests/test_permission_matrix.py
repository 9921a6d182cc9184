"""Every route x every kind of user -> the status they get.

The list of routes comes from the URL configuration itself, so adding a route without an entry
in tests/<app>/route_expectations.py fails `test_every_route_has_expectations`.
"""

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for
from tests.permission_matrix import KINDS, Case
from tpm.urls import PUBLIC_ROUTES

APPS_WITH_ROUTES = ("tpm", "projects", "api", "risks", "resources", "reports")

# Routes outside the matrix, each with the reason.
EXEMPT = {
    "admin": "Django admin: staff-only, guarded by Django's own is_staff checks",
}


def _load_cases() -> list[Case]:
    """ROUTES of tests/<app>/route_expectations.py and of any route_expectations_<feature>.py."""
    cases: list[Case] = []
    tests_dir = Path(__file__).resolve().parent
    for app in APPS_WITH_ROUTES:
        for path in sorted((tests_dir / app).glob("route_expectations*.py")):
            module = importlib.import_module(f"tests.{app}.{path.stem}")
            cases.extend(module.ROUTES)
    return cases


CASES = _load_cases()


def _routes(patterns=None, namespace: str = "") -> dict[str, Callable]:
    """Every named route (with its namespace) and its view."""
    routes: dict[str, Callable] = {}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXEMPT:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            routes.update(_routes(pattern.url_patterns, prefix))
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"route {pattern.pattern} has no name; name it and list it"
            routes[f"{namespace}{pattern.name}"] = pattern.callback
    return routes


def _route_names() -> set[str]:
    return set(_routes())


def test_every_route_has_expectations():
    # given every named route of the URL configuration
    routes = _route_names()
    # then each one has at least one case, and no case names a route that is gone
    covered = {case.route for case in CASES}
    assert routes - covered == set(), "routes without permission expectations"
    assert covered - routes == set(), "expectations for routes that no longer exist"


def test_cases_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_permission_matrix(world, case: Case, kind: str):
    # given a user of this kind
    client = client_for(world.user(kind))
    url = reverse(case.route, kwargs=case.kwargs(world)) + case.query
    kwargs = {"headers": case.headers(world)}
    if case.data is not None:
        kwargs["data"] = case.data(world)
        if case.json:
            kwargs["content_type"] = "application/json"
    # when they call the route
    response = getattr(client, case.method)(url, **kwargs)
    # then they get what the matrix says
    assert response.status_code == case.expected[kind], (
        f"{kind} {case.method.upper()} {url}: {response.status_code}, "
        f"expected {case.expected[kind]}"
    )


def test_every_object_route_is_a_404_for_another_organisation(world):
    # given the routes that address one object by id (the matrix itself checks the responses)
    by_id = [case for case in CASES if any(isinstance(v, int) for v in case.kwargs(world).values())]
    assert len(by_id) > 30
    # then each one expects a 404 for the admin of another organisation: no hint it exists
    leaks = [case.id for case in by_id if case.expected["outsider"] != 404]
    assert leaks == []


def test_only_the_listed_pages_are_open_without_signing_in():
    # given the views the login-required middleware lets through
    open_pages = {
        name
        for name, view in _routes().items()
        if not name.startswith("api:") and not getattr(view, "login_required", True)
    }
    # then they are exactly the explicit public list
    assert open_pages == PUBLIC_ROUTES
    # and anonymous callers get a page only there (elsewhere a login redirect, 401 or 405)
    served = {c.route for c in CASES if c.method == "get" and c.expected["anonymous"] == 200}
    assert served <= PUBLIC_ROUTES
