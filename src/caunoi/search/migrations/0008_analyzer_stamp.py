"""The analysis that made each search document's terms; those stored before it are analysed again
(``caunoi.search.reanalysis.reanalyze``, queued by ``migrate``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_embedding_engine"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="analyzer",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
    ]
