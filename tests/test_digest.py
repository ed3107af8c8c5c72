from zoneinfo import ZoneInfo

from conftest import utc

from generator.digest import build_digests
from generator.model import Analysis, Article, Entity, Mention, Quote

RIYADH = ZoneInfo("Asia/Riyadh")


def article(id_: str, published, section="سياسة", source="وكالة") -> Article:
    return Article(id_, source, section, f"https://a.example/{id_}", f"عنوان {id_}", published,
                   published, "", "نص", "h" + id_)


def analysis(entities=(), quotes=()) -> Analysis:
    return Analysis(["جملة."], list(entities), list(quotes), ["ملخص."])


def entity(name, kind="PER", count=1) -> Entity:
    return Entity(name, kind, [Mention(name, i * 10, i * 10 + len(name)) for i in range(count)])


def test_days_are_cut_in_the_configured_timezone():
    late_evening_utc = article("a", utc(2026, 11, 26, 22, 30))  # already the 27th in Riyadh
    morning = article("b", utc(2026, 11, 27, 6, 0))
    digests = build_digests([(late_evening_utc, analysis()), (morning, analysis())], RIYADH)
    assert [str(d.day) for d in digests] == ["2026-11-27"]
    assert digests[0].sections[0].articles[0].published.utcoffset().total_seconds() == 3 * 3600


def test_sections_follow_the_configured_order_and_articles_newest_first():
    items = [(article("a", utc(2026, 11, 27, 6), "اقتصاد"), analysis()),
             (article("b", utc(2026, 11, 27, 7), "سياسة"), analysis()),
             (article("c", utc(2026, 11, 27, 9), "سياسة"), analysis())]
    (digest,) = build_digests(items, RIYADH, section_order=("سياسة", "اقتصاد"))
    assert [s.name for s in digest.sections] == ["سياسة", "اقتصاد"]
    assert [a.id for a in digest.sections[0].articles] == ["c", "b"]
    assert digest.article_count == 3


def test_quotes_of_the_day_are_attributed_direct_first_and_unique():
    direct = Quote("أحمد أبو الغيط", "لا بديل عن الحل السياسي", "direct", 0, 10, "قال")
    indirect = Quote("سامح شكري", "المفاوضات ستستأنف", "indirect", 0, 10, "أكد")
    anonymous = Quote("", "كلام بلا قائل", "direct", 0, 10)
    items = [(article("a", utc(2026, 11, 27, 9)), analysis(quotes=[indirect, anonymous])),
             (article("b", utc(2026, 11, 27, 6)), analysis(quotes=[direct])),
             (article("c", utc(2026, 11, 27, 5)), analysis(quotes=[direct]))]
    (digest,) = build_digests(items, RIYADH)
    assert [(q.speaker, q.kind) for q in digest.quotes] == [("أحمد أبو الغيط", "direct"), ("سامح شكري", "indirect")]
    assert digest.quotes[0].article_url == "https://a.example/b"


def test_leaderboard_counts_articles_then_mentions():
    items = [(article("a", utc(2026, 11, 27, 9)), analysis([entity("ليبيا", "LOC", 3), entity("القاهرة", "LOC")])),
             (article("b", utc(2026, 11, 27, 8)), analysis([entity("ليبيا", "LOC"), entity("الأمم المتحدة", "ORG", 5)]))]
    (digest,) = build_digests(items, RIYADH)
    assert [(e.name, e.articles, e.mentions) for e in digest.entities] == [
        ("ليبيا", 2, 4), ("الأمم المتحدة", 1, 5), ("القاهرة", 1, 1)]


def test_every_speaker_is_heard_before_anyone_speaks_twice():
    first = [Quote("أ", f"قول {i}", "direct", 0, 5) for i in range(3)]
    other = Quote("ب", "قول آخر", "direct", 0, 5)
    items = [(article("a", utc(2026, 11, 27, 9)), analysis(quotes=first)),
             (article("b", utc(2026, 11, 27, 6)), analysis(quotes=[other]))]
    (digest,) = build_digests(items, RIYADH)
    assert [q.speaker for q in digest.quotes] == ["أ", "ب", "أ", "أ"]


def test_other_outlets_of_a_syndicated_text_are_listed():
    items = [(article("a", utc(2026, 11, 27, 9)), analysis())]
    (digest,) = build_digests(items, RIYADH, outlets={"a": ["صحيفة", "موقع"]})
    assert digest.sections[0].articles[0].also_in == ["صحيفة", "موقع"]


