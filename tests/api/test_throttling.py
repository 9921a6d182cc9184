from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle


def test_a_flood_of_api_calls_is_throttled(world, monkeypatch):
    # given a user limited to 5 calls a minute (DRF reads the rates when it is imported)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "5/min", "anon": "5/min"})
    client = APIClient()
    client.force_authenticate(world.manager)
    # when they call six times
    statuses = [client.get("/api/v1/projects/").status_code for _ in range(6)]
    # then the sixth is refused with 429 in the usual error shape, saying when to retry
    assert statuses == [200] * 5 + [429]
    response = client.get("/api/v1/projects/")
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response.headers
