"""Benchmark of story clustering: a month of a large agency's intake, and one more day of it.

    .venv/bin/python bench/stories.py [--days 30] [--sizes 2000,5000,10000,20000] [--day 700]

The corpus is synthetic and deterministic: events last one to five days, each with its own
words and entities drawn from shared pools (so events overlap), reported by 1-12 articles a
day of about 150 words in a common vocabulary. Each size runs in a fresh process (its peak
memory is its own) and is timed as `marsad analyze` does it: content words of every article,
then the day-by-day clustering over a 7-day window. Then a real SQLite store is given the
month's articles and stories, and one day of new articles is placed with `update_stories`, the
step `marsad analyze` runs (the synthetic analyses are not linked to a registry: their entity
names stand for ids). Targets: 20,000 articles in under 60 s and 2 GB; a day in under 5 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.model import Analysis, Article, Entity  # noqa: E402
from generator.pipeline import update_stories  # noqa: E402
from generator.store import Store  # noqa: E402
from generator.stories import cluster_days, incoming  # noqa: E402

TZ = ZoneInfo("Asia/Riyadh")
START = datetime(2026, 9, 1, 6, 0, tzinfo=timezone.utc)
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
COMMON = ["في", "من", "على", "إلى", "أن", "التي", "الذي", "وقال", "وأضاف", "خلال", "بعد", "مع"]


def _words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 7))) for _ in range(count)]


def corpus(total: int, days: int, seed: int = 1) -> list[tuple[Article, Analysis]]:
    """About `total` articles over `days` days, in publication order."""
    rng = random.Random(seed)
    vocabulary = _words(rng, 20_000)
    entity_pool = [f"{kind}-{i:05d}" for kind in ("per", "loc", "org") for i in range(3000)]
    per_day = total / days
    items: list[tuple[Article, Analysis]] = []
    events = []
    for day in range(days):
        while sum(e["rate"] for e in events if e["end"] > day) < per_day:
            events.append({"words": rng.sample(vocabulary, 12),
                           "entities": rng.sample(entity_pool, rng.randint(2, 4)),
                           "end": day + rng.randint(1, 5), "rate": rng.randint(1, 12)})
        for event in events:
            if event["end"] <= day:
                continue
            for _ in range(event["rate"]):
                if len(items) >= total * (day + 1) / days:
                    break
                items.append(_article(rng, len(items), day, event, vocabulary))
    return items


def _article(rng: random.Random, n: int, day: int, event: dict, vocabulary: list[str]):
    words = [rng.choice(event["words"]) if rng.random() < 0.3 else
             rng.choice(COMMON) if rng.random() < 0.3 else
             vocabulary[min(int(rng.paretovariate(0.8)), len(vocabulary) - 1)]
             for _ in range(150)]
    text = " ".join(words) + "."
    published = START + timedelta(days=day, minutes=rng.randint(0, 16 * 60))
    article = Article(f"a{n:06d}", f"وكالة {n % 40}", "عام", f"https://bench.example/{n}",
                      " ".join(rng.sample(event["words"], 5)), published, published, "", text,
                      hashlib.sha1(text.encode("utf-8")).hexdigest())
    entities = [Entity(name, name[:3].upper(), [], name) for name in event["entities"]]
    return article, Analysis([text], entities, [], [])


def one_size(total: int, days: int) -> dict:
    items = corpus(total, days)
    started = time.perf_counter()
    features = [incoming(article, analysis, TZ) for article, analysis in items]
    featured = time.perf_counter()
    members = cluster_days(features)
    done = time.perf_counter()
    return {"articles": len(items), "stories": len({m.story_id for m in members}),
            "features": featured - started, "clustering": done - featured,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def one_day(days: int, day_size: int) -> dict:
    """A store with `days` days of `day_size` articles and their stories, then one more day."""
    items = corpus(day_size * (days + 1), days + 1, seed=2)
    last_day = items[-1][0].published.astimezone(TZ).date()
    old = [pair for pair in items if pair[0].published.astimezone(TZ).date() < last_day]
    new = [pair for pair in items if pair[0].published.astimezone(TZ).date() == last_day]
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "s.sqlite") as store:
        store.add_articles(article for article, _ in items)
        store.save_analyses(items, "bench")
        store.save_story_members(cluster_days(incoming(a, n, TZ) for a, n in old))
        stories = store.story_count()
        started = time.perf_counter()
        placed = update_stories(store, TZ, progress=False)
        seconds = time.perf_counter() - started
        return {"month": len(old), "stories": stories, "day": len(new), "placed": placed,
                "new_stories": store.story_count() - stories, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sizes", default="2000,5000,10000,20000")
    parser.add_argument("--day", type=int, default=700, help="articles of the added day")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.days)))
        return
    print(f"stories: clustering a month ({args.days} days) of synthetic articles, "
          "each size in a fresh process")
    previous = None
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--days", str(args.days), "--one",
                              str(size)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        total = r["features"] + r["clustering"]
        growth = f", x{total / previous:.2f} the time of the size before" if previous else ""
        print(f"  {r['articles']:>6} articles -> {r['stories']:>5} stories: {total:6.1f} s "
              f"(content words {r['features']:.1f} s, clustering {r['clustering']:.1f} s; "
              f"{r['articles'] / total:,.0f} articles/s), peak memory {r['peak_mb']:,.0f} MB"
              f"{growth}")
        previous = total
    r = one_day(args.days, args.day)
    print(f"  one more day: {r['day']} articles placed among {r['stories']} stories of "
          f"{r['month']} articles (SQLite store) in {r['seconds']:.2f} s, "
          f"{r['new_stories']} new stories (target < 5 s)")
    print("Targets: 20,000 articles in < 60 s and < 2 GB; one day of 700 in < 5 s.")


if __name__ == "__main__":
    main()
