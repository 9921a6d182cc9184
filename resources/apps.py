from decimal import Decimal

from django.apps import AppConfig


def _contingency_of(project_id: int) -> Decimal | None:
    from resources.models import ProjectFinance

    return (
        ProjectFinance.objects.filter(project_id=project_id)
        .values_list("contingency", flat=True)
        .first()
    )


class ResourcesConfig(AppConfig):
    name = "resources"

    def ready(self) -> None:
        # The resources step of the MS Project import (projects.signals.mspdi_imported).
        from resources.mspdi import receivers  # noqa: F401
        from tpm import money

        # The contingency reserve risks compare their EMV with (risks cannot import resources).
        money.register_contingency(_contingency_of)
        # Their history records are money through and through (tpm/money.py).
        money.MONEY_MODELS.update(
            {
                "resources.costrate",
                "resources.budgetline",
                "resources.budgetlineplan",
                "resources.expense",
                "resources.budgetchange",
                "resources.projectfinance",
            }
        )
