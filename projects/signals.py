"""Events the projects app announces so higher apps can react without projects importing them.

`mspdi_imported`: sent by `mspdi_import.project_import_mspdi` inside its transaction, once the
plan, its assignees and baselines are stored. Arguments: `project`, `actor`, `data` (the file's
bytes) and `task_ids` (the file's task UID -> the new task's id). The resources app reads the
file's resources, rates, assignments and costs (resources/mspdi/receivers.py). A receiver may
return a sentence for the import report; an exception it raises rolls the whole import back.
"""

from django.dispatch import Signal

mspdi_imported = Signal()
