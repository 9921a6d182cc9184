"""The vocabulary of the permission matrix (see tests/test_permission_matrix.py).

Each app lists its routes in tests/<app>/route_expectations.py as ROUTES: a list of `Case`s.
Every named route in the URL configuration must appear there (or in EXEMPT with a reason),
so a new route without an entry fails the test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "anonymous",
    "outsider",  # admin of another organisation
    "bystander",  # in the organisation, no role in the project
    "viewer",
    "stakeholder",
    "member",
    "manager",
    "admin",  # organisation admin
)


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Expected status per kind of user: `default` unless overridden."""
    unknown = set(overrides) - set(KINDS)
    assert not unknown, f"unknown kinds {unknown}"
    return {kind: overrides.get(kind, default) for kind in KINDS}


# Common shapes: a project page readable by anyone with a role, and one only its managers use.
def project_read(anonymous: int = 302) -> dict[str, int]:
    return expect(200, anonymous=anonymous, outsider=404, bystander=404)


def project_manage(ok: int = 200, anonymous: int = 302) -> dict[str, int]:
    return expect(403, anonymous=anonymous, outsider=404, bystander=404, manager=ok, admin=ok)


@dataclass
class Case:
    route: str  # URL name, with namespace ("api:project-list")
    method: str  # get, post, put, patch, delete
    expected: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = lambda world: {}
    data: Callable[[Any], Any] | None = None
    json: bool = False  # send `data` as JSON (API) instead of a form
    headers: Callable[[Any], dict[str, str]] = field(default=lambda world: {})
    query: str = ""

    @property
    def id(self) -> str:
        return f"{self.route}:{self.method}"
