"""Demo comments with @mentions, a blocked task, a file, and the notifications they cause
(part of `seed_demo`)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Project, Task
from projects.selectors import project_assignable_people
from projects.work import services as work_services
from tpm.demo import DemoPeople

THREAD = (
    ("manager", "Kick-off notes are in the brief. @{engineer} can you confirm the estimate?"),
    ("engineer", "Estimate holds. **One risk**: the vendor API is still in beta. @{manager}"),
    ("manager", "Thanks, noted in the RAID log."),
)


def seed_collaboration(projects: list[Project], people: DemoPeople) -> int:
    """Comments on the first open tasks of each project; returns how many were posted."""
    posted = 0
    for project in projects:
        allowed = list(project_assignable_people(project=project))
        engineer = next((p for p in people.engineers if p in allowed), None)
        if engineer is None or people.manager not in allowed:
            continue
        tasks = list(
            Task.objects.alive()
            .filter(project=project, is_summary=False, is_milestone=False)
            .select_related("project__organisation")
            .order_by("outline_key")[:2]
        )
        handles = {
            "engineer": engineer.email.split("@")[0],
            "manager": people.manager.email.split("@")[0],
        }
        authors = {"engineer": engineer, "manager": people.manager}
        for task in tasks:
            for who, text in THREAD:
                work_services.task_comment_create(
                    task=task, author=authors[who], body=text.format(**handles)
                )
                posted += 1
        if tasks:
            brief = SimpleUploadedFile(
                "brief.txt", b"Scope, goals and contacts for this work.", "text/plain"
            )
            work_services.task_attachment_create(task=tasks[0], actor=people.manager, upload=brief)
            work_services.task_block(
                task=tasks[-1], actor=engineer, reason="Waiting for vendor sandbox credentials."
            )
    return posted
