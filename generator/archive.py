"""The archive as the site reads it: days, their digests, and the entities worth a page.

Rendering asks an `Archive` only for what the pages it renders need, so that an archive backed
by the store's indexed queries can answer for one new day without loading ten years.
`MemoryArchive` answers from analyzed articles held in memory: the samples, the tests, and
any store small enough to read whole.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Protocol
from zoneinfo import ZoneInfo

from .digest import build_digest, canonical_names
from .model import (
    Analysis, Article, Digest, DigestArticle, DigestQuote, EntityCount, EntityRecord, Watchlist,
)

MAX_PROFILE_QUOTES = 20
MAX_PROFILE_ARTICLES = 30
MAX_RELATED = 12


@dataclass
class EntityProfile:
    """What an entity page shows."""

    entity: EntityRecord
    mentions_by_day: list[tuple[date, int]]  # days with mentions, oldest first
    article_count: int
    articles: list[DigestArticle]  # newest first, at most MAX_PROFILE_ARTICLES
    quotes_by: list[DigestQuote]  # newest first
    quotes_about: list[DigestQuote]  # said by others in articles that mention it
    related: list[EntityCount]  # entities named in the same articles, most shared first
    stories: list = field(default_factory=list)  # the stories it is in (once stories land)


class Archive(Protocol):
    def days(self) -> dict[date, int]:
        """Every local day that has articles, oldest first, with its number of articles."""

    def digest(self, day: date) -> Digest:
        """The digest of a day from `days()`."""

    def entities(self) -> list[EntityRecord]:
        """The entities with a page: at least the threshold of mentions, most mentioned first."""

    def profile(self, entity_id: str) -> EntityProfile:
        """The page data of one entity of `entities()`."""


class MemoryArchive:
    def __init__(self, items: Iterable[tuple[Article, Analysis]], tz: ZoneInfo,
                 section_order: Sequence[str] = (), outlets: Mapping[str, list[str]] | None = None,
                 watchlists: Sequence[Watchlist] = (), min_mentions: int = 3) -> None:
        by_day: dict[date, list[tuple[Article, Analysis]]] = defaultdict(list)
        for article, analysis in items:
            by_day[article.published.astimezone(tz).date()].append((article, analysis))
        self._digests: dict[date, Digest] = {}
        self._aliases: dict[str, Counter[str]] = defaultdict(Counter)
        seen: dict[str, list] = {}
        for day in sorted(by_day):
            linked = canonical_names(by_day[day], watchlists)
            self._digests[day] = build_digest(day, linked, tz, section_order, outlets or {})
            for article, analysis in linked:
                for entity in analysis.entities:
                    if not entity.id:
                        continue
                    self._aliases[entity.id].update(m.text for m in entity.mentions)
                    first = seen.setdefault(entity.id, [entity, article.published, article.published, 0])
                    first[1] = min(first[1], article.published)
                    first[2] = max(first[2], article.published)
                    first[3] += len(entity.mentions)
        self._records = {
            id_: EntityRecord(id_, entity.name, entity.type, dict(sorted(self._aliases[id_].items())),
                              first_seen, last_seen, mentions)
            for id_, (entity, first_seen, last_seen, mentions) in seen.items()
        }
        self._min_mentions = min_mentions

    def days(self) -> dict[date, int]:
        return {day: digest.article_count for day, digest in self._digests.items()}

    def digest(self, day: date) -> Digest:
        return self._digests[day]

    def entities(self) -> list[EntityRecord]:
        kept = [r for r in self._records.values()
                if r.mentions >= self._min_mentions and r.type in ("PER", "ORG", "LOC")]
        return sorted(kept, key=lambda r: (-r.mentions, r.name, r.id))

    @cached_property
    def _index(self) -> dict[str, tuple[list, list, list]]:
        """Per entity id: (days with mentions, articles naming it, articles quoting it), newest
        first, so that a profile reads its own articles and not the whole archive."""
        index: dict[str, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
        for day in reversed(self._digests):
            digest = self._digests[day]
            for entity in digest.entities:
                if entity.id:
                    index[entity.id][0].insert(0, (day, entity.mentions))
            for section in digest.sections:
                for article in section.articles:
                    for id_ in dict.fromkeys(article.entity_ids):
                        if id_:
                            index[id_][1].append(article)
                    for id_ in dict.fromkeys(q.speaker_id for q in article.quotes):
                        if id_:
                            index[id_][2].append(article)
        return dict(index)

    def profile(self, entity_id: str) -> EntityProfile:
        record = self._records[entity_id]
        by_day, named, quoting = self._index.get(entity_id, ([], [], []))
        articles = sorted(named, key=lambda a: (a.published, a.id), reverse=True)
        quotes_by = [as_digest_quote(q, a) for a in quoting for q in a.quotes
                     if q.speaker_id == entity_id]
        quotes_about = [as_digest_quote(q, a) for a in articles for q in a.quotes
                        if q.speaker_id != entity_id and q.speaker]
        related = Counter(i for a in articles for i in dict.fromkeys(a.entity_ids)
                          if i and i != entity_id and i in self._records)
        return EntityProfile(
            entity=record,
            mentions_by_day=by_day,
            article_count=len(articles),
            articles=articles[:MAX_PROFILE_ARTICLES],
            quotes_by=quotes_by[:MAX_PROFILE_QUOTES],
            quotes_about=quotes_about[:MAX_PROFILE_QUOTES],
            related=[EntityCount(self._records[i].name, self._records[i].type, n, 0, i)
                     for i, n in sorted(related.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_RELATED],
        )


def as_digest_quote(quote, article: DigestArticle) -> DigestQuote:
    return DigestQuote(quote.speaker, quote.text, quote.kind, article.title, article.url,
                       article.source, quote.speaker_id)
