"""Published times that feedparser cannot read: Arabic dates from feeds and pages.

Arabic outlets write dates in three month-naming systems (Egyptian/Gulf, Levantine/Iraqi,
Maghreb), with Eastern Arabic or Persian digits, Arabic AM/PM markers and zone phrases such as
"بتوقيت غرينتش". The approach: normalize the Arabic into the English tokens dateutil already
understands (digits, month abbreviations, AM/PM, a UTC offset), drop every other Arabic word as
noise (day names, "نشر في", "الموافق"), then let dateutil parse what is left.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

UTC = timezone.utc
EARLIEST_YEAR = 1970  # nothing monitored was published earlier; smaller numbers are noise
LATEST_YEAR = 2200
EARLIEST_PUBLISHED = datetime(1990, 1, 1, tzinfo=timezone.utc)  # older "news" is a wrong date

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
ARABIC_PUNCTUATION = str.maketrans({"،": ",", "؛": " ", "؍": "/", "٫": ".", "٬": ",", "|": " "})
DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel
LETTER_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
NOT_A_LETTER_BEFORE = r"(?<![\u0621-\u064a])"
NOT_A_LETTER_AFTER = r"(?![\u0621-\u064a])"

# Month names, written as they are after `_normalize_letters` (alef, ya and teh marbuta unified).
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "Jan": ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "جانفيه"),
    "Feb": ("فبراير", "شباط", "فيفري", "فيفريه"),
    "Mar": ("مارس", "اذار"),
    "Apr": ("ابريل", "نيسان", "افريل"),
    "May": ("مايو", "ايار", "ماي"),
    "Jun": ("يونيو", "يونيه", "حزيران", "جوان"),
    "Jul": ("يوليو", "يوليه", "تموز", "جويليه", "يوليوز"),
    "Aug": ("اغسطس", "اب", "اوت", "غشت"),
    "Sep": ("سبتمبر", "ايلول", "شتنبر"),
    "Oct": ("اكتوبر", "تشرين الاول", "تشرين اول"),
    "Nov": ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر"),
    "Dec": ("ديسمبر", "كانون الاول", "كانون اول", "دجنبر"),
}
HIJRI_MONTHS = (
    "محرم", "صفر", "ربيع الاول", "ربيع الاخر", "ربيع الثاني", "جمادي الاولي", "جمادي الاول",
    "جمادي الاخره", "جمادي الثانيه", "رجب", "شعبان", "رمضان", "شوال", "ذو القعده", "ذي القعده",
    "ذو الحجه", "ذي الحجه",
)
# Words after a clock time; the short ص/م only count right after a time (م after a year means
# ميلادي, "of the Common Era").
MORNING_WORDS = ("صباحا", "صباح", "فجرا", "ص")
EVENING_WORDS = ("مساءا", "مساء", "ظهرا", "عصرا", "م")
GREENWICH = r"(?<![A-Za-z])(?:GMT|UTC|غرينتش|غرينيتش|جرينتش|جرينيتش|غرنتش)"
# "بتوقيت <city or country>": the IANA zone, so that daylight saving time is right.
LOCAL_TIME_ZONES: dict[str, str] = {
    "مكه": "Asia/Riyadh", "الرياض": "Asia/Riyadh", "السعوديه": "Asia/Riyadh",
    "القاهره": "Africa/Cairo", "مصر": "Africa/Cairo",
    "بيروت": "Asia/Beirut", "لبنان": "Asia/Beirut",
    "دمشق": "Asia/Damascus", "سوريا": "Asia/Damascus",
    "بغداد": "Asia/Baghdad", "العراق": "Asia/Baghdad",
    "الاردن": "Asia/Amman", "القدس": "Asia/Hebron", "فلسطين": "Asia/Hebron",
    "الدوحه": "Asia/Qatar", "قطر": "Asia/Qatar",
    "ابوظبي": "Asia/Dubai", "ابو ظبي": "Asia/Dubai", "دبي": "Asia/Dubai", "الامارات": "Asia/Dubai",
    "الكويت": "Asia/Kuwait", "البحرين": "Asia/Bahrain", "المنامه": "Asia/Bahrain",
    "مسقط": "Asia/Muscat", "صنعاء": "Asia/Aden", "اليمن": "Asia/Aden",
    "الخرطوم": "Africa/Khartoum", "السودان": "Africa/Khartoum",
    "طرابلس": "Africa/Tripoli", "ليبيا": "Africa/Tripoli",
    "تونس": "Africa/Tunis", "الجزائر": "Africa/Algiers",
    "الرباط": "Africa/Casablanca", "المغرب": "Africa/Casablanca",
    "نواكشوط": "Africa/Nouakchott", "موريتانيا": "Africa/Nouakchott",
}
# Unambiguous zone abbreviations only (AST, IST, CST mean different zones in different places).
ZONE_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3,
}


def _alternation(words) -> str:
    """A regex alternation, longest first so that مايو is never read as ماي."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


def _whole_word(alternation: str) -> str:
    return f"{NOT_A_LETTER_BEFORE}(?:{alternation}){NOT_A_LETTER_AFTER}"


MONTH_PATTERNS = tuple(
    (abbreviation, re.compile(_whole_word(_alternation(names))))
    for abbreviation, names in MONTH_NAMES.items()
)
REPEATED_MONTH = re.compile(r"\b([A-Z][a-z]{2})\b\s*[/(\-–]?\s*\1\b\s*\)?")
HIJRI_DATE = re.compile(
    r"\d{1,2}\s+" + _whole_word(_alternation(HIJRI_MONTHS))
    + r"\s+\d{3,4}(?:\s*ه" + NOT_A_LETTER_AFTER + ")?"
)
HIJRI_NUMERIC_DATE = re.compile(r"\d{1,4}[/-]\d{1,2}[/-]\d{1,4}\s*ه" + NOT_A_LETTER_AFTER)
CLOCK = r"(\d{1,2}(?::\d{2}){1,2})"
MORNING_AFTER_TIME = re.compile(CLOCK + r"\s*" + _whole_word(_alternation(MORNING_WORDS)))
EVENING_AFTER_TIME = re.compile(CLOCK + r"\s*" + _whole_word(_alternation(EVENING_WORDS)))
MORNING_AFTER_HOUR = re.compile(r"(?<![\d:])(\d{1,2})\s+" + _whole_word("صباحا|فجرا"))
EVENING_AFTER_HOUR = re.compile(r"(?<![\d:])(\d{1,2})\s+" + _whole_word("مساءا|مساء|ظهرا|عصرا"))
NIGHT = re.compile(r"(?<![\d:])(\d{1,2})((?::\d{2}){0,2})\s*" + _whole_word("ليلا|ليل"))
GREENWICH_OFFSET = re.compile(GREENWICH + r"\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)
GREENWICH_ALONE = re.compile(r"(?:بتوقيت\s+)?" + GREENWICH, re.I)
LOCAL_TIME = re.compile(
    r"(?:بتوقيت|توقيت)\s+(?:مدينه\s+)?(" + _alternation(LOCAL_TIME_ZONES) + r")"
    + NOT_A_LETTER_AFTER
)
EPOCH = re.compile(r"\d{10}(\d{3})?")
SEPARATOR_NOISE = re.compile(r"[^A-Za-z0-9:+\-/.,\s]")
SPACED_DASH = re.compile(r"\s[-–—]+\s")


def parse_date(text: str, default_tz: tzinfo = UTC) -> datetime | None:
    """An aware UTC datetime for a date written in Arabic or English, or None if there is none.

    The date must name a year, a month and a day; a time and a zone are optional (a missing zone
    is `default_tz`, which for a feed is usually its outlet's zone).
    """
    if not text or not text.strip():
        return None
    normalized = normalize_date_text(text)
    if EPOCH.fullmatch(normalized.strip()):
        return _from_epoch(normalized.strip())
    without_hijri = _drop_hijri_dates(normalized)
    without_zone, zone = extract_zone(without_hijri)
    tokens = _english_tokens(without_zone)
    parsed = _parse_tokens(tokens)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or default_tz)
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return None
    return parsed.astimezone(UTC)


def clamp_to(published: datetime, fetched: datetime) -> datetime:
    """`published`, or `fetched` when it claims a time after the fetch or before 1990: a feed
    cannot publish the future, a future date would pin an article to the top of every digest,
    and dates near year 1 break every render in a zone west of UTC."""
    return published if EARLIEST_PUBLISHED <= published <= fetched else fetched


def normalize_date_text(text: str) -> str:
    """ASCII digits and punctuation, no diacritics or tatweel, one spelling per Arabic letter."""
    text = unicodedata.normalize("NFKC", text).translate(DIGITS).translate(ARABIC_PUNCTUATION)
    text = DIACRITICS.sub("", text).translate(LETTER_VARIANTS)
    return " ".join(text.split())


def extract_zone(text: str) -> tuple[str, tzinfo | None]:
    """The text without its Arabic or GMT±h zone phrase, and the zone that phrase names."""
    match = GREENWICH_OFFSET.search(text)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        return _cut(text, match), timezone(sign * offset) if offset < timedelta(hours=24) else None
    match = LOCAL_TIME.search(text)
    if match:
        return _cut(text, match), ZoneInfo(LOCAL_TIME_ZONES[_squeeze(match.group(1))])
    match = GREENWICH_ALONE.search(text)
    if match:
        return _cut(text, match), UTC
    return text, None


def _cut(text: str, match: re.Match) -> str:
    return f"{text[:match.start()]} {text[match.end():]}"


def _squeeze(words: str) -> str:
    return " ".join(words.split())


def _drop_hijri_dates(text: str) -> str:
    """Hijri dates often precede the Gregorian one ("... 1448 هـ الموافق 27 نوفمبر 2026")."""
    return HIJRI_NUMERIC_DATE.sub(" ", HIJRI_DATE.sub(" ", text))


def _english_tokens(text: str) -> str:
    """Arabic months and AM/PM as English words; every other Arabic word dropped as noise."""
    text = MORNING_AFTER_TIME.sub(r"\1 AM", text)
    text = EVENING_AFTER_TIME.sub(r"\1 PM", text)
    text = MORNING_AFTER_HOUR.sub(r"\1:00 AM", text)
    text = EVENING_AFTER_HOUR.sub(r"\1:00 PM", text)
    text = NIGHT.sub(_night_time, text)
    for abbreviation, pattern in MONTH_PATTERNS:
        text = pattern.sub(f" {abbreviation} ", text)
    text = ARABIC_SCRIPT.sub(" ", text)
    text = REPEATED_MONTH.sub(r"\1 ", text)  # "تشرين الثاني (نوفمبر)" is one month
    text = SEPARATOR_NOISE.sub(" ", text)
    text = SPACED_DASH.sub(" ", f" {text} ")
    return " ".join(text.split()).strip(" ,.:/-")


def _night_time(match: re.Match) -> str:
    """At night (ليلا) is PM from 6 to 11 and AM from 12 to 5: 2 ليلا is 02:00."""
    hour, minutes = int(match.group(1)), match.group(2) or ":00"
    return f"{hour}{minutes} {'PM' if 6 <= hour <= 11 else 'AM'}"


def _parse_tokens(tokens: str) -> datetime | None:
    """dateutil's reading, or None when it fails or the year, month or day is not written.

    Strict first; fuzzy (skipping unknown words, as in "Published on ...") only when strict
    fails. Parsing against two different defaults shows which fields came from the text: a
    field that differs between the two readings was filled in by the default.
    """
    if not tokens:
        return None
    for fuzzy in (False, True):
        readings = [_dateutil_reading(tokens, default, fuzzy)
                    for default in (datetime(1904, 1, 1), datetime(1908, 2, 2))]
        first, second = readings
        if first is not None and second is not None:
            return first if first.date() == second.date() else None
    return None


def _dateutil_reading(tokens: str, default: datetime, fuzzy: bool) -> datetime | None:
    try:
        return dateutil_parser.parse(tokens, default=default, dayfirst=True, fuzzy=fuzzy,
                                     tzinfos=_zone_for)
    except (ValueError, OverflowError):
        return None


def _zone_for(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's zone hook: numeric offsets and unambiguous abbreviations, never local time."""
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    hours = ZONE_ABBREVIATIONS.get((name or "").upper())
    return None if hours is None else timezone(timedelta(hours=hours))


def _from_epoch(digits: str) -> datetime | None:
    """Pages often carry the time as Unix seconds (or milliseconds) in an attribute."""
    seconds = int(digits) / 1000 if len(digits) == 13 else int(digits)
    value = datetime.fromtimestamp(seconds, tz=UTC)
    return value if EARLIEST_YEAR <= value.year <= LATEST_YEAR else None
