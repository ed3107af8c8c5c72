"""Ingest: fetch every due source politely, parse only what changed, store new articles.

Sources are fetched concurrently (a few connections per host); feeds are parsed in worker
processes; the store is written from this one thread. A source's failure never stops the others
and loses nothing already stored; it is recorded, scored and retried later (health.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from ..model import Article, Source, SourceState
from ..store import Store
from . import health
from .charset import decode_document
from .dedupe import NearDuplicateIndex, simhash
from .fetch import Fetcher, FetchPolicy, FetchRequest, FetchResult
from .fulltext import better_text, needs_full_text, read_page
from .parse import ParsedFeed, article_id, parse_feed

MIN_WORDS_FOR_DUPLICATES = 25  # below this, SimHash sees too little text to call two copies
DUPLICATE_WINDOW = timedelta(days=3)  # wire copies appear within a day or two
PROCESS_POOL_FROM = 16  # sources in one run; fewer are parsed faster in this process


@dataclass
class SourceReport:
    name: str
    status: str  # stored, unchanged (same bytes), not-modified (304), failed, not-due
    bytes: int = 0
    parsed: bool = False
    entries: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    near_duplicates: int = 0
    full_texts: int = 0
    error: str = ""
    warning: str = ""
    next_attempt: datetime | None = None


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def ingest(
    sources: Sequence[Source],
    store: Store,
    policy: FetchPolicy = FetchPolicy(),
    force: bool = False,
    now: Callable[[], datetime] = utc_now,
    on_source_done: Callable[[SourceReport], None] = lambda report: None,
) -> list[SourceReport]:
    """Ingest every source that is due (every source with `force`), in config order."""
    run = _IngestRun(store, policy, force, now, on_source_done)
    workers = os.cpu_count() or 1
    if len(sources) < PROCESS_POOL_FROM or workers < 2:
        return asyncio.run(run.all(sources, executor=None))
    with ProcessPoolExecutor(max_workers=workers) as executor:
        return asyncio.run(run.all(sources, executor))


class _IngestRun:
    def __init__(self, store: Store, policy: FetchPolicy, force: bool,
                 now: Callable[[], datetime], on_source_done) -> None:
        self.store, self.policy, self.force, self.now = store, policy, force, now
        self.on_source_done = on_source_done
        self.index = NearDuplicateIndex()
        for key, signature in store.signatures(since=now() - DUPLICATE_WINDOW):
            self.index.add(key, signature)

    async def all(self, sources: Sequence[Source], executor: Executor | None) -> list[SourceReport]:
        self.executor = executor
        async with Fetcher(self.policy) as fetcher:
            self.fetcher = fetcher
            return await asyncio.gather(*(self.source(source) for source in sources))

    async def source(self, source: Source) -> SourceReport:
        report = await self._source(source)
        self.on_source_done(report)
        return report

    async def _source(self, source: Source) -> SourceReport:
        state = self.store.source_state(source.name)
        if state.url != source.url:  # new source, or its URL was edited: start afresh
            state = SourceState(source.name, url=source.url)
        started = self.now()
        if not self.force and not health.is_due(state, started):
            return SourceReport(source.name, "not-due", next_attempt=state.next_attempt)
        fetched = await self.fetcher.fetch(
            FetchRequest(state.moved_to or source.url, state.etag, state.last_modified))
        if fetched.moved_to:
            state = replace(state, moved_to=fetched.moved_to)
        report = SourceReport(source.name, "stored", bytes=len(fetched.body))
        if not fetched.ok:
            return self._failed(state, report, fetched, fetched.error_kind, fetched.error, started)
        body_hash = hashlib.sha1(fetched.body).hexdigest()
        if fetched.not_modified or body_hash == state.body_hash:
            report.status = "not-modified" if fetched.not_modified else "unchanged"
            return self._succeeded(_validators(state, fetched), report, fetched, started)
        parsed = await self._run(parse_feed, fetched.body, source, started, fetched.headers)
        report.parsed = True
        if parsed.error:
            return self._failed(state, report, fetched, "parse", parsed.error, started)
        report.warning, report.entries = parsed.warning, len(parsed.articles)
        report.full_texts = await self._add_full_texts(source, parsed)
        added = self.store.add_articles(parsed.articles, before_insert=lambda a: self._mark(a, report))
        report.new, report.updated, report.unchanged = added.new, added.updated, added.unchanged
        state = replace(_validators(state, fetched), body_hash=body_hash)
        if parsed.warning:  # read, but the source should know its feed is broken
            state = replace(state, last_error=parsed.warning, last_error_kind="malformed",
                            last_error_at=started)
        return self._succeeded(state, report, fetched, started)

    async def _run(self, function, *args):
        """CPU work in the worker processes when there are any."""
        if self.executor is None:
            return function(*args)
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def _add_full_texts(self, source: Source, parsed: ParsedFeed) -> int:
        """Fetch the pages of new teaser-only entries; keep the feed text when a page is walled."""
        wanted = [i for i, a in enumerate(parsed.articles)
                  if a.url and needs_full_text(source.fulltext, a.text) and self._is_new(a)]
        pages = await asyncio.gather(
            *(self.fetcher.fetch(FetchRequest(parsed.articles[i].url)) for i in wanted))
        count = 0
        for i, page in zip(wanted, pages):
            if page.ok and page.body and "html" in page.headers.get("content-type", "text/html"):
                article = parsed.articles[i]
                parsed.articles[i] = await self._run(_with_page, article, page.body,
                                                     page.headers.get("content-type"),
                                                     page.final_url)
                count += parsed.articles[i].text != article.text
        return count

    def _is_new(self, article: Article) -> bool:
        existing = self.store.existing(article)
        return existing is None or existing[1] != article.content_hash

    def _mark(self, article: Article, report: SourceReport) -> None:
        """A new article whose text is a near copy of an earlier one is marked its duplicate."""
        if len(article.text.split()) < MIN_WORDS_FOR_DUPLICATES or not article.signature:
            return
        original = self.index.find(article.signature)
        if original:
            article.duplicate_of = original
            report.near_duplicates += 1
        else:
            self.index.add(article.id, article.signature)

    def _succeeded(self, state: SourceState, report: SourceReport, fetched: FetchResult,
                   started: datetime) -> SourceReport:
        self._save(health.after_success(state, started), report, fetched, started,
                   "malformed" if report.warning else "")
        return report

    def _failed(self, state: SourceState, report: SourceReport, fetched: FetchResult,
                kind: str, message: str, started: datetime) -> SourceReport:
        state = health.after_failure(state, started, kind, message)
        report.status, report.error, report.next_attempt = "failed", message, state.next_attempt
        self._save(state, report, fetched, started, kind)
        return report

    def _save(self, state: SourceState, report: SourceReport, fetched: FetchResult,
              started: datetime, kind: str) -> None:
        self.store.save_fetch(state, started, fetched.status, len(fetched.body), report.new,
                              kind, report.error or report.warning, fetched.seconds)


def _validators(state: SourceState, fetched: FetchResult) -> SourceState:
    """The caching validators of this response, kept for the next conditional GET."""
    if fetched.not_modified:
        return state
    return replace(state, etag=fetched.headers.get("etag", ""),
                   last_modified=fetched.headers.get("last-modified", ""))


def _with_page(article: Article, body: bytes, content_type: str | None, url: str) -> Article:
    """The article with its page's main text, canonical URL and date where they are better."""
    html, _ = decode_document(body, content_type)
    page = read_page(html, url)
    text = better_text(article.text, page)
    canonical = page.canonical_url or article.url
    undated = article.published == article.fetched
    published = min(page.published, article.fetched) if undated and page.published else article.published
    return replace(
        article, text=text, url=canonical,
        id=article_id(canonical, article.guid, article.title, article.published),
        published=published,
        signature=simhash(text) if text != article.text else article.signature,
    )
