"""`make bench`: list pages and endpoints as rows grow, then the scheduling engine.

Runs against a throw-away test database (SQLite in memory by default, PostgreSQL when
DATABASE_URL says so). Prints one row per (page, rows): median milliseconds and queries.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (10, 100, 1000)
REPEATS = 7


def _build(size: int, state: dict) -> None:
    from tests.factories import OrganisationFactory, ProjectFactory, member_of
    from tpm.roles import OrgRole

    if "admin" not in state:
        organisation = OrganisationFactory.create(name="Bench")
        state["organisation"] = organisation
        state["admin"] = member_of(organisation, OrgRole.ADMIN)
        state["count"] = 0
    for _ in range(size - state["count"]):
        ProjectFactory(organisation=state["organisation"])
    state["count"] = size


def _measure(client: Client, url: str, **headers: str) -> tuple[float, int]:
    timings = []
    queries = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(timings), queries


def main() -> int:
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        state: dict = {}
        pages: list[tuple[str, Callable[[], str]]] = [
            ("project list page", lambda: "/projects/"),
            ("API projects (page of 50)", lambda: "/api/v1/projects/"),
            ("API projects (page of 200)", lambda: "/api/v1/projects/?page_size=200"),
        ]
        print(f"database: {connection.vendor}; median of {REPEATS} requests")
        print(f"{'page':<30}{'rows':>7}{'ms':>10}{'queries':>9}")
        for size in SIZES:
            _build(size, state)
            client = Client()
            client.force_login(state["admin"])
            for label, url in pages:
                ms, queries = _measure(client, url())
                print(f"{label:<30}{size:>7}{ms:>10.1f}{queries:>9}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print("\nscheduling engine (forward + backward pass, floats, critical path)")
    from bench import scheduling

    scheduling.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
