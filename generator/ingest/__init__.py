"""Ingest: read each source's feed (RSS 2.0, RSS 1.0, Atom) and turn its entries into articles.

Feed text is untrusted: HTML is reduced to plain text here (scripts, styles and markup dropped),
so no later stage ever sees markup from a feed.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from .. import __version__
from ..model import Article, Source

USER_AGENT = f"Marsad/{__version__} (+https://github.com/marsad-news/marsad; media monitoring)"
MAX_FEED_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20
TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid)$", re.I)
SKIPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "object", "head"}
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "hr", "pre",
}


class FeedError(Exception):
    """A source could not be read; the message is one line naming what went wrong."""


@dataclass
class SourceResult:
    source: Source
    articles: list[Article] = field(default_factory=list)
    error: str = ""
    warning: str = ""


# --- fetching ------------------------------------------------------------------------------


def fetch(source: Source, max_bytes: int = MAX_FEED_BYTES, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The feed's bytes, from an http(s) URL or a local file; anything else is refused."""
    scheme = urlsplit(source.url).scheme.lower()
    if scheme in ("http", "https"):
        return _fetch_http(source.url, max_bytes, timeout)
    if scheme and len(scheme) > 1:
        raise FeedError(f"refused URL scheme {scheme!r}: only http(s) and local files")
    return _read_file(Path(source.url), max_bytes)


def _fetch_http(url: str, max_bytes: int, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if urlsplit(response.url).scheme.lower() not in ("http", "https"):
                raise FeedError(f"redirected outside http(s): {response.url}")
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FeedError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FeedError(f"cannot connect: {exc.reason}") from None
    except TimeoutError:
        raise FeedError(f"timed out after {timeout:g} s") from None
    except OSError as exc:
        raise FeedError(f"network error: {exc}") from None
    if len(body) > max_bytes:
        raise FeedError(f"feed larger than {max_bytes // (1024 * 1024)} MB")
    return body


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        if path.stat().st_size > max_bytes:
            raise FeedError(f"{path}: larger than {max_bytes // (1024 * 1024)} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise FeedError(f"{path}: file not found") from None
    except OSError as exc:
        raise FeedError(f"{path}: cannot read ({exc.strerror})") from None


# --- parsing -------------------------------------------------------------------------------


def parse_feed(data: bytes, source: Source, fetched: datetime) -> SourceResult:
    """Every entry feedparser could read; a malformed feed keeps what it could and warns."""
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    result = SourceResult(source)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS or Atom feed found"
        result.error = f"not a readable feed: {_one_line(str(reason))}"
        return result
    if parsed.bozo:
        result.warning = f"malformed feed, kept {len(parsed.entries)} entries: " + _one_line(
            str(parsed.get("bozo_exception", ""))
        )
    base_url = parsed.feed.get("link", "")
    for entry in parsed.entries:
        article = entry_to_article(entry, source, fetched, base_url)
        if article is not None:
            result.articles.append(article)
    return result


def entry_to_article(entry, source: Source, fetched: datetime, base_url: str = "") -> Article | None:
    title = html_to_text(entry.get("title", ""))
    text = html_to_text(_entry_html(entry))
    if not title and not text:
        return None
    url = _entry_url(entry)
    published = _entry_time(entry) or fetched
    identity = canonical_url(url) if url else f"{entry.get('id', '')}|{title}|{published.date()}"
    return Article(
        id=hashlib.sha1(identity.encode("utf-8")).hexdigest()[:16],
        source=source.name,
        section=source.section,
        url=url,
        title=title or _first_words(text),
        published=min(published, fetched),
        fetched=fetched,
        author=html_to_text(entry.get("author", "")),
        text=text,
        content_hash=hashlib.sha1(f"{title}\n{text}".encode("utf-8")).hexdigest(),
    )


def _entry_html(entry) -> str:
    """The richest body the entry has: full content first, then the summary."""
    contents = [c.get("value", "") for c in entry.get("content", [])]
    best = max(contents, key=len, default="")
    summary = entry.get("summary", "")
    return best if len(best) >= len(summary) else summary


def _entry_url(entry) -> str:
    """The entry's link when it is http(s); links with other schemes are never kept."""
    for candidate in (entry.get("link", ""), entry.get("id", "")):
        if urlsplit(candidate).scheme.lower() in ("http", "https"):
            return candidate.strip()
    return ""


def _entry_time(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    return None


def canonical_url(url: str) -> str:
    """One spelling per article: lower-case scheme and host, no fragment, no tracking params."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


def _first_words(text: str, count: int = 12) -> str:
    return " ".join(text.split()[:count])


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


# --- HTML to plain text --------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text, one paragraph a line; control and invisible format characters removed."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = "".join(ch for ch in text if ch in "\n" or unicodedata.category(ch) not in ("Cc", "Cf")
                   or ch in "\u200c\u200d")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --- the stage -----------------------------------------------------------------------------


def ingest_sources(
    sources: Iterable[Source],
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> Iterable[SourceResult]:
    """Read each source in turn; one failing source never stops the others."""
    for source in sources:
        fetched = now().replace(microsecond=0)
        try:
            data = fetch(source)
        except FeedError as exc:
            yield SourceResult(source, error=str(exc))
            continue
        yield parse_feed(data, source, fetched)
