from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"

    def ready(self) -> None:
        # The resources step of the MS Project import (projects.signals.mspdi_imported).
        from resources.mspdi import receivers  # noqa: F401
        from tpm import history

        # Their history records are money through and through (tpm/history.py).
        history.MONEY_MODELS.update(
            {
                "resources.costrate",
                "resources.budgetline",
                "resources.budgetlineplan",
                "resources.expense",
                "resources.budgetchange",
                "resources.projectfinance",
            }
        )
