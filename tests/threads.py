"""Writers at the same moment, for the concurrency tests (issue 22).

Each call runs in its own thread, hence on its own database connection (Django keeps one per
thread), closed when the thread ends. The threads wait at a barrier so they start together.
Row locks only mean something on PostgreSQL: `needs_postgresql` skips the test elsewhere.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

# A writer that waits longer than this for a lock fails instead of hanging the test run.
LOCK_TIMEOUT = "10s"
JOIN_TIMEOUT = 60


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL: run with DATABASE_URL=postgres://...")


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_together(calls: list[Callable[[], Any]]) -> list[Outcome]:
    """Run every call at once, each in its own thread and connection; their outcomes, in order."""
    outcomes = [Outcome() for _ in calls]
    barrier = threading.Barrier(len(calls))

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            barrier.wait(timeout=JOIN_TIMEOUT)
            outcomes[index].value = call()
        except BaseException as error:  # every outcome is asserted on by the test
            outcomes[index].error = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return outcomes


def unexpected(outcomes: list[Outcome], *allowed: type[BaseException]) -> list[str]:
    """The errors that are neither success nor one of the `allowed` refusals (a deadlock, a
    lock timeout, an integrity error: what a user would see as a 500)."""
    return [
        f"{type(o.error).__name__}: {o.error}"
        for o in outcomes
        if o.error is not None and not isinstance(o.error, allowed)
    ]
