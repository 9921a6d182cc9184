"""How the apps' API routes come together under /api/v1/ (tpm/api_urls.py).

Each app, and each capability sub-package, owns an `api/urls.py`: its plain paths first, then
the routes of its viewsets from a module-level `router = ApiRouter()`. tpm/api_urls.py includes
them by dotted string (so tpm imports no upper app) and builds the one root page from the routers
it finds by walking those includes.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver
from rest_framework.routers import APIRootView, DefaultRouter

Patterns = Iterable[URLPattern | URLResolver]


class ApiRouter(DefaultRouter):
    """An app's viewsets, with the `.json`-style suffix routes; the root page is tpm's own."""

    include_root_view = False


def _walk(patterns: Patterns) -> Iterator[URLPattern | URLResolver]:
    """Every pattern and include, depth first, in the order Django tries them."""
    for pattern in patterns:
        yield pattern
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns)


def api_root_view(patterns: Patterns, *, first: dict[str, str]) -> Callable[..., Any]:
    """The root page: `first` (plain views such as `me`), then every collection of each router
    in the URL confs included by `patterns`, in inclusion order."""
    api_root_dict = dict(first)
    for pattern in _walk(patterns):
        if not isinstance(pattern, URLResolver):
            continue
        router = getattr(pattern.urlconf_module, "router", None)
        if isinstance(router, DefaultRouter):
            list_name = router.routes[0].name  # "{basename}-list"
            api_root_dict.update(
                (prefix, list_name.format(basename=basename))
                for prefix, _viewset, basename in router.registry
            )
    return APIRootView.as_view(api_root_dict=api_root_dict)


def mark_login_not_required(patterns: Patterns) -> None:
    """DRF authenticates API calls itself and answers anonymous ones with 401, not a login
    redirect: exempt every view under `patterns` from LoginRequiredMiddleware."""
    for pattern in _walk(patterns):
        if isinstance(pattern, URLPattern) and pattern.callback is not None:
            login_not_required(pattern.callback)
