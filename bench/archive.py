"""A synthetic analyzed archive, written straight into a store: years of days in a minute.

Articles and their analyses (entities with ids, quotes with speakers, summaries) are made up
from word lists, deterministic for a seed, and saved through the store's own methods, without
the analyzer: what the site benchmark and the publishing tests need is an archive's shape
(days, articles a day, thousands of recurring entities), not real analyses.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from generator.arabic.linking import entity_id
from generator.link import link
from generator.model import Analysis, Article, Entity, Mention, Quote
from generator.store import Store

FIRST = ["محمد", "أحمد", "علي", "حسن", "خالد", "سامي", "عمر", "يوسف", "إبراهيم", "مصطفى",
         "عبد الله", "عبد الرحمن", "كريم", "طارق", "نبيل", "هشام", "وليد", "فؤاد", "جمال", "رامي",
         "ليلى", "فاطمة", "مريم", "سارة", "نور", "هدى", "سلمى", "رنا", "دينا", "منى",
         "زياد", "ماجد", "فيصل", "ناصر", "سعيد", "عادل", "باسم", "حسام", "أيمن", "شريف",
         "غسان", "مروان", "رياض", "قاسم", "بشير", "لؤي", "معاذ", "أنس", "بلال", "حمزة",
         "سمير", "منير", "توفيق", "رشيد", "صالح", "عماد", "إياد", "جواد", "مازن", "نزار"]
FAMILY = ["المصري", "العبيدي", "الحسيني", "الشمري", "القحطاني", "الزهراني", "التميمي", "الخطيب",
          "النجار", "الحداد", "العطار", "الصباغ", "البيطار", "الحلبي", "الدمشقي", "البغدادي",
          "الموصلي", "الطرابلسي", "التونسي", "الجزائري", "المغربي", "السوداني", "اليمني", "العماني",
          "الكويتي", "البحريني", "القطري", "الإماراتي", "الأردني", "اللبناني", "الفلسطيني",
          "السعدي", "الراشد", "الفارس", "العلي", "الحمد", "السالم", "الخليل", "الكردي", "الشامي",
          "بن علي", "بن يوسف", "بن سالم", "بوزيد", "بلقاسم", "الإدريسي", "العلوي", "الفاسي",
          "المراكشي", "الرباطي", "عيسى", "موسى", "داود", "سليمان", "يعقوب", "إسحاق", "نوح",
          "شاكر", "حامد", "راضي", "ناجي", "فهمي", "حلمي", "رمزي", "شوقي", "حقي", "صبري",
          "عزمي", "لطفي", "نصري", "وهبي", "زكي", "رشدي", "سري", "بهجت", "عصمت", "رفعت", "جودت",
          "نعمان", "عثمان", "مرعي", "قباني", "الخوري", "حداد", "نصار", "عواد", "صايغ", "معلوف",
          "غانم", "سلامة", "بركات", "عيد", "شحادة", "الحاج", "الشيخ", "الأمين", "الرفاعي", "الكيلاني"]
CITIES = ["القاهرة", "الرياض", "طرابلس", "تونس", "الجزائر", "بغداد", "عمان", "الرباط", "دمشق",
          "بيروت", "الخرطوم", "صنعاء", "مسقط", "الدوحة", "المنامة", "الكويت", "أبوظبي", "جدة",
          "الإسكندرية", "البصرة", "الموصل", "حلب", "وهران", "صفاقس", "مراكش", "فاس", "بنغازي",
          "نواكشوط", "جيبوتي", "مقديشو"]
ORG_KINDS = ["وزارة", "هيئة", "مجلس", "اتحاد", "جمعية", "مؤسسة", "بنك", "شركة", "نقابة", "لجنة"]
ORG_TOPICS = ["الطاقة", "المياه", "الصحة", "التعليم", "النقل", "الإسكان", "الزراعة", "الصناعة",
              "التجارة", "الثقافة", "السياحة", "الاتصالات", "البيئة", "الشباب", "الرياضة",
              "العدل", "المالية", "الاستثمار", "التنمية", "الإعلام"]
TOPICS = ["المفاوضات السياسية", "أسعار النفط", "التضخم", "الانتخابات المقبلة", "الأمن الغذائي",
          "إعادة الإعمار", "الموازنة العامة", "أزمة المياه", "الاستثمار الأجنبي", "البطالة"]
SECTIONS = ["سياسة", "اقتصاد", "مجتمع"]
OUTLETS = [f"مصدر {n}" for n in range(1, 11)]


def cast(seed: int = 0) -> list[tuple[str, str]]:
    """The archive's recurring entities as (type, name): 6,000 people, 300 places, 200 bodies."""
    people = [("PER", f"{first} {family}") for family in FAMILY for first in FIRST]
    places = [("LOC", f"{prefix}{city}") for city in CITIES
              for prefix in ("", "ريف ", "شمال ", "جنوب ", "شرق ", "غرب ", "وسط ", "ضواحي ",
                             "محافظة ", "ميناء ")]
    bodies = [("ORG", f"{kind} {topic}") for kind in ORG_KINDS for topic in ORG_TOPICS]
    entities = people + places + bodies
    random.Random(seed).shuffle(entities)
    return entities


def day_articles(day: date, per_day: int, tz: ZoneInfo, entities: list[tuple[str, str]],
                 seed: int = 0) -> list[tuple[Article, Analysis]]:
    """One day's articles with their analyses; the same day and seed give the same articles."""
    rng = random.Random(f"{seed}:{day.isoformat()}")
    items = []
    for n in range(per_day):
        published = datetime.combine(day, time(6), tz) + timedelta(minutes=n * 960 // per_day + rng.randint(0, 20))
        cast_of = [entities[int(len(entities) * rng.random() ** 2)] for _ in range(rng.randint(5, 9))]
        items.append(_article(day, n, published, dict.fromkeys(cast_of), rng))
    return items


def _article(day: date, n: int, published: datetime, cast_of: dict, rng: random.Random
             ) -> tuple[Article, Analysis]:
    people = [name for kind, name in cast_of if kind == "PER"] or ["مصدر مطلع"]
    places = [name for kind, name in cast_of if kind == "LOC"] or ["العاصمة"]
    topic, place, speaker = rng.choice(TOPICS), rng.choice(places), rng.choice(people)
    said = f"إن {topic} تمثل أولوية في {place} خلال المرحلة المقبلة"
    sentences = [f"قال {speaker} في {place}: «{said}».",
                 f"وأكد أن {' و'.join(name for _, name in list(cast_of)[:3])} تتابع ملف {topic}.",
                 f"وشهدت {place} اجتماعات لبحث {topic} بحضور {' و'.join(people[:2])}.",
                 f"ويرى مراقبون أن {topic} ستبقى محور النقاش في الأسابيع المقبلة.",
                 f"وحضر اللقاء {'، '.join(name for _, name in cast_of)}."]
    text = " ".join(sentences)
    entities, taken = [], set()
    for kind, name in cast_of:  # every mention its own start, as the analyzer gives them
        spans = [i for i in range(len(text)) if text.startswith(name, i) and i not in taken][:3]
        taken.update(spans)
        entities.append(Entity(name, kind, [Mention(name, i, i + len(name)) for i in spans],
                               entity_id(kind, name)))
    start = text.index("«") + 1
    quote = Quote(speaker, said, "direct", start, start + len(said), "قال",
                  entity_id("PER", speaker) if ("PER", speaker) in cast_of else "")
    url = f"https://{n % len(OUTLETS)}.example/{day:%Y/%m/%d}/{n}"
    article = Article(
        id=hashlib.sha1(url.encode()).hexdigest()[:16], source=OUTLETS[n % len(OUTLETS)],
        section=SECTIONS[n % len(SECTIONS)], url=url, title=f"{topic} في {place}: {speaker} يتحدث",
        published=published.astimezone(ZoneInfo("UTC")), fetched=published.astimezone(ZoneInfo("UTC")),
        author="", text=text, content_hash=hashlib.sha1(text.encode()).hexdigest(),
        guid=url)
    return article, Analysis(sentences, entities, [quote], sentences[:2])


def fill(store: Store, first: date, days: int, per_day: int, tz: ZoneInfo, version: str,
         seed: int = 0) -> Iterator[int]:
    """Write `days` days from `first` into the store and link them to the entity registry;
    yields after each day (for progress)."""
    entities = cast(seed)
    for offset in range(days):
        add_day(store, day_articles(first + timedelta(days=offset), per_day, tz, entities, seed),
                version, link_now=False)
        yield offset
    link(store)


def add_day(store: Store, items: list[tuple[Article, Analysis]], version: str,
            link_now: bool = True) -> None:
    store.add_articles(article for article, _ in items)
    store.save_analyses(items, version)
    if link_now:
        link(store)
