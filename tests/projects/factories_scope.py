"""factory-boy factories for scope, change requests and quality (issue 7)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from projects.models import (
    AcceptanceCriterion,
    ChangeRequest,
    ChangeRequestEvent,
    Charter,
    CharterVersion,
    Deliverable,
    GateCriterion,
    GateReview,
    GateTemplate,
    GateTemplateCriterion,
    Objective,
    ObjectiveMeasurement,
    QualityGate,
    QualityMeasure,
)
from tests.factories import OrganisationFactory, ProjectFactory, TaskFactory


class CharterFactory(factory.django.DjangoModelFactory[Charter]):
    class Meta:
        model = Charter

    project = factory.SubFactory(ProjectFactory)
    problem_statement = "Checkout is slow and loses customers."
    goals = "Halve checkout time."
    in_scope = "Web checkout"
    out_of_scope = "Mobile apps"


class CharterVersionFactory(factory.django.DjangoModelFactory[CharterVersion]):
    class Meta:
        model = CharterVersion

    charter = factory.SubFactory(CharterFactory)
    number = factory.Sequence(lambda n: n + 1)
    content = factory.LazyAttribute(lambda o: {"problem_statement": o.charter.problem_statement})


class ObjectiveFactory(factory.django.DjangoModelFactory[Objective]):
    class Meta:
        model = Objective

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    metric = "Checkout p95"
    unit = "ms"
    baseline_value = Decimal("1200")
    target_value = Decimal("600")
    direction = "lower"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))


class ObjectiveMeasurementFactory(factory.django.DjangoModelFactory[ObjectiveMeasurement]):
    class Meta:
        model = ObjectiveMeasurement

    objective = factory.SubFactory(ObjectiveFactory)
    value = Decimal("1000")
    measured_at = factory.LazyFunction(timezone.now)


class DeliverableFactory(factory.django.DjangoModelFactory[Deliverable]):
    class Meta:
        model = Deliverable

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Deliverable {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class AcceptanceCriterionFactory(factory.django.DjangoModelFactory[AcceptanceCriterion]):
    class Meta:
        model = AcceptanceCriterion

    deliverable = factory.SubFactory(DeliverableFactory)
    text = factory.Sequence(lambda n: f"Criterion {n}")
    position = factory.Sequence(lambda n: n)


class ChangeRequestFactory(factory.django.DjangoModelFactory[ChangeRequest]):
    class Meta:
        model = ChangeRequest

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Change {n}")
    description = "Add a fraud check before payment."
    reason = "Chargebacks doubled."


class ChangeRequestEventFactory(factory.django.DjangoModelFactory[ChangeRequestEvent]):
    class Meta:
        model = ChangeRequestEvent

    change_request = factory.SubFactory(ChangeRequestFactory)
    from_status = "draft"
    to_status = "submitted"


class GateTemplateFactory(factory.django.DjangoModelFactory[GateTemplate]):
    class Meta:
        model = GateTemplate

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Gate template {n}")
    required_reviewer_roles = factory.LazyFunction(lambda: ["manager"])


class GateTemplateCriterionFactory(factory.django.DjangoModelFactory[GateTemplateCriterion]):
    class Meta:
        model = GateTemplateCriterion

    template = factory.SubFactory(GateTemplateFactory)
    text = factory.Sequence(lambda n: f"Template criterion {n}")
    position = factory.Sequence(lambda n: n)


class QualityGateFactory(factory.django.DjangoModelFactory[QualityGate]):
    """A gate on a milestone of its project (pass `task=` or `deliverable=` to choose)."""

    class Meta:
        model = QualityGate

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Gate {n}")
    task = factory.SubFactory(
        TaskFactory,
        project=factory.SelfAttribute("..project"),
        is_milestone=True,
        duration_minutes=0,
    )
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class GateCriterionFactory(factory.django.DjangoModelFactory[GateCriterion]):
    class Meta:
        model = GateCriterion

    gate = factory.SubFactory(QualityGateFactory)
    text = factory.Sequence(lambda n: f"Gate criterion {n}")
    position = factory.Sequence(lambda n: n)


class GateReviewFactory(factory.django.DjangoModelFactory[GateReview]):
    class Meta:
        model = GateReview

    gate = factory.SubFactory(QualityGateFactory)
    required_role = "manager"


class QualityMeasureFactory(factory.django.DjangoModelFactory[QualityMeasure]):
    class Meta:
        model = QualityMeasure

    project = factory.SubFactory(ProjectFactory)
    date = factory.Sequence(lambda n: timezone.localdate() - timedelta(days=n))
    test_pass_rate = Decimal("97.50")
    coverage = Decimal("81.00")
