"""Content words of Arabic text: the normalized stems that stories, summaries and watchlists
compare, with function words, time words and reporting verbs left out.

No morphological analyzer is available offline, so stems are light (proclitics and a few
suffixes removed). Stripping a single و/ف/ب/ل/ك is ambiguous (وزير is no و + زير), so a word
gives two terms: the word without its article group, and that form without one more proclitic
letter. Whatever the spelling (الوزير، وزير، بوزير), two forms of one word share a term.
"""

from __future__ import annotations

from functools import lru_cache

from .lexicon import CONTINUATION_VERBS, FUNCTION_WORDS, REPORTING_VERBS, TIME_WORDS
from .normalize import TOKEN_RE, fast_normalize
from .wordlists import words

# Hamza on its seats is spelled differently by outlets (مسؤول/مسئول، شؤون/شئون): dropped.
_HAMZA_TABLE = str.maketrans({"ؤ": None, "ئ": None, "ء": None})
_ARTICLES = ("وبال", "فبال", "وكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
_ONE_LETTER = "وفبلك"
_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "يه", "ه", "ي")
_MIN_STEM = 3

STOPWORDS = FUNCTION_WORDS | TIME_WORDS | REPORTING_VERBS | CONTINUATION_VERBS | words("stopwords")
STOPWORDS = STOPWORDS | frozenset(w.translate(_HAMZA_TABLE) for w in STOPWORDS)


def fold(word: str) -> str:
    """The matching form of one word: normalized (alef, ya, teh marbuta, diacritics) and
    hamza seats dropped."""
    return fast_normalize(word).translate(_HAMZA_TABLE).casefold()


def without_article(word: str) -> str:
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= _MIN_STEM - 1:
            return word[len(article):]
    return word


def _suffixless(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def word_terms(word: str) -> tuple[str, ...]:
    """The one or two terms a folded word stands for ("" forms and stop words give none)."""
    if word in STOPWORDS or len(word) < 2 or word.isdigit():
        return ()
    base = without_article(word)
    if base in STOPWORDS:
        return ()
    first = _suffixless(base)
    if base[:1] in _ONE_LETTER and len(base) - 1 >= _MIN_STEM and base[1:] not in STOPWORDS:
        second = _suffixless(base[1:])
        if second != first:
            return (first, second)
    return (first,)


@lru_cache(maxsize=500_000)
def _terms_as_written(word: str) -> tuple[str, ...]:
    return word_terms(fold(word))


def content_terms(text: str) -> list[str]:
    """Every content term of `text`, in order, repeated as often as it occurs."""
    terms: list[str] = []
    for word in TOKEN_RE.findall(text):
        terms.extend(_terms_as_written(word))
    return terms


def folded_words(text: str) -> list[str]:
    """The words of `text` in their matching form, stop words kept (for phrases)."""
    return [fold(m.group()) for m in TOKEN_RE.finditer(text)]
