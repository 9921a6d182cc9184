"""Sign-in throttling: count failed logins per (normalised email, client address) in the cache.

After `settings.LOGIN_FAILURE_LIMIT` failures within `settings.LOGIN_LOCKOUT_SECONDS` of the
first one, the pair is locked for `LOGIN_LOCKOUT_SECONDS`: even the right password is refused
until then. A successful sign-in clears the count. Keys hold a digest, never the address itself.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_PREFIX = "login-throttle"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def client_address(request: HttpRequest) -> str:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (X-Forwarded-For lies)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(email: str, address: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{normalise_email(email)}|{address}".encode()).hexdigest()
    return f"{_PREFIX}:failures:{digest}", f"{_PREFIX}:locked-until:{digest}"


def lockout_remaining(email: str, address: str, *, now: float | None = None) -> int:
    """Seconds until this pair may try again; 0 when it is not locked."""
    _, lock_key = _keys(email, address)
    locked_until = cache.get(lock_key)
    if locked_until is None:
        return 0
    return max(0, math.ceil(locked_until - (time.time() if now is None else now)))


def record_failure(email: str, address: str, *, now: float | None = None) -> int:
    """Count one failed attempt; lock the pair when the limit is reached. Returns the count."""
    count_key, lock_key = _keys(email, address)
    window = settings.LOGIN_LOCKOUT_SECONDS
    cache.add(count_key, 0, timeout=window)  # starts the window on the first failure only
    try:
        failures = cache.incr(count_key)
    except ValueError:  # the key expired between add and incr
        cache.set(count_key, 1, timeout=window)
        failures = 1
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        start = time.time() if now is None else now
        cache.set(lock_key, start + window, timeout=window)
    return failures


def clear(email: str, address: str) -> None:
    cache.delete_many(list(_keys(email, address)))


def minutes(seconds: int) -> int:
    """Whole minutes to tell a person, never 0 while they still have to wait."""
    return max(1, math.ceil(seconds / 60))


def allow(bucket: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt in (bucket, key); False once more than `limit` fall in `window` seconds."""
    digest = hashlib.sha256(f"{bucket}|{key}".encode()).hexdigest()
    cache_key = f"throttle:{bucket}:{digest}"
    cache.add(cache_key, 0, timeout=window)  # the window starts at the first attempt
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        attempts = 1
    return attempts <= limit
