"""Sign-in throttling and the counters behind every throttle (sign-in, password reset, the API).

Failed sign-ins are counted in three scopes within `settings.LOGIN_LOCKOUT_SECONDS` of the first
failure; reaching a scope's limit locks that scope for `LOGIN_LOCKOUT_SECONDS`, and while any
scope that applies is locked even the right password is refused:

* the pair (normalised email, client address): `LOGIN_FAILURE_LIMIT`, the usual typing slip;
* the client address across accounts: `LOGIN_FAILURE_LIMIT_PER_ADDRESS` (password spraying:
  one password tried on many accounts from one place);
* the account across addresses: `LOGIN_FAILURE_LIMIT_PER_ACCOUNT` (one account tried from many
  places).

A successful sign-in clears the pair's and the account's counts, never the address's (an
attacker with one account of their own must not reset it). The app's sign-in page and the admin's
both go through `authenticate` here. Keys hold a digest, never the address or email itself.

The counters live in the shared cache (Redis in production). When it fails, each call logs a
warning and falls back to a cache inside this process, so sign-in and the API keep working with
per-process limits instead of answering 500.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .models import User

logger = logging.getLogger(__name__)
_PREFIX = "login-throttle"
LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again in %(minutes)s minute(s)."


class FailSoftCache:
    """The default cache, or a process-local one for each call the default cache fails.

    DRF's throttles and ours call only these methods. A failure is logged, not raised: a broken
    Redis must cost the limits' precision across processes, not every sign-in and API call."""

    def __init__(self) -> None:
        self.local = LocMemCache("linchpin-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(caches["default"], name)(*args, **kwargs)
        except ValueError:
            raise  # incr of a missing key: the callers handle it, and it is not an outage
        except Exception as error:  # the backend's own errors (redis.ConnectionError, timeouts)
            logger.warning(
                "Cache unavailable for throttling (%s: %s); using this process's counters.",
                type(error).__name__,
                error,
            )
            return getattr(self.local, name)(*args, **kwargs)

    def get(self, key: str, default: Any = None) -> Any:
        return self._call("get", key, default)

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        self._call("set", key, value, timeout=timeout)

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return bool(self._call("add", key, value, timeout=timeout))

    def incr(self, key: str, delta: int = 1) -> int:
        return int(self._call("incr", key, delta))

    def delete_many(self, keys: list[str]) -> None:
        self._call("delete_many", keys)


cache = FailSoftCache()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def client_address(request: HttpRequest) -> str:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (X-Forwarded-For lies)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _scopes(email: str, address: str) -> list[tuple[str, int]]:
    """(key stem, failure limit) of each scope a sign-in attempt counts in."""
    email = normalise_email(email)
    return [
        (f"{_PREFIX}:{_digest(email, address)}", settings.LOGIN_FAILURE_LIMIT),
        (f"{_PREFIX}:address:{_digest(address)}", settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS),
        (f"{_PREFIX}:account:{_digest(email)}", settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT),
    ]


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)  # starts the window on the first attempt only
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def lockout_remaining(email: str, address: str, *, now: float | None = None) -> int:
    """Seconds until this email may try again from this address; 0 when nothing is locked."""
    moment = time.time() if now is None else now
    remaining = 0
    for stem, _limit in _scopes(email, address):
        locked_until = cache.get(f"{stem}:locked-until")
        if locked_until is not None:
            remaining = max(remaining, math.ceil(locked_until - moment))
    return remaining


def record_failure(email: str, address: str, *, now: float | None = None) -> int:
    """Count one failed attempt in every scope; lock each scope that reaches its limit.
    Returns the pair's count."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    start = time.time() if now is None else now
    counts = []
    for stem, limit in _scopes(email, address):
        failures = _count(f"{stem}:failures", window)
        if failures >= limit:
            cache.set(f"{stem}:locked-until", start + window, timeout=window)
        counts.append(failures)
    return counts[0]


_PARTS = ("failures", "locked-until")


def clear(email: str, address: str) -> None:
    """After a successful sign-in: forget the pair's and the account's failures."""
    pair, _address, account = (stem for stem, _limit in _scopes(email, address))
    cache.delete_many([f"{stem}:{part}" for stem in (pair, account) for part in _PARTS])


def authenticate(request: HttpRequest, email: str, password: str) -> User | None:
    """The one sign-in check of the app's and the admin's login forms: refused with a
    ValidationError (code "locked") while locked, else Django's authenticate, counted."""
    email = normalise_email(email)
    address = client_address(request)
    locked_for = lockout_remaining(email, address)
    if locked_for:
        raise ValidationError(
            LOCKED_MESSAGE, code="locked", params={"minutes": minutes(locked_for)}
        )
    user = django_authenticate(request, email=email, password=password)
    assert user is None or isinstance(user, User)
    if user is None:
        record_failure(email, address)
    else:
        clear(email, address)
    return user


def minutes(seconds: int) -> int:
    """Whole minutes to tell a person, never 0 while they still have to wait."""
    return max(1, math.ceil(seconds / 60))


def allow(bucket: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt in (bucket, key); False once more than `limit` fall in `window` seconds."""
    return _count(f"throttle:{bucket}:{_digest(bucket, key)}", window) <= limit
