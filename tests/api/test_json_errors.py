"""Under /api/ every error answers JSON in the one error shape, even where no API view ran
(tpm/http.py, the handlers in tpm/urls.py); pages keep their HTML error pages."""

import pytest
from django.test import Client, RequestFactory

from tests.conftest import client_for
from tpm import http
from tpm.api.views import MeView

SHAPE = {"detail", "code", "errors"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/gate-criteria/",  # only single criteria have routes, there is no list
        "/api/v1/no-such-collection/",
        "/api/v1/projects/abc/",
        "/api/elsewhere",
    ],
)
def test_an_unknown_api_address_is_a_json_404(world, path):
    # when a signed-in person asks the API for something that has no route
    response = client_for(world.manager).get(path)
    # then the answer is a 404 in the API's error shape, not an HTML page
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "not_found"


def test_a_page_that_does_not_exist_is_still_an_html_page(world):
    response = client_for(world.manager).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_an_endpoint_does_not_take_is_a_json_405(world):
    response = client_for(world.manager).delete("/api/v1/me/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == SHAPE


def test_a_crash_in_an_api_view_is_a_json_500_that_tells_nothing_inside(world, monkeypatch):
    # given an API view that fails unexpectedly
    def crash(*args, **kwargs):
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(MeView, "get", crash)
    client = Client(raise_request_exception=False)
    client.force_login(world.manager)
    # when it is called
    response = client.get("/api/v1/me/")
    # then the answer is a 500 in the error shape, without the exception's text
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "server_error"
    assert b"hunter2" not in response.content


def test_a_crash_on_a_page_is_still_the_html_error_page():
    # the same handler, for a page outside the API
    response = http.server_error(RequestFactory().get("/projects/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
