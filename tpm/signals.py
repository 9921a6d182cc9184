"""Events the tenancy core announces so higher apps can react without tpm importing them."""

from django.dispatch import Signal

# Sent inside the creating transaction, once the first admin is a member: organisation, actor.
# (projects seeds the default gate templates, risks the default risk categories.)
organisation_created = Signal()
# Sent inside the accepting transaction: invitation, user.
invitation_accepted = Signal()
# Sent inside the removing transaction: organisation, user.
membership_removed = Signal()
