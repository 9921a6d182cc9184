"""The demo's agile and hybrid projects come with a board and sprints that have history."""

from django.core.management import call_command

from projects.models import Project, Sprint, SprintSnapshot, Task


def test_seed_demo_gives_agile_projects_sprints_with_history(db):
    call_command("seed_demo", verbosity=0)
    mobile = Project.objects.get(key="MOB")
    closed = Sprint.objects.filter(project=mobile, state="closed")
    assert closed.exists()
    assert all(sprint.committed_points for sprint in closed)
    assert any(sprint.completed_points for sprint in closed)  # velocity shows something
    assert SprintSnapshot.objects.filter(sprint__in=closed).count() >= 14
    assert Sprint.objects.filter(project=mobile, state="active").count() == 1
    leaves = Task.objects.filter(project=mobile, is_summary=False, is_milestone=False)
    # (risk responses seeded later become tasks without points, as a new task would)
    assert leaves.filter(story_points__isnull=False).count() >= 0.8 * leaves.count()
    assert leaves.filter(labels__isnull=False).exists()
    # the waterfall project has a board but no sprints
    waterfall = Project.objects.filter(methodology="waterfall").first()
    if waterfall is not None:
        assert not Sprint.objects.filter(project=waterfall).exists()
