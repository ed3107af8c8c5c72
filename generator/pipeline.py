"""The stages run against a configuration: each reads what the previous one stored.

Each function is what one `marsad` command does, and returns a small report for the CLI to print.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time as day_time

from tqdm import tqdm

from .arabic import ANALYZER_VERSION, Analyzer
from .config import Config
from .digest import build_digests
from .ingest import ingest_sources
from .publish import BuildResult, build_site
from .render import make_environment, render_pages, write_pages
from .store import Store


class LockedError(RuntimeError):
    """Another Marsad run is working on the same data folder."""


@dataclass
class IngestReport:
    sources: int = 0
    entries: int = 0
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class AnalyzeReport:
    analyzed: int = 0
    up_to_date: int = 0
    seconds: float = 0.0


@dataclass
class RenderReport:
    digests: int = 0
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


def ingest(config: Config, progress: bool = True) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    with Store.open(config.db_path) as store:
        bar = tqdm(ingest_sources(config.sources), total=len(config.sources), desc="ingest",
                   unit="source", disable=None if progress else True, leave=False)
        for result in bar:
            report.sources += 1
            if result.error:
                report.failures.append((result.source.name, result.error))
                continue
            if result.warning:
                report.warnings.append((result.source.name, result.warning))
            added = store.add_articles(result.articles)
            report.entries += len(result.articles)
            report.new += added.new
            report.updated += added.updated
            report.duplicates += added.unchanged
    report.seconds = time.perf_counter() - started
    return report


def analysis_version(config: Config) -> str:
    """Analyses are redone when the analyzer or the watchlists change."""
    watchlists = hashlib.sha1(repr(config.watchlists).encode("utf-8")).hexdigest()[:12]
    return f"{ANALYZER_VERSION}:{watchlists}"


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
                ((article, analyzer.analyze(article.text))
                 for article in bar),
                version,
            )
    report.seconds = time.perf_counter() - started
    return report


def render(config: Config) -> RenderReport:
    started = time.perf_counter()
    with Store.open(config.db_path) as store:
        digests = build_digests(store.analyzed_articles(), config.tz, config.sections)
    pages = render_pages(digests, make_environment(config.templates_dir), config.title)
    result = write_pages(pages, config.content_dir)
    return RenderReport(
        digests=len(digests), written=len(result.written), unchanged=result.unchanged,
        removed=len(result.removed), seconds=time.perf_counter() - started,
    )


def build(config: Config) -> BuildReport:
    started = time.perf_counter()
    result = build_site(config.mkdocs_config, config.content_dir, config.site_dir,
                        config.title, _site_epoch(config))
    return BuildReport(result, time.perf_counter() - started)


def _site_epoch(config: Config) -> int:
    """The date the site speaks of (its newest day), not the moment it was built."""
    with Store.open(config.db_path) as store:
        newest = store.newest_published()
    if newest is None:
        return 0
    day = newest.astimezone(config.tz).date()
    return int(datetime.combine(day, day_time(), tzinfo=config.tz).timestamp())
