"""Search documents carry their audience (principal tokens), not only a public flag.

Until now a non-public document was readable by every signed-in user, which the registry's
rule meant as network staff; existing documents get that meaning explicitly.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    doc = apps.get_model("search", "SearchDocument")
    doc.objects.filter(is_public=True).update(audience=" public ")
    doc.objects.filter(is_public=False).update(audience=" staff ")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_drop_counter")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="audience",
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
