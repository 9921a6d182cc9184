"""The API's routes come from each app's own `api/urls.py` (tpm/api/routing.py): the root still
links every collection, and every API view still answers anonymous callers itself."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse


def _api_patterns() -> Iterator[URLPattern]:
    _prefix, api = get_resolver().namespace_dict["api"]

    def walk(patterns: list[Any]) -> Iterator[URLPattern]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    return walk(api.url_patterns)


def _collection_paths() -> set[str]:
    """The path of every viewset's list route (`api:<basename>-list`) that takes no argument."""
    paths = set()
    for name in {p.name for p in _api_patterns() if p.name and p.name.endswith("-list")}:
        try:
            paths.add(reverse(f"api:{name}"))
        except NoReverseMatch:
            continue
    return paths


def test_the_root_links_every_collection_of_every_app(world, api):
    # given the list routes the apps register, wherever their urls.py sits
    expected = _collection_paths() | {reverse("api:me")}
    assert len(expected) > 40
    # when a signed-in client opens the API root
    body = api(world.viewer).get("/api/v1/").json()
    # then it links exactly those
    assert {urlsplit(url).path for url in body.values()} == expected


def test_the_root_answers_with_a_format_suffix(world, api):
    # when the root is asked for JSON by suffix, as the single router allowed
    response = api(world.viewer).get("/api/v1/.json")
    # then it answers, like the collections' own `.json` routes
    assert response.status_code == 200
    assert "tasks" in response.json()
    assert api(world.viewer).get("/api/v1/tasks.json").status_code == 200


def test_every_api_view_authenticates_by_itself():
    # given every view under /api/v1/, from every app's api/urls.py
    views = [(p.name, p.callback) for p in _api_patterns()]
    assert len(views) > 200
    # then none waits for the login middleware's redirect: DRF answers anonymous calls with 401
    guarded = [name for name, view in views if getattr(view, "login_required", True)]
    assert guarded == []


@pytest.mark.django_db
def test_an_anonymous_call_to_an_app_route_is_a_401(api):
    # when nobody is signed in and a route of an upper app is called
    response = api(None).get(reverse("api:risk-list"))
    # then the API answers 401 itself instead of redirecting to the login page
    assert response.status_code == 401
