"""Permission-matrix entries for the API of comments, attachments, notifications, My work and
feed tokens (see tests/permission_matrix.py). Anonymous callers get 401."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permission_matrix import Case, expect, project_read
from tests.projects.route_expectations_work import (
    assigned_task,
    manager_attachment,
    manager_comment,
    manager_feed,
)
from tests.tpm.route_expectations_notifications import manager_notification

SIGNED_IN = expect(200, anonymous=401)
COLLABORATE = expect(
    403, anonymous=401, outsider=404, bystander=404, member=201, manager=201, admin=201
)
MANAGER_ONLY = expect(404, anonymous=401, manager=200)


def _if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


ROUTES: list[Case] = [
    Case("api:my-work", "get", SIGNED_IN),
    Case("api:comment-list", "get", SIGNED_IN),
    Case(
        "api:comment-list",
        "post",
        COLLABORATE,
        data=lambda world: {"task": assigned_task(world).pk, "body": "Ready for review"},
        json=True,
    ),
    Case(
        "api:comment-detail",
        "get",
        project_read(anonymous=401),
        kwargs=lambda world: {"pk": manager_comment(world).pk},
    ),
    Case(
        "api:comment-detail",
        "patch",
        expect(403, anonymous=401, outsider=404, bystander=404, manager=200),
        kwargs=lambda world: {"pk": manager_comment(world).pk},
        data=lambda world: {"body": "Kick-off moved"},
        headers=lambda world: _if_match(1),
        json=True,
    ),
    Case(
        "api:comment-detail",
        "delete",
        expect(403, anonymous=401, outsider=404, bystander=404, manager=204),
        kwargs=lambda world: {"pk": manager_comment(world).pk},
        headers=lambda world: _if_match(1),
    ),
    Case("api:attachment-list", "get", SIGNED_IN),
    Case(
        "api:attachment-list",
        "post",
        COLLABORATE,
        data=lambda world: {
            "task": assigned_task(world).pk,
            "file": SimpleUploadedFile("a.txt", b"a", content_type="text/plain"),
        },
    ),
    Case(
        "api:attachment-detail",
        "get",
        project_read(anonymous=401),
        kwargs=lambda world: {"pk": manager_attachment(world).pk},
    ),
    Case(
        "api:attachment-detail",
        "delete",
        expect(403, anonymous=401, outsider=404, bystander=404, manager=204, admin=204),
        kwargs=lambda world: {"pk": manager_attachment(world).pk},
    ),
    Case("api:notification-list", "get", SIGNED_IN),
    Case(
        "api:notification-detail",
        "get",
        MANAGER_ONLY,
        kwargs=lambda world: {"pk": manager_notification(world).pk},
    ),
    Case(
        "api:notification-read",
        "post",
        MANAGER_ONLY,
        kwargs=lambda world: {"pk": manager_notification(world).pk},
    ),
    Case("api:notification-read-all", "post", SIGNED_IN),
    Case("api:notification-unread-count", "get", SIGNED_IN),
    Case("api:notification-preferences", "get", SIGNED_IN),
    Case(
        "api:notification-preferences",
        "patch",
        SIGNED_IN,
        data=lambda world: {"mentioned": "digest"},
        json=True,
    ),
    Case(
        "api:notification-preferences",
        "put",
        SIGNED_IN,
        data=lambda world: {"overdue": "off"},
        json=True,
    ),
    Case("api:feed-token-list", "get", SIGNED_IN),
    Case(
        "api:feed-token-list",
        "post",
        expect(201, anonymous=401),
        data=lambda world: {"name": "Mine"},
        json=True,
    ),
    Case(
        "api:feed-token-detail",
        "get",
        MANAGER_ONLY,
        kwargs=lambda world: {"pk": manager_feed(world)[0].pk},
    ),
    Case(
        "api:feed-token-detail",
        "delete",
        expect(404, anonymous=401, manager=204),
        kwargs=lambda world: {"pk": manager_feed(world)[0].pk},
    ),
]
