"""Organization extents, and the merge of a statistical tagger's spans with the rules' ones.

Merge policy (watchlist > gazetteer and triggers > tagger):
- a tagged span that no rule candidate overlaps is added (rank RANK_STAT), a person only if
  one of its words can be a name (not "ولي العهد السعودي"); a tagger that reports confidence
  (none does now: crfsuite's marginals cost too much time) is heard above MIN_CONFIDENCE;
- a tagged person that turns out to be a later mention of someone named in full gives way to
  the in-article link (entities.py), so "ووستر" stays with "هنري ووستر";
- a titled person whose name the tagger ends earlier is cut where the tagger ends it
  ("المشير خليفة حفتر الصمت" -> "خليفة حفتر"); watchlist names are never changed;
- an organization the tagger extends over a rule match (البنك المركزي + المصري) takes the
  tagger's extent;
- a geonames-only place the tagger does not confirm is dropped (geonames holds many words
  that are also common nouns; the CRF knows their context).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from .candidates import RANK_CURATED, RANK_GEONAMES, RANK_STAT, RANK_TITLED, RANK_WATCH, Candidate
from .features import Hint
from .gazetteer import Gazetteer, Match
from .lexicon import (
    ARTICLE_FIRST_NAMES,
    COMMON_VERBS,
    COMMON_WORDS,
    CONTINUATION_VERBS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    NAME_BINDERS,
    NOT_NAME_WORDS,
    ORG_ADJECTIVES,
    ORG_HEADS,
    REPORTING_VERBS,
    TIME_WORDS,
    TITLE_ADJECTIVES,
    TITLE_COMPLEMENTS,
    TITLE_HEADS,
    WAW_NAMES,
)
from .normalize import TATWEEL, Token, norm_words, original_offset, with_proclitics
from .reporting import AUDIENCE_WORDS, COMPLEMENTIZERS

# Every written form of an ORG head with its proclitics (وبالوزارة، للجيش …): one set lookup.
_ORG_HEAD_FORMS = with_proclitics(ORG_HEADS)
MIN_CONFIDENCE = 0.8
_MAX_COMPLEMENTS = 2
_DESCRIPTIVE_HEADS = frozenset({"النادي", "الشركه", "المنظمه", "الجماعه", "الصحيفه", "القناه",
                                "المستشفي", "الفريق", "الحركه", "الحزب", "الوكاله"})
_KIN = frozenset({"زوج", "زوجه", "ابن", "ابنه", "بنت", "والد", "والده", "ام", "اب", "اخ", "اخت", "شقيق",
                  "شقيقه", "عم", "عمه", "خال", "خاله", "جد", "جده", "حفيد", "حفيده", "صديق", "صديقه", "جار",
                  "جاره", "زميل", "زميله", "رفيق", "رفيقه", "نجل", "نجله", "كريمه", "ارمله"})
_ORDINALS = frozenset({"الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع",
                       "العاشر"})  # محمد الخامس، عبدالله الثاني: a regnal number closes a name
_KUNYA = frozenset({"ام", "ابو"})  # normalized أم، أبو
_STAFF_RANKS = frozenset({"ركن"})  # اللواء ركن …
_PATRONYMIC = frozenset({"بن", "ابن", "بنت", "ابنه", "منت", "ولد"})  # … son or daughter of …
_FAMILY_TITLES = frozenset({"الشيخ", "السيد"})  # also family names: أحمد الشيخ، رفعت السيد
_ROYAL_TITLES = frozenset({"الملك", "الامير", "الشيخ", "السلطان"})
# Security forces named by a generic word and a country's nisba (الشرطة الإسبانية، خفر السواحل
# اليمني، الحرس المدني الإسباني): not ORG heads (the CRF features stay as trained), but a
# nisba after them, or after a listed name they begin, makes or widens an organization.
_FORCE_HEAD_FORMS = with_proclitics(frozenset({"الشرطه", "شرطه", "الحرس", "حرس", "خفر"}))
# A ministry is named by its head and a definite noun (وزارة الثقافة، وزارة التربية والتعليم).
_HONORIFIC_HEADS = frozenset({"معالي", "سعاده", "فخامه", "سمو", "مولانا"})
_COURT_FORMS = with_proclitics(frozenset({"محكمه", "المحكمه"}))
_MINISTRY_FORMS = with_proclitics(frozenset({"وزاره"}))
_PARTY_FORMS = with_proclitics(frozenset({  # their definite word is the name: نقابة المعلمين
    "حزب", "تيار", "جبهه", "ائتلاف", "نقابه", "رابطه", "جمعيه", "اتحاد", "محكمه"}))
_TYPES = ("PER", "LOC", "ORG")
_VERBS = COMMON_VERBS | REPORTING_VERBS | CONTINUATION_VERBS
_NOT_NAME = TITLE_HEADS | TITLE_COMPLEMENTS | TITLE_ADJECTIVES | ORG_HEADS | FUNCTION_WORDS | TIME_WORDS


class TaggedSpanLike(Protocol):
    first: int
    last: int
    type: str
    confidence: float


class Tagger(Protocol):
    """A statistical tagger: entity spans over the tokens of a text, given the rules' hints."""

    def tag(self, text: str, tokens: Sequence[Token], hints: Sequence[Hint]) -> Sequence[TaggedSpanLike]: ...


@dataclass(frozen=True, slots=True)
class _MendedSpan:
    first: int
    last: int
    type: str
    confidence: float


def mend_persons(text: str, tokens: Sequence[Token], gaz: Gazetteer,
                 tagged: Sequence[TaggedSpanLike]) -> list[TaggedSpanLike]:
    """The tagger's persons completed where it cuts a name: a binder left without its word
    (القيادي عبد | الملك), the second half of محمد الأمين, a family name that is also a title
    (أحمد الشيخ،), an unknown first name before a father's name (رضوى | عادل منصور), a word
    before a first name that is no name (المواطن محمد), two halves of one name tagged apart
    (طارق | المالكي)."""
    out: list[TaggedSpanLike] = []
    for span in sorted(tagged, key=lambda s: s.first):
        if span.type != "PER":
            out.append(span)
            continue
        first, last = span.first, _right_end(text, tokens, gaz, span.first, span.last)
        if last - first >= 2 and tokens[first].norm in gaz.nisbas and tokens[first].norm.startswith("ال"):
            first += 1  # البلجيكي | يان فان دير بيرغ: a nationality before the name
        set_off = _name_units(text, tokens, first, last) <= 2 and _set_off(text, tokens, first - 1, last) \
            and _space_before(text, tokens, first) and _unknown_name_word(text, tokens, gaz, first - 1, set_off=True)
        if set_off and out and out[-1].type != "PER" and (out[-1].first, out[-1].last) == (first - 1, first):
            out.pop()  # …، بيترا (a place?) شولتس-هوفمان، …: the first name of someone set off by commas
        free = out[-1].last if out else 0  # tokens before this one belong to no other span
        if set_off and first - 1 >= free:
            first -= 1  # …، أماندا | كولينز، …: a name set off by commas
        first = _left_start(text, tokens, gaz, first, last, free)
        before = out[-1] if out else None
        if before is not None and before.type == "PER" and before.last == first and _space_before(text, tokens, first) \
                and tokens[first - 1].norm not in _ORDINALS:
            first = out.pop().first  # (جامعة محمد الخامس | يونس آيت بلعيد: a regnal number ends a name)
        if (first, last) != (span.first, span.last):
            span = _MendedSpan(first, last, "PER", span.confidence)
        out.append(span)
    return out


def _right_end(text: str, tokens: Sequence[Token], gaz: Gazetteer, first: int, last: int) -> int:
    """Where a tagged name really ends: after the word a binder binds, the second half of a
    compound first name, a family name that is also a title, or family words (_family_after)."""
    while last < len(tokens) and _space_before(text, tokens, last) and (
            tokens[last - 1].norm in NAME_BINDERS and (tokens[last].norm not in FUNCTION_WORDS
                                                       or tokens[last].text.endswith("ي"))
            or compound_first_name(tokens, last)
            or family_title_word(text, tokens, last)):
        last += 1
    if any(_first_name(tokens[t]) or tokens[t].norm in NAME_BINDERS for t in range(first, last)):
        last = _family_after(text, tokens, gaz, first, last)  # ليلى عبد الرحيم | مرسال،؛ عباس | كاظم الساعدي أن
    return last


def _left_start(text: str, tokens: Sequence[Token], gaz: Gazetteer, first: int, last: int, free: int) -> int:
    """Where a tagged name really starts: before the first names, kunya or unknown first name
    that precede it (tokens before `free` belong to another span), or after a word with the
    article that is no name (المواطن | محمد)."""
    while last - first <= 2 and first - 1 >= free and _first_name(tokens[first]) and _space_before(text, tokens, first) \
            and (tokens[first - 1].norm in FIRST_NAMES and tokens[first - 1].norm not in COMMON_WORDS
                 or tokens[first - 1].norm == "علي" and tokens[first - 1].text.endswith("ي")):
        first -= 1  # علي كامل | ياسين: the first names before a name
    if first - 1 >= free and _first_name(tokens[first]) and tokens[first - 1].norm in _KUNYA \
            and _space_before(text, tokens, first):
        return first - 1  # أم | خالد، أبو | أحمد: a kunya
    if last - first >= 2 and (_first_name(tokens[first]) or tokens[first].norm in ("عبد", "ابو")):
        if first - 1 >= free and _space_before(text, tokens, first) and (
                _unknown_name_word(text, tokens, gaz, first - 1) if _first_name(tokens[first])
                else tokens[first - 1].norm in FIRST_NAMES):  # جميل | عبد الله (not عائلة | أبو جمال)
            return first - 1
        if first - 2 >= free and tokens[first - 1].norm in _PATRONYMIC and _space_before(text, tokens, first) \
                and _space_before(text, tokens, first - 1) \
                and (_first_name(tokens[first - 2]) or _unknown_name_word(text, tokens, gaz, first - 2)):
            return first - 2  # مريم منت | أحمد سالم
        return first
    if last - first >= 2 and tokens[first].text.startswith("ال") and not _first_name(tokens[first]) \
            and (_first_name(tokens[first + 1]) or tokens[first + 1].norm in NAME_BINDERS):
        return first + 1  # المواطن | محمد (not ألفة بن عمار: أل of the name, not the article)
    return first


def _family_after(text: str, tokens: Sequence[Token], gaz: Gazetteer, first: int, last: int) -> int:
    """The end of a name the tagger cut: up to two more name words, the last one before what
    closes a name (punctuation, إن/أن, قوله, لـ): ليلى عبد الرحيم | مرسال،؛ لبنى حسين |
    الشاذلي:؛ عباس | كاظم الساعدي أن؛ فراس جمال | بلاسمة أن (not متسائلا، not حفتر | الصمت)."""
    end = last
    for k in range(last, min(last + 2, len(tokens))):
        if not _space_before(text, tokens, k) or not _family_word(text, tokens, gaz, k):
            break
        if _closes_name(text, tokens, k) or k == last and last - first >= 2 and _nisba_family(tokens, gaz, k):
            end = k + 1  # (حيدر كاظم | الموسوي أكياس …: a family name in ي needs nothing after it)
            break
    return end if end - first <= 4 else last


def _nisba_family(tokens: Sequence[Token], gaz: Gazetteer, k: int) -> bool:
    w = tokens[k].norm
    return tokens[k].text.startswith("ال") and w.endswith("ي") and len(w) > 5 and w not in gaz.nisbas \
        and w not in NOT_NAME_WORDS and w not in _NOT_NAME


def _family_word(text: str, tokens: Sequence[Token], gaz: Gazetteer, k: int) -> bool:
    w = tokens[k].norm
    if tokens[k].text.startswith("ال"):
        return w not in gaz.nisbas and w.endswith("ي") \
            and not any(s in _NOT_NAME or s in _VERBS for _s, s in tokens[k].stems)
    if w == "علي" and not tokens[k].text.endswith("ي"):
        return False  # على, the preposition
    if len(tokens[k].stems) > 1 and w[:1] == "ب" and w not in FIRST_NAMES and not (
            k + 1 < len(tokens) and tokens[k + 1].norm in COMPLEMENTIZERS and _space_before(text, tokens, k + 1)):
        return False  # قال محمود بحسرة: (with regret), but فراس جمال بلاسمة أن
    return w in FIRST_NAMES or _unknown_name_word(text, tokens, gaz, k, family=True) and not w.endswith("ا")


def _closes_name(text: str, tokens: Sequence[Token], k: int) -> bool:
    """Whether a name could end with token k: punctuation, إن/أن/قوله or whom it was told
    (لـ، لوكالة) follows it."""
    if text[tokens[k].end:tokens[k].end + 1] in ("،", ",", ":", ".", "؛") or k + 1 >= len(tokens):
        return True
    nxt = tokens[k + 1]
    return nxt.norm in COMPLEMENTIZERS or nxt.norm in ("قوله", "قولها") \
        or nxt.norm == "ل" or nxt.norm[:1] == "ل" and nxt.norm[1:] in AUDIENCE_WORDS


def compound_first_name(tokens: Sequence[Token], k: int) -> bool:
    """الأمين after محمد is the second half of a first name (محمد الأمين), not the title
    الأمين العام."""
    return k > 0 and tokens[k].norm == "الامين" and tokens[k - 1].norm in FIRST_NAMES \
        and (k + 1 >= len(tokens) or tokens[k + 1].norm != "العام")  # محمد الأمين، عمر الأمين


def _set_off(text: str, tokens: Sequence[Token], first: int, last: int) -> bool:
    """Tokens [first, last) stand between commas."""
    return first > 0 and last < len(tokens) and text[tokens[first - 1].end:tokens[first].start].strip() in ("،", ",") \
        and text[tokens[last - 1].end:tokens[last].start].strip() in ("،", ",")


def _unknown_name_word(text: str, tokens: Sequence[Token], gaz: Gazetteer, k: int, set_off: bool = False,
                       family: bool = False) -> bool:
    """Whether token k, next to a name, can be a name the lists lack (رضوى، ألفة before a
    father's name, مرسال after it): an unprefixed word that is no title, verb, nisba or listed
    place (a one-word place may start a name set off by commas: بيترا شولتس-هوفمان)."""
    if k < 0:
        return False
    tok = tokens[k]
    w = tok.norm
    after_definite = k > 0 and tokens[k - 1].norm.startswith("ال") and w[:1] in "لك" and not w.startswith("لل") \
        and all(stem not in FIRST_NAMES and not stem.startswith("ال") and stem not in AUDIENCE_WORDS
                and (not skip or gaz.entry_for(stem) is None) for skip, stem in tok.stems)  # (not لرويترز)
    family_form = family and all(not stem.startswith("ال") and gaz.entry_for(stem) is None for _s, stem in tok.stems[1:])
    if len(w) < 3 or not w.isalpha() or tok.text.startswith("ال") or (len(tok.stems) > 1 and w not in FIRST_NAMES
                                                                       and not set_off and not after_definite
                                                                       and not family_form):
        return False  # (الطالبة لانا، الكردي كاوه: not ل + انا, ك + اوه, after a definite noun)
    if w.startswith("ي") and w not in FIRST_NAMES or w in _STAFF_RANKS \
            or w.endswith(("ين", "ون", "ات")) and len(w) > 4 and w not in FIRST_NAMES:
        return False  # يتساءل أحمد الزين: a verb before its subject; اللواء ركن X؛ هدفين: a plural or dual
    if not tok.text.endswith("ة") and any(w.endswith(suffix) and (w[:-len(suffix)] in _NOT_NAME or w[:-len(suffix)] in _KIN)
                                         for suffix in ("ها", "هم", "ه", "تها", "ته")):
        return False  # رئيسها سعيد أمزيان، زوجته سعاد حداد: a title or kin with a pronoun
    stems = [w] if after_definite else [stem for _k, stem in tok.stems]
    return not any(stem in _NOT_NAME or stem in _VERBS for stem in stems) and w not in gaz.nisbas \
        and w not in NOT_NAME_WORDS and w not in NAME_BINDERS and (set_off or gaz.entry_for(tok.text) is None) \
        and (k == 0 or tokens[k - 1].norm not in NAME_BINDERS)


def _first_name(tok: Token) -> bool:
    return tok.norm in FIRST_NAMES or tok.norm in ARTICLE_FIRST_NAMES


def _space_before(text: str, tokens: Sequence[Token], k: int) -> bool:
    return not text[tokens[k - 1].end:tokens[k].start].strip()


# --- organization heads and their extent --------------------------------------------------------


def find_headed_organizations(text: str, tokens: Sequence[Token], gaz: Gazetteer,
                              gaz_at: dict[int, Match]) -> list[Candidate]:
    """Organizations found from their head: listed ones widened (حركة + حماس، وزارة الصحة +
    السعودية) and unlisted ones (المعهد الوطني للإحصاء، وكالة السودان للأنباء)."""
    found = [c for m in gaz_at.values() if m.entry.type == "ORG"
             for c in [_widened(text, tokens, gaz, m)] if c is not None]
    for i, tok in enumerate(tokens):
        known = gaz_at.get(i)
        if (known is not None and known.entry.type == "ORG") or not _is_org_head(tok):
            if known is None and tok.norm in _FORCE_HEAD_FORMS and i + 1 < len(tokens) \
                    and tokens[i + 1].norm in gaz.nisbas and tokens[i + 1].norm.startswith("ال") \
                    and _adjacent(text, tokens, i + 1):
                found.append(_org(text, tokens, i, i + 2, tok.start + clitic_skip(tok, gaz), ""))
            continue
        last = _unlisted_extent(text, tokens, gaz, gaz_at, i)
        if last > i + 1 and tok.norm in _COURT_FORMS:
            last = _court_seat(text, tokens, gaz_at, last)
        if last > i + 1:
            org = _org(text, tokens, i, last, tok.start + clitic_skip(tok, gaz), "")
            if tokens[i + 1].norm in _ROYAL_TITLES:  # outranks the person inside: الملك سعود
                org = Candidate(org.first, org.last, org.start, org.end, "ORG", org.name, RANK_TITLED)
            found.append(org)
    return found


def _court_seat(text: str, tokens: Sequence[Token], gaz_at: dict[int, Match], k: int) -> int:
    """A court's name goes on with its seat: محكمة الاستئناف بالرباط، … في الدار البيضاء."""
    if k < len(tokens) and _adjacent(text, tokens, k):
        at = k + 1 if tokens[k].norm == "في" else k
        place = gaz_at.get(at)
        if place is not None and place.entry.type == "LOC" and (at > k or tokens[k].norm.startswith("ب")) \
                and all(_adjacent(text, tokens, t) for t in range(k, place.last)):
            return place.last
    return k


def _widened(text: str, tokens: Sequence[Token], gaz: Gazetteer, m: Match) -> Candidate | None:
    """A listed organization with the head before it or, for generic names, a nisba after it."""
    first, start = m.first, m.start
    if m.first > 0 and m.start == tokens[m.first].start and _is_org_head(tokens[m.first - 1]) \
            and _adjacent(text, tokens, m.first):
        first = m.first - 1
        start = tokens[first].start + clitic_skip(tokens[first], gaz)
    # The nisba names whose the organization is (وزارة الخارجية المصرية is not the American
    # one), so it stays in the name; not after a head and a proper name, which the nisba only
    # describes (جامعة أكسفورد البريطانية).
    head = tokens[m.first]
    end = m.last
    for _portfolio in range(2):  # وزارة الخارجية + والمغتربين، وزارة الداخلية + والجماعات المحلية والتهيئة العمرانية
        if not (head.norm in _MINISTRY_FORMS and end < len(tokens) and _adjacent(text, tokens, end)
                and tokens[end].norm.startswith("وال") and len(tokens[end].norm) > 5 and tokens[end].norm[1:] not in gaz.nisbas):
            break
        end += 1
        if end < len(tokens) and _adjacent(text, tokens, end) and _is_definite_adjective(tokens[end].norm) \
                and tokens[end].norm not in gaz.nisbas:
            end += 1
    generic = m.last - m.first < 2 or tokens[m.first + 1].norm.startswith("ال")
    last = _nisba_run(text, tokens, end, gaz, True) \
        if (_is_org_head(head) and generic) or head.norm in _FORCE_HEAD_FORMS else end
    if (first, last) == (m.first, m.last):
        return None
    name = m.entry.name if last == m.last else f"{m.entry.name} {text[tokens[m.last].start:tokens[last - 1].end]}"
    return _org(text, tokens, first, last, start, name)


def _unlisted_extent(text: str, tokens: Sequence[Token], gaz: Gazetteer, gaz_at: dict[int, Match],
                     i: int) -> int:
    """Index after an unlisted organization whose head is token i, or i + 1 when none.
    (A place behind a preposition is where it is, not its name: جامعة خليفة | بأبوظبي.)

    With the article (المعهد، الاتحاد): head + adjectives (a nisba or an institutional one) +
    an optional genitive (للإحصاء، لكرة القدم). Without (وكالة، مؤسسة): head + at most one word
    + a known place (+ genitive): وكالة السودان للأنباء، مؤسسة كهرباء لبنان.
    """
    n = len(tokens)
    if tokens[i].norm in _DESCRIPTIVE_HEADS:
        return _adjective_and_genitive(text, tokens, i)  # "النادي المصري" describes, no name
    if tokens[i].norm in _PARTY_FORMS and i + 1 < n and _adjacent(text, tokens, i + 1) \
            and tokens[i + 1].norm.startswith("ال") and len(tokens[i + 1].norm) > 4 \
            and tokens[i + 1].norm not in FUNCTION_WORDS and tokens[i + 1].norm not in gaz.nisbas:
        j = i + 2  # حزب التقدم والاشتراكية، جبهة القوى الاشتراكية
        if j < n and _adjacent(text, tokens, j) and tokens[j].norm.startswith("وال") and len(tokens[j].norm) > 4:
            j += 1
        while j < n and _adjacent(text, tokens, j) and tokens[j].norm not in gaz.nisbas and (
                _is_definite_adjective(tokens[j].norm) or tokens[j].norm.startswith("وال")
                and _is_definite_adjective(tokens[j].norm[1:]) and j > i + 2):
            j += 1  # محكمة القطب الجزائي الاقتصادي والمالي
        return _nisba_run(text, tokens, j, gaz, True) if j < n else j
    if tokens[i].norm in _MINISTRY_FORMS and i + 1 < n and _adjacent(text, tokens, i + 1) \
            and tokens[i + 1].norm.startswith("ال") and len(tokens[i + 1].norm) > 4 \
            and tokens[i + 1].norm not in FUNCTION_WORDS and tokens[i + 1].norm not in gaz.nisbas:
        j = i + 2
        while j < n and j - i <= _MAX_COMPLEMENTS and _adjacent(text, tokens, j) and tokens[j].norm not in gaz.nisbas \
                and _is_definite_adjective(tokens[j].norm):
            j += 1  # وزارة الموارد المائية
        for _portfolio in range(2):  # وزارة الداخلية والجماعات المحلية والتهيئة العمرانية
            if not (j < n and _adjacent(text, tokens, j) and tokens[j].norm.startswith("وال") and len(tokens[j].norm) > 4):
                break
            j += 1  # وزارة التربية والتعليم، وزارة الموارد المائية والري
            if j < n and _adjacent(text, tokens, j) and _is_definite_adjective(tokens[j].norm) \
                    and tokens[j].norm not in gaz.nisbas:
                j += 1  # وزارة الفلاحة والصيد البحري
        return _nisba_run(text, tokens, j, gaz, True) if j < n else j
    if i + 1 < n and tokens[i + 1].norm in _ROYAL_TITLES:
        return _named_after(text, tokens, i + 1)  # جامعة الملك سعود، مستشفى الملك فيصل
    if any(s.startswith("ال") for _k, s in tokens[i].stems[-1:]) or tokens[i].norm.startswith("ال"):
        j = i + 1
        while j < n and j - i <= _MAX_COMPLEMENTS and _adjacent(text, tokens, j) \
                and (tokens[j].norm in gaz.nisbas or tokens[j].norm in ORG_ADJECTIVES):
            j += 1
        return _genitive(text, tokens, j) if j > i + 1 else i + 1
    for j in (i + 1, i + 2):
        place = gaz_at.get(j)
        if place is not None and place.entry.type == "LOC" and place.entry.priority >= 1 \
                and place.start == tokens[j].start \
                and all(_adjacent(text, tokens, k) for k in range(i + 1, j + 1)) \
                and (j == i + 1 or tokens[i + 1].norm not in FUNCTION_WORDS):
            return _genitive(text, tokens, _institutional_adjective(text, tokens, place.last))
    return i + 1


def _institutional_adjective(text: str, tokens: Sequence[Token], j: int) -> int:
    """Index after an institutional adjective at j (بنك الكويت + الوطني), or j."""
    if j < len(tokens) and _adjacent(text, tokens, j) and tokens[j].norm in ORG_ADJECTIVES:
        return j + 1
    return j


def _adjective_and_genitive(text: str, tokens: Sequence[Token], i: int) -> int:
    """After a descriptive head, an institutional adjective and a genitive make a name
    (الشركة الوطنية للسكك الحديدية), where a nisba alone only describes (الشركة المصرية)."""
    j = _institutional_adjective(text, tokens, i + 1)
    k = _genitive(text, tokens, j) if j > i + 1 else j
    return k if k > j else i + 1


def _named_after(text: str, tokens: Sequence[Token], j: int) -> int:
    """Index after "royal title + name" at j (الملك سعود، الملك عبد العزيز), or j."""
    k = j + 1
    if k < len(tokens) and tokens[k].norm in NAME_BINDERS:
        k += 1
    if k < len(tokens) and all(_adjacent(text, tokens, t) for t in range(j + 1, k + 1)) \
            and tokens[k].norm not in FUNCTION_WORDS and not tokens[k].norm.startswith(("وال", "بال", "لل")):
        return k + 1
    return j


def _genitive(text: str, tokens: Sequence[Token], j: int) -> int:
    """Index after a genitive complement at j (للأنباء، لكرة القدم، لألعاب القوى) and the
    adjectives that close it (للسكك الحديدية التونسية، لكرة القدم الاحترافية), or j."""
    n = genitive_length(text, tokens, j)
    k = j + n
    while n and k < len(tokens) and k - j - n < _MAX_COMPLEMENTS and _adjacent(text, tokens, k) \
            and _is_definite_adjective(tokens[k].norm):
        k += 1
    return k


def _is_definite_adjective(word: str) -> bool:
    """A definite word shaped like a relative adjective (الحديديه، الاحترافي), not a head."""
    return word.startswith("ال") and len(word) > 5 and word.endswith(("ي", "يه")) \
        and word not in _ORG_HEAD_FORMS


def genitive_length(text: str, tokens: Sequence[Token], j: int) -> int:
    """Tokens in a genitive complement at j: "للأنباء" (1) or "ل + noun + definite noun" (2)."""
    if j >= len(tokens) or not _adjacent(text, tokens, j):
        return 0
    w = tokens[j].norm
    if w.startswith("لل") and len(w) > 4:
        return 1
    if w.startswith("ل") and len(w) >= 3 and w[1:] not in FUNCTION_WORDS and w not in FIRST_NAMES and j + 1 < len(tokens) \
            and tokens[j + 1].norm.startswith("ال") and len(tokens[j + 1].norm) > 3 \
            and _adjacent(text, tokens, j + 1):
        return 2  # لكرة القدم، لألعاب القوى، لشؤون اللاجئين، لطب الأطفال
    return 0


def _org(text: str, tokens: Sequence[Token], first: int, last: int, start: int, name: str) -> Candidate:
    end = tokens[last - 1].end
    return Candidate(first, last, start, end, "ORG", name or name_form(text[start:end]), RANK_CURATED)


def name_form(surface: str) -> str:
    """A mention as a name: the fused preposition undone (للجيش الليبي -> الجيش الليبي)."""
    return "ال" + surface[2:] if surface.startswith("لل") and len(surface) > 4 else surface


def _is_org_head(tok: Token) -> bool:
    return tok.norm in _ORG_HEAD_FORMS


def _adjacent(text: str, tokens: Sequence[Token], k: int) -> bool:
    """Only spaces between token k-1 and token k."""
    return not text[tokens[k - 1].end:tokens[k].start].strip()


def _nisba_run(text: str, tokens: Sequence[Token], k: int, gaz: Gazetteer, headed: bool) -> int:
    """Index after "complements + nisba" from k (الوطني الليبي، والحماية الاجتماعية المغربية), or k.

    Complements are allowed only after a generic head (وزارة، الجيش …), not after a proper name.
    """
    limit = _MAX_COMPLEMENTS if headed else 0
    j = k
    while 0 < j < len(tokens) and j - k <= limit and _adjacent(text, tokens, j):
        word = tokens[j].norm
        if (word in gaz.nisbas or (headed and j == k and word in ORG_ADJECTIVES)) and word.startswith("ال"):
            return j + 1  # also an institutional adjective: وزارة المالية الاتحادية
        if not word.startswith(("ال", "وال")) or j - k == limit or _is_org_head(tokens[j]):
            break
        j += 1
    return k


def person_clitic_skip(text: str, tok: Token, gaz: Gazetteer) -> int:
    """clitic_skip for a person's name; right after a comma, where a name set off in
    apposition keeps its first letter (، وانغ شياو دونغ،؛ ، كلاوس ديتر هوفمان،), only a و
    before a known first name is dropped (، وعادل محمد …)."""
    if not text[:tok.start].rstrip().endswith(("،", ",")):
        return clitic_skip(tok, gaz)
    w = tok.norm
    waw_first_name = w[:1] == "و" and w not in WAW_NAMES and w[1:] in FIRST_NAMES
    return original_offset(tok.text, 1) if waw_first_name else 0


def clitic_skip(tok: Token, gaz: Gazetteer) -> int:
    """Characters of a leading conjunction or preposition to leave out of a mention.

    و is dropped before any word except names that begin with it (وليد، واشنطن); ف/ب/ك/ل
    before the article (بالقاهرة) or a known name (لفائز); the fused لل stays, as in the
    gazetteer's mentions.
    """
    w = tok.norm
    if len(tok.text) > 2 and tok.text[1] == TATWEEL and w[:1] in "وفبلك":
        return 2  # لـجمال: a proclitic set apart by a tatweel
    if len(tok.stems) < 2 or w in WAW_NAMES or w in FIRST_NAMES or w in ORG_HEADS \
            or gaz.entry_for(tok.text) is not None:
        return 0  # كريم is a name, not ك + ريم; وكالة is a head, not و + كالة
    for skip, stem in tok.stems[1:]:
        if len(w) - len(stem) == 1 and stem in ORG_HEADS:
            return skip  # لمنظمة، وشركة: a one-letter proclitic before an organization's head
    for skip, stem in tok.stems[1:]:
        if len(w) - len(stem) == 1 and (stem in FIRST_NAMES or gaz.entry_for(stem) is not None):
            return skip  # لفائز، وباريس: a known name after a one-letter proclitic
    for skip, stem in tok.stems[1:]:  # shortest proclitic first
        if stem.startswith("ال"):
            return skip  # والسعودية، بالقاهرة، وللقاهرة (skip 1: the fused لل stays)
        if w[0] == "و" and len(w) - len(stem) == 1 and len(stem) >= 3:
            return skip  # وهنري
    return 0


# --- merging a tagger's spans -----------------------------------------------------------------


def merge_tagged(text: str, tokens: Sequence[Token], gaz: Gazetteer, kept: list[Candidate],
                 tagged: Sequence[TaggedSpanLike]) -> list[Candidate]:
    """The rule candidates refined and completed by the tagger's confident spans."""
    tagged = mend_persons(text, tokens, gaz, tagged)
    owner: list[int] = [-1] * len(tokens)
    for n, c in enumerate(kept):
        for t in range(c.first, c.last):
            owner[t] = n
    out: list[Candidate | None] = list(kept)
    confirmed: set[int] = set()
    tagged_persons = [s for s in tagged if s.type == "PER"]
    for span in tagged:
        if span.type not in _TYPES:
            continue
        hits = sorted({owner[t] for t in range(span.first, span.last) if owner[t] >= 0})
        for n in hits:
            if kept[n].type == span.type:
                confirmed.add(n)
        if span.confidence < MIN_CONFIDENCE:
            continue
        first, last = _trim_non_names(text, tokens, span) if span.type == "PER" else _trim_edges(tokens, span)
        if not hits:
            if span.type == "PER" and last - first == 1 and (completes_bare_head(tokens, first) or (
                    first > span.first and tokens[first].norm.startswith("ال"))):
                continue  # قائد ميداني: an adjective of the title; روى | السكان: a verb and a noun
            if span.type != "PER" or _has_name_word(tokens, first, last, gaz):
                out.append(_stat(text, tokens, gaz, first, last, span.type))
            continue
        if len(hits) != 1:
            continue
        n = hits[0]
        c = kept[n]
        if _person_not_place(text, tokens, gaz, c, span, first, last):
            out[n] = _stat(text, tokens, gaz, first, last, "PER")  # الصربي ميلان يوفانوفيتش
            continue
        if c.rank >= RANK_WATCH or c.type != span.type:
            continue
        if c.type == "PER" and c.rank == RANK_TITLED and span.first == c.first and span.last < c.last \
                and len(tokens[span.last - 1].norm) > 1 and _name_units(text, tokens, span.first, span.last) >= 2 \
                and not _family_name_dropped(tokens, gaz, span.last, c.last) \
                and not _ends_subject(tokens, c.last) and not (c.last - span.last == 1 and family_title_word(text, tokens, span.last)) \
                and not _set_off_by_commas(text, c):
            # Cut, unless at an initial (جيمس ف. جيفري) or down to one unit (عبد الله | اليحيا).
            out[n] = Candidate(c.first, span.last, c.start, tokens[span.last - 1].end, "PER", "", c.rank)
        elif c.type == "PER" and c.rank in (RANK_TITLED, RANK_CURATED) and first <= c.first and last >= c.last \
                and (first, last) != (c.first, c.last) and all(_completes_name(tokens, gaz, t)
                                                               for t in (*range(first, c.first), *range(c.last, last))):
            # مازن بن | عبد الله القحطاني، عبدالله | الثاني، محمد | أمين يلدز: the tagger's fuller name
            start = tokens[first].start + person_clitic_skip(text, tokens[first], gaz)
            out[n] = Candidate(first, last, start, tokens[last - 1].end, "PER", c.name if c.rank == RANK_CURATED else "", c.rank)
        elif c.type == "ORG" and span.first <= c.first and span.last > c.last \
                and all(owner[t] in (-1, n) for t in range(span.first, span.last)):
            wider = _stat(text, tokens, gaz, min(span.first, c.first), span.last, "ORG")
            out[n] = Candidate(wider.first, wider.last, wider.start, wider.end, "ORG", wider.name, c.rank)
    for n, current in enumerate(out):
        if current is not None and current.type == "PER" and current.rank == RANK_TITLED \
                and _doubtful_name_start(tokens[current.first], current):
            out[n] = _titled_from_article(tokens, gaz, current, tagged_persons)
    return _join_adjacent_persons(text, tokens, [c for n, c in enumerate(out) if c is not None
                                                 and not (n < len(kept) and c.rank == RANK_GEONAMES and n not in confirmed)])


def _join_adjacent_persons(text: str, tokens: Sequence[Token], cands: list[Candidate]) -> list[Candidate]:
    """Two persons with only a space between them are one name cut in two (محمد رضا قاسمي |
    نجاد): two people would be joined by و or set apart by a comma."""
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.first, c.last)):
        before = out[-1] if out else None
        if before is not None and before.type == c.type == "PER" and before.last == c.first and before.rank < RANK_WATCH \
                and c.rank < RANK_WATCH and not text[before.end:c.start].strip() \
                and tokens[before.last - 1].norm not in _ORDINALS:
            out[-1] = Candidate(before.first, c.last, before.start, c.end, "PER", "", max(before.rank, c.rank))
        else:
            out.append(c)
    return out


def _completes_name(tokens: Sequence[Token], gaz: Gazetteer, t: int) -> bool:
    """A word the tagger adds to a titled name: a name word (أمين as a first name too), no title,
    verb or nisba."""
    w = tokens[t].norm
    if w.startswith("ال") and not w.endswith("ي") and not _first_name(tokens[t]) or _with_possessive(w):
        return False  # (… آل مزروعي | الضيف، وزير داخليتها: a noun, where a family name would end in ي)
    return (w not in _NOT_NAME or w in FIRST_NAMES) and w not in gaz.nisbas and not w.startswith("لل") \
        and not (w.endswith(("ين", "ون", "ات")) and w not in FIRST_NAMES) \
        and not any(stem in _VERBS or stem.startswith("ال") and skip for skip, stem in tokens[t].stems)


def _person_not_place(text: str, tokens: Sequence[Token], gaz: Gazetteer, c: Candidate, span: TaggedSpanLike,
                      first: int, last: int) -> bool:
    """A tagged person that opens with a one-word place or club after a nationality or a title
    (الصربي ميلان يوفانوفيتش): the name of someone, not the place."""
    return span.type == "PER" and c.type in ("LOC", "ORG") and c.rank < RANK_WATCH and c.last - c.first == 1 \
        and first == c.first and last - first in (2, 3) and c.first > 0 \
        and (tokens[c.first - 1].norm in gaz.nisbas or tokens[c.first - 1].norm in TITLE_HEADS
             or text[tokens[c.first - 1].end:tokens[c.first].start].strip() in ("،", ",")) \
        and all(tokens[t].norm not in _NOT_NAME and tokens[t].norm not in gaz.nisbas for t in range(c.last, last))


def _ends_subject(tokens: Sequence[Token], k: int) -> bool:
    """Whether token k opens a reported clause (إن، أن، بأن، قوله): the titled name before it is
    a whole subject (قال الوزير سالم فهد العنزي إن …), so the tagger's shorter span is not cut."""
    return k < len(tokens) and (tokens[k].norm in COMPLEMENTIZERS or tokens[k].norm in ("قوله", "قولها"))


def _family_name_dropped(tokens: Sequence[Token], gaz: Gazetteer, first: int, last: int) -> bool:
    """The words a tagger drops from a titled name look like family names: one indefinite word
    ending in ي (مراد بلقاسم | زروقي، محمد رضا | قاسمي), not a noun after the name (الصمت)."""
    return last - first == 1 and not tokens[first].norm.startswith("ال") and tokens[first].norm.endswith("ي") \
        and _completes_name(tokens, gaz, first) and len(tokens[first].stems) == 1


def _set_off_by_commas(text: str, c: Candidate) -> bool:
    """A name between commas, a title allowed before it (المستشار …، صلاح الدين عمر بشارة، …؛
    رئيس الجمهورية، السيد عبد الحميد بن صالح قاسمي، …): the commas bound it."""
    before = text[max(0, c.start - 40):c.start].split()
    if before and norm_words(before[-1])[:1] and norm_words(before[-1])[0] in TITLE_HEADS:
        before.pop()
    return bool(before) and before[-1].endswith(("،", ",")) and text[c.end:].lstrip().startswith(("،", ","))


def family_title_word(text: str, tokens: Sequence[Token], k: int) -> bool:
    """A first name or a title with the article, closing a name before punctuation: "وفاء
    عثمان الأمين، مديرة …"، "أحمد الشيخ، …" (الأمين، الشيخ here are the family, not a title)."""
    w = tokens[k].norm
    return w.startswith("ال") and w in TITLE_HEADS and (w[2:] in FIRST_NAMES or w in _FAMILY_TITLES) \
        and text[tokens[k].end:tokens[k].end + 1] in ("،", ",", ".", ":", "؛", "")


def _doubtful_name_start(tok: Token, c: Candidate) -> bool:
    """A titled "name" that may be a noun: it starts with the article (الرئيس السيسي or
    مدير الطوارئ), or is one word behind a preposition (اللاعب بلافتة)."""
    if tok.text.startswith("ال"):  # (not ألماس: أل of the name)
        return tok.norm not in ARTICLE_FIRST_NAMES or c.last - c.first < 2  # (الأمين العام للحزب المنجي الطرابلسي)
    return c.last - c.first == 1 and len(tok.stems) > 1 and tok.norm[0] in "بلك" \
        and tok.norm not in FIRST_NAMES


def _titled_from_article(tokens: Sequence[Token], gaz: Gazetteer, c: Candidate,
                         persons: Sequence[TaggedSpanLike]) -> Candidate | None:
    """A titled "name" that starts with the article, checked against the tagger.

    Right after a title an article word is either a surname (الرئيس السيسي) or a complement
    the lexicons do not know (مدير الطوارئ، مدير المستشفيات الميدانية مروان الهمص): keep it
    when the tagger sees a person starting there, take the tagger's person inside it when
    there is one further on, and drop it otherwise.
    """
    inside = [s for s in persons if c.first <= s.first and s.last <= c.last]
    if any(s.first == c.first for s in inside):
        return c
    if inside:
        s = inside[0]
        start = tokens[s.first].start + clitic_skip(tokens[s.first], gaz)
        return Candidate(s.first, s.last, start, tokens[s.last - 1].end, "PER", "", c.rank)
    return None


def _stat(text: str, tokens: Sequence[Token], gaz: Gazetteer, first: int, last: int,
          kind: str) -> Candidate:
    """A tagger's span as a candidate: leading clitic left out, canonical name looked up."""
    if kind == "ORG" and first > 0 and _is_org_head(tokens[first - 1]) and _adjacent(text, tokens, first) \
            and not tokens[first - 1].norm.startswith("ال"):
        first -= 1  # شركة + توتال إنرجيز
    skip = person_clitic_skip(text, tokens[first], gaz) if kind == "PER" else clitic_skip(tokens[first], gaz)
    start = tokens[first].start + skip
    end = tokens[last - 1].end
    surface = text[start:end]
    name = ""
    if kind != "PER":
        entry = gaz.entry_for(surface)
        name = entry.name if entry is not None and entry.type == kind else name_form(surface)
    return Candidate(first, last, start, end, kind, name, RANK_STAT)


def completes_bare_head(tokens: Sequence[Token], j: int) -> bool:
    """The word after a title head without the article completes the title (an indefinite head
    is in construct), never names anyone unless it is a known first name: "وزيرة التضامن"،
    "قائد ميداني"، "رئيس بلدية" (a name follows the definite head: الرئيس السيسي)."""
    if j == 0 or not any(h in TITLE_HEADS and not h.startswith("ال") and h not in _HONORIFIC_HEADS
                         for _k, h in tokens[j - 1].stems):
        return False  # (معالي سالم، مولانا الطيب: an honorific stands right before the name)
    w = tokens[j].norm
    return w not in FIRST_NAMES and w not in NAME_BINDERS and w not in NOT_NAME_WORDS \
        and w not in FUNCTION_WORDS  # رئيس بلدية …، محلل أسواق الطاقة … (not مديرة إحدى …)


def _trim_non_names(text: str, tokens: Sequence[Token], span: TaggedSpanLike) -> tuple[int, int]:
    """A tagged person without the verbs or function words at its edges (شارك | أحمد عطاف),
    keeping a title word that a binder binds (عبد الملك) or that is a family name (أحمد الشيخ،)."""
    first, last = span.first, span.last
    while first < last and _not_a_name_word(tokens[first]) and not (
            tokens[first].text.endswith("ي") and tokens[first].norm == "علي" and first + 1 < last):
        first += 1  # (علي حسن شقير: the name علي, not the preposition)
    while last > first and _not_a_name_word(tokens[last - 1]) and not (
            last - 1 > first and (tokens[last - 2].norm in NAME_BINDERS or compound_first_name(tokens, last - 1)
                                  or family_title_word(text, tokens, last - 1)
                                  or tokens[last - 1].norm in FIRST_NAMES and _closes_name(text, tokens, last - 1))):
        last -= 1
    return (first, last) if first < last else (span.first, span.last)


def _trim_edges(tokens: Sequence[Token], span: TaggedSpanLike) -> tuple[int, int]:
    """A tagged place or organization without a function word at its end (المنظمة | إن)."""
    last = span.last
    while last - 1 > span.first and (tokens[last - 1].norm in FUNCTION_WORDS or tokens[last - 1].norm in COMPLEMENTIZERS):
        last -= 1
    return span.first, last


def _not_a_name_word(tok: Token) -> bool:
    if tok.norm in NAME_BINDERS or tok.norm in FIRST_NAMES:
        return False  # أم خالد، أبو علي (أم is also "or")؛ فيصل (not ف + يصل)
    return any(s in _NOT_NAME or s in _VERBS for _k, s in tok.stems)


def _has_name_word(tokens: Sequence[Token], first: int, last: int, gaz: Gazetteer) -> bool:
    """Whether a person span holds a word that can be a name (not only "ولي العهد السعودي"), and
    no noun with a possessive pronoun (لحماية مصالحها التجارية)."""
    if any(_with_possessive(tokens[t].norm) for t in range(first, last)):
        return False
    return any(tokens[t].norm not in _NOT_NAME and tokens[t].norm not in gaz.nisbas
               and tokens[t].norm not in NAME_BINDERS for t in range(first, last))


def _with_possessive(w: str) -> bool:
    """A noun with a possessive pronoun (مصالحها، داخليتها، مقاطعته), which no name is."""
    return w.endswith(("ها", "هم", "ته")) and len(w) > 4 and w not in FIRST_NAMES


def _name_units(text: str, tokens: Sequence[Token], first: int, last: int) -> int:
    """Units of a name, a binder counting with the word it binds (عبد الله، أبو علي: one each),
    hyphenated parts as one (ماري-كلود)."""
    binders = sum(1 for t in range(first, last - 1) if tokens[t].norm in NAME_BINDERS)
    hyphens = sum(1 for t in range(first + 1, last) if text[tokens[t - 1].end:tokens[t].start] == "-")
    return last - first - binders - hyphens
