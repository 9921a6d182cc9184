"""Share links: tokens (the link's id, signed, so a URL cannot be guessed or altered) and what a
link shows.

Whether a link still works (not revoked, not expired) is the row's business (ShareLink.is_usable).

Money: whoever holds a link has no account and so no project role, and a link is easily
forwarded. Budgets and costs (ProjectAction.VIEW_MONEY) are therefore shown only when the manager
ticked "include budgets and costs" for that link (`ShareLink.with_money`, off by default); any
other link shows the cost section as members see it (the colour and its reasons, no amounts).
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import transaction

from projects.models import Project
from tpm import history, money
from tpm.models import User

from . import services
from .models import ShareLink

SALT = "reports.share-link"


def token_for(link_id: int) -> str:
    return signing.dumps(link_id, salt=SALT)


def link_id_from(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


@transaction.atomic
def share_link_create_choosing_money(
    *, project: Project, actor: User, days: int = 14, label: str = "", with_money: bool = False
) -> ShareLink:
    """A new link (`services.share_link_create`) and, in the same transaction, whether it shows
    budgets and costs; showing them is recorded in the project's history."""
    link = services.share_link_create(project=project, actor=actor, days=days, label=label)
    if with_money:
        ShareLink.objects.filter(pk=link.pk).update(with_money=True)
        link.with_money = True
        history.record(
            actor=actor,
            organisation=project.organisation,
            target=link,
            action="updated",
            scope=f"project:{project.pk}",
            changes={"with_money": [False, True]},
        )
    return link


def sections_for(link: ShareLink, sections: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's sections as this link may show them: without money (tpm/money.py: the
    cost section, EMV, change costs) unless the manager chose to include it."""
    return money.hide(sections, money=link.with_money)
