"""Stories in a real SQLite store: continuation across days, copies, the window, incremental days."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from generator.arabic import Analyzer
from generator.model import Article
from generator.link import link
from generator.pipeline import day_archive, update_stories
from generator.store import Store
from generator.stories import cluster_days, incoming

RIYADH = ZoneInfo("Asia/Riyadh")
MONDAY = datetime(2026, 10, 5, 7, 0, tzinfo=timezone.utc)

FLOODS_1 = ("أمطار طوفانية تغرق أحياء في نابل التونسية",
            "غمرت مياه الأمطار الطوفانية أحياء عدة في مدينة نابل شمال شرق تونس، ما أدى إلى "
            "انقطاع الطرقات. وأعلنت الحماية المدنية إجلاء عشرات العائلات من المنازل المهددة.")
FLOODS_2 = ("الحماية المدنية تجلي عائلات في نابل بعد الفيضانات",
            "أجلت فرق الحماية المدنية التونسية أكثر من ستين عائلة في ولاية نابل بعد أن غمرت "
            "الفيضانات منازلها. وعلقت وزارة التربية الدروس في مدارس الولاية.")
FLOODS_NEXT_DAY = ("حصيلة فيضانات نابل ترتفع إلى ثلاثة قتلى",
                   "ارتفعت حصيلة الفيضانات التي ضربت ولاية نابل التونسية إلى ثلاثة قتلى. وواصلت "
                   "فرق الحماية المدنية البحث عن مفقود بعد أن جرفت السيول سيارته في نابل.")
RATES = ("البنك المركزي الأردني يرفع أسعار الفائدة ربع نقطة",
         "قرر البنك المركزي الأردني رفع أسعار الفائدة الرئيسية بمقدار خمس وعشرين نقطة أساس. "
         "وقال محافظ البنك المركزي الأردني ناصر العبادي إن الاحتياطيات الأجنبية في مستوى مريح.")
FOOTBALL = ("الرجاء يقلب الطاولة على الترجي في دوري أبطال أفريقيا",
            "قلب الرجاء البيضاوي تأخره إلى فوز بهدفين على الترجي التونسي في الدار البيضاء ضمن "
            "دوري أبطال أفريقيا. وسجل المهاجم أيمن الفيلالي هدفين في الشوط الثاني.")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def article(id_: str, story: tuple[str, str], day: int, hour: int = 0, source: str = "وكالة",
            duplicate_of: str = "") -> Article:
    title, text = story
    published = MONDAY + timedelta(days=day, hours=hour)
    return Article(id_, source, "عام", f"https://a.example/{id_}", title, published, published,
                   "", text, hashlib.sha1((id_ + text).encode()).hexdigest(),
                   duplicate_of=duplicate_of)


def add_and_place(store: Store, analyzer: Analyzer, articles: list[Article]) -> int:
    store.add_articles(articles)
    store.save_analyses([(a, analyzer.analyze(a.text)) for a in articles if not a.duplicate_of], "t")
    link(store)
    return update_stories(store, RIYADH, progress=False)


def stories(store: Store) -> dict[str, str]:
    return {article: story for article, (story, _) in store.story_assignments().items()}


def test_a_new_days_articles_continue_yesterdays_story_and_others_do_not(store_target, analyzer):
    with Store.open(store_target) as store:
        assert add_and_place(store, analyzer, [article("f1", FLOODS_1, 0), article("f2", FLOODS_2, 0, 3),
                                               article("r1", RATES, 0, 5)]) == 3
        monday = stories(store)
        assert monday["f1"] == monday["f2"] != monday["r1"]
        assert add_and_place(store, analyzer, [article("f3", FLOODS_NEXT_DAY, 1),
                                               article("b1", FOOTBALL, 1, 2)]) == 2
        tuesday = stories(store)
        assert {k: tuesday[k] for k in monday} == monday  # earlier days are not re-clustered
        assert tuesday["f3"] == monday["f1"]
        assert tuesday["b1"] not in monday.values()
        seen = store.stories_seen(date(2026, 10, 6), date(2026, 10, 6))
        assert (monday["f1"], date(2026, 10, 5), date(2026, 10, 6), 3) in seen
        assert len(seen) == 2  # the floods and the football; the rates story was last seen Monday
        assert add_and_place(store, analyzer, []) == 0  # nothing left: the step is idempotent


def test_a_story_seen_more_than_seven_days_ago_does_not_continue(tmp_path, analyzer):
    with Store.open(tmp_path / "s.sqlite") as store:
        add_and_place(store, analyzer, [article("f1", FLOODS_1, 0), article("f2", FLOODS_2, 0, 2)])
        add_and_place(store, analyzer, [article("f3", FLOODS_NEXT_DAY, 9)])
        placed = stories(store)
        assert placed["f1"] == placed["f2"] != placed["f3"]


def test_copies_are_always_in_their_originals_story(store_target, analyzer):
    with Store.open(store_target) as store:
        add_and_place(store, analyzer, [
            article("r1", RATES, 0), article("f1", FLOODS_1, 0, 1),
            # same day, another outlet, and text that alone would not match its original
            article("c1", FOOTBALL, 0, 2, source="صحيفة", duplicate_of="r1")])
        # a later day: the copy of Monday's article joins Monday's story whatever it says
        add_and_place(store, analyzer, [article("c2", FLOODS_2, 2, source="موقع", duplicate_of="r1")])
        placed = stories(store)
        assert placed["c1"] == placed["c2"] == placed["r1"] != placed["f1"]


def test_day_by_day_in_the_store_gives_the_stories_of_the_archive_at_once(tmp_path, analyzer):
    days = [[article("f1", FLOODS_1, 0), article("r1", RATES, 0, 4)],
            [article("f2", FLOODS_2, 1), article("b1", FOOTBALL, 1, 3)],
            [article("f3", FLOODS_NEXT_DAY, 2)]]
    with Store.open(tmp_path / "s.sqlite") as store:
        for day in days:
            add_and_place(store, analyzer, day)
        one_by_one = stories(store)
    everything = [a for day in days for a in day]
    at_once = {m.article_id: m.story_id for m in cluster_days(
        incoming(a, analyzer.analyze(a.text), RIYADH) for a in everything)}
    assert at_once == one_by_one
    assert len(set(at_once.values())) == 3


def test_a_days_digest_reads_its_stories_context_from_the_store(store_target, analyzer):
    with Store.open(store_target) as store:
        add_and_place(store, analyzer, [article("f1", FLOODS_1, 0), article("f2", FLOODS_2, 0, 2),
                                        article("c1", FLOODS_2, 0, 3, source="صحيفة", duplicate_of="f2")])
        add_and_place(store, analyzer, [article("f3", FLOODS_NEXT_DAY, 1), article("r1", RATES, 1, 1)])
        tuesday = date(2026, 10, 6)
        start = datetime(2026, 10, 6, tzinfo=RIYADH)
        items = store.analyzed_between(start, start + timedelta(days=1))
        archive = day_archive(store, tuesday, items, RIYADH, date(2026, 10, 5), [])
        floods = archive.story_of["f3"]
        assert [a.id for a, _ in archive.by_story[floods]] == ["f1", "f2", "f3"]  # oldest first
        assert archive.timelines[floods] == {date(2026, 10, 5): 3, tuesday: 1}  # the copy counts
        nabeul = next(e.id for _, n in items for e in n.entities if e.name == "نابل")
        assert archive.mentions[nabeul][date(2026, 10, 5)] == 2  # two articles named it Monday
