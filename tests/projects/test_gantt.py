"""The Gantt chart: its page, its JSON data, and moving or resizing a bar through the services.

Plans are built through projects.plan.services (dates are the engine's). The project starts on
Monday 4 January 2027 on the standard calendar (Mon-Fri, 8 working hours a day, UTC).
"""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from projects.baselines import services as baseline_services
from projects.models import ConstraintType, Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.conftest import client_for
from tests.factories import DependencyFactory, TaskFactory
from tests.projects.gantt_data import decode, rows_by_name
from tests.projects.helpers import assert_same_count, queries_for, text

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def plan(world):
    world.project.start_date = MONDAY
    world.project.save()
    return world


def add(world, name, days=1, **fields) -> Task:
    return task_services.task_create(
        project=world.project, actor=world.manager, name=name, duration_minutes=days * DAY, **fields
    )


def link(world, predecessor, successor, **fields):
    return task_services.dependency_create(
        predecessor=predecessor, successor=successor, actor=world.manager, **fields
    )


def _data_url(world):
    return reverse("project-gantt-data", args=[world.project.pk])


def _move_url(world, task):
    return reverse("project-gantt-move", args=[world.project.pk, task.pk])


def _rows(response) -> dict[str, dict]:
    """The chart's rows (compact arrays, tests/projects/gantt_data.py) by task name."""
    return rows_by_name(response.json()["rows"])


def _changed(response) -> dict[str, dict]:
    """A move's answer: the rows it changed, to merge into the chart the page has."""
    assert "rows" not in response.json()
    return rows_by_name(response.json()["changed"])


def _a_then_b(world) -> tuple[Task, Task]:
    """A (2 days, Mon-Tue) -> B (1 day, Wed), finish-to-start."""
    a, b = add(world, "A", 2), add(world, "B", 1)
    link(world, a, b)
    a.refresh_from_db()
    return a, b


def _post(client, url, **body):
    return client.post(url, data=body, content_type="application/json")


# --- the page ---------------------------------------------------------------------------------


def test_the_page_is_a_container_for_the_chart_with_a_way_to_the_outline(plan):
    # when a planner opens the Gantt page
    response = client_for(plan.manager).get(reverse("project-gantt", args=[plan.project.pk]))
    # then it holds the chart's container, its data address, zoom buttons and the outline link
    body = text(response)
    assert response.status_code == 200
    assert f'data-gantt-url="{_data_url(plan)}"' in body
    assert 'data-can-plan="true"' in body
    for zoom in ("Day", "Week", "Month", "Quarter"):
        assert f'data-gantt-zoom="{zoom}"' in body
    assert reverse("project-plan", args=[plan.project.pk]) in body
    assert "<noscript>" in body


def test_readers_are_told_the_chart_is_read_only(plan):
    response = client_for(plan.viewer).get(reverse("project-gantt", args=[plan.project.pk]))
    assert 'data-can-plan="false"' in text(response)
    assert "lets you read this chart, not change it" in text(response)


# --- the data ---------------------------------------------------------------------------------


def test_the_data_has_days_links_flags_and_versions(plan):
    # given a phase with A -> B, a milestone after B, and a side task with float
    phase = add(plan, "Phase")
    a = add(plan, "A", 2, parent=phase)
    b = add(plan, "B", 1, parent=phase)
    done = add(plan, "Done", is_milestone=True)
    side = add(plan, "Side", 1)
    link(plan, a, b)
    link(plan, b, done, lag_minutes=DAY)
    # when a manager asks for the chart's data
    response = client_for(plan.manager).get(_data_url(plan))
    # then each task comes with its days, links and flags
    assert response.status_code == 200
    payload = response.json()
    rows = _rows(response)
    assert payload["can_edit"] is True
    assert payload["today"]
    assert payload["columns"] == [
        "id",
        "parent",
        "wbs",
        "name",
        "start",
        "finish",
        "progress",
        "flags",
        "float",
        "version",
        "links",
        "baseline_start",
        "baseline_finish",
    ]
    a_row = rows["A"]
    assert (a_row["wbs"], a_row["start"], a_row["finish"]) == ("1.1", "2027-01-04", "2027-01-05")
    # days are day numbers (days since 1970-01-01), as the script counts them
    raw_a = next(row for row in payload["rows"] if row[0] == a.pk)
    assert raw_a[4:6] == [(MONDAY - date(1970, 1, 1)).days, (MONDAY - date(1970, 1, 1)).days + 1]
    # a link is [predecessor id, type], with the lag's label when it has one
    assert rows["B"]["links"] == [[a.pk, "FS"]]
    assert (rows["B"]["start"], rows["B"]["finish"]) == ("2027-01-06", "2027-01-06")
    # the milestone sits at the end of Thursday (B, then a day's lag), flagged, and critical
    assert rows["Done"]["milestone"] is True
    assert rows["Done"]["start"] == rows["Done"]["finish"] == "2027-01-07"
    assert rows["Done"]["links"] == [[b.pk, "FS", "1d"]]
    # float as the task page writes it (a null figure draws nothing)
    assert rows["Side"]["float"] == "3d" and rows["A"]["float"] == "0d"
    assert rows["A"]["critical"] and rows["B"]["critical"] and rows["Done"]["critical"]
    assert rows["Side"]["critical"] is False
    # summaries roll up (the chart does not drag them); planners may drag the rest
    assert rows["Phase"]["summary"] is True and rows["A"]["summary"] is False
    assert rows["A"]["version"] == Task.objects.get(pk=a.pk).version
    # the outline tree, for folding summaries: A sits under Phase, the phase at the top
    assert rows["A"]["parent"] == phase.pk and rows["Phase"]["parent"] is None
    # with no baseline saved there are no baseline bars: the rows stop before those columns
    assert all(len(row) == len(payload["columns"]) - 2 for row in payload["rows"])
    assert all(row["baseline_start"] is None for row in rows.values())
    assert side.pk in {row["id"] for row in rows.values()}


def test_readers_get_a_read_only_chart(plan):
    _a_then_b(plan)
    for reader in (plan.viewer, plan.stakeholder, plan.member):
        response = client_for(reader).get(_data_url(plan))
        assert response.status_code == 200
        assert response.json()["can_edit"] is False


def test_names_are_data_not_markup(plan):
    # the script escapes names before it writes them into the page
    add(plan, "<img src=x onerror=alert(1)>")
    response = client_for(plan.manager).get(_data_url(plan))
    assert decode(response.json()["rows"][0])["name"] == "<img src=x onerror=alert(1)>"


def _plan_of(world, size: int) -> None:
    """`size` tasks in phases of five, each linked to the one before; scheduled once."""
    previous = phase = None
    for index in range(size):
        number, sub = divmod(index, 5)
        code = str(number + 1) if sub == 0 else f"{number + 1}.{sub}"
        if sub == 0:
            phase = task = TaskFactory(project=world.project, name=f"Phase {index}")
            previous = None
        else:
            task = TaskFactory(project=world.project, parent=phase, name=f"Task {index}")
        Task.objects.filter(pk=task.pk).update(
            wbs_code=code, outline_key=schedule_services.outline_key(code), position=sub
        )
        if sub and previous is not None:
            DependencyFactory(predecessor=previous, successor=task)
        previous = task if sub else None
    schedule_services.renumber(world.project)
    schedule_services.project_reschedule(project=world.project)


def test_the_data_costs_the_same_queries_for_5_or_200_tasks(plan):
    client = client_for(plan.manager)
    _plan_of(plan, 5)
    few = queries_for(client, "get", _data_url(plan))
    Task.objects.all().delete()
    _plan_of(plan, 200)
    many = queries_for(client, "get", _data_url(plan))
    assert len(many.response.json()["rows"]) == 200
    assert len(many) <= 8, len(many)
    assert_same_count(few, many)


# --- moving and resizing a bar ----------------------------------------------------------------


def test_moving_a_bar_sets_snet_and_moves_the_successor(plan):
    # given A (Mon-Tue) -> B (Wed)
    a, b = _a_then_b(plan)
    # when the manager drops A on Thursday 7 January
    response = _post(
        client_for(plan.manager), _move_url(plan, a), start="2027-01-07", version=a.version
    )
    # then A starts no earlier than Thursday, keeps its two days, and B follows on Monday
    assert response.status_code == 200, response.content
    a.refresh_from_db()
    assert a.constraint_type == ConstraintType.SNET
    assert a.duration_minutes == 2 * DAY
    rows = _changed(response)
    assert (rows["A"]["start"], rows["A"]["finish"]) == ("2027-01-07", "2027-01-08")
    assert rows["B"]["start"] == "2027-01-11"
    assert response.json()["moved"] == [b.pk]
    assert "1 other task moved with it" in response.json()["message"]


def test_resizing_a_bar_changes_the_duration_in_working_days(plan):
    # given A (Mon-Tue) -> B (Wed)
    a, _ = _a_then_b(plan)
    # when its end is dragged from Tuesday to Monday 11 January (across a weekend)
    response = _post(
        client_for(plan.manager), _move_url(plan, a), finish="2027-01-11", version=a.version
    )
    # then A lasts six working days, keeps no constraint, and B moves to Tuesday 12
    assert response.status_code == 200, response.content
    a.refresh_from_db()
    assert a.duration_minutes == 6 * DAY
    assert a.constraint_type == ConstraintType.ASAP
    assert _changed(response)["B"]["start"] == "2027-01-12"


def test_dropping_before_the_predecessor_says_what_holds_it(plan):
    _, b = _a_then_b(plan)
    response = _post(
        client_for(plan.manager), _move_url(plan, b), start="2027-01-04", version=b.version
    )
    assert response.status_code == 200
    assert _changed(response)["B"]["start"] == "2027-01-06"
    assert "cannot start on 2027-01-04" in response.json()["message"]


def test_a_form_post_works_too(plan):
    a, _ = _a_then_b(plan)
    response = client_for(plan.manager).post(
        _move_url(plan, a), {"start": "2027-01-05", "version": a.version}
    )
    assert response.status_code == 200
    assert _changed(response)["A"]["start"] == "2027-01-05"


def test_a_stale_move_is_a_409_with_the_plan_as_it_is(plan):
    # given someone renamed A after the chart was loaded
    a, _ = _a_then_b(plan)
    stale = a.version
    task_services.task_update(
        task=a, actor=plan.manager, version=stale, changes=TaskChanges(name="A renamed")
    )
    # when the chart sends the old version
    response = _post(
        client_for(plan.manager), _move_url(plan, a), start="2027-01-07", version=stale
    )
    # then nothing moved, and the answer carries the current chart and says why
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert _rows(response)["A renamed"]["start"] == "2027-01-04"
    assert Task.objects.get(pk=a.pk).constraint_type == ConstraintType.ASAP


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"start": "07/01/2027"}, 400, "YYYY-MM-DD"),
        ({}, 400, "new start or finish"),
        ({"finish": "2027-01-01"}, 400, "working time"),
        ({"start": "2027-01-07", "version": None}, 428, "version"),
    ],
)
def test_bad_moves_are_refused_with_a_message(plan, body, status, message):
    a, _ = _a_then_b(plan)
    body = {"version": a.version, **body}
    response = _post(client_for(plan.manager), _move_url(plan, a), **body)
    assert response.status_code == status, response.content
    assert message in response.json()["detail"]


def test_a_summary_is_not_dragged(plan):
    phase = add(plan, "Phase")
    add(plan, "Child", parent=phase)
    phase.refresh_from_db()
    response = _post(
        client_for(plan.manager), _move_url(plan, phase), start="2027-01-11", version=phase.version
    )
    assert response.status_code == 400
    assert "summary" in response.json()["detail"]


def test_readers_cannot_move_bars(plan):
    a, _ = _a_then_b(plan)
    for reader in (plan.viewer, plan.stakeholder, plan.member):
        response = _post(client_for(reader), _move_url(plan, a), start="2027-01-07", version=1)
        assert response.status_code == 403
    assert Task.objects.get(pk=a.pk).constraint_type == ConstraintType.ASAP


def test_outsiders_and_other_projects_tasks_are_404s(plan):
    a, _ = _a_then_b(plan)
    other = TaskFactory(project=plan.other_project)
    body = {"start": "2027-01-07", "version": 1}
    assert _post(client_for(plan.outsider), _move_url(plan, a), **body).status_code == 404
    assert _post(client_for(plan.bystander), _move_url(plan, a), **body).status_code == 404
    # a task of another project addressed through this one
    assert _post(client_for(plan.manager), _move_url(plan, other), **body).status_code == 404
    assert client_for(plan.outsider).get(_data_url(plan)).status_code == 404


def test_a_move_costs_the_same_queries_for_5_or_50_tasks(plan):
    client = client_for(plan.manager)
    ContentType.objects.get_for_model(Task)  # history's cached lookup, paid once per process
    counts = []
    for size in (5, 50):
        Task.objects.all().delete()
        _plan_of(plan, size)
        task = Task.objects.filter(is_summary=False).order_by("outline_key").first()
        assert task is not None
        counts.append(
            queries_for(
                client,
                "post",
                _move_url(plan, task),
                data={"start": "2027-02-01", "version": task.version},
                content_type="application/json",
            )
        )
    assert_same_count(*counts)


def test_a_move_answers_with_the_rows_it_changed_and_no_others(plan):
    # given A (Mon-Tue) -> B (Wed), and C, ten days from Monday, which sets the project's finish
    a, b = _a_then_b(plan)
    c = add(plan, "C", 10)
    # when A is dropped on Thursday (within the float C leaves)
    response = _post(
        client_for(plan.manager), _move_url(plan, a), start="2027-01-07", version=a.version
    )
    # then the answer carries A (new dates and version) and B (moved), not C (unchanged)
    assert response.status_code == 200, response.content
    rows = _changed(response)
    assert set(rows) == {"A", "B"}
    assert rows["A"]["version"] == Task.objects.get(pk=a.pk).version
    assert rows["B"]["links"] == [[a.pk, "FS"]]
    assert response.json()["moved"] == [b.pk]
    assert Task.objects.get(pk=c.pk).is_critical


def test_a_move_that_changes_nothing_else_answers_with_its_own_row(plan):
    # given B, which its predecessor A holds on Wednesday
    _, b = _a_then_b(plan)
    # when B is dropped on Monday, before A ends
    response = _post(
        client_for(plan.manager), _move_url(plan, b), start="2027-01-04", version=b.version
    )
    # then only B comes back (with its new version), and nothing else moved
    assert set(_changed(response)) == {"B"}
    assert _changed(response)["B"]["version"] == b.version + 1
    assert response.json()["moved"] == []


def _independent_plan(world, size: int) -> Task:
    """A long task that sets the finish and `size` one-day tasks beside it; the first of those."""
    TaskFactory(project=world.project, name="Anchor", duration_minutes=20 * DAY, position=0)
    for index in range(size):
        TaskFactory(project=world.project, name=f"Small {index}", position=index + 1)
    schedule_services.renumber(world.project)
    schedule_services.project_reschedule(project=world.project)
    return Task.objects.get(project=world.project, name="Small 0")


def test_moving_one_task_answers_the_same_for_5_or_50_tasks(plan):
    # given plans of 5 and 50 one-day tasks beside a long one
    client = client_for(plan.manager)
    ContentType.objects.get_for_model(Task)  # history's cached lookup, paid once per process
    answers = []
    for size in (5, 50):
        Task.objects.all().delete()
        task = _independent_plan(plan, size)
        # when one of them moves a day, within its float
        answers.append(
            queries_for(
                client,
                "post",
                _move_url(plan, task),
                data={"start": "2027-01-05", "version": task.version},
                content_type="application/json",
            )
        )
    # then the answer is that one row, in as many queries and about as many bytes
    few, many = answers
    assert list(_changed(many.response)) == ["Small 0"]
    assert_same_count(few, many)
    assert abs(len(many.response.content) - len(few.response.content)) <= 16


def test_the_latest_baseline_is_drawn_beside_the_current_bars(plan):
    # given A -> B saved as a baseline, and then A taking two more days
    a, _b = _a_then_b(plan)
    baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="Approved")
    task_services.task_update(
        task=a, actor=plan.manager, version=a.version, changes=TaskChanges(duration_minutes=4 * DAY)
    )
    # when the chart loads
    rows = _rows(client_for(plan.viewer).get(_data_url(plan)))
    # then B's baseline bar stays on Wednesday while B itself moved to Friday
    assert (rows["B"]["baseline_start"], rows["B"]["baseline_finish"]) == (
        "2027-01-06",
        "2027-01-06",
    )
    assert rows["B"]["start"] == "2027-01-08"


def test_the_page_offers_each_baseline_newest_first(plan):
    # given two saved baselines
    _a_then_b(plan)
    baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="Approved")
    baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="Re-plan")
    # when the Gantt page opens
    body = text(client_for(plan.viewer).get(reverse("project-gantt", args=[plan.project.pk])))
    # then the baseline picker lists both, the latest chosen
    assert "data-gantt-baseline" in body
    assert body.index("Re-plan") < body.index("Approved")


def test_the_chosen_baseline_is_drawn(plan):
    # given A -> B saved as "Approved", then A two days longer, saved as "Re-plan"
    a, _b = _a_then_b(plan)
    approved = baseline_services.baseline_save(
        project=plan.project, actor=plan.manager, name="Approved"
    )
    task_services.task_update(
        task=a, actor=plan.manager, version=a.version, changes=TaskChanges(duration_minutes=4 * DAY)
    )
    baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="Re-plan")
    client = client_for(plan.viewer)
    # when the chart loads without a choice, B's baseline is the latest one's (Friday)
    assert _rows(client.get(_data_url(plan)))["B"]["baseline_start"] == "2027-01-08"
    # and with "Approved" chosen, B's baseline bar is back on Wednesday
    chosen = client.get(_data_url(plan), {"baseline": approved.pk})
    assert chosen.json()["baseline"] == approved.pk
    assert _rows(chosen)["B"]["baseline_start"] == "2027-01-06"


def test_choosing_a_baseline_costs_no_more_queries(plan):
    _a_then_b(plan)
    approved = baseline_services.baseline_save(
        project=plan.project, actor=plan.manager, name="Approved"
    )
    client = client_for(plan.manager)
    latest = queries_for(client, "get", _data_url(plan))
    chosen = queries_for(client, "get", f"{_data_url(plan)}?baseline={approved.pk}")
    assert_same_count(latest, chosen)


def test_another_projects_baseline_draws_nothing_and_a_bad_one_is_a_400(plan):
    _a_then_b(plan)
    task_services.task_create(
        project=plan.other_project, actor=plan.outsider, name="Theirs", duration_minutes=DAY
    )
    theirs = baseline_services.baseline_save(
        project=plan.other_project, actor=plan.outsider, name="Theirs"
    )
    client = client_for(plan.manager)
    rows = _rows(client.get(_data_url(plan), {"baseline": theirs.pk}))
    assert all(row["baseline_start"] is None for row in rows.values())
    response = client.get(_data_url(plan), {"baseline": "latest"})
    assert response.status_code == 400
    assert "baseline" in response.json()["detail"]


def test_a_move_answers_with_the_chosen_baseline(plan):
    a, _b = _a_then_b(plan)
    approved = baseline_services.baseline_save(
        project=plan.project, actor=plan.manager, name="Approved"
    )
    url = f"{_move_url(plan, a)}?baseline={approved.pk}"
    response = _post(client_for(plan.manager), url, start="2027-01-07", version=a.version)
    assert response.status_code == 200, response.content
    assert _changed(response)["B"]["baseline_start"] == "2027-01-06"
    assert _changed(response)["B"]["start"] == "2027-01-11"


def test_the_data_stays_small_per_task(plan):
    # given 300 tasks (phases of five, linked in a chain) saved in a baseline
    _plan_of(plan, 300)
    baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="Approved")
    # when the chart's data is read
    response = client_for(plan.manager).get(_data_url(plan))
    # then every task is a short array (no repeated keys, days as numbers, no spaces), so a
    # 5,000-task plan stays well under a megabyte
    rows = response.json()["rows"]
    assert len(rows) == 300 and all(len(row) == 13 for row in rows)
    assert b", " not in response.content and b": " not in response.content
    # 64 bytes a task besides its name here (the objects it replaced: 330); ids grow with the
    # database, hence the margin
    names = sum(len(row[3]) for row in rows)
    per_task = (len(response.content) - names) / 300
    assert per_task < 90, per_task


def test_the_page_preloads_the_data_the_script_asks_for_first(plan):
    # without a baseline the script asks for the data as it is; with one, for the latest's
    page_url = reverse("project-gantt", args=[plan.project.pk])
    preload = '<link rel="preload" href="{}" as="fetch" crossorigin="anonymous">'
    body = text(client_for(plan.viewer).get(page_url))
    assert preload.format(_data_url(plan)) in body
    _a_then_b(plan)
    latest = baseline_services.baseline_save(
        project=plan.project, actor=plan.manager, name="Approved"
    )
    body = text(client_for(plan.viewer).get(page_url))
    assert preload.format(f"{_data_url(plan)}?baseline={latest.pk}") in body
