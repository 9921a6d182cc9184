"""Forms of the account and organisation pages. They parse input; services decide and write."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from . import throttle
from .models import User
from .roles import OrgRole

GENERIC_LOGIN_ERROR = "That email address and password do not match an account. Check both."


class Form(forms.Form):
    """Linchpin's forms: labels without Django's trailing colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = throttle.normalise_email(cleaned.get("email", ""))
        password = cleaned.get("password")
        if not email or not password:
            return cleaned
        user = throttle.authenticate(self.request, email, password)  # raises while locked
        if user is None:
            raise ValidationError(GENERIC_LOGIN_ERROR, code="invalid_login")
        self.user = user
        return cleaned


class ProfileForm(Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="Shown to your colleagues instead of your email address.",
    )


class TokenCreateForm(Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="What will use it, e.g. “nightly export script”.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=365,
        help_text="Leave empty for a token that lasts until you revoke it.",
    )


class OrganisationForm(Form):
    name = forms.CharField(label="Organisation name", max_length=120)


class VersionedOrganisationForm(OrganisationForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MemberRoleForm(Form):
    role = forms.ChoiceField(label="Role", choices=OrgRole.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class InvitationForm(Form):
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label="Role", choices=OrgRole.choices, initial=OrgRole.MEMBER)


class InvitationSignupForm(Form):
    """The account an invitation creates; the email comes from the invitation."""

    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        if password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
