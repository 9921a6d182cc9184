"""The OpenAPI description is built once per process (issue 14: it took 11 s per request)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tpm.api import schema_view

pytestmark = pytest.mark.django_db


def test_the_description_is_built_once_and_served_again(client, monkeypatch):
    schema_view._built.clear()
    builds = []
    real = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        builds.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    again = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert first.json()["paths"]  # the real description, not an empty shell
    assert len(builds) == 1


def test_a_settings_change_forgets_it(settings):
    schema_view._built[("x",)] = {}
    settings.SPECTACULAR_SETTINGS = {**settings.SPECTACULAR_SETTINGS}
    assert schema_view._built == {}
