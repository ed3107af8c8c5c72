"""The SQLite store: articles keyed by canonical URL, and their versioned analyses.

The schema is created and upgraded on open (PRAGMA user_version counts the migrations applied),
so a store written by an older Marsad keeps working after an upgrade.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime
from pathlib import Path

from .model import Analysis, Article, SourceState

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
    CREATE TABLE deliveries (
        recipient TEXT NOT NULL,
        period TEXT NOT NULL,
        start_day TEXT NOT NULL,
        message_id TEXT NOT NULL,
        accepted_at TEXT NOT NULL,
        PRIMARY KEY (recipient, period, start_day)
    );
    """,
)

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

    # --- email deliveries --------------------------------------------------------------

    def delivered(self, recipient: str, period: str, start_day: date) -> bool:
        """Whether a server already accepted this recipient's message for this period."""
        row = self.db.execute(
            "SELECT 1 FROM deliveries WHERE recipient = ? AND period = ? AND start_day = ?",
            (recipient, period, start_day.isoformat())).fetchone()
        return row is not None

    def record_delivery(self, recipient: str, period: str, start_day: date, message_id: str,
                        accepted_at: datetime) -> None:
        """Committed at once: a crash right after loses no record of what was accepted."""
        with self.db:
            self.db.execute(
                "INSERT INTO deliveries (recipient, period, start_day, message_id, accepted_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (recipient, period, start_day.isoformat(), message_id, accepted_at.isoformat()))

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
                count += 1
        return count

    def analyzed_articles(self) -> Iterator[tuple[Article, Analysis]]:
        rows = self.db.execute(
            f"SELECT {JOINED_COLUMNS}, n.data FROM articles a JOIN analyses n ON n.article_id = a.id "
            "ORDER BY a.published, a.id"
        )
        for row in rows:
            yield _article(row[:-1]), Analysis.from_dict(json.loads(row[-1]))


def _migrate(db: sqlite3.Connection) -> None:
    applied = db.execute("PRAGMA user_version").fetchone()[0]
    if applied > len(MIGRATIONS):
        raise sqlite3.DatabaseError(
            f"schema version {applied} is newer than this Marsad knows ({len(MIGRATIONS)})"
        )
    for number, script in enumerate(MIGRATIONS[applied:], start=applied + 1):
        with db:
            db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")


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
