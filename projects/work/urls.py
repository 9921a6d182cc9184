"""Routes of My work, task comments/files, activity, calendars and feeds (issue 4)."""

from django.urls import path

from projects.work.views import calendar as work_calendar
from projects.work.views import collab, my_work

urlpatterns = [
    path("my-work/", my_work.my_work_page, name="my-work"),
    path("my-work/calendar/", work_calendar.my_work_calendar, name="my-work-calendar"),
    path("my-work/<int:task_id>/progress/", my_work.my_work_progress, name="my-work-progress"),
    path("my-work/<int:task_id>/blocker/", my_work.my_work_blocker, name="my-work-blocker"),
    path("feeds/", work_calendar.feed_tokens, name="feed-tokens"),
    path(
        "feeds/<int:token_id>/revoke/",
        work_calendar.feed_token_revoke_view,
        name="feed-token-revoke",
    ),
    # Public: the secret token is the credential (tpm.urls.PUBLIC_ROUTES).
    path("feeds/<str:token>.ics", work_calendar.ical_feed, name="ical-feed"),
    path("<int:project_id>/activity/", collab.project_activity_page, name="project-activity"),
    path("<int:project_id>/calendar/", work_calendar.project_month, name="project-month"),
    path(
        "<int:project_id>/tasks/<int:task_id>/comments/",
        collab.task_comment_add,
        name="task-comment-add",
    ),
    path(
        "<int:project_id>/tasks/<int:task_id>/comments/<int:comment_id>/",
        collab.task_comment_edit,
        name="task-comment-edit",
    ),
    path(
        "<int:project_id>/tasks/<int:task_id>/attachments/",
        collab.task_attachment_add,
        name="task-attachment-add",
    ),
    path(
        "<int:project_id>/tasks/<int:task_id>/attachments/<int:attachment_id>/",
        collab.task_attachment_download,
        name="task-attachment-download",
    ),
    path(
        "<int:project_id>/tasks/<int:task_id>/attachments/<int:attachment_id>/delete/",
        collab.task_attachment_delete,
        name="task-attachment-delete",
    ),
]
