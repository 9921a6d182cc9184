"""Personal access tokens: `Authorization: Bearer lp_…` (or `Token lp_…`)."""

from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tpm.models import PersonalAccessToken


class PersonalAccessTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, PersonalAccessToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as `Authorization: Bearer <token>`."
            )
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("The token contains invalid characters.") from exc
        token = (
            PersonalAccessToken.objects.select_related("user")
            .filter(key_digest=PersonalAccessToken.digest(raw))
            .first()
        )
        if token is None or not token.is_active() or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is unknown, revoked or expired.")
        now = timezone.now()
        # Write at most once a minute: a busy script should not turn every GET into a write.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalAccessTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal access token."}
