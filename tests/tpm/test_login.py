"""Signing in: one generic error, throttled failures, safe redirects."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tpm.forms import GENERIC_LOGIN_ERROR

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 900
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ann(db):
    return UserFactory(email="ann@example.com")


def _error_text(response) -> str:
    return response.context["form"].non_field_errors()[0]


def test_right_password_signs_in_and_goes_home(client, ann, password):
    # when Ann signs in
    response = client.post(LOGIN, {"email": "ann@example.com", "password": password})
    # then she is signed in and sent home
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(ann.pk)


def test_email_is_case_insensitive(client, ann, password):
    response = client.post(LOGIN, {"email": " Ann@EXAMPLE.com", "password": password})
    assert response.status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_message(client, ann):
    # when one person tries an unknown address and another a wrong password
    unknown = client.post(LOGIN, {"email": "nobody@example.com", "password": "whatever-123"})
    wrong = client.post(LOGIN, {"email": "ann@example.com", "password": "whatever-123"})
    # then both are refused with the same status and words
    assert unknown.status_code == wrong.status_code == 422
    assert _error_text(unknown) == _error_text(wrong) == GENERIC_LOGIN_ERROR
    assert "nobody@example.com" not in _error_text(unknown)


def test_after_the_limit_even_the_right_password_is_refused(client, ann, password):
    # given three failed attempts (the limit)
    for _ in range(3):
        client.post(LOGIN, {"email": "ann@example.com", "password": "wrong-password-1"})
    # when Ann then types the right password
    response = client.post(LOGIN, {"email": "ann@example.com", "password": password})
    # then she is told to wait, and is not signed in
    assert response.status_code == 429
    assert "Too many failed sign-in attempts. Try again in 15 minute(s)." in response.text
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_reveal_whether_the_account_exists(client, ann):
    # given the limit reached for an existing and an unknown address
    for email in ("ann@example.com", "nobody@example.com"):
        for _ in range(3):
            client.post(LOGIN, {"email": email, "password": "wrong-password-1"})
    # when each tries again
    known = client.post(LOGIN, {"email": "ann@example.com", "password": "wrong-password-1"})
    unknown = client.post(LOGIN, {"email": "nobody@example.com", "password": "wrong-password-1"})
    # then both get the same answer
    assert known.status_code == unknown.status_code == 429
    assert _error_text(known) == _error_text(unknown)


def test_success_clears_the_failure_count(client, ann, password):
    # given two failures, one short of the limit, then a success
    for _ in range(2):
        client.post(LOGIN, {"email": "ann@example.com", "password": "wrong-password-1"})
    client.post(LOGIN, {"email": "ann@example.com", "password": password})
    client.post(reverse("logout"))
    # when two more failures follow
    for _ in range(2):
        client.post(LOGIN, {"email": "ann@example.com", "password": "wrong-password-1"})
    # then the right password still works
    response = client.post(LOGIN, {"email": "ann@example.com", "password": password})
    assert response.status_code == 302


def test_lockout_is_per_client_address(ann, password):
    # given the limit reached from one address
    attacker = client_for(None)
    for _ in range(3):
        attacker.post(
            LOGIN,
            {"email": "ann@example.com", "password": "wrong-password-1"},
            REMOTE_ADDR="203.0.113.9",
        )
    # when Ann signs in from her own address
    response = client_for(None).post(
        LOGIN, {"email": "ann@example.com", "password": password}, REMOTE_ADDR="198.51.100.7"
    )
    # then she gets in
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/org/members/", "/org/members/"), ("https://evil.example/", "/")],
)
def test_next_is_followed_only_inside_the_site(client, ann, password, next_url, expected):
    response = client.post(
        LOGIN, {"email": "ann@example.com", "password": password, "next": next_url}
    )
    assert response.url == expected


def test_logout_is_post_only(client, ann):
    # given a signed-in person
    client.force_login(ann)
    # when they GET the logout address, nothing happens
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    # when they POST, they are signed out
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session
