"""Sign-in hardening (issue 22): the admin's sign-in shares the app's lockout, failures are also
limited per client address and per account, and a broken cache degrades instead of failing."""

import logging

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 20
    settings.LOGIN_LOCKOUT_SECONDS = 900
    cache.clear()


@pytest.fixture
def staff(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


def _admin_login(client, password, **extra):
    return client.post(
        ADMIN_LOGIN,
        {"username": "root@example.com", "password": password, "next": "/admin/"},
        **extra,
    )


def test_admin_login_locks_after_the_failure_limit(client, staff, password):
    # given 30 wrong passwords at the admin's sign-in
    for _ in range(30):
        _admin_login(client, "wrong-password-1")
    # when the right one follows
    response = _admin_login(client, password)
    # then it is refused with the app's lockout message, and nobody is signed in
    assert "Too many failed sign-in attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_failures_at_the_app_login_lock_the_admin_login_too(client, staff, password):
    for _ in range(5):
        client.post(LOGIN, {"email": "root@example.com", "password": "wrong-password-1"})
    response = _admin_login(client, password)
    assert "Too many failed sign-in attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_admin_login_still_signs_in_with_the_right_password(client, staff, password):
    response = _admin_login(client, password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_one_password_sprayed_across_accounts_from_one_address_is_locked(db, password):
    # given one wrong password tried against 30 accounts from one address
    victim = UserFactory(email="victim@example.com")
    attacker = client_for(None)
    statuses = [
        attacker.post(
            LOGIN,
            {"email": f"user{n}@example.com", "password": "Summer2026!!"},
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for n in range(30)
    ]
    # then the address is locked after 20 failures, whichever account it tries next
    assert statuses[:20] == [422] * 20
    assert set(statuses[20:]) == {429}
    blocked = attacker.post(
        LOGIN, {"email": victim.email, "password": password}, REMOTE_ADDR="203.0.113.9"
    )
    assert blocked.status_code == 429
    # and a person elsewhere is not affected
    elsewhere = client_for(None).post(
        LOGIN, {"email": victim.email, "password": password}, REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 302


def test_one_account_attacked_from_many_addresses_is_locked(db, password):
    # given 20 wrong passwords for one account, from 20 addresses (one each)
    ann = UserFactory(email="ann@example.com")
    for n in range(20):
        client_for(None).post(
            LOGIN, {"email": ann.email, "password": "wrong-password-1"}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    # when the right password comes from yet another address
    response = client_for(None).post(
        LOGIN, {"email": ann.email, "password": password}, REMOTE_ADDR="192.0.2.50"
    )
    # then the account is locked for now
    assert response.status_code == 429


def test_a_few_slips_from_many_colleagues_behind_one_address_still_let_them_in(db, password):
    # given ten colleagues behind one office address, each mistyping once then signing in
    for n in range(10):
        person = UserFactory(email=f"colleague{n}@example.com")
        client = client_for(None)
        client.post(LOGIN, {"email": person.email, "password": "typo-password-1"})
        assert client.post(LOGIN, {"email": person.email, "password": password}).status_code == 302


@pytest.fixture
def redis_down(settings):
    """The cache is a Redis server nobody listens for (port 9 on this machine)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    from tpm import throttle

    # the process-local fallback starts empty
    local = getattr(throttle.cache, "local", None)
    if local is not None:
        local.clear()
    yield
    if local is not None:
        local.clear()


def test_redis_down_sign_in_still_works_and_warns(client, db, password, redis_down, caplog):
    ann = UserFactory(email="ann@example.com")
    with caplog.at_level(logging.WARNING, logger="tpm.throttle"):
        wrong = client.post(LOGIN, {"email": ann.email, "password": "wrong-password-1"})
        right = client.post(LOGIN, {"email": ann.email, "password": password})
    assert wrong.status_code == 422
    assert right.status_code == 302
    assert "Cache unavailable for throttling" in caplog.text


def test_redis_down_the_lockout_still_holds_in_this_process(client, db, password, redis_down):
    ann = UserFactory(email="ann@example.com")
    for _ in range(5):
        client.post(LOGIN, {"email": ann.email, "password": "wrong-password-1"})
    assert client.post(LOGIN, {"email": ann.email, "password": password}).status_code == 429


def test_redis_down_api_calls_are_answered(world, redis_down):
    client = APIClient()
    client.force_authenticate(world.manager)
    assert client.get("/api/v1/projects/").status_code == 200
    assert APIClient().get("/api/v1/projects/").status_code == 401
