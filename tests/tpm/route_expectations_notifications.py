"""Permission-matrix entries for the notification pages (see tests/permission_matrix.py).

Everyone signed in has their own list; a notification is its recipient's alone (others 404).
"""

from tests.permission_matrix import Case, expect
from tpm.models import Notification
from tpm.notifications import notify


def manager_notification(world) -> Notification:
    made = notify(
        recipient=world.manager,
        organisation=world.organisation,
        kind="mentioned",
        title="You were mentioned",
        url="/projects/",
        dedupe_key=f"matrix:{world.manager.pk}",
    )
    return made or Notification.objects.get(dedupe_key=f"matrix:{world.manager.pk}")


ROUTES: list[Case] = [
    Case("notification-list", "get", expect(200, anonymous=302)),
    Case("notification-bell", "get", expect(200, anonymous=302)),
    Case("notification-preferences", "get", expect(200, anonymous=302)),
    Case(
        "notification-read",
        "post",
        expect(404, anonymous=302, manager=302),
        kwargs=lambda world: {"notification_id": manager_notification(world).pk},
    ),
    Case("notification-read-all", "post", expect(302)),
]
