"""The OpenAPI description, built once per process (issue 14: building it takes seconds).

The description depends only on the code (it is served in public mode: the same for every
caller), so a process that has built it serves that copy until it restarts with new code.
"""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

_built: dict[tuple[Any, ...], Any] = {}


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    # tests that change settings (throttles, installed routes) get a description of them
    _built.clear()


class CachedSpectacularAPIView(SpectacularAPIView):
    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, request.GET.get("lang"), self.serve_public)
        if key not in _built:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            _built[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=_built[key], headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
