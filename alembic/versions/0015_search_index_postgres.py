"""search index in PostgreSQL (PostgreSQL only; SQLite keeps its own index file)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

On PostgreSQL the search index lives in the application's database, shared by every process:
``search_item`` (one row per searchable item, a ``tsvector`` column with a GIN index),
``search_vector`` (the embeddings, float16 bytes), ``search_word`` (the shared vocabulary for typo
correction), ``search_term`` (how many items hold each stem: idf), ``search_vector_cache``,
``search_meta`` and ``search_change`` (the change log every process reads to keep its in-memory
vector index in step). The text-search configuration ``espace_fr`` runs ``unaccent`` then Snowball
French without a stop list (the engine removes stop words itself, and keeps "non").

The tables are derived data (``espace reindex`` rebuilds them) and are not ORM models: the schema
comparison of tests/integration/core/test_migrations.py leaves ``search_*`` tables out.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'espace_french_stem') THEN
            CREATE TEXT SEARCH DICTIONARY espace_french_stem
                (TEMPLATE = snowball, LANGUAGE = french);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'espace_fr') THEN
            CREATE TEXT SEARCH CONFIGURATION espace_fr (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION espace_fr
                ALTER MAPPING FOR asciiword, word, hword, hword_part, hword_asciipart, asciihword,
                    numword, numhword, hword_numpart
                WITH unaccent, espace_french_stem;
        END IF;
    END $$""",
    """CREATE TABLE IF NOT EXISTS search_item (
        id BIGSERIAL PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        scope TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        url TEXT NOT NULL,
        day DATE,
        amount_cents BIGINT,
        category TEXT NOT NULL DEFAULT '',
        contract TEXT NOT NULL DEFAULT '',
        stems TEXT NOT NULL DEFAULT '',
        tsv TSVECTOR NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS search_item_tsv ON search_item USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS search_item_scope ON search_item (scope)",
    """CREATE TABLE IF NOT EXISTS search_vector (
        item_id BIGINT PRIMARY KEY REFERENCES search_item(id) ON DELETE CASCADE,
        vec BYTEA NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS search_word (word TEXT PRIMARY KEY, n INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_term (stem TEXT PRIMARY KEY, n INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_vector_cache (digest TEXT PRIMARY KEY, vec BYTEA NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS search_change (
        seq BIGSERIAL PRIMARY KEY, item_id BIGINT NOT NULL, scope TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS search_change_scope ON search_change (scope, seq)",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in (
        "search_change",
        "search_meta",
        "search_vector_cache",
        "search_term",
        "search_word",
        "search_vector",
        "search_item",
    ):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS espace_fr")
    op.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS espace_french_stem")
