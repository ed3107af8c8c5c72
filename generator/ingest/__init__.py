"""Ingest: fetch every due source politely, parse only what changed, store new articles.

Sources are fetched concurrently (a few connections per host); feeds are parsed in worker
processes; the store is written from this one thread. A source's failure never stops the others
and loses nothing already stored; it is recorded, scored and retried later (health.py). So is
an entry's: it is skipped with its reason, and the rest of its feed is kept.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from ..model import Article, Limits, Source, SourceState
from ..processes import exit_with_parent
from ..store import Store
from . import health
from .addresses import origin, url_problem
from .charset import decode_document
from .dates import clamp_to
from .dedupe import NearDuplicateIndex, simhash
from .fetch import Fetcher, FetchPolicy, FetchRequest, FetchResult
from .fulltext import better_text, needs_full_text, read_page
from .parse import ParsedFeed, article_id, one_line, parse_feed

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
    limits: Limits = Limits(),
) -> list[SourceReport]:
    """Ingest every source that is due (every source with `force`), in config order."""
    run = _IngestRun(store, policy, force, now, on_source_done, limits)
    workers = os.cpu_count() or 1
    if len(sources) < PROCESS_POOL_FROM or workers < 2:
        return asyncio.run(run.all(sources, executor=None))
    executor = parse_workers(workers)
    try:
        return asyncio.run(run.all(sources, executor))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def parse_workers(count: int) -> ProcessPoolExecutor:
    """Worker processes that hold nothing of this one and die with it.

    Spawned, not forked: a forked worker would inherit the run lock's open file and keep the
    lock after a killed run, making every later command wait for it; and each worker watches
    its parent, so that a SIGKILL of the run leaves no worker behind."""
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                               initializer=exit_with_parent)


class _IngestRun:
    def __init__(self, store: Store, policy: FetchPolicy, force: bool,
                 now: Callable[[], datetime], on_source_done, limits: Limits) -> None:
        self.store, self.policy, self.force, self.now = store, policy, force, now
        self.on_source_done, self.limits = on_source_done, limits
        self.index = NearDuplicateIndex()
        self.order: dict[str, tuple[datetime, str]] = {}  # original's id -> (published, id)
        for key, published, signature in store.original_signatures(now() - DUPLICATE_WINDOW):
            self.index.add(key, signature)
            self.order[key] = (published, key)

    async def all(self, sources: Sequence[Source], executor: Executor | None) -> list[SourceReport]:
        self.executor = executor
        self.deadline = asyncio.get_running_loop().time() + self.limits.ingest_minutes * 60
        async with Fetcher(self.policy) as fetcher:
            self.fetcher = fetcher
            return await asyncio.gather(*(self.source(source) for source in sources))

    async def source(self, source: Source) -> SourceReport:
        """One source, whatever happens: past the run's time limit or on an error of Marsad's
        own, the source is recorded as failed (and backs off) and the run goes on."""
        try:
            async with asyncio.timeout_at(self.deadline):
                report = await self._source(source)
        except TimeoutError:
            report = self._gave_up(source, "timeout", "not done within limits.ingest_minutes "
                                   f"({self.limits.ingest_minutes:g} min) of this run")
        except Exception as exc:  # noqa: BLE001 (one source's failure must not stop the run)
            report = self._gave_up(source, "internal",
                                   f"internal error: {type(exc).__name__}: {one_line(str(exc))}")
        self.on_source_done(report)
        return report

    def _gave_up(self, source: Source, kind: str, message: str) -> SourceReport:
        state = self._state(source)
        return self._failed(state, SourceReport(source.name, "failed"), FetchResult(source.url),
                            kind, message, self.now())

    def _state(self, source: Source) -> SourceState:
        state = self.store.source_state(source.name)
        if state.url != source.url:  # new source, or its URL was edited: start afresh
            state = SourceState(source.name, url=source.url)
        return state

    async def _source(self, source: Source) -> SourceReport:
        state = self._state(source)
        started = self.now()
        if not self.force and not health.is_due(state, started):
            return SourceReport(source.name, "not-due", next_attempt=state.next_attempt)
        fetched = await self.fetcher.fetch(
            FetchRequest(state.moved_to or source.url, state.etag, state.last_modified,
                         trusted_origin(source)))
        if fetched.moved_to:
            state = replace(state, moved_to=fetched.moved_to)
        report = SourceReport(source.name, "stored", bytes=len(fetched.body))
        if not fetched.ok:
            return self._failed(state, report, fetched, fetched.error_kind, fetched.error, started)
        body_hash = hashlib.sha1(fetched.body).hexdigest()
        if fetched.not_modified or body_hash == state.body_hash:
            report.status = "not-modified" if fetched.not_modified else "unchanged"
            return self._succeeded(_validators(state, fetched), report, fetched, started)
        parsed = await self._run(parse_feed, fetched.body, source, started, fetched.headers,
                                 self.limits)
        report.parsed = True
        if parsed.error:
            return self._failed(state, report, fetched, "parse", parsed.error, started)
        report.warning, report.entries = parsed.notes(), len(parsed.articles)
        report.full_texts = await self._add_full_texts(source, parsed)
        added = self.store.add_articles(parsed.articles, before_insert=lambda a: self._mark(a, report))
        report.new, report.updated, report.unchanged = added.new, added.updated, added.unchanged
        state = replace(_validators(state, fetched), body_hash=body_hash)
        if report.warning:  # read, but the source should know its feed is broken
            state = replace(state, last_error=report.warning, last_error_kind="malformed",
                            last_error_at=started)
        return self._succeeded(state, report, fetched, started)

    async def _run(self, function, *args):
        """CPU work in the worker processes when there are any (in this one if they died)."""
        if self.executor is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(self.executor, function,
                                                                        *args)
            except BrokenProcessPool:
                self.executor = None
        return function(*args)

    async def _add_full_texts(self, source: Source, parsed: ParsedFeed) -> int:
        """Fetch the pages of new teaser-only entries; keep the feed text when a page is walled,
        refused by the network policy, or cannot be read."""
        wanted = [i for i, a in enumerate(parsed.articles)
                  if a.url and needs_full_text(source.fulltext, a.text) and self._is_new(a)]
        pages = await asyncio.gather(*(self.fetcher.fetch(
            FetchRequest(parsed.articles[i].url, trusted_origin=trusted_origin(source)))
            for i in wanted))
        count = 0
        for i, page in zip(wanted, pages):
            if page.ok and page.body and "html" in page.headers.get("content-type", "text/html"):
                article = parsed.articles[i]
                try:
                    parsed.articles[i] = await self._run(_with_page, article, page.body,
                                                         page.headers.get("content-type"),
                                                         page.final_url, self.limits)
                except Exception:  # noqa: BLE001 (a page that breaks the reader: keep the feed's text)
                    continue
                count += parsed.articles[i].text != article.text
        return count

    def _is_new(self, article: Article) -> bool:
        existing = self.store.existing(article)
        return existing is None or existing[1] != article.content_hash

    def _mark(self, article: Article, report: SourceReport) -> list[str]:
        """A new article whose text is a near copy of others is marked a copy of the first of
        them, first by the articles' own data (published, then id), never by arrival: so the
        same articles give the same originals in whatever order they are fetched and parsed.
        A new article earlier than the originals it copies becomes theirs: their ids are
        returned, for the store to make them its copies."""
        if len(article.text.split()) < MIN_WORDS_FOR_DUPLICATES or not article.signature:
            return []
        key = (article.published, article.id)
        matches = self.index.matches(article.signature)
        first = min(matches, key=self.order.__getitem__, default=None)
        if first is not None and self.order[first] < key:
            article.duplicate_of = first
            report.near_duplicates += 1
            return []
        for original in matches:
            self.index.remove(original)
            del self.order[original]
        report.near_duplicates += len(matches)
        self.index.add(article.id, article.signature)
        self.order[article.id] = key
        return matches

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


def trusted_origin(source: Source) -> str:
    """The origin a source's `allow_private` opens: its own, never where its links point."""
    return origin(source.url) if source.allow_private and not url_problem(source.url) else ""


def _with_page(article: Article, body: bytes, content_type: str | None, url: str,
               limits: Limits = Limits()) -> Article:
    """The article with its page's main text, canonical URL and date where they are better."""
    html, _ = decode_document(body, content_type)
    page = read_page(html, url)
    text = better_text(article.text, page)[:limits.article_chars]
    canonical = page.canonical_url if page.canonical_url and not url_problem(page.canonical_url) \
        else article.url
    undated = article.published == article.fetched
    published = clamp_to(page.published, article.fetched) if undated and page.published \
        else article.published
    return replace(
        article, text=text, url=canonical,
        id=article_id(canonical, article.guid, article.title, article.published),
        published=published,
        signature=simhash(text) if text != article.text else article.signature,
    )
