"""Query filters for the tenancy endpoints.

Ids are plain numbers filtered inside the already scoped queryset: another organisation's id
gives an empty page, never a hint that it exists.
"""

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from tpm.models import Invitation, Membership
from tpm.roles import OrgRole

INVITATION_STATES = (
    ("pending", "Pending"),
    ("accepted", "Accepted"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
)


class MembershipFilter(django_filters.FilterSet):
    organisation = django_filters.NumberFilter(field_name="organisation_id")
    role = django_filters.ChoiceFilter(choices=OrgRole.choices)
    user = django_filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Membership
        fields = ("organisation", "role", "user")


class InvitationFilter(django_filters.FilterSet):
    organisation = django_filters.NumberFilter(field_name="organisation_id")
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
