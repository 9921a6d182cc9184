"""Permission-matrix entries for the baseline pages (see tests/permission_matrix.py).

Baselines are made inside the test: WEB gets one task and a baseline "v1" the first time a case
asks for it. Every project role reads them; planners (managers, org admins) save and delete.
"""

from projects.baselines import services as baseline_services
from projects.models import Baseline, Task
from projects.plan import services as task_services
from tests.permission_matrix import Case, project_manage, project_read


def _web(world):
    return {"project_id": world.project.pk}


def _baseline(world) -> Baseline:
    existing = Baseline.objects.filter(project=world.project, name="v1").first()
    if existing:
        return existing
    if not Task.objects.filter(project=world.project).exists():
        task_services.task_create(project=world.project, actor=world.manager, name="Design")
    return baseline_services.baseline_save(project=world.project, actor=world.manager, name="v1")


def _baseline_kwargs(world):
    return {"project_id": world.project.pk, "baseline_id": _baseline(world).pk}


def _save_data(world):
    _baseline(world)  # the plan has a task, so it can be baselined
    return {"name": "Approved plan", "note": ""}


ROUTES = [
    Case("project-baselines", "get", project_read(), kwargs=_web),
    Case("project-baselines", "post", project_manage(302), kwargs=_web, data=_save_data),
    Case("project-baseline-compare", "get", project_read(), kwargs=_baseline_kwargs),
    Case("project-baseline-delete", "get", project_manage(), kwargs=_baseline_kwargs),
    Case(
        "project-baseline-delete",
        "post",
        project_manage(302),
        kwargs=_baseline_kwargs,
        data=lambda world: {},
    ),
]
