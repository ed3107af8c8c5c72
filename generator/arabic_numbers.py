"""Counted nouns in Arabic: the noun's form agrees with the number ("مادة واحدة"، "مادتان"،
"3 مواد"، "11 مادة"، "100 مادة").

The number's category is CLDR's plural rule for Arabic (through Babel): zero, one, two, few
(3–10 after the hundreds), many (11–99 after the hundreds), other (100, 101, 102, 200 …).
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

ARABIC = Locale("ar")


@dataclass(frozen=True)
class Noun:
    """The forms of one noun after a number."""

    one: str  # "مادة واحدة": the singular with the number as an adjective, no digit
    two: str  # "مادتان": the dual, no digit
    few: str  # "مواد": the plural, after 3–10
    many: str  # "مادة" / "اقتباسا": the accusative singular, after 11–99
    other: str  # "مادة" / "اقتباس": the genitive singular, after 100, 1000 …
    zero: str  # "لا مواد": what is said of none


NOUNS: dict[str, Noun] = {
    "article": Noun("مادة واحدة", "مادتان", "مواد", "مادة", "مادة", "لا مواد"),
    "quote": Noun("اقتباس واحد", "اقتباسان", "اقتباسات", "اقتباسا", "اقتباس", "لا اقتباسات"),
    "source": Noun("مصدر واحد", "مصدران", "مصادر", "مصدرا", "مصدر", "لا مصادر"),
    "mention": Noun("إشارة واحدة", "إشارتان", "إشارات", "إشارة", "إشارة", "لا إشارات"),
    "day": Noun("يوم واحد", "يومان", "أيام", "يوما", "يوم", "لا أيام"),
    "entity": Noun("كيان واحد", "كيانان", "كيانات", "كيانا", "كيان", "لا كيانات"),
    "story": Noun("قصة واحدة", "قصتان", "قصص", "قصة", "قصة", "لا قصص"),
    "outlet": Noun("وسيلة واحدة", "وسيلتان", "وسائل", "وسيلة", "وسيلة", "لا وسائل"),
}


def count(number: int, noun: str) -> str:
    """`number` of `noun` (a key of NOUNS) as an Arabic reader expects to read it."""
    forms = NOUNS[noun]
    category = ARABIC.plural_form(abs(number))
    if category in ("zero", "one", "two"):
        return getattr(forms, category)
    return f"{number} {getattr(forms, category)}"
