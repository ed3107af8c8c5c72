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
class FetchPolicy:
    """How politely and how far ingest fetches (`http:` in marsad.yml)."""

    per_host: int = 2
    total: int = 64
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_retry_after: float = 60.0
    request_timeout: float = 120.0  # one URL, all its redirects and retries: a trickle ends
    allow_private: bool = False  # loopback, private and link-local addresses (ingest/addresses.py)


@dataclass(frozen=True)
class AnalysisSettings:
    """How `marsad analyze` spreads its work (`analysis:` in marsad.yml)."""

    workers: int = 1  # processes on this machine (the configuration's default: every core)
    device: str = "auto"  # where the BERT backend runs: auto (a GPU when there is one), cpu, cuda
    cluster: str = ""  # a Dask scheduler's address: analyze on that cluster instead


@dataclass(frozen=True)
class Source:
    """A feed to monitor: an http(s) URL or a local file path."""

    name: str
    url: str
    section: str
    language: str = "ar"
    fulltext: str = "auto"  # auto: fetch the page when the entry is a teaser; always; never
    allow_private: bool = False  # its own origin may be a private address (an intranet feed)


@dataclass(frozen=True)
class Limits:
    """Bounds on what one run takes in and puts out; passing one is reported, never fatal."""

    ingest_minutes: float = 30.0  # the whole ingest of one run; unfinished sources fail
    entries_per_feed: int = 500  # read from one feed in one run, in feed order
    article_chars: int = 100_000  # of an article's text; the rest is cut
    quotes_per_article: int = 50
    articles_per_page: int = 300  # of one digest page, newest first


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
class SourceState:
    """What Marsad remembers of a source between runs: caching validators and health."""

    name: str
    url: str = ""  # the configured URL these validators belong to
    moved_to: str = ""  # where a permanent redirect sent it: fetched instead of `url`
    etag: str = ""
    last_modified: str = ""
    body_hash: str = ""
    last_success: datetime | None = None
    last_error: str = ""
    last_error_kind: str = ""
    last_error_at: datetime | None = None
    failures: int = 0  # consecutive
    penalty: float = 0.0  # sum of the scores of the consecutive failures
    next_attempt: datetime | None = None


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
    guid: str = ""
    signature: int = 0  # SimHash of the normalized text, for near-duplicates across outlets
    duplicate_of: str = ""  # id of the first article seen with the same wire text


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
    id: str = ""  # the registry's id once linked; from the analyzer: type + normalized name


@dataclass
class Quote:
    speaker: str  # canonical name, or the role phrase when no name is given; "" if unknown
    text: str
    kind: QuoteKind
    start: int  # span of the quoted words in the analyzed text
    end: int
    verb: str = ""  # the reporting verb as written
    speaker_id: str = ""  # the speaker's entity id ("" for a role phrase or unknown speaker)
    unnamed: bool = False  # the speaker is a role phrase (مصدر دبلوماسي), not a name
    sentence: int = 0  # index of the sentence the quote starts in
    confidence: float = 1.0  # how sure the attribution is, 0..1


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
                Entity(e["name"], e["type"], [Mention(**m) for m in e["mentions"]], e.get("id", ""))
                for e in data["entities"]
            ],
            quotes=[Quote(**q) for q in data["quotes"]],
            summary=list(data["summary"]),
        )


# --- the entity registry: what the store knows of an entity across the whole archive ---------


@dataclass
class EntityRecord:
    """One entity of the registry: its id lasts for the life of the archive."""

    id: str
    name: str  # canonical: the fullest common form (a watchlist's name when it is watched)
    type: EntityType
    aliases: dict[str, int]  # each name it went by -> articles that named it so, most first
    first_seen: datetime | None  # None: watched, never seen yet
    last_seen: datetime | None
    mentions: int
    articles: int = 0
    watched: bool = False


@dataclass
class QuoteRecord:
    """A stored quote with where it was published, as entity queries return it."""

    article_id: str
    speaker_id: str
    speaker: str  # as the analyzer named the speaker
    text: str
    kind: QuoteKind
    verb: str
    published: datetime
    article_title: str
    article_url: str
    source: str


@dataclass
class LinkedEntity:
    """One entity of an article as the linker resolved it."""

    entity_id: str
    alias: str  # the name the article gives it
    mentions: list[Mention]


@dataclass
class ArticleLinks:
    """What the linker decided for one article: written to the store's query tables."""

    article_id: str
    published: datetime
    entities: list[LinkedEntity]
    quotes: list[Quote]
    speaker_ids: list[str]  # per quote, in order; "" when unnamed or unknown


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
    also_in: list[str] = field(default_factory=list)  # other outlets that carried the same text
    entity_ids: list[str] = field(default_factory=list)  # every entity's id ("" if none), as ranked


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
    speaker_id: str = ""  # the speaker's registry id; "" for a role phrase


@dataclass
class EntityCount:
    name: str
    type: EntityType
    articles: int  # how many of the day's articles mention it
    mentions: int
    id: str = ""  # registry id


@dataclass
class Digest:
    day: date
    sections: list[DigestSection]
    quotes: list[DigestQuote]
    entities: list[EntityCount]
    sources: list[str]
    left_out: int = 0  # articles of the day past limits.articles_per_page

    @property
    def article_count(self) -> int:
        return sum(len(s.articles) for s in self.sections)
