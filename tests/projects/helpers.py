"""Small helpers for the project page tests."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

HTMX = {"HX-Request": "true"}


def queries_for(
    client: Client, method: str, url: str, expect_status: int | None = None, **kwargs
) -> CaptureQueriesContext:
    """Run one request and return the captured queries (the response is on `.response`)."""
    with CaptureQueriesContext(connection) as captured:
        captured.response = getattr(client, method)(url, **kwargs)
    status = captured.response.status_code
    assert status == expect_status if expect_status else status < 400, status
    return captured


def assert_same_count(few: CaptureQueriesContext, many: CaptureQueriesContext) -> None:
    """The second request (more rows) costs exactly as many queries as the first."""
    listing = "\n".join(query["sql"] for query in many.captured_queries)
    assert len(few) == len(many), f"{len(few)} queries grew to {len(many)}:\n{listing}"


def text(response) -> str:
    return response.content.decode()
