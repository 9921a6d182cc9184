"""Who may call the API: a session, or a personal access token sent as `Authorization: Bearer`."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tpm import services


def _bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_a_personal_access_token_signs_the_request_in(world):
    # given a token of the manager's
    _, raw = services.token_create(user=world.manager, name="ci")
    # when a script calls with it
    response = _bearer(raw).get("/api/v1/me/")
    # then it acts as the manager
    assert response.status_code == 200
    assert response.json()["email"] == "manager@acme.test"


def test_token_scheme_keyword_is_case_insensitive_and_token_also_works(world):
    # given a token
    _, raw = services.token_create(user=world.manager, name="ci")
    client = APIClient()
    # when it is sent as `Token` and as lower-case `bearer`
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    as_token = client.get("/api/v1/projects/")
    client.credentials(HTTP_AUTHORIZATION=f"bearer {raw}")
    as_bearer = client.get("/api/v1/projects/")
    # then both are accepted
    assert as_token.status_code == as_bearer.status_code == 200


def test_a_revoked_token_is_refused(world):
    # given a token that was revoked
    token, raw = services.token_create(user=world.manager, name="ci")
    services.token_revoke(token=token)
    # when it is used
    response = _bearer(raw).get("/api/v1/projects/")
    # then the caller is not signed in
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_expired_token_is_refused(world):
    # given a token that expired a minute ago
    _, raw = services.token_create(
        user=world.manager, name="ci", expires_at=timezone.now() - timedelta(minutes=1)
    )
    # when it is used
    response = _bearer(raw).get("/api/v1/projects/")
    # then it is refused
    assert response.status_code == 401


def test_an_unknown_token_is_refused(world):
    # when a made-up token is sent
    response = _bearer("lp_not-a-real-token").get("/api/v1/projects/")
    # then it is refused
    assert response.status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(world):
    # given a token whose owner was deactivated
    _, raw = services.token_create(user=world.manager, name="ci")
    world.manager.is_active = False
    world.manager.save()
    # when it is used
    response = _bearer(raw).get("/api/v1/projects/")
    # then it is refused
    assert response.status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/me/",
        "/api/v1/organisations/",
        "/api/v1/memberships/",
        "/api/v1/invitations/",
        "/api/v1/projects/",
        "/api/v1/project-members/",
    ],
)
def test_anonymous_callers_get_401_with_a_challenge(world, path):
    # when someone calls without credentials
    response = APIClient().get(path)
    # then they get 401 (not 403) and are told how to authenticate
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "not_authenticated"


def test_anonymous_writes_get_401_too(world):
    # when someone posts without credentials
    response = APIClient().post(
        "/api/v1/projects/",
        {"organisation": world.organisation.pk, "key": "NOPE", "name": "Nope"},
        format="json",
    )
    # then they get 401
    assert response.status_code == 401


def test_a_session_works_and_unsafe_methods_need_the_csrf_token(world):
    # given a browser session that enforces CSRF like a real browser
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.manager)
    # when it reads, and writes without a CSRF token
    read = client.get("/api/v1/projects/")
    write = client.post(
        "/api/v1/projects/",
        {"organisation": world.organisation.pk, "key": "CSRF", "name": "Forged"},
        format="json",
    )
    # then reading works and the write is refused
    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]


def test_token_requests_need_no_csrf_token(world):
    # given a token client that enforces CSRF checks
    _, raw = services.token_create(user=world.manager, name="ci")
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    # when it writes
    response = client.post(
        "/api/v1/projects/",
        {"organisation": world.organisation.pk, "key": "TOK", "name": "By token"},
        format="json",
    )
    # then the write goes through: tokens are not ambient credentials
    assert response.status_code == 201
