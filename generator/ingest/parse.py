"""Parse: feed bytes → articles. Runs in worker processes, so it is plain functions of plain data.

Feed text is untrusted: HTML is reduced to plain text here (scripts, styles and markup dropped),
so no later stage ever sees markup from a feed. The charset is taken from the HTTP header, the
XML declaration or detection, in that order of trust (see charset.py).
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import lxml.etree
import lxml.html

from ..model import Article, Limits, Source
from .addresses import url_problem
from .charset import to_utf8_xml
from .dates import clamp_to, parse_date
from .dedupe import simhash

TRACKING_PARAMS = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|yclid|_hsenc|_hsmi)$", re.I)
SKIPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "object", "head"}
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "hr", "pre",
}
RAW_DATE_KEYS = ("published", "updated", "created", "dc_date", "date")
BLOCK_TAG = re.compile(r"<(/?)(" + "|".join(sorted(BLOCK_TAGS)) + r")\b", re.IGNORECASE)
# Control characters and invisible format marks (bidi overrides, zero-width spaces, BOM) that
# feeds carry by accident or to disguise text; ZWNJ and ZWJ stay: they shape Persian and Urdu.
INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f"
                       "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
MAX_TITLE_CHARS = 500  # a headline; longer ones are cut, whatever the feed sends
MAX_REASONS = 5  # skipped entries named in a source's warning; the rest are counted


class EntryError(ValueError):
    """One entry cannot be stored; the message says why, and the entry is skipped."""


@dataclass
class ParsedFeed:
    articles: list[Article] = field(default_factory=list)
    error: str = ""  # the feed could not be read at all
    warning: str = ""  # malformed, but some entries were kept
    skipped: list[str] = field(default_factory=list)  # "entry N: why", one per entry left out
    over_limit: int = 0  # entries past limits.entries_per_feed
    cut: int = 0  # articles whose text was cut to limits.article_chars

    def notes(self) -> str:
        """What a source's report says about entries left out or cut; "" when none were."""
        notes = [self.warning] if self.warning else []
        if self.skipped:
            shown = "; ".join(self.skipped[:MAX_REASONS])
            more = f" (and {len(self.skipped) - MAX_REASONS} more)" if len(self.skipped) > MAX_REASONS else ""
            notes.append(f"skipped {len(self.skipped)} entries: {shown}{more}")
        if self.over_limit:
            notes.append(f"{self.over_limit} entries past limits.entries_per_feed skipped")
        if self.cut:
            notes.append(f"{self.cut} texts cut to limits.article_chars")
        return "; ".join(notes)


def parse_feed(data: bytes, source: Source, fetched: datetime,
               headers: Mapping[str, str] | None = None, limits: Limits = Limits()) -> ParsedFeed:
    """Every entry feedparser could read; a malformed feed keeps what it could and warns.

    feedparser gets the response headers too (content location and language), with the charset
    made UTF-8: the bytes were decoded here, by the header, the declaration or detection.
    An entry that cannot be read is skipped with its reason; it never costs the others."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = headers.get("content-type")
    headers["content-type"] = (content_type or "application/xml").split(";")[0] + "; charset=utf-8"
    result = ParsedFeed()
    try:
        # No sanitizing here: html_to_text keeps text only, which is both safer and faster.
        parsed = feedparser.parse(to_utf8_xml(data, content_type), response_headers=headers,
                                  sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 (a parser bug on hostile bytes is this feed's failure)
        result.error = f"not a readable feed: {type(exc).__name__}: {one_line(str(exc))}"
        return result
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS or Atom feed found"
        result.error = f"not a readable feed: {one_line(str(reason))}"
        return result
    if parsed.bozo:
        result.warning = f"malformed feed, kept {len(parsed.entries)} entries: " + one_line(
            str(parsed.get("bozo_exception", ""))
        )
    entries = parsed.entries[:limits.entries_per_feed]
    result.over_limit = len(parsed.entries) - len(entries)
    for number, entry in enumerate(entries, start=1):
        try:
            article = entry_to_article(entry, source, fetched, limits)
        except Exception as exc:  # noqa: BLE001 (whatever one entry holds, the others are kept)
            reason = str(exc) if isinstance(exc, EntryError) else f"{type(exc).__name__}: {exc}"
            result.skipped.append(f"entry {number}: {one_line(reason)}")
            continue
        if article is not None:
            result.cut += len(article.text) >= limits.article_chars
            result.articles.append(article)
    return result


def entry_to_article(entry, source: Source, fetched: datetime,
                     limits: Limits = Limits()) -> Article | None:
    title = html_to_text(entry.get("title", ""))[:MAX_TITLE_CHARS]
    text = html_to_text(_entry_html(entry))[:limits.article_chars]  # exactly at the limit: cut
    if not title and not text:
        return None
    url = _entry_url(entry)
    guid = str(entry.get("id", "")).strip()
    published = clamp_to(_entry_time(entry) or fetched, fetched)
    return Article(
        id=article_id(url, guid, title, published),
        source=source.name,
        section=source.section,
        url=url,
        title=title or _first_words(text),
        published=published,
        fetched=fetched,
        author=html_to_text(entry.get("author", "")),
        text=text,
        content_hash=content_hash(title, text),
        guid=guid,
        signature=simhash(text),
    )


def article_id(url: str, guid: str, title: str, published: datetime) -> str:
    """From the canonical URL; without one, from the GUID; without that, title and day."""
    if url:
        identity = canonical_url(url)
    elif guid:
        identity = f"guid:{guid}"
    else:
        identity = f"title:{' '.join(title.split())}|{published.date()}"
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, text: str) -> str:
    return hashlib.sha1(f"{title}\n{text}".encode("utf-8")).hexdigest()


def _entry_html(entry) -> str:
    """The richest body the entry has: full content first, then the summary."""
    contents = [c.get("value", "") for c in entry.get("content", [])]
    best = max(contents, key=len, default="")
    summary = entry.get("summary", "")
    return best if len(best) >= len(summary) else summary


def _entry_url(entry) -> str:
    """The entry's link when it is http(s); links with other schemes are never kept, and an
    http(s) link that is no valid URL (a broken IPv6 host, a port out of range) is an error."""
    for candidate in (entry.get("link", ""), entry.get("id", "")):
        candidate = str(candidate).strip()
        if candidate.lower().startswith(("http:", "https:")):
            if problem := url_problem(candidate):
                raise EntryError(f"link {candidate[:100]!r}: {problem}")
            return candidate
    return ""


def _entry_time(entry) -> datetime | None:
    """feedparser's own reading first; then our reading of the raw text (Arabic months, digits).

    A time that does not exist once converted to UTC (year 0 or 10000) is no time."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain lookup: feedparser's aliases warn and mix the two
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
            except (ValueError, OverflowError, OSError):
                continue
    for key in RAW_DATE_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and (when := parse_date(value)):
            return when
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


def one_line(text: str) -> str:
    """An error message from a library, fit for one line of Marsad's output."""
    return " ".join(text.split())[:200]


# --- HTML to plain text --------------------------------------------------------------------


def html_to_text(html: str) -> str:
    """Plain text, one paragraph a line; scripts, styles, control and invisible marks removed."""
    html = INVISIBLE.sub("", html)
    text = _markup_text(html) if "<" in html or "&" in html else html
    lines = (" ".join(line.split()) for line in INVISIBLE.sub("", text).split("\n"))
    return "\n".join(line for line in lines if line)


def _markup_text(html: str) -> str:
    """lxml's text of the fragment, with a line break before every block element."""
    marked = BLOCK_TAG.sub(lambda m: f"\n<{m.group(1)}{m.group(2)}", html)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*SKIPPED_TAGS)):
        element.drop_tree()
    return root.text_content()
