"""MS Project interchange over the API: import an MSPDI file as a new project, export one."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from projects import selectors
from projects.access import access_project
from projects.api.serializers import ProjectSerializer
from projects.models import Project
from projects.mspdi.importer import project_export_mspdi, project_import_mspdi
from tpm.access import organisations_for
from tpm.api.fields import ScopedPrimaryKeyRelatedField
from tpm.api.serializers import StrictInputMixin
from tpm.api.viewsets import errors, require_org_action
from tpm.models import Organisation, User
from tpm.money import sees_money
from tpm.roles import OrgAction


class MspdiImportSerializer(StrictInputMixin, serializers.Serializer):
    file = serializers.FileField(help_text="A Microsoft Project XML (MSPDI) file.")
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation,
        scope=organisations_for,
        noun="organisation",
        help_text="An organisation you belong to (and may create projects in).",
    )
    key = serializers.CharField(
        max_length=10, help_text="The new project's key: 2 to 10 capital letters or digits."
    )
    name = serializers.CharField(
        max_length=160, required=False, help_text="Default: the file's title."
    )


class MspdiImportReportSerializer(serializers.Serializer):
    tasks = serializers.IntegerField()
    links = serializers.IntegerField()
    calendars = serializers.IntegerField()
    exceptions = serializers.IntegerField()
    skipped = serializers.ListField(
        child=serializers.CharField(), help_text="What the file held that was not imported."
    )


class MspdiImportResultSerializer(serializers.Serializer):
    project = ProjectSerializer()
    report = MspdiImportReportSerializer()


@extend_schema(tags=["projects"])
class ProjectMspdiImportView(generics.GenericAPIView):
    """`/projects/import-mspdi/`: a new project from a Microsoft Project file."""

    serializer_class = MspdiImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    queryset = Project.objects.none()

    @extend_schema(
        summary="Import a Microsoft Project XML (MSPDI) file as a new project.",
        description="Tasks, outline, links (type and lag), calendars and exceptions, "
        "constraints, deadlines, progress and the status date. Resources, assignments and "
        "baselines are skipped and listed in `report.skipped`. A file that cannot be read is a "
        "400 on `file` naming the problem, and nothing is created.",
        request={"multipart/form-data": MspdiImportSerializer},
        responses={201: MspdiImportResultSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        actor: User = request.user  # type: ignore[assignment]
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_org_action(data["organisation"], OrgAction.CREATE_PROJECT)
        report = project_import_mspdi(
            organisation=data["organisation"],
            actor=actor,
            key=data["key"],
            name=data.get("name", ""),
            data=data["file"].read(settings.MSPDI_MAX_BYTES + 1),  # the reader refuses more
        )
        project = selectors.project_list(user=actor).get(pk=report.project.pk)
        body = {"project": project, "report": report.as_dict()}
        result = MspdiImportResultSerializer(body, context=self.get_serializer_context())
        return Response(result.data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["projects"])
class ProjectMspdiExportView(generics.GenericAPIView):
    """`/projects/{id}/mspdi/`: the project as a Microsoft Project file."""

    queryset = Project.objects.none()

    @extend_schema(
        summary="Download the project as Microsoft Project XML (MSPDI), with computed dates "
        "(costs only for roles that see money).",
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        access = access_project(request.user, pk)  # type: ignore[arg-type]
        document = project_export_mspdi(project=access.obj, with_money=sees_money(access))
        response = HttpResponse(document, "application/xml")
        response["Content-Disposition"] = f'attachment; filename="{access.obj.key}.xml"'
        return response
