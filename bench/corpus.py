"""A synthetic Arabic news corpus for the benchmarks: deterministic, any size, no network."""

from __future__ import annotations

import hashlib
import random
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.model import Article  # noqa: E402

PEOPLE = ["الرئيس عبد المجيد تبون", "وزير الخارجية المصري سامح شكري", "الأمين العام أحمد أبو الغيط",
          "المبعوث الأممي عبد الله باتيلي", "رئيس الوزراء محمد شياع السوداني", "الملك عبد الله الثاني"]
PLACES = ["القاهرة", "الرياض", "طرابلس", "تونس", "الجزائر", "بغداد", "عمان", "الرباط", "دمشق", "بيروت"]
ORGS = ["الأمم المتحدة", "جامعة الدول العربية", "صندوق النقد الدولي", "منظمة الصحة العالمية", "الاتحاد الأفريقي"]
TOPICS = ["المفاوضات السياسية", "أسعار النفط", "التضخم", "الانتخابات المقبلة", "الأمن الغذائي", "إعادة الإعمار"]
SENTENCES = [
    "وقال {person} في مؤتمر صحفي في {place}: «إن {topic} تمثل أولوية قصوى في المرحلة المقبلة».",
    "وأكد {person} أن {org} ستواصل دعم {topic} في {place}.",
    "وأضاف أن الحكومة تعمل مع {org} على معالجة {topic} خلال الأشهر المقبلة.",
    "وشهدت {place} اجتماعات مكثفة بين ممثلي {org} لبحث {topic}.",
    "وأشارت تقارير صادرة عن {org} إلى تحسن ملحوظ في مؤشرات {topic} في {place}.",
    "ويرى مراقبون أن {topic} ستبقى محور النقاش في {place} خلال الأسابيع المقبلة.",
]


def article_text(rng: random.Random, words: int) -> str:
    """Paragraphs of news-like sentences until about `words` words."""
    paragraphs, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            sentence = rng.choice(SENTENCES).format(person=rng.choice(PEOPLE), place=rng.choice(PLACES),
                                                    org=rng.choice(ORGS), topic=rng.choice(TOPICS))
            sentences.append(sentence)
            count += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    return "\n".join(paragraphs)


def rss_feed(feed: int, entries: int, words: int, start: datetime, seed: int = 0) -> bytes:
    """One RSS 2.0 feed of `entries` articles, dated over the days after `start`."""
    rng = random.Random(seed * 100_003 + feed)
    items = []
    for i in range(entries):
        published = start + timedelta(minutes=37 * i + 11 * feed)
        body = "".join(f"<p>{escape(p)}</p>" for p in article_text(rng, words).split("\n"))
        items.append(
            f"<item><title>{escape(rng.choice(TOPICS))} في {escape(rng.choice(PLACES))} ({feed}-{i})</title>"
            f"<link>https://feed{feed}.example/news/{i}</link><guid>feed{feed}-{i}</guid>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape(body)}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>مصدر {feed}</title><link>https://feed{feed}.example/</link>{''.join(items)}"
            f"</channel></rss>").encode("utf-8")


def stored_articles(count: int, words: int, seed: int = 0) -> list[Article]:
    """`count` articles as ingest would store them, one a minute from START."""
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        text = article_text(rng, words)
        articles.append(Article(
            id=hashlib.sha1(f"{seed}-{i}".encode()).hexdigest()[:16], source="مصدر", section="عام",
            url=f"https://bench.example/{seed}/{i}", title=f"خبر {i}",
            published=START + timedelta(minutes=i), fetched=START, author="", text=text,
            content_hash=hashlib.sha1(text.encode("utf-8")).hexdigest()))
    return articles


START = datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)
