"""DRF's rate throttles counting in tpm.throttle's fail-soft cache: with the cache (Redis) down
an API call is still answered, limited per process, instead of failing with 500."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tpm import throttle


class AnonThrottle(AnonRateThrottle):
    cache = throttle.cache  # type: ignore[assignment]


class UserThrottle(UserRateThrottle):
    cache = throttle.cache  # type: ignore[assignment]
