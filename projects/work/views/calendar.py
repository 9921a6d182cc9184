"""Month calendars (a project's tab and My work's) and the iCal feeds behind secret URLs.

A feed URL carries a token whose digest is stored (tpm.models_collab.FeedToken); a wrong or
revoked token, or one whose owner lost their role in the project, is a 404.
"""

from datetime import UTC, date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import access_project, projects_for
from projects.models import Task
from projects.views._common import project_page
from projects.work import selectors as work
from tpm import ical
from tpm.feeds import feed_token_create, feed_token_lookup, feed_token_revoke
from tpm.http import AuthedHttpRequest
from tpm.models_collab import FeedToken
from tpm.roles import ProjectAction

FEED_HORIZON_DAYS = 400  # a feed covers about a year back and ahead


def _month(request: HttpRequest) -> tuple[int, int]:
    """?month=YYYY-MM, this month when absent; a malformed value is a 400-free fallback."""
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def _neighbours(year: int, month: int) -> tuple[str, str]:
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{prev_year:04d}-{prev_month:02d}", f"{next_year:04d}-{next_month:02d}"


def _calendar_context(tasks: QuerySet[Task], year: int, month: int) -> dict:
    first, last = work.month_bounds(year, month)
    rows = list(work.tasks_in_range(tasks, first, last))
    previous, following = _neighbours(year, month)
    return {
        "weeks": work.month_grid(rows, year, month),
        "month_start": first,
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def project_month(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    year, month = _month(request)
    tasks = Task.objects.alive().filter(project=access.obj, is_summary=False)
    context = project_page(access, "calendar", **_calendar_context(tasks, year, month))
    return render(request, "projects/month_calendar.html", context)


@login_required
@require_GET
def my_work_calendar(request: AuthedHttpRequest) -> HttpResponse:
    year, month = _month(request)
    context = _calendar_context(work.my_tasks(request.user), year, month)
    context["nav"] = "my-work"
    return render(request, "projects/month_calendar.html", context)


# Feeds ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feed_tokens(request: AuthedHttpRequest) -> HttpResponse:
    """The user's feeds: add one (the URL is shown once) or see the existing ones."""
    projects = list(projects_for(request.user).order_by("name"))
    new_url = ""
    status = 200
    if request.method == "POST":
        project_id = request.POST.get("project") or None
        try:
            project = None
            if project_id:
                project = access_project(request.user, int(project_id)).obj
            membership = request.membership
            if project is None and membership is None:
                raise AttributeError("no organisation")
            organisation = project.organisation if project else membership.organisation  # type: ignore[union-attr]
            _, raw = feed_token_create(
                user=request.user,
                organisation=organisation,
                name=request.POST.get("name", ""),
                project_id=project.pk if project else None,
            )
            new_url = settings.SITE_URL + reverse("ical-feed", args=[raw])
        except (ValueError, Http404):
            messages.error(request, "Choose one of your projects.")
            status = 422
        except AttributeError:
            messages.error(request, "Join an organisation first.")
            status = 422
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 422
    tokens = FeedToken.objects.filter(user=request.user, revoked_at__isnull=True)
    names = {project.pk: project.name for project in projects}
    rows = [(token, names.get(token.project_id) if token.project_id else None) for token in tokens]
    return render(
        request,
        "projects/feed_tokens.html",
        {"nav": "my-work", "rows": rows, "projects": projects, "new_url": new_url},
        status=status,
    )


@login_required
@require_POST
def feed_token_revoke_view(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    token = FeedToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404("No such feed.")
    feed_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Revoked {token.name}: its URL no longer works.")
    return redirect("feed-tokens")


def _events(tasks: QuerySet[Task]) -> list[ical.Event]:
    events = []
    for task in tasks:
        start = timezone.localdate(task.start) if task.start else None
        due = work.due_date(task)
        if start is None and due is None:
            continue
        first = start or due
        last = due or start
        assert first is not None and last is not None
        kind = "Milestone" if task.is_milestone else "Task"
        events.append(
            ical.Event(
                uid=f"task-{task.pk}@linchpin",
                summary=f"{'◆ ' if task.is_milestone else ''}[{task.project.key}] {task.name}",
                start=min(first, last),
                end=max(first, last),
                description=f"{task.get_status_display()}, {task.percent_complete}% complete",
                url=settings.SITE_URL + work.task_url(task),
                categories=(kind,),
            )
        )
    return events


@login_not_required
@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = feed_token_lookup(token)
    if found is None:
        raise Http404("No such feed.")
    today = timezone.localdate()
    first = today.replace(day=1).toordinal() - FEED_HORIZON_DAYS
    last = today.toordinal() + FEED_HORIZON_DAYS
    window = (date.fromordinal(first), date.fromordinal(last))
    if found.project_id:
        # The owner must still have a role in the project: losing it closes the feed.
        project = projects_for(found.user).filter(pk=found.project_id).first()
        if project is None:
            raise Http404("No such feed.")
        tasks = Task.objects.alive().filter(project=project, is_summary=False)
        name = f"{project.key} {project.name}"
    else:
        tasks = work.my_tasks(found.user)  # type: ignore[assignment]
        name = f"My work ({found.user.display_name})"
    rows = work.tasks_in_range(tasks, *window).order_by("pk")
    body = ical.calendar(name, _events(rows), stamp=timezone.now().astimezone(UTC))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
