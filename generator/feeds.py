"""Atom feeds (feedgen): the daily digests, and each watchlist's articles.

Feed text goes in as text (feedgen escapes it for XML); links are only http(s). A feed's
`updated` is its newest entry's date, never the moment of the build, so feeds are byte-identical
for the same store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from feedgen.feed import FeedGenerator

from .arabic_numbers import count
from .model import Digest, DigestArticle, Watchlist


def digests_feed(digests: Sequence[Digest], site, digest_path: Callable[[date], str]) -> bytes:
    """The newest digests, newest first; each entry links to its page."""
    feed = _feed(site, f"{site.title}: الموجز اليومي", "feeds/digests.xml", "digests")
    for digest in sorted(digests, key=lambda d: d.day, reverse=True):
        entry = feed.add_entry(order="append")
        page = _page_url(site, digest_path(digest.day))
        entry.id(page if site.site_url else f"urn:marsad:digest:{digest.day.isoformat()}")
        entry.title(f"موجز {digest.day.isoformat()}")
        entry.link(href=page)
        entry.updated(datetime.combine(digest.day, time(), tzinfo=site.tz))
        headlines = [a.title for s in digest.sections for a in s.articles][:10]
        entry.summary(f"{count(digest.article_count, 'article')} من "
                      f"{count(len(digest.sources), 'source')}: " + " · ".join(headlines))
    _set_updated(feed, [datetime.combine(d.day, time(), tzinfo=site.tz) for d in digests])
    return feed.atom_str(pretty=True)


def watchlist_feed(watchlist: Watchlist, articles: Sequence[DigestArticle], site,
                   path: str) -> bytes:
    """The newest articles that name the list's entities or keywords."""
    feed = _feed(site, f"{site.title}: {watchlist.name}", path, f"watchlist:{watchlist.name}")
    from .render import clean_url

    for article in sorted(articles, key=lambda a: (a.published, a.id), reverse=True):
        entry = feed.add_entry(order="append")
        entry.id(f"urn:marsad:article:{article.id}")
        entry.title(article.title)
        url = clean_url(article.url)
        if url:
            entry.link(href=url)
        entry.updated(article.published)
        entry.author(name=article.source)
        entry.summary(" ".join(article.summary) or article.title)
    _set_updated(feed, [a.published for a in articles])
    return feed.atom_str(pretty=True)


def _feed(site, title: str, path: str, key: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(_page_url(site, path) if site.site_url else f"urn:marsad:{key}")
    feed.title(title)
    feed.language("ar")
    feed.link(href=_page_url(site, path), rel="self")
    if site.site_url:
        feed.link(href=site.site_url, rel="alternate")
    return feed


def _set_updated(feed: FeedGenerator, moments: list[datetime]) -> None:
    feed.updated(max(moments) if moments else datetime(1970, 1, 1).astimezone())


def _page_url(site, path: str) -> str:
    """The page's address: absolute under site_url, else relative to the feeds/ folder."""
    directory = path[:-3] + "/" if path.endswith(".md") else path
    if directory.endswith("index/"):
        directory = directory[: -len("index/")]
    return (site.site_url + directory) if site.site_url else "../" + directory
