"""Permission-matrix entries for /api/v1/baselines/ (see tests/permission_matrix.py).

Every project role reads WEB's baselines; planners (managers, org admins) save and delete them;
outsiders and bystanders get 404, as if the baseline or project did not exist.
"""

from projects.baselines import services as baseline_services
from projects.models import Baseline, Task
from projects.plan import services as task_services
from tests.permission_matrix import Case, expect, project_manage, project_read

SIGNED_IN = expect(200, anonymous=401)
PROJECT_READ = project_read(anonymous=401)


def _scheduled_plan(world) -> None:
    if not Task.objects.filter(project=world.project).exists():
        task_services.task_create(project=world.project, actor=world.manager, name="Design")


def _baseline(world):
    _scheduled_plan(world)
    baseline = Baseline.objects.filter(project=world.project, name="v1").first()
    baseline = baseline or baseline_services.baseline_save(
        project=world.project, actor=world.manager, name="v1"
    )
    return {"pk": baseline.pk}


def _create_data(world):
    _scheduled_plan(world)
    return {"project": world.project.pk, "name": "Approved plan", "note": "Signed off"}


ROUTES = [
    Case("api:baseline-list", "get", SIGNED_IN, json=True),
    Case(
        "api:baseline-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=_create_data,
        json=True,
    ),
    Case("api:baseline-detail", "get", PROJECT_READ, kwargs=_baseline, json=True),
    Case(
        "api:baseline-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_baseline,
        json=True,
    ),
    Case("api:baseline-tasks", "get", PROJECT_READ, kwargs=_baseline, json=True),
    Case("api:baseline-comparison", "get", PROJECT_READ, kwargs=_baseline, json=True),
]
