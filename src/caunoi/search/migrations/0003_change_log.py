"""The lexical index moves out of the database into a derived tantivy index.

Adds the change log it follows, drops the first design's tables (SQLite FTS5 ``search_fts``,
PostgreSQL ``search_lexeme``) and the document frequencies kept in ``SearchTerm`` (the index
has its own). The index is rebuilt from ``SearchDocument`` at the first search.
"""

from django.db import migrations, models


def _vendor_sql(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


DROP = {
    "sqlite": ["DROP TABLE IF EXISTS search_fts"],
    "postgresql": ["DROP TABLE IF EXISTS search_lexeme"],
}
RESTORE = {
    "sqlite": [
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "terms, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
    ],
    "postgresql": [
        "CREATE TABLE search_lexeme (document_id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
        "CREATE INDEX search_lexeme_tsv_idx ON search_lexeme USING gin (tsv)",
    ],
}


def forget_frequencies(apps, schema_editor):
    apps.get_model("search", "SearchTerm").objects.exclude(term="_generation").delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_lexical_index")]

    operations = [
        migrations.CreateModel(
            name="SearchChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("document_id", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(_vendor_sql(DROP), _vendor_sql(RESTORE)),
        migrations.RunPython(forget_frequencies, migrations.RunPython.noop),
    ]
