"""Numbered schema migrations, applied in order when a store is opened.

Each migration is portable SQL (run as it is on SQLite and PostgreSQL; `{serial}` is the
dialect's auto-numbered key). The version applied is kept in `marsad_schema`; a SQLite store
written before that table existed counted its migrations in `PRAGMA user_version`, which is
taken over. A migration is never edited once released: a change is a new one at the end.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

SERIAL = {"sqlite": "INTEGER PRIMARY KEY", "postgresql": "BIGSERIAL PRIMARY KEY"}

MIGRATIONS: tuple[str, ...] = (
    # 1: articles and their analyses
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY, url TEXT NOT NULL, source TEXT NOT NULL, section TEXT NOT NULL,
        title TEXT NOT NULL, published TEXT NOT NULL, fetched TEXT NOT NULL,
        author TEXT NOT NULL, text TEXT NOT NULL, content_hash TEXT NOT NULL);
    CREATE INDEX articles_published ON articles (published);
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        version TEXT NOT NULL, content_hash TEXT NOT NULL, data TEXT NOT NULL);
    """,
    # 2: identity within a source, syndicated copies, source health and the fetch log
    """
    ALTER TABLE articles ADD COLUMN guid TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN signature BIGINT NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN duplicate_of TEXT NOT NULL DEFAULT '';
    CREATE INDEX articles_source_guid ON articles (source, guid);
    CREATE INDEX articles_source_hash ON articles (source, content_hash);
    CREATE INDEX articles_duplicate_of ON articles (duplicate_of);
    CREATE TABLE sources (
        name TEXT PRIMARY KEY, url TEXT NOT NULL, moved_to TEXT NOT NULL, etag TEXT NOT NULL,
        last_modified TEXT NOT NULL, body_hash TEXT NOT NULL, last_success TEXT,
        last_error TEXT NOT NULL, last_error_kind TEXT NOT NULL, last_error_at TEXT,
        failures INTEGER NOT NULL, penalty DOUBLE PRECISION NOT NULL, next_attempt TEXT);
    CREATE TABLE fetches (
        id {serial}, source TEXT NOT NULL, at TEXT NOT NULL, status INTEGER NOT NULL,
        bytes INTEGER NOT NULL, new_articles INTEGER NOT NULL, error_kind TEXT NOT NULL,
        error TEXT NOT NULL, seconds DOUBLE PRECISION NOT NULL);
    CREATE INDEX fetches_source_at ON fetches (source, at);
    """,
    # 3: the entity registry, and analyses as queryable rows (mentions, quotes, links)
    """
    ALTER TABLE analyses ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX analyses_linked ON analyses (linked);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL,
        first_seen TEXT, last_seen TEXT, articles INTEGER NOT NULL,
        mentions INTEGER NOT NULL, watched INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX entities_type_mentions ON entities (type, mentions);
    CREATE TABLE aliases (
        entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        name TEXT NOT NULL, key TEXT NOT NULL, articles INTEGER NOT NULL,
        PRIMARY KEY (entity_id, name));
    CREATE INDEX aliases_key ON aliases (key);
    CREATE TABLE redirects (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL);
    CREATE TABLE article_entities (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL, alias TEXT NOT NULL, mentions INTEGER NOT NULL,
        published TEXT NOT NULL, PRIMARY KEY (article_id, entity_id));
    CREATE INDEX article_entities_entity ON article_entities (entity_id, published);
    CREATE INDEX article_entities_published ON article_entities (published);
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, entity_id TEXT NOT NULL,
        text TEXT NOT NULL, published TEXT NOT NULL, PRIMARY KEY (article_id, "start"));
    CREATE INDEX mentions_entity ON mentions (entity_id, published);
    CREATE TABLE quotes (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        number INTEGER NOT NULL, speaker_id TEXT NOT NULL, speaker TEXT NOT NULL,
        text TEXT NOT NULL, kind TEXT NOT NULL, verb TEXT NOT NULL, "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL, unnamed INTEGER NOT NULL, sentence INTEGER NOT NULL,
        confidence DOUBLE PRECISION NOT NULL, published TEXT NOT NULL,
        PRIMARY KEY (article_id, number));
    CREATE INDEX quotes_speaker ON quotes (speaker_id, published);
    CREATE INDEX quotes_published ON quotes (published);
    """,
    # 4: dates before 1990 or after the fetch, stored by earlier versions (year 1 broke every
    # render in a time zone west of UTC), become the fetch time, as new articles' do
    """
    UPDATE articles SET published = fetched WHERE published < '1990-01-01' OR published > fetched;
    """,
)

LATEST = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The store was written by a newer Marsad."""


def schema_version(conn: Connection) -> int:
    if inspect(conn).has_table("marsad_schema"):
        return int(conn.execute(text("SELECT version FROM marsad_schema")).scalar_one())
    if conn.dialect.name == "sqlite":
        return int(conn.execute(text("PRAGMA user_version")).scalar_one())
    return 0


def migrate(conn: Connection) -> int:
    """Apply the migrations this store lacks, each in its own transaction; the new version."""
    applied = schema_version(conn)
    conn.commit()
    if applied > LATEST:
        raise SchemaTooNew(f"schema version {applied} is newer than this Marsad knows ({LATEST})")
    for number, script in enumerate(MIGRATIONS[applied:], start=applied + 1):
        with conn.begin():
            for statement in script.format(serial=SERIAL[conn.dialect.name]).split(";"):
                if statement.strip():
                    conn.execute(text(statement))
            _record(conn, number)
    return LATEST


def _record(conn: Connection, number: int) -> None:
    if not inspect(conn).has_table("marsad_schema"):
        conn.execute(text("CREATE TABLE marsad_schema (version INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO marsad_schema (version) VALUES (0)"))
    conn.execute(text("UPDATE marsad_schema SET version = :n"), {"n": number})
