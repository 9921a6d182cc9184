"""tpm.throttle: failed sign-ins counted per (email, address), then a lockout."""

import pytest
from django.core.cache import cache

from tpm import throttle


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_not_locked_below_the_limit():
    # given two failures, one under the limit of three
    throttle.record_failure("ann@example.com", "10.0.0.1")
    throttle.record_failure("ann@example.com", "10.0.0.1")
    # then the pair may still try
    assert throttle.lockout_remaining("ann@example.com", "10.0.0.1") == 0


def test_locked_for_the_lockout_period_at_the_limit():
    # given three failures at t=1000
    for _ in range(3):
        throttle.record_failure("ann@example.com", "10.0.0.1", now=1000.0)
    # then the pair is locked for the lockout period, counting down
    assert throttle.lockout_remaining("ann@example.com", "10.0.0.1", now=1000.0) == 600
    assert throttle.lockout_remaining("ann@example.com", "10.0.0.1", now=1450.0) == 150
    assert throttle.lockout_remaining("ann@example.com", "10.0.0.1", now=1600.0) == 0


def test_email_is_normalised():
    # given failures with differently written forms of one address
    for email in ("Ann@Example.com", " ann@example.com", "ANN@EXAMPLE.COM "):
        throttle.record_failure(email, "10.0.0.1")
    # then they count together
    assert throttle.lockout_remaining("ann@example.com", "10.0.0.1") > 0


def test_other_address_and_other_email_are_counted_apart():
    # given a locked pair
    for _ in range(3):
        throttle.record_failure("ann@example.com", "10.0.0.1")
    # then the same email elsewhere, and another email here, are not locked
    assert throttle.lockout_remaining("ann@example.com", "10.0.0.2") == 0
    assert throttle.lockout_remaining("bob@example.com", "10.0.0.1") == 0


def test_clear_forgets_failures():
    # given two failures
    throttle.record_failure("ann@example.com", "10.0.0.1")
    throttle.record_failure("ann@example.com", "10.0.0.1")
    # when the count is cleared (a successful sign-in)
    throttle.clear("ann@example.com", "10.0.0.1")
    # then it takes the full limit again to lock
    assert throttle.record_failure("ann@example.com", "10.0.0.1") == 1


@pytest.mark.parametrize(("seconds", "minutes"), [(1, 1), (60, 1), (61, 2), (900, 15)])
def test_minutes_rounds_up(seconds, minutes):
    assert throttle.minutes(seconds) == minutes
