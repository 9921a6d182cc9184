"""Account and organisation pages of the tenancy core (views in tpm/views/)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import account, auth, invitations, members, organisation

urlpatterns = [
    # Signing in and out, passwords
    path("accounts/login/", auth.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth.PasswordChangeView.as_view(), name="password-change"),
    path(
        "accounts/password/change/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("accounts/password/reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password/reset/sent/",
        auth.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    # The person's own pages
    path("accounts/profile/", account.profile, name="profile"),
    path("accounts/tokens/", account.tokens, name="tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", account.token_revoke, name="token-revoke"),
    # Organisations
    path("org/switch/", organisation.org_switch, name="org-switch"),
    path("org/new/", organisation.org_create, name="org-create"),
    path("org/settings/", organisation.org_settings, name="org-settings"),
    path("org/history/", organisation.org_history, name="org-history"),
    path("org/members/", members.org_members, name="org-members"),
    path("org/members/<int:membership_id>/role/", members.member_role, name="org-member-role"),
    path(
        "org/members/<int:membership_id>/remove/", members.member_remove, name="org-member-remove"
    ),
    path("org/invitations/new/", members.org_invite, name="org-invite"),
    path(
        "org/invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation-accept"),
    # The resources app (issue 5): pool, rates, allocations, timesheets, budgets (full paths).
    path("", include("resources.urls")),
]
