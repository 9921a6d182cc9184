"""Permission-matrix entries for the MS Project import and export pages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permission_matrix import Case, expect, project_read
from tests.projects import mspdi_samples


def _upload(world):
    return {
        "file": SimpleUploadedFile("plan.xml", mspdi_samples.document(), "application/xml"),
        "key": "IMP",
    }


# Every organisation member may create projects, so may import one (the outsider acts in their
# own organisation); a successful import redirects to the new plan.
ROUTES = [
    Case("project-import-mspdi", "get", expect(200, anonymous=302)),
    Case("project-import-mspdi", "post", expect(302), data=_upload),
    Case(
        "project-export-mspdi",
        "get",
        project_read(),
        kwargs=lambda world: {"project_id": world.project.pk},
    ),
]
