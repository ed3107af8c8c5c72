"""The store: articles, their analyses, the entity registry and source health.

One schema (schema.py) and one set of queries, through SQLAlchemy Core, on two databases:
SQLite, the embedded default (a file in data_dir, nothing to set up), and PostgreSQL, chosen by
a `store: postgresql://…` URL, for teams that share one database. The schema is created and
upgraded on open (migrations.py). Reads for a page are limited to the period it shows.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection, Engine, bindparam, create_engine, delete, event, func, insert, select, text, update,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..model import (
    Analysis, Article, ArticleLinks, Entity, EntityRecord, Quote, QuoteRecord, SourceState,
    StoryMember,
)
from .migrations import SchemaTooNew, migrate
from .schema import (
    metadata, aliases, analyses, article_entities, articles, deliveries, entities, fetches, mentions,
    quotes, redirects, sources, stories, story_articles,
)

ARTICLE_COLUMNS = [articles.c[name] for name in (
    "id", "url", "source", "section", "title", "published", "fetched", "author", "text",
    "content_hash", "guid", "signature", "duplicate_of")]
SOURCE_FIELDS = tuple(f.name for f in fields(SourceState))
STORY_STATS = update(stories).where(stories.c.id == bindparam("key_id")).values(
    {name: bindparam(name) for name in ("first_day", "last_day", "articles")})
LOCK_KEY = 0x6D61727361640001  # "marsad" + 1: the advisory lock of a run
ENTITY_STATS = update(entities).where(entities.c.id == bindparam("key_id")).values(
    {name: bindparam(name) for name in ("articles", "mentions", "first_seen", "last_seen",
                                        "watched", "name")})


class StoreError(RuntimeError):
    """The store cannot be used; the message names it."""


@dataclass
class AddResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def store_url(target: str | Path) -> str:
    """The SQLAlchemy URL of a store given as a file path or as a database URL."""
    target = str(target)
    if target.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    if "://" in target:
        return target
    return f"sqlite:///{target}"


def describe(url: str) -> str:
    """The store as a user names it, without a password."""
    from sqlalchemy.engine import make_url
    return make_url(store_url(url)).render_as_string(hide_password=True)


@contextmanager
def database_lock(target: str | Path) -> Iterator[None]:
    """On PostgreSQL, an advisory lock held for the block, so that two machines sharing one
    database never interleave their runs; nothing more on SQLite (its file lock suffices)."""
    url = store_url(target)
    if not url.startswith("postgresql"):
        yield
        return
    try:
        engine = create_engine(url)
        conn = engine.connect()
    except SQLAlchemyError as exc:
        raise StoreError(f"{describe(url)}: cannot connect ({_reason(exc)})") from None
    try:
        if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar():
            raise StoreError(f"{describe(url)}: another marsad command is running on this store")
        conn.commit()
        yield
    finally:
        conn.close()  # ends the session, and with it the lock
        engine.dispose()


class Store:
    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name

    @classmethod
    def open(cls, target: str | Path) -> Store:
        """Open (creating and upgrading as needed) the store at a path or URL."""
        url = store_url(target)
        name = describe(url)
        if url.startswith("sqlite:///"):
            _writable(Path(url.removeprefix("sqlite:///")))
        try:
            engine = create_engine(url, future=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            elif engine.dialect.name != "postgresql":
                raise StoreError(f"{name}: only SQLite and PostgreSQL stores are supported")
            with engine.connect() as conn:
                migrate(conn)
        except (SQLAlchemyError, SchemaTooNew) as exc:
            raise StoreError(f"{name}: not a usable Marsad store ({_reason(exc)})") from None
        except ModuleNotFoundError as exc:
            raise StoreError(f"{name}: the database driver is missing ({exc.name})") from None
        return cls(engine, name)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed whole, or not at all."""
        with self.engine.begin() as conn:
            yield conn

    def _rows(self, statement) -> list:
        with self.engine.connect() as conn:
            return conn.execute(statement).all()

    # --- articles ---------------------------------------------------------------------

    def add_articles(self, items: Iterable[Article],
                     before_insert: Callable[[Article], None] | None = None) -> AddResult:
        """Insert new articles, update those whose text changed; one transaction.

        An entry is the same article as a stored one when its id (canonical URL) matches, or,
        within its source, its GUID or its text does: so a changed URL or GUID alone does not
        make a new article. `before_insert` sees each new article first (to mark duplicates);
        the ids it returns are originals that, with their copies, become copies of the new
        article's original (the article itself, or its `duplicate_of`), in the same transaction."""
        result = AddResult()
        with self.transaction() as conn:
            for article in items:
                found = _existing(conn, article)
                if found is None:
                    result.new += 1
                    if before_insert:
                        _make_copies(conn, list(before_insert(article) or ()),
                                     article.duplicate_of or article.id)
                    conn.execute(insert(articles), [_article_row(article)])
                elif found[1] != article.content_hash:
                    result.updated += 1
                    conn.execute(update(articles).where(articles.c.id == found[0]).values(
                        title=article.title, text=article.text, content_hash=article.content_hash,
                        author=article.author, signature=to_sqlite(article.signature)))
                else:
                    result.unchanged += 1
        return result

    def existing(self, article: Article) -> tuple[str, str] | None:
        """(id, content_hash) of the stored article this entry is, if any."""
        with self.engine.connect() as conn:
            return _existing(conn, article)

    def article_count(self) -> int:
        return self._rows(select(func.count()).select_from(articles))[0][0]

    def copy_groups(self, since: datetime) -> Iterator[tuple[str, int, str, datetime]]:
        """(id, SimHash, original's id, original's published) of the articles fetched since
        `since`: each article with the original of its group of copies (itself if none)."""
        original = articles.alias("o")
        root = func.coalesce(func.nullif(articles.c.duplicate_of, ""), articles.c.id)
        rows = self._rows(select(articles.c.id, articles.c.signature, root, original.c.published)
                          .join(original, original.c.id == root)
                          .where(articles.c.signature != 0, articles.c.fetched >= _iso(since))
                          .order_by(articles.c.id))
        for article_id, signature, root_id, published in rows:
            yield article_id, from_sqlite(signature), root_id, datetime.fromisoformat(published)

    def outlets(self, article_ids: Iterable[str] | None = None) -> dict[str, list[str]]:
        """For each original article (of `article_ids`, or all), the other outlets that
        carried a copy of it, by name (not by when they were fetched: pages must not depend
        on that)."""
        copy, original = articles.alias("d"), articles.alias("o")
        query = (select(copy.c.duplicate_of, copy.c.source)
                 .join(original, original.c.id == copy.c.duplicate_of)
                 .where(copy.c.source != original.c.source)
                 .order_by(copy.c.duplicate_of, copy.c.source))
        carried: dict[str, list[str]] = {}
        for chunk in _chunks(article_ids):
            rows = self._rows(query if chunk is None else query.where(copy.c.duplicate_of.in_(chunk)))
            for original_id, source in rows:
                if source not in carried.setdefault(original_id, []):
                    carried[original_id].append(source)
        return carried

    def articles_since(self, since: datetime) -> dict[str, int]:
        """Articles per source published since `since`."""
        return dict(self._rows(select(articles.c.source, func.count())
                               .where(articles.c.published >= _iso(since))
                               .group_by(articles.c.source)))

    def newest_published(self) -> datetime | None:
        value = self._rows(select(func.max(articles.c.published)))[0][0]
        return datetime.fromisoformat(value) if value else None

    def articles(self) -> list[Article]:
        return [_article(row) for row in self._rows(
            select(*ARTICLE_COLUMNS).order_by(articles.c.published, articles.c.id))]

    def days(self, tz: ZoneInfo) -> list[date]:
        """The local days that have analyzed articles, oldest first."""
        rows = self._rows(select(articles.c.published).join(
            analyses, analyses.c.article_id == articles.c.id).order_by(articles.c.published))
        return sorted({datetime.fromisoformat(p).astimezone(tz).date() for (p,) in rows})

    # --- sources ----------------------------------------------------------------------

    def source_state(self, name: str) -> SourceState:
        rows = self._rows(select(*(sources.c[f] for f in SOURCE_FIELDS)).where(sources.c.name == name))
        return _source_state(rows[0]) if rows else SourceState(name)

    def save_fetch(self, state: SourceState, at: datetime, status: int, size: int, new: int,
                   error_kind: str, error: str, seconds: float) -> None:
        """The source's new state and the record of the fetch that led to it, together."""
        values = {name: v.isoformat() if isinstance(v, datetime) else v
                  for name, v in zip(SOURCE_FIELDS, astuple(state))}
        with self.transaction() as conn:
            conn.execute(delete(sources).where(sources.c.name == state.name))
            conn.execute(insert(sources).values(values))
            conn.execute(insert(fetches).values(
                source=state.name, at=at.isoformat(), status=status, bytes=size,
                new_articles=new, error_kind=error_kind, error=error, seconds=seconds))

    # --- email deliveries --------------------------------------------------------------

    def delivered(self, recipient: str, period: str, start_day: date) -> bool:
        """Whether a server already accepted this recipient's message for this period."""
        query = select(deliveries.c.message_id).where(
            deliveries.c.recipient == recipient, deliveries.c.period == period,
            deliveries.c.start_day == start_day.isoformat())
        return bool(self._rows(query))

    def record_delivery(self, recipient: str, period: str, start_day: date, message_id: str,
                        accepted_at: datetime) -> None:
        """Committed at once: a crash right after loses no record of what was accepted."""
        with self.transaction() as conn:
            conn.execute(insert(deliveries).values(
                recipient=recipient, period=period, start_day=start_day.isoformat(),
                message_id=message_id, accepted_at=accepted_at.isoformat()))

    # --- analyses ---------------------------------------------------------------------

    def articles_to_analyze(self, version: str, within: tuple[str, str] | None = None) -> list[Article]:
        """Articles never analyzed, analyzed by another version, or whose text changed since;
        `within` keeps those whose id lies in an inclusive range (see `ids_to_analyze`)."""
        query = (select(*ARTICLE_COLUMNS)
                 .outerjoin(analyses, analyses.c.article_id == articles.c.id)
                 .where(_pending(version))
                 .order_by(articles.c.published, articles.c.id))
        if within:
            query = query.where(articles.c.id.between(*within))
        return [_article(row) for row in self._rows(query)]

    def ids_to_analyze(self, version: str) -> list[str]:
        """The ids of `articles_to_analyze`, in id order: cut into ranges, they share the work."""
        query = (select(articles.c.id).outerjoin(analyses, analyses.c.article_id == articles.c.id)
                 .where(_pending(version)).order_by(articles.c.id))
        return [row[0] for row in self._rows(query)]

    def save_analyses(self, results: Iterable[tuple[Article, Analysis]], version: str) -> int:
        """Store analyses (one transaction); each is linked to the registry afterwards."""
        return self.save_analysis_data(((article, analysis_data(analysis))
                                        for article, analysis in results), version)

    def save_analysis_data(self, results: Iterable[tuple[Article, str]], version: str) -> int:
        """`save_analyses` of analyses already serialized (by `analysis_data`, in a worker)."""
        count = 0
        with self.transaction() as conn:
            for batch in _batches(results, 500):
                ids = [article.id for article, _ in batch]
                _unlink(conn, ids)
                conn.execute(delete(analyses).where(analyses.c.article_id.in_(ids)))
                conn.execute(insert(analyses), [
                    {"article_id": article.id, "version": version,
                     "content_hash": article.content_hash, "linked": 0, "data": data}
                    for article, data in batch])
                count += len(batch)
        return count

    def analyzed_articles(self) -> Iterator[tuple[Article, Analysis]]:
        """Every analyzed article with its analysis as the analyzer gave it (not linked)."""
        query = (select(*ARTICLE_COLUMNS, analyses.c.data)
                 .join(analyses, analyses.c.article_id == articles.c.id)
                 .order_by(articles.c.published, articles.c.id))
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield _article(row[:-1]), Analysis.from_dict(json.loads(row[-1]))

    def unlinked(self, limit: int = 500) -> list[tuple[Article, Analysis]]:
        """Analyses the registry has not seen yet, oldest first."""
        query = (select(*ARTICLE_COLUMNS, analyses.c.data)
                 .join(analyses, analyses.c.article_id == articles.c.id)
                 .where(analyses.c.linked == 0)
                 .order_by(articles.c.published, articles.c.id).limit(limit))
        return [(_article(row[:-1]), Analysis.from_dict(json.loads(row[-1])))
                for row in self._rows(query)]

    def unlinked_count(self) -> int:
        return self._rows(select(func.count()).select_from(analyses).where(analyses.c.linked == 0))[0][0]

    def analyzed_between(self, start: datetime, end: datetime) -> list[tuple[Article, Analysis]]:
        """Articles published in [start, end) with their analyses, entities and speakers under
        their registry ids and canonical names. Only that period is read."""
        period = (articles.c.published >= _iso(start)) & (articles.c.published < _iso(end))
        return self._with_links(self._rows(
            select(*ARTICLE_COLUMNS, analyses.c.data)
            .join(analyses, analyses.c.article_id == articles.c.id)
            .where(period).order_by(articles.c.published, articles.c.id)))

    def analyzed_by_id(self, article_ids: Iterable[str]) -> list[tuple[Article, Analysis]]:
        """These analyzed articles, linked as by `analyzed_between`, oldest first."""
        query = (select(*ARTICLE_COLUMNS, analyses.c.data)
                 .join(analyses, analyses.c.article_id == articles.c.id))
        rows = [row for chunk in _chunks(sorted(set(article_ids)))
                for row in self._rows(query.where(articles.c.id.in_(chunk)))]
        return self._with_links(sorted(rows, key=lambda row: (row.published, row.id)))

    def _with_links(self, rows: Sequence) -> list[tuple[Article, Analysis]]:
        """(article columns…, analysis JSON) rows as articles with linked analyses."""
        if not rows:
            return []
        ids = [row[0] for row in rows]
        links: dict[str, dict[int, str]] = {}
        speakers: dict[str, dict[int, str]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                for article_id, start_at, entity_id in conn.execute(
                        select(mentions.c.article_id, mentions.c.start, mentions.c.entity_id)
                        .where(mentions.c.article_id.in_(chunk))):
                    links.setdefault(article_id, {})[start_at] = entity_id
                for article_id, number, speaker_id in conn.execute(
                        select(quotes.c.article_id, quotes.c.number, quotes.c.speaker_id)
                        .where(quotes.c.article_id.in_(chunk))):
                    speakers.setdefault(article_id, {})[number] = speaker_id
            used = {e for m in (*links.values(), *speakers.values()) for e in m.values() if e}
            known = _entity_names(conn, used)
        return [(_article(row[:-1]), _linked(Analysis.from_dict(json.loads(row[-1])),
                                             links.get(row[0], {}), speakers.get(row[0], {}), known))
                for row in rows]

    # --- stories ----------------------------------------------------------------------

    def articles_without_story(self) -> list[tuple[Article, Analysis | None]]:
        """Analyzed originals (linked) and stored copies that no story holds yet, oldest first."""
        base = (select(*ARTICLE_COLUMNS, analyses.c.data)
                .outerjoin(analyses, analyses.c.article_id == articles.c.id)
                .outerjoin(story_articles, story_articles.c.article_id == articles.c.id)
                .where(story_articles.c.article_id.is_(None))
                .order_by(articles.c.published, articles.c.id))
        analyzed = self._with_links(self._rows(base.where(analyses.c.article_id.is_not(None))))
        copies = [(_article(row[:-1]), None) for row in self._rows(
            base.where(analyses.c.article_id.is_(None), articles.c.duplicate_of != ""))]
        return sorted(analyzed + copies, key=lambda pair: (pair[0].published, pair[0].id))

    def story_window(self, start: date) -> list[StoryMember]:
        """Members since `start` of the stories last seen since `start`: what a new day meets."""
        query = (select(story_articles.c.article_id, story_articles.c.story_id,
                        story_articles.c.day, story_articles.c.terms, story_articles.c.entities)
                 .join(stories, stories.c.id == story_articles.c.story_id)
                 .where(stories.c.last_day >= start.isoformat(),
                        story_articles.c.day >= start.isoformat())
                 .order_by(story_articles.c.day, story_articles.c.article_id))
        return [StoryMember(article_id, story, date.fromisoformat(day), json.loads(terms),
                            tuple(json.loads(ids)))
                for article_id, story, day, terms, ids in self._rows(query)]

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The story of each of these articles that is in one."""
        query = select(story_articles.c.article_id, story_articles.c.story_id)
        return {a: s for chunk in _chunks(sorted(set(article_ids)))
                for a, s in self._rows(query.where(story_articles.c.article_id.in_(chunk)))}

    def story_members(self, story_ids: Iterable[str]) -> list[tuple[str, str, date]]:
        """(article id, story id, local day) of every member of these stories, copies included."""
        query = select(story_articles.c.article_id, story_articles.c.story_id, story_articles.c.day)
        return sorted((a, s, date.fromisoformat(d)) for chunk in _chunks(sorted(set(story_ids)))
                      for a, s, d in self._rows(query.where(story_articles.c.story_id.in_(chunk))))

    def save_story_members(self, members: Iterable[StoryMember]) -> int:
        """Add members, and bring their stories' first and last days and sizes up to date."""
        members = list(members)
        touched = sorted({m.story_id for m in members})
        with self.transaction() as conn:
            known = {row[0] for chunk in _chunks(touched) for row in conn.execute(
                select(stories.c.id).where(stories.c.id.in_(chunk)))}
            new = [{"id": s, "first_day": "", "last_day": "", "articles": 0}
                   for s in touched if s not in known]
            if new:
                conn.execute(insert(stories), new)
            if members:
                conn.execute(insert(story_articles), [
                    {"article_id": m.article_id, "story_id": m.story_id, "day": m.day.isoformat(),
                     "terms": json.dumps(m.terms, ensure_ascii=False, sort_keys=True),
                     "entities": json.dumps(list(m.entities), ensure_ascii=False)}
                    for m in members])
            for chunk in _chunks(touched):
                rows = conn.execute(
                    select(story_articles.c.story_id, func.min(story_articles.c.day),
                           func.max(story_articles.c.day), func.count())
                    .where(story_articles.c.story_id.in_(chunk))
                    .group_by(story_articles.c.story_id)).all()
                conn.execute(STORY_STATS, [{"key_id": s, "first_day": first, "last_day": last,
                                            "articles": count} for s, first, last, count in rows])
        return len(members)

    def story_assignments(self) -> dict[str, tuple[str, date]]:
        """article id -> (story id, local day), copies included."""
        return {a: (s, date.fromisoformat(d)) for a, s, d in self._rows(
            select(story_articles.c.article_id, story_articles.c.story_id, story_articles.c.day))}

    def stories_seen(self, start: date, end: date) -> list[tuple[str, date, date, int]]:
        """(id, first day, last day, articles) of the stories last seen in [start, end]."""
        query = (select(stories.c.id, stories.c.first_day, stories.c.last_day, stories.c.articles)
                 .where(stories.c.last_day >= start.isoformat(),
                        stories.c.last_day <= end.isoformat())
                 .order_by(stories.c.last_day, stories.c.id))
        return [(s, date.fromisoformat(f), date.fromisoformat(l), n)
                for s, f, l, n in self._rows(query)]

    def story_count(self) -> int:
        return self._rows(select(func.count()).select_from(stories))[0][0]

    def articles_per_day(self, entity_ids: Iterable[str], start: datetime, end: datetime,
                         tz: ZoneInfo) -> dict[str, Counter[date]]:
        """entity id -> local day -> articles of [start, end) mentioning it (trends)."""
        counts: dict[str, Counter[date]] = {}
        query = select(article_entities.c.entity_id, article_entities.c.published).where(
            article_entities.c.published >= _iso(start), article_entities.c.published < _iso(end))
        for chunk in _chunks(sorted(set(entity_ids))):
            for entity_id, published in self._rows(query.where(article_entities.c.entity_id.in_(chunk))):
                day = datetime.fromisoformat(published).astimezone(tz).date()
                counts.setdefault(entity_id, Counter())[day] += 1
        return counts

    # --- the entity registry ----------------------------------------------------------

    def registry_rows(self) -> tuple[list[tuple], list[tuple], dict[str, str]]:
        """(entities, aliases, redirects) as the linker loads them: id, type, name, watched,
        articles; entity_id, name, key, articles; old id -> new id."""
        with self.engine.connect() as conn:
            found = conn.execute(select(entities.c.id, entities.c.type, entities.c.name,
                                        entities.c.watched, entities.c.articles)
                                 .order_by(entities.c.id)).all()
            names = conn.execute(select(aliases.c.entity_id, aliases.c.name, aliases.c.key,
                                        aliases.c.articles)
                                 .order_by(aliases.c.entity_id, aliases.c.name)).all()
            moved = dict(conn.execute(select(redirects.c.old_id, redirects.c.new_id)).all())
        return found, names, moved

    def apply_registry(self, created: Sequence[tuple[str, str, str]],
                       merges: Sequence[tuple[str, str]], watched: Mapping[str, tuple[str, str]],
                       links: Sequence[ArticleLinks], key: Callable[[str], str],
                       canonical: Callable[[dict[str, int]], str]) -> None:
        """One unit of work of the linker: new entities, merges, the articles' links, and
        the counts, aliases and canonical names of every entity they touch."""
        with self.transaction() as conn:
            touched = {entity_id for entity_id, _, _ in created}
            if created:
                conn.execute(insert(entities), [
                    {"id": entity_id, "type": type_, "name": name, "articles": 0, "mentions": 0,
                     "watched": int(entity_id in watched)} for entity_id, type_, name in created])
            for old, new in merges:
                _merge(conn, old, new)
                touched.add(new)
            article_ids = [item.article_id for item in links]
            for chunk in _chunks(article_ids):
                touched.update(e for (e,) in conn.execute(
                    select(article_entities.c.entity_id).where(article_entities.c.article_id.in_(chunk))))
                _unlink(conn, chunk)
            touched.update(_insert_links(conn, links))
            for chunk in _chunks(article_ids):
                conn.execute(update(analyses).where(analyses.c.article_id.in_(chunk)).values(linked=1))
            _refresh(conn, sorted(touched), watched, key, canonical)

    def entity(self, entity_id: str) -> EntityRecord | None:
        """The entity with this id, following merge redirects."""
        with self.engine.connect() as conn:
            entity_id = _redirected(conn, entity_id)
            records = _entity_records(conn, entities.c.id == entity_id)
        return records[0] if records else None

    def entities(self, min_mentions: int = 1, type_: str | None = None) -> list[EntityRecord]:
        """Entities mentioned at least `min_mentions` times, most mentioned first."""
        condition = entities.c.mentions >= min_mentions
        if type_:
            condition &= entities.c.type == type_
        with self.engine.connect() as conn:
            return _entity_records(conn, condition)

    def redirects(self) -> dict[str, str]:
        return dict(self._rows(select(redirects.c.old_id, redirects.c.new_id)))

    def quotes_by(self, entity_id: str, start: datetime, end: datetime) -> list[QuoteRecord]:
        """Every quote attributed to the entity in [start, end), oldest first."""
        entity_id = self._resolve(entity_id)
        query = (select(quotes, articles.c.title, articles.c.url, articles.c.source)
                 .join(articles, articles.c.id == quotes.c.article_id)
                 .where(quotes.c.speaker_id == entity_id, quotes.c.published >= _iso(start),
                        quotes.c.published < _iso(end))
                 .order_by(quotes.c.published, quotes.c.article_id, quotes.c.number))
        return [_quote_record(row) for row in self._rows(query)]

    def articles_mentioning(self, entity_ids: Sequence[str], start: datetime,
                            end: datetime) -> list[str]:
        """Ids of the articles of [start, end) that mention every one of the entities."""
        wanted = sorted({self._resolve(e) for e in entity_ids})
        if not wanted:
            return []
        query = (select(article_entities.c.article_id)
                 .where(article_entities.c.entity_id.in_(wanted),
                        article_entities.c.published >= _iso(start),
                        article_entities.c.published < _iso(end))
                 .group_by(article_entities.c.article_id)
                 .having(func.count() == len(wanted))
                 .order_by(article_entities.c.article_id))
        return [article_id for (article_id,) in self._rows(query)]

    def mentions_per_day(self, entity_id: str, start: datetime, end: datetime,
                         tz: ZoneInfo) -> dict[date, int]:
        """Mentions of the entity per local day of [start, end)."""
        entity_id = self._resolve(entity_id)
        query = (select(article_entities.c.published, article_entities.c.mentions)
                 .where(article_entities.c.entity_id == entity_id,
                        article_entities.c.published >= _iso(start),
                        article_entities.c.published < _iso(end)))
        counts: dict[date, int] = {}
        for published, count in self._rows(query):
            day = datetime.fromisoformat(published).astimezone(tz).date()
            counts[day] = counts.get(day, 0) + count
        return dict(sorted(counts.items()))

    def _resolve(self, entity_id: str) -> str:
        with self.engine.connect() as conn:
            return _redirected(conn, entity_id)


def copy_store(source: Store, target: Store, on_rows: Callable[[int], None] | None = None,
               batch: int = 2000) -> dict[str, int]:
    """Every row of every table, parents before children, in one transaction of the target.
    The target must hold no articles: a copy never mixes two archives."""
    if target.article_count():
        raise StoreError(f"{target.name}: already holds articles; migrate into an empty store")
    copied: dict[str, int] = {}
    with source.engine.connect() as reader, target.transaction() as writer:
        for table in reversed(metadata.sorted_tables):
            writer.execute(delete(table))
        for table in metadata.sorted_tables:
            copied[table.name] = 0
            result = reader.execute(select(table).order_by(*table.primary_key.columns))
            while rows := result.fetchmany(batch):
                writer.execute(insert(table), [row._asdict() for row in rows])
                copied[table.name] += len(rows)
                if on_rows:
                    on_rows(len(rows))
        if target.dialect == "postgresql":
            writer.execute(text("SELECT setval(pg_get_serial_sequence('fetches', 'id'), "
                                "coalesce(max(id), 0) + 1, false) FROM fetches"))
    return copied


# --- helpers (a connection in, rows out) ---------------------------------------------------


def analysis_data(analysis: Analysis) -> str:
    """An analysis as the store keeps it (JSON)."""
    return json.dumps(analysis.to_dict(), ensure_ascii=False)


def _pending(version: str):
    """An original article whose analysis is missing, of another version or of an older text."""
    return ((articles.c.duplicate_of == "")
            & (analyses.c.article_id.is_(None) | (analyses.c.version != version)
               | (analyses.c.content_hash != articles.c.content_hash)))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; commits skip fsync
    cursor.close()


def _reason(exc: Exception) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return " ".join(str(exc.orig).split())
    return " ".join(str(exc).split()).split(" [SQL:")[0]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(ids: Iterable[str] | None, size: int = 500) -> Iterator[list[str] | None]:
    """Ids in slices small enough for one IN (…) on either database; None: no filter."""
    if ids is None:
        yield None
        return
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


_PICK = select(articles.c.id, articles.c.content_hash)
_BY_ID = _PICK.where(articles.c.id == bindparam("id"))
_BY_GUID = _PICK.where(articles.c.source == bindparam("source"), articles.c.guid == bindparam("guid"))
_BY_TEXT = _PICK.where(articles.c.source == bindparam("source"),
                       articles.c.content_hash == bindparam("hash"))


def _existing(conn: Connection, article: Article) -> tuple[str, str] | None:
    row = conn.execute(_BY_ID, {"id": article.id}).first()
    if row is None and article.guid:
        row = conn.execute(_BY_GUID, {"source": article.source, "guid": article.guid}).first()
    if row is None:
        row = conn.execute(_BY_TEXT, {"source": article.source, "hash": article.content_hash}).first()
    return tuple(row) if row else None


def _make_copies(conn: Connection, originals: list[str], of: str) -> None:
    """Originals (and their copies) become copies of the original `of`: their analyses go, as
    a copy's never existed, and with them their links to the registry."""
    if not originals:
        return
    conn.execute(update(articles).where(articles.c.id.in_(originals)
                                        | articles.c.duplicate_of.in_(originals))
                 .values(duplicate_of=of))
    _unlink(conn, originals)
    conn.execute(delete(analyses).where(analyses.c.article_id.in_(originals)))


def _writable(path: Path) -> None:
    """A SQLite file (and its folder, for the journal) Marsad may write; one line if not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not all(os.access(p, os.W_OK) for p in (path, path.parent) if p.exists()):
        raise StoreError(f"{path}: read-only; Marsad writes its store and, beside it, the "
                         "store's journal (check the owner and mode of the file and folder)")


def integrity_problems(target: str | Path) -> list[str]:
    """What the database's own check finds wrong (SQLite's integrity_check), read-only; []
    when sound, and for PostgreSQL, which checks itself."""
    url = store_url(target)
    if not url.startswith("sqlite:///"):
        return []
    path = Path(url.removeprefix("sqlite:///"))
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return [f"not a usable SQLite file ({exc})"]
    return [] if rows == ["ok"] else rows


def _unlink(conn: Connection, article_ids: list[str]) -> None:
    for table in (mentions, quotes, article_entities):
        conn.execute(delete(table).where(table.c.article_id.in_(article_ids)))


def _insert_links(conn: Connection, links: Sequence[ArticleLinks]) -> set[str]:
    """The query rows of linked articles, one statement per table; the entities they name."""
    linked, spans, said = [], [], []
    for item in links:
        published = _iso(item.published)
        starts: set[int] = set()
        for entity in item.entities:
            linked.append({"article_id": item.article_id, "entity_id": entity.entity_id,
                           "alias": entity.alias, "mentions": len(entity.mentions),
                           "published": published})
            for m in entity.mentions:
                if m.start not in starts:
                    starts.add(m.start)
                    spans.append({"article_id": item.article_id, "start": m.start, "end": m.end,
                                  "entity_id": entity.entity_id, "text": m.text,
                                  "published": published})
        said += [{"article_id": item.article_id, "number": n, "speaker_id": speaker_id,
                  "speaker": q.speaker, "text": q.text, "kind": q.kind, "verb": q.verb,
                  "start": q.start, "end": q.end, "unnamed": int(q.unnamed),
                  "sentence": q.sentence, "confidence": q.confidence, "published": published}
                 for n, (q, speaker_id) in enumerate(zip(item.quotes, item.speaker_ids))]
    for table, rows in ((article_entities, linked), (mentions, spans), (quotes, said)):
        if rows:
            conn.execute(insert(table), rows)
    return {row["entity_id"] for row in linked}


def _merge(conn: Connection, old: str, new: str) -> None:
    """Move everything of entity `old` onto `new`, and leave a redirect."""
    both = {a for (a,) in conn.execute(select(article_entities.c.article_id)
                                       .where(article_entities.c.entity_id == new))}
    for article_id, count in conn.execute(select(article_entities.c.article_id,
                                                 article_entities.c.mentions)
                                          .where(article_entities.c.entity_id == old)).all():
        if article_id in both:
            conn.execute(update(article_entities)
                         .where(article_entities.c.article_id == article_id,
                                article_entities.c.entity_id == new)
                         .values(mentions=article_entities.c.mentions + count))
            conn.execute(delete(article_entities).where(article_entities.c.article_id == article_id,
                                                        article_entities.c.entity_id == old))
    conn.execute(update(article_entities).where(article_entities.c.entity_id == old)
                 .values(entity_id=new))
    conn.execute(update(mentions).where(mentions.c.entity_id == old).values(entity_id=new))
    conn.execute(update(quotes).where(quotes.c.speaker_id == old).values(speaker_id=new))
    conn.execute(delete(aliases).where(aliases.c.entity_id == old))
    conn.execute(delete(entities).where(entities.c.id == old))
    conn.execute(update(redirects).where(redirects.c.new_id == old).values(new_id=new))
    conn.execute(insert(redirects).values(old_id=old, new_id=new))


def _refresh(conn: Connection, ids: list[str], watched: Mapping[str, tuple[str, str]],
             key: Callable[[str], str], canonical: Callable[[dict[str, int]], str]) -> None:
    """Counts, first and last seen, aliases and canonical name, from the entities' links."""
    ae = article_entities.c
    for chunk in _chunks(ids):
        stats = {row[0]: row[1:] for row in conn.execute(
            select(ae.entity_id, func.count(), func.sum(ae.mentions), func.min(ae.published),
                   func.max(ae.published)).where(ae.entity_id.in_(chunk)).group_by(ae.entity_id))}
        names: dict[str, dict[str, int]] = {}
        for entity_id, alias, count in conn.execute(
                select(ae.entity_id, ae.alias, func.count()).where(ae.entity_id.in_(chunk))
                .group_by(ae.entity_id, ae.alias)):
            names.setdefault(entity_id, {})[alias] = count
        conn.execute(delete(aliases).where(aliases.c.entity_id.in_(chunk)))
        alias_rows = [{"entity_id": entity_id, "name": name, "key": key(name), "articles": count}
                      for entity_id in chunk for name, count in sorted(names.get(entity_id, {}).items())]
        if alias_rows:
            conn.execute(insert(aliases), alias_rows)
        current = dict(conn.execute(select(entities.c.id, entities.c.name)
                                    .where(entities.c.id.in_(chunk))).all())
        rows = []
        for entity_id in chunk:
            articles_, mentions_, first, last = stats.get(entity_id, (0, 0, None, None))
            name = watched[entity_id][1] if entity_id in watched else canonical(names.get(entity_id, {}))
            rows.append({"key_id": entity_id, "articles": articles_, "mentions": mentions_ or 0,
                         "first_seen": first, "last_seen": last, "watched": int(entity_id in watched),
                         "name": name or current.get(entity_id, "")})
        conn.execute(ENTITY_STATS, rows)


def _redirected(conn: Connection, entity_id: str) -> str:
    new_id = conn.execute(select(redirects.c.new_id).where(redirects.c.old_id == entity_id)).scalar()
    return new_id or entity_id


def _entity_names(conn: Connection, ids: set[str]) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(sorted(ids)):
        for id_, name, type_ in conn.execute(select(entities.c.id, entities.c.name, entities.c.type)
                                             .where(entities.c.id.in_(chunk))):
            names[id_] = (name, type_)
    return names


def _entity_records(conn: Connection, condition) -> list[EntityRecord]:
    rows = conn.execute(select(entities).where(condition)
                        .order_by(entities.c.mentions.desc(), entities.c.id)).all()
    names: dict[str, dict[str, int]] = {}
    for chunk in _chunks([row.id for row in rows]):
        for entity_id, name, count in conn.execute(
                select(aliases.c.entity_id, aliases.c.name, aliases.c.articles)
                .where(aliases.c.entity_id.in_(chunk))
                .order_by(aliases.c.entity_id, aliases.c.articles.desc(), aliases.c.name)):
            names.setdefault(entity_id, {})[name] = count
    return [EntityRecord(row.id, row.name, row.type, names.get(row.id, {}),
                         _time(row.first_seen), _time(row.last_seen),
                         row.mentions, row.articles, bool(row.watched)) for row in rows]


def _iso(moment: datetime) -> str:
    """A bound of a period as stored times are written (UTC), so text comparison is right."""
    return moment.astimezone(timezone.utc).isoformat()


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _linked(analysis: Analysis, links: dict[int, str], speakers: dict[int, str],
            known: dict[str, tuple[str, str]]) -> Analysis:
    """The analysis with each entity and speaker under its registry id and canonical name.

    Entities the registry joined (a surname and the full name in one article) become one."""
    merged: dict[str, Entity] = {}
    for entity in analysis.entities:
        first = entity.mentions[0].start if entity.mentions else -1
        entity_id = links.get(first, "")
        name, type_ = known.get(entity_id, (entity.name, entity.type))
        target = merged.setdefault(entity_id or f"{entity.type}:{entity.name}",
                                   Entity(name, type_, [], entity_id))
        target.mentions.extend(entity.mentions)
    for entity in merged.values():
        entity.mentions.sort(key=lambda m: m.start)
    quoted = []
    for number, quote in enumerate(analysis.quotes):
        speaker_id = speakers.get(number, "")
        speaker = known[speaker_id][0] if speaker_id in known else quote.speaker
        quoted.append(Quote(**{**quote.__dict__, "speaker": speaker, "speaker_id": speaker_id}))
    return Analysis(analysis.sentences, list(merged.values()), quoted, analysis.summary)


def _quote_record(row) -> QuoteRecord:
    return QuoteRecord(
        article_id=row.article_id, speaker_id=row.speaker_id, speaker=row.speaker, text=row.text,
        kind=row.kind, verb=row.verb, published=datetime.fromisoformat(row.published),
        article_title=row.title, article_url=row.url, source=row.source)


def _article_row(a: Article) -> dict:
    return {"id": a.id, "url": a.url, "source": a.source, "section": a.section, "title": a.title,
            "published": _iso(a.published), "fetched": _iso(a.fetched),
            "author": a.author, "text": a.text, "content_hash": a.content_hash, "guid": a.guid,
            "signature": to_sqlite(a.signature), "duplicate_of": a.duplicate_of}


def _article(row: Sequence) -> Article:
    (id_, url, source, section, title, published, fetched, author, text, content_hash, guid,
     signature, duplicate_of) = row
    return Article(id_, source, section, url, title, datetime.fromisoformat(published),
                   datetime.fromisoformat(fetched), author, text, content_hash, guid,
                   from_sqlite(signature), duplicate_of)


def _source_state(row: Sequence) -> SourceState:
    values = dict(zip(SOURCE_FIELDS, row))
    for key in ("last_success", "last_error_at", "next_attempt"):
        if values[key]:
            values[key] = datetime.fromisoformat(values[key])
    return SourceState(**values)


def to_sqlite(signature: int) -> int:
    """A 64-bit unsigned signature as a signed 64-bit integer, the widest both databases store."""
    return signature - (1 << 64) if signature >= 1 << 63 else signature


def from_sqlite(value: int) -> int:
    """The unsigned signature back from its signed stored form."""
    return value & ((1 << 64) - 1)
