"""The database epoch (SearchEpoch): the derived indexes check it with the change-log position,
so an index built before a restore is never trusted after it."""

import secrets

from django.db import migrations, models


def new_epoch(apps, schema_editor):
    SearchEpoch = apps.get_model("search", "SearchEpoch")
    SearchEpoch.objects.using(schema_editor.connection.alias).update_or_create(
        id=1, defaults={"value": secrets.token_hex(16)}
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_audience")]

    operations = [
        migrations.CreateModel(
            name="SearchEpoch",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("value", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(new_epoch, migrations.RunPython.noop),
    ]
