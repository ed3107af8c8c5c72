"""Token features for the CRF: word forms, clitic-stripped stems, affixes, context words, and
what the gazetteer and the trigger rules say about each token.

The same function serves training (on ANERcorp sentences, joined into a text and tokenized
with `normalize.tokenize`) and tagging, so the model sees at run time exactly the features it
was trained on. Features that depend only on a word's normalized form are memoized per
extractor instance (news vocabulary is Zipfian: most lookups hit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .lexicon import (
    CONTINUATION_VERBS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    NAME_BINDERS,
    ORG_HEADS,
    REPORTING_VERBS,
    TIME_WORDS,
    TITLE_ADJECTIVES,
    TITLE_COMPLEMENTS,
    TITLE_HEADS,
)
from .normalize import Token

# A gap that ends a sentence (or a paragraph): the CRF tags sentence by sentence.
_SENTENCE_GAP_RE = re.compile(r"[.!?؟\n]")
_MAX_CHUNK = 120  # tokens; long run-on "sentences" are cut to keep tagging linear and local
CONTEXT_OFFSETS = (-2, -1, 1, 2)
_MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class Vocabulary:
    """Word sets from the gazetteer that features test: nisbas, and words of known names."""

    nisbas: frozenset[str]
    name_words: tuple[tuple[str, frozenset[str]], ...]  # (type, words), e.g. ("LOC", {...})


@dataclass(frozen=True, slots=True)
class Hint:
    """What the rules found over tokens first..last (exclusive): a type and a source label."""

    first: int
    last: int
    type: str
    source: str  # "watch", "titled", "curated", "cldr", "geonames" …


def sentence_chunks(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token ranges of sentences, cut at sentence-ending gaps and at `_MAX_CHUNK` tokens."""
    if not tokens:
        return []
    ends = [ends_sentence(text[a.end:b.start]) and not is_initial(a) for a, b in zip(tokens, tokens[1:])]
    return chunks_from_ends(ends)


def is_initial(tok: Token) -> bool:
    """A one-letter word (جيمس ف. جيفري): the period after it does not end the sentence."""
    return len(tok.norm) == 1


def ends_sentence(gap: str) -> bool:
    """Whether the characters between two tokens end a sentence (. ! ? ؟ or a new line)."""
    return _SENTENCE_GAP_RE.search(gap) is not None


def chunks_from_ends(ends: Sequence[bool]) -> list[tuple[int, int]]:
    """Chunks of n = len(ends) + 1 tokens, where ends[i] cuts between token i and i + 1."""
    chunks, first = [], 0
    for i, end in enumerate(ends, start=1):
        if end or i - first >= _MAX_CHUNK:
            chunks.append((first, i))
            first = i
    chunks.append((first, len(ends) + 1))
    return chunks


def gap_class(gap: str) -> str:
    """A coarse class of the characters between two tokens."""
    gap = gap.strip()
    if not gap:
        return ""
    if any(c in gap for c in "«»“”\"'"):
        return "q"
    if any(c in gap for c in "()[]"):
        return "("
    return gap[0] if gap[0] in "،,:؛;-.!?؟" else "p"


class FeatureExtractor:
    """Builds feature lists for token ranges; holds only a memo of word-form features."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._own: dict[str, list[str]] = {}
        self._ctx: dict[str, list[list[str]]] = {}

    def sequence(self, text: str, tokens: Sequence[Token], first: int, last: int,
                 hints: Sequence[Hint]) -> list[list[str]]:
        """Features of tokens[first:last], one list of strings per token."""
        hint_tags = _hint_tags(first, last, hints)
        out = []
        for i in range(first, last):
            tok = tokens[i]
            feats = list(self._word(tok))
            gap = gap_class(text[tokens[i - 1].end:tok.start]) if i > first else "^"
            nxt = gap_class(text[tok.end:tokens[i + 1].start]) if i + 1 < last else "$"
            feats.append("gap=" + gap)
            feats.append("ngap=" + nxt)
            tag = hint_tags[i - first]
            if tag:
                feats.extend(tag)
            for k, off in enumerate(CONTEXT_OFFSETS):
                j = i + off
                if first <= j < last:
                    feats.extend(self._context(tokens[j])[k])
                    ctag = hint_tags[j - first]
                    if ctag:
                        feats.append(f"{off}:{ctag[0]}")
                elif off in (-1, 1):
                    feats.append(f"{off}:edge")
            if i > first:
                feats.append("bi=" + tokens[i - 1].norm + "|" + tok.norm)
            out.append(feats)
        return out

    def _word(self, tok: Token) -> list[str]:
        """Features of the word form alone (memoized)."""
        feats = self._own.get(tok.norm)
        if feats is None:
            feats = word_features(tok, self.vocab)
            if len(self._own) > _MEMO_LIMIT:
                self._own.clear()
            self._own[tok.norm] = feats
        return feats

    def _context(self, tok: Token) -> list[list[str]]:
        """The features a word lends to its neighbours, one list per context offset."""
        ctx = self._ctx.get(tok.norm)
        if ctx is None:
            ctx = context_features(tok, self.vocab)
            if len(self._ctx) > _MEMO_LIMIT:
                self._ctx.clear()
            self._ctx[tok.norm] = ctx
        return ctx


def context_features(tok: Token, vocab: Vocabulary) -> list[list[str]]:
    """What a word says about its neighbours: its form, stem, ending and word classes, per offset."""
    base = ["w=" + tok.norm, "s=" + _shortest_stem(tok), "x3=" + tok.norm[-3:]] + \
        [f for f in word_features(tok, vocab) if f.startswith("k=")]
    return [[f"{off}:{f}" for f in base] for off in CONTEXT_OFFSETS]


def _shortest_stem(tok: Token) -> str:
    return min((s for _skip, s in tok.stems), key=len) if tok.norm else ""


def word_features(tok: Token, vocab: Vocabulary) -> list[str]:
    """Form, stems, affixes and word-class flags of one token."""
    w = tok.norm
    if not w:
        return ["bias", "k=empty"]  # a stray mark or tatweel
    stem = _shortest_stem(tok)
    feats = ["bias", "w=" + w, "s=" + stem, "p2=" + w[:2], "p3=" + w[:3], "x2=" + w[-2:],
             "x3=" + w[-3:], "sp3=" + stem[:3], "sx3=" + stem[-3:], f"len={min(len(w), 9)}"]
    if w.isdigit():
        feats.append("k=num")
    elif not w[0].isalpha() or not ("\u0600" <= w[0] <= "\u06ff"):
        feats.append("k=latin")
    stems = {s for _skip, s in tok.stems}
    for flag, words in (("title", TITLE_HEADS), ("tcomp", TITLE_COMPLEMENTS), ("tadj", TITLE_ADJECTIVES),
                        ("first", FIRST_NAMES), ("func", FUNCTION_WORDS), ("time", TIME_WORDS),
                        ("report", REPORTING_VERBS | CONTINUATION_VERBS), ("binder", NAME_BINDERS),
                        ("orghead", ORG_HEADS)):
        if stems & words:
            feats.append("k=" + flag)
    if stems & vocab.nisbas:
        feats.append("k=nisba")
    if len(tok.stems) > 1:
        feats.append("clitic=" + w[:len(w) - len(stem)] if len(stem) < len(w) else "clitic=al")
    core = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
    feats.append("c=" + core)
    for kind, words in vocab.name_words:
        if core in words or stem in words:
            feats.append("k=in" + kind)  # a word of a known name of this type
    return feats


def _hint_tags(first: int, last: int, hints: Sequence[Hint]) -> list[list[str]]:
    """Per token of the range: ["h=B-LOC", "hs=curated-B-LOC"] style tags from the rules."""
    tags: list[list[str]] = [[] for _ in range(last - first)]
    for h in hints:
        for i in range(max(h.first, first), min(h.last, last)):
            bio = "B" if i == h.first else "I"
            tags[i - first] = [f"h={bio}-{h.type}", f"hs={h.source}-{bio}-{h.type}"]
    return tags
