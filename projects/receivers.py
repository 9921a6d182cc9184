"""Reactions to events announced by the tenancy core (tpm cannot import projects)."""

from typing import Any

from django.dispatch import receiver

from projects import services
from projects.quality import gate_templates as template_services
from tpm.signals import invitation_accepted, membership_removed, organisation_created


@receiver(invitation_accepted)
def _grant_invited_project_roles(sender: Any, invitation: Any, user: Any, **kwargs: Any) -> None:
    services.project_invitations_accept(invitation=invitation, user=user)


@receiver(membership_removed)
def _drop_project_roles(sender: Any, organisation: Any, user: Any, **kwargs: Any) -> None:
    services.project_memberships_drop(organisation=organisation, user=user)


@receiver(organisation_created)
def _seed_gate_templates(sender: Any, organisation: Any, **kwargs: Any) -> None:
    # Pages only read the templates; older organisations got theirs in migration 0009.
    template_services.gate_templates_ensure(organisation=organisation)
