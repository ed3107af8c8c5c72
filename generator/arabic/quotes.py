"""Direct and indirect quotations with their speaker.

Direct: words between paired marks («…», “…”, ”…”, "…") attributed by a reporting verb in the
clause before them (وقال X: «…»، وقال X إن “…”) or right after them («…»، قال X).
Indirect: a reporting verb followed by إن/أن/بأن (أكد أن، أشار إلى أن …); the quote is the
reported clause up to the end of the sentence. The speaker is the first person named in the
reporting clause, else an organization or place that is the verb's subject, else the role
phrase (مصدر دبلوماسي); a verb with no subject (وأضاف، مضيفا) keeps the last speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

from ..model import Entity, Quote
from .lexicon import COMPLEMENTIZERS, CONTINUATION_VERBS, REPORTING_VERBS, ROLE_STOP_WORDS
from .normalize import Token, normalize
from .sentences import Span

MIN_QUOTE_WORDS = 4  # shorter marked phrases are scare quotes unless introduced by a colon
MAX_CLAUSE_TOKENS = 16  # reporting verb to quote mark / complementizer
MAX_ROLE_TOKENS = 5
_VERBS = REPORTING_VERBS | CONTINUATION_VERBS
_SUFFIXED_COMPLEMENTIZERS = frozenset(
    normalize(w) for w in "إنه إنها إنهم إننا أنه أنها أنهم أننا بأنه بأنها بأنهم وأنه وأنها".split()
)
_BRIDGE_WORDS = frozenset(normalize(w) for w in ("إلى", "الى", "على", "أيضا", "أيضاً"))
_CLAUSE_BREAK_RE = re.compile(r"[.!?؟…;؛]")
_CLAUSE_PUNCT_RE = re.compile(r"[،,:.!?؟…;؛]")
_TRAILING_RE = re.compile(r"[\s.!?؟…،,:;؛\-–—]+$")


@dataclass(frozen=True, slots=True)
class Named:
    """An entity mention, for speaker lookup."""

    start: int
    end: int
    type: str
    name: str


class _Context:
    """What quote finding needs about one text (built once per `find_quotes` call)."""

    def __init__(self, text: str, tokens: Sequence[Token], entities: Sequence[Entity]) -> None:
        self.text = text
        self.tokens = tokens
        self.token_starts = [t.start for t in tokens]
        self.named = sorted(
            (Named(m.start, m.end, e.type, e.name) for e in entities for m in e.mentions),
            key=lambda n: n.start,
        )

    def token_range(self, start: int, end: int) -> range:
        """Indexes of the tokens lying within [start, end)."""
        lo = bisect_left(self.token_starts, start)
        hi = bisect_left(self.token_starts, end)
        return range(lo, hi)

    def named_in(self, start: int, end: int) -> list[Named]:
        return [n for n in self.named if start <= n.start and n.end <= end]


def is_reporting_verb(tok: Token) -> bool:
    """A reporting verb, bare or with the conjunction و/ف (وقال، فأكد)."""
    w = tok.norm
    return w in _VERBS or (len(w) > 3 and w[0] in "وف" and w[1:] in _VERBS)


def _is_continuation(tok: Token) -> bool:
    w = tok.norm
    return w in CONTINUATION_VERBS or (w[0] in "وف" and w[1:] in CONTINUATION_VERBS)


def find_quotes(text: str, tokens: Sequence[Token], sentences: Sequence[Span],
                pairs: Sequence[Span], entities: Sequence[Entity]) -> list[Quote]:
    """All quotes of the text in order, speakers carried across subjectless verbs."""
    ctx = _Context(text, tokens, entities)
    found: list[tuple[int, Quote, bool]] = []  # (verb position, quote, needs last speaker)
    used_verbs: set[int] = set()
    for sent in sentences:
        sent_pairs = [p for p in pairs if sent.start <= p.start and p.end <= sent.end]
        for pair in sent_pairs:
            hit = _direct(ctx, sent, pair, sent_pairs)
            if hit is not None:
                found.append(hit[:3])
                used_verbs.add(hit[3])
        found.extend(_indirect(ctx, sent, sent_pairs, used_verbs))
    found.sort(key=lambda f: (f[0], f[1].start))
    quotes: list[Quote] = []
    last_speaker = ""
    for _pos, quote, inherits in found:
        if inherits or not quote.speaker:
            quote.speaker = last_speaker
        last_speaker = quote.speaker or last_speaker
        quotes.append(quote)
    return sorted(quotes, key=lambda q: q.start)


# --- direct -----------------------------------------------------------------------------------


def _direct(ctx: _Context, sent: Span, pair: Span, sent_pairs: Sequence[Span]
            ) -> tuple[int, Quote, bool, int] | None:
    """A direct quote for a pair of marks, or None for scare quotes and titles."""
    start, end = _trim(ctx.text, pair.start + 1, pair.end - 1)
    words = len(ctx.token_range(start, end))
    if words == 0:
        return None
    prev_end = max((p.end for p in sent_pairs if p.end <= pair.start), default=sent.start)
    before = _verb_before(ctx, prev_end, pair.start)
    if before is not None:
        v = before
        between = ctx.text[ctx.tokens[v].end:pair.start]
        introduced = between.rstrip().endswith(":") or _ends_with_complementizer(ctx, v, pair.start)
        if introduced or (words >= MIN_QUOTE_WORDS and not between.strip()) or (
                words >= MIN_QUOTE_WORDS and len(ctx.token_range(ctx.tokens[v].end, pair.start)) <= 8
                and not _CLAUSE_BREAK_RE.search(between)):
            if words < MIN_QUOTE_WORDS and not between.rstrip().endswith(":"):
                return None
            speaker, inherits = _speaker(ctx, v, ctx.tokens[v].end, pair.start)
            quote = Quote(speaker, ctx.text[start:end], "direct", start, end, ctx.tokens[v].text)
            return ctx.tokens[v].start, quote, inherits, v
    if words < MIN_QUOTE_WORDS:
        return None
    after = _verb_after(ctx, pair.end, sent.end)
    if after is None:
        return None
    clause_end = _clause_end(ctx.text, ctx.tokens[after].end, sent.end)
    speaker, inherits = _speaker(ctx, after, ctx.tokens[after].end, clause_end)
    quote = Quote(speaker, ctx.text[start:end], "direct", start, end, ctx.tokens[after].text)
    return pair.start, quote, inherits, after


def _verb_before(ctx: _Context, lo: int, mark: int) -> int | None:
    """The nearest reporting verb before a quote mark, within one clause."""
    idx = ctx.token_range(lo, mark)
    for k in reversed(idx[-MAX_CLAUSE_TOKENS:]):
        if is_reporting_verb(ctx.tokens[k]):
            between = ctx.text[ctx.tokens[k].end:mark]
            return None if _CLAUSE_BREAK_RE.search(between) else k
    return None


def _verb_after(ctx: _Context, mark_end: int, sent_end: int) -> int | None:
    """A reporting verb right after a closing mark: «…»، قال X."""
    idx = ctx.token_range(mark_end, sent_end)
    if not idx:
        return None
    k = idx[0]
    gap = ctx.text[mark_end:ctx.tokens[k].start].strip()
    return k if gap in ("", "،", ",") and is_reporting_verb(ctx.tokens[k]) else None


def _ends_with_complementizer(ctx: _Context, v: int, mark: int) -> bool:
    idx = ctx.token_range(ctx.tokens[v].end, mark)
    return bool(idx) and ctx.tokens[idx[-1]].norm in COMPLEMENTIZERS


# --- indirect ---------------------------------------------------------------------------------


def _indirect(ctx: _Context, sent: Span, sent_pairs: Sequence[Span], used_verbs: set[int]
              ) -> list[tuple[int, Quote, bool]]:
    """Indirect quotes of one sentence: reporting verb … إن/أن + clause."""
    out = []
    idx = ctx.token_range(sent.start, sent.end)
    toks = ctx.tokens
    for v in idx:
        if v in used_verbs or not is_reporting_verb(toks[v]) or _inside(toks[v].start, sent_pairs):
            continue
        c = _complementizer_after(ctx, v, idx.stop, sent_pairs)
        if c is None:
            continue
        first = c + 1  # أنها لا تدعم …: the clause starts after the (suffixed) complementizer
        if first >= idx.stop:
            continue
        opening = ctx.text[toks[c].end:toks[first].start].strip()
        if opening and opening[-1] in "«“”\"":
            continue  # a direct quote introduced by إن: handled as direct
        start = toks[first].start
        end = _indirect_end(ctx, first, idx.stop, sent.end, sent_pairs)
        start, end = _trim(ctx.text, start, end)
        if len(ctx.token_range(start, end)) < 2:
            continue
        speaker, inherits = _speaker(ctx, v, toks[v].end, toks[c].start)
        quote = Quote(speaker, ctx.text[start:end], "indirect", start, end, toks[v].text)
        out.append((toks[v].start, quote, inherits))
    return out


def _complementizer_after(ctx: _Context, v: int, stop: int, sent_pairs: Sequence[Span]
                          ) -> int | None:
    """The إن/أن that opens the reported clause of verb v, if close enough."""
    toks = ctx.tokens
    for k in range(v + 1, min(stop, v + 1 + MAX_CLAUSE_TOKENS)):
        if _inside(toks[k].start, sent_pairs):
            continue  # a word in scare quotes inside the subject (نائب مساعد “بومبيو”)
        if is_reporting_verb(toks[k]):
            return None
        if _CLAUSE_BREAK_RE.search(ctx.text, toks[k - 1].end, toks[k].start):
            return None
        w = toks[k].norm
        if w in COMPLEMENTIZERS or w in _SUFFIXED_COMPLEMENTIZERS:
            return k
    return None


def _indirect_end(ctx: _Context, first: int, stop: int, sent_end: int,
                  sent_pairs: Sequence[Span]) -> int:
    """End of a reported clause: the sentence end, or a new '، مضيفا' / quote that follows."""
    toks = ctx.tokens
    for k in range(first + 1, stop):
        gap = ctx.text[toks[k - 1].end:toks[k].start]
        if ("،" in gap or "," in gap) and _is_continuation(toks[k]):
            return toks[k - 1].end
        if any(ch in gap for ch in "«“”\"") and not _inside(toks[k - 1].start, sent_pairs):
            return toks[k - 1].end
    return sent_end


# --- speaker ----------------------------------------------------------------------------------


def _speaker(ctx: _Context, v: int, start: int, end: int) -> tuple[str, bool]:
    """(speaker, inherits) for a reporting verb whose clause spans [start, end)."""
    if _is_continuation(ctx.tokens[v]):
        return "", True
    idx = ctx.token_range(start, end)
    subject = [k for k in idx if ctx.tokens[k].norm not in COMPLEMENTIZERS
               and ctx.tokens[k].norm not in _BRIDGE_WORDS]
    if not subject:
        return "", True
    named = ctx.named_in(start, end)
    for n in named:
        if n.type == "PER":
            return n.name, False
    first_tok = ctx.tokens[subject[0]]
    for n in named:
        if n.type in ("ORG", "LOC") and first_tok.start <= n.start < first_tok.end:
            return n.name, False
    role = _role_phrase(ctx, subject)
    return (role, False) if role else ("", True)


def _role_phrase(ctx: _Context, subject: list[int]) -> str:
    """The noun phrase after the verb: 'مصدر دبلوماسي'، 'المتحدث باسم الوزارة'."""
    toks = ctx.tokens
    taken: list[int] = []
    for k in subject:
        if taken and (k != taken[-1] + 1 or ctx.text[toks[k - 1].end:toks[k].start].strip()):
            break
        w = toks[k].norm
        if w in ROLE_STOP_WORDS or (len(taken) >= 2 and w.startswith("ل")):
            break
        taken.append(k)
        if len(taken) == MAX_ROLE_TOKENS:
            break
    if not taken:
        return ""
    return ctx.text[toks[taken[0]].start:toks[taken[-1]].end]


# --- helpers ----------------------------------------------------------------------------------


def _inside(pos: int, pairs: Sequence[Span]) -> bool:
    return any(p.start < pos < p.end for p in pairs)


def _clause_end(text: str, start: int, limit: int) -> int:
    m = _CLAUSE_PUNCT_RE.search(text, start, limit)
    return m.start() if m else limit


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding spaces and trailing punctuation."""
    while start < end and text[start].isspace():
        start += 1
    m = _TRAILING_RE.search(text, start, end)
    if m:
        end = m.start()
    return start, end
