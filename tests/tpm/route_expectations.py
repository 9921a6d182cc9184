"""Permission-matrix entries for the tenancy core's routes (see tests/permission_matrix.py).

Organisation pages act on the *current* organisation: the outsider (admin of another
organisation) sees and runs their own there, so gets 200/302; members who are not admins get
403. Objects fetched by id from the world's organisation are a 404 for the outsider.
"""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD
from tests.permission_matrix import Case, expect
from tpm import services

NEW_PASSWORD = "a-fresh-unusual-passphrase-42"

signed_in = expect(200, anonymous=302)
everyone = expect(200)
redirects = expect(302)
org_admin_page = expect(403, anonymous=302, outsider=200, admin=200)
org_admin_action = expect(403, anonymous=302, outsider=302, admin=302)
# By id inside the world's organisation: the outsider is not in it.
org_admin_by_id = expect(403, anonymous=302, outsider=404, admin=302)


def _membership_of(user):
    return user.memberships.get()


def _reset_kwargs(world):
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(world.admin.pk)),
        "token": default_token_generator.make_token(world.admin),
    }


def _invitation_kwargs(world):
    return {"token": services.invitation_token(world.invitation)}


ROUTES: list[Case] = [
    Case("home", "get", redirects),
    Case("healthz", "get", everyone),
    # Signing in and out, passwords
    Case("login", "get", expect(302, anonymous=200)),
    Case(
        "login",
        "post",
        expect(302, anonymous=422),
        data=lambda w: {"email": w.admin.email, "password": "not-the-password"},
    ),
    Case("logout", "post", redirects),
    Case("logout", "get", expect(405, anonymous=302)),  # sign-out is a POST
    Case("password-change", "get", signed_in),
    Case(
        "password-change",
        "post",
        redirects,
        data=lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    Case("password-change-done", "get", signed_in),
    Case("password-reset", "get", everyone),
    Case("password-reset", "post", redirects, data=lambda w: {"email": w.admin.email}),
    Case("password-reset-done", "get", everyone),
    # A valid link redirects to the page that hides the token from the address bar.
    Case("password-reset-confirm", "get", redirects, kwargs=_reset_kwargs),
    Case("password-reset-complete", "get", everyone),
    # The person's own pages
    Case("profile", "get", signed_in),
    Case("profile", "post", redirects, data=lambda w: {"full_name": "Renamed Person"}),
    Case("tokens", "get", signed_in),
    Case("tokens", "post", expect(201, anonymous=302), data=lambda w: {"name": "ci"}),
    Case(
        "token-revoke",
        "post",
        expect(404, anonymous=302, manager=302),
        kwargs=lambda w: {"token_id": w.manager_token.pk},
    ),
    # Organisations
    Case(
        "org-switch",
        "post",
        expect(302, outsider=404),
        data=lambda w: {"organisation": w.organisation.pk},
    ),
    Case("org-create", "get", signed_in),
    Case("org-create", "post", redirects, data=lambda w: {"name": "Initech"}),
    Case("org-settings", "get", org_admin_page),
    Case(
        "org-settings", "post", org_admin_action, data=lambda w: {"name": "Renamed", "version": 1}
    ),
    Case("org-history", "get", org_admin_page),
    Case("org-members", "get", org_admin_page),
    Case(
        "org-member-role",
        "post",
        org_admin_by_id,
        kwargs=lambda w: {"membership_id": _membership_of(w.bystander).pk},
        data=lambda w: {"role": "admin", "version": 1},
    ),
    Case(
        "org-member-remove",
        "post",
        org_admin_by_id,
        kwargs=lambda w: {"membership_id": _membership_of(w.bystander).pk},
    ),
    Case(
        "org-invite",
        "post",
        org_admin_action,
        data=lambda w: {"email": "newcomer@example.com", "role": "member"},
    ),
    Case(
        "invitation-revoke",
        "post",
        org_admin_by_id,
        kwargs=lambda w: {"invitation_id": w.invitation.pk},
    ),
    # The invitation is for an address without an account: anonymous sees the sign-up form,
    # everyone signed in is the wrong account (told so on GET, refused on POST).
    Case("invitation-accept", "get", everyone, kwargs=_invitation_kwargs),
    Case(
        "invitation-accept",
        "post",
        expect(403, anonymous=302),
        kwargs=_invitation_kwargs,
        data=lambda w: {
            "full_name": "New Person",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    ),
]
