"""The stages run against a configuration: each reads what the previous one stored.

Each function is what one `marsad` command does, and returns a small report for the CLI to print.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time as day_time, timedelta
from functools import partial
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .analysis import AnalyzerSpec, analyze_pending, workers_for
from .arabic import ANALYZER_VERSION
from .arabic.backends import choose_backend
from .archive import EPOCH, FUTURE, StoreArchive
from .changes import RenderState, plan_render
from .config import Config, available_cores
from .ingest import SourceReport, ingest as ingest_sources
from .ingest.opml import read_opml, write_opml
from .link import LinkReport, link, merge_into
from .model import EntityRecord, Source
from .periods import Period
from .publish import BuildResult, SiteRequest, build_site, remove_leftovers
from .render import (
    Site, digest_path, make_environment, render_pages, write_if_changed, write_pages,
)
from .store import Store, StoreError, copy_store, database_lock


RENDER_STATE = "render-state.json"  # in data_dir: what the last render was made from


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


@dataclass
class RenderReport:
    digests: int = 0
    full: bool = False
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    left_out: int = 0  # articles past limits.articles_per_page
    seconds: float = 0.0


@dataclass
class BuildReport:
    result: BuildResult
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
                    report.analyzed, report.workers = analyze_on_cluster(
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
    return report


def link_store(store: Store, config: Config, progress: bool = True) -> LinkReport:
    with tqdm(total=store.unlinked_count(), desc="link", unit="article", leave=False,
              disable=None if progress else True) as bar:
        return link(store, config.watchlists, on_batch=bar.update)


def render(config: Config, progress: bool = True, full: bool = False) -> RenderReport:
    """The pages that the store's changes since the last render touch (all of them with
    `full`, or when templates or settings changed), each period's read for that period alone."""
    started = time.perf_counter()
    state_path = config.data_dir / RENDER_STATE
    previous = RenderState() if full else RenderState.load(state_path)
    with Store.open(config.store) as store, \
            tqdm(desc="render", unit="file", leave=False, disable=None if progress else True) as bar:
        archive = StoreArchive(store, config.tz, config.sections, config.entity_pages,
                               config.limits.articles_per_page)
        plan = plan_render(store.analysis_stamps(), config.tz, _render_settings(config),
                           _entities_shown(store, archive), partial(_days_of, store, config.tz),
                           previous)
        if not plan.full and _pages_missing(config, previous):
            plan = replace(plan, full=True, days=sorted(map(date.fromisoformat, plan.state.days)))
        periods = None if plan.full else touched_periods(plan.days)
        pages = render_pages(archive, make_environment(config.templates_dir), site_of(config),
                             periods, on_file=lambda _: bar.update()) if plan.changed else {}
        days = len(archive.days()) if plan.full else len(plan.days)
    result = write_pages(pages, config.content_dir, full=plan.full)
    plan.state.save(state_path)
    return RenderReport(
        digests=days, written=len(result.written), unchanged=result.unchanged,
        removed=len(result.removed), full=plan.full, left_out=sum(archive.left_out.values()),
        seconds=time.perf_counter() - started,
    )


def _entities_shown(store: Store, archive: StoreArchive) -> dict[str, str]:
    """How pages show each entity: its name, and whether it links to a page of its own."""
    paged = {e.id for e in archive.entities()}
    return {e.id: f"{e.name}\t{e.id in paged}" for e in store.entities()}


def _days_of(store: Store, tz, entity_id: str) -> list[date]:
    return list(store.mentions_per_day(entity_id, EPOCH, FUTURE, tz))


def _pages_missing(config: Config, state: RenderState) -> bool:
    """Pages the last render wrote that are not there any more (removed by hand, or by a
    killed run): the store has not changed, but everything is rendered again."""
    pages = ["index.md", *(digest_path(date.fromisoformat(day)) for day in state.days)]
    return any(not (config.content_dir / page).is_file() for page in pages)


def touched_periods(days: list[date]) -> set[Period]:
    """The periods a changed day belongs to: its day, week and month."""
    return {Period.of(kind, day) for day in days for kind in ("day", "week", "month")}


def _render_settings(config: Config) -> str:
    """What every page depends on besides its own data: a change renders everything again."""
    templates = sorted((p.relative_to(config.templates_dir).as_posix(), p.read_bytes())
                       for p in config.templates_dir.rglob("*") if p.is_file())
    parts = repr((__version__, site_of(config), config.sections, config.entity_pages, templates))
    return hashlib.sha1(parts.encode("utf-8")).hexdigest()


def site_of(config: Config) -> Site:
    return Site(config.title, config.tz, config.site_url, config.watchlists, config.report_pdf)


def build(config: Config, full: bool = False) -> BuildReport:
    """Build the site: only the pages whose Markdown changed, unless `full` (or it must)."""
    started = time.perf_counter()
    newest = _newest_day(config)
    request = SiteRequest(config.mkdocs_config, config.content_dir, config.site_dir,
                          _site_manifest(config), config.title, config.site_url,
                          _site_epoch(config, newest), f"{newest:%Y/%m}" if newest else "")
    result = build_site(request, full=full)
    return BuildReport(result, time.perf_counter() - started)


def _site_manifest(config: Config) -> Path:
    """One manifest per site folder: two configurations may publish one store to two places."""
    where = hashlib.sha1(str(config.site_dir.parent.resolve() / config.site_dir.name).encode("utf-8"))
    return config.data_dir / f"site-{config.site_dir.name}-{where.hexdigest()[:8]}.json"


def _newest_day(config: Config) -> date | None:
    with Store.open(config.store) as store:
        newest = store.newest_published()
    return newest.astimezone(config.tz).date() if newest else None


def _site_epoch(config: Config, newest: date | None) -> int:
    """The date the site speaks of (its newest day), not the moment it was built."""
    if newest is None:
        return 0
    return int(datetime.combine(newest, day_time(), tzinfo=config.tz).timestamp())


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
