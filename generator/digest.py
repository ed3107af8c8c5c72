"""Digest: assemble one day's monitoring report as plain data, before anything is written.

Days are cut in the configured timezone. All orders are total (ties broken by names and ids)
so that the same store always gives the same digest, and so byte-identical pages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from .model import (
    Analysis, Article, Digest, DigestArticle, DigestQuote, DigestSection, EntityCount,
)

MAX_DAY_QUOTES = 12
MAX_ARTICLE_ENTITIES = 8


def build_digests(
    items: Iterable[tuple[Article, Analysis]],
    tz: ZoneInfo,
    section_order: Sequence[str] = (),
    outlets: Mapping[str, list[str]] | None = None,
    max_articles: int | None = None,
) -> list[Digest]:
    """One digest per local day that has articles, oldest first, from linked analyses (entities
    and speakers under their registry ids); each with its newest `max_articles` articles
    (limits.articles_per_page), the others counted as left out. `outlets` names, per article
    id, the other outlets that carried a copy of its text."""
    by_day: dict[date, list[tuple[Article, Analysis]]] = defaultdict(list)
    for article, analysis in items:
        by_day[article.published.astimezone(tz).date()].append((article, analysis))
    return [build_digest(day, by_day[day], tz, section_order, outlets or {}, max_articles)
            for day in sorted(by_day)]


def build_digest(
    day: date,
    items: Sequence[tuple[Article, Analysis]],
    tz: ZoneInfo,
    section_order: Sequence[str] = (),
    outlets: Mapping[str, list[str]] | None = None,
    max_articles: int | None = None,
) -> Digest:
    ranked = sorted(items, key=lambda pair: (-pair[0].published.timestamp(), pair[0].id))
    items = ranked[:max_articles]
    return Digest(
        day=day,
        sections=_sections(items, tz, section_order, outlets or {}),
        quotes=_day_quotes(items),
        entities=_leaderboard(items),
        sources=sorted({article.source for article, _ in items}),
        left_out=len(ranked) - len(items),
    )


def _sections(items, tz: ZoneInfo, section_order: Sequence[str],
              outlets: Mapping[str, list[str]]) -> list[DigestSection]:
    grouped: dict[str, list[DigestArticle]] = defaultdict(list)
    for article, analysis in items:
        entry = _digest_article(article, analysis, tz)
        entry.also_in = list(outlets.get(article.id, []))
        grouped[article.section].append(entry)
    rank = {name: i for i, name in enumerate(section_order)}
    names = sorted(grouped, key=lambda name: (rank.get(name, len(rank)), name))
    return [DigestSection(name, grouped[name]) for name in names]


def _digest_article(article: Article, analysis: Analysis, tz: ZoneInfo) -> DigestArticle:
    ranked = sorted(analysis.entities, key=lambda e: (-len(e.mentions), e.name))
    return DigestArticle(
        id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        published=article.published.astimezone(tz),
        summary=analysis.summary,
        quotes=[q for q in analysis.quotes if q.speaker],
        entities=[e.name for e in ranked[:MAX_ARTICLE_ENTITIES]],
        entity_ids=[e.id for e in ranked],
    )


def _day_quotes(items) -> list[DigestQuote]:
    """Attributed quotes, each text once: direct before indirect, newest articles first, and
    every speaker's first quote before anyone's second, so that one voice cannot fill the list."""
    seen: set[str] = set()
    quotes: list[tuple[bool, int, DigestQuote]] = []
    for order, (article, analysis) in enumerate(items):
        for quote in analysis.quotes:
            key = " ".join(quote.text.split())
            if not quote.speaker or key in seen:
                continue
            seen.add(key)
            entry = DigestQuote(quote.speaker, quote.text, quote.kind, article.title,
                                article.url, article.source, quote.speaker_id)
            quotes.append((quote.kind != "direct", order, entry))
    quotes.sort(key=lambda item: item[:2])
    turn: Counter[str] = Counter()
    ranked = []
    for position, (_, _, entry) in enumerate(quotes):
        turn[entry.speaker] += 1
        ranked.append((turn[entry.speaker], position, entry))
    ranked.sort(key=lambda item: item[:2])
    return [entry for _, _, entry in ranked[:MAX_DAY_QUOTES]]


def _leaderboard(items) -> list[EntityCount]:
    """Every entity of the day, by how many articles mention it, then by mentions (pages show
    the first few; reports add the days up)."""
    articles: Counter[tuple[str, str, str]] = Counter()
    mentions: Counter[tuple[str, str, str]] = Counter()
    for _, analysis in items:
        for entity in analysis.entities:
            key = (entity.name, entity.type, entity.id)
            articles[key] += 1
            mentions[key] += len(entity.mentions)
    ranked = sorted(articles, key=lambda key: (-articles[key], -mentions[key], key))
    return [EntityCount(name, kind, articles[key], mentions[key], id_)
            for key in ranked for name, kind, id_ in [key]]
