"""Decoding Arabic feeds served in windows-1256, ISO-8859-6 and UTF-8, labelled or not."""

from __future__ import annotations

import codecs

import feedparser
import pytest

from generator.ingest.charset import (
    charset_from_content_type,
    charset_from_document,
    decode_document,
    declare_utf8,
    misread_arabic,
    to_utf8_xml,
)

TITLE = "وزير الخارجية يبحث مع نظيره الأردني تطورات الأوضاع في المنطقة"
DESCRIPTION = 'أكد الوزير خلال اتصال هاتفي ضرورة وقف التصعيد، وشدّد على أهمية الحوار "بين جميع الأطراف".'
ARABIC_ENCODINGS = ["windows-1256", "iso-8859-6"]


def rss(declared_encoding: str | None) -> str:
    declaration = (f'<?xml version="1.0" encoding="{declared_encoding}"?>' if declared_encoding
                   else '<?xml version="1.0"?>')
    return (
        f"{declaration}\n"
        '<rss version="2.0"><channel><title>أخبار اليوم</title>'
        "<link>https://example.com/</link><description>آخر الأخبار</description>"
        f"<item><title>{TITLE}</title><link>https://example.com/a/1</link>"
        f"<description>{DESCRIPTION}</description></item>"
        "</channel></rss>\n"
    )


def feed_bytes(encoding: str, declared: str | None) -> tuple[str, bytes]:
    text = rss(declared)
    return text, text.encode(encoding)


def first_title(body: bytes, content_type: str | None) -> str:
    parsed = feedparser.parse(to_utf8_xml(body, content_type))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed.entries[0].title


def test_the_fixture_is_arabic_that_both_legacy_encodings_write_differently() -> None:
    # ISO-8859-6 has no «»: the fixture must fit both, or the tests below prove nothing
    assert rss(None).encode("iso-8859-6").decode("iso-8859-6") == rss(None)
    assert rss(None).encode("windows-1256") != rss(None).encode("iso-8859-6")
    assert any(byte > 0x7F for byte in rss(None).encode("windows-1256"))


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_charset_in_the_http_header_only(encoding: str) -> None:
    text, body = feed_bytes(encoding, declared=None)
    content_type = f"application/rss+xml; charset={encoding}"
    assert decode_document(body, content_type) == (text, codecs.lookup(encoding).name)
    assert first_title(body, content_type) == TITLE


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_charset_in_the_xml_declaration_only(encoding: str) -> None:
    text, body = feed_bytes(encoding, declared=encoding)
    assert decode_document(body, "application/rss+xml") == (text, codecs.lookup(encoding).name)
    assert first_title(body, None) == TITLE


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_charset_nowhere_is_detected(encoding: str) -> None:
    text, body = feed_bytes(encoding, declared=None)
    decoded, used = decode_document(body, None)
    assert decoded == text
    assert codecs.lookup(used).name == codecs.lookup(encoding).name
    assert first_title(body, "text/xml") == TITLE


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_a_wrong_utf8_header_falls_back_to_the_declaration(encoding: str) -> None:
    text, body = feed_bytes(encoding, declared=encoding)
    assert decode_document(body, "text/xml; charset=utf-8") == (text, codecs.lookup(encoding).name)
    assert first_title(body, "text/xml; charset=utf-8") == TITLE


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_a_wrong_utf8_header_and_no_declaration_falls_back_to_detection(encoding: str) -> None:
    text, body = feed_bytes(encoding, declared=None)
    assert decode_document(body, 'text/xml; charset="UTF-8"')[0] == text
    assert first_title(body, "text/xml; charset=UTF-8") == TITLE


def test_a_wrong_declaration_falls_back_to_detection() -> None:
    text, body = feed_bytes("windows-1256", declared="utf-8")
    assert decode_document(body, None)[0] == text
    assert first_title(body, None) == TITLE


def test_an_unknown_charset_label_falls_back() -> None:
    text, body = feed_bytes("windows-1256", declared="x-no-such-charset")
    assert decode_document(body, "text/xml; charset=klingon")[0] == text


def test_a_latin1_header_gives_way_to_the_documents_own_declaration() -> None:
    # servers label everything ISO-8859-1, which decodes any bytes into Latin mojibake
    text, body = feed_bytes("windows-1256", declared="windows-1256")
    assert decode_document(body, "text/xml; charset=ISO-8859-1") == (text, "cp1256")
    assert first_title(body, "text/xml; charset=ISO-8859-1") == TITLE


def test_the_header_wins_over_the_declaration_when_both_decode() -> None:
    text, body = feed_bytes("utf-8", declared="windows-1256")  # a stale declaration
    assert decode_document(body, "application/xml; charset=utf-8") == (text, "utf-8")
    assert first_title(body, "application/xml; charset=utf-8") == TITLE


def test_utf8_with_a_bom_wins_over_any_label() -> None:
    text = rss("windows-1256")
    body = codecs.BOM_UTF8 + text.encode("utf-8")
    assert decode_document(body, "text/xml; charset=iso-8859-6") == (text, "utf-8-sig")
    converted = to_utf8_xml(body, "text/xml; charset=iso-8859-6")
    assert not converted.startswith(codecs.BOM_UTF8)
    assert first_title(body, "text/xml; charset=iso-8859-6") == TITLE


def test_utf16_with_a_bom_is_decoded() -> None:
    text = rss("utf-16")
    body = text.encode("utf-16")  # Python writes the BOM
    assert decode_document(body, None)[0] == text
    assert first_title(body, None) == TITLE


def test_plain_utf8_without_any_label() -> None:
    text, body = feed_bytes("utf-8", declared=None)
    assert decode_document(body, None) == (text, "utf-8")
    assert first_title(body, None) == TITLE


def test_an_html_page_with_a_meta_charset() -> None:
    page = ('<!doctype html><html lang="ar" dir="rtl"><head><meta charset="windows-1256">'
            f"<title>{TITLE}</title></head><body><p>{DESCRIPTION}</p></body></html>")
    assert decode_document(page.encode("windows-1256"), "text/html") == (page, "cp1256")
    http_equiv = page.replace('<meta charset="windows-1256">', '<meta http-equiv="Content-Type" '
                              'content="text/html; charset=iso-8859-6">')
    assert decode_document(http_equiv.encode("iso-8859-6"), None) == (http_equiv, "iso8859-6")


def test_to_utf8_xml_rewrites_the_declared_encoding() -> None:
    _, body = feed_bytes("windows-1256", declared="windows-1256")
    converted = to_utf8_xml(body, None)
    assert converted.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert converted.decode("utf-8") == rss("utf-8")


def test_declare_utf8_leaves_documents_without_an_encoding_alone() -> None:
    assert declare_utf8("<rss/>") == "<rss/>"
    assert declare_utf8("<?xml version='1.0'?><rss/>") == "<?xml version='1.0'?><rss/>"
    assert (declare_utf8("<?xml version='1.0' encoding='ISO-8859-6' standalone='yes'?><rss/>")
            == "<?xml version='1.0' encoding=\"utf-8\" standalone='yes'?><rss/>")


def test_charset_labels_are_read_from_headers_and_documents() -> None:
    assert charset_from_content_type('text/xml; charset="windows-1256"') == "windows-1256"
    assert charset_from_content_type("application/rss+xml;charset=UTF-8") == "UTF-8"
    assert charset_from_content_type("application/rss+xml") is None
    assert charset_from_content_type(None) is None
    assert charset_from_document(b"<?xml version='1.0' encoding='ISO-8859-6'?><rss/>") == "ISO-8859-6"
    assert charset_from_document(b"<rss/>") is None


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_a_mostly_ascii_feed_with_one_short_arabic_title_is_detected(encoding: str) -> None:
    text = ("<rss version=\"2.0\"><channel><title>Wire</title><link>https://example.com/</link>"
            "<item><title>قمة عربية</title><link>https://example.com/2026/11/27/summit?ref=rss"
            "</link><description>" + "Full story on the website. " * 80 + "</description>"
            "</item></channel></rss>")
    body = text.encode(encoding)
    assert decode_document(body, None)[0] == text
    assert first_title(body, None) == "قمة عربية"


def test_detection_of_a_misread_arabic_decoding() -> None:
    assert misread_arabic(TITLE) == 0
    assert misread_arabic(DESCRIPTION) == 0
    assert misread_arabic(TITLE.encode("iso-8859-6").decode("cp1256")) > 0


def test_unlabelled_french_and_russian_are_not_forced_into_arabic() -> None:
    french = "Le président a déclaré à Paris que l'élection aura lieu en été."
    assert decode_document(french.encode("cp1252"), None)[0] == french
    russian = "Министр иностранных дел провёл переговоры с коллегой в Каире о ситуации в регионе."
    assert decode_document(russian.encode("cp1251"), None)[0] == russian


def test_utf8_bytes_under_a_stale_windows_1256_label_stay_utf8() -> None:
    text, body = feed_bytes("utf-8", declared="windows-1256")
    assert decode_document(body, "text/xml; charset=windows-1256") == (text, "utf-8")
    assert first_title(body, "text/xml; charset=windows-1256") == TITLE


def test_an_ascii_compatible_document_declaring_utf16_is_not_read_as_utf16() -> None:
    text, body = feed_bytes("windows-1256", declared="utf-16")
    assert decode_document(body, None)[0] == text
