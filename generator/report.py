"""Report: a week's or a month's monitoring report, assembled as data from its days' digests.

A report reads only digests (its own days, and the previous period's for the change in the
leaderboard), so it costs the same at any archive size. Orders are total, as in digest.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .model import Digest, DigestArticle, DigestQuote
from .periods import Period

MAX_TOP_ARTICLES = 10
MAX_QUOTED = 10
MAX_LEADERBOARD = 20


@dataclass
class Share:
    """One bar of a coverage chart: a name (an outlet, a section, a day) and its count."""

    name: str
    count: int


@dataclass
class LeaderboardRow:
    name: str
    type: str
    id: str
    articles: int  # articles of this period that mention it
    previous: int  # the same in the previous period

    @property
    def change(self) -> int:
        return self.articles - self.previous


@dataclass
class QuotedPerson:
    name: str
    id: str
    quotes: int
    example: DigestQuote  # a direct quote when there is one


@dataclass
class Report:
    period: Period
    days: list[date]  # the days that have articles
    article_count: int
    sources: list[str]
    top_articles: list[DigestArticle]
    quoted: list[QuotedPerson]
    leaderboard: list[LeaderboardRow]
    by_outlet: list[Share]
    by_section: list[Share]
    by_day: list[tuple[date, int]]  # every day of the period, with none as 0


def build_report(period: Period, digests: Sequence[Digest],
                 previous: Sequence[Digest] = ()) -> Report:
    """`digests`: the period's days; `previous`: the previous period's, for the trend."""
    digests = sorted(digests, key=lambda d: d.day)
    articles = [a for d in digests for s in d.sections for a in s.articles]
    per_day = {d.day: d.article_count for d in digests}
    return Report(
        period=period,
        days=[d.day for d in digests],
        article_count=len(articles),
        sources=sorted({s for d in digests for s in d.sources}),
        top_articles=main_articles(articles),
        quoted=most_quoted(articles),
        leaderboard=leaderboard(digests, previous),
        by_outlet=_shares(Counter(a.source for a in articles)),
        by_section=_shares(Counter(s.name for d in digests for s in d.sections
                                   for _ in s.articles)),
        by_day=[(day, per_day.get(day, 0)) for day in period.days()],
    )


def main_articles(articles: Sequence[DigestArticle]) -> list[DigestArticle]:
    """The articles most carried by other outlets, then most quoted, then with most entities:
    what stands in for the period's main stories until stories are clustered."""
    ranked = sorted(articles, key=lambda a: (-len(a.also_in), -len(a.quotes), -len(a.entity_ids),
                                             -a.published.timestamp(), a.id))
    return ranked[:MAX_TOP_ARTICLES]


def most_quoted(articles: Sequence[DigestArticle]) -> list[QuotedPerson]:
    """Named speakers (never role phrases) by how many quotes they have."""
    counts: Counter[str] = Counter()
    examples: dict[str, DigestQuote] = {}
    ids: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: (a.published, a.id)):
        for quote in article.quotes:
            if not quote.speaker or quote.unnamed:
                continue
            counts[quote.speaker] += 1
            ids.setdefault(quote.speaker, quote.speaker_id)
            if quote.speaker not in examples or (quote.kind == "direct"
                                                 and examples[quote.speaker].kind != "direct"):
                examples[quote.speaker] = DigestQuote(
                    quote.speaker, quote.text, quote.kind, article.title, article.url,
                    article.source, quote.speaker_id)
    ranked = sorted(counts, key=lambda name: (-counts[name], name))[:MAX_QUOTED]
    return [QuotedPerson(name, ids[name], counts[name], examples[name]) for name in ranked]


def leaderboard(digests: Sequence[Digest], previous: Sequence[Digest]) -> list[LeaderboardRow]:
    now, names = _entity_articles(digests)
    before, _ = _entity_articles(previous)
    ranked = sorted(now, key=lambda key: (-now[key], names[key], key))[:MAX_LEADERBOARD]
    return [LeaderboardRow(*names[key], key, now[key], before.get(key, 0)) for key in ranked]


def _entity_articles(digests: Sequence[Digest]) -> tuple[Counter[str], dict[str, tuple[str, str]]]:
    """Articles per entity id, and each id's (name, type)."""
    counts: Counter[str] = Counter()
    names: dict[str, tuple[str, str]] = {}
    for digest in digests:
        for entity in digest.entities:
            key = entity.id or f"{entity.type}:{entity.name}"
            counts[key] += entity.articles
            names.setdefault(key, (entity.name, entity.type))
    return counts, names


def _shares(counts: Counter[str]) -> list[Share]:
    return [Share(name, n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
