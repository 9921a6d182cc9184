"""Query counting for list pages: the count must not grow with the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for_get(client, url: str) -> list[str]:
    """The SQL a GET of `url` runs (asserting it succeeds)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [query["sql"] for query in ctx.captured_queries]


def assert_same_count(few: list[str], many: list[str]) -> None:
    """Print every query when the counts differ, so the N+1 is easy to spot."""
    assert len(few) == len(many), "query count grows with rows:\n" + "\n".join(many)
