"""Digest: assemble one day's monitoring report as plain data, before anything is written.

Days are cut in the configured timezone. All orders are total (ties broken by names and ids)
so that the same store always gives the same digest, and so byte-identical pages.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .model import (
    ENTITY_TYPES, Analysis, Article, Digest, DigestArticle, DigestSection, DigestStory,
    DigestWatchlist, EntityCount, Watchlist,
)
from .stories import story_id, window_start
from .summarize import headline, key_quotes, summarize_story
from .trends import daily_mentions, rising_entities
from .watch import WatchRule, matching_watchlists, watch_rules

MAX_DAY_QUOTES = 12
MAX_DAY_ENTITIES = 15
MAX_ARTICLE_ENTITIES = 8
MAX_TOP_PER_TYPE = 5


@dataclass
class Archive:
    """What a day's digest needs from the other days: stories, their timelines, trends."""

    by_story: dict[str, list[tuple[Article, Analysis]]]
    timelines: dict[str, Counter[date]]  # articles per local day, copies included
    story_of: dict[str, str]  # article id -> story id
    mentions: dict[str, Counter[date]]  # entity id -> articles per day
    first_day: date
    rules: list[WatchRule]
    since: date | None = None  # a story's history starts here; default: its window's start


def build_digests(
    items: Iterable[tuple[Article, Analysis]],
    tz: ZoneInfo,
    section_order: Sequence[str] = (),
    outlets: Mapping[str, list[str]] | None = None,
    max_articles: int | None = None,
    watchlists: Sequence[Watchlist] = (),
    stories: Mapping[str, tuple[str, date]] | None = None,
) -> list[Digest]:
    """One digest per local day that has articles, oldest first, from linked analyses (entities
    and speakers under their registry ids), all days in memory (the pipeline reads a day and its
    context from the store instead: see `Archive`); each with its newest `max_articles`
    articles (limits.articles_per_page), the others counted as left out. `outlets` names, per
    article id, the other outlets that carried a copy of its text; `stories` gives each
    article's story and day (an article in none is a story of its own)."""
    days = _by_day(items, tz)
    archive = _archive(days, stories or {}, watch_rules(watchlists))
    return [build_digest(day, days[day], tz, section_order, outlets or {}, max_articles, archive)
            for day in days]


def period_archive(items: Iterable[tuple[Article, Analysis]], tz: ZoneInfo,
                   stories: Mapping[str, tuple[str, date]], rules: list[WatchRule]) -> Archive:
    """A period (a week, a month) told as one digest of its last day: its stories' histories
    start with the period, not a week before that day."""
    days = _by_day(items, tz)
    return replace(_archive(days, stories, rules), since=min(days, default=None))


def _by_day(items: Iterable[tuple[Article, Analysis]], tz: ZoneInfo
            ) -> dict[date, list[tuple[Article, Analysis]]]:
    by_day: dict[date, list[tuple[Article, Analysis]]] = defaultdict(list)
    for article, analysis in items:
        by_day[article.published.astimezone(tz).date()].append((article, analysis))
    return {day: by_day[day] for day in sorted(by_day)}


def _archive(days: Mapping[date, list[tuple[Article, Analysis]]],
             stories: Mapping[str, tuple[str, date]], rules: list[WatchRule]) -> Archive:
    story_of: dict[str, str] = {}
    by_story: dict[str, list[tuple[Article, Analysis]]] = defaultdict(list)
    timelines: dict[str, Counter[date]] = defaultdict(Counter)
    for day, items in days.items():
        for article, analysis in items:
            story = stories[article.id][0] if article.id in stories else story_id(article.id)
            story_of[article.id] = story
            by_story[story].append((article, analysis))
            if article.id not in stories:
                timelines[story][day] += 1
    for story, day in stories.values():
        timelines[story][day] += 1
    return Archive(dict(by_story), dict(timelines), story_of, daily_mentions(days),
                   min(days, default=date.min), rules)


def build_digest(
    day: date,
    items: Sequence[tuple[Article, Analysis]],
    tz: ZoneInfo,
    section_order: Sequence[str] = (),
    outlets: Mapping[str, list[str]] | None = None,
    max_articles: int | None = None,
    archive: Archive | None = None,
) -> Digest:
    """The digest of `day`, of its newest `max_articles` articles; without an archive, its
    articles are the only days it knows."""
    ranked = sorted(items, key=lambda pair: (-pair[0].published.timestamp(), pair[0].id))
    items = ranked[:max_articles]
    archive = archive or _archive({day: list(items)}, {}, [])
    outlets = outlets or {}
    entries = {article.id: _digest_article(article, analysis, tz, outlets)
               for article, analysis in items}
    leaderboard = _leaderboard(items)
    names = {e.id: (e.name, e.type) for e in leaderboard if e.id}
    rising = rising_entities(archive.mentions, day, archive.first_day, names)
    matches = {a.id: matching_watchlists(archive.rules, a, n) for a, n in items}
    stories = _stories(day, items, tz, entries, archive, {t.id for t in rising}, matches)
    return Digest(
        day=day,
        sections=_sections(items, entries, section_order),
        quotes=key_quotes(items, MAX_DAY_QUOTES),
        entities=leaderboard[:MAX_DAY_ENTITIES],
        sources=sorted({article.source for article, _ in items}),
        left_out=len(ranked) - len(items),
        stories=stories,
        rising=rising,
        top_entities=_top_by_type(leaderboard),
        watchlists=[DigestWatchlist(rule.name, [s for s in stories if rule.name in s.watchlists],
                                    [entries[a.id] for a, _ in items if rule.name in matches[a.id]])
                    for rule in archive.rules],
    )


def _stories(day: date, items, tz: ZoneInfo, entries: Mapping[str, DigestArticle],
             archive: Archive, rising: set[str],
             matches: Mapping[str, list[str]]) -> list[DigestStory]:
    """The day's stories, best first (see `story_score`)."""
    today: dict[str, list[tuple[Article, Analysis]]] = defaultdict(list)
    for article, analysis in items:  # newest first
        today[archive.story_of.get(article.id) or story_id(article.id)].append((article, analysis))
    start = archive.since or window_start(day)
    stories = []
    for story, own in today.items():
        history = [(a, n) for a, n in archive.by_story.get(story, own)
                   if start <= a.published.astimezone(tz).date() <= day] or own
        history.sort(key=lambda pair: (pair[0].published, pair[0].id))
        title, url = headline(history)
        counts = archive.timelines.get(story) or Counter({day: len(own)})
        timeline = sorted((d, n) for d, n in counts.items() if d <= day)
        articles = [entries[a.id] for a, _ in own]
        ids = {e.id for _, analysis in history for e in analysis.entities}
        digest_story = DigestStory(
            id=story, headline=title, url=url, summary=summarize_story(history),
            quotes=key_quotes(history), entities=_story_entities(history),
            outlets=_outlets(articles), articles=articles,
            first_seen=timeline[0][0] if timeline else day, last_seen=day, timeline=timeline,
            new=not timeline or timeline[0][0] == day,
            developing=bool(timeline) and timeline[0][0] < day, score=0.0,
            watchlists=[r.name for r in archive.rules
                        if any(r.name in matches[a.id] for a, _ in own)],
            rising=sorted(t for t in _names_of(history, ids & rising)))
        digest_story.score = story_score(digest_story, day, tz)
        stories.append(digest_story)
    stories.sort(key=lambda s: (-s.score, -len(s.articles), s.headline, s.id))
    return stories


def story_score(story: DigestStory, day: date, tz: ZoneInfo) -> float:
    """Distinct outlets, plus growth against the 3 days before (log2 of the ratio), plus 2 per
    watchlist matched, plus recency (the newest article's hour as a share of the day)."""
    counts = dict(story.timeline)
    before = [counts.get(day - timedelta(days=k), 0) for k in (1, 2, 3)]
    growth = math.log2((counts.get(day, len(story.articles)) + 1) / (sum(before) / 3 + 1))
    newest = max(a.published for a in story.articles)
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    recency = min(max((newest - midnight).total_seconds() / 86400, 0.0), 1.0)
    return round(len(story.outlets) + growth + 2 * len(story.watchlists) + recency, 6)


def _outlets(articles: Sequence[DigestArticle]) -> list[str]:
    names: list[str] = []
    for article in sorted(articles, key=lambda a: (a.published, a.id)):
        for name in (article.source, *article.also_in):
            if name not in names:
                names.append(name)
    return names


def _story_entities(history) -> list[str]:
    articles: Counter[str] = Counter()
    for _, analysis in history:
        articles.update({e.name for e in analysis.entities})
    ranked = sorted(articles, key=lambda name: (-articles[name], name))
    return ranked[:MAX_ARTICLE_ENTITIES]


def _names_of(history, ids: set[str]) -> set[str]:
    return {e.name for _, analysis in history for e in analysis.entities if e.id in ids}


def _top_by_type(leaderboard: Sequence[EntityCount]) -> dict[str, list[EntityCount]]:
    grouped: dict[str, list[EntityCount]] = {}
    for kind in ENTITY_TYPES:
        top = [e for e in leaderboard if e.type == kind][:MAX_TOP_PER_TYPE]
        if top:
            grouped[kind] = top
    return grouped


def _sections(items, entries: Mapping[str, DigestArticle],
              section_order: Sequence[str]) -> list[DigestSection]:
    grouped: dict[str, list[DigestArticle]] = defaultdict(list)
    for article, _ in items:
        grouped[article.section].append(entries[article.id])
    rank = {name: i for i, name in enumerate(section_order)}
    names = sorted(grouped, key=lambda name: (rank.get(name, len(rank)), name))
    return [DigestSection(name, grouped[name]) for name in names]


def _digest_article(article: Article, analysis: Analysis, tz: ZoneInfo,
                    outlets: Mapping[str, list[str]]) -> DigestArticle:
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
        also_in=list(outlets.get(article.id, [])),
    )


def _leaderboard(items) -> list[EntityCount]:
    """Entities by how many of the day's articles mention them, then by mentions."""
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
