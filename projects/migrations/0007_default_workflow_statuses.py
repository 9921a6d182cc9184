"""Every existing project gets the default workflow; its tasks take the status matching theirs."""

from django.db import migrations

DEFAULTS = (
    ("To do", "to_do"),
    ("In progress", "in_progress"),
    ("In review", "in_progress"),
    ("Done", "done"),
)
CATEGORY_OF_TASK_STATUS = {
    "not_started": "to_do",
    "in_progress": "in_progress",
    "completed": "done",
}


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    WorkflowStatus = apps.get_model("projects", "WorkflowStatus")
    Task = apps.get_model("projects", "Task")
    for project in Project.objects.all().iterator():
        if WorkflowStatus.objects.filter(project=project).exists():
            continue
        first_of: dict[str, int] = {}
        for position, (name, category) in enumerate(DEFAULTS):
            status = WorkflowStatus.objects.create(
                project=project, name=name, category=category, position=position
            )
            first_of.setdefault(category, status.pk)
        for task_status, category in CATEGORY_OF_TASK_STATUS.items():
            Task.objects.filter(project=project, status=task_status).update(
                workflow_status_id=first_of[category]
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_workflow_board_sprints")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
