"""Reactions to the projects app's MS Project import (projects cannot import resources).

`projects.signals.mspdi_imported` is sent inside the import's transaction; the resources step
stores the file's pool, rates and assignments (resources/mspdi/costs.py) and answers a
sentence for the import report.
"""

from typing import Any

from django.dispatch import receiver

from projects.signals import mspdi_imported
from resources.mspdi.costs import costs_import


@receiver(mspdi_imported)
def _import_resources_and_costs(
    sender: Any, project: Any, actor: Any, data: bytes, task_ids: dict[int, int], **kwargs: Any
) -> str:
    return costs_import(project=project, actor=actor, data=data, task_ids=task_ids).sentence()
