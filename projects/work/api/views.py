"""/api/v1/ for the people doing the work: comments and attachments on tasks, My work and the
calendar-feed tokens. Thin: resolve the task through the scoped fetchers, call
projects.work."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, views
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import access_project, with_my_role
from projects.models import Task
from projects.work import access as work_access
from projects.work import selectors as work
from projects.work import services as work_services
from tpm import collab
from tpm.api.fields import id_field
from tpm.api.viewsets import RemoveMixin, ScopedViewSet, errors, requested_version
from tpm.feeds import feed_token_create, feed_token_revoke
from tpm.models_collab import Attachment, Comment, FeedToken
from tpm.roles import ProjectAction

TASK_FILTER = OpenApiParameter("task", int, description="Only this task's rows.")


def _visible_task_ids(user: Any) -> QuerySet:
    return (
        with_my_role(Task.objects.alive(), user, "project")
        .filter(project__deleted_at__isnull=True)
        .values("pk")
    )


def _scoped(model: Any, request: Request, user: Any) -> QuerySet:
    rows = model.objects.filter(
        target_type=ContentType.objects.get_for_model(Task),
        target_id__in=_visible_task_ids(user),
    )
    task = request.query_params.get("task")
    if task is not None:
        if not task.isdigit():
            raise serializers.ValidationError({"task": ["Give a task id."]})
        rows = rows.filter(target_id=int(task))
    return rows


class CommentSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="target_id", read_only=True)
    author_email = serializers.EmailField(source="author.email", read_only=True, default=None)
    mentions: serializers.RelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="email"
    )
    deleted = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = (
            "id",
            "task",
            "author",
            "author_email",
            "body",
            "body_html",
            "mentions",
            "created_at",
            "edited_at",
            "deleted",
            "version",
        )
        read_only_fields = fields

    def get_deleted(self, obj: Comment) -> bool:
        return obj.deleted_at is not None


class CommentCreateSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(required=False)


def _strict(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """Unknown fields are a 400 naming them (the API's rule for write bodies)."""
    if not isinstance(data, Mapping):  # `null`, a list or a number: no fields to name
        raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
    fields = serializer_class().fields
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@extend_schema(tags=["collaboration"])
@extend_schema_view(
    list=extend_schema(summary="Comments on the tasks you can see.", parameters=[TASK_FILTER]),
    retrieve=extend_schema(
        summary="One comment.", responses={200: CommentSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Comment on a task; @mentions of the project's people notify them.",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, **errors(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Rewrite your comment (If-Match or version).",
        request=CommentUpdateSerializer,
        responses={200: CommentSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    destroy=extend_schema(
        summary="Delete your comment (If-Match or ?version=).",
        responses={204: None, **errors(403, 404, 409, 428)},
    ),
)
class CommentViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = CommentSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Comment]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Comment.objects.none()
        return (
            _scoped(Comment, self.request, self.actor)
            .select_related("author")
            .prefetch_related("mentions")
            .order_by("created_at", "id")
        )

    def create(self, request: Request) -> Response:
        data = _strict(CommentCreateSerializer, request.data)
        task = work_access.access_task_collab(self.actor, data["task"]).obj
        comment = work_services.task_comment_create(task=task, author=self.actor, body=data["body"])
        return self.render(self.reload(comment.pk), status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        task = work_access.access_task_collab(self.actor, comment.target_id).obj
        data = _strict(CommentUpdateSerializer, request.data)
        version = requested_version(request, data)
        work_services.task_comment_update(
            task=task, comment=comment, actor=self.actor, version=version, body=data["body"]
        )
        return self.render(self.reload(comment.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        work_access.access_task_collab(self.actor, comment.target_id)
        data: dict[str, Any] = {}
        if request.query_params.get("version", "").isdigit():
            data["version"] = int(request.query_params["version"])
        collab.comment_delete(
            comment=comment, actor=self.actor, version=requested_version(request, data)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="target_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = (
            "id",
            "task",
            "filename",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
            "download_url",
        )
        read_only_fields = fields

    def get_download_url(self, obj: Attachment) -> str:
        project_id = self.context.get("project_ids", {}).get(obj.target_id)
        if project_id is None:
            project_id = (
                Task.objects.filter(pk=obj.target_id).values_list("project_id", flat=True).first()
            )
        return reverse("task-attachment-download", args=[project_id, obj.target_id, obj.pk])


class AttachmentCreateSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    file = serializers.FileField()


@extend_schema(tags=["collaboration"])
@extend_schema_view(
    list=extend_schema(summary="Files on the tasks you can see.", parameters=[TASK_FILTER]),
    retrieve=extend_schema(
        summary="One file's details.", responses={200: AttachmentSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Attach a file (multipart: task, file); size and type limits apply.",
        request={"multipart/form-data": AttachmentCreateSerializer},
        responses={201: AttachmentSerializer, **errors(400, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a file you attached (planners remove any).",
        responses={204: None, **errors(403, 404)},
    ),
)
class AttachmentViewSet(mixins.ListModelMixin, RemoveMixin, ScopedViewSet):
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Attachment]:
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return _scoped(Attachment, self.request, self.actor).order_by("created_at", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["project_ids"] = {}
        if self.action == "list":  # one query for every row's download link
            visible = Task.objects.filter(pk__in=_visible_task_ids(self.actor))
            context["project_ids"] = dict(visible.values_list("pk", "project_id"))
        return context

    def create(self, request: Request) -> Response:
        body = AttachmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = work_access.access_task_collab(self.actor, body.validated_data["task"]).obj
        made = work_services.task_attachment_create(
            task=task, actor=self.actor, upload=body.validated_data["file"]
        )
        return self.render(made, status.HTTP_201_CREATED)

    def fetch_for_removal(self, pk: int) -> Attachment:
        attachment = self.get_queryset().filter(pk=pk).first()
        if attachment is None:
            raise Http404("No such attachment.")
        task = work_access.access_task_collab(self.actor, attachment.target_id)
        if attachment.uploaded_by_id != self.actor.pk and not task.can(ProjectAction.PLAN):
            raise PermissionDenied("Only whoever attached a file, or a planner, removes it.")
        return attachment

    def apply_removal(self, instance: Attachment) -> None:
        collab.attachment_delete(attachment=instance, actor=self.actor)


class MyWorkItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="task.pk")
    project = serializers.IntegerField(source="task.project_id")
    project_key = serializers.CharField(source="task.project.key")
    wbs_code = serializers.CharField(source="task.wbs_code")
    name = serializers.CharField(source="task.name")
    status = serializers.CharField(source="task.status")
    percent_complete = serializers.IntegerField(source="task.percent_complete")
    start = serializers.DateTimeField(source="task.start")
    finish = serializers.DateTimeField(source="task.finish")
    deadline = serializers.DateField(source="task.deadline")
    due = serializers.DateField()
    version = serializers.IntegerField(source="task.version")
    blocked = serializers.SerializerMethodField()
    blocked_reason = serializers.SerializerMethodField()

    def get_blocked(self, item: work.WorkItem) -> bool:
        return item.blocker is not None

    def get_blocked_reason(self, item: work.WorkItem) -> str:
        return item.blocker.reason if item.blocker else ""


class MyWorkSerializer(serializers.Serializer):
    overdue = MyWorkItemSerializer(many=True)
    this_week = MyWorkItemSerializer(many=True)
    later = MyWorkItemSerializer(many=True)


@extend_schema(tags=["collaboration"])
class MyWorkView(views.APIView):
    """Open tasks assigned to you across your projects, grouped by when they are due. Report
    progress through `PATCH /api/v1/tasks/{id}/progress/`-style task endpoints."""

    @extend_schema(
        summary="My work, grouped overdue / this week / later.", responses={200: MyWorkSerializer}
    )
    def get(self, request: Request) -> Response:
        return Response(MyWorkSerializer(work.my_work(request.user)).data)  # type: ignore[arg-type]


class FeedTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedToken
        fields = ("id", "name", "project_id", "key_prefix", "created_at", "last_used_at")
        read_only_fields = fields


class FeedTokenCreatedSerializer(FeedTokenSerializer):
    url = serializers.CharField(read_only=True, help_text="The secret feed address, shown once.")

    class Meta:
        model = FeedToken
        fields = ("id", "name", "project_id", "key_prefix", "created_at", "last_used_at", "url")
        read_only_fields = fields


class FeedTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    project = id_field(required=False, allow_null=True)


@extend_schema(tags=["collaboration"])
@extend_schema_view(
    list=extend_schema(summary="Your active calendar feeds."),
    retrieve=extend_schema(
        summary="One of your feeds.", responses={200: FeedTokenSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="A new secret iCal URL (shown once, in `url`).",
        request=FeedTokenCreateSerializer,
        responses={201: FeedTokenCreatedSerializer, **errors(400, 404)},
    ),
    destroy=extend_schema(
        summary="Revoke a feed: its URL answers 404 from now on.",
        responses={204: None, **errors(404)},
    ),
)
class FeedTokenViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = FeedTokenSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[FeedToken]:
        if getattr(self, "swagger_fake_view", False):
            return FeedToken.objects.none()
        return FeedToken.objects.filter(user=self.actor, revoked_at__isnull=True)

    def create(self, request: Request) -> Response:
        data = _strict(FeedTokenCreateSerializer, request.data)
        project = access_project(self.actor, data["project"]).obj if data.get("project") else None
        membership = self.actor.memberships.select_related("organisation").first()
        if project is None and membership is None:
            raise serializers.ValidationError({"project": ["Join an organisation first."]})
        organisation = project.organisation if project else membership.organisation  # type: ignore[union-attr]
        token, raw = feed_token_create(
            user=self.actor,
            organisation=organisation,
            name=data.get("name", ""),
            project_id=project.pk if project else None,
        )
        body = dict(self.get_serializer(token).data)
        body["url"] = settings.SITE_URL + reverse("ical-feed", args=[raw])
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        feed_token_revoke(token=self.get_object(), actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)
