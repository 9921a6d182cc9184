"""Changing and resetting a password."""

import re

from django.core import mail
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory

NEW_PASSWORD = "an-unusual-new-passphrase-8"


def test_password_reset_email_link_sets_a_new_password(client, db):
    # given Ann, who forgot her password
    ann = UserFactory(email="ann@example.com")
    # when she asks for a reset (typing her address in another case)
    response = client.post(reverse("password-reset"), {"email": "ANN@example.com"})
    # then she is told to check her email, and one message with a link is sent to her
    assert response.url == reverse("password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.com"]
    assert message.subject == "Choose a new Linchpin password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    # when she follows the link and chooses a new password
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # then the password is changed and the link no longer works
    assert done.url == reverse("password-reset-complete")
    ann.refresh_from_db()
    assert ann.check_password(NEW_PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password-reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password-reset-done")
    assert mail.outbox == []


def test_reset_rejects_a_weak_password_next_to_the_field(client, db):
    # given a reset link
    UserFactory(email="ann@example.com")
    client.post(reverse("password-reset"), {"email": "ann@example.com"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    # when a common password is chosen
    response = client.post(set_url, {"new_password1": "password", "new_password2": "password"})
    # then the form comes back with the validator's words on the field
    assert response.status_code == 422
    assert "This password is too common." in response.context["form"].errors["new_password2"]


def test_password_change(db, password):
    # given a signed-in person
    ann = UserFactory()
    client = client_for(ann)
    # when they give their current password and a new one twice
    response = client.post(
        reverse("password-change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # then it is changed and they stay signed in
    assert response.url == reverse("password-change-done")
    ann.refresh_from_db()
    assert ann.check_password(NEW_PASSWORD)
    assert client.get(reverse("profile")).status_code == 200


def test_password_change_with_wrong_current_password_is_422(db):
    client = client_for(UserFactory())
    response = client.post(
        reverse("password-change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["old_password"]


def test_repeated_reset_requests_stop_sending_mail_but_look_the_same(client, db, settings):
    # given an account and a limit of 3 reset emails an hour per address
    settings.PASSWORD_RESET_PER_EMAIL = 3
    UserFactory(email="flooded@example.com")
    # when someone asks five times
    responses = [
        client.post(reverse("password-reset"), {"email": "flooded@example.com"}) for _ in range(5)
    ]
    # then every answer is the usual redirect, but only three emails went out
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password-reset-done")}
    assert len(mail.outbox) == 3


def test_one_client_cannot_spray_resets_across_many_addresses(client, db, settings):
    # given a limit of 2 requests an hour from one client address
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    for n in range(4):
        UserFactory(email=f"target{n}@example.com")
    # when one client asks for four different accounts
    for n in range(4):
        client.post(reverse("password-reset"), {"email": f"target{n}@example.com"})
    # then only the first two were mailed
    assert sorted(m.to[0] for m in mail.outbox) == ["target0@example.com", "target1@example.com"]
