"""Arabic normalization, word tokens with spans, and proclitic stripping.

Matching is done on normalized forms (alef variants, alef maksura, teh marbuta, diacritics and
tatweel folded) so that أمريكا/امريكا or القاهرة/القاهره meet; spans always point back into the
original text, because tokens are found by a regex over the text exactly as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

TATWEEL = "\u0640"
# camel-tools' Arabic diacritics (camel_tools.utils.charsets.AR_DIAC_CHARSET) written out:
# importing that module classifies all of Unicode (0.3-0.5 s), which every `marsad extract` and
# every analysis worker would pay at start-up. A test checks that the two sets stay equal.
AR_DIAC_CHARSET = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")
_UNDIACRITIZE = {ord(c): None for c in AR_DIAC_CHARSET}
_ALEF_VARIANTS = "\u0625\u0623\u0671\u0622"  # إ أ ٱ آ, as in camel-tools' normalize_alef_ar

# One translation table doing what the camel-tools chain in `normalize` does, for the hot path
# (a str.translate per token is several times faster than five regex passes).
_FAST_TABLE: dict[int, str | None] = {ord(c): "\u0627" for c in _ALEF_VARIANTS}
_FAST_TABLE[ord("\u0649")] = "\u064a"  # ى -> ي
_FAST_TABLE[ord("\u0629")] = "\u0647"  # ة -> ه
_FAST_TABLE.update({ord(c): None for c in AR_DIAC_CHARSET})
_FAST_TABLE[ord(TATWEEL)] = None
_REMOVED = frozenset(AR_DIAC_CHARSET) | {TATWEEL}

# A word: letters/digits plus the combining marks and tatweel that may sit inside Arabic words.
_MARKS = "".join(sorted(AR_DIAC_CHARSET)) + TATWEEL
TOKEN_RE = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")

# Proclitics, longest first. "لل" (ل + ال) is special: the article is fused, see `stems`.
PROCLITICS: tuple[str, ...] = (
    "وبال", "فبال", "وكال", "ولل", "فلل", "وال", "فال", "بال", "كال",
    "لل", "وب", "فب", "ول", "فل", "وك", "فك", "و", "ف", "ب", "ل", "ك",
)
_MIN_STEM = 2
# Clitics grouped by first letter, shortest first: most words start with no clitic letter at all.
_CLITICS_BY_LETTER: dict[str, tuple[str, ...]] = {
    letter: tuple(c for c in reversed(PROCLITICS) if c[0] == letter) for letter in "وفبلك"
}


def normalize(text: str) -> str:
    """Normalize with camel-tools: alef, alef maksura, teh marbuta, diacritics, tatweel."""
    text = text.translate(_UNDIACRITIZE).replace(TATWEEL, "")  # = camel's dediac_ar
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))


def fast_normalize(word: str) -> str:
    """Same result as `normalize`, via one str.translate (used per token)."""
    return word.translate(_FAST_TABLE)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the original text: `text[start:end]`, its normalized form and stems."""

    text: str
    start: int
    end: int
    norm: str
    stems: tuple[tuple[int, str], ...]  # (chars of the ORIGINAL token skipped, normalized stem)


def original_offset(word: str, letters: int) -> int:
    """Offset in `word` after `letters` normalized letters (diacritics/tatweel don't count)."""
    seen = 0
    for i, ch in enumerate(word):
        if ch in _REMOVED:
            continue
        if seen == letters:
            return i
        seen += 1
    return len(word)


def stems(word: str, norm: str) -> tuple[tuple[int, str], ...]:
    """Candidate forms of a word with its proclitics removed, the whole word first.

    Each candidate carries how many characters of the original word the clitic takes, so a
    mention can be reported without it ("والسعودية" -> "السعودية"). For "لل"/"ولل" the article
    is fused with the preposition: the stem gets "ال" back and the span keeps the "لل"
    ("للقاهرة" matches القاهرة; its mention text is "للقاهرة" minus a leading و/ف only).
    """
    out = [(0, norm)]
    # shortest clitic first: "ولبنان" -> لبنان before بنان
    for clitic in _CLITICS_BY_LETTER.get(norm[:1], ()):
        if not norm.startswith(clitic) or len(norm) - len(clitic) < _MIN_STEM:
            continue
        rest = norm[len(clitic):]
        if clitic.endswith("لل"):
            skipped = len(clitic) - 2
            out.append((original_offset(word, skipped), "ال" + rest))
        else:
            out.append((original_offset(word, len(clitic)), rest))
    return tuple(out)


def tokenize(text: str) -> list[Token]:
    """Word tokens of `text` with their spans in `text`."""
    tokens = []
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        norm = word.translate(_FAST_TABLE)
        forms = stems(word, norm) if norm[:1] in _CLITICS_BY_LETTER else ((0, norm),)
        tokens.append(Token(word, m.start(), m.end(), norm, forms))
    return tokens


def norm_words(phrase: str) -> tuple[str, ...]:
    """The normalized words of a phrase: the key form used by the gazetteer and lexicons."""
    return tuple(normalize(m.group()) for m in TOKEN_RE.finditer(phrase))


def with_proclitics(words: frozenset[str]) -> frozenset[str]:
    """Every normalized word of `words` as it may be written with a proclitic (وزارة -> بوزارة،
    والوزارة، للوزارة …), so that "is token t one of these words" is one set lookup on t.norm."""
    forms = {c + w for c in ("", *PROCLITICS) if not c.endswith("لل") for w in words}
    forms |= {c + w[2:] for c in PROCLITICS if c.endswith("لل") for w in words if w.startswith("ال")}
    return frozenset(forms)
