"""Plain data exchanged between the stages.

Every stage reads and writes these dataclasses; none of them knows about SQL, Jinja or files,
so a stage can be tested with values built by hand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Literal

EntityType = Literal["PER", "LOC", "ORG", "MISC"]
QuoteKind = Literal["direct", "indirect"]
ENTITY_TYPES: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC")


@dataclass(frozen=True)
class Source:
    """A feed to monitor: an http(s) URL or a local file path."""

    name: str
    url: str
    section: str
    language: str = "ar"


@dataclass(frozen=True)
class WatchEntity:
    """An entity the user cares about; its name and aliases always win over recognition."""

    name: str
    type: EntityType = "PER"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    name: str
    entities: tuple[WatchEntity, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass
class Article:
    """One feed entry, its text plain and sanitized. `id` derives from the canonical URL."""

    id: str
    source: str
    section: str
    url: str
    title: str
    published: datetime  # UTC, timezone-aware
    fetched: datetime  # UTC, timezone-aware
    author: str
    text: str
    content_hash: str


@dataclass(frozen=True)
class Mention:
    """A span of the analyzed text; `start`/`end` are character offsets into it."""

    text: str
    start: int
    end: int


@dataclass
class Entity:
    name: str  # canonical form
    type: EntityType
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Quote:
    speaker: str  # canonical name, or the role phrase when no name is given; "" if unknown
    text: str
    kind: QuoteKind
    start: int  # span of the quoted words in the analyzed text
    end: int
    verb: str = ""  # the reporting verb as written


@dataclass
class Analysis:
    """What the analyzer found in one text; the JSON of `marsad extract` is `to_dict()`."""

    sentences: list[str]
    entities: list[Entity]
    quotes: list[Quote]
    summary: list[str]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Analysis:
        return cls(
            sentences=list(data["sentences"]),
            entities=[
                Entity(e["name"], e["type"], [Mention(**m) for m in e["mentions"]])
                for e in data["entities"]
            ],
            quotes=[Quote(**q) for q in data["quotes"]],
            summary=list(data["summary"]),
        )


# --- the digest: assembled completely as data before anything is rendered ---------------


@dataclass
class DigestArticle:
    id: str
    title: str
    url: str
    source: str
    published: datetime  # in the digest's timezone
    summary: list[str]
    quotes: list[Quote]
    entities: list[str]  # canonical names, most mentioned first


@dataclass
class DigestSection:
    name: str
    articles: list[DigestArticle]


@dataclass
class DigestQuote:
    speaker: str
    text: str
    kind: QuoteKind
    article_title: str
    article_url: str
    source: str


@dataclass
class EntityCount:
    name: str
    type: EntityType
    articles: int  # how many of the day's articles mention it
    mentions: int


@dataclass
class Digest:
    day: date
    sections: list[DigestSection]
    quotes: list[DigestQuote]
    entities: list[EntityCount]
    sources: list[str]

    @property
    def article_count(self) -> int:
        return sum(len(s.articles) for s in self.sections)
