"""Every existing organisation without risk categories gets the defaults.

New organisations get them when they are created (risks.receivers); the pages used to create
them on first GET and now only read. The names are frozen here as they were at this migration.
"""

from django.db import migrations

DEFAULT_CATEGORIES = (
    "Technical",
    "Schedule",
    "Cost",
    "Resource",
    "Vendor",
    "Security",
    "Compliance",
    "Other",
)


def forwards(apps, schema_editor):
    Organisation = apps.get_model("tpm", "Organisation")
    RiskCategory = apps.get_model("risks", "RiskCategory")
    missing = Organisation.objects.exclude(
        pk__in=RiskCategory.objects.values("organisation_id")
    ).values_list("pk", flat=True)
    RiskCategory.objects.bulk_create(
        RiskCategory(organisation_id=organisation_id, name=name, position=index)
        for organisation_id in list(missing)
        for index, name in enumerate(DEFAULT_CATEGORIES)
    )


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
