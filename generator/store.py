"""The SQLite store: articles keyed by canonical URL, and their versioned analyses.

The schema is created and upgraded on open (PRAGMA user_version counts the migrations applied),
so a store written by an older Marsad keeps working after an upgrade.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from .model import Analysis, Article, EntityRecord, SourceState

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        section TEXT NOT NULL,
        title TEXT NOT NULL,
        published TEXT NOT NULL,
        fetched TEXT NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles (published);
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE articles ADD COLUMN guid TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN signature INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN duplicate_of TEXT NOT NULL DEFAULT '';
    CREATE INDEX articles_source_guid ON articles (source, guid);
    CREATE INDEX articles_source_hash ON articles (source, content_hash);
    CREATE INDEX articles_duplicate_of ON articles (duplicate_of);
    CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        moved_to TEXT NOT NULL,
        etag TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        last_success TEXT,
        last_error TEXT NOT NULL,
        last_error_kind TEXT NOT NULL,
        last_error_at TEXT,
        failures INTEGER NOT NULL,
        penalty REAL NOT NULL,
        next_attempt TEXT
    );
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        at TEXT NOT NULL,
        status INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        new_articles INTEGER NOT NULL,
        error_kind TEXT NOT NULL,
        error TEXT NOT NULL,
        seconds REAL NOT NULL
    );
    CREATE INDEX fetches_source_at ON fetches (source, at);
    """,
    """
    CREATE TABLE article_entities (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        published TEXT NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    );
    CREATE INDEX article_entities_entity ON article_entities (entity_id, published);
    """,
)
BACKFILLED_AT = 3  # the migration after which article_entities is filled from stored analyses

ARTICLE_FIELDS = ("id", "url", "source", "section", "title", "published", "fetched", "author",
                  "text", "content_hash", "guid", "signature", "duplicate_of")
SOURCE_FIELDS = tuple(f.name for f in fields(SourceState))
ARTICLE_COLUMNS = ", ".join(ARTICLE_FIELDS)
JOINED_COLUMNS = ", ".join(f"a.{name}" for name in ARTICLE_FIELDS)


class StoreError(RuntimeError):
    """The store file cannot be used; the message names the file."""


@dataclass
class AddResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


class Store:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    @classmethod
    def open(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(path)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; commits skip fsync
            _migrate(db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a usable Marsad store ({exc})") from None
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- articles ---------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article],
                     before_insert: Callable[[Article], None] | None = None) -> AddResult:
        """Insert new articles, update those whose text changed; one transaction.

        An entry is the same article as a stored one when its id (canonical URL) matches, or,
        within its source, its GUID or its text does: so a changed URL or GUID alone does not
        make a new article. `before_insert` sees each new article first (to mark duplicates)."""
        result = AddResult()
        with self.db:
            for article in articles:
                existing = self.existing(article)
                if existing is None:
                    result.new += 1
                    if before_insert:
                        before_insert(article)
                    self._insert(article)
                elif existing[1] != article.content_hash:
                    result.updated += 1
                    self.db.execute(
                        "UPDATE articles SET title = ?, text = ?, content_hash = ?, author = ?, "
                        "signature = ? WHERE id = ?",
                        (article.title, article.text, article.content_hash, article.author,
                         to_sqlite(article.signature), existing[0]))
                else:
                    result.unchanged += 1
        return result

    def existing(self, article: Article) -> tuple[str, str] | None:
        """(id, content_hash) of the stored article this entry is, if any."""
        row = self.db.execute("SELECT id, content_hash FROM articles WHERE id = ?",
                              (article.id,)).fetchone()
        if row is None and article.guid:
            row = self.db.execute(
                "SELECT id, content_hash FROM articles WHERE source = ? AND guid = ?",
                (article.source, article.guid)).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT id, content_hash FROM articles WHERE source = ? AND content_hash = ?",
                (article.source, article.content_hash)).fetchone()
        return row

    def _insert(self, article: Article) -> None:
        self.db.execute(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES ({', '.join('?' * len(ARTICLE_FIELDS))})",
            _article_row(article))

    def article_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def signatures(self, since: datetime) -> Iterator[tuple[str, int]]:
        """(id, SimHash) of original articles fetched since `since`, oldest first."""
        rows = self.db.execute("SELECT id, signature FROM articles WHERE duplicate_of = '' "
                               "AND signature != 0 AND fetched >= ? ORDER BY fetched, id",
                               (since.isoformat(),))
        for article_id, signature in rows:
            yield article_id, from_sqlite(signature)

    def outlets(self) -> dict[str, list[str]]:
        """For each original article, the other outlets that carried a copy of it."""
        carried: dict[str, list[str]] = {}
        rows = self.db.execute("SELECT d.duplicate_of, d.source FROM articles d JOIN articles o "
                               "ON o.id = d.duplicate_of WHERE d.source != o.source "
                               "ORDER BY d.duplicate_of, d.fetched, d.source")
        for original, source in rows:
            if source not in carried.setdefault(original, []):
                carried[original].append(source)
        return carried

    def outlets_of(self, article_ids: list[str]) -> dict[str, list[str]]:
        """`outlets()` for the given original articles only."""
        carried: dict[str, list[str]] = {}
        for chunk in (article_ids[i:i + 500] for i in range(0, len(article_ids), 500)):
            rows = self.db.execute(
                "SELECT d.duplicate_of, d.source FROM articles d JOIN articles o "
                "ON o.id = d.duplicate_of WHERE d.source != o.source AND d.duplicate_of IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY d.duplicate_of, d.fetched, d.source",
                chunk)
            for original, source in rows:
                if source not in carried.setdefault(original, []):
                    carried[original].append(source)
        return carried

    # --- sources ----------------------------------------------------------------------

    def source_state(self, name: str) -> SourceState:
        row = self.db.execute(f"SELECT {', '.join(SOURCE_FIELDS)} FROM sources WHERE name = ?",
                              (name,)).fetchone()
        return _source_state(row) if row else SourceState(name)

    def save_fetch(self, state: SourceState, at: datetime, status: int, size: int, new: int,
                   error_kind: str, error: str, seconds: float) -> None:
        """The source's new state and the record of the fetch that led to it, together."""
        values = [v.isoformat() if isinstance(v, datetime) else v for v in astuple(state)]
        with self.db:
            self.db.execute(
                f"INSERT OR REPLACE INTO sources ({', '.join(SOURCE_FIELDS)}) "
                f"VALUES ({', '.join('?' * len(SOURCE_FIELDS))})", values)
            self.db.execute(
                "INSERT INTO fetches (source, at, status, bytes, new_articles, error_kind, error, "
                "seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (state.name, at.isoformat(), status, size, new, error_kind, error, seconds))

    def articles_since(self, since: datetime) -> dict[str, int]:
        """Articles per source published since `since`."""
        rows = self.db.execute("SELECT source, count(*) FROM articles WHERE published >= ? "
                               "GROUP BY source", (since.isoformat(),))
        return dict(rows.fetchall())

    def newest_published(self) -> datetime | None:
        row = self.db.execute("SELECT max(published) FROM articles").fetchone()
        return datetime.fromisoformat(row[0]) if row[0] else None

    def articles(self) -> list[Article]:
        rows = self.db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY published, id")
        return [_article(row) for row in rows]

    # --- analyses ---------------------------------------------------------------------

    def articles_to_analyze(self, version: str) -> list[Article]:
        """Articles never analyzed, analyzed by another version, or whose text changed since."""
        rows = self.db.execute(
            f"SELECT {JOINED_COLUMNS} "
            "FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
            "WHERE a.duplicate_of = '' AND "
            "(n.article_id IS NULL OR n.version != ? OR n.content_hash != a.content_hash) "
            "ORDER BY a.published, a.id",
            (version,),
        )
        return [_article(row) for row in rows]

    def save_analyses(self, results: Iterable[tuple[Article, Analysis]], version: str) -> int:
        count = 0
        with self.db:
            for article, analysis in results:
                self.db.execute(
                    "INSERT OR REPLACE INTO analyses (article_id, version, content_hash, data) "
                    "VALUES (?, ?, ?, ?)",
                    (article.id, version, article.content_hash,
                     json.dumps(analysis.to_dict(), ensure_ascii=False)),
                )
                _link_entities(self.db, article.id, article.published, analysis)
                count += 1
        return count

    def analyzed_articles(self) -> Iterator[tuple[Article, Analysis]]:
        rows = self.db.execute(
            f"SELECT {JOINED_COLUMNS}, n.data FROM articles a JOIN analyses n ON n.article_id = a.id "
            "ORDER BY a.published, a.id"
        )
        for row in rows:
            yield _article(row[:-1]), Analysis.from_dict(json.loads(row[-1]))

    def analyzed_between(self, start: datetime, end: datetime) -> list[tuple[Article, Analysis]]:
        """Articles published in [start, end) with their analyses: what one period's pages read."""
        rows = self.db.execute(
            f"SELECT {JOINED_COLUMNS}, n.data FROM articles a JOIN analyses n ON n.article_id = a.id "
            "WHERE a.published >= ? AND a.published < ? ORDER BY a.published, a.id",
            (_utc_text(start), _utc_text(end)))
        return [(_article(row[:-1]), Analysis.from_dict(json.loads(row[-1]))) for row in rows]

    def analysis_stamps(self) -> Iterator[tuple[datetime, str]]:
        """(published, what identifies its analysis) for every analyzed article, oldest first:
        enough to tell which days changed since a render without reading any analysis."""
        rows = self.db.execute(
            "SELECT a.published, a.id, n.version, n.content_hash FROM articles a "
            "JOIN analyses n ON n.article_id = a.id ORDER BY a.published, a.id")
        for published, article_id, version, content_hash in rows:
            yield datetime.fromisoformat(published), f"{article_id}:{version}:{content_hash}"

    # --- entities -------------------------------------------------------------------

    def entities(self, min_mentions: int = 1) -> list[EntityRecord]:
        """Every entity mentioned at least `min_mentions` times in the archive, by id."""
        return self._entity_records("", (), min_mentions)

    def entity(self, entity_id: str) -> EntityRecord | None:
        records = self._entity_records("WHERE entity_id = ?", (entity_id,), 1)
        return records[0] if records else None

    def _entity_records(self, where: str, params: tuple, min_mentions: int) -> list[EntityRecord]:
        rows = self.db.execute(
            "SELECT entity_id, type, name, count(*), sum(mentions), min(published), max(published) "
            f"FROM article_entities {where} GROUP BY entity_id, type, name "
            "ORDER BY entity_id, type, name", params)
        records: dict[str, EntityRecord] = {}
        for entity_id, kind, name, articles, mentions, first, last in rows:
            first, last = datetime.fromisoformat(first), datetime.fromisoformat(last)
            record = records.get(entity_id)
            if record is None:
                records[entity_id] = EntityRecord(entity_id, name, kind, {name: articles},
                                                  first, last, mentions)
                continue
            record.aliases[name] = articles
            record.first_seen, record.last_seen = min(record.first_seen, first), max(record.last_seen, last)
            record.mentions += mentions
        for record in records.values():  # the spelling most articles use names the entity
            record.name = min(record.aliases, key=lambda alias: (-record.aliases[alias], alias))
        return [r for r in records.values() if r.mentions >= min_mentions]


def _migrate(db: sqlite3.Connection) -> None:
    applied = db.execute("PRAGMA user_version").fetchone()[0]
    if applied > len(MIGRATIONS):
        raise sqlite3.DatabaseError(
            f"schema version {applied} is newer than this Marsad knows ({len(MIGRATIONS)})"
        )
    for number, script in enumerate(MIGRATIONS[applied:], start=applied + 1):
        with db:
            db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        if number == BACKFILLED_AT:
            _backfill_entities(db)


def _backfill_entities(db: sqlite3.Connection) -> None:
    """Entity links for the analyses stored before the table existed."""
    rows = db.execute("SELECT a.id, a.published, n.data FROM articles a "
                      "JOIN analyses n ON n.article_id = a.id").fetchall()
    with db:
        for article_id, published, data in rows:
            _link_entities(db, article_id, datetime.fromisoformat(published),
                           Analysis.from_dict(json.loads(data)))


def _link_entities(db: sqlite3.Connection, article_id: str, published: datetime,
                   analysis: Analysis) -> None:
    """One row per entity an article mentions: the index entity pages and counts read."""
    db.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
    db.executemany(
        "INSERT OR IGNORE INTO article_entities (article_id, entity_id, name, type, mentions, "
        "published) VALUES (?, ?, ?, ?, ?, ?)",
        [(article_id, e.id, e.name, e.type, len(e.mentions), _utc_text(published))
         for e in analysis.entities if e.id])


def _utc_text(moment: datetime) -> str:
    """The stored form of a time (ISO, UTC), which sorts as the times do."""
    return moment.astimezone(timezone.utc).isoformat()


def _article_row(a: Article) -> tuple:
    return (a.id, a.url, a.source, a.section, a.title, a.published.isoformat(),
            a.fetched.isoformat(), a.author, a.text, a.content_hash, a.guid,
            to_sqlite(a.signature), a.duplicate_of)


def _article(row: tuple) -> Article:
    (id_, url, source, section, title, published, fetched, author, text, content_hash, guid,
     signature, duplicate_of) = row
    return Article(id_, source, section, url, title, datetime.fromisoformat(published),
                   datetime.fromisoformat(fetched), author, text, content_hash, guid,
                   from_sqlite(signature), duplicate_of)


def _source_state(row: tuple) -> SourceState:
    values = dict(zip(SOURCE_FIELDS, row))
    for key in ("last_success", "last_error_at", "next_attempt"):
        if values[key]:
            values[key] = datetime.fromisoformat(values[key])
    return SourceState(**values)


def to_sqlite(signature: int) -> int:
    """A 64-bit unsigned signature as a signed 64-bit integer, the widest SQLite stores."""
    return signature - (1 << 64) if signature >= 1 << 63 else signature


def from_sqlite(value: int) -> int:
    """The unsigned signature back from its signed SQLite form."""
    return value & ((1 << 64) - 1)
