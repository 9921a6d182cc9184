"""Query plans on PostgreSQL, for tests that keep hot queries fast at scale (issue 14).

Timings are not asserted (shared machines make them flaky); the plan's shape is. Two shapes
make a page slow as an organisation grows, and both show on a tiny test database:

* a correlated subquery run once per row (`SubPlan n` in the plan; an uncorrelated one is a
  `hashed SubPlan` or an `InitPlan`, run once per query);
* a sequential scan of a big table where no index can serve the filter. A planner prefers a
  sequential scan on a small table anyway, so the plan is taken with `enable_seqscan` off: a
  `Seq Scan` that remains means no index could be used.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet

# The tables that reach thousands of rows in a big organisation (the standard bench data).
BIG_TABLES = frozenset(
    {
        "projects_task",
        "projects_dependency",
        "projects_task_assignees",
        "resources_timeentry",
        "resources_assignment",
        "projects_projectmembership",
        "projects_baselinetask",
        "tpm_historyentry",
        "tpm_notification",
        "risks_risk",
    }
)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's (DATABASE_URL)"
)


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def plan_of(
    queryset: QuerySet | str, params: tuple = (), *, sorts: bool = True
) -> list[dict[str, Any]]:
    """Every node of the plan of a queryset (or SQL), with sequential scans disabled (and
    sorts, when `sorts` is False: a Sort that remains means no index gives the order; the
    planner's own choice on a tiny table depends on statistics left by earlier tests)."""
    sql, args = (
        (queryset, params) if isinstance(queryset, str) else queryset.query.sql_with_params()
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not sorts:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", args)
        (document,) = cursor.fetchone()
    plan = document if isinstance(document, list) else json.loads(document)
    return list(_nodes(plan[0]["Plan"]))


def per_row_subplans(nodes: list[dict[str, Any]]) -> list[str]:
    """Names of correlated subplans: run once for every row of their parent."""
    return [
        n["Subplan Name"]
        for n in nodes
        if n.get("Parent Relationship") == "SubPlan"
        and not n.get("Subplan Name", "").startswith("hashed")
    ]


def big_table_scans(nodes: list[dict[str, Any]]) -> list[str]:
    """Big tables read from end to end although sequential scans were disabled."""
    return [
        n["Relation Name"]
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in BIG_TABLES
    ]


def assert_plan_scales(queryset: QuerySet | str, params: tuple = ()) -> None:
    nodes = plan_of(queryset, params)
    assert per_row_subplans(nodes) == [], "a subquery runs once per row"
    assert big_table_scans(nodes) == [], "a big table is scanned whole (no usable index)"
