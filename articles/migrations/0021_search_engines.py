"""
What each database needs beyond the tables of 0012 to search them: on
PostgreSQL the GIN indexes and pg_trgm (for "did you mean"), on SQLite an
FTS5 table that triggers keep equal to articles_searchdocument. Each part
runs only on its own database, so the model state is the same on both.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

POSTGRESQL = [
    # Readers' searches scan the matches of a word in this table: rows of a
    # few dozen bytes (the texts and vectors moved out of line) keep that to
    # a few pages for thousands of matches.
    "ALTER TABLE articles_searchdocument SET (toast_tuple_target = 128)",
    "ALTER TABLE articles_searchdocument ALTER COLUMN vector SET STORAGE EXTERNAL,"
    " ALTER COLUMN prominent_vector SET STORAGE EXTERNAL",
    # The planner does not count reading a vector out of line: with the
    # statistics of a word found everywhere it would test every row's vector
    # (0.7 s at 100,000 articles) rather than read the GIN index (15 ms).
    # Without them it assumes a selective word and always uses the index.
    "ALTER TABLE articles_searchdocument ALTER COLUMN vector SET STATISTICS 0,"
    " ALTER COLUMN prominent_vector SET STATISTICS 0",
    "CREATE INDEX search_document_vector ON articles_searchdocument USING gin (vector)",
    "CREATE INDEX search_document_prominent ON articles_searchdocument"
    " USING gin (prominent_vector)",
    "CREATE INDEX search_term_word_trigrams ON articles_searchterm"
    " USING gin (word gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_term_word_trigrams",
    "DROP INDEX IF EXISTS search_document_prominent",
    "DROP INDEX IF EXISTS search_document_vector",
]

_COLUMNS = "title, summary, keywords, questions, body"
_NEW = "new.id, new.title, new.summary, new.keywords, new.questions, new.body"
_OLD = "old.id, old.title, old.summary, old.keywords, old.questions, old.body"
SQLITE = [
    # External content: the texts stay in articles_searchdocument, and
    # snippet() reads them from there by rowid (the column names must match).
    "CREATE VIRTUAL TABLE articles_searchdocument_fts USING fts5("
    f"{_COLUMNS}, content='articles_searchdocument', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_searchdocument_fts_insert AFTER INSERT ON"
    " articles_searchdocument BEGIN INSERT INTO articles_searchdocument_fts"
    f"(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
    "CREATE TRIGGER articles_searchdocument_fts_delete AFTER DELETE ON"
    " articles_searchdocument BEGIN INSERT INTO articles_searchdocument_fts"
    f"(articles_searchdocument_fts, rowid, {_COLUMNS}) VALUES ('delete', {_OLD}); END",
    "CREATE TRIGGER articles_searchdocument_fts_update AFTER UPDATE ON"
    " articles_searchdocument BEGIN INSERT INTO articles_searchdocument_fts"
    f"(articles_searchdocument_fts, rowid, {_COLUMNS}) VALUES ('delete', {_OLD});"
    f" INSERT INTO articles_searchdocument_fts(rowid, {_COLUMNS}) VALUES ({_NEW}); END",
    # Rows written before this migration (none on a fresh database).
    "INSERT INTO articles_searchdocument_fts(articles_searchdocument_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS articles_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS articles_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS articles_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS articles_searchdocument_fts",
]


def _run_for_vendor(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class PostgreSQLTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL; Django's operation asks pg_extension even on SQLite going back."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0020_search_index"),
    ]

    operations = [
        # Does nothing on other databases.
        PostgreSQLTrigramExtension(),
        migrations.RunPython(
            _run_for_vendor({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run_for_vendor(
                {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}
            ),
        ),
    ]
