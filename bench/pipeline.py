"""Benchmark of every stage of `marsad run` on a synthetic corpus served from local files.

    .venv/bin/python bench/pipeline.py [--feeds 40] [--entries 25] [--words 400]

Prints, per stage, the time taken and its throughput, then the peak memory of the process.
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
        print(f"corpus: {args.feeds} feeds × {args.entries} entries × ~{args.words} words = {total} articles")
        timed("ingest", lambda: pipeline.ingest(config, progress=False), total, "articles")
        timed("analyze", lambda: pipeline.analyze(config, progress=False), total, "articles")
        report = timed("render", lambda: pipeline.render(config), None, "")
        print(f"         {report.digests} digests")
        timed("build", lambda: pipeline.build(config), None, "")
        timed("run again (unchanged)", lambda: [pipeline.ingest(config, progress=False),
              pipeline.analyze(config, progress=False), pipeline.render(config),
              pipeline.build(config)], None, "")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


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


def timed(name: str, step, count: int | None, unit: str):
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    rate = f", {count / seconds:,.0f} {unit}/s" if count else ""
    print(f"{name:>22}: {seconds:7.2f} s{rate}")
    return result


if __name__ == "__main__":
    main()
