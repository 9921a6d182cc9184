"""The OpenAPI description, built once per process (issue 14: building it takes seconds).

The description depends only on the code (it is served in public mode: the same for every
caller), so a process that has built it serves that copy until it restarts with new code.
"""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request

_built: dict[tuple[Any, ...], Any] = {}


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    # tests that change settings (throttles, installed routes) get a description of them
    _built.clear()


class CachedSpectacularAPIView(SpectacularAPIView):
    def _get_schema_response(self, request: Request) -> HttpResponse:
        # built and rendered (YAML or JSON, as negotiated) once: both take hundreds of ms
        version = self.api_version or request.version or self._get_version_parameter(request)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        key = (version, request.GET.get("lang"), self.serve_public, media_type)
        if key not in _built:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            data = generator.get_schema(request=request, public=self.serve_public)
            _built[key] = renderer.render(data, media_type, {"request": request})
        content_type = (
            f"{media_type}; charset={renderer.charset}" if renderer.charset else media_type
        )
        filename = self._get_filename(request, version)
        response = HttpResponse(_built[key], content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
