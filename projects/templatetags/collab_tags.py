"""`{% task_collaboration %}`: the task page's comments, files and activity section."""

from typing import Any

from django import template

from tpm.access import Access

register = template.Library()


@register.inclusion_tag("projects/partials/task_collab.html", takes_context=True)
def task_collaboration(context: template.Context) -> dict[str, Any]:
    from projects.work.views.collab import collab_context

    # The task page's context comes from project_page: the task and the caller's role in it.
    request = context["request"]
    data = collab_context(Access(context["task"], context["my_role"]), request.user)
    data["request"] = request
    data["csrf_token"] = context.get("csrf_token")
    return data
