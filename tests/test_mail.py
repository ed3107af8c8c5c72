"""The mail stage on data built by hand: periods, configuration, the HTML for mail clients, the
plain-text part, escaping of hostile feed text, and the size limit."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

import lxml.html
import pytest

from conftest import REPO, utc

from generator.config import ConfigError, Recipient, load_config, parse_config
from generator.link import link
from generator.mail import (
    MAX_MESSAGE_BYTES, Period, compose_all, due_period, message_size, period_heading, read_periods,
)
from generator.model import Analysis, Article, Entity, Mention, Quote
from generator.pipeline import update_stories
from generator.store import Store

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=timezone.utc)
DAY = Period.of("day", date(2026, 11, 27))
EMAIL = {"from": "marsad@example.org", "unsubscribe_address": "unsubscribe@example.org",
         "recipients": [{"address": "reader@example.org"}]}


def config(email=None, **extra):
    raw = {"title": "مرصد", "timezone": "Asia/Riyadh",
           "sources": [{"name": "وكالة", "url": "a.xml", "section": "سياسة"},
                       {"name": "BBC عربي", "url": "b.xml", "section": "اقتصاد"}],
           "watchlists": [{"name": "ليبيا", "entities": [{"name": "خليفة حفتر",
                                                           "aliases": ["حفتر"]}],
                           "keywords": ["وقف إطلاق النار"]}],
           "site_url": "https://marsad.example.org", "email": email or EMAIL, **extra}
    return parse_config(raw, Path("/tmp/marsad.yml"))


def article(n: int, title: str, section="سياسة", source="وكالة", url=None, text="نص") -> Article:
    published = utc(2026, 11, 27, 5 + n // 60, n % 60)
    return Article(f"a{n}", source, section, url or f"https://wakala.example/{n}", title, published,
                   published, "", text, f"h{n}")


def analysis(summary: str, quotes=(), entities=()) -> Analysis:
    return Analysis([summary], list(entities), list(quotes), [summary])


def quote(speaker: str, text: str, kind="direct") -> Quote:
    return Quote(speaker, text, kind, 0, len(text), "قال", speaker_id=f"per-{speaker}")


def person(name: str) -> Entity:
    return Entity(name, "PER", [Mention(name, 0, len(name))], f"per-{name}")


def mailed(config_, items, plan):
    """The messages of `plan` from `items` stored, linked, put in stories and read back as
    `marsad email` does."""
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "m.sqlite") as store:
        store.add_articles(article for article, _ in items)
        store.save_analyses(items, "test")
        link(store, config_.watchlists)
        update_stories(store, config_.tz, progress=False)
        return compose_all(config_, plan, read_periods(store, (p for _, p in plan), config_.tz), NOW)


def only(config_, items, recipient=None, period=DAY):
    outgoing, empty = mailed(config_, items, [(recipient or config_.email.recipients[0], period)])
    assert not empty
    (message,) = outgoing
    return message


def parts(message):
    return (message.message.get_body(("plain",)).get_content(),
            message.message.get_body(("html",)).get_content())


# --- periods and configuration ----------------------------------------------------------------


def test_periods_are_days_monday_weeks_and_months():
    friday = date(2026, 11, 27)
    assert Period.of("week", friday) == Period("week", date(2026, 11, 23))
    assert Period.of("week", friday).end == date(2026, 11, 30)
    assert Period.of("month", friday) == Period("month", date(2026, 11, 1))
    assert Period.of("month", date(2026, 12, 31)).end == date(2027, 1, 1)
    assert due_period("day", friday) == Period("day", date(2026, 11, 26))
    assert due_period("week", friday).start == date(2026, 11, 16)
    assert due_period("month", date(2026, 12, 1)).start == date(2026, 11, 1)
    assert period_heading(Period.of("week", friday)) == "موجز الأسبوع من 23 نوفمبر إلى 29 نوفمبر 2026"


def test_email_settings_are_typed():
    typed = config({**EMAIL, "smtp": {"host": "smtp.example.org", "security": "tls",
                                         "user_env": "U", "password_env": "P"},
                       "recipients": [{"address": "a@example.org", "name": "أ", "period": "weekly",
                                       "watchlists": ["ليبيا"], "send_empty": True}]})
    settings = typed.email
    assert typed.site_url == "https://marsad.example.org/"
    assert settings.outbox == Path("/tmp/.marsad/outbox")
    assert settings.smtp.port == 465 and settings.smtp.retries == 3
    assert settings.recipients == (Recipient("a@example.org", "أ", "weekly", ("ليبيا",), True),)


def test_the_bundled_configuration_has_a_valid_email_section():
    assert load_config(REPO / "marsad.yml").email.recipients


@pytest.mark.parametrize("email, expected", [
    ({**EMAIL, "smtp": {"host": "h", "password": "hunter2"}},
     "email.smtp.password: never write credentials in marsad.yml: name the environment variable "
     "that holds it in email.smtp.password_env"),
    ({**EMAIL, "smtp": {"host": "h", "user_env": "U"}}, "email.smtp: user_env and password_env go together"),
    ({**EMAIL, "smtp": {"host": "h", "security": "ssl"}}, "email.smtp.security: must be one of starttls, tls, none"),
    ({**EMAIL, "smtp": {"host": "h", "port": 0}}, "email.smtp.port: must be a int from 1 to 65535"),
    ({**EMAIL, "recipients": [{"address": "nobody"}]}, "email.recipients[0].address: 'nobody' is not an email address"),
    ({**EMAIL, "recipients": [{"address": "a@b.org", "period": "hourly"}]},
     "email.recipients[0].period: must be one of daily, weekly, monthly"),
    ({**EMAIL, "recipients": [{"address": "a@b.org", "watchlists": ["مصر"]}]},
     "email.recipients[0].watchlists[0]: no watchlist named 'مصر' (known: ليبيا)"),
    ({**EMAIL, "recipients": [{"address": "a@b.org", "send_empty": "yes"}]},
     "email.recipients[0].send_empty: must be true or false"),
    ({**EMAIL, "recipients": [{"adress": "a@b.org"}]}, "email.recipients[0].adress: unknown setting"),
    ({k: v for k, v in EMAIL.items() if k != "unsubscribe_address"},
     "email: needs unsubscribe_url or unsubscribe_address"),
    ({**EMAIL, "unsubscribe_url": "ftp://x"}, "email.unsubscribe_url: must be an http(s) URL"),
])
def test_email_mistakes_get_one_line(email, expected):
    with pytest.raises(ConfigError) as caught:
        config(email)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_email_needs_the_published_site():
    with pytest.raises(ConfigError) as caught:
        parse_config({"sources": [{"name": "a", "url": "a.xml"}], "email": EMAIL}, Path("/tmp/m.yml"))
    assert "site_url: is required with email" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        config(site_url="ftp://x")
    assert "site_url: must be an http(s) address" in str(caught.value)


# --- the HTML part ----------------------------------------------------------------------------


def day_items():
    libya = analysis("بحث المبعوث الأممي مع خليفة حفتر في بنغازي سبل تثبيت وقف إطلاق النار.",
                     [quote("John Smith", "الحوار هو الطريق الوحيد"),
                      quote("خليفة حفتر", "الجيش ملتزم بالهدنة", "indirect")],
                     [person("خليفة حفتر"), person("John Smith")])
    economy = analysis("رفعت أوبك+ توقعات الطلب على النفط للعام المقبل.",
                       [quote("Jane Doe", "الأسواق متوازنة")], [person("Jane Doe")])
    return [(article(1, "المبعوث الأممي يلتقي حفتر في بنغازي"), libya),
            (article(2, "أوبك+ ترفع توقعات الطلب", "اقتصاد", "BBC عربي",
                     "https://bbc.example/arabic/oil?id=2&x=1"), economy)]


def test_the_html_is_tables_right_to_left_at_every_level_and_self_contained():
    text, html = parts(only(config(), day_items()))
    tree = lxml.html.document_fromstring(html)
    body = tree.find("body")
    wrapper = body.find(".//table[@class='wrapper']")
    for element in (tree, body, wrapper):
        assert (element.get("dir"), element.get("lang")) == ("rtl", "ar")
    tables = tree.findall(".//table")
    assert len(tables) >= 2
    assert all(t.get("role") == "presentation" and t.get("align") == "right" for t in tables)
    cells = tree.findall(".//td")
    assert cells and all(c.get("align") == "right" and "text-align: right" in c.get("style")
                         for c in cells)
    assert all("font-family: Tahoma," in c.get("style") and "sans-serif" in c.get("style")
               for c in cells)
    # CSS inlined; nothing fetched, nothing run
    assert tree.findall(".//style") == [] and tree.findall(".//link") == []
    for tag in ("script", "img", "iframe", "object", "embed", "form", "video", "audio"):
        assert tree.findall(f".//{tag}") == []
    for element in tree.iter():
        assert not any(name.startswith("on") or name in ("src", "srcset", "background")
                       for name in element.attrib)
        assert "url(" not in element.get("style", "")
    assert {a.get("href").split(":")[0] for a in tree.iter("a")} == {"https", "mailto"}
    # Latin names, and outlets with Latin letters, keep their own direction
    isolated = {span.text for span in tree.iter("span") if span.get("dir") == "auto"}
    assert {"John Smith", "Jane Doe", "BBC عربي"} <= isolated
    assert "المبعوث الأممي يلتقي حفتر في بنغازي" not in isolated  # Arabic alone needs nothing
    assert "\u2068John Smith\u2069" in text and "\u2068BBC عربي\u2069" in text


def test_the_text_part_reads_alone():
    text, _ = parts(only(config(), day_items()))
    lines = text.splitlines()
    assert lines[:4] == ["مرصد", "موجز الجمعة، 27 نوفمبر 2026", "2 قصة في 2 مادة من 2 مصادر", ""]
    assert "  «الحوار هو الطريق الوحيد» — \u2068John Smith\u2069" in lines  # its story's quotes
    assert "  خليفة حفتر (بتصرف): الجيش ملتزم بالهدنة" in lines
    assert "== اقتباسات ==" not in text  # the day has no other quote
    assert "== قصص اليوم ==" in text and "* المبعوث الأممي يلتقي حفتر في بنغازي" in text
    assert "  جديدة · 1 مادة · وكالة · 08:01" in lines
    assert "  بحث المبعوث الأممي مع خليفة حفتر في بنغازي سبل تثبيت وقف إطلاق النار." in text
    assert "  https://bbc.example/arabic/oil?id=2&x=1" in lines
    assert "https://marsad.example.org/digests/2026/11/27/" in lines
    assert "mailto:unsubscribe@example.org?subject=unsubscribe" in lines


def test_a_watchlist_recipient_gets_the_articles_that_match_it():
    settings = config()
    reader = Recipient("libya@example.org", watchlists=("ليبيا",))
    text, html = parts(only(settings, day_items(), reader))
    assert "== ليبيا ==" in text and "المبعوث الأممي يلتقي حفتر" in text
    assert "أوبك" not in text and "قصص اليوم" not in text and "أوبك" not in html
    by_keyword = [(article(3, "هدنة في الجنوب", text="أعلن الطرفان وقف إطلاق النار."), analysis("ملخص."))]
    text, _ = parts(only(settings, by_keyword, reader))
    assert "* هدنة في الجنوب" in text


def test_nothing_new_sends_nothing_unless_asked():
    settings = config()
    quiet = Recipient("quiet@example.org")
    outgoing, empty = mailed(settings, [], [(quiet, DAY)])
    assert outgoing == [] and empty == [(quiet, DAY)]
    loud = Recipient("loud@example.org", send_empty=True)
    (message,), _ = mailed(settings, [], [(loud, DAY)])
    text, html = parts(message)
    assert "لا مواد جديدة في هذه الفترة." in text and "لا مواد جديدة في هذه الفترة." in html


def test_weeks_are_assembled_from_their_days():
    items = [(article(1, "افتتاح معرض الكتاب في الرياض", text="افتتح معرض الكتاب أبوابه للزوار."),
              analysis("افتتح معرض الكتاب في الرياض أبوابه للزوار.")),
             (article(2, "أمطار غزيرة في عدن", text="هطلت أمطار غزيرة على عدن."),
              analysis("هطلت أمطار غزيرة على مدينة عدن صباح اليوم."))]
    items[1][0].published = utc(2026, 11, 24, 9)
    outside = (article(3, "انتخابات بلدية في تونس", text="جرت الانتخابات البلدية في تونس."),
               analysis("جرت الانتخابات البلدية في تونس وسط إقبال ضعيف."))
    outside[0].published = utc(2026, 11, 22, 9)
    week = Period.of("week", date(2026, 11, 27))
    text, _ = parts(only(config(), items + [outside], Recipient("w@example.org", period="weekly"), week))
    assert "موجز الأسبوع من 23 نوفمبر إلى 29 نوفمبر 2026" in text and "== قصص الأسبوع ==" in text
    assert "* افتتاح معرض الكتاب في الرياض" in text and "* أمطار غزيرة في عدن" in text
    assert "انتخابات بلدية" not in text
    assert "  جديدة · 1 مادة · وكالة · 24 نوفمبر 12:00" in text.splitlines()  # with its day


def test_a_story_told_by_two_outlets_over_days_is_one_item():
    talks = "بحث المبعوث الأممي مع خليفة حفتر في بنغازي سبل تثبيت وقف إطلاق النار في ليبيا."
    monday = (article(1, "المبعوث الأممي يصل إلى بنغازي لبحث الهدنة", text=talks), analysis(talks))
    monday[0].published = utc(2026, 11, 23, 9)
    friday = [(article(2, "المبعوث الأممي يلتقي حفتر في بنغازي", text=talks), analysis(talks)),
              (article(3, "لقاء المبعوث الأممي وحفتر في بنغازي", "اقتصاد", "BBC عربي",
                       text=talks), analysis(talks))]
    text, _ = parts(only(config(), [monday, *friday]))
    lines = text.splitlines()
    assert lines[2] == "1 قصة في 2 مادة من 2 مصادر"
    assert "  متطورة منذ 23 نوفمبر · 2 مادة · وكالة · 08:03 · نشرته أيضا: \u2068BBC عربي\u2069" in lines


# --- hostile feed text ------------------------------------------------------------------------


HOSTILE_TITLE = "<script>alert(1)</script> عاجل"
HOSTILE_SUMMARY = ("<img src=x onerror=alert(1)> {{ 7*7 }} *عاجل* [رابط](javascript:alert(1)) &amp; "
                   "أعلنت الحكومة خطة جديدة لدعم المزارعين.")


def test_hostile_feed_text_is_text_in_both_parts():
    items = [(article(1, HOSTILE_TITLE, source="<i>مصدر</i>", url="javascript:alert(1)"),
              analysis(HOSTILE_SUMMARY, [quote("<b onmouseover=alert(1)>x</b>", "{% raw %}«»")]))]
    text, html = parts(only(config(), items))
    tree = lxml.html.document_fromstring(html)
    for tag in ("script", "img", "i", "b"):
        assert tree.findall(f".//{tag}") == []
    assert not any(a.get("href", "").startswith("javascript") for a in tree.iter("a"))
    shown = tree.text_content()
    for part in (text, shown):
        assert HOSTILE_TITLE in part and HOSTILE_SUMMARY in part and "<i>مصدر</i>" in part
        assert "<b onmouseover=alert(1)>x</b>" in part and "{% raw %}«»" in part
        assert "49" not in part
    assert "javascript:" not in text.replace("[رابط](javascript:alert(1))", "")


# --- size ---------------------------------------------------------------------------------------


LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهي"


def word_of(n: int) -> str:
    """A made-up Arabic word of its own for every n: articles that share none are apart."""
    letters = ""
    for _ in range(4):
        n, digit = divmod(n, len(LETTERS))
        letters += LETTERS[digit]
    return letters


def big_day(count: int):
    """`count` stories, one article each, as long as real ones: a 400-character summary, two
    quotes, names; each about things of its own."""
    items = []
    for n in range(count):
        section = ("سياسة", "اقتصاد", "رياضة", "صحة")[n % 4]
        own = [word_of(n * 40 + k) for k in range(40)]
        summary = f"{n}: " + " ".join(
            " ".join(own[k:k + 12]) + f" في {own[k + 12]}." for k in range(0, 39, 13))
        quotes = [quote(f"المتحدث {n}", f"نص الاقتباس رقم {n} عن {own[0]} و{own[1]} والعمل المشترك"),
                  quote(f"Speaker {n}", f"تصريح آخر رقم {n} حول {own[2]}", "indirect")]
        items.append((article(n, f"عنوان المادة رقم {n} عن {own[0]} و{own[1]}", section,
                              url=f"https://wakala.example/news/2026/11/27/story-{n}",
                              text=summary),
                      analysis(summary, quotes)))
    return items


def test_a_digest_ten_times_larger_keeps_its_top_items_under_the_limit():
    settings = config()
    normal = only(settings, big_day(15))
    assert message_size(normal.message) <= MAX_MESSAGE_BYTES and normal.left_out == 0
    large = only(settings, big_day(150))
    assert message_size(large.message) <= MAX_MESSAGE_BYTES
    assert "150 قصة في 150 مادة" in parts(large)[0]
    assert 0 < large.left_out < 150
    text, html = parts(large)
    shown = 150 - large.left_out
    note = f"تعرض هذه الرسالة أهم {shown} قصة من 150"
    assert note in text and note in html
    assert f"البقية ({large.left_out}) على الموقع" in html
    assert 'href="https://marsad.example.org/digests/2026/11/27/"' in html
    for top in ("عنوان المادة رقم 149 ", "عنوان المادة رقم 148 ", "عنوان المادة رقم 147 "):
        assert top in text  # the newest stories rank first among stories of one outlet
    assert "عنوان المادة رقم 0 " not in text


def test_the_delivery_log_on_both_backends(store_target):
    day = date(2026, 11, 27)
    with Store.open(store_target) as store:
        assert not store.delivered("a@example.org", "day", day)
        store.record_delivery("a@example.org", "day", day, "<m1@example.org>", NOW)
    with Store.open(store_target) as store:  # committed, seen by the next process
        assert store.delivered("a@example.org", "day", day)
        assert not store.delivered("a@example.org", "week", day)
        assert not store.delivered("b@example.org", "day", day)


def test_one_click_unsubscription_only_over_https():
    plain = {**EMAIL, "unsubscribe_url": "http://marsad.example.org/u?a={address}"}
    message = only(config(plain), day_items()).message
    assert message["List-Unsubscribe"].strip().startswith("<http://marsad.example.org/u?a=reader%40example.org>")
    assert message["List-Unsubscribe-Post"] is None
