"""A TPM mentions an engineer in a task comment; the engineer sees it under the bell and gets
an email (captured by the test mail backend)."""

import re

import pytest
from playwright.sync_api import expect

from projects.plan import services as task_services
from tests.factories import PASSWORD, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_mention_notifies_in_app_and_by_email(page, mailoutbox):
    # given a TPM's project with a task and an engineer on it
    project = ProjectFactory(key="PAY", name="Payments")
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test", full_name="Priya N")
    on_project(project, ProjectRole.MEMBER, email="sam@northwind.test", full_name="Sam Okafor")
    task = task_services.task_create(project=project, actor=tpm, name="Card vendor sandbox")

    # when the TPM comments on the task and mentions Sam
    page.goto(f"/projects/{project.pk}/tasks/{task.pk}/")
    _sign_in(page, "tpm@northwind.test")
    page.get_by_label("Add a comment").fill("@sam can you **check** the sandbox keys?")
    page.get_by_role("button", name="Post comment").click()

    # then the comment shows, rendered from markdown
    expect(page.locator(".comment-body strong").first).to_have_text("check")

    # and Sam has an email
    expect(page.locator(".comment-body").first).to_contain_text("sandbox keys")
    assert [m.to for m in mailoutbox] == [["sam@northwind.test"]]
    assert "Priya N mentioned you" in mailoutbox[0].subject

    # and, signed in, sees the bell's count and the notification
    page.get_by_role("button", name="Sign out").click()
    page.goto("/projects/my-work/")
    _sign_in(page, "sam@northwind.test")
    expect(page.locator("#unread-count")).to_contain_text("1")
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator(".notification.unread")).to_contain_text("Priya N mentioned you")
    page.get_by_role("button", name=re.compile("Priya N mentioned you")).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Card vendor sandbox")
