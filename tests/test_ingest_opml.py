"""OPML import and export of sources: feed-reader exports in, a portable list out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from generator.ingest.opml import (
    OpmlError,
    SkippedOutline,
    category_section,
    read_opml,
    write_opml,
)
from generator.model import Source

# The shape an Inoreader/Feedly export has: OPML 1.0, folders as outlines with text and title,
# feeds with type, text, title, xmlUrl and htmlUrl; a nested folder, a feed outside any folder,
# and the odd entries real subscription lists collect over the years.
READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
    <head>
        <title>اشتراكات سارة في قارئ الأخبار</title>
        <dateCreated>Fri, 27 Nov 2026 08:00:00 GMT</dateCreated>
    </head>
    <body>
        <outline text="سياسة" title="سياسة">
            <outline type="rss" text="بي بي سي عربي" title="بي بي سي عربي"
                xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml" htmlUrl="https://www.bbc.com/arabic"/>
            <outline type="rss" text="فرانس 24" title="فرانس 24 - آخر الأخبار"
                xmlUrl="https://www.france24.com/ar/rss?tag=news&amp;lang=ar"
                htmlUrl="https://www.france24.com/ar/"/>
            <outline text="الخليج" title="الخليج">
                <outline type="rss" text="صحيفة الخليج" xmlUrl="http://www.alkhaleej.ae/rss/politics.xml"/>
            </outline>
            <outline type="rss" text="BBC نسخة ثانية" title="BBC نسخة ثانية"
                xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml"/>
        </outline>
        <outline text="اقتصاد" title="اقتصاد">
            <outline type="rss" text="Reuters Business" title="Reuters Business" language="en"
                xmlUrl="https://example.com/reuters/business.rss"/>
            <outline type="rss" text="خلاصة محلية" xmlUrl="file:///home/sara/feeds/local.xml"/>
            <outline type="rss" text="سكربت" xmlUrl="javascript:alert(1)"/>
        </outline>
        <outline type="rss" text="" title="" xmlUrl="https://news.example.org/feed/"/>
        <outline type="link" text="موقع الوزارة" url="https://www.mofa.example/ar"/>
    </body>
</opml>
""".encode("utf-8")


def test_a_feed_reader_export_becomes_sources() -> None:
    imported = read_opml(READER_EXPORT, "subscriptions.opml")
    assert imported.sources == [
        Source("بي بي سي عربي", "https://feeds.bbci.co.uk/arabic/rss.xml", "سياسة", "ar"),
        Source("فرانس 24 - آخر الأخبار", "https://www.france24.com/ar/rss?tag=news&lang=ar",
               "سياسة", "ar"),
        Source("صحيفة الخليج", "http://www.alkhaleej.ae/rss/politics.xml", "الخليج", "ar"),
        Source("Reuters Business", "https://example.com/reuters/business.rss", "اقتصاد", "en"),
        Source("news.example.org", "https://news.example.org/feed/", "عام", "ar"),
    ]


def test_outlines_that_cannot_be_sources_are_reported_with_a_reason() -> None:
    imported = read_opml(READER_EXPORT, "subscriptions.opml")
    assert imported.skipped == [
        SkippedOutline("BBC نسخة ثانية", "https://feeds.bbci.co.uk/arabic/rss.xml",
                       "duplicate of 'بي بي سي عربي'"),
        SkippedOutline("خلاصة محلية", "file:///home/sara/feeds/local.xml",
                       "not an http(s) URL: file:///home/sara/feeds/local.xml"),
        SkippedOutline("سكربت", "javascript:alert(1)", "not an http(s) URL: javascript:alert(1)"),
        SkippedOutline("موقع الوزارة", "", "no xmlUrl (not a feed)"),
    ]


def test_opml_2_category_attribute_gives_the_section() -> None:
    data = """<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>t</title></head><body>
  <outline text="الشرق الأوسط" type="rss" xmlUrl="https://a.example/rss"
      category="/أخبار/الشرق الأوسط,/مختارات"/>
  <outline text="بلا تصنيف" type="rss" xmlUrl="https://b.example/rss" category=""/>
  <outline text="مجلد">
    <outline text="داخل مجلد" type="rss" xmlUrl="https://c.example/rss" category="/رياضة"/>
  </outline>
</body></opml>""".encode("utf-8")
    sections = [s.section for s in read_opml(data, "x.opml").sources]
    assert sections == ["الشرق الأوسط", "عام", "مجلد"]  # the enclosing folder wins


def test_category_section_takes_the_first_categorys_last_part() -> None:
    assert category_section("/News/Egypt,/World") == "Egypt"
    assert category_section("سياسة") == "سياسة"
    assert category_section("") == ""
    assert category_section("/") == ""


def test_attribute_names_are_matched_without_case() -> None:
    data = (b'<opml version="1.0"><body><outline TEXT="x" xmlurl="https://x.example/rss"/>'
            b"</body></opml>")
    assert read_opml(data, "x.opml").sources == [Source("x", "https://x.example/rss", "عام")]


def test_a_windows_1256_opml_file_is_decoded() -> None:
    text = ('<?xml version="1.0" encoding="windows-1256"?><opml version="1.0"><body>'
            '<outline text="أخبار مصر"><outline text="الأهرام" xmlUrl="https://ahram.example/rss"/>'
            "</outline></body></opml>")
    sources = read_opml(text.encode("windows-1256"), "legacy.opml").sources
    assert sources == [Source("الأهرام", "https://ahram.example/rss", "أخبار مصر")]


@pytest.mark.parametrize(
    "data, problem",
    [
        (b'<opml version="1.0"><body><outline text="a"></body></opml>', "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"this is not xml", "not well-formed XML"),
        (b'<rss version="2.0"><channel/></rss>', "not an OPML file (root element <rss>)"),
        (b'<opml version="2.0"><head/></opml>', "OPML without a <body> element"),
    ],
)
def test_unreadable_files_raise_one_line_errors_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(OpmlError) as error:
        read_opml(data, "feeds/broken.opml")
    message = str(error.value)
    assert message.startswith("feeds/broken.opml: ")
    assert problem in message
    assert "\n" not in message


def test_entity_expansion_is_refused_before_parsing() -> None:
    billion_laughs = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<opml version="1.0"><body><outline text="&lol3;" xmlUrl="https://x.example/rss"/></body></opml>"""
    with pytest.raises(OpmlError, match="^evil.opml: refused: DOCTYPE or ENTITY"):
        read_opml(billion_laughs, "evil.opml")


def test_external_entities_are_refused_even_in_utf16() -> None:
    xxe = ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE x [<!ENTITY f SYSTEM '
           '"file:///etc/passwd">]><opml version="1.0"><body><outline text="&f;" '
           'xmlUrl="https://x.example/rss"/></body></opml>').encode("utf-16")
    with pytest.raises(OpmlError, match="refused"):
        read_opml(xxe, "xxe.opml")


SOURCES = [
    Source("الجزيرة", "https://www.aljazeera.example/rss", "سياسة"),
    Source("قناة \"الغد\" & <المستقبل>", "https://alghad.example/feed?a=1&b=2", "سياسة"),
    Source("Le Monde", "https://lemonde.example/rss/une.xml", "دولي", "fr"),
    Source("صحيفة 'الشرق'", "https://asharq.example/rss", "اقتصاد"),
    Source("الوطن", "https://alwatan.example/rss", "دولي"),
]


def test_write_opml_round_trips_through_read_opml() -> None:
    imported = read_opml(write_opml(SOURCES, "مصادر مرصد"), "export.opml")
    grouped_by_section = [SOURCES[0], SOURCES[1], SOURCES[2], SOURCES[4], SOURCES[3]]
    assert imported.sources == grouped_by_section
    assert imported.skipped == []
    again = read_opml(write_opml(imported.sources, "مصادر مرصد"), "export.opml")
    assert again.sources == grouped_by_section


def test_write_opml_groups_sections_in_order_of_first_appearance() -> None:
    root = ET.fromstring(write_opml(SOURCES, "مصادر مرصد"))
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "مصادر مرصد"
    categories = root.findall("body/outline")
    assert [c.get("text") for c in categories] == ["سياسة", "دولي", "اقتصاد"]
    assert [[f.get("title") for f in c] for c in categories] == [
        ["الجزيرة", "قناة \"الغد\" & <المستقبل>"], ["Le Monde", "الوطن"], ["صحيفة 'الشرق'"],
    ]
    assert all(f.get("type") == "rss" for c in categories for f in c)


def test_write_opml_is_utf8_with_arabic_written_as_text_and_markup_escaped() -> None:
    data = write_opml(SOURCES, "مصادر مرصد")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    text = data.decode("utf-8")
    assert "الجزيرة" in text  # not &#1575;... character references
    assert "&amp; &lt;المستقبل&gt;" in text
    assert "&quot;الغد&quot;" in text
    assert 'xmlUrl="https://alghad.example/feed?a=1&amp;b=2"' in text


def test_write_opml_is_deterministic() -> None:
    assert write_opml(SOURCES, "مصادر") == write_opml(list(SOURCES), "مصادر")


def test_write_opml_of_no_sources_is_a_valid_empty_file() -> None:
    imported = read_opml(write_opml([], "فارغ"), "empty.opml")
    assert imported.sources == [] and imported.skipped == []
