"""Helpers for the API tests: clients signed in as one of the world's people, or by token."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tpm.models import User


@pytest.fixture
def api() -> Callable[[User | None], APIClient]:
    """`api(user)`: a client with `user`'s session (anonymous for None)."""

    def make(user: User | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


def if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}
