"""The store at a year's scale, on both backends: load, entity queries, one day's render.

One year of synthetic analysed articles (30 a day, 10,950 articles; each with entities drawn
from a pool of persons, places and organizations written in several spellings, and quotes) is
stored and linked to the registry, then the queries the next features ask are timed:
"all quotes by X in March", "articles mentioning X and Y this week", "mentions of X per day for
a year", and rendering one day (its reads, its digest, its page). PostgreSQL is a throw-away
server started here when Debian's postgresql is installed (as `make test` does).

    .venv/bin/python bench/store.py [--days 365] [--per-day 30]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from postgres_server import PostgresServer, postgres_bin  # noqa: E402

from generator.config import DEFAULT_TEMPLATES  # noqa: E402
from generator.digest import build_digest  # noqa: E402
from generator.link import link  # noqa: E402
from generator.model import Analysis, Article, Entity, Mention, Quote  # noqa: E402
from generator.render import make_environment, render_pages  # noqa: E402
from generator.store import Store  # noqa: E402

TZ = ZoneInfo("Asia/Riyadh")
START = datetime(2025, 1, 1, 6, tzinfo=timezone.utc)
FIRST = ["محمد", "أحمد", "خالد", "سامي", "ليلى", "منى", "عمر", "يوسف", "رنا", "هدى", "طارق", "نادية"]
LAST = ["العلي", "حداد", "الخطيب", "النجار", "السعدي", "الحسيني", "بن علي", "المصري", "القاسم",
        "الشامي", "البكري", "الزين", "عيسى", "الأنصاري", "الفارس", "سليمان", "مراد", "ناصر"]
PLACES = ["طرابلس", "القاهرة", "بيروت", "الرباط", "تونس", "بغداد", "عمان", "الخرطوم", "صنعاء",
          "دمشق", "الجزائر", "الرياض", "الدوحة", "مسقط", "الكويت", "المنامة"]
ORGS = ["وزارة الخارجية", "البنك المركزي", "جامعة الدول العربية", "الأمم المتحدة", "مجلس النواب",
        "الاتحاد الأفريقي", "منظمة الصحة العالمية", "صندوق النقد الدولي"]


def people(rng: random.Random, count: int) -> list[tuple[str, ...]]:
    """Persons and the spellings they go by: full name, hamza-less, surname."""
    chosen = set()
    while len(chosen) < count:
        chosen.add((rng.choice(FIRST), rng.choice(FIRST), rng.choice(LAST)))
    out = []
    for first, middle, last in sorted(chosen):
        full = f"{first} {middle} {last}"
        out.append((full, full.replace("أ", "ا"), f"{first} {last}", last))
    return out


def synthetic_year(days: int, per_day: int, seed: int = 7):
    rng = random.Random(seed)
    persons = people(rng, 600)
    for day in range(days):
        for n in range(per_day):
            when = START + timedelta(days=day, minutes=25 * n)
            article_id = f"a{day:04d}-{n:02d}"
            cast = rng.sample(persons, 3)
            names = [(rng.choice(p[:3]), "PER") for p in cast] + \
                [(rng.choice(PLACES), "LOC"), (rng.choice(PLACES), "LOC"), (rng.choice(ORGS), "ORG")]
            entities, at = [], 0
            for name, type_ in names:
                mentions = []
                for _ in range(rng.randint(1, 3)):
                    mentions.append(Mention(name, at, at + len(name)))
                    at += len(name) + 20
                entities.append(Entity(name, type_, mentions, f"{type_.lower()}-{name}"))
            quotes = [Quote(entities[k].name, f"تصريح رقم {day}-{n}-{k}", rng.choice(("direct", "indirect")),
                            at + 10 * k, at + 10 * k + 8, "قال", entities[k].id) for k in range(2)]
            text = f"نص المقال {article_id} " * 30
            article = Article(article_id, f"مصدر {n % 12}", ("سياسة", "اقتصاد")[n % 2],
                              f"https://news.example/{article_id}", f"عنوان {article_id}", when, when,
                              "", text, f"hash-{article_id}")
            yield article, Analysis([text[:80]], entities, quotes, [text[:120]])


def timed(label: str, func, repeat: int = 5):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    print(f"  {label:<52} {best * 1000:8.1f} ms")
    return result


def bench(target: str, days: int, per_day: int) -> None:
    with Store.open(target) as store:
        started = time.perf_counter()
        batch: list = []
        for item in synthetic_year(days, per_day):
            batch.append(item)
            if len(batch) == 1000:
                store.add_articles(a for a, _ in batch)
                store.save_analyses(batch, "bench")
                batch = []
        if batch:
            store.add_articles(a for a, _ in batch)
            store.save_analyses(batch, "bench")
        stored = time.perf_counter() - started
        linked = link(store)
        total = time.perf_counter() - started
        count = store.article_count()
        print(f"  load: {count:,} articles stored in {stored:.1f} s, linked in {linked.seconds:.1f} s "
              f"({linked.entities:,} entities); {count / total:,.0f} articles/s in all")
        top = store.entities(type_="PER")[0]
        (_, latest), = store.analyzed_between(top.last_seen, top.last_seen + timedelta(seconds=1))
        place = next(e for e in latest.entities if e.type == "LOC")  # seen with X that week
        said = timed(f"quotes by one person in March ({top.name})",
                     lambda: store.quotes_by(top.id, datetime(2025, 3, 1, tzinfo=TZ), datetime(2025, 4, 1, tzinfo=TZ)))
        week = top.last_seen - timedelta(days=3)
        found = timed("articles mentioning X and Y in one week",
                      lambda: store.articles_mentioning([top.id, place.id], week, week + timedelta(days=7)))
        daily = timed("mentions of X per day for a year",
                     lambda: store.mentions_per_day(top.id, START, START + timedelta(days=366), TZ))
        env = make_environment(DEFAULT_TEMPLATES)

        def one_day():
            day = (START + timedelta(days=days // 2)).astimezone(TZ).date()
            start = datetime.combine(day, datetime.min.time(), tzinfo=TZ)
            items = store.analyzed_between(start, start + timedelta(days=1))
            digest = build_digest(day, items, TZ, (), store.outlets([a.id for a, _ in items]))
            return render_pages([digest], env, "مرصد")

        timed("render one day (read, digest, page)", one_day)
        print(f"  (found: {len(said)} quotes, {len(found)} articles, {len(daily)} days with mentions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite ({args.days} days × {args.per_day} articles):")
        bench(str(Path(folder) / "marsad.sqlite"), args.days, args.per_day)
    bin_dir = postgres_bin()
    if bin_dir is None:
        print("PostgreSQL: not installed here; skipped (make test installs it)")
        return
    server = PostgresServer(bin_dir)
    server.start()
    try:
        print(f"PostgreSQL ({args.days} days × {args.per_day} articles):")
        bench(server.new_database(), args.days, args.per_day)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
