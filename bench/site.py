"""Benchmark of publishing at archive scale: a synthetic 10-year archive, built whole, then one
new day added, as `marsad render` and `marsad build` do it.

    .venv/bin/python bench/site.py [--days 3650] [--per-day 30] [--keep FOLDER]

Prints the time of the full build (render + MkDocs + search index), of adding one day, the peak
memory (this process and its children: Pagefind), the site's size, and what a browser
downloads for its first search (measured in headless Chromium when it is installed).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import add_day, cast, day_articles, fill  # noqa: E402
from search import first_search_bytes  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.config import parse_config  # noqa: E402
from generator.publish import PAST_BUNDLES, SEARCH_FOLDER  # noqa: E402
from generator.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LAST_DAY = date(2026, 11, 28)  # the added day is then an ordinary one, not a month's first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--per-day", type=int, default=30)
    parser.add_argument("--query", default="", help="the first search (default: a person's name)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="marsad-site-bench-"))
    try:
        run(folder, args.days, args.per_day, args.query)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, days: int, per_day: int, query: str) -> None:
    config = prepare(folder)
    first = LAST_DAY - timedelta(days=days - 1)
    started = time.perf_counter()
    with Store.open(config.store) as store:
        stored = store.article_count()
        for n in ([] if stored else fill(store, first, days, per_day, config.tz,
                                         pipeline.analysis_version(config))):
            if n % 365 == 364:
                print(f"  archive: {n + 1} days written ({time.perf_counter() - started:.0f} s)",
                      flush=True)
    print(f"archive: {days} days × {per_day} articles = {days * per_day:,} articles "
          f"({'kept from a previous run' if stored else 'generated'} in "
          f"{time.perf_counter() - started:.0f} s, not counted below)", flush=True)

    render, build = timed(lambda: pipeline.render(config, False, full=True)), timed(
        lambda: pipeline.build(config, full=True))
    print(f"full build: {render[1] + build[1]:.1f} s, CPU {render[2] + build[2]:.1f} s "
          f"(render {render[1]:.1f} s: {render[0].digests} digests, {render[0].written} files; "
          f"build {build[1]:.1f} s: {build[0].result.pages} pages, "
          f"{build[0].result.total:,} files)", flush=True)

    with Store.open(config.store) as store:
        newest = store.newest_published().astimezone(config.tz).date()
        add_day(store, day_articles(newest + timedelta(days=1), per_day, config.tz, cast()),
                pipeline.analysis_version(config))
    render, build = timed(lambda: pipeline.render(config, False)), timed(lambda: pipeline.build(config))
    print(f"one new day: {render[1] + build[1]:.1f} s, CPU {render[2] + build[2]:.1f} s "
          f"(render {render[1]:.1f} s: "
          f"{render[0].written} pages written; build {build[1]:.1f} s: {build[0].result.pages} pages "
          f"built, search index and sitemap rewritten)")

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:.0f} MB (this process), {children:.0f} MB (largest child process: a build worker or Pagefind)")
    site = config.site_dir.resolve()
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    search = sum(p.stat().st_size for bundle in (SEARCH_FOLDER, *PAST_BUNDLES)
                 for p in (site / bundle).rglob("*") if p.is_file())
    print(f"site: {total / 2**20:.0f} MB in {build[0].result.total:,} files "
          f"(search index, three bundles: {search / 2**20:.0f} MB)")
    name = query or next(name for kind, name in cast() if kind == "PER")
    print(first_search_bytes(site, name))


def prepare(folder: Path):
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("digests", "entities", "index.md", "archive.md"))
    raw = {"timezone": "Asia/Riyadh", "site_url": "https://example.org/marsad/",
           "report_pdf": False,  # WeasyPrint, a few seconds a report: not what this measures
           "sources": [{"name": "مصدر 1", "url": "feeds/1.xml", "section": "سياسة"}]}
    return parse_config(raw, folder / "marsad.yml")


def timed(step):
    """The step's result, its wall time, and the CPU time it took in this process and its
    children (the figure a busy shared machine disturbs least)."""
    started, cpu = time.perf_counter(), _cpu()
    result = step()
    return result, time.perf_counter() - started, _cpu() - cpu


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
