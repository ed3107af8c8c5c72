"""The store's contract, run on both backends: a SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, inspect

from conftest import utc

from generator.link import link
from generator.model import Analysis, Article, Entity, Mention, Quote, SourceState
from generator.store import Store, StoreError, copy_store, database_lock, store_url
from generator.store.migrations import LATEST, MIGRATIONS
from generator.store.schema import metadata

RIYADH = ZoneInfo("Asia/Riyadh")


def article(id_: str, published, source="وكالة", text="نص", guid="") -> Article:
    return Article(id_, source, "سياسة", f"https://a.example/{id_}", f"عنوان {id_}", published,
                   published, "", text, "h-" + text, guid)


def analysis(entities=(), quotes=()) -> Analysis:
    return Analysis(["جملة."], list(entities), list(quotes), ["ملخص."])


def person(name: str, at: int = 0) -> Entity:
    return Entity(name, "PER", [Mention(name, at, at + len(name))], "per-x" + name)


def said(speaker: str, text: str, speaker_id: str = "", kind="direct") -> Quote:
    return Quote(speaker, text, kind, 100, 100 + len(text), "قال", speaker_id)


def test_the_migrated_schema_is_the_one_the_queries_use(store_target):
    with Store.open(store_target):
        pass
    engine = create_engine(store_url(store_target))
    found = inspect(engine)
    for table in metadata.sorted_tables:
        assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys())
        assert {i["name"] for i in found.get_indexes(table.name)} >= {i.name for i in table.indexes}
    engine.dispose()


def test_articles_are_one_whatever_url_guid_or_text_says(store_target):
    with Store.open(store_target) as store:
        first = article("a", utc(2026, 11, 27, 9), text="النص الأول", guid="g1")
        assert store.add_articles([first]).new == 1
        moved = article("a2", utc(2026, 11, 27, 9), text="النص الأول", guid="g1")  # new URL, same GUID
        changed = article("a", utc(2026, 11, 27, 9), text="النص المعدل", guid="g1")
        result = store.add_articles([moved, changed])
        assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
        assert [a.text for a in store.articles()] == ["النص المعدل"]
        assert store.existing(article("zz", utc(2026, 1, 1), text="النص المعدل")) == ("a", "h-النص المعدل")


@pytest.mark.parametrize("signature", [0, 1, 2**63 - 1, 2**63, 2**64 - 1])
def test_unsigned_signatures_round_trip(store_target, signature):
    with Store.open(store_target) as store:
        item = article("a", utc(2026, 11, 27, 9))
        item.signature = signature
        store.add_articles([item])
        assert store.articles()[0].signature == signature


def test_source_state_and_fetches(store_target):
    with Store.open(store_target) as store:
        state = SourceState("وكالة", "https://a.example/feed", etag='"x"', failures=2, penalty=1.5,
                            last_success=utc(2026, 11, 27, 9))
        store.save_fetch(state, utc(2026, 11, 27, 9), 200, 1234, 3, "", "", 0.25)
        store.save_fetch(state, utc(2026, 11, 27, 10), 304, 0, 0, "", "", 0.1)
        assert store.source_state("وكالة") == state
        assert store.source_state("غيرها") == SourceState("غيرها")


def test_reads_for_a_day_are_limited_to_that_day(store_target):
    with Store.open(store_target) as store:
        days = [utc(2026, 11, 26, 20, 59), utc(2026, 11, 26, 21, 0), utc(2026, 11, 27, 20, 59),
                utc(2026, 11, 27, 21, 0)]  # Riyadh's 27th runs from 21:00 UTC on the 26th
        items = [article(f"a{i}", when, text=f"نص {i}") for i, when in enumerate(days)]
        store.add_articles(items)
        store.save_analyses([(a, analysis([person("خليفة حفتر")])) for a in items], "v1")
        link(store)
        start = utc(2026, 11, 26, 21).astimezone(RIYADH)
        got = store.analyzed_between(start, start + timedelta(days=1))
        assert [a.id for a, _ in got] == ["a1", "a2"]
        assert store.days(RIYADH) == [d.date() for d in
                                      (utc(2026, 11, 26), utc(2026, 11, 27), utc(2026, 11, 28))]
        assert store.articles_to_analyze("v1") == []
        assert len(store.articles_to_analyze("v2")) == 4


def test_entity_queries_by_speaker_by_pair_and_by_day(store_target):
    with Store.open(store_target) as store:
        march = [article(f"m{d}", utc(2026, 3, d, 9), text=f"مارس {d}") for d in range(1, 6)]
        april = article("p1", utc(2026, 4, 2, 9), text="أبريل")
        store.add_articles([*march, april])
        results = []
        for i, item in enumerate(march):
            entities = [person("ستيفاني خوري"), Entity("ليبيا", "LOC", [Mention("ليبيا", 30, 35)], "loc-l")]
            if i % 2:
                entities.append(Entity("تركيا", "LOC", [Mention("تركيا", 40, 45), Mention("تركيا", 60, 65)], "loc-t"))
            results.append((item, analysis(entities, [said("ستيفاني خوري", f"قول {i}", "per-xستيفاني خوري")])))
        results.append((april, analysis([person("ستيفاني خوري")], [said("ستيفاني خوري", "قول أبريل", "per-xستيفاني خوري")])))
        store.save_analyses(results, "v1")
        link(store)
        (khoury,) = [e for e in store.entities() if e.name == "ستيفاني خوري"]
        libya = next(e for e in store.entities() if e.name == "ليبيا")
        turkey = next(e for e in store.entities() if e.name == "تركيا")
        in_march = store.quotes_by(khoury.id, utc(2026, 3, 1), utc(2026, 4, 1))
        assert [q.text for q in in_march] == [f"قول {i}" for i in range(5)]
        assert all(q.speaker_id == khoury.id and q.article_title.startswith("عنوان") for q in in_march)
        assert store.articles_mentioning([libya.id, turkey.id], utc(2026, 3, 1), utc(2026, 3, 8)) == ["m2", "m4"]
        per_day = store.mentions_per_day(turkey.id, utc(2026, 1, 1), utc(2027, 1, 1), RIYADH)
        assert {str(d): n for d, n in per_day.items()} == {"2026-03-02": 2, "2026-03-04": 2}
        assert (khoury.articles, khoury.mentions) == (6, 6)
        assert khoury.first_seen == utc(2026, 3, 1, 9) and khoury.last_seen == utc(2026, 4, 2, 9)


def test_a_legacy_sqlite_store_is_upgraded_in_place(tmp_path):
    path = tmp_path / "marsad.sqlite"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:  # what Marsad before the registry created
        db.executescript(script.format(serial="INTEGER PRIMARY KEY"))
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO articles VALUES ('a', 'https://a.example/a', 'وكالة', 'سياسة', 'عنوان', "
               "'2026-11-27T09:00:00+00:00', '2026-11-27T09:00:00+00:00', '', 'نص', 'h', '', 5, '')")
    db.commit()
    db.close()
    with Store.open(path) as store:
        assert [a.id for a in store.articles()] == ["a"]
        assert store.unlinked_count() == 0
    assert sqlite3.connect(path).execute("SELECT version FROM marsad_schema").fetchone() == (LATEST,)


def test_a_file_that_is_no_store_gives_one_line(tmp_path):
    bogus = tmp_path / "marsad.sqlite"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError) as error:
        Store.open(bogus)
    assert str(bogus) in str(error.value) and "\n" not in str(error.value)


def test_a_store_newer_than_this_marsad_is_refused(tmp_path):
    path = tmp_path / "marsad.sqlite"
    Store.open(path).close()
    sqlite3.connect(path).execute("UPDATE marsad_schema SET version = 999").connection.commit()
    with pytest.raises(StoreError, match="newer than this Marsad"):
        Store.open(path)


def test_an_unreachable_postgresql_gives_one_line():
    with pytest.raises(StoreError) as error:
        Store.open("postgresql://marsad@127.0.0.1:1/nothing")
    assert "127.0.0.1:1" in str(error.value) and "\n" not in str(error.value)


def test_the_advisory_lock_keeps_a_second_run_out(postgres):
    url = postgres.new_database()
    with database_lock(url):
        with pytest.raises(StoreError, match="another marsad command"):
            with database_lock(url):
                pass
    with database_lock(url):  # released with the first run's session
        pass


def test_a_sqlite_store_migrates_whole_into_postgresql(tmp_path, postgres):
    source_path = tmp_path / "marsad.sqlite"
    with Store.open(source_path) as source:
        items = [article(f"a{i}", utc(2026, 11, 20 + i, 9), text=f"نص {i}") for i in range(5)]
        items[1].signature = 2**64 - 1
        source.add_articles(items)
        source.save_analyses([(a, analysis([person("خليفة حفتر")], [said("خليفة حفتر", "كلام", "per-xخليفة حفتر")]))
                              for a in items], "v1")
        link(source)
        source.save_fetch(SourceState("وكالة"), utc(2026, 11, 27), 200, 10, 5, "", "", 0.1)
        expected = (source.articles(), source.entities(),
                    source.analyzed_between(utc(2026, 1, 1), utc(2027, 1, 1)))
    target_url = postgres.new_database()
    with Store.open(source_path) as source, Store.open(target_url) as target:
        copied = copy_store(source, target)
        assert copied["articles"] == 5 and copied["quotes"] == 5
        assert (target.articles(), target.entities(),
                target.analyzed_between(utc(2026, 1, 1), utc(2027, 1, 1))) == expected
        target.save_fetch(SourceState("وكالة"), utc(2026, 11, 28), 200, 10, 0, "", "", 0.1)  # ids go on
        with pytest.raises(StoreError, match="already holds articles"):
            copy_store(source, target)
