"""Writes to the tenancy core. Each function is one transaction and records history."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import history, jobs
from .concurrency import lock_current_version
from .models import Invitation, Membership, Organisation, PersonalAccessToken, User
from .roles import OrgRole
from .signals import invitation_accepted, membership_removed, organisation_created

INVITATION_SALT = "linchpin.invitation"


def _org_scope(organisation: Organisation) -> str:
    return f"organisation:{organisation.pk}"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_create(*, name: str, actor: User, slug: str | None = None) -> Organisation:
    """Create an organisation with `actor` as its first admin."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the organisation a name."})
    if slug and Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The address “{slug}” is taken."})
    organisation = Organisation.objects.create(name=name, slug=slug or _unique_slug(name))
    Membership.objects.create(organisation=organisation, user=actor, role=OrgRole.ADMIN)
    history.record(
        actor=actor,
        organisation=organisation,
        target=organisation,
        action="created",
        scope=_org_scope(organisation),
        changes={"name": [None, name]},
    )
    organisation_created.send(sender=Organisation, organisation=organisation, actor=actor)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: User, version: int | None, name: str
) -> Organisation:
    organisation = lock_current_version(organisation, version)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the organisation a name."})
    before = history.snapshot(organisation, ["name"])
    organisation.name = name
    organisation.version += 1
    organisation.save()
    changes = history.diff(before, history.snapshot(organisation, ["name"]))
    if changes:
        history.record(
            actor=actor,
            organisation=organisation,
            target=organisation,
            action="updated",
            scope=_org_scope(organisation),
            changes=changes,
        )
    return organisation


def _other_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=OrgRole.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, version: int | None, actor: User
) -> Membership:
    membership = lock_current_version(membership, version)
    if role not in OrgRole.values:
        raise ValidationError({"role": f"“{role}” is not a role; choose admin or member."})
    if membership.role == OrgRole.ADMIN and role != OrgRole.ADMIN and not _other_admins(membership):
        raise ValidationError({"role": "An organisation needs at least one admin."})
    old = membership.role
    membership.role = role
    membership.version += 1
    membership.save()
    if old != role:
        history.record(
            actor=actor,
            organisation=membership.organisation,
            target=membership,
            action="updated",
            scope=_org_scope(membership.organisation),
            changes={"role": [old, role]},
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == OrgRole.ADMIN and not _other_admins(membership):
        raise ValidationError("An organisation needs at least one admin; appoint another first.")
    organisation, user = membership.organisation, membership.user
    history.record(
        actor=actor,
        organisation=organisation,
        target=membership,
        action="deleted",
        scope=_org_scope(organisation),
        changes={"user": [user.email, None], "role": [membership.role, None]},
    )
    membership.delete()
    membership_removed.send(sender=Membership, organisation=organisation, user=user)


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=INVITATION_SALT).sign(str(invitation.token))


def invitation_from_token(raw: str) -> Invitation | None:
    """The invitation a link points at, or None when the link is forged or unknown."""
    try:
        token = signing.Signer(salt=INVITATION_SALT).unsign(raw)
        return Invitation.objects.select_related("organisation").get(token=token)
    except (signing.BadSignature, Invitation.DoesNotExist, ValidationError, ValueError):
        return None


def invitation_url(invitation: Invitation) -> str:
    path = reverse("invitation-accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, actor: User
) -> Invitation:
    """Invite `email`; a newer invitation replaces a pending one to the same address."""
    from .tasks import send_invitation_email

    email = email.strip().lower()
    if role not in OrgRole.values:
        raise ValidationError({"role": f"“{role}” is not a role; choose admin or member."})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {organisation}."})
    now = timezone.now()
    Invitation.objects.pending(now).filter(organisation=organisation, email__iexact=email).update(
        revoked_at=now
    )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    history.record(
        actor=actor,
        organisation=organisation,
        target=invitation,
        action="created",
        scope=_org_scope(organisation),
        changes={"email": [None, email], "role": [None, role]},
    )
    # Queued after the commit; a broker outage keeps it for later (tpm/jobs.py), never a 500.
    jobs.enqueue_on_commit(send_invitation_email, invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise ValidationError(f"This invitation is already {invitation.state()}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    history.record(
        actor=actor,
        organisation=invitation.organisation,
        target=invitation,
        action="deleted",
        scope=_org_scope(invitation.organisation),
        changes={"state": ["pending", "revoked"]},
    )
    return invitation


class InvitationUnusableError(Exception):
    """The invitation was used, revoked or has expired."""


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> User:
    """Join the organisation as `user`, or create the account the invitation is addressed to."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    if not invitation.is_usable():
        raise InvitationUnusableError(f"This invitation has been {invitation.state()}.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError("An account with this email exists; sign in to accept.")
        try:
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name.strip()
            )
        except IntegrityError as exc:  # a concurrent sign-up with the same address
            raise ValidationError("An account with this email exists; sign in to accept.") from exc
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        history.record(
            actor=user,
            organisation=invitation.organisation,
            target=membership,
            action="created",
            scope=_org_scope(invitation.organisation),
            changes={"user": [None, user.email], "role": [None, membership.role]},
        )
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


def invitations_purge_expired(*, now: datetime | None = None) -> int:
    """Delete invitations that expired unused (kept a day for the inviter to notice)."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted


def _record_token(
    token: PersonalAccessToken, *, actor: User, action: str, changes: dict[str, list]
) -> None:
    """History of a personal access token. A token belongs to a person, not an organisation,
    and acts with their roles in every organisation they belong to: each of those records it
    (scope `organisation:<id>`, for its admins); someone in none has nothing for it to reach.
    Name, prefix and expiry only: never the secret or its digest."""
    for organisation in Organisation.objects.filter(memberships__user_id=token.user_id).order_by(
        "pk"
    ):
        history.record(
            actor=actor,
            organisation=organisation,
            target=token,
            action=action,
            scope=_org_scope(organisation),
            changes=changes,
        )


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it."})
    raw = PersonalAccessToken.PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name[:80],
        key_prefix=raw[:10],
        key_digest=PersonalAccessToken.digest(raw),
        expires_at=expires_at,
    )
    _record_token(
        token,
        actor=user,
        action="created",
        changes=history.diff({}, history.snapshot(token, ("name", "key_prefix", "expires_at"))),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, actor: User | None = None) -> PersonalAccessToken:
    """Revoke a token (its owner does, from the tokens page); revoking it again changes nothing."""
    locked = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        _record_token(
            locked,
            actor=actor or locked.user,
            action="revoked",
            changes={"revoked_at": [None, locked.revoked_at.isoformat()]},
        )
    token.revoked_at = locked.revoked_at  # the caller's copy says so too
    return locked


def membership_set_current(*, session: dict, membership: Membership) -> None:
    session["organisation_id"] = membership.organisation_id


@transaction.atomic
def user_update_profile(*, user: User, full_name: str) -> User:
    """Change what colleagues see as the person's name (the email is their sign-in, kept)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.full_name = full_name.strip()[:150]
    user.save(update_fields=["full_name"])
    return user
