"""Every GET endpoint of /api/v1/, found by walking the URL configuration (bench.web).

Router lists are measured as they come, filtered to the big plan when they take `?project=`,
and at their last page when they hold many pages; a detail (and a detail's extra GET actions)
takes the id of a row in the middle of its list; plain views under `projects/<pk>/` take the
plan (the board for the board), under `organisations/<pk>/` the organisation, under
`tasks/<pk>/` a card. Rows are asked for as tpm@ (a manager), or as admin@ when tpm@ gets 403.
"""

import math
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

MANY = 500  # rows above which a list's last page is measured too
# Parameters an endpoint cannot do without.
QUERIES = {"risk-register-as-of": f"?as_of={date.today().isoformat()}"}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def api_patterns() -> list[tuple[str, URLPattern]]:
    """(name, pattern) under the "api" namespace, without the `.json`-style suffix variants."""
    return [
        (name, pattern)
        for name, pattern in _walk(get_resolver().url_patterns)
        if name.startswith("api:") and "format" not in pattern.pattern.regex.groupindex
    ]


def _actions(pattern: URLPattern) -> dict[str, str]:
    return getattr(pattern.callback, "actions", None) or {}


def _has_get(pattern: URLPattern) -> bool:
    actions = _actions(pattern)
    if actions:
        return "get" in actions
    view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    return view is not None and hasattr(view, "get")


def _filters_by_project(pattern: URLPattern) -> bool:
    view = pattern.callback.cls  # type: ignore[attr-defined]
    fields = getattr(view, "filterset_fields", None) or []
    filterset = getattr(view, "filterset_class", None)
    names = set(fields) | set(getattr(filterset, "base_filters", {}) or {})
    return "project" in names


def _plain_pk(name: str, route: str, big: Any) -> int | None:
    if name == "api:project-board":
        return big.board
    if route.startswith("projects/"):
        return big.plan
    if route.startswith("organisations/"):
        return big.organisation.pk
    if route.startswith("tasks/"):
        return big.card.pk
    return None


def api_rows(
    big: Any,
    tpm: Client,
    admin: Client,
    only: list[str],
    repeats: int,
    measure: Callable[..., Any],
) -> Iterator[Any]:
    from bench.web import NO_ROW, Row, wanted

    patterns = [(name, p) for name, p in api_patterns() if _has_get(p)]
    ids: dict[Any, int] = {}  # viewset class -> an id from its list

    def one(label: str, url: str) -> Any:
        answers: list[Any] = []
        row = Row(label, url, "tpm")

        def send(client: Client) -> Callable[[], Any]:
            def go() -> Any:
                answers.append(client.get(url))
                return answers[-1]

            return go

        measure(tpm, row, repeats, send(tpm))
        if row.status == 403:
            row = measure(admin, Row(label, url, "admin"), repeats, send(admin))
        row.answer = answers[-1] if answers else None  # type: ignore[attr-defined]
        return row

    for name, pattern in patterns:
        short, actions = name.removeprefix("api:"), _actions(pattern)
        if actions and "pk" not in pattern.pattern.regex.groupindex:
            url = reverse(name)
            urls = [(f"API {short}", url)]
            if actions.get("get") == "list" and _filters_by_project(pattern):
                urls.append((f"API {short} ?project=plan", f"{url}?project={big.plan}"))
            for label, address in urls:
                if not wanted(label, address, only):
                    continue
                row = one(label, address)
                _remember(ids, pattern, row, big)
                yield row
                last = _last_page(row, address)
                if last:
                    yield one(f"{label} last page", last)
    for name, pattern in patterns:
        short, actions = name.removeprefix("api:"), _actions(pattern)
        label, has_pk = f"API {short}", "pk" in pattern.pattern.regex.groupindex
        if actions and not has_pk:
            continue  # a list, measured above
        if not has_pk:  # a plain view of the caller's own things (me, my-work, preferences)
            if wanted(label, reverse(name), only):
                yield one(label, reverse(name))
            continue
        if actions:
            pk = ids.get(pattern.callback.cls)  # type: ignore[attr-defined]
        else:
            pk = _plain_pk(name, str(pattern.pattern), big)
        if pk is None:
            if wanted(label, short, only):
                yield Row(label, "", "tpm", error=NO_ROW)
            continue
        url = reverse(name, kwargs={"pk": pk}) + QUERIES.get(short, "")
        if wanted(label, url, only):
            yield one(label, url)


def _remember(ids: dict[Any, int], pattern: URLPattern, row: Any, big: Any) -> None:
    """The id of the middle row of a list answer, for the detail routes of its viewset."""
    answer = getattr(row, "answer", None)
    if answer is None or answer.status_code != 200:
        return
    try:
        data = answer.json()
    except ValueError:
        return
    results = data.get("results") if isinstance(data, dict) else data
    if isinstance(results, list) and results and isinstance(results[0], dict):
        middle = results[len(results) // 2].get("id")
        if isinstance(middle, int):
            ids[pattern.callback.cls] = middle  # type: ignore[attr-defined]  # the latest list wins


def _last_page(row: Any, url: str) -> str | None:
    """The URL of the last page of a paged list that holds more than MANY rows."""
    answer = getattr(row, "answer", None)
    if answer is None or answer.status_code != 200:
        return None
    try:
        data = answer.json()
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("count"), int):
        return None
    results = data.get("results") or []
    if data["count"] <= MANY or not results:
        return None
    pages = math.ceil(data["count"] / len(results))
    return f"{url}{'&' if '?' in url else '?'}page={pages}"
