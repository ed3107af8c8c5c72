"""Arabic and English published dates, as Arabic outlets write them in feeds and on pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from generator.ingest.dates import clamp_to, extract_zone, normalize_date_text, parse_date

UTC = timezone.utc


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, expected",
    [
        # Egyptian / Gulf month names
        ("الجمعة 27 نوفمبر 2026 - 10:30", utc(2026, 11, 27, 10, 30)),
        ("الخميس 1 يناير 2026", utc(2026, 1, 1)),
        ("3 فبراير 2026", utc(2026, 2, 3)),
        ("15 مارس 2026", utc(2026, 3, 15)),
        ("9 أبريل 2026", utc(2026, 4, 9)),
        ("9 ابريل 2026", utc(2026, 4, 9)),
        ("9 إبريل 2026", utc(2026, 4, 9)),
        ("15 مايو 2026", utc(2026, 5, 15)),
        ("20 يونيو 2026", utc(2026, 6, 20)),
        ("20 يونيه 2026", utc(2026, 6, 20)),
        ("4 يوليو 2026", utc(2026, 7, 4)),
        ("4 يوليه 2026", utc(2026, 7, 4)),
        ("31 أغسطس 2026", utc(2026, 8, 31)),
        ("31 اغسطس 2026", utc(2026, 8, 31)),
        ("30 سبتمبر 2026", utc(2026, 9, 30)),
        ("6 أكتوبر 2026", utc(2026, 10, 6)),
        ("6 اكتوبر 2026", utc(2026, 10, 6)),
        ("25 ديسمبر 2026", utc(2026, 12, 25)),
        # Levantine / Iraqi
        ("٢٧ تشرين الثاني ٢٠٢٦", utc(2026, 11, 27)),
        ("الأحد 4 كانون الثاني 2026", utc(2026, 1, 4)),
        ("14 شباط 2026", utc(2026, 2, 14)),
        ("۲۷ آذار ۲۰۲۶", utc(2026, 3, 27)),
        ("7 نيسان 2026", utc(2026, 4, 7)),
        ("1 أيار 2026", utc(2026, 5, 1)),
        ("12 حزيران 2026", utc(2026, 6, 12)),
        ("17 تموز 2026", utc(2026, 7, 17)),
        ("3 آب 2026", utc(2026, 8, 3)),
        ("21 أيلول 2026", utc(2026, 9, 21)),
        ("10 تشرين الأول 2026", utc(2026, 10, 10)),
        ("31 كانون الأول 2026", utc(2026, 12, 31)),
        ("31 كانون الاول 2026", utc(2026, 12, 31)),
        # both names, as Levantine papers print them
        ("نشر في: 27 تشرين الثاني/نوفمبر 2026 - 08:15 صباحاً", utc(2026, 11, 27, 8, 15)),
        ("الأحد 1 كانون الثاني (يناير) 2026 - 12:05 ص", utc(2026, 1, 1, 0, 5)),
        # Algeria / Tunisia
        ("الأربعاء 8 جانفي 2026", utc(2026, 1, 8)),
        ("12 فيفري 2026", utc(2026, 2, 12)),
        ("2 أفريل 2026", utc(2026, 4, 2)),
        ("15 ماي 2026", utc(2026, 5, 15)),
        ("5 جوان 2026", utc(2026, 6, 5)),
        ("27 جويلية 2026 على الساعة 14:05 بتوقيت غرينتش", utc(2026, 7, 27, 14, 5)),
        ("20 أوت 2026", utc(2026, 8, 20)),
        # Morocco
        ("3 يوليوز 2026 | 17:45", utc(2026, 7, 3, 17, 45)),
        ("14 غشت 2026", utc(2026, 8, 14)),
        ("9 شتنبر 2026", utc(2026, 9, 9)),
        ("11 نونبر 2026", utc(2026, 11, 11)),
        ("27 دجنبر 2026 - 10:30 GMT+3", utc(2026, 12, 27, 7, 30)),
        # digits, clocks and AM/PM
        ("الجمعة، ٢٧ نوفمبر ٢٠٢٦ ١٠:٣٠ م", utc(2026, 11, 27, 22, 30)),
        ("آخر تحديث: الجمعة 27/11/2026 الساعة 10:30 مساءً", utc(2026, 11, 27, 22, 30)),
        ("12:00 م 27 نوفمبر 2026", utc(2026, 11, 27, 12, 0)),
        ("١ أغسطس ٢٠٢٦ الساعة ١٢:٣٠ ظهراً", utc(2026, 8, 1, 12, 30)),
        ("3 آب 2026 11 مساءً", utc(2026, 8, 3, 23, 0)),
        ("27 نوفمبر 2026 الساعة 9 صباحا", utc(2026, 11, 27, 9, 0)),
        ("٢٠٢٦/١١/٢٧ ١٠:٣٠", utc(2026, 11, 27, 10, 30)),
        ("27/11/2026", utc(2026, 11, 27)),
        ("27-11-2026 10:30", utc(2026, 11, 27, 10, 30)),
        ("27.11.2026", utc(2026, 11, 27)),
        ("تاريخ النشر: 2026-11-27 10:30:00", utc(2026, 11, 27, 10, 30)),
        ("الجمعة 27 نـوفـمـبـر 2026", utc(2026, 11, 27)),  # tatweel
        # ISO 8601 and RFC 822, in ASCII or Arabic digits
        ("2026-11-27T10:30:00+03:00", utc(2026, 11, 27, 7, 30)),
        ("2026-11-27T10:30:00Z", utc(2026, 11, 27, 10, 30)),
        ("Fri, 27 Nov 2026 10:30:00 GMT", utc(2026, 11, 27, 10, 30)),
        ("Fri, ٢٧ Nov ٢٠٢٦ ١٠:٣٠:٠٠ +٠٣٠٠", utc(2026, 11, 27, 7, 30)),
        ("Thu, 27 Nov 2026 10:30:00 EET", utc(2026, 11, 27, 8, 30)),
        ("Friday, November 27, 2026 10:30 AM", utc(2026, 11, 27, 10, 30)),
        # the Hijri date that comes first is not read as the date
        ("الخميس 12 جمادى الأولى 1448 هـ الموافق 27 نوفمبر 2026م", utc(2026, 11, 27)),
        ("1448/5/17 هـ - 27/11/2026 م", utc(2026, 11, 27)),
        # Unix time from a page attribute
        ("1795775400", utc(2026, 11, 27, 10, 30)),
    ],
)
def test_parse_date_reads_arabic_and_english_dates(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("27 نوفمبر 2026 10:30 بتوقيت غرينتش", utc(2026, 11, 27, 10, 30)),
        ("27 نوفمبر 2026 10:30 بتوقيت جرينتش", utc(2026, 11, 27, 10, 30)),
        ("27 نوفمبر 2026 10:30 غرينتش+3", utc(2026, 11, 27, 7, 30)),
        ("27 نوفمبر 2026 10:30 GMT+3", utc(2026, 11, 27, 7, 30)),
        ("27 نوفمبر 2026 10:30 GMT +03:00", utc(2026, 11, 27, 7, 30)),
        ("27 نوفمبر 2026 10:30 UTC-5", utc(2026, 11, 27, 15, 30)),
        ("27 نوفمبر 2026 10:30 +03:00", utc(2026, 11, 27, 7, 30)),
        ("1 أغسطس 2026 الساعة 12:30 ظهرا بتوقيت مكة المكرمة", utc(2026, 8, 1, 9, 30)),
        ("27-11-2026 10:30 بتوقيت أبو ظبي", utc(2026, 11, 27, 6, 30)),
        # Beirut keeps daylight saving time: +3 in summer, +2 in winter
        ("3 آب 2026 10:00 بتوقيت بيروت", utc(2026, 8, 3, 7, 0)),
        ("السبت 28 نوفمبر 2026 | 01:05 ص بتوقيت بيروت", utc(2026, 11, 27, 23, 5)),
    ],
)
def test_parse_date_honours_a_written_zone(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


def test_a_date_without_zone_is_in_the_default_zone() -> None:
    riyadh = ZoneInfo("Asia/Riyadh")
    assert parse_date("الجمعة 27 نوفمبر 2026 - 10:30", riyadh) == utc(2026, 11, 27, 7, 30)
    assert parse_date("27/11/2026 10:30", timezone(timedelta(hours=1))) == utc(2026, 11, 27, 9, 30)


def test_a_written_zone_wins_over_the_default_zone() -> None:
    riyadh = ZoneInfo("Asia/Riyadh")
    assert parse_date("2026-11-27T10:30:00+00:00", riyadh) == utc(2026, 11, 27, 10, 30)
    assert parse_date("27 نوفمبر 2026 10:30 بتوقيت غرينتش", riyadh) == utc(2026, 11, 27, 10, 30)


def test_the_result_is_always_aware_utc() -> None:
    parsed = parse_date("27 نوفمبر 2026 10:30 بتوقيت القاهرة")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(0)
    assert parsed == utc(2026, 11, 27, 8, 30)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "منذ ساعتين",  # relative: no absolute date to read
        "27 نوفمبر",  # no year
        "نوفمبر 2026",  # no day
        "2026",
        "الجمعة",
        "عاجل: انفجار في الميناء",
        "32 نوفمبر 2026",
        "31/02/2026",
        "<p>not a date</p>",
    ],
)
def test_parse_date_returns_none_when_there_is_no_full_date(text: str) -> None:
    assert parse_date(text) is None


def test_month_names_are_whole_words() -> None:
    # ماي (May, Maghreb) must not be read inside مايو, nor آب (August) inside a longer word
    assert parse_date("15 مايو 2026") == utc(2026, 5, 15)
    assert parse_date("15 ماي 2026") == utc(2026, 5, 15)
    assert parse_date("الأحزاب 15 مارس 2026") == utc(2026, 3, 15)


def test_normalize_date_text_unifies_digits_and_letters() -> None:
    assert normalize_date_text("٢٧ إبريل ۲۰۲۶، ١٠:٣٠ صباحاً") == "27 ابريل 2026, 10:30 صباحا"


def test_extract_zone_removes_the_zone_phrase() -> None:
    text, zone = extract_zone("27 نوفمبر 2026 10:30 GMT+3")
    assert "GMT" not in text
    assert zone is not None and zone.utcoffset(None) == timedelta(hours=3)
    assert extract_zone("27 نوفمبر 2026") == ("27 نوفمبر 2026", None)


def test_clamp_to_moves_a_future_date_back_to_the_fetch_time() -> None:
    fetched = utc(2026, 11, 27, 12, 0)
    assert clamp_to(utc(2026, 11, 28, 9, 0), fetched) == fetched
    assert clamp_to(utc(2026, 11, 27, 9, 0), fetched) == utc(2026, 11, 27, 9, 0)
    assert clamp_to(fetched, fetched) == fetched


def test_clamp_to_compares_instants_across_zones() -> None:
    fetched = utc(2026, 11, 27, 12, 0)
    three_hours_ahead = timezone(timedelta(hours=3))
    earlier_in_riyadh = datetime(2026, 11, 27, 14, 0, tzinfo=three_hours_ahead)  # 11:00 UTC
    assert clamp_to(earlier_in_riyadh, fetched) == earlier_in_riyadh
    later_in_riyadh = datetime(2026, 11, 27, 16, 0, tzinfo=three_hours_ahead)  # 13:00 UTC
    assert clamp_to(later_in_riyadh, fetched) == fetched


def test_english_dates_with_words_around_them() -> None:
    assert parse_date("Published on 27 November 2026 at 10:30") == utc(2026, 11, 27, 10, 30)
    assert parse_date("Updated: Nov. 27, 2026 10:30 AM EET") == utc(2026, 11, 27, 8, 30)
    assert parse_date("page 3 of 12") is None


def test_night_hours_run_past_midnight() -> None:
    assert parse_date("27 نوفمبر 2026 الساعة 9 ليلا") == utc(2026, 11, 27, 21, 0)
    assert parse_date("27 نوفمبر 2026 الساعة 11:30 ليلاً") == utc(2026, 11, 27, 23, 30)
    assert parse_date("27 نوفمبر 2026 الساعة 12 ليلا") == utc(2026, 11, 27, 0, 0)
    assert parse_date("27 نوفمبر 2026 الساعة 2 ليلا") == utc(2026, 11, 27, 2, 0)
