"""Linking across days: one entity, one id, for the life of the archive (both backends)."""

from __future__ import annotations

from datetime import timedelta

from conftest import utc

from generator.link import canonical_name, link, merge_into, name_key
from generator.model import Analysis, Article, Entity, Mention, Quote, WatchEntity, Watchlist
from generator.store import Store

LEAGUE = Watchlist("الجامعة", (WatchEntity("جامعة الدول العربية", "ORG", ("الجامعة العربية",)),))


def day_article(n: int, entities, quotes=()) -> tuple[Article, Analysis]:
    when = utc(2026, 11, 1, 9) + timedelta(days=n)
    item = Article(f"a{n}", "وكالة", "سياسة", f"https://a.example/{n}", f"عنوان {n}", when, when,
                   "", f"نص {n}", f"h{n}")
    return item, Analysis(["جملة."], list(entities), list(quotes), ["ملخص."])


def ent(name: str, type_: str = "PER", at: int = 0) -> Entity:
    return Entity(name, type_, [Mention(name, at, at + len(name))], f"{type_.lower()}-analyzer-{name}")


def stored(target: str, items, watchlists=()) -> Store:
    store = Store.open(target)
    store.add_articles([a for a, _ in items])
    store.save_analyses(items, "v1")
    link(store, watchlists)
    return store


def ids_of(store: Store, name_part: str) -> set[str]:
    items = store.analyzed_between(utc(2000, 1, 1), utc(2100, 1, 1))
    return {e.id for _, a in items for e in a.entities if name_part in e.name}


def test_one_person_written_five_ways_over_ten_days_is_one_entity(store_target):
    ways = ["أبو الغيط", "أحمد أبو الغيط", "احمد ابو الغيط", "ابو غيط", "وأبو الغيط"]
    items = [day_article(n, [ent(ways[n % 5])]) for n in range(10)]
    with stored(store_target, items) as store:
        (record,) = store.entities(type_="PER")
        assert record.name == "أحمد أبو الغيط"  # the fullest common form
        assert record.articles == 10
        assert set(record.aliases) == set(ways)
        linked = store.analyzed_between(utc(2000, 1, 1), utc(2100, 1, 1))
        assert {e.id for _, a in linked for e in a.entities} == {record.id}
        assert {e.name for _, a in linked for e in a.entities} == {"أحمد أبو الغيط"}


def test_the_id_given_first_never_changes_when_the_name_grows(store_target):
    with Store.open(store_target) as store:
        first = [day_article(0, [ent("حفتر")])]
        store.add_articles([a for a, _ in first])
        store.save_analyses(first, "v1")
        link(store)
        (partial,) = store.entities()
        later = [day_article(n, [ent("خليفة حفتر")]) for n in (1, 2)]
        store.add_articles([a for a, _ in later])
        store.save_analyses(later, "v1")
        report = link(store)
        assert report.articles == 2  # only the new day's analyses were read
        (grown,) = store.entities()
        assert grown.id == partial.id and grown.name == "خليفة حفتر"


def test_two_people_sharing_a_surname_stay_two(store_target):
    items = [day_article(0, [ent("بشار الأسد")]), day_article(1, [ent("حافظ الأسد")]),
             day_article(2, [ent("بشار الأسد"), ent("ماهر الأسد", at=20)])]
    with stored(store_target, items) as store:
        names = sorted(e.name for e in store.entities())
        assert names == ["بشار الأسد", "حافظ الأسد", "ماهر الأسد"]


def test_a_surname_seen_first_is_not_given_to_a_second_person(store_target):
    items = [day_article(0, [ent("الأسد")]), day_article(1, [ent("بشار الأسد")]),
             day_article(2, [ent("حافظ الأسد")]), day_article(3, [ent("الأسد")])]
    with stored(store_target, items) as store:
        bashar = ids_of(store, "بشار")
        assert len(bashar) == 1 and ids_of(store, "حافظ") and ids_of(store, "حافظ") != bashar
        after = store.analyzed_between(utc(2026, 11, 4), utc(2026, 11, 5))
        assert {e.id for _, a in after for e in a.entities} == bashar  # the usual bearer


def test_a_watchlist_alias_always_wins_and_a_merge_keeps_the_old_id(store_target):
    with Store.open(store_target) as store:
        before = [day_article(0, [ent("الجامعة العربية", "ORG")],
                              [Quote("الجامعة العربية", "بيان", "indirect", 50, 54, "قالت",
                                     "org-analyzer-الجامعة العربية")])]
        store.add_articles([a for a, _ in before])
        store.save_analyses(before, "v1")
        link(store)
        (old,) = store.entities()
        report = link(store, [LEAGUE])  # the user adds the watchlist later
        assert report.merged == 1
        (league,) = store.entities()
        assert league.name == "جامعة الدول العربية" and league.watched
        assert store.entity(old.id).id == league.id  # published links keep working
        assert store.redirects() == {old.id: league.id}
        assert [q.text for q in store.quotes_by(old.id, utc(2026, 1, 1), utc(2027, 1, 1))] == ["بيان"]
        later = [day_article(5, [ent("جامعة الدول العربية", "ORG"), ent("الجامعه العربيه", "ORG", 30)])]
        store.add_articles([a for a, _ in later])
        store.save_analyses(later, "v1")
        link(store, [LEAGUE])
        assert [e.id for e in store.entities()] == [league.id]


def test_an_analyst_merges_two_entities(store_target):
    items = [day_article(0, [ent("محمد بن سلمان")]), day_article(1, [ent("ولي العهد السعودي")])]
    with stored(store_target, items) as store:
        crown, prince = sorted(store.entities(), key=lambda e: e.name)
        merge_into(store, (), crown.id, prince.id)
        (one,) = store.entities()
        assert one.id == prince.id and one.articles == 2
        assert store.entity(crown.id).id == prince.id
        # a later mention of the merged name reaches the entity it was merged into
        store.add_articles([day_article(2, [ent("ولي العهد السعودي")])[0]])
        store.save_analyses([day_article(2, [ent("ولي العهد السعودي")])], "v1")
        link(store)
        assert [e.id for e in store.entities()] == [prince.id]


def test_speakers_carry_the_registry_id_and_the_canonical_name(store_target):
    items = [day_article(0, [ent("عون الجبوري")]),
             day_article(1, [ent("الجبوري", at=20)],
                         [Quote("الجبوري", "خطوة في الاتجاه الصحيح", "direct", 30, 50, "قال",
                                "per-analyzer-الجبوري"),
                          Quote("مصدر دبلوماسي", "لا تعليق", "indirect", 60, 70, "قال", "", True)])]
    with stored(store_target, items) as store:
        (person,) = store.entities()
        (_, analysis), = store.analyzed_between(utc(2026, 11, 2), utc(2026, 11, 3))
        named, unnamed = analysis.quotes
        assert (named.speaker, named.speaker_id) == ("عون الجبوري", person.id)
        assert (unnamed.speaker, unnamed.speaker_id) == ("مصدر دبلوماسي", "")


def test_a_speaker_the_recognizer_missed_still_gets_an_entity(store_target):
    items = [day_article(0, [], [Quote("سامي الخطيب", "سنواصل", "direct", 30, 36, "قال",
                                       "per-analyzer-سامي الخطيب")])]
    with stored(store_target, items) as store:
        (person,) = store.entities(min_mentions=0)
        assert person.name == "سامي الخطيب"
        assert [q.speaker_id for q in store.quotes_by(person.id, utc(2026, 1, 1), utc(2027, 1, 1))] == [person.id]


def test_relinking_is_deterministic(tmp_path):
    items = [day_article(n, [ent(name) for name in names])
             for n, names in enumerate([["حفتر"], ["خليفة حفتر", "عقيلة صالح"], ["صالح"], ["عقيلة صالح عيسى"]])]
    runs = []
    for i in range(2):
        with stored(str(tmp_path / f"s{i}.sqlite"), items) as store:
            runs.append([(e.id, e.name, e.aliases) for e in store.entities()])
    assert runs[0] == runs[1]


def test_names_match_across_spellings():
    assert name_key("أحمد أبو الغيط") == name_key("احمد ابو غيط")
    assert name_key("عبد الله") != name_key("عبد له")
    assert canonical_name({"حفتر": 40, "خليفة حفتر": 3, "خليفة بلقاسم عمر حفتر": 1}) == "خليفة حفتر"
