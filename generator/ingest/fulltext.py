"""Full text: when a feed only gives a teaser, the article page's main text, without boilerplate.

trafilatura finds the main text (related-article lists, share buttons and cookie banners stay
out). A paywall or consent wall is recognised, and then the feed's own text is kept: a wall's
"subscribe to read" is not the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import lxml.html
import trafilatura
from trafilatura.deduplication import LRU_SIZE, LRUCache
from trafilatura.settings import Extractor
from htmldate import find_date

TEASER_WORDS = 80
WALL_MARKERS = re.compile(
    r"paywall|subscribe to (continue|read)|subscribers only|premium-content|"
    r"consent-wall|cookie-wall|accept (all )?cookies to|"
    r"اشترك (الآن )?ل(مواصلة|متابعة|قراءة)|للمشتركين فقط|هذا المحتوى (متاح )?للمشتركين|"
    r"سجّ?ل الدخول لقراءة|وافق على ملفات تعريف الارتباط",
    re.IGNORECASE,
)
NOT_FREE = re.compile(r'"isAccessibleForFree"\s*:\s*"?(false|False)"?')


@dataclass
class Page:
    text: str  # the main text, "" when none could be taken
    canonical_url: str
    published: datetime | None
    walled: bool


def needs_full_text(policy: str, text: str) -> bool:
    if policy == "always":
        return True
    return policy == "auto" and len(text.split()) < TEASER_WORDS


def read_page(html: str, url: str) -> Page:
    """The page's main text, canonical URL and date; `walled` when a paywall hides the text."""
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return Page("", "", None, False)
    walled = _is_walled(tree, html)
    text = "" if walled else _main_text(html, url)
    return Page(text, _canonical(tree), _page_date(html), walled)


def _main_text(html: str, url: str) -> str:
    """trafilatura's main text. Repeated paragraphs are dropped within this page only: with
    trafilatura's shared cache, which page lost a paragraph would depend on the order the
    pages were read in, and the same feeds would not give the same digests."""
    options = Extractor(output_format="txt", comments=False, tables=False, links=False,
                        precision=True, dedup=LRUCache(maxsize=LRU_SIZE), url=url)
    text = trafilatura.extract(html, options=options) or ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _is_walled(tree, html: str) -> bool:
    if NOT_FREE.search(html):
        return True
    marked = tree.xpath("//*[contains(@class, 'paywall') or contains(@id, 'paywall') or "
                        "contains(@class, 'consent') or contains(@id, 'consent')]")
    if marked:
        return True
    body_text = " ".join(tree.xpath("//body//text()"))
    return bool(WALL_MARKERS.search(body_text))


def _canonical(tree) -> str:
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        if href.strip().lower().startswith(("http://", "https://")):
            return href.strip()
    return ""


def _page_date(html: str) -> datetime | None:
    try:
        found = find_date(html, outputformat="%Y-%m-%dT%H:%M:%S", extensive_search=False,
                          original_date=True)
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    return datetime.fromisoformat(found).replace(tzinfo=timezone.utc)


def better_text(feed_text: str, page: Page) -> str:
    """The page's text when it is real and longer than the feed's; otherwise the feed's."""
    if page.walled or len(page.text.split()) <= len(feed_text.split()):
        return feed_text
    return page.text
