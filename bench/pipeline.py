"""Benchmark of every stage of `marsad run` on a synthetic corpus served from local files.

    .venv/bin/python bench/pipeline.py [--feeds 40] [--entries 25] [--words 400]

Prints, per stage, the time taken and its throughput over what that stage really processed
(ingest: the articles it stored; analyze: the articles it analyzed, not the copies of other
outlets' articles it skipped), then the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import START, rss_feed  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.config import parse_config  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=40)
    parser.add_argument("--entries", type=int, default=25)
    parser.add_argument("--words", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temp:
        folder = Path(temp)
        config = prepare(folder, args.feeds, args.entries, args.words)
        total = args.feeds * args.entries
        print(f"corpus: {args.feeds} feeds × {args.entries} entries × ~{args.words} words = {total} entries")
        ingested = timed("ingest", lambda: pipeline.ingest(config, progress=False),
                         lambda r: (r.total("new"), "articles stored"))
        print(f"{'':>24}{ingested.total('near_duplicates')} of them copies of other outlets' articles")
        analyzed = timed("analyze", lambda: pipeline.analyze(config, progress=False),
                         lambda r: (r.analyzed, f"articles analyzed by {r.workers} workers"))
        print(f"{'':>24}of which the analysis {analyzed.seconds:.2f} s "
              f"({analyzed.analyzed / analyzed.seconds:,.0f}/s), the registry's linking "
              f"{analyzed.link.seconds:.2f} s")
        timed("render", lambda: pipeline.render(config), lambda r: (r.digests, "digests"), per_second=False)
        timed("build", lambda: pipeline.build(config), lambda r: (len(r.result.written), "files written"),
              per_second=False)
        timed("run again (unchanged)", lambda: [pipeline.ingest(config, progress=False),
              pipeline.analyze(config, progress=False), pipeline.render(config),
              pipeline.build(config)])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (this process; analysis workers are processes of their own)")


def prepare(folder: Path, feeds: int, entries: int, words: int):
    (folder / "feeds").mkdir()
    for feed in range(feeds):
        (folder / "feeds" / f"{feed}.xml").write_bytes(rss_feed(feed, entries, words, START))
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content",
                    ignore=shutil.ignore_patterns("digests", "index.md", "archive.md"))
    raw = {"timezone": "Asia/Riyadh",
           "sources": [{"name": f"مصدر {i}", "url": f"feeds/{i}.xml", "section": ["سياسة", "اقتصاد"][i % 2]}
                       for i in range(feeds)]}
    return parse_config(raw, folder / "marsad.yml")


def timed(name: str, step, counted=None, per_second: bool = True):
    """Run a stage; `counted` says from its report how many things it processed, and what."""
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    rate = ""
    if counted is not None:
        count, what = counted(result)
        rate = f", {count:,} {what}" + (f", {count / seconds:,.0f}/s" if count and per_second else "")
    print(f"{name:>22}: {seconds:7.2f} s{rate}")
    return result


if __name__ == "__main__":
    main()
