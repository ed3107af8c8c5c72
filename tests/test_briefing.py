"""Summaries, trends and the digest as ranked stories (plain data, then the rendered page)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from conftest import utc

from generator.digest import build_digests
from generator.model import Analysis, Article, Entity, Mention, Quote, Watchlist
from generator.render import make_environment, render_pages
from generator.config import DEFAULT_TEMPLATES
from generator.stories import story_id
from generator.summarize import headline, key_quotes, summarize_story
from generator.trends import robust_score, rising_entities

RIYADH = ZoneInfo("Asia/Riyadh")

LEAD = "ضرب زلزال بقوة ست درجات ولاية ملاطية شرق تركيا فجر اليوم وشعر به سكان الولايات المجاورة."
SHARED = "وقالت إدارة الكوارث إن فرق الإنقاذ توجهت إلى القرى القريبة من مركز الزلزال في ملاطية."


def item(id_: str, title: str, sentences: list[str], hour: int = 8, source: str = "وكالة",
         entities=(), quotes=(), day: int = 5) -> tuple[Article, Analysis]:
    published = utc(2026, 10, day, hour)
    text = " ".join(sentences)
    return (Article(id_, source, "عام", f"https://a.example/{id_}", title, published, published,
                    "", text, "h" + id_),
            Analysis(sentences, list(entities), list(quotes), sentences[:1]))


def entity(name: str, kind: str = "LOC") -> Entity:
    return Entity(name, kind, [Mention(name, 0, len(name))], f"{kind.lower()}-{name}")


QUAKE = [
    item("a", "هزة أرضية قوية في شرق البلاد فجرا", [LEAD, SHARED, "ولم ترد تقارير فورية عن ضحايا بين السكان حتى الآن."]),
    item("b", "آفاد: انهيار مبان قديمة وعشرات الجرحى في زلزال ملاطية بشرق تركيا وسط مخاوف من هزات",
         [SHARED, "وأعلنت آفاد انهيار عدد من المباني القديمة في ملاطية وإصابة عشرات الأشخاص.",
          "ونصبت السلطات خياما لإيواء السكان الذين غادروا منازلهم في ملاطية."], hour=11,
         source="صحيفة"),
    item("c", "زلزال ملاطية: انهيار مبان وجرحى", ["أمضى آلاف السكان في ملاطية ساعات في الشوارع بعد الزلزال والهزات.",
                                                 "وأعلنت آفاد أن عدد الجرحى في زلزال ملاطية بلغ ثلاثة وستين."],
         hour=14, source="موقع"),
]


def test_the_summary_opens_with_the_news_spans_articles_and_never_repeats_a_sentence():
    summary = summarize_story(QUAKE)
    assert summary[0] == LEAD
    assert 2 <= len(summary) <= 4
    assert summary.count(SHARED) <= 1 and len(set(summary)) == len(summary)
    sources = {a.id for a, analysis in QUAKE for s in summary if s in analysis.sentences}
    assert len(sources) >= 2  # chosen across the story's articles


def test_a_single_article_story_is_summarized_by_the_same_method():
    assert summarize_story(QUAKE[:1]) == [LEAD, SHARED]


def test_the_headline_is_the_most_representative_title_not_the_longest():
    title, url = headline(QUAKE)
    assert title == "زلزال ملاطية: انهيار مبان وجرحى" and url == "https://a.example/c"


def test_key_quotes_are_attributed_and_each_told_once():
    said = Quote("وزير الداخلية", "لم نعثر على أحد تحت الأنقاض", "direct", 0, 10)
    items = [item("q1", "أ", [LEAD], quotes=[said]), item("q2", "ب", [LEAD], quotes=[said],
                                                         source="صحيفة")]
    quotes = key_quotes(items)
    assert [(q.speaker, q.article_url) for q in quotes] == [("وزير الداخلية", "https://a.example/q1")]


def test_robust_score_new_entities_and_spikes():
    assert robust_score(5, [0] * 14) == (0.0, 5.0)  # a new entity: the scale's floor is 1 article
    median, score = robust_score(12, [3, 4, 3, 5, 4, 3, 4, 40, 3, 4, 5, 4, 3, 4])
    assert median == 4.0 and score > 3.5  # one old spike moves neither median nor MAD
    names = {"loc-x": ("س", "LOC"), "loc-y": ("ص", "LOC")}
    day = date(2026, 10, 20)
    counts = {"loc-x": {day - timedelta(days=k): 4 for k in range(1, 15)},
              "loc-y": {day - timedelta(days=k): 4 for k in range(1, 15)}}
    counts["loc-x"][day], counts["loc-y"][day] = 9, 5
    counts = {k: Counter(v) for k, v in counts.items()}
    assert [t.id for t in rising_entities(counts, day, day - timedelta(days=14), names)] == ["loc-x"]
    assert rising_entities(counts, day, day - timedelta(days=2), names) == []  # too little history


def test_the_digest_ranks_stories_marks_them_and_fills_watchlist_sections():
    turkey, sudan = entity("تركيا"), entity("السودان")
    earlier = [item(f"e{i}", "هزة أرضية قوية في شرق البلاد فجرا", [LEAD], day=4, entities=[turkey], hour=8 + i)
               for i in range(2)]
    quake = [(a, Analysis(n.sentences, [turkey], n.quotes, n.summary)) for a, n in QUAKE]
    lone = item("s", "هدنة في السودان", ["دعت القاهرة إلى هدنة إنسانية عاجلة في السودان لإيصال الغذاء."],
                hour=20, entities=[sudan])
    stories = {a.id: ("st-quake", a.published.astimezone(RIYADH).date()) for a, _ in earlier + quake}
    digests = build_digests(earlier + quake + [lone], RIYADH, stories=stories,
                            watchlists=[Watchlist("السودان", query="السودان AND NOT زلزال")])
    day = digests[-1]
    assert [s.id for s in day.stories] == ["st-quake", story_id("s")]
    quake_story, sudan_story = day.stories
    assert quake_story.developing and not quake_story.new
    assert quake_story.first_seen == date(2026, 10, 4) and quake_story.timeline == [
        (date(2026, 10, 4), 2), (date(2026, 10, 5), 3)]
    assert quake_story.outlets == ["وكالة", "صحيفة", "موقع"]
    assert sudan_story.new and sudan_story.summary
    assert [(w.name, [s.id for s in w.stories], [a.id for a in w.articles])
            for w in day.watchlists] == [("السودان", [sudan_story.id], ["s"])]
    assert quake_story.score > sudan_story.score  # three outlets and growth beat one

    pages = render_pages(digests, make_environment(DEFAULT_TEMPLATES), "مرصد")
    page = pages["digests/2026/10/05.md"]
    assert "## قصص اليوم" in page
    assert f"### 1. [{quake_story.headline}]({quake_story.url})" in page
    assert "قصة متطورة منذ" in page and "جديد اليوم" in page
    assert "## قائمة المتابعة: السودان" in page
