"""The lexical index tables, one per database backend.

SQLite: an FTS5 table (created only on SQLite). PostgreSQL: a table of tsvectors with a GIN
index (created only on PostgreSQL). Each operation does nothing on the other backend.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "terms, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_UP = [
    # No foreign key: rows are deleted with their document by caunoi.search.lexical, and a
    # constraint Django does not know about would stop `flush` (TRUNCATE) in tests.
    "CREATE TABLE search_lexeme (document_id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
    # The search query: tsv @@ tsquery finds candidate documents.
    "CREATE INDEX search_lexeme_tsv_idx ON search_lexeme USING gin (tsv)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS search_lexeme"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
