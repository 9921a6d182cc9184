from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    projects = selectors.project_list(
        user=request.user, organisation=membership.organisation if membership else None
    )
    return render(request, "projects/project_list.html", {"projects": projects})
