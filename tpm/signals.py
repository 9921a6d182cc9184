"""Events the tenancy core announces so higher apps can react without tpm importing them."""

from django.dispatch import Signal

# Sent inside the accepting transaction: invitation, user.
invitation_accepted = Signal()
# Sent inside the removing transaction: organisation, user.
membership_removed = Signal()
