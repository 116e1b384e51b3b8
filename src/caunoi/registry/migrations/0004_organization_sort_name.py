"""Organization.sort_name: the Vietnamese alphabetical order of name_vi as a plain string,
filled for the existing rows."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from vntext.collation import sort_string


def fill_sort_names(apps: Any, schema_editor: Any) -> None:
    Organization = apps.get_model("registry", "Organization")
    rows = list(Organization.objects.only("pk", "name_vi"))
    for row in rows:
        row.sort_name = sort_string(row.name_vi)
    Organization.objects.bulk_update(rows, ["sort_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registry", "0003_affiliations"),
        ("taxonomy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="organization",
            options={
                "ordering": ["sort_name", "id"],
                "verbose_name": "partner organisation",
                "verbose_name_plural": "partner organisations",
            },
        ),
        migrations.AddField(
            model_name="organization",
            name="sort_name",
            field=models.CharField(blank=True, editable=False, max_length=300),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["sort_name", "id"], name="org_sort_name_idx"),
        ),
    ]
