"""API routes of My work, comments, attachments and calendar feed tokens."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .views import AttachmentViewSet, CommentViewSet, FeedTokenViewSet, MyWorkView

router = ApiRouter()
router.register("comments", CommentViewSet, basename="comment")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("feed-tokens", FeedTokenViewSet, basename="feed-token")

urlpatterns = [
    path("my-work/", MyWorkView.as_view(), name="my-work"),
    *router.urls,
]
