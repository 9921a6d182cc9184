from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"

    def ready(self) -> None:
        # Change requests (projects) ask which risks a change touches; projects never imports
        # risks, so the answer is registered here, once the apps are loaded.
        from projects.changes.selectors import register_affected_risks

        from .selectors import risks_for_tasks

        register_affected_risks(risks_for_tasks)

        from . import receivers  # noqa: F401  (default categories for a new organisation)
