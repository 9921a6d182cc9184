from typing import Any

from django.http import HttpRequest

from .access import organisations_for


def organisations(request: HttpRequest) -> dict[str, Any]:
    """The organisation switcher's choices, fetched only when a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    return {
        "my_organisations": lambda: list(organisations_for(user).order_by("name")),
        "current_membership": membership if membership else None,
    }
