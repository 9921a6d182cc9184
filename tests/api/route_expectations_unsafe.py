"""Unsafe methods the security sweep (tests/test_security_sweep.py) found routes accepting with
no entry in the matrix: PUT on API objects that list only PATCH, PATCH on RAID entries, and two
form posts. Each reuses the path parameters of the route's existing case and sends no data, so
the roles allowed in reach validation (400/422, or 428 without a version) and nothing changes.
"""

import importlib
from dataclasses import replace
from pathlib import Path

from tests.permission_matrix import Case, expect


def _other_cases() -> list[Case]:
    here = Path(__file__).resolve()
    cases: list[Case] = []
    for path in sorted(here.parents[1].glob("*/route_expectations*.py")):
        if path != here:
            module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
            cases.extend(module.ROUTES)
    return cases


_SOURCES = (_other_cases(),)


def _edit(ok: int, member: int | None = None, **more: int) -> dict[str, int]:
    """401 anonymous, 404 outside the project, 403 read-only roles, `ok` for those allowed."""
    roles = {"member": ok if member is None else member, "manager": ok, "admin": ok}
    return expect(403, anonymous=401, outsider=404, bystander=404, **{**roles, **more})


def _like(route: str, method: str, expected: dict[str, int], *, json: bool = True) -> Case:
    base = next(case for routes in _SOURCES for case in routes if case.route == route)
    return replace(base, method=method, expected=expected, data=lambda world: {}, json=json)


_MANAGERS = {"member": 403}

ROUTES = [
    _like("api:acceptance-criterion-detail", "put", _edit(400)),
    _like("api:allocation-detail", "put", _edit(428, **_MANAGERS)),
    _like("api:assignment-detail", "put", _edit(428, **_MANAGERS)),
    _like("api:assumption-detail", "patch", _edit(428)),
    _like("api:assumption-detail", "put", _edit(400)),
    _like("api:budget-line-detail", "put", _edit(400, **_MANAGERS)),
    _like("api:decision-detail", "put", _edit(400)),
    _like("api:deliverable-detail", "put", _edit(428, **_MANAGERS)),
    _like("api:expense-detail", "put", _edit(428, **_MANAGERS)),
    _like("api:external-dependency-detail", "patch", _edit(428)),
    _like("api:external-dependency-detail", "put", _edit(400)),
    _like("api:gate-criterion-detail", "put", _edit(400)),
    # the gate's reviewer (the world's member) decides; managers may not review for them
    _like("api:gate-review-detail", "put", _edit(403, member=400)),
    # organisation settings: its admin only; nobody else in it, 404 outside it
    _like("api:gate-template-detail", "put", expect(403, anonymous=401, outsider=404, admin=400)),
    _like("api:issue-detail", "patch", _edit(428)),
    _like("api:issue-detail", "put", _edit(400)),
    _like("api:objective-detail", "put", _edit(428, **_MANAGERS)),
    _like("api:quality-gate-detail", "put", _edit(428, **_MANAGERS)),
    # the resource pool: organisation admins edit it (every field of a resource is optional)
    _like("api:resource-detail", "put", expect(403, anonymous=401, outsider=404, admin=200)),
    _like("api:risk-detail", "put", _edit(400)),
    # time entries: the person's own (the member's); others on the project do not see it
    _like(
        "api:time-entry-detail",
        "put",
        expect(404, anonymous=401, member=428, manager=403, admin=403),
    ),
    _like(
        "report-schedule-edit",
        "post",
        expect(403, anonymous=302, outsider=404, bystander=404, manager=422, admin=422),
        json=False,
    ),
    _like(
        "risk-import",
        "post",
        expect(403, anonymous=302, outsider=404, bystander=404, member=422, manager=422, admin=422),
        json=False,
    ),
]
