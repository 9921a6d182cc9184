"""Permission-matrix entries for MS Project interchange in the API."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permission_matrix import Case, expect, project_read
from tests.projects import mspdi_samples


def _upload(world):
    return {
        "file": SimpleUploadedFile("plan.xml", mspdi_samples.document(), "application/xml"),
        "organisation": world.organisation.pk,
        "key": "IMP",
    }


# Any member of the organisation may create (so import) a project; the outsider's request names
# an organisation they cannot see: 404 on the field.
ROUTES = [
    Case(
        "api:project-import-mspdi",
        "post",
        expect(201, anonymous=401, outsider=404),
        data=_upload,
    ),
    Case(
        "api:project-mspdi",
        "get",
        project_read(anonymous=401),
        kwargs=lambda world: {"pk": world.project.pk},
    ),
]
