"""Writes to cost rates. A rate is history: it applies from its date until the next rate of the
same person (or role), and it is never rewritten. A change of rate is a new row from its date
on; a rate dated on or before approved time it would re-price is refused, so approved costs
never change behind the manager's back. A rate nobody's approved time uses yet may be removed
(a typo fixed before it costs anything).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from projects.models import CURRENCIES
from resources.models import CostRate, Resource, ResourceRole, TimeEntry, TimeEntryStatus
from tpm import history
from tpm.models import Organisation, User

CURRENCY_CODES = frozenset(code for code, _ in CURRENCIES)


def _approved_time_priced_by(
    *, organisation_id: int, resource: Resource | None, role: ResourceRole | None, since: date
) -> TimeEntry | None:
    """The latest approved entry on or after `since` that this rate would price."""
    entries = TimeEntry.objects.filter(
        status=TimeEntryStatus.APPROVED,
        date__gte=since,
        task__project__organisation_id=organisation_id,
    )
    if resource is not None:
        who = Q(resource=resource)
        if resource.user_id:
            who |= Q(resource__isnull=True, user_id=resource.user_id)
    else:
        who = Q(resource__role=role) | Q(
            resource__isnull=True,
            user__resources__role=role,
            user__resources__organisation_id=organisation_id,
        )
    return entries.filter(who).order_by("-date").first()


def _scope_and_target(rate: CostRate) -> tuple[Resource | ResourceRole, str]:
    target = rate.resource if rate.resource_id else rate.role
    assert target is not None
    return target, f"organisation:{rate.organisation_id}"


@transaction.atomic
def rate_create(
    *,
    organisation: Organisation,
    actor: User,
    effective_from: date | None,
    hourly_rate: Decimal | None,
    currency: str,
    resource: Resource | None = None,
    role: ResourceRole | None = None,
) -> CostRate:
    """A person's own rate (`resource`) or a role's default (`role`), from `effective_from`."""
    if (resource is None) == (role is None):
        raise ValidationError("A rate belongs to either a person or a role.")
    owner = resource or role
    assert owner is not None
    if owner.organisation_id != organisation.pk:
        raise ValidationError("Choose a person or role of this organisation.")
    if resource is not None and not resource.is_labour:
        raise ValidationError(
            {"hourly_rate": "Equipment and licences cost per unit (their unit cost), not by rate."}
        )
    if effective_from is None:
        raise ValidationError(
            {
                "effective_from": "A rate needs the date it applies from: rates are never "
                "rewritten, a new rate applies from its date on."
            }
        )
    if hourly_rate is None:
        raise ValidationError({"hourly_rate": "Give the hourly rate."})
    if hourly_rate < 0:
        raise ValidationError({"hourly_rate": "A rate cannot be negative."})
    if currency not in CURRENCY_CODES:
        raise ValidationError(
            {"currency": f"{currency or 'An empty code'} is not a currency Linchpin knows."}
        )
    same_day = CostRate.objects.filter(
        Q(resource=resource) if resource is not None else Q(role=role),
        effective_from=effective_from,
    ).first()
    if same_day is not None:
        raise ValidationError(
            {
                "effective_from": f"There is already a rate from {effective_from:%d %b %Y} "
                f"({same_day.hourly_rate} {same_day.currency}/h); rates are never rewritten: add "
                "the new rate from a later date."
            }
        )
    approved = _approved_time_priced_by(
        organisation_id=organisation.pk, resource=resource, role=role, since=effective_from
    )
    if approved is not None:
        raise ValidationError(
            {
                "effective_from": f"Approved time up to {approved.date:%d %b %Y} is already costed "
                "at the earlier rate; a new rate applies from a later date."
            }
        )
    rate = CostRate.objects.create(
        organisation=organisation,
        resource=resource,
        role=role,
        effective_from=effective_from,
        hourly_rate=hourly_rate,
        currency=currency,
        created_by=actor,
    )
    target, scope = _scope_and_target(rate)
    history.record(
        actor=actor,
        organisation=organisation,
        target=target,
        action="rate_added",
        scope=scope,
        changes={"rate": [None, f"{hourly_rate} {currency}/h from {effective_from}"]},
    )
    return rate


@transaction.atomic
def rate_delete(*, rate: CostRate, actor: User) -> None:
    """Remove a rate that no approved time uses yet."""
    approved = _approved_time_priced_by(
        organisation_id=rate.organisation_id,
        resource=rate.resource,
        role=rate.role,
        since=rate.effective_from,
    )
    if approved is not None:
        raise ValidationError(
            "Approved time is costed at this rate, so it stays: add a new rate from a later "
            "date instead."
        )
    target, scope = _scope_and_target(rate)
    label = f"{rate.hourly_rate} {rate.currency}/h from {rate.effective_from}"
    rate.delete()
    history.record(
        actor=actor,
        organisation=rate.organisation,
        target=target,
        action="rate_removed",
        scope=scope,
        changes={"rate": [label, None]},
    )
