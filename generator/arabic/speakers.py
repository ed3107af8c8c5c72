"""Who said it: the speaker of a reporting verb, and speakers carried from quote to quote.

The person named in the reporting clause, by its canonical (linked) name; else an organization
or country that is the verb's subject; else the role phrase (مصدر في المنظمة), flagged
`unnamed`, which a later bare definite noun (المصدر، الوزيرة، البيان) refers back to. A media
outlet quoting a source (نقلت وكالة … عن مصدر قوله) yields the source. A verb with no subject
(وأضاف، مضيفا، وأكد أنه) keeps the most recent speaker. Subjects are also found before the verb
(X قال إن، وكانت الوزيرة قد صرحت، أما X فقال) and in the sentence's opening clause.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from ..model import Entity, Quote
from .lexicon import (
    ARTICLE_FIRST_NAMES,
    COMMON_VERBS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    NAME_BINDERS,
    NOT_NAME_WORDS,
    ORG_HEADS,
    TIME_WORDS,
    TITLE_ADJECTIVES,
    TITLE_COMPLEMENTS,
    TITLE_HEADS,
)
from .normalize import Token, fast_normalize
from .quote_context import (
    CAME,
    MAX_CLAUSE_TOKENS,
    MAX_ROLE_TOKENS,
    NOBODY,
    VERBS,
    Context,
    Found,
    Named,
    Speaker,
    bare,
    breaks_clause,
    clause_end,
    clean_name,
    complementizer_after,
    entity_id,
    is_continuation,
    is_reporting_verb,
    name_words,
    named_id,
    stem_in,
)
from .reporting import (
    ACCORDING_TO,
    AUDIENCE_WORDS,
    BRIDGE_WORDS,
    BROKEN_PLURALS,
    CLAUSE_TAIL_WORDS,
    CLOSING_VERBS,
    COMPLEMENTIZERS,
    CONTINUATION_VERBS,
    DOCUMENT_NOUNS,
    HONORIFIC_PRONOUNS,
    IDENTITY_NOUNS,
    REPRESENTATIVE_HEADS,
    ROLE_STOP_WORDS,
    SOURCE_COMPLEMENTS,
    SOURCE_NOUNS,
    SPEECH_EVENT_NOUNS,
    SPEECH_NOUNS,
    SUBJECTLESS_FOLLOWERS,
)

TITLE_TO_NAME_TOKENS = 10  # a title and the name it introduces, apposition included
_LEADING_CONJUNCTIONS = frozenset({"غير", "ان", "الا", "لكن", "ولكن", "بينما", "فيما"})
# Participles that describe an organization after its name (شركة النيل للاتصالات | المدرجة في البورصة).
_DESCRIBING = frozenset({"المدرجه", "المدرج", "المالكه", "المالك", "المملوكه", "المملوك", "المتخصصه", "المتخصص"})
_SENIOR = frozenset({"كبير", "كبيره"})  # كبيرة محللي السلع، كبير المفاوضين: a role
_PLATFORMS = frozenset({"منصه", "حسابه", "حسابها", "حسابهم", "صفحته", "صفحتها", "موقعه", "موقعها", "تويتر", "فيسبوك",
                        "انستغرام", "حساب", "صفحه"})
_HONORIFICS = frozenset({"معالي", "سعاده", "فخامه", "سمو", "السيد", "السيده"})
# A name after these is whom the speaker was with (… مع نظيره الإيطالي ماركو فيراري), not the speaker.
_COMPANY = frozenset({"مع", "برفقه"})
_AGES = frozenset(f"ال{decade}{ending}" for decade in ("عشرين", "ثلاثين", "اربعين", "خمسين", "ستين", "سبعين", "ثمانين",
                                                   "تسعين") for ending in ("ي", "يه"))  # الرجل الستيني
_BLOCS = frozenset({"كتله", "تيار", "قائمه", "ائتلاف"})  # parliamentary groups, named in marks
_QUESTION_VERBS = frozenset({"ساله", "سالها", "سالته", "سالتها", "سالهم"})
_REPLY_VERBS = frozenset({"رد", "ردت", "اجاب", "اجابت"})
_RETURNED = frozenset({"عاد", "عادت", "وعاد", "وعادت"})
_BUT_WORDS = frozenset({"غير", "الا"})
_SUBJECT_EDGES = COMPLEMENTIZERS | BRIDGE_WORDS
_OPENING_NON_VERBS = FUNCTION_WORDS | TIME_WORDS | NOT_NAME_WORDS | TITLE_COMPLEMENTS | TITLE_ADJECTIVES
_RELATIVES = frozenset({"الذي", "التي"})
_WAS = frozenset(c + w for c in ("", "و", "ف") for w in ("كان", "كانت", "كانوا"))
_NOT_NAME_WORDS = (FUNCTION_WORDS | TIME_WORDS | NOT_NAME_WORDS | TITLE_COMPLEMENTS | TITLE_ADJECTIVES
                   | COMMON_VERBS | VERBS | COMPLEMENTIZERS | SPEECH_EVENT_NOUNS | SPEECH_NOUNS)


def attribute(ctx: Context, found: list[Found]) -> list[Quote]:
    """Give inheriting quotes the last speaker, and set sentence and confidence."""
    quotes: list[Quote] = []
    last = asked = NOBODY  # asked: whom the last question was put to (سأله X: «…؟»، فرد: «…»)
    persons = _PersonIndex(ctx.persons)  # persons of the text and speakers named so far
    earlier: list[tuple[int, Speaker]] = []  # speakers so far, with where they were attributed
    for f in sorted(found, key=lambda f: (f.pos, f.start)):
        speaker, sure = persons.fuller(f.speaker), f.sure
        if speaker.unnamed:
            speaker = _antecedent(ctx, speaker, f.pos, earlier)
            if speaker.unnamed and _continues_with_title(f.verb, speaker.name) and last.found and not last.unnamed:
                speaker = NOBODY  # قال قائد الفريق X … وأضاف اللاعب: the same person
        if speaker.found:
            earlier.append((f.pos, speaker))
        if speaker.found and not speaker.unnamed:
            persons.add(speaker)
        word = fast_normalize(f.verb)
        verb = _without_conjunction(word)
        if not speaker.found and asked.found and (verb in _REPLY_VERBS or word[:1] in "وف" and word[1:] in _REPLY_VERBS):
            speaker = asked  # the one asked answers, not the one who asked (فرد: «…»)
        if not speaker.found:
            speaker, sure = last, (sure - 0.1 if last.found else 0.3)
        asked = last if verb in _QUESTION_VERBS and speaker != last else NOBODY
        last = speaker if speaker.found else last
        if speaker.unnamed:
            sure -= 0.05
        quotes.append(Quote(speaker.name, ctx.text[f.start:f.end], f.kind, f.start, f.end,  # type: ignore[arg-type]
                            f.verb, speaker.id, speaker.unnamed, ctx.sentence_of(f.start),
                            round(max(sure, 0.1), 2)))
    return sorted(quotes, key=lambda q: q.start)


def _antecedent(ctx: Context, speaker: Speaker, pos: int, earlier: Sequence[tuple[int, Speaker]]) -> Speaker:
    """Who an unnamed speaker refers back to: the one with the same head (_same_head); failing
    that, for a bare title the last person who spoke (المدير الفني X … قال المدرب) and for someone
    described by age the last person named (أبو خالد … يتساءل الرجل الستيني)."""
    found = _same_head(ctx, speaker, pos, earlier)
    if found.unnamed and _bare_title(found.name):
        return _latest_person(earlier) or found
    if found.unnamed and _described_by_age(found.name):
        return _latest_person_named(ctx, pos) or found
    return found


def _same_head(ctx: Context, speaker: Speaker, pos: int, earlier: Sequence[tuple[int, Speaker]]) -> Speaker:
    """What a bare definite noun (المنظمة، المصادر، المسؤول) refers back to: the latest earlier
    speaker or organization with the same head (منظمة الصحة العالمية، مصادر دبلوماسية …)."""
    words = name_words(speaker.name)
    if words and words[0].startswith("لل") and "ال" + words[0][2:] in DOCUMENT_NOUNS:
        words = ("ال" + words[0][2:],) + words[1:]  # ووفقا للتقرير، فإن …
    titled = bool(words) and words[0] in TITLE_HEADS and words[0].startswith("ال")
    adjective = ""
    if titled and len(words) == 3 and words[2].startswith("ل"):
        words = words[:2]  # المدير الرياضي للنادي
    if titled and len(words) == 2 and words[1].startswith("ال"):
        adjective, words = words[1], words[:1]  # المدرب الفرنسي، الوزير الأسبق: the title (or nisba) refers back
    if words and words[0] in DOCUMENT_NOUNS and (words[0].startswith("ال") or len(words) > 1 and words[1].startswith("ال")):
        return _issuer(ctx, pos, earlier) or speaker  # وأضاف البيان (الختامي)، جاء في منطوق الحكم: whoever issued it
    if 2 <= len(words) <= 3 and words[0] in TITLE_HEADS and not words[0].startswith("ال"):
        named = _named_by_title_phrase(ctx, words, pos)  # وشدد رئيس الجمهورية على أن …
        if named is not None:
            return named
    if len(words) >= 2 and (words[0] in TITLE_HEADS or words[0] in SOURCE_NOUNS and words[0].startswith("ال")):
        return _titled_with_same_words(ctx, words, pos) or speaker  # معالي وزير خارجية الإكوادور
    if len(words) != 1 or not words[0].startswith("ال"):
        return speaker
    head = _head_key(words[0])
    best_at, best = -1, speaker
    if titled:
        best_at, best = _titled_person(ctx, head, pos, speaker, adjective)
    for at, other in earlier:
        other_words = name_words(other.name)
        if at < pos and other_words and _head_key(other_words[0]) == head and at >= best_at:
            best_at, best = at, other
    for n in ctx.named[:bisect_left(ctx.named_starts, pos)]:
        if n.type == "ORG" and n.start >= best_at and head in (
                _head_key(name_words(n.name)[0]), _head_key(name_words(ctx.text[n.start:n.end])[0])):
            best_at, best = n.start, n.speaker()  # منظمة الأمم المتحدة للطفولة, known as اليونيسف
    for k in ctx.token_range(max(0, best_at), pos) if not titled else ():
        if ctx.tokens[k].norm.startswith("ال") or _head_key(ctx.tokens[k].norm) != head:
            continue
        phrase = _named_after_head(ctx, k, pos)  # صحيفة وول ستريت جورنال: a name after the head noun
        if phrase is not None:
            best_at, best = ctx.tokens[k].start, phrase
    return best


def _named_by_title_phrase(ctx: Context, words: tuple[str, ...], pos: int) -> Speaker | None:
    """The latest person introduced by the same title phrase (رئيس الجمهورية، السيد X)."""
    toks = ctx.tokens
    found = None
    n = len(words)
    for k in ctx.token_range(0, pos):
        if k + n > len(toks) or tuple(_without_conjunction(toks[j].norm) if j == k else toks[j].norm
                                      for j in range(k, k + n)) != words:
            continue
        reach = toks[min(k + n + TITLE_TO_NAME_TOKENS, len(toks) - 1)].end
        named = ctx.named_in(toks[k + n - 1].end, min(reach, pos))
        person = next((p for p in named if p.type == "PER" and _plausible_person(p, named)), None)
        if person is not None and ctx.sentence_of(person.start) == ctx.sentence_of(toks[k].start):
            found = person.speaker()
    return found


def _bare_title(role: str) -> bool:
    """المدرب، الوزيرة: a definite title alone, which names someone the text has named."""
    words = name_words(role)
    return len(words) == 1 and words[0].startswith("ال") and words[0] in TITLE_HEADS


def _described_by_age(role: str) -> bool:
    """الرجل الستيني، المرأة الخمسينية، الشابة العشرينية: someone the text has just named."""
    words = name_words(role)
    return len(words) == 2 and words[0].startswith("ال") and words[1] in _AGES


def _latest_person_named(ctx: Context, pos: int) -> Speaker | None:
    persons = [n for n in ctx.named[:bisect_left(ctx.named_starts, pos)] if n.type == "PER"]
    return persons[-1].speaker() if persons else None


def _latest_person(earlier: Sequence[tuple[int, Speaker]]) -> Speaker | None:
    return next((s for _at, s in reversed(earlier) if not s.unnamed and s.id.startswith("per")), None)


def _titled_with_same_words(ctx: Context, words: tuple[str, ...], pos: int) -> Speaker | None:
    """The latest person introduced, before or after the name, by the same title head and at
    least one more of the phrase's words (معالي X، وزير الخارجية في جمهورية الإكوادور … for a
    later معالي وزير خارجية الإكوادور)."""
    words = tuple(w for w in words if w not in _HONORIFICS)
    if len(words) < 2 or words[0] not in TITLE_HEADS and words[0] not in SOURCE_NOUNS:
        return None
    head, rest = _head_key(words[0]), {_head_key(w) for w in words[1:]} - {""}
    described = all(w.startswith("ال") and w.endswith(("ي", "يه")) for w in words[1:])  # المسؤول التقني
    nisbas = {_head_key(w) for w in words[1:] if w.startswith("ال") and w.endswith(("ي", "يه")) and len(w) > 5}
    found = None
    for n in ctx.named[:bisect_left(ctx.named_starts, pos)]:
        if n.type != "PER" or n.end > pos:
            continue
        k = bisect_left(ctx.token_starts, n.start)
        j = bisect_left(ctx.token_starts, n.end)
        near = [_head_key(ctx.tokens[t].norm) for t in range(max(0, k - TITLE_TO_NAME_TOKENS), min(j + TITLE_TO_NAME_TOKENS, len(ctx.tokens)))
                if ctx.tokens[t].start < pos and ctx.sentence_of(ctx.tokens[t].start) == ctx.sentence_of(n.start)]
        if (head in near and rest & set(near) or described and rest <= set(near)) and nisbas <= set(near) \
                and _plausible_name(n.name):  # (وزير الخارجية الأنغولي is not the Chinese one)
            found = n.speaker()
    return found


def _continues_with_title(verb: str, role: str) -> bool:
    """وأضاف اللاعب، وتابعت الوزيرة، وأضاف المسؤول: a continuation verb with a bare definite title."""
    words = name_words(role)
    word = _without_conjunction(fast_normalize(verb))
    return len(words) == 1 and words[0].startswith("ال") and (words[0] in TITLE_HEADS or words[0] in SOURCE_NOUNS) \
        and (word in SUBJECTLESS_FOLLOWERS or word in CONTINUATION_VERBS or word in CLOSING_VERBS)


def _titled_person(ctx: Context, head: str, pos: int, speaker: Speaker,
                   adjective: str = "") -> tuple[int, Speaker]:
    """The latest person introduced before `pos` by the same title (مدرب منتخب السعودية هيرفي
    رينار for a later المدرب الفرنسي) or by the same nisba right before the name (البرتغالي
    جوزيه فيريرا), with where the title stands; (-1, speaker) if none."""
    best_at, best = -1, speaker
    toks = ctx.tokens
    for k in ctx.token_range(0, pos):
        w = toks[k].norm
        by_nisba = bool(adjective) and w == adjective
        if ctx.in_pair[k] or not (by_nisba or head in (_head_key(w), _head_key(_without_conjunction(w)))
                                  or any(_head_key(stem) == head for _skip, stem in toks[k].stems)):
            continue  # (رواية «…» للكاتبة سعاد بوشناق … وقالت الكاتبة)
        if adjective and not by_nisba and _other_nisba(toks, k, adjective):
            continue  # المندوب الجزائري … is not the later المندوب الإسرائيلي
        if ctx.comma_before[k] and not by_nisba:
            before = ctx.named_in(max(0, toks[k].start - 60), toks[k].start)
            if before and before[-1].type == "PER" and not ctx.text[before[-1].end:toks[k].start].strip(" ،,"):
                best_at, best = toks[k].start, before[-1].speaker()  # X، الرئيس التنفيذي للمجموعة
                continue
        reach = toks[min(k + (2 if by_nisba else TITLE_TO_NAME_TOKENS), len(toks) - 1)].end
        lo, hi = bisect_left(ctx.named_starts, toks[k].end), bisect_left(ctx.named_starts, min(reach, pos))
        named = [n for n in ctx.named[lo:hi] if n.end <= pos]
        for n in named:
            if ctx.sentence_of(n.start) != ctx.sentence_of(toks[k].start):
                break
            if n.type == "PER" and _plausible_person(n, named):
                best_at, best = toks[k].start, n.speaker()
                break
    return best_at, best


def _other_nisba(toks: Sequence[Token], k: int, adjective: str) -> bool:
    """Whether the title at k is qualified by a nationality other than `adjective`."""
    for j in range(k + 1, min(k + 3, len(toks))):  # المندوب الجزائري، وزير الخارجية المصري
        w = toks[j].norm
        if not w.startswith("ال"):
            return False  # (مدرب منتخب السعودية: the country is no nisba of the title)
        if w.endswith(("ي", "يه")) and len(w) > 5 and w not in TITLE_ADJECTIVES:
            return w.rstrip("ه") != adjective.rstrip("ه")
    return False


def _without_conjunction(word: str) -> str:
    return word[1:] if len(word) > 3 and word[0] in "وف" else word


def _issuer(ctx: Context, pos: int, earlier: Sequence[tuple[int, Speaker]]) -> Speaker | None:
    """Who issued a statement referred to as البيان: the latest organization that spoke,
    else the latest organization named before it."""
    for at, other in reversed(earlier):
        head = name_words(other.name)[0] if other.name else ""
        organization = other.id and not other.id.startswith("per") or other.unnamed and \
            head not in SOURCE_NOUNS and head not in TITLE_HEADS  # قوة الأمم المتحدة المؤقتة (a role)
        if at < pos and organization:
            return other
    orgs = [n for n in ctx.named[:bisect_left(ctx.named_starts, pos)] if n.type == "ORG"]
    return orgs[-1].speaker() if orgs else None


def _honored_person(ctx: Context, honorific: str, pos: int) -> Speaker:
    """The latest person named right after this honorific (سمو الشيخ X, صاحب السمو الأمير X
    for a later سموه);
    NOBODY, the last speaker, when none is."""
    best = NOBODY
    for n in ctx.named[:bisect_left(ctx.named_starts, pos)]:
        k = bisect_left(ctx.token_starts, n.start)
        if n.type == "PER" and any(ctx.tokens[j].norm in (honorific, "ال" + honorific) for j in range(max(0, k - 3), k)):
            best = n.speaker()
    return best


def _named_after_head(ctx: Context, k: int, pos: int) -> Speaker | None:
    """An indefinite head noun and the name right after it (صحيفة وول ستريت جورنال), whether
    the recognizer knows the name as an organization or not (two or three unknown words)."""
    toks = ctx.tokens
    if k + 1 < len(toks) and ctx.in_pair[k + 1] and not ctx.in_pair[k] and toks[k + 1].start < pos:
        quoted = _quoted_outlet(ctx, k, any_head=True)  # مجموعة "الريادة القابضة"
        if quoted is not None:
            text = f"{toks[k].text} {quoted.name}"
            return Speaker(text, named_id("ORG", text))
    if k + 1 >= len(toks) or toks[k + 1].start >= pos or ctx.gap(k, k + 1).strip() or ctx.in_pair[k]:
        return None
    lo = bisect_left(ctx.named_starts, toks[k + 1].start)
    if lo < len(ctx.named) and ctx.named[lo].start == toks[k + 1].start and ctx.named[lo].type == "ORG":
        end = ctx.named[lo].end
    elif toks[k].norm in AUDIENCE_WORDS:  # an outlet: a foreign name the recognizer missed
        run = [k + 1]
        while len(run) < 3 and run[-1] + 1 < len(toks) and toks[run[-1] + 1].start < pos \
                and not ctx.gap(run[-1], run[-1] + 1).strip() and _name_like(toks[run[-1] + 1], first=False):
            run.append(run[-1] + 1)
        if len(run) < 2 or not all(_name_like(toks[j], first=j == k + 1) for j in run):
            return None
        end = toks[run[-1]].end
    else:
        return None
    text = ctx.text[toks[k].start:end]
    return Speaker(text, named_id("ORG", text))


def _head_key(word: str) -> str:
    """A normalized head noun without the article, in the singular where that is simple
    (المسؤولين -> مسؤول، المصادر -> مصدر)."""
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    word = BROKEN_PLURALS.get(word, word)
    if word.endswith(("ون", "ين")) and len(word) > 5:
        word = word[:-2]
    return word


class _PersonIndex:
    """Full names by the shorter forms they are mentioned by later (surname, first name)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self._known: set[Speaker] = set()
        self._by_part: dict[tuple[str, ...], set[Speaker]] = {}
        self._words: dict[str, tuple[str, ...]] = {}  # names normalized once
        self._entities = entities  # the text's persons, indexed when a short name first needs them

    def add(self, person: Speaker) -> None:
        if person in self._known:
            return
        self._known.add(person)
        for part in _name_parts(self.words(person.name)):
            self._by_part.setdefault(part, set()).add(person)

    def words(self, name: str) -> tuple[str, ...]:
        if name not in self._words:
            self._words[name] = name_words(name)
        return self._words[name]

    def fuller(self, speaker: Speaker) -> Speaker:
        """The one known person whose fuller name this speaker's name is part of (ووستر)."""
        words = self.words(speaker.name)
        if not words or len(words) > 2:
            return speaker
        if self._entities:
            entities, self._entities = self._entities, ()
            for entity in entities:
                if _plausible_name(entity.name):
                    self.add(Speaker(clean_name(entity.name), entity_id(entity)))
        owners = self._by_part.get(words, set()) - {speaker}
        return next(iter(owners)) if len(owners) == 1 else speaker


def _name_parts(full: tuple[str, ...]) -> list[tuple[str, ...]]:
    """First and last one or two words of a name; a surname also without a leading و, which a
    recognizer may have taken for the conjunction (ووستر read as و + وستر)."""
    parts = []
    for n in (1, 2):
        if len(full) <= n:
            break
        tail = full[len(full) - n:]
        parts += [full[:n], tail]
        if tail[0].startswith("و") and len(tail[0]) > 2:
            parts.append((tail[0][1:],) + tail[1:])
    return parts


def speaker_of(ctx: Context, v: int, start: int, end: int) -> Speaker:
    """The speaker of reporting verb v whose clause spans [start, end); NOBODY to inherit.
    Found once per verb: a participle after it (مشيرا) asks again for the same verb."""
    if v not in ctx.speakers:
        ctx.speakers[v] = _speaker(ctx, v, start, end)
    return ctx.speakers[v]


def _speaker(ctx: Context, v: int, start: int, end: int) -> Speaker:
    verb = ctx.tokens[v]
    bare_verb = bare(verb)
    if bare_verb in CONTINUATION_VERBS:
        return _earlier_subject(ctx, v)
    idx = ctx.token_range(start, end)
    if idx and bare_verb in ("نقل", "نقلت") and ctx.tokens[idx[0]].norm in ("عنه", "عنها", "عنهم"):
        return _opening_source(ctx, v)  # لكن مصادر عسكرية شككت …، ونقلت عنها قناة "…" قولها
    source = _quoted_source(ctx, v, idx) if ctx.relayed else None
    if source is not None:
        idx = source
    subject = _subject_before_qad(ctx, v) or _subject_after_amma(ctx, v) or _subject_tokens(ctx, idx)
    if subject and ctx.tokens[subject[0]].norm[:1] == "ل" and verb.norm not in ACCORDING_TO \
            and (_names_audience(ctx.tokens[subject[0]]) or _to_outlet(ctx, subject[0])):
        subject = []  # وقال لوكالة الأنباء الكويتية: «…»: whom he told, no subject
    if subject and bare_verb == verb.norm:
        before = _person_before(ctx, v)
        if not before.found:
            before = _organization_before(ctx, v)
        if before.found and not before.unnamed:
            return before  # وزيرة التجارة ريبيكا هول أبلغت أعضاء لجنة …؛ لكن المفوضية الأوروبية ردت …
    if subject and ctx.tokens[v].norm in CAME:
        subject = subject[1:]  # جاء | في | البيان
    relayed_before = _relayed_before(ctx, v)
    if relayed_before:
        subject = relayed_before  # ونقلا عن مسؤول في البرنامج، أفادت قناة "الشرق" بأن …
    if len(subject) > 2 and ctx.tokens[v].norm in ACCORDING_TO and ctx.tokens[subject[0]].norm == "ما":
        subject = subject[2:]  # وبحسب ما أوردته | هيئة شؤون الأسرى
    elif len(subject) > 1 and ctx.tokens[v].norm in ACCORDING_TO and ctx.tokens[subject[0]].norm == "عن":
        subject = subject[1:]  # ونقلا عن | مصدر في المؤسسة، فإن …
    if not subject:
        if bare_verb in SUBJECTLESS_FOLLOWERS and ctx.sentence_starts[ctx.sentence_of(verb.start)] == verb.start:
            return NOBODY  # وأضاف أن … opening its sentence: the speaker goes on
        for subject_of in (_person_before, _sentence_subject, _role_before, _organization_before, _person_earlier_in_sentence):
            found = subject_of(ctx, v)  # غير أن محللين في "بنك …" رجحوا أن …
            if found.found:
                return found
        return NOBODY
    if ctx.tokens[subject[0]].norm in HONORIFIC_PRONOUNS:  # وقال سموه
        return _honored_person(ctx, HONORIFIC_PRONOUNS[ctx.tokens[subject[0]].norm], ctx.tokens[v].start)
    if bare_verb in SUBJECTLESS_FOLLOWERS and _starts_with_adjunct(ctx, subject[0]):
        return NOBODY  # وأضاف في تصريحات: the verb has no subject of its own
    if bare_verb in CLOSING_VERBS and _closes_something(ctx, subject[0]):
        return NOBODY  # يختم الحلقة بالتأكيد: what was closed, not who
    sub_start = ctx.tokens[subject[0]].start
    sub_end = ctx.tokens[subject[-1]].end
    head = ctx.tokens[subject[0]]
    named = ctx.named_in(sub_start, sub_end)
    if head.norm not in SOURCE_NOUNS or _apposed_person(ctx, subject, named):
        company = next((ctx.tokens[k].start for k in subject if ctx.tokens[k].norm in _COMPANY), sub_end)
        persons = [n for n in named if n.type == "PER" and n.start < company]
        apposed = next((n for n in persons if _set_off(ctx, n) and _plausible_person(n, named)), None) \
            if len(persons) > 1 else None
        person = apposed or next((n for n in persons if _plausible_person(n, named)), None)
        one_word = person is not None and " " not in person.name.strip()
        name = _name_after_title(ctx, subject, named) if person is None or one_word or _may_go_on(ctx, person) else None
        if person is not None and not (name and name[0] <= person.start and person.end <= name[1]
                                       and name[1] - name[0] > person.end - person.start):
            return person.speaker()  # a name may be cut short: عباس جبر (المالكي)، (إنغريد) سولهايم
        if name:
            text = ctx.text[name[0]:name[1]]
            return Speaker(text, named_id("PER", text))
        for n in named:
            if n.type == "ORG" and head.norm in DOCUMENT_NOUNS or n.type in ("ORG", "LOC") and n.start < head.end:
                return _with_genitive_organization(ctx, n)  # (a study done in أبوظبي is not the city's)
    owner = _document_owner(ctx, v, subject)
    if owner is not None:
        return owner  # وجاء في بيان للوزارة أن …، وجاء في بيان لها أن …
    issuer = _issuer_of_document(ctx, subject)
    outlet = _quoted_outlet(ctx, issuer[0])
    if outlet is None and (issuer != subject or stem_in(ctx.tokens[issuer[0]], ORG_HEADS)):
        named = _quoted_outlet(ctx, issuer[0], any_head=True)  # منظمة "أنا يقظ"، دراسة أعدها مرصد "…"
        outlet = named and Speaker(f"{ctx.tokens[issuer[0]].text} {named.name}", named.id)
    if outlet is not None:
        return outlet
    role = _role_phrase(ctx, issuer)
    if not role or _pronoun_suffixed(role):
        for subject_of in (_sentence_subject, _person_before, _role_before):
            speaker = subject_of(ctx, v)  # …، وأكدت في بيان؛ وعاد الديري ليؤكد في تصريح؛ مصادر … أفادت
            if speaker.found:
                return speaker
        return NOBODY
    at = ctx.text.find(role, ctx.tokens[issuer[0]].start)
    return apposed_name(ctx, at + len(role)) or Speaker(role, "", True)  # قال محافظ طولكرم، عبد الله كمال، «…»


def _with_genitive_organization(ctx: Context, n: Named) -> Speaker:
    """An organization and the one it belongs to, named right after it with ل (الأمانة العامة
    لمجلس التعاون لدول الخليج العربية)."""
    i = bisect_left(ctx.named_starts, n.end)
    later = ctx.named[i:i + 1]
    if n.type == "ORG" and later and later[0].type == "ORG" and (
            ctx.text[n.end:later[0].start] == " ل" or ctx.text[n.end:later[0].start] == " "
            and ctx.text.startswith("لل", later[0].start)):
        text = ctx.text[n.start:later[0].end]
        return Speaker(text, named_id("ORG", text))
    return n.speaker()


def _set_off(ctx: Context, n: Named) -> bool:
    """A name set off by commas, a title allowed before it (دفاع الدميري، المحامي طارق نصار،):
    the apposition names who speaks."""
    before = ctx.text[max(0, n.start - 30):n.start].split()
    if before and name_words(before[-1])[:1] and name_words(before[-1])[0] in TITLE_HEADS:
        before.pop()
    return bool(before) and before[-1].endswith(("،", ",")) and ctx.text[n.end:n.end + 1] in ("،", ",", ":")


def _closes_something(ctx: Context, k: int) -> bool:
    """The object of ختم (حديثه، الحلقة، كلمته): neither a title, a source nor a name."""
    tok = ctx.tokens[k]
    return not (stem_in(tok, TITLE_HEADS) or tok.norm in SOURCE_NOUNS
                or any(n.start == tok.start for n in ctx.named_in(tok.start, tok.end + 60)))


def _document_owner(ctx: Context, v: int, subject: list[int]) -> Speaker | None:
    """Whose a document is when ل names it (بيان للوزارة: the ministry named before; بيان لها:
    the subject of the sentence), or None."""
    toks = ctx.tokens
    if len(subject) < 2 or toks[subject[0]].norm not in DOCUMENT_NOUNS or not toks[subject[1]].norm.startswith("ل"):
        return None
    w = toks[subject[1]].norm
    if w in ("له", "لها", "لهم"):  # بدورها، رحبت حكومة الوحدة الوطنية …، وجاء في بيان لها أن
        sent = ctx.sentence_starts[ctx.sentence_of(toks[v].start)]
        named = [n for n in ctx.named_in(sent, toks[v].start) if n.type in ("ORG", "PER")]
        return named[0].speaker() if named else None
    if w.startswith("لل") and len(subject) == 2:
        return Speaker("ال" + w[2:], "", True)  # للوزارة: الوزارة, which refers back to the ministry
    return None


def _issuer_of_document(ctx: Context, subject: list[int]) -> list[int]:
    """For بيان صادر عن الشركة, the words after عن (الشركة); the subject itself otherwise."""
    toks = ctx.tokens
    head = toks[subject[0]].norm
    if head not in DOCUMENT_NOUNS and not (head[:1] == "ل" and head[1:] in DOCUMENT_NOUNS):
        return subject  # (وفقا لبيان صادر عن …)
    for i, k in enumerate(subject[1:3], start=1):
        w = toks[k].norm
        if _relative_verb(w) and i + 1 < len(subject) \
                and toks[subject[i + 1]].norm not in FUNCTION_WORDS:
            return subject[i + 1:]  # دراسة أعدها مرصد العراق الأخضر
    for i, k in enumerate(subject[1:4], start=1):
        if toks[k].norm == "عن" and i + 1 < len(subject) and toks[subject[i - 1]].norm in ("صادر", "الصادر") \
                and _issues_documents(ctx, subject[i + 1]):
            return subject[i + 1:]  # (البيان الصادر عن الاجتماع: the meeting issues nothing)
    return subject


def _issues_documents(ctx: Context, k: int) -> bool:
    """An organization, a named body or a spokesman (صادر عن المندوبية السامية للتخطيط، عن
    المتحدث باسم الجيش), not a meeting (الصادر عن الاجتماع)."""
    tok = ctx.tokens[k]
    if stem_in(tok, ORG_HEADS) or stem_in(tok, TITLE_HEADS):
        return True
    noun = tok.norm.removeprefix("ال")
    named = ctx.named_in(tok.start, tok.end + 80)
    return noun not in SPEECH_EVENT_NOUNS and bool(named) and named[0].start == tok.start and named[0].type == "ORG" \
        or tok.norm.startswith("ال") and tok.norm.endswith("يه") and noun not in SPEECH_EVENT_NOUNS


def _relative_verb(word: str) -> bool:
    """A verb with its object pronoun after a document: أعدها، أعدته، أجراها، نشرته."""
    return word.endswith(("ها", "ه")) and len(word) >= 4 and not word.startswith("ال") \
        and word not in FUNCTION_WORDS


def _quoted_outlet(ctx: Context, k: int, any_head: bool = False) -> Speaker | None:
    """An outlet noun and its name in marks: ذكر موقع "صوت العاصمة" أن … -> صوت العاصمة
    (with any_head, any indefinite noun: مجموعة "الريادة القابضة")."""
    tok = ctx.tokens[k]
    if not any_head and tok.norm not in AUDIENCE_WORDS or tok.norm.startswith("ال") or k + 1 >= len(ctx.tokens) \
            or not ctx.in_pair[k + 1]:
        return None
    lo = bisect_left(ctx.pair_starts, tok.end)
    if lo == len(ctx.pairs) or ctx.pairs[lo].start - tok.end > 2:
        return None
    pair = ctx.pairs[lo]
    name = ctx.text[pair.start + 1:pair.end - 1].strip()
    return Speaker(name, named_id("ORG", name)) if 0 < len(name.split()) <= 4 else None


def _role_before(ctx: Context, v: int) -> Speaker:
    """A source or a title named before its verb: "غير أن مصادر حكومية مطلعة أفادت …"، "لكن ممثل
    النيابة العامة رد بأن …"; NOBODY if none."""
    toks = ctx.tokens
    last = v - 1
    if v and ctx.comma_before[v]:  # لكن مسؤولا في المؤسسة، طلب عدم نشر اسمه، قال إن …
        last = next((k - 1 for k in range(v - 1, max(v - 1 - TITLE_TO_NAME_TOKENS, 0), -1) if ctx.comma_before[k]), -1)
    elif toks[last].norm in _RETURNED:
        last -= 1
    words: list[int] = []
    for k in range(last, max(last - MAX_ROLE_TOKENS, -1), -1):
        if toks[k].norm in COMPLEMENTIZERS or toks[k].norm in FUNCTION_WORDS and toks[k].norm not in ("في", "من"):
            break
        words.insert(0, k)
        if ctx.break_before[k] or ctx.comma_before[k]:
            break
    if words and toks[words[0]].norm in _RETURNED:
        words.pop(0)  # وعاد الشيخ ليؤكد أن …
    if not words or not (toks[words[0]].norm in SOURCE_NOUNS or _is_definite_title(toks[words[0]])
                         or toks[words[0]].norm in TITLE_HEADS) \
            or last == v - 1 and ctx.gap(words[-1], v).strip(' "«»“”'):
        return NOBODY
    start, end = toks[words[0]].start, toks[words[-1]].end
    role = " ".join(ctx.text[start:end].replace("«", " ").replace("»", " ").replace('"', " ")
                    .replace("“", " ").replace("”", " ").split())
    return Speaker(role, "", True)


def _is_definite_title(tok: Token) -> bool:
    return tok.norm.startswith("ال") and tok.norm in TITLE_HEADS


def _sentence_subject(ctx: Context, v: int) -> Speaker:
    """For a verb joined by و with no subject of its own (…، وأكدت في بيان أن), the named subject
    of the verb opening its sentence: دانت المملكة العربية السعودية الهجوم …، وأكدت …"""
    tok = ctx.tokens[v]
    if bare(tok) == tok.norm or tok.norm[0] not in "وف":
        return NOBODY  # وقال، فأجاب (سئل حداد …، فأجاب)
    idx = ctx.token_range(ctx.sentence_starts[ctx.sentence_of(tok.start)], tok.start)
    proper = _after_lead(ctx, idx)
    lead = proper.start if proper != idx else None
    idx = proper
    first = next((k for k in idx[:3] if ctx.tokens[k].norm not in _LEADING_CONJUNCTIONS), None)
    if first is not None and (first != idx[0] or stem_in(ctx.tokens[first], TITLE_HEADS)):
        opening = _titled_or_named_at(ctx, first, tok.start)  # غير أن النائبة رولا العبادي انتقدت …، وقالت
        if opening.found:
            return opening
    if len(idx) < 3 or ctx.tokens[idx[0]].norm in _OPENING_NON_VERBS \
            or ctx.text[ctx.sentence_starts[ctx.sentence_of(tok.start)]:ctx.tokens[idx[0]].start].strip(" \n،,") \
            and lead is None:
        return NOBODY
    if stem_in(ctx.tokens[idx[1]], TITLE_HEADS):  # اتهم المستشار السياسي …، صلاح الدين …، الوفد …
        reach = ctx.tokens[min(idx[1] + TITLE_TO_NAME_TOKENS, idx[-1])].end
        named = ctx.named_in(ctx.tokens[idx[1]].end, reach)
        person = next((n for n in named if n.type == "PER" and _plausible_person(n, named)), None)
        if person is not None:
            return person.speaker()
    return _named_after_opening(ctx, idx)


def _after_lead(ctx: Context, idx: range) -> range:
    """The sentence proper after an opening adjunct and its comma: في المقابل، اتهم …؛
    وفي مقابلة مع شبكة "بلومبرغ" على هامش مؤتمر في الكويت، سئل …"""
    dash = next((k for k in idx[1:6] if _DATELINE_GAP_RE.fullmatch(ctx.gap(k - 1, k))), None)
    if dash is not None:
        idx = range(dash, idx.stop)  # القاهرة (رويترز) - أبقى البنك …: after the dateline
    if not idx or _without_conjunction(ctx.tokens[idx[0]].norm) not in FUNCTION_WORDS or ctx.tokens[idx[0]].norm in _WAS:
        return idx
    lead = next((k for k in idx[1:MAX_CLAUSE_TOKENS // 2] if ctx.comma_before[k]), None)
    return range(lead, idx.stop) if lead is not None else idx


def _named_after_opening(ctx: Context, idx: range) -> Speaker:
    """A name among the first words after the verb opening these tokens (دانت المملكة …)."""
    idx = _after_lead(ctx, idx)
    for k in idx[1:4]:
        if ctx.gap(k - 1, k).strip():
            return NOBODY
        here = [n for n in ctx.named_in(ctx.tokens[k].start, ctx.tokens[k].end + 60)
                if n.start == ctx.tokens[k].start and n.type in ("PER", "ORG", "LOC")]
        if here:
            return here[0].speaker()
        norm = ctx.tokens[k].norm
        if k == idx[1] and norm in SOURCE_NOUNS:  # وأكد مسؤول في وزارة الكهرباء …، وقال إن
            role = _role_phrase(ctx, list(idx[1:]))
            return Speaker(role, "", True) if role else NOBODY
        if norm in HONORIFIC_PRONOUNS:  # ورحب سموه بالضيف، مؤكدا أن …
            return _honored_person(ctx, HONORIFIC_PRONOUNS[norm], ctx.tokens[k].start)
        titled = NOBODY
        if norm in HONORIFIC_PRONOUNS.values() and k + 1 < idx.stop:
            titled = _titled_or_named_at(ctx, k + 1, ctx.tokens[idx[-1]].end)  # وكان سمو الشيخ X … قد
        elif stem_in(ctx.tokens[k], TITLE_HEADS):
            titled = _titled_or_named_at(ctx, k, ctx.tokens[idx[-1]].end)  # دافع وزير المالية …، الدكتور X، …
            if not titled.found and k == idx[1]:
                role = _role_phrase(ctx, list(idx[1:]))  # ورفض المندوب الإسرائيلي الاتهامات، قائلا
                titled = Speaker(role, "", True) if role else NOBODY
        if titled.found:
            return titled
    return NOBODY


def _titled_or_named_at(ctx: Context, k: int, limit: int) -> Speaker:
    """The person named at token k, or introduced by the title at k (within reach)."""
    toks = ctx.tokens
    here = ctx.named_in(toks[k].start, limit)
    if here and here[0].start == toks[k].start and here[0].type == "PER":
        return here[0].speaker()
    if not (stem_in(toks[k], TITLE_HEADS) or toks[k].norm in SOURCE_NOUNS or toks[k].norm[:-1] in SOURCE_NOUNS):
        return NOBODY  # (القيادية في الحزب X: a source noun in the feminine)
    reach = toks[min(k + TITLE_TO_NAME_TOKENS, len(toks) - 1)].end
    named = ctx.named_in(toks[k].end, min(reach, limit))
    person = next((n for n in named if n.type == "PER" and _plausible_person(n, named)), None)
    return person.speaker() if person is not None else NOBODY


def _pronoun_suffixed(role: str) -> bool:
    """A noun of identity with a possessive pronoun (اسمه، هويتها، صفته) names no one; kin with
    one (زوجته، والدها) do speak."""
    words = role.split()
    if len(words) != 1:
        return False
    word = fast_normalize(words[0])
    return any(word.endswith(suffix) and word[:-len(suffix)] in IDENTITY_NOUNS for suffix in ("هما", "هم", "ها", "ه"))


def _apposed_person(ctx: Context, subject: list[int], named: Sequence[Named]) -> bool:
    """A source noun whose phrase ends in the name of its holder (عضو اللجنة المالية X):
    the name speaks; a name behind a preposition (مصدر مقرب من الرئيس X) does not."""
    person = next((n for n in named if n.type == "PER"), None)
    if person is None or " " not in person.name.strip():
        return False  # (تجار في سوق الشيخ عثمان: a place named after someone)
    if ctx.text[:person.start].rstrip().endswith(("،", ",")):
        return True  # مندوب ليبيا لدى الأمم المتحدة، عصام الفيتوري، …
    links = _role_links(ctx.tokens[subject[0]].norm)  # عضو مجلس النواب عن بنغازي X
    return not any(ctx.tokens[k].norm in FUNCTION_WORDS and ctx.tokens[k].norm not in links
                   or ctx.tokens[k].norm in SOURCE_COMPLEMENTS
                   for k in subject if ctx.tokens[k].end <= person.start)


def _person_before(ctx: Context, v: int) -> Speaker:
    """A person named right before a verb with no subject after it (… جو بايدن قال إن …);
    NOBODY (the last speaker) when there is none, as in وأكد أنه …"""
    at = v - 1 if v and ctx.tokens[v - 1].norm in _RETURNED else v  # الدريدي عادت لتؤكد أن
    relative = at > 0 and ctx.tokens[at - 1].norm in _RELATIVES and ctx.comma_before[at - 1]
    if relative:
        at -= 1  # منى السباعي، التي قالت إن
    before = ctx.named_in(max(0, ctx.tokens[at].start - 80), ctx.tokens[at].start)
    if before and before[-1].type == "PER" and not relative:
        rest = ctx.token_range(before[-1].end, ctx.tokens[at].start)
        if 1 <= len(rest) <= 2 and all(_name_like(ctx.tokens[k], first=False) for k in rest) \
                and not any(ctx.gap(k - 1, k).strip() for k in [*rest, at]):
            name = ctx.text[before[-1].start:ctx.tokens[rest[-1]].end]  # نسرين جبار | الموسوي اعتبرت
            return Speaker(name, named_id("PER", name))
    if not before or ctx.text[before[-1].end:ctx.tokens[at].start].strip(" ،," if relative else " "):
        return _described_subject(ctx, v)
    person = before[-1]
    if person.type != "PER" or not _plausible_name(person.name):
        return NOBODY
    return person.speaker()


def _person_earlier_in_sentence(ctx: Context, v: int) -> Speaker:
    """For a verb joined by و after a comma with no subject (…، وقالت لـ"عكاظ" إن), the last
    person named earlier in its sentence: وشهد اليوم توقيع الروائية X لروايتها …، وقالت"""
    tok = ctx.tokens[v]
    if bare(tok) == tok.norm or tok.norm[0] != "و" or not ctx.comma_before[v]:
        return NOBODY
    sent = ctx.sentence_starts[ctx.sentence_of(tok.start)]
    persons = [n for n in ctx.named_in(sent, tok.start) if n.type == "PER" and _plausible_name(n.name)]
    return persons[-1].speaker() if persons else NOBODY


def _organization_before(ctx: Context, v: int) -> Speaker:
    """An organization opening its clause right before the verb: "لكن المفوضية الأوروبية ردت في
    بيان بأن …"، "لكن نقابة المعلمين قالت إنها …", or before a relative pronoun: "وفقا لهيئة
    عمليات التجارة البحرية البريطانية (UKMTO)، التي أوضحت أن …"; NOBODY if none."""
    relative = v > 0 and ctx.tokens[v - 1].norm in _RELATIVES and ctx.comma_before[v - 1]
    at = v - 1 if relative else v
    before = ctx.named_in(max(0, ctx.tokens[at].start - 80), ctx.tokens[at].start)
    if not before or before[-1].type != "ORG":
        return NOBODY
    between = ctx.text[before[-1].end:ctx.tokens[at].start]
    if relative:
        return before[-1].speaker() if _RELATIVE_GAP_RE.fullmatch(between) else NOBODY
    if between.strip():
        return NOBODY
    k = bisect_left(ctx.token_starts, before[-1].start)
    opens = k == 0 or ctx.break_before[k] or ctx.comma_before[k] or ctx.tokens[k - 1].norm in _LEADING_CONJUNCTIONS
    return before[-1].speaker() if opens else NOBODY


def _described_subject(ctx: Context, v: int) -> Speaker:
    """A person opening the sentence, described by a relative clause between commas before
    the verb: "الصايغ، الذي ولد في عكار …، يقول إن …"."""
    sent = ctx.sentence_starts[ctx.sentence_of(ctx.tokens[v].start)]
    idx = ctx.token_range(sent, ctx.tokens[v].start)
    if idx and ctx.tokens[idx[0]].norm not in _LEADING_CONJUNCTIONS:
        idx = _after_lead(ctx, idx)  # الجزائر - رئيس الحزب، X، أكد (not غير أن الدكتور X، …)
    if len(idx) < 3 or not ctx.comma_before[v]:
        return NOBODY
    first = next((k for k in idx[:3] if ctx.tokens[k].norm not in _LEADING_CONJUNCTIONS), idx[0])
    opening = ctx.named_in(ctx.tokens[first].start, ctx.tokens[idx[-1]].end)
    if opening and opening[0].start == ctx.tokens[first].start and opening[0].type == "PER":
        k = bisect_left(ctx.token_starts, opening[0].end)
        if k < v and ctx.comma_before[k] and ctx.tokens[k].norm in _RELATIVES:
            return opening[0].speaker()
    if stem_in(ctx.tokens[first], TITLE_HEADS):  # (غير أن) الدكتور X، …، حذر؛ السيدة X، أم …، قالت
        person = _titled_or_named_at(ctx, first, ctx.tokens[v].start)
        if person.found and ctx.text[ctx.tokens[first].end:ctx.tokens[v].start].count("،") >= 2:
            return person
    return NOBODY


def _plausible_name(name: str) -> bool:
    """Not a title's complement read as a name: التضامن الاجتماعي مايا، المعارض ياسر البدري."""
    words = name.split()
    return len(words) < 3 or not words[0].startswith("ال") or fast_normalize(words[0]) in FIRST_NAMES \
        or fast_normalize(words[0]) in ARTICLE_FIRST_NAMES


def _plausible_person(person: Named, named: Sequence[Named]) -> bool:
    """A plausible name that is not a title's noun before a place: مدرب «منتخب» المغرب."""
    words = person.name.split()
    if not _plausible_name(person.name):
        return False
    followed_by_place = any(n.type in ("LOC", "ORG") and 0 < n.start - person.end <= 1 for n in named)
    return not (len(words) == 1 and followed_by_place)


def _may_go_on(ctx: Context, person: Named) -> bool:
    """Whether a name-like word follows the person's name at once (a name cut short)."""
    k = bisect_left(ctx.token_starts, person.end)
    return k < len(ctx.tokens) and not ctx.gap(k - 1, k).strip() and _name_like(ctx.tokens[k], first=False)


def _name_after_title(ctx: Context, subject: list[int], named: Sequence[Named]) -> tuple[int, int] | None:
    """The span of a name the recognizer missed or cut, closing a title phrase:
    المبعوث الأممي إلى اليمن هانس غروندبرغ، رئيس الوزراء البريطاني كير ستارمر خلال …

    Two or three unknown words, the first without the article, after a title head and before
    the end of the reporting clause or a circumstance (خلال، في …).
    """
    toks = ctx.tokens
    if not any(stem_in(toks[k], TITLE_HEADS) for k in subject[:2]) and not (
            toks[subject[0]].norm.startswith("ال") and any(toks[k].norm in FIRST_NAMES for k in subject[1:4])):
        return None  # (المستثمرة العقارية نورة خليفة البنعلي: a described person)
    run: list[int] = []
    for k in subject:
        if run and (k != run[-1] + 1 or ctx.gap(k - 1, k).strip()):
            if len(run) >= 2:
                break  # a comma after the name ends the phrase
            run = []
        if _names_audience(toks[k]) or toks[k].norm in SPEECH_EVENT_NOUNS and toks[k - 1].norm in ("في", "خلال"):
            break  # ماثيو ميلر للصحفيين، في مؤتمر صحفي: whom he told, or where, ends the name
        in_entity = any(n.start < toks[k].end and toks[k].start < n.end for n in named if n.type != "PER")
        after_family = len(run) >= 2 and toks[run[-1]].norm.startswith("ال") and not toks[k].norm.startswith("ال") \
            and toks[k].norm not in FIRST_NAMES and toks[k].norm not in NAME_BINDERS
        if _name_like(toks[k], first=not run) and not in_entity and not after_family:
            run.append(k)
            continue
        if len(run) >= 2 and toks[k].norm in ROLE_STOP_WORDS:
            break
        run = []
    if len(run) > 3:  # بنك استثمار محلي | منى الشاذلي: the name starts at a first name
        run = run[next((i for i, k in enumerate(run) if toks[k].norm in FIRST_NAMES), 0):]
    if not 2 <= len(run) <= 3 or run[0] == subject[0] or toks[run[0] - 1].norm in FUNCTION_WORDS:
        return None  # عن دائرة الزرقاء: a place after a preposition, not a name
    return toks[run[0]].start, toks[run[-1]].end


def _name_like(tok: Token, first: bool) -> bool:
    w = tok.norm
    if len(w) < 2 or not w.isalpha() or w in _NOT_NAME_WORDS or stem_in(tok, TITLE_HEADS):
        return False
    if first and w.endswith("ه") and w not in FIRST_NAMES:
        return False  # دائرة، هيئة: a noun in construct, not a first name
    return not (first and w.startswith(("ال", "لل", "بال", "وال")) and w not in ARTICLE_FIRST_NAMES)


def _subject_tokens(ctx: Context, idx: range) -> list[int]:
    """The clause's words outside marks, without إن/أن and the إلى/على/أيضا at either end
    (none when the clause only says where it was written: وكتبت على منصة "إكس")."""
    words = [k for k in idx if not ctx.in_pair[k]]
    if len(words) >= 2 and ctx.tokens[words[0]].norm == "علي" and ctx.tokens[words[1]].norm in _PLATFORMS:
        return []
    while words and ctx.tokens[words[0]].norm in _SUBJECT_EDGES:
        words.pop(0)
    while words and ctx.tokens[words[-1]].norm in _SUBJECT_EDGES and not (
            len(words) > 1 and ctx.tokens[words[-1]].text.endswith("ي") and ctx.tokens[words[-2]].norm in NAME_BINDERS):
        words.pop()  # (… آيت علي: the name علي closing a name, not على)
    return words


def _subject_after_amma(ctx: Context, v: int) -> list[int]:
    """The topic of أما … ف, which is the subject: "أما المجلس الأعلى للدولة، فقد ادعى …"،
    "أما الصايغ فيختم …" (up to the first comma: what follows it describes the topic)."""
    toks = ctx.tokens
    if not ctx.amma:
        return []
    sent = ctx.token_range(ctx.sentence_starts[ctx.sentence_of(toks[v].start)], toks[v].start)
    if len(sent) < 2 or toks[sent[0]].norm not in ("اما", "واما"):
        return []
    fa = next((k for k in range(sent[0] + 2, v + 1) if toks[k].norm in ("فقد", "فان")
               or toks[k].norm[0] == "ف" and (toks[k].norm[1:] in VERBS or k == v)), None)
    if fa is None or breaks_clause(ctx, toks[fa].end, toks[v].start) or toks[sent[0] + 1].norm in FUNCTION_WORDS:
        return []  # أما وزارة العدل فاكتفت … بالقول إن؛ not a place topic: أما في عين التينة، فيكتفي …
    topic = []
    for k in range(sent[0] + 1, fa):
        if ctx.comma_before[k] and topic:
            apposed = apposed_name(ctx, toks[k - 1].end)  # أما المتحدث باسم المجلس، فتحي العبيدي، فقد
            return topic + [j for j in range(k, fa)] if apposed is not None else topic
        topic.append(k)
    return topic


def _relayed_before(ctx: Context, v: int) -> list[int]:
    """The source of "ونقلا عن X، <verb>": the words between عن and the comma."""
    if not ctx.relayed:
        return []
    sent = ctx.token_range(ctx.sentence_starts[ctx.sentence_of(ctx.tokens[v].start)], ctx.tokens[v].start)
    if len(sent) < 3 or ctx.tokens[sent[0]].norm not in ("نقلا", "ونقلا") or ctx.tokens[sent[1]].norm != "عن":
        return []
    source = []
    for k in range(sent[1] + 1, sent.stop):
        if ctx.comma_before[k] and source:
            break
        source.append(k)
    return source


def _subject_before_qad(ctx: Context, v: int) -> list[int]:
    """The subject between كان and قد before the verb: وكانت الوزيرة قد صرحت …"""
    toks = ctx.tokens
    if v < 3 or toks[v - 1].norm != "قد" or ctx.gap(v - 1, v).strip():
        return []
    for k in range(v - 2, max(v - 2 - TITLE_TO_NAME_TOKENS, -1), -1):
        if toks[k].norm in _WAS or ctx.break_before[k + 1]:  # (وكان الوزير، إتيان مورو، قد صرح)
            return list(range(k + 1, v - 1)) if toks[k].norm in _WAS else []
    return []


def _starts_with_adjunct(ctx: Context, k: int) -> bool:
    """في تصريحات، خلال اللقاء، بصوت خافت …: a subjectless verb followed by a circumstance."""
    tok = ctx.tokens[k]
    if tok.norm in ROLE_STOP_WORDS:
        return True
    return tok.norm.startswith("ب") and len(tok.norm) > 3 and tok.norm not in FIRST_NAMES \
        and not ctx.named_in(tok.start, tok.end + 1)


def _quoted_source(ctx: Context, v: int, idx: range) -> range | None:
    """The tokens naming the source when an outlet quotes someone: نقلت X عن Y قوله / نقلا عن Y."""
    if not idx:
        return None
    if bare(ctx.tokens[v]) not in ("نقل", "نقلت") and not (
            ctx.relayed and "نقل" in ctx.text[ctx.tokens[idx.start].start:ctx.tokens[idx.stop - 1].end]):
        return None  # نقلت X عن، نقلا عن، بحسب ما نقلته X عن
    for k in idx:
        if ctx.tokens[k].norm == "عن":
            return range(k + 1, idx.stop)
    return None


def _earlier_subject(ctx: Context, v: int) -> Speaker:
    """For a participle (…، قائلا), the subject of a reporting verb earlier in its sentence."""
    sent = ctx.sentence_starts[ctx.sentence_of(ctx.tokens[v].start)]
    main = _main_verb(ctx, ctx.token_range(sent, ctx.tokens[v].start))
    if main is None:  # وتدخل عبد الوهاب متسائلا؛ غير أن جمعيات حقوقية … نددت …، محذرة
        opening = _named_after_opening(ctx, ctx.token_range(sent, ctx.tokens[v].start))
        return opening if opening.found else _opening_source(ctx, v)
    tok = ctx.tokens[main]
    c = complementizer_after(ctx, main, v)
    # The verb's own report's clause when it has one (its speaker is then found once); else
    # up to the first comma: "لكنه نفى إرسال …، مضيفا" has an object, no subject, after it.
    end = ctx.tokens[c].start if c is not None else clause_end(ctx.text, tok.end, ctx.tokens[v].start)
    speaker = speaker_of(ctx, main, tok.end, end)
    if speaker.unnamed and not _is_role_head(ctx, tok.end):
        return NOBODY  # لكنه نفى إرسال …، مضيفا: the object of the verb is no speaker
    if speaker.unnamed:
        return apposed_name(ctx, end) or speaker  # وعلق رئيس الجمعية …، عبد الرحيم الطاهري، … قائلا
    return speaker


def _opening_source(ctx: Context, v: int) -> Speaker:
    """The source noun opening the sentence of verb v (لكن مصادر عسكرية في بنغازي …), which a
    later pronoun or participle refers back to; NOBODY if the sentence opens otherwise."""
    idx = ctx.token_range(ctx.sentence_starts[ctx.sentence_of(ctx.tokens[v].start)], ctx.tokens[v].start)
    first = next((k for k in idx[:3] if ctx.tokens[k].norm not in _LEADING_CONJUNCTIONS), None)
    if first is None or _without_conjunction(ctx.tokens[first].norm) not in SOURCE_NOUNS:
        return NOBODY
    phrase = [first]
    for k in range(first + 1, idx.stop):
        if _verb_like(ctx, k):
            break  # مصادر عسكرية في بنغازي | شككت …
        phrase.append(k)
    role = _role_phrase(ctx, phrase)
    return Speaker(role, "", True) if role else NOBODY


def _verb_like(ctx: Context, k: int) -> bool:
    """A verb after a subject: a known one, or a past form in ت agreeing with a plural
    source (شككت، نددت) that no name holds."""
    tok = ctx.tokens[k]
    if bare(tok) in VERBS or tok.norm in COMMON_VERBS:
        return True
    w = tok.norm
    return w.endswith("ت") and not w.endswith("ات") and not w.startswith("ال") and len(w) >= 4 \
        and not ctx.named_in(tok.start, tok.end + 1)


def apposed_name(ctx: Context, comma: int) -> Speaker | None:
    """A person's name set off by commas right after `comma`."""
    if ctx.text[comma:comma + 1] not in ("،", ","):
        return None
    after = ctx.named_in(comma, comma + 80)
    if not after or after[0].type != "PER" or ctx.text[after[0].end:after[0].end + 1] not in ("،", ","):
        return None
    between = ctx.token_range(comma, after[0].start)
    if len(between) > 1 or any(not stem_in(ctx.tokens[k], TITLE_HEADS) and not _nisba_like(ctx.tokens[k])
                               for k in between):
        return None  # (، المحامي ياسر حامد النور،؛ ، البرتغالي جواو فيريرا،: a title or nationality first)
    return after[0].speaker()


def _nisba_like(tok: Token) -> bool:
    """A definite relative adjective (البرتغالي، الفرنسية): a nationality before a name."""
    w = tok.norm
    return w.startswith("ال") and w.endswith(("ي", "يه")) and len(w) > 5


def _is_role_head(ctx: Context, pos: int) -> bool:
    """Whether the first word after `pos` heads a role (رئيس، مصدر، المتحدث)."""
    idx = ctx.token_range(pos, len(ctx.text))
    if not idx:
        return False
    tok = ctx.tokens[idx[0]]
    return stem_in(tok, TITLE_HEADS) or tok.norm in SOURCE_NOUNS or tok.norm in _SENIOR


def _main_verb(ctx: Context, idx: range) -> int | None:
    """The last reporting verb of these tokens that is not inside a reported clause.

    After إن/أن everything is reported content (بلادها أبلغت …) until a comma opens a new
    clause of the writer's (، فيما أعلنت …، وأكد …).
    """
    main, embedded = None, False
    for k in idx:
        tok = ctx.tokens[k]
        if k > idx.start and ctx.comma_before[k] and (
                tok.norm in CLAUSE_TAIL_WORDS or (is_reporting_verb(tok) and tok.norm[0] in "وف")):
            embedded = False
        if tok.norm in COMPLEMENTIZERS and not (k > 0 and ctx.tokens[k - 1].norm in _BUT_WORDS):
            embedded = True  # (غير أن، إلا أن: "however", no report)
        elif not embedded and is_reporting_verb(tok) and not is_continuation(tok) \
                and not ctx.in_pair[k]:
            main = k
    return main


def _role_phrase(ctx: Context, subject: list[int]) -> str:
    """The noun phrase after the verb: 'مصدر في المنظمة'، 'المتحدث باسم الوزارة'، 'أم خالد'."""
    toks = ctx.tokens
    taken: list[int] = []
    cut = len(ctx.text)  # where a circumstance or an audience (للصحفيين) ended the phrase
    for k in subject:
        if taken and (k != taken[-1] + 1 or ctx.gap(k - 1, k).strip()):
            break
        w = toks[k].norm
        if not taken and w in NAME_BINDERS and k + 1 in subject:
            taken.append(k)  # a kunya: أم خالد، أبو محمد
            continue
        if taken and (w in _role_links(_source_head(toks[_role_head(toks, taken)].norm))
                      or SOURCE_COMPLEMENTS.get(toks[taken[-1]].norm) == w) \
                and _role_continues(ctx, k, subject):
            taken.append(k)
            continue
        if taken and toks[taken[0]].norm in DOCUMENT_NOUNS and _relative_verb(w):
            break  # تقرير فني | أعدته لجنة …: who wrote it, in a relative clause
        if taken and _object_after_definite_title(toks[taken[0]], toks[k]) \
                and all(toks[t].norm.endswith(("ي", "يه")) for t in taken[1:]):
            break  # ودعا الوزير المواطنين إلى …: the object, not part of the title
        if len(taken) == 1 and _outlet_name_at(ctx, taken[0], k, subject):
            taken.extend(_outlet_name_at(ctx, taken[0], k, subject))  # صحيفة لا خورنادا
            break
        if taken and w == "من" and k + 1 in subject and toks[k + 1].norm in ("عمره", "عمرها"):
            taken.append(k)  # امرأة في الأربعين من عمرها
            continue
        if taken and w == "غير" and k + 1 in subject and toks[k + 1].norm.startswith("ال") \
                or taken and w in ("العام", "العامه") and stem_in(toks[taken[-1]], TITLE_HEADS):
            taken.append(k)  # مكافحة الهجرة غير الشرعية؛ الأمين العام (not the year)
            continue
        if w in ROLE_STOP_WORDS or w in _DESCRIBING or _names_audience(toks[k]) or _to_outlet(ctx, k) \
                or (len(taken) >= 2 and _is_adverbial(ctx, k)) \
                or _past_spokesman_of(toks, taken, k) or (taken and (w in _RELATIVE_VERBS or _verb_like(ctx, k))):
            # المتحدث باسم الحكومة | وجود …؛ امرأة في الأربعين من عمرها | وصلت …
            cut = toks[k].start
            break
        taken.append(k)
        if len(taken) == MAX_ROLE_TOKENS:
            break
    while taken and toks[taken[-1]].norm in ("في", "عن", "من", "علي"):
        taken.pop()
    if not taken:
        return ""
    start, end = toks[taken[0]].start, toks[taken[-1]].end
    marked = _marked_name_after(ctx, taken[-1])
    if marked is not None and len(taken) > 1:
        end = marked  # نواب في كتلة "التوافق"
    lo = bisect_left(ctx.named_starts, start)
    for n in ctx.named[lo:bisect_left(ctx.named_starts, end)]:
        if n.end <= cut:
            end = max(end, n.end)  # a name the phrase cut short: مصدر مقرب من رئيس الوزراء محمد شياع السوداني
    if _source_head(toks[taken[0]].norm) != toks[taken[0]].norm:
        start += 1  # وفقا لمصادر في المجلس: the source, without the preposition
    return ctx.text[start:end]


def _marked_name_after(ctx: Context, k: int) -> int | None:
    """The end of a short name in marks right after an indefinite organization noun (كتلة
    "التوافق"، حزب "النهضة")."""
    tok = ctx.tokens[k]
    if k + 1 >= len(ctx.tokens) or ctx.in_pair[k] or not ctx.in_pair[k + 1] or tok.norm.startswith("ال") \
            or not (stem_in(tok, ORG_HEADS) or tok.norm in _BLOCS):
        return None
    p = bisect_left(ctx.pair_starts, tok.end)
    if p == len(ctx.pairs) or not ctx.text[tok.end:ctx.pairs[p].start].isspace() \
            or len(ctx.token_range(ctx.pairs[p].start, ctx.pairs[p].end)) > 4:
        return None
    return ctx.pairs[p].end


def _role_head(toks: Sequence[Token], taken: list[int]) -> int:
    """The noun a role phrase is about: ثلاثة | مندوبين في التحالف."""
    if len(taken) > 1 and toks[taken[0]].norm in NOT_NAME_WORDS and toks[taken[1]].norm in SOURCE_NOUNS:
        return taken[1]
    return taken[0]


def _source_head(word: str) -> str:
    """A source noun without the ل of وفقا لـ (لمصادر -> مصادر); any other word as it is."""
    return word[1:] if word[:1] == "ل" and word[1:] in SOURCE_NOUNS else word


_RELATIVE_GAP_RE = re.compile(r"\s*(\([^()]{1,20}\))?\s*[،,]\s*")  # an acronym between a name and its comma
_DATELINE_GAP_RE = re.compile(r"[\s()]*[-–—][\s()]*")  # القاهرة (رويترز) - …
_BELONGING = frozenset({"تابع", "تابعه", "تابعين", "تابعون", "التابع", "التابعه", "موالي", "مواليه", "مقرب", "مقربه"})
# Verbs of a relative clause after a source (مسؤول طلب عدم الكشف عن اسمه، خبير تحدث إلى …).
_RELATIVE_VERBS = frozenset({"طلب", "طلبت", "رفض", "رفضت", "فضل", "فضلت", "تحدث", "تحدثت", "اشترط", "اشترطت"})
_FOREIGN_PARTICLES = frozenset({"لا", "لو", "لي", "دي", "دو", "دير", "ال", "ذا", "دا", "اي"})


def _outlet_name_at(ctx: Context, head: int, k: int, subject: list[int]) -> list[int]:
    """After an indefinite outlet noun (صحيفة، قناة), a foreign name opened by an article or
    particle (لا خورنادا، لو موند، دي فيلت، إل باييس): the tokens of that name, else []."""
    toks = ctx.tokens
    if toks[head].norm not in AUDIENCE_WORDS or toks[head].norm.startswith("ال") \
            or toks[k].norm not in _FOREIGN_PARTICLES:
        return []
    run = [k]
    for j in range(k + 1, min(k + 3, len(toks))):
        if j not in subject or ctx.gap(j - 1, j).strip() or not _name_like(toks[j], first=False) \
                or toks[j].norm in COMPLEMENTIZERS:
            break
        run.append(j)
    return run if len(run) >= 2 else []


def _past_spokesman_of(toks: Sequence[Token], taken: list[int], k: int) -> bool:
    """Whether word k comes after the noun of باسم and is not one of its adjectives (nor the
    place after في: الناطق باسم وزارة الصحة في غزة)."""
    if not taken or toks[taken[-1]].norm == "في":
        return False
    after = [t for t in taken if t > taken[0]]
    named_by = next((i for i, t in enumerate(after) if toks[t].norm == "باسم"), None)
    if named_by is None or named_by == len(after) - 1:
        return False
    w = toks[k].norm
    if named_by == len(after) - 2 and not toks[after[-1]].norm.startswith("ال") and w.startswith("ال"):
        return False  # باسم مجلس | النواب: an indefinite noun takes its genitive
    return not (w.startswith("ال") and (w.endswith(("ي", "يه")) or w in TITLE_COMPLEMENTS))  # القوات المسلحة


def _object_after_definite_title(head: Token, tok: Token) -> bool:
    """After a definite title (الوزير) only an adjective or a complement continues it (not
    المواطنين in ودعا الوزير المواطنين، nor صورة in نشر اللاعب صورة)."""
    if not (head.norm.startswith("ال") and head.norm in TITLE_HEADS):
        return False
    w = tok.norm
    if not w.startswith("ال"):
        return w.endswith("ه") and w not in FIRST_NAMES and len(tok.stems) == 1  # an indefinite noun, no name
    return not w.endswith(("ي", "يه")) and w not in TITLE_COMPLEMENTS and w not in TITLE_ADJECTIVES


def _is_adverbial(ctx: Context, k: int) -> bool:
    """An indefinite accusative after the subject (…، طالبا عدم ذكر اسمه): not part of a role."""
    w = ctx.tokens[k].norm
    return len(w) >= 4 and w.endswith("ا") and not w.endswith("ها") and not w.startswith("ال") and not ctx.named_in(
        ctx.tokens[k].start, ctx.tokens[k].end)


def _role_links(head: str) -> tuple[str, ...]:
    """Prepositions a role phrase may go on through after this head word: مندوب إسرائيل لدى
    الأمم المتحدة، النائب عن الدائرة، معلمة في مخيم أطمة."""
    if head in REPRESENTATIVE_HEADS:
        return ("في", "عن", "لدي")
    if head in SOURCE_NOUNS:
        return ("في", "لدي", "من", "داخل")  # مصدر من الاتحادية الجزائرية لكرة القدم، مصدر داخل الإدارة
    if head in TITLE_HEADS:
        return ("في", "لدي")
    return () if head.startswith("ال") or head in ORG_HEADS or head in DOCUMENT_NOUNS else ("في",)


def _role_continues(ctx: Context, k: int, subject: list[int]) -> bool:
    """'في' inside a role (مصدر في المنظمة) rather than before a circumstance (في بيان)."""
    nxt = k + 1
    if nxt not in subject or ctx.gap(k, nxt).strip():
        return False
    w = ctx.tokens[nxt].norm
    noun = w[2:] if w.startswith("ال") and len(w) > 4 else w  # في المؤتمر الصحفي: a circumstance
    return not stem_in(ctx.tokens[nxt], SPEECH_EVENT_NOUNS) and noun not in SPEECH_EVENT_NOUNS \
        and not w[:1].isdigit()


def _to_outlet(ctx: Context, k: int) -> bool:
    """ل + a known organization (لرويترز، لبي بي سي): whom the speaker told, not the speaker
    (but وسائل إعلام تابعة للحوثيين: whose)."""
    tok = ctx.tokens[k]
    if not tok.norm.startswith("ل") or len(tok.norm) < 4 or k and ctx.tokens[k - 1].norm in _BELONGING \
            or k and ctx.tokens[k - 1].norm in ("العام", "العامه"):
        return False  # (الأمانة العامة لمجلس التعاون: whose)
    return any(n.type == "ORG" and n.start in (tok.start, tok.start + 1) for n in ctx.named_in(tok.start, tok.end + 200))


def _names_audience(tok: Token) -> bool:
    """لوكالة، للصحفيين، لـ: whom the speaker spoke to, which ends the speaker's phrase."""
    w = tok.norm
    if w == "ل":
        return True
    if w.startswith("لل"):
        return "ال" + w[2:] in AUDIENCE_WORDS
    return w.startswith("ل") and w[1:] in AUDIENCE_WORDS
