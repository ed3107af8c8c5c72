"""What quote finding knows of one text, shared by quotes.py (where quotes are) and
speakers.py (who said them).

`Context` is built once per text: its words, quotation-mark pairs, sentences and entity mentions,
with the positions of reporting verbs, commas and sentence breaks found in one pass. `Speaker`
and `Found` are the plain values the two steps exchange; the helpers here read clauses (a
reporting verb's bare form, where a clause breaks, the إن/أن that opens a report).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from operator import itemgetter
from types import MappingProxyType
from typing import NamedTuple

from ..model import Entity
from . import linking
from .lexicon import TITLE_HEADS
from .normalize import Token, fast_normalize
from .reporting import (
    ACCORDING_TO,
    COMPLEMENTIZERS,
    CONTINUATION_VERBS,
    DOCUMENT_NOUNS,
    NOT_REPORT_GOVERNORS,
    REPORTING_VERBS,
    SOURCE_NOUNS,
    SPEECH_NOUNS,
    VERBAL_NOUN_NEGATORS,
    WARNING_VERBS,
)
from .sentences import Span

MAX_CLAUSE_TOKENS = 30  # reporting verb to quote mark / complementizer
MAX_ROLE_TOKENS = 8
VERBS = REPORTING_VERBS | CONTINUATION_VERBS
_BAYYANA = frozenset({"بين", "وبين", "عقب", "وعقب", "فرد"})  # بيّن، عقّب، فردّ: spelled like بين، عقب، فرد
CAME = frozenset({"جاء", "وجاء"})  # وجاء في البيان: «…»
_VERB_FORMS = VERBS | frozenset(c + v for v in VERBS for c in "وف" if len(v) >= 3)
# What Context marks in its one pass over the words.
_WORD_KINDS: Mapping[str, str] = MappingProxyType({
    **{w: "amma" for w in ("اما", "واما")}, **{w: "bayyana" for w in _BAYYANA}, **{w: "came" for w in CAME},
    **{w: "according" for w in ACCORDING_TO}, **{w: "verb" for w in _VERB_FORMS},
})
CLAUSE_BREAK_RE = re.compile(r"[.!?؟…;؛]")
CLAUSE_PUNCT_RE = re.compile(r"[،,:.!?؟…;؛]")
_PUNCT_RE = re.compile(r"[.!?؟…;؛،,]")  # clause breaks and commas, found once per text


class Named(NamedTuple):
    """An entity mention, for speaker lookup (a tuple: dozens are made per text)."""

    start: int
    end: int
    type: str
    name: str
    entity: Entity

    def speaker(self) -> Speaker:
        """The entity as a speaker (computed only for the mentions that speak)."""
        return _entity_speaker(self.entity)


class Speaker(NamedTuple):
    name: str
    id: str = ""
    unnamed: bool = False

    @property
    def found(self) -> bool:
        return bool(self.name)


NOBODY = Speaker("")


class Found(NamedTuple):
    """A quote before attribution: where it was attributed (for speaker carry-over) and how."""

    pos: int  # character position of the attribution in reading order
    start: int  # the quoted words
    end: int
    kind: str
    verb: str  # the reporting verb as written
    speaker: Speaker  # NOBODY when the quote inherits the last speaker
    sure: float  # confidence of the pattern itself


def _entity_speaker(entity: Entity) -> Speaker:
    return Speaker(clean_name(entity.name), entity_id(entity))


def entity_id(entity: Entity) -> str:
    """The entity's id when the recognizer gives one, else one from its type and name."""
    return str(getattr(entity, "id", "") or named_id(entity.type, entity.name))


def named_id(type_: str, name: str) -> str:
    """The id of someone named in the text, in the one scheme of entity ids (linking.py)."""
    return linking.entity_id(type_, name)


def name_words(name: str) -> tuple[str, ...]:
    """The normalized words of a name (a cheap form of normalize.norm_words for the hot path)."""
    return tuple(fast_normalize(w) for w in name.split())


class Context:
    """What quote finding needs about one text (built once per `find_quotes` call)."""

    def __init__(self, text: str, tokens: Sequence[Token], sentences: Sequence[Span],
                 pairs: Sequence[Span], entities: Sequence[Entity]) -> None:
        self.text = text
        self.tokens = tokens
        self.token_starts = [t.start for t in tokens]
        self.sentence_starts = [s.start for s in sentences]
        self.pairs = list(pairs)
        self.pair_starts = [p.start for p in pairs]
        self.persons = [e for e in entities if e.type == "PER"]
        self.named = sorted((Named(m.start, m.end, e.type, e.name, e) for e in entities for m in e.mentions),
                            key=itemgetter(0))
        self.named_starts = [n.start for n in self.named]
        kinds = _WORD_KINDS
        marked = [(k, kinds[tokens[k].norm]) for k in [k for k, t in enumerate(tokens) if t.norm in kinds]]
        self.verbs = [k for k, kind in marked if kind == "verb" and not _after_negator(tokens, k)
                      and not _written_on(tokens, k)]
        self.according = [k for k, kind in marked if kind == "according"]  # بحسب …، فإن
        self.amma = [k for k, kind in marked if kind == "amma"]  # أما … ف
        self.relayed = "نقل" in text  # نقلا عن، بحسب ما نقلته
        self.speakers: dict[int, Speaker] = {}  # speaker of each reporting verb, once found
        self.in_pair = [False] * len(tokens)  # token k lies between a pair of marks
        for p in self.pairs:
            for k in self.token_range(p.start + 1, p.end):
                self.in_pair[k] = True
        self.break_before = [False] * len(tokens)  # . ! ? ؛ between token k-1 and token k
        self.comma_before = [False] * len(tokens)
        for m in _PUNCT_RE.finditer(text):
            k = bisect_left(self.token_starts, m.start())
            if 0 < k < len(tokens) and tokens[k - 1].end <= m.start() \
                    and not (m.group() == "." and len(tokens[k - 1].norm) == 1):  # (دانيال ج. ويتمور)
                (self.comma_before if m.group() in "،," else self.break_before)[k] = True
        explained = [k for k, kind in marked if kind == "bayyana" and self._opens_explanation(k)
                     or kind == "came" and self._in_document(k)]
        if explained:
            self.verbs = sorted(self.verbs + explained)
        self.verb_set = set(self.verbs)

    def _in_document(self, k: int) -> bool:
        """جاء في البيان / التقرير: what a document says, in the document's voice."""
        return k + 2 < len(self.tokens) and self.tokens[k + 1].norm == "في" \
            and self.tokens[k + 2].norm in DOCUMENT_NOUNS

    def _named_then_colon(self, k: int) -> bool:
        """A person named at token k right before a colon."""
        if k >= len(self.tokens):
            return False
        start = self.tokens[k].start
        at = bisect_left(self.named_starts, start)
        return at < len(self.named) and self.named[at].start == start and self.named[at].type == "PER" \
            and self.text[self.named[at].end:self.named[at].end + 2].strip().startswith(":")

    def _opens_explanation(self, k: int) -> bool:
        """بيّن (explained) is spelled like بين (between): a verb where it opens a clause and a
        title or a source follows (من جهته، بين مدير الهيئة أن …)."""
        opens = k == 0 or self.comma_before[k] or self.break_before[k] or self.tokens[k].norm[0] in "وف"
        if self.tokens[k].norm == "فرد":  # فرد عليه الوزير بأن …، فرد: «…» (not فرد, an individual)
            return opens and (k + 1 < len(self.tokens) and self.tokens[k + 1].norm in ("عليه", "عليها", "عليهم")
                              or self.text[self.tokens[k].end:self.tokens[k].end + 2].strip().startswith(":")
                              or self._named_then_colon(k + 1))  # فرد الطاهر: «…»
        return opens and k + 1 < len(self.tokens) and (
            stem_in(self.tokens[k + 1], TITLE_HEADS) or self.tokens[k + 1].norm in SOURCE_NOUNS
            or self.tokens[k + 1].norm in COMPLEMENTIZERS)  # وبين أن …

    def verbs_in(self, idx: range) -> list[int]:
        return self.verbs[bisect_left(self.verbs, idx.start):bisect_left(self.verbs, idx.stop)]

    def token_range(self, start: int, end: int) -> range:
        """Indexes of the tokens lying within [start, end)."""
        return range(bisect_left(self.token_starts, start), bisect_left(self.token_starts, end))

    def named_in(self, start: int, end: int) -> list[Named]:
        """Mentions within [start, end), except those in marks (نائب مساعد “بومبيو”)."""
        lo, hi = bisect_left(self.named_starts, start), bisect_left(self.named_starts, end)
        return [n for n in self.named[lo:hi] if n.end <= end and not self.inside_pair(n.start)]

    def pairs_in(self, start: int, end: int) -> list[Span]:
        lo, hi = bisect_left(self.pair_starts, start), bisect_left(self.pair_starts, end)
        return [p for p in self.pairs[lo:hi] if p.end <= end]

    def inside_pair(self, pos: int) -> bool:
        k = bisect_right(self.pair_starts, pos) - 1
        return k >= 0 and self.pairs[k].start < pos < self.pairs[k].end

    def sentence_of(self, pos: int) -> int:
        return max(bisect_right(self.sentence_starts, pos) - 1, 0)

    def gap(self, a: int, b: int) -> str:
        """The characters between token a and token b (a < b)."""
        return self.text[self.tokens[a].end:self.tokens[b].start]


def clean_name(name: str) -> str:
    """A name without a speech noun the recognizer may have read into it (X قوله → X)."""
    words = name.split()
    while len(words) > 1 and fast_normalize(words[-1]) in SPEECH_NOUNS:
        words.pop()
    return " ".join(words)


def is_reporting_verb(tok: Token) -> bool:
    """A reporting verb, bare or with the conjunction و/ف (وقال، فأكد)."""
    return tok.norm in _VERB_FORMS


def bare(tok: Token) -> str:
    """The normalized word without a leading و/ف conjunction."""
    w = tok.norm
    return w[1:] if len(w) > 3 and w[0] in "وف" and w[1:] in VERBS else w


def is_continuation(tok: Token) -> bool:
    return bare(tok) in CONTINUATION_VERBS


def stem_in(tok: Token, words: frozenset[str]) -> bool:
    return any(stem in words for _skip, stem in tok.stems)


def _written_on(tokens: Sequence[Token], k: int) -> bool:
    """لافتات كتب عليها «…»: what is written on something, not what someone wrote."""
    return tokens[k].norm in ("كتب", "وكتب", "كتبت") and k + 1 < len(tokens) \
        and tokens[k + 1].norm in ("عليها", "عليه", "عليهما", "عليهم")


def _after_negator(tokens: Sequence[Token], k: int) -> bool:
    """A verbal noun, not a verb: عدم ذكر اسمه، دون ذكر تفاصيل."""
    return k > 0 and tokens[k - 1].norm in VERBAL_NOUN_NEGATORS and tokens[k - 1].end + 1 >= tokens[k].start


def breaks_clause(ctx: Context, start: int, end: int) -> bool:
    """A sentence-like break between two positions, outside any pair of marks (not the full
    stop of an initial: د. كارين موللر)."""
    text = ctx.text
    return any(not ctx.inside_pair(m.start()) and not _initial_stop(text, m.start())
               for m in CLAUSE_BREAK_RE.finditer(text, start, end))


def _initial_stop(text: str, i: int) -> bool:
    return text[i] == "." and i >= 1 and text[i - 1].isalpha() and (i < 2 or not text[i - 2].isalpha())


def complementizer_after(ctx: Context, v: int, stop: int) -> int | None:
    """The إن/أن that opens the reported clause of verb v, if close enough."""
    toks, in_pair, verbs, breaks = ctx.tokens, ctx.in_pair, ctx.verb_set, ctx.break_before
    for k in range(v + 1, min(stop, v + 1 + MAX_CLAUSE_TOKENS)):
        if in_pair[k]:
            continue  # a word in scare quotes inside the subject (نائب مساعد “بومبيو”)
        if k in verbs or breaks[k]:
            return None  # (not طلب عدم ذكر اسمه: a verbal noun, the clause goes on)
        if toks[k].norm in COMPLEMENTIZERS:
            if _subordinates(toks[v], toks[k - 1]) and k - 1 > v:
                return None  # بعد أن، يجب أن: a subordinate clause, not what was said
            return k
    return None


def _subordinates(verb: Token, before: Token) -> bool:
    """Whether the word before أن makes it subordinate; حذر من أن is still a report."""
    if before.norm == "من" and bare(verb) in WARNING_VERBS:
        return False
    return before.norm in NOT_REPORT_GOVERNORS


def clause_end(text: str, start: int, limit: int) -> int:
    m = CLAUSE_PUNCT_RE.search(text, start, limit)
    return m.start() if m else limit
