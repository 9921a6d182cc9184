"""Query filters for the project endpoints.

Ids are plain numbers filtered inside the already scoped queryset: an id from another
organisation gives an empty page, never a hint that it exists.
"""

import django_filters

from projects.models import Methodology, Project, ProjectMembership, ProjectStatus
from tpm.api.filters import IdFilter
from tpm.roles import ProjectRole


class ProjectFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    methodology = django_filters.ChoiceFilter(choices=Methodology.choices)

    class Meta:
        model = Project
        fields = ("organisation", "status", "methodology")


class ProjectMemberFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    role = django_filters.ChoiceFilter(choices=ProjectRole.choices)
    user = IdFilter(field_name="user_id")

    class Meta:
        model = ProjectMembership
        fields = ("project", "role", "user")
