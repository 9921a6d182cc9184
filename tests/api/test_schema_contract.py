"""The API keeps the contract its OpenAPI description states (issue 22).

Schemathesis reads /api/schema/ and sends every operation a few generated requests, in process
through the WSGI application, as a project manager of the demo organisation (`seed_demo`, on a
frozen day). Each answer must not be a server error, must use a documented status code and
content type, and must match the documented response schema. Ids in paths are drawn from small
numbers, so most name seeded records (and a few name nothing: a 404). Deletions run last, so
the other operations still find the records.

Bounded: `EXAMPLES` requests per operation, derandomized (the same requests every run), no
deadline and no shrinking (a failure is reported as found, with the request that caused it).
"""

from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tpm import services
from tpm.demo import PEOPLE
from tpm.models import User
from tpm.wsgi import application

SEED_DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
EXAMPLES = 3
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
# Seeded records have small ids; 99999 names nothing.
PATH_IDS = st.sampled_from([1, 2, 3, 5, 8, 13, 21, 34, 99999])


def _with_seeded_id(pair: tuple[Any, int]) -> Any:
    case, pk = pair
    if case.path_parameters and "id" in case.path_parameters:
        case.path_parameters["id"] = pk
    return case


def _describe(case: Any, error: AssertionError) -> str:
    body = case.body if not isinstance(case.body, schemathesis.types.NotSet) else None
    request = f"{case.method} {case.formatted_path} query={case.query!r} body={body!r}"
    return f"{case.operation.verbose_name}\n  {request[:400]}\n  {str(error).strip()[:1200]}"


def _exercise(operation: Any, headers: dict[str, str], failures: list[str]) -> None:
    @given(case=st.tuples(operation.as_strategy(), PATH_IDS).map(_with_seeded_id))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as error:
            failures.append(_describe(case, error))

    send()


# Without a test transaction around it: each request commits (or rolls back) on its own, as in
# production, so a failed request cannot poison the next and services may open durable
# transactions. The tables are emptied afterwards.
@pytest.fixture
def manager_headers(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    # ~1,000 calls in a minute must not meet the user throttle (tests/api/test_throttling.py).
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": None, "anon": None})
    with time_machine.travel(SEED_DAY, tick=False):
        call_command("seed_demo", verbosity=0)
    manager = User.objects.get(email=PEOPLE[1][0])  # the demo's project manager
    _, raw = services.token_create(user=manager, name="contract")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def api_schema() -> Any:
    document = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert document.status_code == 200
    return schemathesis.from_dict(document.json(), app=application)


def test_every_operation_keeps_the_documented_contract(
    manager_headers: dict[str, str], api_schema: Any
) -> None:
    # given every operation of the description, deletions last
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    assert len(operations) > 200
    failures: list[str] = []
    # when each is sent a few generated requests, on the day the demo was seeded
    with time_machine.travel(SEED_DAY, tick=False):
        for operation in operations:
            _exercise(operation, manager_headers, failures)
    # then no answer is a server error or strays from the description
    assert not failures, f"{len(failures)} answers break the contract:\n\n" + "\n\n".join(failures)
