"""Who said what: direct and indirect quotations with their speaker.

Direct: words between paired marks («…», “…”, ”…”, "…") attributed by a reporting verb in the
clause before them (وقال X: «…»، وقال X إن “…”، نقلت الوكالة عن X قوله: «…») or right after
them («…»، قال X / تقول X / بحسب ما قاله X). Marks around a bare name or term, a title of a
work (رواية «…»), or a phrase with no reporting verb are not quotes.
Indirect: a reporting verb followed by إن/أن/بأن (أكد أن، أشار إلى أن …); the quote is the
reported clause, up to the sentence end or to what ends the report (، مضيفا …؛ ، فيما …); marks
inside it (أن الحكومة «عاجزة …») stay part of it. speakers.py names who said each one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from ..model import Entity, Quote
from .lexicon import COMMON_VERBS, FUNCTION_WORDS
from .normalize import Token
from .quote_context import (
    CLAUSE_BREAK_RE,
    CLAUSE_PUNCT_RE,
    MAX_CLAUSE_TOKENS,
    MAX_ROLE_TOKENS,
    NOBODY,
    VERBS,
    Context,
    Found,
    Speaker,
    bare,
    breaks_clause,
    clause_end,
    complementizer_after,
    is_reporting_verb,
    stem_in,
)
from .reporting import (
    ACCORDING_TO,
    AFTER_QUOTE_LEADS,
    CALL_VERBS,
    CLAUSE_TAIL_WORDS,
    COMPLEMENTIZERS,
    CONTINUATION_VERBS,
    IMPERSONAL_VERBS,
    NAMING_VERBS,
    NECESSITY_NOUNS,
    REPORTING_VERBS,
    THEN_THAT,
    TITLE_FOLLOWERS,
    TITLE_NOUNS,
)
from .sentences import Span
from .speakers import apposed_name, attribute, speaker_of
from .wordlists import words

MIN_QUOTE_WORDS = 4  # shorter marked phrases are scare quotes unless introduced by a colon
MAX_LOOSE_TOKENS = 8  # verb to mark when neither a colon nor إن introduces the quote
_TAIL_OPENERS = words("tail-openers")
_BARE_COMPLEMENTIZERS = words("bare-complementizers")
_SUBORDINATORS = words("subordinators")
_OPENING_MARKS = "«“”\"„"
_DASHES = frozenset({"-", "–", "—"})
_ANSWER_LABELS = _DASHES | {"ج", "جواب", "الجواب"}  # an interview's answer (after س: or a question)
_TRAILING_PUNCT = ".!?؟…،,:;؛-–—"


def find_quotes(text: str, tokens: Sequence[Token], sentences: Sequence[Span],
                pairs: Sequence[Span], entities: Sequence[Entity]) -> list[Quote]:
    """All quotes of the text in order, speakers carried across subjectless verbs."""
    ctx = Context(text, tokens, sentences, pairs, entities)
    found: list[Found] = []
    quoted_before = False  # the sentence before held a direct quote
    for sent in sentences:
        direct, used_verbs = _direct_quotes(ctx, sent)
        if not direct and quoted_before:
            direct = _quote_goes_on(ctx, sent)
        quoted_before = bool(direct)
        found.extend(direct)
        found.extend(_indirect_quotes(ctx, sent, used_verbs, [f.start for f in direct]))
    return attribute(ctx, found)


def _found(ctx: Context, pos: int, span: tuple[int, int], kind: str, verb: int, speaker: Speaker,
           sure: float) -> Found:
    return Found(pos, span[0], span[1], kind, ctx.tokens[verb].text, speaker, sure)


def _direct_quotes(ctx: Context, sent: Span) -> tuple[list[Found], set[int]]:
    """Direct quotes of one sentence and the reporting verbs they used."""
    out: list[Found] = []
    used: set[int] = set()
    clause_start = sent.start  # a verb is looked for after the last real quote only
    told_after: int | None = None  # the verb of a quote attributed after it: «…»، قالت X، «…»
    for pair in ctx.pairs_in(sent.start, sent.end):
        hit = _direct(ctx, sent, pair, clause_start)
        if hit is None and told_after is not None and _quote_resumes(ctx, told_after, pair):
            start, end = _trim(ctx.text, pair.start + 1, pair.end - 1)
            hit = _found(ctx, pair.start, (start, end), "direct", told_after, NOBODY, 0.85), told_after
        told_after = None
        if hit is not None:
            found, verb = hit
            out.append(found)
            used.add(verb)
            clause_start = pair.end
            told_after = verb if found.pos == pair.start else None
    return out, used


def _quote_goes_on(ctx: Context, sent: Span) -> list[Found]:
    """A sentence that is only marked words, right after a quoted one: the same speaker goes on
    («…»، قال الرجل. «لكن بيتي مدمر»)."""
    pairs = ctx.pairs_in(sent.start, sent.end)
    if len(pairs) != 1 or ctx.text[sent.start:pairs[0].start].strip(" \n-–—و") \
            or ctx.text[pairs[0].end:sent.end].strip(" \n" + _TRAILING_PUNCT):
        return []
    start, end = _trim(ctx.text, pairs[0].start + 1, pairs[0].end - 1)
    if len(ctx.token_range(start, end)) < MIN_QUOTE_WORDS:
        return []
    return [Found(pairs[0].start, start, end, "direct", "", NOBODY, 0.7)]


def _quote_resumes(ctx: Context, verb: int, pair: Span) -> bool:
    """The second half of a quote split by its attribution: «…»، قالت X خلال إفادة، «…»."""
    between = ctx.text[ctx.tokens[verb].end:pair.start]
    return not CLAUSE_BREAK_RE.search(between) and between.rstrip().endswith(("،", ","))


def _direct(ctx: Context, sent: Span, pair: Span, clause_start: int) -> tuple[Found, int] | None:
    """A direct quote for a pair of marks, or None for scare quotes and titles."""
    start, end = _trim(ctx.text, pair.start + 1, pair.end - 1)
    words = len(ctx.token_range(start, end))
    if words == 0:
        return None
    colon = _colon_before(ctx.text, pair.start)
    if not colon and _names_a_title(ctx, pair.start):
        return None
    v = _verb_before(ctx, clause_start, pair.start)
    if v is not None and (_inside_report(ctx, v, pair.start) or _inside_open_report(ctx, sent, v)):
        return None  # قال إن الحكومة «عاجزة …»، صرح بأن روما تعتبر الجزائر "…": inside an indirect report
    if v is not None and not colon and (bare(ctx.tokens[v]) in CALL_VERBS or ctx.tokens[ctx.token_range(start, end)[0]].norm in NECESSITY_NOUNS):
        return None  # داعيا المانحين إلى «التحرك قبل فوات الأوان»، شدد على "ضرورة …": what is called for
    if v is not None and _introduces(ctx, v, pair.start, words):
        if words < MIN_QUOTE_WORDS and not colon and not _closes_report(ctx, v, pair, sent):
            return None
        speaker = speaker_of(ctx, v, ctx.tokens[v].end, pair.start)
        sure = 0.95 if colon else 0.9
        return _found(ctx, ctx.tokens[v].start, (start, end), "direct", v, speaker, sure), v
    after = _verb_after(ctx, pair.end, sent.end)
    if after is None:
        return _answer(ctx, sent, pair, (start, end))
    if words < MIN_QUOTE_WORDS and not _split_quote(ctx, sent, pair, after):
        return None
    told_until = clause_end(ctx.text, ctx.tokens[after].end, sent.end)
    speaker = speaker_of(ctx, after, ctx.tokens[after].end, told_until)
    if speaker.unnamed:  # "…"، قالت محللة الاقتصاد …، رانيا الشاذلي، لرويترز
        speaker = apposed_name(ctx, told_until) or speaker
    return _found(ctx, pair.start, (start, end), "direct", after, speaker, 0.9), after


def _answer(ctx: Context, sent: Span, pair: Span, span: tuple[int, int]) -> tuple[Found, int] | None:
    """An interview's answer opening its sentence after a label: "ميراندا: «…»" (the person
    named), "ج: «…»" or, after a question, "- «…»" (the person interviewed: the last one named)."""
    label = ctx.text[sent.start:pair.start].strip()
    if not label or len(ctx.token_range(*span)) < 2:
        return None
    k = bisect_left(ctx.token_starts, sent.start)
    if label.endswith(":") and label[:-1].strip() not in _ANSWER_LABELS:
        named = ctx.named_in(sent.start, pair.start)
        if len(named) != 1 or named[0].type != "PER" or ctx.text[named[0].end:pair.start].strip() != ":" \
                or ctx.text[sent.start:named[0].start].strip():
            return None
        return _found(ctx, sent.start, span, "direct", k, named[0].speaker(), 0.8), k
    asked = ctx.text[:sent.start].rstrip().endswith(("؟", "?"))
    if label.rstrip(":").strip() not in _ANSWER_LABELS or label in _DASHES and not asked:
        return None
    persons = [n for n in ctx.named[:bisect_left(ctx.named_starts, sent.start)] if n.type == "PER"]
    if not persons:
        return None
    return Found(sent.start, span[0], span[1], "direct", label, persons[-1].speaker(), 0.7), k


def _inside_open_report(ctx: Context, sent: Span, v: int) -> bool:
    """Verb v stands inside the reported clause of an earlier verb of its sentence, with no
    punctuation between: صرح بأن روما تعتبر الجزائر "شريكا لا غنى عنه"."""
    for u in ctx.verbs_in(ctx.token_range(sent.start, ctx.tokens[v].start)):
        c = complementizer_after(ctx, u, v)
        if c is not None and not CLAUSE_PUNCT_RE.search(ctx.text, ctx.tokens[c].end, ctx.tokens[v].start):
            return True
    return False


def _inside_report(ctx: Context, v: int, mark: int) -> bool:
    """Marks after إن/أن and the first words of the reported clause: أن الحكومة «…»."""
    idx = ctx.token_range(ctx.tokens[v].end, mark)
    c = next((k for k in idx if ctx.tokens[k].norm in COMPLEMENTIZERS and not ctx.in_pair[k]), None)
    return c is not None and c < idx[-1] and not _colon_before(ctx.text, mark)


def _closes_report(ctx: Context, v: int, pair: Span, sent: Span) -> bool:
    """A short quote that is the whole reported clause: اكتفى بالقول إن "كل الخيارات مطروحة"
    (not a term after بأنه: وصفه بأنه «تاريخي»)."""
    idx = ctx.token_range(ctx.tokens[v].end, pair.start)
    return bool(idx) and ctx.tokens[idx[-1]].norm in _BARE_COMPLEMENTIZERS \
        and len(ctx.token_range(pair.start, pair.end)) >= 2 \
        and bool(CLAUSE_PUNCT_RE.match(ctx.text[pair.end:sent.end].lstrip() or "."))


def _split_quote(ctx: Context, sent: Span, pair: Span, verb: int) -> bool:
    """A short quote opening the sentence whose attribution goes on into more quoted words:
    «المفاوضات لم تفشل»، قال X، «لكنها …»."""
    if ctx.text[sent.start:pair.start].strip():
        return False
    later = ctx.pairs_in(ctx.tokens[verb].end, sent.end)
    if not later:
        return False
    between = ctx.text[ctx.tokens[verb].end:later[0].start]
    return not CLAUSE_BREAK_RE.search(between) and between.rstrip().endswith(("،", ",", ":"))


def _introduces(ctx: Context, v: int, mark: int, words: int) -> bool:
    """Whether verb v's clause leads into the quote: by a colon, by إن, or closely enough;
    a long clause leads into a long quote that ends the sentence (وقال العميد X المتحدث باسم
    الجيش لرويترز في اتصال هاتفي "…".)."""
    if _colon_before(ctx.text, mark) or _ends_with_complementizer(ctx, v, mark):
        return True
    between = len(ctx.token_range(ctx.tokens[v].end, mark))
    if words >= MIN_QUOTE_WORDS and between <= MAX_LOOSE_TOKENS:
        return True
    pair = ctx.pairs[bisect_left(ctx.pair_starts, mark)]
    return words >= 2 * MIN_QUOTE_WORDS and CLAUSE_BREAK_RE.match(ctx.text[pair.end:pair.end + 2].lstrip() or ".") \
        is not None and not CLAUSE_PUNCT_RE.search(ctx.text, ctx.tokens[v].end, mark)


def _names_a_title(ctx: Context, mark: int) -> bool:
    """Marks right after رواية / برنامج / عملية / ما وصفه بـ … hold a title or a term."""
    idx = ctx.token_range(max(0, mark - 60), mark)
    if not idx:
        return False
    k = idx[-1]
    if ctx.text[ctx.tokens[k].end:mark].strip(" \u0640"):
        return False  # punctuation between the word and the mark
    if stem_in(ctx.tokens[k], NAMING_VERBS) or ctx.tokens[k].norm == "ل":
        return True  # (لـ"وكالة تونس أفريقيا للأنباء": whom it was told)
    if stem_in(ctx.tokens[k], TITLE_FOLLOWERS) and k > idx.start:
        k -= 1
    return stem_in(ctx.tokens[k], TITLE_NOUNS) or any(
        _without_possessive(stem) in TITLE_NOUNS for _skip, stem in ctx.tokens[k].stems)  # لروايتها "…"


def _without_possessive(word: str) -> str:
    """A noun without its possessive pronoun (روايتها -> روايه), or ""."""
    for suffix in ("هما", "هم", "ها", "ه"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[:-len(suffix)]
            return stem[:-1] + "ه" if stem.endswith("ت") else stem
    return ""


def _verb_before(ctx: Context, lo: int, mark: int) -> int | None:
    """The nearest reporting verb before a quote mark, within one clause (scare quotes skipped)."""
    idx = ctx.token_range(lo, mark)
    for k in reversed(idx[-MAX_CLAUSE_TOKENS:]):
        if ctx.in_pair[k]:
            continue
        if k in ctx.verb_set:
            return None if breaks_clause(ctx, ctx.tokens[k].end, mark) else k
    return None


def _verb_after(ctx: Context, mark_end: int, sent_end: int) -> int | None:
    """A reporting verb right after a closing mark: «…»، قال X / «…»، بحسب ما قاله X."""
    idx = ctx.token_range(mark_end, sent_end)
    if not idx or ctx.text[mark_end:ctx.tokens[idx[0]].start].strip() not in ("", "،", ","):
        return None
    for k in idx[:4]:
        tok = ctx.tokens[k]
        if is_reporting_verb(tok) or (tok.norm[-1:] == "ه" and tok.norm[:-1] in REPORTING_VERBS) \
                or k == idx[0] and tok.norm in ACCORDING_TO:
            return k  # «…»، قال X؛ «…»، وفقا للخبير X
        if tok.norm not in AFTER_QUOTE_LEADS or (k > idx[0] and ctx.gap(k - 1, k).strip()):
            return None
    return None


def _ends_with_complementizer(ctx: Context, v: int, mark: int) -> bool:
    idx = ctx.token_range(ctx.tokens[v].end, mark)
    return bool(idx) and ctx.tokens[idx[-1]].norm in COMPLEMENTIZERS


def _indirect_quotes(ctx: Context, sent: Span, used_verbs: set[int],
                     direct_starts: Sequence[int]) -> list[Found]:
    """Indirect quotes of one sentence: reporting verb … إن/أن + clause."""
    out = []
    idx = ctx.token_range(sent.start, sent.end)
    toks = ctx.tokens
    for v in ctx.verbs_in(idx):
        if v in used_verbs or ctx.in_pair[v] or out and out[-1].start <= toks[v].start < out[-1].end:
            continue  # (a verb inside a report: إيرادات متوقعة، أن الوزير أكد أن …)
        c = complementizer_after(ctx, v, idx.stop)
        if c is None or c + 1 >= idx.stop or (c == v + 1 and bare(toks[v]) in IMPERSONAL_VERBS):
            continue  # no report, or يذكر أن (it is worth noting that)
        first = c + 1  # أنها لا تدعم …: the clause starts after the (suffixed) complementizer
        opening = ctx.text[toks[c].end:toks[first].start].strip()
        if opening and opening[-1] in _OPENING_MARKS and not (
                toks[c].norm in _BARE_COMPLEMENTIZERS and _term_in_marks(ctx, toks[first].start, idx.stop)):
            continue  # a direct quote introduced by إن: handled as direct
        end = _indirect_end(ctx, first, idx.stop, sent.end, direct_starts,
                            subordinate=v > 0 and toks[v - 1].norm in _SUBORDINATORS)
        start, end = _with_closing_mark(ctx, *_trim(ctx.text, toks[first].start, end))
        if len(ctx.token_range(start, end)) < 2:
            continue
        speaker = speaker_of(ctx, v, toks[v].end, toks[c].start)
        out.append(_report(ctx, toks[v].start, (start, end), v, speaker, 0.85))
        tail = _tail_quote(ctx, bisect_left(ctx.token_starts, end), sent.end)
        if tail is not None:  # the speaker's own words closing the report
            out.append(_found(ctx, tail.start, _trim(ctx.text, tail.start + 1, tail.end - 1), "direct", v, speaker, 0.8))
    if not out and not direct_starts:
        out.extend(_told_after_statement(ctx, idx, used_verbs))
    return out + _according_to_quotes(ctx, idx, sent.end, direct_starts) if ctx.according else out


def _told_after_statement(ctx: Context, idx: range, used_verbs: set[int]) -> list[Found]:
    """A statement whose attribution follows it: ستفتتح المحطة في الربيع، كما أعلن وزير النقل؛
    …، على ما أكدت المنسقة الأممية. The words before the comma are the report."""
    toks = ctx.tokens
    for k in idx:
        if k - idx.start < MIN_QUOTE_WORDS or not ctx.comma_before[k] or ctx.in_pair[k]:
            continue
        leads = 0
        while k + leads < idx.stop and leads < 2 and (toks[k + leads].norm in AFTER_QUOTE_LEADS or toks[k + leads].norm == "علي"):
            leads += 1
        v = k + leads
        if not leads or v >= idx.stop or v in used_verbs or not is_reporting_verb(toks[v]) \
                or bare(toks[v]) in CONTINUATION_VERBS or any(k2 in ctx.verb_set for k2 in range(idx.start, k)):
            continue
        start, end = _trim(ctx.text, toks[idx.start].start, toks[k - 1].end)
        speaker = speaker_of(ctx, v, toks[v].end, toks[idx.stop - 1].end)
        return [_found(ctx, toks[v].start, (start, end), "indirect", v, speaker, 0.75)] if speaker.name else []
    return []


def _with_closing_mark(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """A reported clause ending on marked words keeps the closing mark its opening one has:
    أن أداء السهم "سيظل مدعوما"."""
    k = bisect_right(ctx.pair_starts, end) - 1
    if k >= 0 and start <= ctx.pairs[k].start < end < ctx.pairs[k].end and not ctx.text[end:ctx.pairs[k].end - 1].strip():
        return start, ctx.pairs[k].end
    return start, end


def _tail_quote(ctx: Context, k: int, sent_end: int) -> Span | None:
    """Marked words after a comma that close the sentence, continuing a report in the speaker's
    own words: قال إن الإصابات ارتفعت، "لكن الوضع لا يدعو للقلق"."""
    if k >= len(ctx.tokens) or not ctx.comma_before[k] or not ctx.in_pair[k]:
        return None
    lo = bisect_right(ctx.pair_starts, ctx.tokens[k].start) - 1
    if lo < 0:
        return None
    pair = ctx.pairs[lo]
    if pair.start < ctx.tokens[k - 1].end:
        return None  # a comma inside the marks
    rest = ctx.text[pair.end:sent_end].strip()
    words = len(ctx.token_range(pair.start, pair.end))
    opener = ctx.tokens[k].norm  # "لكن الوضع …"، "دون أي مبرر …" (not "يجب أن …", the clause's own verb)
    return pair if words >= MIN_QUOTE_WORDS and (not rest or rest[0] in ".!?؟…") and opener in _TAIL_OPENERS else None


def _report(ctx: Context, pos: int, span: tuple[int, int], v: int, speaker: Speaker, sure: float) -> Found:
    """An indirect quote, or a direct one when marks hold the whole clause (وبحسب المصدر، فإن
    «…»); marks after the clause's first words (أن الحكومة «عاجزة …») quote words inside an
    indirect report, which stays whole."""
    for pair in ctx.pairs_in(span[0] - 2, span[1] + 2):
        if pair.start <= span[0] and pair.end >= span[1]:
            inner = _trim(ctx.text, pair.start + 1, pair.end - 1)
            if len(ctx.token_range(*inner)) >= MIN_QUOTE_WORDS:
                return _found(ctx, pos, inner, "direct", v, speaker, sure + 0.05)
    return _found(ctx, pos, span, "indirect", v, speaker, sure)


def _term_in_marks(ctx: Context, pos: int, stop: int) -> bool:
    """A short marked term opening a reported clause that goes on after it, as its subject:
    معتبرا أن "الحل المؤقت" تحول إلى واقع دائم (after بأنه the term is a predicate: وصفه
    بأنه «صفحة جديدة»)."""
    k = bisect_right(ctx.pair_starts, pos) - 1
    if k < 0:
        return False
    pair = ctx.pairs[k]
    after = ctx.token_range(pair.end, ctx.tokens[stop - 1].end)
    return len(ctx.token_range(pair.start, pair.end)) < MIN_QUOTE_WORDS and len(after) >= 2 \
        and not CLAUSE_PUNCT_RE.match(ctx.text[pair.end:pair.end + 1])


def _according_to_quotes(ctx: Context, idx: range, sent_end: int,
                         direct_starts: Sequence[int]) -> list[Found]:
    """وبحسب المتحدث باسم الدفاع المدني، فإن …: no verb; the source before the comma speaks."""
    out = []
    toks = ctx.tokens
    for a in ctx.according[bisect_left(ctx.according, idx.start):bisect_left(ctx.according, idx.stop)]:
        if ctx.in_pair[a]:
            continue
        then = _then_that(ctx, a, idx.stop)
        first = then + 1 if then is not None else _clause_after_source(ctx, a, idx)
        if first is None or first >= idx.stop:
            continue
        end = _indirect_end(ctx, first, idx.stop, sent_end, direct_starts)
        start, end = _trim(ctx.text, toks[first].start, end)
        if len(ctx.token_range(start, end)) < 2:
            continue
        speaker = speaker_of(ctx, a, toks[a].end, toks[first - 1].end)
        out.append(_report(ctx, toks[a].start, (start, end), a, speaker, 0.8))
    return out


def _clause_after_source(ctx: Context, a: int, idx: range) -> int | None:
    """Without فإن, the clause after the source's comma when "according to" opens the sentence:
    وحسب أرقام وزارة الداخلية، شارك في الاحتجاجات نحو 18 ألف شخص."""
    if a != idx.start:
        return None
    k = next((k for k in range(a + 2, min(idx.stop, a + MAX_ROLE_TOKENS + 2)) if ctx.comma_before[k]
              or ctx.break_before[k]), None)
    if k is None or ctx.break_before[k] or idx.stop - k < 3 or ctx.tokens[k].norm in FUNCTION_WORDS \
            or k in ctx.verb_set:
        return None  # (وحسب بيان للرئاسة، أكد الرئيس أن …: the verb's own report)
    return k


def _then_that(ctx: Context, a: int, stop: int) -> int | None:
    """The '، فإن' that follows 'بحسب X' within one clause."""
    for k in range(a + 1, min(stop, a + 1 + MAX_CLAUSE_TOKENS)):
        if ctx.break_before[k]:
            return None
        if ctx.tokens[k].norm in THEN_THAT and ctx.comma_before[k]:
            return k
    return None


def _indirect_end(ctx: Context, first: int, stop: int, sent_end: int,
                  direct_starts: Sequence[int], subordinate: bool = False) -> int:
    """End of a reported clause: the sentence end, or what starts after it.

    A comma followed by a continuation (مضيفا)، a new report (وادعت أن)، or an attribution
    tail (فيما، بحسب، نقلا) ends it; so does the start of a direct quote. A report in a
    subordinate clause (وفيما أكد أن …، رفض …) ends at its first comma.
    """
    toks = ctx.tokens
    later = bisect_right(direct_starts, toks[first].start)
    next_direct = direct_starts[later] if later < len(direct_starts) else sent_end
    for k in range(first + 1, stop):
        if toks[k].start >= next_direct:
            return toks[k - 1].end
        if not ctx.comma_before[k] or ctx.in_pair[k] and ctx.in_pair[k - 1]:
            continue  # (a comma inside marks: "منفتحة على الدبلوماسية، لكنها …")
        word = bare(toks[k])
        if subordinate or word in VERBS or toks[k].norm in CLAUSE_TAIL_WORDS or word in CLAUSE_TAIL_WORDS \
                or toks[k].norm == "من" and k + 1 < stop and toks[k + 1].norm in CLAUSE_TAIL_WORDS \
                or toks[k].norm in ("قبل", "بعد") and k + 1 < stop and toks[k + 1].norm == "ان" \
                or _aside_reported(toks, k, stop) \
                or toks[k].norm in ("غير", "الا") and k + 1 < stop and toks[k + 1].norm in COMPLEMENTIZERS \
                or toks[k].norm == "في" and k + 1 < stop and toks[k + 1].norm == "حين" \
                or _tail_quote(ctx, k, sent_end) is not None:
            return toks[k - 1].end  # …، من دون أن يفصح؛ …، قبل أن يرفع الجلسة؛ …، وهو ما نفاه؛ …، "لكن …".
    return min(sent_end, next_direct)


def _aside_reported(toks: Sequence[Token], k: int, stop: int) -> bool:
    """"، وهو ما نفاه المتهم": the writer's aside on what someone else said ends the report
    (not "، وهو ما قد يحد من دقتها", which the speaker goes on to say)."""
    if toks[k].norm not in ("وهو", "وهي") or k + 2 >= stop or toks[k + 1].norm != "ما":
        return False
    w = toks[k + 2].norm
    for suffix in ("ه", "ها"):
        if w.endswith(suffix):
            stem = w[:-len(suffix)]
            stem = stem[:-1] + "ي" if stem.endswith("ا") else stem  # نفاه -> نفي
            past = stem[:-1] if stem.endswith("ت") else stem  # رفضته -> رفض
            if stem in VERBS or stem in COMMON_VERBS or past in VERBS or past in COMMON_VERBS:
                return True  # (رفضته الوزيرة)
    return False


def _colon_before(text: str, pos: int) -> bool:
    """Whether the last character before `pos`, spaces aside, is a colon (قال: «…»)."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i >= 0 and text[i] == ":"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding spaces and trailing punctuation."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAILING_PUNCT):
        end -= 1
    return start, end
