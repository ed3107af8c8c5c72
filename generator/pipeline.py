"""The stages run against a configuration: each reads what the previous one stored.

Each function is what one `marsad` command does, and returns a small report for the CLI to print.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time as day_time, timedelta, timezone
from pathlib import Path

from tqdm import tqdm

from . import mail
from .analysis import AnalyzerSpec, analyze_pending, workers_for
from .arabic import ANALYZER_VERSION
from .arabic.backends import choose_backend
from .config import Config, ConfigError, EmailSettings, Recipient, available_cores
from .digest import Archive, build_digest
from .ingest import SourceReport, ingest as ingest_sources
from .ingest.opml import read_opml, write_opml
from .publish import build_site, remove_leftovers
from .render import WriteResult, make_environment, render_pages, write_if_changed, write_pages
from .link import LinkReport, link, merge_into
from .model import EntityRecord, Source
from .store import Store, StoreError, copy_store, database_lock
from .stories import assign_day, incoming, story_id, window_start
from .trends import BASELINE_DAYS
from .watch import watch_rules


class LockedError(RuntimeError):
    """Another Marsad run is working on the same data folder."""


@dataclass
class IngestReport:
    sources: list[SourceReport] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, name: str) -> int:
        return sum(getattr(source, name) for source in self.sources)

    def with_status(self, *statuses: str) -> list[SourceReport]:
        return [source for source in self.sources if source.status in statuses]


@dataclass
class AnalyzeReport:
    analyzed: int = 0
    up_to_date: int = 0
    quotes_left_out: int = 0  # past limits.quotes_per_article
    seconds: float = 0.0
    workers: int = 1  # processes that analyzed (on this machine or on the cluster)
    where: str = ""  # the cluster's scheduler, when one did the work
    link: LinkReport = field(default_factory=LinkReport)
    placed: int = 0  # articles put in stories
    new_stories: int = 0
    stories: int = 0  # stories in the store
    story_seconds: float = 0.0


@dataclass
class RenderReport:
    digests: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    left_out: int = 0  # articles past limits.articles_per_page
    seconds: float = 0.0


@dataclass
class BuildReport:
    result: WriteResult
    seconds: float = 0.0


@contextmanager
def run_lock(config: Config) -> Iterator[None]:
    """Stop two runs from interleaving their writes: a file lock on the data folder, and on
    PostgreSQL, shared by several machines, an advisory lock in the database as well.

    The file lock is the kernel's (flock), so it ends with the process that holds it, however
    that process ends; whoever takes it next first removes what a killed run left behind."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(config)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"{path}: another marsad command is running on this data") from None
        with database_lock(config.store):
            remove_leftovers(config.content_dir, config.site_dir)
            yield


def lock_path(config: Config) -> Path:
    return config.data_dir / "run.lock"


def ingest(config: Config, progress: bool = True, force: bool = False) -> IngestReport:
    started = time.perf_counter()
    with Store.open(config.store) as store, \
            tqdm(total=len(config.sources), desc="ingest", unit="source", leave=False,
                 disable=None if progress else True) as bar:
        reports = ingest_sources(config.sources, store, config.http, force=force,
                                 on_source_done=lambda _: bar.update(), limits=config.limits)
    return IngestReport(reports, time.perf_counter() - started)


def analysis_version(config: Config) -> str:
    """Analyses are redone when the analyzer, its entity backend or the watchlists change."""
    watchlists = hashlib.sha1(repr(config.watchlists).encode("utf-8")).hexdigest()[:12]
    return f"{ANALYZER_VERSION}:{choose_backend('auto')}:{watchlists}"


def analyze(config: Config, progress: bool = True) -> AnalyzeReport:
    """Analyze what is new or changed, on `analysis.workers` processes or on `analysis.cluster`,
    then link every new analysis to the registry (here: one writer keeps the registry whole)."""
    started = time.perf_counter()
    version = analysis_version(config)
    settings = config.analysis
    with Store.open(config.store) as store:
        ids = store.ids_to_analyze(version)
        report = AnalyzeReport(up_to_date=store.article_count() - len(ids))
        if ids:
            with tqdm(total=len(ids), desc="analyze", unit="article", leave=False,
                      disable=None if progress else True) as bar:
                if settings.cluster:
                    from .cluster import analyze_on_cluster  # imports Dask: only when asked for

                    spec = AnalyzerSpec(config.watchlists, device=settings.device,
                                        max_quotes=config.limits.quotes_per_article)
                    report.analyzed, report.workers, report.quotes_left_out = analyze_on_cluster(
                        settings.cluster, config.store, version, ids, spec, bar.update)
                    report.where = settings.cluster
                else:
                    report.workers = workers_for(len(ids), settings.workers)
                    threads = max(1, available_cores() // report.workers) if report.workers > 1 else None
                    spec = AnalyzerSpec(config.watchlists, device=settings.device, threads=threads,
                                        max_quotes=config.limits.quotes_per_article)
                    report.analyzed, report.quotes_left_out = analyze_pending(
                        store, version, ids, spec, report.workers, bar.update)
        report.seconds = time.perf_counter() - started
        report.link = link_store(store, config, progress)
        stories_started = time.perf_counter()
        before = store.story_count()
        report.placed = update_stories(store, config.tz, progress)
        report.stories = store.story_count()
        report.new_stories = report.stories - before
        report.story_seconds = time.perf_counter() - stories_started
    return report


def link_store(store: Store, config: Config, progress: bool = True) -> LinkReport:
    with tqdm(total=store.unlinked_count(), desc="link", unit="article", leave=False,
              disable=None if progress else True) as bar:
        return link(store, config.watchlists, on_batch=bar.update)


def update_stories(store: Store, tz, progress: bool = True) -> int:
    """Put the articles no story holds yet in stories, one local day at a time (oldest first),
    each day against the stories of the 7 days before it. Runs after linking: articles meet
    on registry ids."""
    by_day: dict = defaultdict(list)
    for article, analysis in store.articles_without_story():
        item = incoming(article, analysis, tz)
        by_day[item.day].append(item)
    placed = 0
    for day in tqdm(sorted(by_day), desc="stories", unit="day", leave=False,
                    disable=None if progress else True):
        new = by_day[day]
        known = store.stories_of(item.duplicate_of for item in new if item.duplicate_of)
        placed += store.save_story_members(
            assign_day(day, new, store.story_window(window_start(day)), known))
    return placed


def render(config: Config) -> RenderReport:
    """One digest per day, each read from the store for that day alone."""
    started = time.perf_counter()
    digests = []
    rules = watch_rules(config.watchlists)
    with Store.open(config.store) as store:
        days = store.days(config.tz)
        for day in days:
            start = datetime.combine(day, day_time(), tzinfo=config.tz)
            items = store.analyzed_between(start, start + timedelta(days=1))
            outlets = store.outlets([article.id for article, _ in items])
            archive = day_archive(store, day, items, config.tz, days[0], rules)
            digests.append(build_digest(day, items, config.tz, config.sections, outlets,
                                        config.limits.articles_per_page, archive))
    pages = render_pages(digests, make_environment(config.templates_dir), config.title)
    result = write_pages(pages, config.content_dir)
    return RenderReport(
        digests=len(digests), written=len(result.written), unchanged=result.unchanged,
        removed=len(result.removed), left_out=sum(d.left_out for d in digests),
        seconds=time.perf_counter() - started,
    )


def day_archive(store: Store, day, items, tz, first_day, rules) -> Archive:
    """What the digest of `day` needs from other days, read for that day alone: its stories'
    articles of the last 7 days, their timelines, and its entities' last 14 days."""
    story_of = store.stories_of(article.id for article, _ in items)
    members = store.story_members(set(story_of.values()))
    member_of = {article_id: story for article_id, story, _ in members}
    recent = {a for a, _, d in members if window_start(day) <= d <= day} - set(story_of)
    by_story: dict[str, list] = defaultdict(list)
    for article, analysis in sorted([*items, *store.analyzed_by_id(recent)],
                                    key=lambda pair: (pair[0].published, pair[0].id)):
        by_story[member_of.get(article.id) or story_id(article.id)].append((article, analysis))
    timelines: dict[str, Counter] = defaultdict(Counter)
    for _, story, member_day in members:
        timelines[story][member_day] += 1
    start = datetime.combine(day - timedelta(days=BASELINE_DAYS), day_time(), tzinfo=tz)
    ids = {e.id for _, analysis in items for e in analysis.entities if e.id}
    mentions = store.articles_per_day(ids, start, start + timedelta(days=BASELINE_DAYS + 1), tz)
    return Archive(dict(by_story), dict(timelines), story_of, mentions, first_day, rules)


def build(config: Config) -> BuildReport:
    started = time.perf_counter()
    result = build_site(config.mkdocs_config, config.content_dir, config.site_dir,
                        config.title, _site_epoch(config))
    return BuildReport(result, time.perf_counter() - started)


def _site_epoch(config: Config) -> int:
    """The date the site speaks of (its newest day), not the moment it was built."""
    with Store.open(config.store) as store:
        newest = store.newest_published()
    if newest is None:
        return 0
    day = newest.astimezone(config.tz).date()
    return int(datetime.combine(day, day_time(), tzinfo=config.tz).timestamp())


@dataclass
class EmailReport:
    written: list[Path] = field(default_factory=list)  # .eml files, when not sending
    deliveries: list[mail.Delivery] = field(default_factory=list)
    already_sent: int = 0
    empty: list[tuple[Recipient, mail.Period]] = field(default_factory=list)  # nothing to send
    shortened: int = 0  # messages that left items out to stay under the size limit
    newest: date | None = None  # the newest day with articles, for a hint when all was empty
    seconds: float = 0.0

    def with_status(self, status: str) -> list[mail.Delivery]:
        return [d for d in self.deliveries if d.status == status]


def email(config: Config, day: date | None, kind: str | None, send: bool, now: datetime,
          progress: bool = True) -> EmailReport:
    """Each recipient's message for the period containing `day` (default: the latest period
    that is over), written to the outbox, or sent to whoever has not been sent it yet."""
    started = time.perf_counter()
    settings = _email_settings(config, send)
    today = now.astimezone(config.tz).date()
    plan = []
    for recipient in settings.recipients:
        period_kind = mail.PERIOD_OF[recipient.period]
        if kind is None or kind == period_kind:
            plan.append((recipient, mail.Period.of(period_kind, day) if day
                         else mail.due_period(period_kind, today)))
    report = EmailReport()
    with Store.open(config.store) as store:
        if send:
            pending = [(r, p) for r, p in plan if not store.delivered(*mail.delivery_key(r, p))]
            report.already_sent, plan = len(plan) - len(pending), pending
        read = mail.read_periods(store, (period for _, period in plan), config.tz)
        with tqdm(total=len(plan), desc="compose", unit="message", leave=False,
                  disable=None if progress else True) as bar:
            outgoing, report.empty = mail.compose_all(config, plan, read, now, bar.update)
        report.shortened = sum(1 for item in outgoing if item.left_out)
        newest = store.newest_published()
        report.newest = newest and newest.astimezone(config.tz).date()

        if send and outgoing:
            with tqdm(total=len(outgoing), desc="email", unit="message", leave=False,
                      disable=None if progress else True) as bar:
                def record(delivery: mail.Delivery) -> None:
                    if delivery.status == "accepted":
                        item = delivery.outgoing
                        store.record_delivery(*item.key, item.message["Message-ID"],
                                              datetime.now(timezone.utc))
                    bar.update()

                report.deliveries = mail.deliver(outgoing, settings.smtp, settings.sender, record)
        elif not send:
            report.written = mail.write_outbox(outgoing, settings.outbox)
    report.seconds = time.perf_counter() - started
    return report


def _email_settings(config: Config, send: bool) -> EmailSettings:
    if config.email is None:
        raise ConfigError(f"{config.path}: email: not configured (see README, Email)")
    if send and config.email.smtp is None:
        raise ConfigError(f"{config.path}: email.smtp: not configured, so nothing can be sent "
                          "(without --send, the messages are written to the outbox)")
    return config.email


def email_due(config: Config) -> bool:
    """`marsad run` sends mail when there is a server to send it to."""
    return config.email is not None and config.email.smtp is not None


@dataclass
class SourceHealth:
    name: str
    url: str
    last_success: datetime | None
    last_error: str
    failures: int
    articles_7_days: int
    next_attempt: datetime | None


def source_health(config: Config, now: datetime) -> list[SourceHealth]:
    """One row per configured source, in config order, for `marsad sources`."""
    with Store.open(config.store) as store:
        recent = store.articles_since(now - timedelta(days=7))
        rows = []
        for source in config.sources:
            state = store.source_state(source.name)
            current = state.failures or state.last_error_at == state.last_success
            rows.append(SourceHealth(source.name, state.moved_to or source.url, state.last_success,
                                     state.last_error if current else "", state.failures,
                                     recent.get(source.name, 0), state.next_attempt))
    return rows


@dataclass
class OpmlMerge:
    added: list[Source]
    skipped: list[str]  # "name: why"
    path: Path


def import_opml(config: Config, opml_file: Path) -> OpmlMerge:
    """Add the feeds of an OPML file to the configuration's OPML source list.

    Sources written in marsad.yml stay as they are; imported ones live in `sources_opml`
    (created, and named in marsad.yml, on first import), so no hand-written file is rewritten."""
    imported = read_opml(opml_file.read_bytes(), str(opml_file))
    target = config.sources_opml or config.path.parent / "sources.opml"
    kept = list(read_opml(target.read_bytes(), str(target)).sources) if target.exists() else []
    names = {s.name for s in config.sources} | {s.name for s in kept}
    urls = {s.url for s in config.sources} | {s.url for s in kept}
    added, skipped = [], [f"{s.title or s.url}: {s.reason}" for s in imported.skipped]
    for source in imported.sources:
        if source.name in names or source.url in urls:
            skipped.append(f"{source.name}: already monitored")
            continue
        names.add(source.name)
        urls.add(source.url)
        added.append(source)
    if added:
        write_if_changed(target, write_opml(kept + added, config.title))
        if config.sources_opml is None:
            with open(config.path, "a", encoding="utf-8") as file:
                file.write(f"\nsources_opml: {target.name}   # added by `marsad sources import`\n")
    return OpmlMerge(added, skipped, target)


def export_opml(config: Config) -> bytes:
    return write_opml(config.sources, config.title)


def entity(config: Config, entity_id: str) -> EntityRecord:
    with Store.open(config.store) as store:
        record = store.entity(entity_id)
    if record is None:
        raise StoreError(f"{entity_id}: no such entity in the registry (see `marsad entities`)")
    return record


def entity_list(config: Config, type_: str | None, limit: int) -> list[EntityRecord]:
    with Store.open(config.store) as store:
        return store.entities(1, type_)[:limit]


def merge_entities(config: Config, old_id: str, new_id: str) -> EntityRecord:
    """An analyst's correction: two entities are one; the old id redirects to the new."""
    with Store.open(config.store) as store:
        old, new = store.entity(old_id), store.entity(new_id)
        for given, found in ((old_id, old), (new_id, new)):
            if found is None:
                raise StoreError(f"{given}: no such entity in the registry (see `marsad entities`)")
        if old.id == new.id:
            raise StoreError(f"{old_id} and {new_id} are already one entity ({new.id})")
        if old.type != new.type:
            raise StoreError(f"{old_id} is {old.type} but {new_id} is {new.type}: not merged")
        merge_into(store, config.watchlists, old.id, new.id)
        return store.entity(new.id)


def migrate_store(config: Config, target: str, progress: bool = True) -> dict[str, int]:
    """Copy the configured store, whole, into an empty store at `target`."""
    with Store.open(config.store) as source, Store.open(target) as destination, \
            tqdm(desc="copy", unit="row", leave=False, disable=None if progress else True) as bar:
        return copy_store(source, destination, on_rows=bar.update)
