"""API routes of the resource pool: people, roles, skills, time off, rates, allocations and
assignments."""

from tpm.api.routing import ApiRouter

from .views import (
    AllocationViewSet,
    AssignmentViewSet,
    CostRateViewSet,
    ResourceRoleViewSet,
    ResourceViewSet,
    SkillViewSet,
    TimeOffViewSet,
)

router = ApiRouter()
router.register("resources", ResourceViewSet, basename="resource")
router.register("resource-roles", ResourceRoleViewSet, basename="resource-role")
router.register("skills", SkillViewSet, basename="skill")
router.register("time-off", TimeOffViewSet, basename="time-off")
router.register("cost-rates", CostRateViewSet, basename="cost-rate")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("assignments", AssignmentViewSet, basename="assignment")

urlpatterns = [*router.urls]
