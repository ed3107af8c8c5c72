from datetime import date, datetime
from zoneinfo import ZoneInfo

from generator.model import Digest, DigestArticle, DigestSection, EntityCount, Quote
from generator.periods import Period
from generator.report import build_report

RIYADH = ZoneInfo("Asia/Riyadh")


def day(d: int, entities: list[EntityCount], sources=("وكالة", "صحيفة"), quotes=()) -> Digest:
    articles = [DigestArticle(f"a{d}{i}", f"خبر {i}", f"https://a.example/{d}/{i}", source,
                              datetime(2026, 11, d, 9, i, tzinfo=RIYADH), ["ملخص"], list(quotes),
                              [e.name for e in entities], also_in=["موقع"] * i,
                              entity_ids=[e.id for e in entities])
                for i, source in enumerate(sources)]
    return Digest(date(2026, 11, d), [DigestSection("سياسة", articles)], [], entities, sorted(set(sources)))


def test_a_week_report_adds_its_days_and_compares_with_the_week_before():
    libya = lambda n: EntityCount("ليبيا", "LOC", n, n, "loc-1")  # noqa: E731
    egypt = lambda n: EntityCount("مصر", "LOC", n, n, "loc-2")  # noqa: E731
    said = Quote("أحمد أبو الغيط", "لا بديل", "direct", 0, 5, "قال", "per-1")
    role = Quote("مصدر دبلوماسي", "الاجتماع مقبل", "indirect", 0, 5, "قال", "", unnamed=True)
    week = [day(23, [libya(2), egypt(1)], quotes=[said, role]), day(25, [libya(2)], sources=("وكالة",))]
    before = [day(17, [egypt(3)])]
    report = build_report(Period.of("week", date(2026, 11, 25)), week, before)
    assert report.article_count == 3 and report.days == [date(2026, 11, 23), date(2026, 11, 25)]
    assert [(s.name, s.count) for s in report.by_outlet] == [("وكالة", 2), ("صحيفة", 1)]
    assert [(s.name, s.count) for s in report.by_section] == [("سياسة", 3)]
    assert len(report.by_day) == 7 and report.by_day[0] == (date(2026, 11, 23), 2) and report.by_day[1][1] == 0
    assert [(e.name, e.articles, e.previous, e.change) for e in report.leaderboard] == [
        ("ليبيا", 4, 0, 4), ("مصر", 1, 3, -2)]
    assert [(p.name, p.quotes, p.id) for p in report.quoted] == [("أحمد أبو الغيط", 2, "per-1")]
    assert report.top_articles[0].also_in == ["موقع"]  # the most carried first
