"""Status and target dates saved before project dates were bounded (issue 22) that lie outside
1900-2200 are cleared: an unbounded date broke the dashboard, EVM and the organisation's
portfolio. A cleared status date means "as of today"; a cleared target date, "none set"."""

from datetime import date

from django.db import migrations
from django.db.models import Q

# Copied, not imported: a migration keeps the bounds it was written with.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def clear_out_of_range(apps, schema_editor):
    projects = apps.get_model("projects", "Project")._base_manager
    for name in ("status_date", "target_date"):
        outside = Q(**{f"{name}__lt": EARLIEST}) | Q(**{f"{name}__gt": LATEST})
        projects.filter(outside).update(**{name: None})


class Migration(migrations.Migration):
    dependencies = [("projects", "0010_summary_duration_is_the_span_of_its_tasks")]

    operations = [migrations.RunPython(clear_out_of_range, migrations.RunPython.noop)]
