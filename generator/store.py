"""The SQLite store: articles keyed by canonical URL, and their versioned analyses.

The schema is created and upgraded on open (PRAGMA user_version counts the migrations applied),
so a store written by an older Marsad keeps working after an upgrade.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .model import Analysis, Article

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
)

ARTICLE_FIELDS = ("id", "url", "source", "section", "title", "published", "fetched", "author",
                  "text", "content_hash")
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

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Insert new articles, update those whose text changed; one transaction."""
        result = AddResult()
        with self.db:
            for article in articles:
                row = self.db.execute(
                    "SELECT content_hash FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if row is None:
                    result.new += 1
                elif row[0] != article.content_hash:
                    result.updated += 1
                else:
                    result.unchanged += 1
                    continue
                self.db.execute(
                    f"INSERT OR REPLACE INTO articles ({ARTICLE_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _article_row(article),
                )
        return result

    def article_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

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
            "WHERE n.article_id IS NULL OR n.version != ? OR n.content_hash != a.content_hash "
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
            a.fetched.isoformat(), a.author, a.text, a.content_hash)


def _article(row: tuple) -> Article:
    (id_, url, source, section, title, published, fetched, author, text, content_hash) = row
    return Article(id_, source, section, url, title, datetime.fromisoformat(published),
                   datetime.fromisoformat(fetched), author, text, content_hash)
