"""The stages run against a configuration: each reads what the previous one stored.

Each function is what one `marsad` command does, and returns a small report for the CLI to print.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time as day_time, timedelta
from multiprocessing import get_context
from pathlib import Path

from tqdm import tqdm

from .arabic import ANALYZER_VERSION, Analyzer
from .arabic.backends import choose_backend
from . import __version__
from .changes import RenderState, plan_render
from .config import Config
from .digest import build_digests
from .ingest import SourceReport, ingest as ingest_sources
from .ingest.opml import read_opml, write_opml
from .model import Digest, Source
from .publish import BuildResult, SiteRequest, build_site
from .render import (
    DIGESTS_FOLDER, ENTITIES_FOLDER, WriteResult, day_path, entity_path, make_environment,
    remove_pages, render_archive, render_digest, render_entity, render_home, write_if_changed,
    write_pages,
)
from .store import Store


RENDER_STATE = "render-state.json"  # in data_dir: what the last render was made from
SITE_MANIFEST = "site-manifest.json"  # in data_dir: what the current site was built from
ENTITY_PAGE_MIN_MENTIONS = 3  # an entity gets its page from this many mentions in the archive
MAX_RENDER_WORKERS = 4  # processes of a render of many days


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
    seconds: float = 0.0


@dataclass
class RenderReport:
    digests: int = 0
    entities: int = 0
    full: bool = False
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0


@dataclass
class BuildReport:
    result: BuildResult
    seconds: float = 0.0


@contextmanager
def run_lock(config: Config) -> Iterator[None]:
    """Stop two runs from interleaving their writes to one data folder."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    path = config.data_dir / "run.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"{path}: another marsad command is running on this data") from None
        yield


def ingest(config: Config, progress: bool = True, force: bool = False) -> IngestReport:
    started = time.perf_counter()
    with Store.open(config.db_path) as store, \
            tqdm(total=len(config.sources), desc="ingest", unit="source", leave=False,
                 disable=None if progress else True) as bar:
        reports = ingest_sources(config.sources, store, config.http, force=force,
                                 on_source_done=lambda _: bar.update())
    return IngestReport(reports, time.perf_counter() - started)


def analysis_version(config: Config) -> str:
    """Analyses are redone when the analyzer, its entity backend or the watchlists change."""
    watchlists = hashlib.sha1(repr(config.watchlists).encode("utf-8")).hexdigest()[:12]
    return f"{ANALYZER_VERSION}:{choose_backend('auto')}:{watchlists}"


def analyze(config: Config, progress: bool = True) -> AnalyzeReport:
    started = time.perf_counter()
    version = analysis_version(config)
    with Store.open(config.db_path) as store:
        pending = store.articles_to_analyze(version)
        report = AnalyzeReport(up_to_date=store.article_count() - len(pending))
        if pending:
            analyzer = Analyzer(config.watchlists)
            bar = tqdm(pending, desc="analyze", unit="article", leave=False,
                       disable=None if progress else True)
            report.analyzed = store.save_analyses(
                ((article, analyzer.analyze(article.text)) for article in bar), version)
    report.seconds = time.perf_counter() - started
    return report


def render(config: Config, full: bool = False) -> RenderReport:
    """Render the pages the store's changes since the last render touch (all with `full`).

    Each day is read from the store on its own and its page written before the next is read,
    so memory holds one day, never the archive; many days are shared among processes."""
    started = time.perf_counter()
    state_path = config.data_dir / RENDER_STATE
    previous = RenderState() if full else RenderState.load(state_path)
    env = make_environment(config.templates_dir)
    with Store.open(config.db_path) as store:
        plan = plan_render(store.analysis_stamps(), config.tz, _render_settings(config), previous)
    days = sorted(plan.day_counts)
    result, mentioned = _render_days_shared(config, plan.days, days)
    with Store.open(config.db_path) as store:
        if plan.changed:
            latest = _day_digest(store, config, days[-1])[0] if days else None
            older = days[-2] if len(days) > 1 else None
            _add(result, write_pages({
                "index.md": render_home(latest, older, env, config.title),
                "archive.md": render_archive(plan.day_counts, env, config.title),
            }, config.content_dir))
        entities = (store.entities(ENTITY_PAGE_MIN_MENTIONS) if plan.full else
                    [e for e in map(store.entity, sorted(mentioned))
                     if e and e.mentions >= ENTITY_PAGE_MIN_MENTIONS])
        for entity in entities:
            _add(result, write_pages({entity_path(entity.id): render_entity(
                entity, env, config.title, config.tz)}, config.content_dir))
    stale = [day_path(day) for day in plan.removed]
    if plan.full:
        wanted = {entity_path(e.id) for e in entities} | {day_path(day) for day in days}
        stale += sorted(str(path.relative_to(config.content_dir))
                        for folder in (DIGESTS_FOLDER, ENTITIES_FOLDER)
                        for path in (config.content_dir / folder).rglob("*.md")
                        if str(path.relative_to(config.content_dir)) not in wanted)
    result.removed += remove_pages(stale, config.content_dir)
    plan.state.save(state_path)
    return RenderReport(
        digests=len(plan.days), entities=len(entities), written=len(result.written),
        unchanged=result.unchanged, removed=len(result.removed), full=plan.full,
        seconds=time.perf_counter() - started,
    )


def _render_days_shared(config: Config, wanted: list[date], days: list[date]
                        ) -> tuple[WriteResult, set[str]]:
    """`_render_days`, in one process per core when there are many days."""
    workers = min(len(os.sched_getaffinity(0)), MAX_RENDER_WORKERS, max(1, len(wanted) // 100))
    if workers == 1:
        return _render_days((config, wanted, days))
    result, mentioned = WriteResult(), set()
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        for part, ids in pool.map(_render_days, [(config, wanted[i::workers], days)
                                                 for i in range(workers)]):
            _add(result, part)
            mentioned |= ids
    return result, mentioned


def _render_days(job: tuple[Config, list[date], list[date]]) -> tuple[WriteResult, set[str]]:
    """The digest pages of `wanted` (days of `days`, the whole archive's, for their links)."""
    config, wanted, days = job
    env = make_environment(config.templates_dir)
    position = {day: i for i, day in enumerate(days)}
    result, mentioned = WriteResult(), set()
    with Store.open(config.db_path) as store:
        for day in wanted:
            digest, entity_ids = _day_digest(store, config, day)
            mentioned |= entity_ids
            i = position[day]
            older, newer = days[i - 1] if i else None, days[i + 1] if i + 1 < len(days) else None
            _add(result, write_pages({day_path(day): render_digest(
                digest, env, config.title, older, newer)}, config.content_dir))
    return result, mentioned


def _day_digest(store: Store, config: Config, day: date) -> tuple[Digest, set[str]]:
    """One day's digest, from that day's articles only, and the entities they mention."""
    start = datetime.combine(day, day_time(), tzinfo=config.tz)
    items = store.analyzed_between(start, start + timedelta(days=1))
    digests = build_digests(items, config.tz, config.sections, store.outlets_of(
        [article.id for article, _ in items]), config.watchlists)
    return digests[0], {e.id for _, analysis in items for e in analysis.entities if e.id}


def _add(total: WriteResult, part: WriteResult) -> None:
    total.written += part.written
    total.unchanged += part.unchanged


def _render_settings(config: Config) -> str:
    """What every page depends on besides its own data: a change renders everything again."""
    templates = sorted((p.relative_to(config.templates_dir).as_posix(), p.read_bytes())
                       for p in config.templates_dir.rglob("*") if p.is_file())
    parts = repr((__version__, ENTITY_PAGE_MIN_MENTIONS, config.title, config.timezone,
                  config.sections, config.watchlists, templates))
    return hashlib.sha1(parts.encode("utf-8")).hexdigest()


def build(config: Config, full: bool = False) -> BuildReport:
    """Build the site: only the pages whose Markdown changed, unless `full` (or it must)."""
    started = time.perf_counter()
    newest = _newest_day(config)
    request = SiteRequest(config.mkdocs_config, config.content_dir, config.site_dir,
                          config.data_dir / SITE_MANIFEST, config.title, config.site_url,
                          _site_epoch(config, newest), f"{newest:%Y/%m}" if newest else "")
    result = build_site(request, full=full)
    return BuildReport(result, time.perf_counter() - started)


def _newest_day(config: Config) -> date | None:
    with Store.open(config.db_path) as store:
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
    with Store.open(config.db_path) as store:
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
