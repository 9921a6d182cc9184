"""GET never writes: every GET route of the permission matrix, pages and API, read-only.

The routes and the objects they address come from tests/<app>/route_expectations*.py (the same
cases tests/test_permission_matrix.py walks). Each GET is issued by the kind of user the matrix
says gets a 2xx (the organisation admin first, who acts as manager on every project), and the
SQL it runs is captured: an INSERT, UPDATE or DELETE fails the route. The session's own rows and
the sign-in's `last_login` are not the route's writes; savepoints are not writes. Two routes
write on purpose and are named, with their reasons, in EXEMPT.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.permission_matrix import Case
from tests.test_permission_matrix import CASES

# Who asks, in order of preference: the first one the matrix lets in.
PREFERRED_KINDS = (
    "admin",
    "manager",
    "member",
    "stakeholder",
    "viewer",
    "bystander",
    "outsider",
    "anonymous",
)

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
NOT_THE_ROUTES = (
    re.compile(r"\bdjango_session\b"),
    re.compile(r"^\s*UPDATE\s+\S+\s+SET\s+\"?last_login\"?\s*=[^,]*\s+WHERE\b", re.IGNORECASE),
)

# The only GETs that write, on purpose: each may run the one kind of statement named, for the
# reason given; any other write on these routes still fails.
EXEMPT = {
    "ical-feed": (
        re.compile(r'^\s*UPDATE\s+"tpm_feedtoken"\s+SET\s+"last_used_at"\s*=[^,]*\s+WHERE\b'),
        "A calendar app polls the secret feed URL with GET only; when it was last used is how its "
        "owner tells a live token from a forgotten or leaked one before revoking it.",
    ),
    "report-pdf": (
        re.compile(r'^\s*INSERT\s+INTO\s+"reports_reportdocument"\s'),
        "A published report never changes, so its PDF is rendered once (seconds of work) and "
        "cached; the first download stores it, later ones and the deliveries reuse it.",
    ),
}

SHOWN_SQL = 240  # characters of each statement in a failure (a PDF blob is not worth reading)

GET_CASES = [case for case in CASES if case.method == "get"]


def _kind_for(case: Case) -> str:
    """The preferred kind that gets a page; else the one that gets furthest (a redirect)."""
    for wanted in (range(200, 300), range(300, 400)):
        for kind in PREFERRED_KINDS:
            if case.expected[kind] in wanted:
                return kind
    return PREFERRED_KINDS[0]


def _shorten(sql: str) -> str:
    return sql if len(sql) <= SHOWN_SQL else f"{sql[:SHOWN_SQL]}..."


def _writes(statements: list[str], route: str = "") -> list[str]:
    allowed = [*NOT_THE_ROUTES, EXEMPT[route][0]] if route in EXEMPT else NOT_THE_ROUTES
    return [
        sql for sql in statements if WRITE.match(sql) and not any(p.search(sql) for p in allowed)
    ]


def test_the_walk_covers_pages_and_api():
    routes = {case.route for case in GET_CASES}
    assert any(route.startswith("api:") for route in routes)
    assert any(not route.startswith("api:") for route in routes)
    assert len(routes) > 100


def test_the_write_filter():
    assert _writes(
        [
            'INSERT INTO "projects_workflowstatus" ("name") VALUES (%s)',
            'UPDATE "projects_task" SET "version" = 2 WHERE "id" = 1',
            'DELETE FROM "tpm_notification" WHERE "id" = 1',
            'UPDATE "django_session" SET "session_data" = %s WHERE "session_key" = %s',
            'UPDATE "tpm_user" SET "last_login" = %s WHERE "tpm_user"."id" = %s',
            'SAVEPOINT "s1"',
            'RELEASE SAVEPOINT "s1"',
            'SELECT "id" FROM "projects_task" WHERE "name" = \'UPDATE\'',
        ]
    ) == [
        'INSERT INTO "projects_workflowstatus" ("name") VALUES (%s)',
        'UPDATE "projects_task" SET "version" = 2 WHERE "id" = 1',
        'DELETE FROM "tpm_notification" WHERE "id" = 1',
    ]


def test_each_exemption_names_a_walked_route_and_only_its_own_write():
    routes = {case.route for case in GET_CASES}
    assert set(EXEMPT) <= routes
    feed_touch = 'UPDATE "tpm_feedtoken" SET "last_used_at" = %s WHERE "tpm_feedtoken"."id" = %s'
    pdf_cache = 'INSERT INTO "reports_reportdocument" ("report_id", "pdf") VALUES (%s, %s)'
    other = 'UPDATE "tpm_feedtoken" SET "revoked_at" = %s WHERE "tpm_feedtoken"."id" = %s'
    assert _writes([feed_touch, pdf_cache, other], "ical-feed") == [pdf_cache, other]
    assert _writes([feed_touch, pdf_cache], "report-pdf") == [feed_touch]
    assert _writes([feed_touch, pdf_cache], "project-board") == [feed_touch, pdf_cache]


@pytest.mark.parametrize("case", GET_CASES, ids=lambda case: f"{case.id}:{_kind_for(case)}")
def test_get_writes_nothing(world, case: Case):
    # given the user the matrix lets read this route, and the objects it addresses
    kind = _kind_for(case)
    client = client_for(world.user(kind))
    url = reverse(case.route, kwargs=case.kwargs(world)) + case.query
    headers = case.headers(world)
    data = case.data(world) if case.data is not None else None
    # when they GET it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data=data, headers=headers)
    # then the database is only read
    writes = _writes([query["sql"] for query in captured.captured_queries], case.route)
    assert writes == [], (
        f"GET {url} ({case.route}, as {kind}, {response.status_code}) wrote:\n"
        + "\n".join(f"  {case.route} -> {_shorten(sql)}" for sql in writes)
    )
