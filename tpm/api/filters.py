"""Query filters for the tenancy endpoints.

Ids are plain numbers filtered inside the already scoped queryset: another organisation's id
gives an empty page, never a hint that it exists.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from tpm.models import Invitation, Membership
from tpm.roles import OrgRole

from .fields import MAX_ID


class IdField(forms.IntegerField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)  # type: ignore[arg-type]


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An id in the query string: a whole number a key can hold, else a 400 naming the filter
    (a float or an id past the column's range never reaches the database)."""

    field_class = IdField


INVITATION_STATES = (
    ("pending", "Pending"),
    ("accepted", "Accepted"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
)


class MembershipFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    role = django_filters.ChoiceFilter(choices=OrgRole.choices)
    user = IdFilter(field_name="user_id")

    class Meta:
        model = Membership
        fields = ("organisation", "role", "user")


class InvitationFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    role = django_filters.ChoiceFilter(choices=OrgRole.choices)
    state = django_filters.ChoiceFilter(choices=INVITATION_STATES, method="filter_state")

    class Meta:
        model = Invitation
        fields = ("organisation", "role", "state")

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        open_ = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        return {
            "pending": lambda: open_.filter(expires_at__gt=now),
            "expired": lambda: open_.filter(expires_at__lte=now),
            "accepted": lambda: queryset.filter(accepted_at__isnull=False),
            "revoked": lambda: queryset.filter(accepted_at__isnull=True, revoked_at__isnull=False),
        }[value]()
