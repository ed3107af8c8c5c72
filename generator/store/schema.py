"""The store's tables, as SQLAlchemy Core objects: one schema for SQLite and PostgreSQL.

Times are ISO 8601 text in UTC (they sort as they read, and both databases compare them the
same way). Tables that a query reads by entity or by period carry the article's `published`
time themselves, so "all quotes by X in March" is one index range, with no join.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger, Column, Float, ForeignKey, Index, Integer, MetaData, Table, Text,
)

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", Text, primary_key=True),
    Column("url", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("published", Text, nullable=False),
    Column("fetched", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("guid", Text, nullable=False, server_default=""),
    Column("signature", BigInteger, nullable=False, server_default="0"),
    Column("duplicate_of", Text, nullable=False, server_default=""),
    Index("articles_published", "published"),
    Index("articles_source_guid", "source", "guid"),
    Index("articles_source_hash", "source", "content_hash"),
    Index("articles_duplicate_of", "duplicate_of"),
)

analyses = Table(
    "analyses", metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("data", Text, nullable=False),  # the analyzer's output as JSON (Analysis.to_dict)
    Column("linked", Integer, nullable=False, server_default="0"),  # 1 once the registry has it
    Index("analyses_linked", "linked"),
)

sources = Table(
    "sources", metadata,
    Column("name", Text, primary_key=True),
    Column("url", Text, nullable=False),
    Column("moved_to", Text, nullable=False),
    Column("etag", Text, nullable=False),
    Column("last_modified", Text, nullable=False),
    Column("body_hash", Text, nullable=False),
    Column("last_success", Text),
    Column("last_error", Text, nullable=False),
    Column("last_error_kind", Text, nullable=False),
    Column("last_error_at", Text),
    Column("failures", Integer, nullable=False),
    Column("penalty", Float, nullable=False),
    Column("next_attempt", Text),
)

fetches = Table(
    "fetches", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("new_articles", Integer, nullable=False),
    Column("error_kind", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("seconds", Float, nullable=False),
    Index("fetches_source_at", "source", "at"),
)

# --- the entity registry: one id per real entity for the life of the archive ----------------

entities = Table(
    "entities", metadata,
    Column("id", Text, primary_key=True),
    Column("type", Text, nullable=False),
    Column("name", Text, nullable=False),  # canonical: the fullest common form
    Column("first_seen", Text),  # NULL: a watched entity not seen yet
    Column("last_seen", Text),
    Column("articles", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("watched", Integer, nullable=False, server_default="0"),  # 1: named in a watchlist
    Index("entities_type_mentions", "type", "mentions"),
)

aliases = Table(
    "aliases", metadata,
    Column("entity_id", Text, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, primary_key=True),  # as the analyzer found it in an article
    Column("key", Text, nullable=False),  # the normalized form names are matched by
    Column("articles", Integer, nullable=False),
    Index("aliases_key", "key"),
)

redirects = Table(  # a merged entity's old id → the id it lives on as, so old links still work
    "redirects", metadata,
    Column("old_id", Text, primary_key=True),
    Column("new_id", Text, nullable=False),
)

article_entities = Table(
    "article_entities", metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", Text, primary_key=True),
    Column("alias", Text, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("published", Text, nullable=False),
    Index("article_entities_entity", "entity_id", "published"),
    Index("article_entities_published", "published"),
)

mentions = Table(
    "mentions", metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("published", Text, nullable=False),
    Index("mentions_entity", "entity_id", "published"),
)

quotes = Table(
    "quotes", metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("number", Integer, primary_key=True),  # the quote's place in its analysis
    Column("speaker_id", Text, nullable=False),  # "" for a role phrase or an unknown speaker
    Column("speaker", Text, nullable=False),  # as the analyzer named the speaker
    Column("text", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("verb", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("unnamed", Integer, nullable=False),  # 1: the speaker is a role phrase
    Column("sentence", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("published", Text, nullable=False),
    Index("quotes_speaker", "speaker_id", "published"),
    Index("quotes_published", "published"),
)
