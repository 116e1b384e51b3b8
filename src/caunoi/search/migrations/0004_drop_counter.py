"""SearchTerm held document frequencies (first design) and then only a change counter for the
vector cache; both indexes now follow SearchChange, so the table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0003_change_log")]

    operations = [migrations.DeleteModel(name="SearchTerm")]
