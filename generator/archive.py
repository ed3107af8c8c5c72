"""The archive as the site reads it: days, their digests, and the entities worth a page.

Rendering asks an `Archive` only for what the pages it renders need, and `StoreArchive`
answers each question with the store's indexed, period-limited queries: a day's digest reads
that day's articles, an entity's profile its registry row, its quotes and its latest days. So
rendering what one new day changes costs the same at any archive size, and no whole-archive
object is held in memory.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from .digest import build_digest
from .model import Digest, DigestArticle, DigestQuote, EntityCount, EntityRecord, QuoteRecord
from .store import Store

MAX_PROFILE_QUOTES = 20
MAX_PROFILE_ARTICLES = 30
MAX_RELATED = 12
MAX_PROFILE_DAYS = 10  # an entity page's articles come from its last days with mentions
CACHED_DIGESTS = 70  # a month and the month before: what a monthly report reads
PAGE_TYPES = ("PER", "ORG", "LOC")
EPOCH = datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))
FUTURE = datetime(9999, 1, 1, tzinfo=ZoneInfo("UTC"))


@dataclass
class EntityProfile:
    """What an entity page shows."""

    entity: EntityRecord
    mentions_by_day: list[tuple[date, int]]  # days with mentions, oldest first
    articles: list[DigestArticle]  # its newest articles, at most MAX_PROFILE_ARTICLES
    quotes_by: list[DigestQuote]  # newest first
    quotes_about: list[DigestQuote]  # said by others in its newest articles
    related: list[EntityCount]  # entities named in the same articles, most shared first
    stories: list = field(default_factory=list)  # the stories it is in (once stories land)


class Archive(Protocol):
    def days(self) -> dict[date, int]:
        """Every local day that has articles, oldest first, with its number of articles."""

    def digest(self, day: date) -> Digest:
        """The digest of a day of `days()`."""

    def entities(self) -> list[EntityRecord]:
        """The entities with a page: at least the threshold of mentions, most mentioned first."""

    def profile(self, entity_id: str) -> EntityProfile:
        """The page data of one entity of `entities()`."""


class StoreArchive:
    def __init__(self, store: Store, tz: ZoneInfo, section_order: Sequence[str] = (),
                 min_mentions: int = 3, max_articles: int | None = None) -> None:
        self.store, self.tz, self.section_order = store, tz, section_order
        self.min_mentions, self.max_articles = min_mentions, max_articles
        self.left_out: dict[date, int] = {}  # per day read: articles past max_articles
        self._digests: OrderedDict[date, Digest] = OrderedDict()
        self._days: dict[date, int] | None = None

    def days(self) -> dict[date, int]:
        if self._days is None:
            self._days = self.store.day_counts(self.tz)
        return self._days

    def digest(self, day: date) -> Digest:
        """Read from the store for that day alone; the last few are kept, since a day is read
        by its page, its week's and month's reports and the next period's comparison."""
        if day in self._digests:
            self._digests.move_to_end(day)
            return self._digests[day]
        start = datetime.combine(day, time(), tzinfo=self.tz)
        items = self.store.analyzed_between(start, start + timedelta(days=1))
        outlets = self.store.outlets([article.id for article, _ in items])
        digest = build_digest(day, items, self.tz, self.section_order, outlets, self.max_articles)
        self.left_out[day] = digest.left_out
        self._digests[day] = digest
        if len(self._digests) > CACHED_DIGESTS:
            self._digests.popitem(last=False)
        return digest

    def entities(self) -> list[EntityRecord]:
        return [e for e in self.store.entities(self.min_mentions) if e.type in PAGE_TYPES]

    def profile(self, entity_id: str) -> EntityProfile:
        record = self.store.entity(entity_id)
        by_day = self.store.mentions_per_day(entity_id, EPOCH, FUTURE, self.tz)
        articles = self._newest_articles(entity_id, sorted(by_day, reverse=True))
        quotes_by = [_quote(q, record.name)
                     for q in reversed(self.store.quotes_by(entity_id, EPOCH, FUTURE))]
        return EntityProfile(
            entity=record,
            mentions_by_day=list(by_day.items()),
            articles=articles,
            quotes_by=quotes_by[:MAX_PROFILE_QUOTES],
            quotes_about=[as_digest_quote(q, a) for a in articles for q in a.quotes
                          if q.speaker_id != entity_id and q.speaker][:MAX_PROFILE_QUOTES],
            related=self._related(entity_id, articles),
        )

    def _newest_articles(self, entity_id: str, days: list[date]) -> list[DigestArticle]:
        """The entity's articles from its latest days, a day at a time until enough: at most
        MAX_PROFILE_DAYS days, so that a page costs the same for a name of ten years."""
        found: list[DigestArticle] = []
        for day in [d for d in days if d in self.days()][:MAX_PROFILE_DAYS]:
            digest = self.digest(day)
            found.extend(sorted((a for s in digest.sections for a in s.articles
                                 if entity_id in a.entity_ids),
                                key=lambda a: (a.published, a.id), reverse=True))
            if len(found) >= MAX_PROFILE_ARTICLES:
                break
        return found[:MAX_PROFILE_ARTICLES]

    def _related(self, entity_id: str, articles: list[DigestArticle]) -> list[EntityCount]:
        """The entities most often named in the same articles, by their registry names."""
        shared = Counter(i for a in articles for i in dict.fromkeys(a.entity_ids)
                         if i and i != entity_id)
        related = []
        for other, count in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
            record = self.store.entity(other)
            if record and record.type in PAGE_TYPES:
                related.append(EntityCount(record.name, record.type, count, 0, record.id))
            if len(related) == MAX_RELATED:
                break
        return related


def _quote(record: QuoteRecord, speaker: str) -> DigestQuote:
    """A stored quote under its speaker's canonical name."""
    return DigestQuote(speaker, record.text, record.kind, record.article_title,
                       record.article_url, record.source, record.speaker_id)


def as_digest_quote(quote, article: DigestArticle) -> DigestQuote:
    return DigestQuote(quote.speaker, quote.text, quote.kind, article.title, article.url,
                       article.source, quote.speaker_id)
