"""Entity recognition: gazetteer names, title-triggered persons, and in-article linking.

Candidates from every recognizer are ranked and overlaps resolved greedily (watchlist >
titled person > curated list > CLDR > statistical tagger > geonames; longer first; see
merge.py for how a tagger's spans refine or add to the rules'). Persons are then linked: a
later surname-only or first-name mention of someone named in full is a mention of that
person, and the canonical name is the fullest form seen.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

from ..model import Entity, Mention
from .candidates import (
    RANK_CLDR,
    RANK_CURATED,
    RANK_GEONAMES,
    RANK_LINKED,
    RANK_STAT,
    RANK_TITLED,
    RANK_WATCH,
    Candidate,
)
from .features import Hint
from .gazetteer import CLDR, CURATED, WATCH, Gazetteer, Match
from .lexicon import (
    AMBIGUOUS_TITLE_HEADS,
    ARTICLE_FIRST_NAMES,
    COMMON_VERBS,
    COMMON_WORDS,
    CONTINUATION_VERBS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    HONORIFICS,
    NAME_BINDERS,
    NOT_NAME_WORDS,
    ORG_HEADS,
    REPORTING_VERBS,
    RULING_FAMILIES,
    TIME_WORDS,
    TITLE_ADJECTIVES,
    TITLE_COMPLEMENTS,
    TITLE_HEADS,
    WAW_NAMES,
)
from .merge import (
    KIN,
    Tagger,
    completes_bare_head,
    compound_first_name,
    family_title_word,
    kin_with_pronoun,
    unknown_name_word,
    find_headed_organizations,
    genitive_length,
    merge_tagged,
)
from .normalize import Token, norm_words, with_proclitics
from .reporting import COMPLEMENTIZERS, SOURCE_NOUNS
from .wordlists import mapping, words


_RANK_OF_PRIORITY = {WATCH: RANK_WATCH, CURATED: RANK_CURATED, CLDR: RANK_CLDR}
_SOURCE_OF_RANK = {RANK_WATCH: "watch", RANK_TITLED: "titled", RANK_CURATED: "curated",
                   RANK_CLDR: "cldr", RANK_GEONAMES: "geonames"}

_TITLE_HEAD_FORMS = with_proclitics(TITLE_HEADS)  # one set lookup per token
_FUNCTION_OR_TIME = FUNCTION_WORDS | TIME_WORDS
MAX_NAME_UNITS = 3
MAX_TITLE_WORDS = 10
_NOT_NAMES = (
    FUNCTION_WORDS | TIME_WORDS | NOT_NAME_WORDS | TITLE_HEADS | TITLE_COMPLEMENTS
    | TITLE_ADJECTIVES | REPORTING_VERBS | CONTINUATION_VERBS | COMMON_VERBS
)
_PLACE_NOUNS = words("place-nouns")
_NAME_PARTICLES = frozenset(w for w, use in mapping("foreign-particles").items() if use != "outlet")  # فان دير بيرغ
_SPOKESMEN = words("spokesmen")
_VERBS = REPORTING_VERBS | CONTINUATION_VERBS | COMMON_VERBS
_TITLE_FIRST_NAMES = (TITLE_HEADS & FIRST_NAMES) - FUNCTION_WORDS  # أمين
_FUTURE_PREFIXES = ("سي", "ست", "سن")
_SPACE_GAP_RE = re.compile(r"[ \t\u00a0]+|-")  # a hyphen joins the parts of جان-بيير
_TITLE_GAP_RE = re.compile(r"[ \t\u00a0«»“”\"]+")  # a quoted word may sit inside a title
_COMMA_RE = re.compile(r"[،,][ \t\u00a0]*")
_COMMA_GAP_RE = re.compile(r"[ \t\u00a0]*[،,][ \t\u00a0]*")
_INITIAL_GAP_RE = re.compile(r"\.[ \t\u00a0]+")  # جيمس ف. جيفري


@dataclass(frozen=True, slots=True)
class TitledPerson:
    """A person announced by a title; `title_first` is where the title phrase begins."""

    title_first: int
    first: int
    last: int


# --- titled persons -------------------------------------------------------------------------


def _gap_ok(text: str, tokens: Sequence[Token], k: int, pattern: re.Pattern[str]) -> bool:
    """Whether the characters between token k-1 and token k fit `pattern`."""
    return pattern.fullmatch(text, tokens[k - 1].end, tokens[k].start) is not None


def _has_stem_in(token: Token, words: frozenset[str]) -> bool:
    """Whether the token, with or without a proclitic, is one of `words`."""
    return any(stem in words for _skip, stem in token.stems)


def _is_place_or_org(gaz_at: dict[int, Match], k: int) -> bool:
    """A reliable (non-geonames) name starts at token k."""
    m = gaz_at.get(k)
    return m is not None and m.entry.priority >= CLDR and m.entry.type != "PER"


def _skip_title(text: str, tokens: Sequence[Token], j: int, gaz: Gazetteer,
                gaz_at: dict[int, Match]) -> int:
    """Index of the first token after a title's complements (الخارجية، المصري، لجامعة …)."""
    steps = 0
    while j < len(tokens) and steps < MAX_TITLE_WORDS and _gap_ok(text, tokens, j, _TITLE_GAP_RE):
        steps += 1
        tok = tokens[j]
        if _is_known_person(gaz_at, j):
            break  # رئيس الوزراء الإثيوبي | آبي أحمد (آبي is also a binder)
        if _is_place_or_org(gaz_at, j):
            if tokens[j - 1].norm in gaz.nisbas or _is_definite_title(tokens[j - 1]):
                break  # الصربي ميلان …، السيد هلال بن سعيد: a name, not a place (no genitive after these)
            j = gaz_at[j].last  # وزير خارجية مصر (a known person is the name, not a complement)
        elif tok.norm in FIRST_NAMES and _name_follows(text, tokens, j, gaz, gaz_at) \
                or _article_first_name(text, tokens, j) or _bassem(tokens, j) and _name_follows(text, tokens, j, gaz, gaz_at):
            break  # أمين is a title (أمين عام) and a first name: "الوزير أمين التهراوي"; المنجي الطرابلسي
        elif _has_stem_in(tok, TITLE_COMPLEMENTS) or _has_stem_in(tok, TITLE_HEADS) \
                or _without_pronoun(tok.norm) in TITLE_COMPLEMENTS \
                or _has_stem_in(tok, ORG_HEADS):
            j += 1  # رئيس الهيئة الفريق …، محافظ البنك …
        elif tok.norm in gaz.nisbas or tok.norm in TITLE_ADJECTIVES or _adjective_before_first_name(tokens, j) \
                or _stacked_adjective(tokens, j, gaz) or (steps == 1 and completes_bare_head(tokens, j)):
            j += 1
        elif genitive_length(text, tokens, j):
            j += genitive_length(text, tokens, j)  # المديرة العامة للصندوق، رئيس … لألعاب القوى
        elif steps > 1 and tok.norm.startswith("وال") and len(tok.norm) > 5 and tok.norm[1:] not in gaz.nisbas:
            j += 1  # a second complement joined by و: وزير الاقتصاد والصناعة
        elif steps > 1 and _second_portfolio_in_construct(tokens, j, gaz):
            j += 2  # وزيرة التجارة | وتنمية الصادرات | التونسية: the portfolio's second part
        elif _is_quoted_word(text, tokens, j) or _genitive_before_first_name(tokens, j):
            j += 1
        elif _genitive_chain(tokens, j, gaz):
            j += 2
        elif tokens[j - 1].norm in _PLACE_NOUNS and _name_word(tok, first=True):
            j += 1  # عامل إقليم | شفشاون، رئيس بلدية | القاع: the place, not a name
        else:
            break
    return j


def _second_portfolio_in_construct(tokens: Sequence[Token], j: int, gaz: Gazetteer) -> bool:
    """و + an indefinite noun + a definite one inside a title (وزيرة التجارة وتنمية الصادرات):
    a second part of the portfolio, never the start of a name (not وعادل محمد, ووليد الحسن)."""
    w = tokens[j].norm
    if j + 1 >= len(tokens) or not w.startswith("و") or w.startswith("وال") or w in WAW_NAMES \
            or w[1:] in FIRST_NAMES or len(w) < 4:
        return False
    nxt = tokens[j + 1].norm
    return nxt.startswith("ال") and nxt not in gaz.nisbas and nxt not in ARTICLE_FIRST_NAMES \
        and nxt[2:] not in FIRST_NAMES and w.endswith("ه")


_PRONOUN_SUFFIXES = ("تها", "تهم", "ته")


def _without_pronoun(word: str) -> str:
    """A feminine noun with a possessive suffix as its definite form (داخليتها -> الداخليه):
    "وزير داخليتها" is a title whose complement refers back to a government."""
    for suffix in _PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return "ال" + word[:-len(suffix)] + "ه"
    return ""


def _is_known_person(gaz_at: dict[int, Match], k: int) -> bool:
    """A listed (curated or watched) person's name starts at token k."""
    m = gaz_at.get(k)
    return m is not None and m.entry.priority >= CURATED and m.entry.type == "PER"


def _adjective_before_first_name(tokens: Sequence[Token], j: int) -> bool:
    """An unknown nationality after a title, before a known first name: "المهاجم الكونغولي
    جان ماري مبوكو" (the place lists do not derive every nisba)."""
    w = tokens[j].norm
    if not (w.startswith("ال") and w.endswith(("ي", "يه")) and len(w) > 5 and j + 1 < len(tokens)):
        return False
    return tokens[j + 1].norm in FIRST_NAMES or j + 2 < len(tokens) and not tokens[j + 1].text.startswith("ال") \
        and _name_word(tokens[j + 1], first=True) and _name_word(tokens[j + 2], first=False) \
        and tokens[j + 1].norm not in _NOT_NAMES  # الكازاخستاني ألماس سيريك باييف


def _is_definite_title(tok: Token) -> bool:
    return tok.norm.startswith("ال") and tok.norm in TITLE_HEADS


def _apposed_between_commas(text: str, tokens: Sequence[Token], j: int, k: int) -> bool:
    """A name set off by commas right after a title phrase: "المستشار السياسي لقوات الدعم
    السريع، صلاح الدين عمر بشارة، …"; two words at least, so a bare word is not taken."""
    return k - j >= 2 and k < len(tokens) and _gap_ok(text, tokens, j, _COMMA_GAP_RE) \
        and _gap_ok(text, tokens, k, _COMMA_GAP_RE)


def _genitive_chain(tokens: Sequence[Token], j: int, gaz: Gazetteer) -> bool:
    """An indefinite noun and a definite one after a construct complement: "مدير مديرية | علم
    الأوبئة" (names do not go on a feminine construct noun's genitive)."""
    before, w = tokens[j - 1].norm, tokens[j].norm
    return before.endswith("ه") and not before.startswith("ال") and j + 1 < len(tokens) \
        and not w.startswith("ال") and w not in FIRST_NAMES and tokens[j + 1].norm.startswith("ال") \
        and tokens[j + 1].norm not in gaz.nisbas and tokens[j + 1].norm not in FIRST_NAMES


def _genitive_before_first_name(tokens: Sequence[Token], j: int) -> bool:
    """An unknown word after a feminine complement and before a known first name names what
    the complement is of: "رئيس بلدية كفركلا حسن فقيه"، "رئيس بلدية القاع إلياس نصر الله"."""
    before = tokens[j - 1].norm
    return j + 1 < len(tokens) and before.endswith("ه") and not before.startswith("ال") \
        and tokens[j].norm not in FIRST_NAMES and tokens[j].norm not in ARTICLE_FIRST_NAMES \
        and tokens[j + 1].norm in FIRST_NAMES


def _stacked_adjective(tokens: Sequence[Token], j: int, gaz: Gazetteer) -> bool:
    """An unlisted adjective before a nationality: "وزيرة التضامن الاجتماعي المصرية"."""
    w = tokens[j].norm
    return w.startswith("ال") and w.endswith(("ي", "يه")) and len(w) > 5 \
        and j + 1 < len(tokens) and tokens[j + 1].norm in gaz.nisbas


def _name_follows(text: str, tokens: Sequence[Token], j: int, gaz: Gazetteer,
                  gaz_at: dict[int, Match]) -> bool:
    """Whether the word after token j can continue a name (not a title word, nisba or place)."""
    k = j + 1
    return k < len(tokens) and _gap_ok(text, tokens, k, _SPACE_GAP_RE) \
        and _name_word(tokens[k], first=False) and tokens[k].norm not in gaz.nisbas \
        and not _is_place_or_org(gaz_at, k)


def _is_quoted_word(text: str, tokens: Sequence[Token], j: int) -> bool:
    """A single word in quotation marks (“بومبيو”) inside a title phrase."""
    before = text[tokens[j].start - 1] if tokens[j].start else ""
    after = text[tokens[j].end] if tokens[j].end < len(text) else ""
    return before in "«“”\"" and after in "»”\""


def _name_word(tok: Token, first: bool) -> bool:
    """Whether a token can be part of a personal name."""
    w = tok.norm
    if _is_ali(tok) and not first:
        return True  # محمد علي: the name, written with ya (the preposition على has alef maksura)
    if len(w) < 2 or not w[0].isalpha() or (w in _NOT_NAMES and not (first and w in _TITLE_FIRST_NAMES)):
        return False  # a title word is a name only where one starts (الوزير أمين التهراوي)
    if w.endswith(("ها", "هم")) and len(w) > 4 and w not in FIRST_NAMES:
        return False  # مصالحها: a noun with a possessive pronoun
    if w[0] in "وف" and w[1:] in _VERBS and w not in FIRST_NAMES:  # (فيصل)
        return False  # فأكدت، وقالت: a joined verb after the name
    if any(kin_with_pronoun(stem) for _k, stem in tok.stems) or first and w in KIN and w not in FIRST_NAMES \
            and w not in NAME_BINDERS:
        return False  # جون كوبر | وزوجته، زوجة | محمد لطفي: someone's kin
    if w.endswith("ا") and w[:-1] in TITLE_HEADS and w[:-1] not in HONORIFICS:
        return False  # a role in the accusative after the name: "روي فيتوريا مدربا"
    if w.startswith(("وال", "فال", "بال", "كال", "لل")) and (first or len(w) >= 5) and w not in WAW_NAMES:
        return False  # a conjunction or preposition with the article: "محمد المنفي بالإحاطة"
    if first and w.startswith("ال") and w.endswith("يه"):
        return False  # a feminine adjective, not a name
    return True


def _is_ali(tok: Token) -> bool:
    """The name علي (normalization folds it together with the preposition على)."""
    return tok.norm == "علي" and tok.text.endswith("ي")


def _nisba_before_first_name(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> bool:
    """A nationality used as a title: "حقق السعودي يزيد الراجحي"، "والإسباني كارلوس ساينز"."""
    return i + 1 < len(tokens) and tokens[i].norm.startswith(("ال", "وال")) \
        and any(s in gaz.nisbas for _k, s in tokens[i].stems) and tokens[i + 1].norm in FIRST_NAMES


def _read_name(text: str, tokens: Sequence[Token], j: int, gaz: Gazetteer,
               gaz_at: dict[int, Match], right_after_head: bool) -> int:
    """Token index after a name of 1-3 units starting at j (j itself when there is none)."""
    k = j
    units = 0
    n = len(tokens)
    limit = MAX_NAME_UNITS
    while k < n and (units < limit or units == limit == MAX_NAME_UNITS and (
            tokens[k].norm in RULING_FAMILIES or _closing_family_name(text, tokens, k))):
        if k > j and not _gap_ok(text, tokens, k, _SPACE_GAP_RE):
            if not (_is_initial(tokens[k - 1]) and _gap_ok(text, tokens, k, _INITIAL_GAP_RE)):
                break
        tok = tokens[k]
        if _is_initial(tok) and k > j and k + 1 < n and _gap_ok(text, tokens, k + 1, _INITIAL_GAP_RE):
            k += 1  # a middle initial does not count as a unit
            continue
        if k == j and _is_place_or_org(gaz_at, k) and _name_follows(text, tokens, gaz_at[k].last - 1, gaz, gaz_at):
            k, units = gaz_at[k].last, units + 1  # صلاح الدين عمر، ميلان يوفانوفيتش: a name, not the place
            continue
        particles = units and tok.norm in _NAME_PARTICLES and _after_particles(text, tokens, k) > k + 1
        if not (_name_word(tok, first=k == j) or particles or (_ali_first(tokens, k) or _bassem(tokens, k)) and k == j
                or k == j + 1 and compound_first_name(tokens, k) or units >= 2 and family_title_word(text, tokens, k)) \
                or _is_place_or_org(gaz_at, k) and not _place_inside_name(text, tokens, gaz_at, j, k):
            break
        if units >= 2 and _after_family_name(tokens, k):
            break  # عامر البساط | خطة: a bare noun after a family name is not another name
        if units == 0 and (tok.norm in gaz.nisbas or (tok.text.startswith("ال") and not right_after_head
                                                     and tok.norm not in FIRST_NAMES  # إلياس
                                                     and not _article_first_name(text, tokens, k))):
            break  # a name rarely starts with the article unless right after the title (الرئيس السيسي)
        if units and tok.norm.startswith(_FUTURE_PREFIXES) and len(tok.norm) >= 5 and not tok.norm.endswith("ا"):
            break  # سيزور، ستعقد: a future verb after the name (سيديا، سيلفا are names)
        if tok.norm == "ولد" and units or units == 2 and tok.norm in ("بن", "ابن"):
            limit = MAX_NAME_UNITS + 1  # محمد الأمين ولد الشيخ سيديا، هلال بن سعيد بن ناصر البوسعيدي
        if tok.norm in NAME_BINDERS:
            k = _after_binders(text, tokens, k)
        elif particles:
            k = _after_particles(text, tokens, k)
        else:
            k += 1
        if units == 0 and k < n and tokens[k].norm == "الدين" and _gap_ok(text, tokens, k, _SPACE_GAP_RE):
            k += 1  # صلاح الدين، نور الدين: one first name
        units += 1
    if units == 1 and k - j == 1 and tokens[j].text.startswith("ال") and k < n \
            and _gap_ok(text, tokens, k, _SPACE_GAP_RE) and _name_word(tokens[k], first=False):
        return j  # "الرئيس الفلاني X": an unknown adjective, not a one-word name
    return k


def _closing_family_name(text: str, tokens: Sequence[Token], k: int) -> bool:
    """A fourth part with the article that ends the name at a comma: باسم محمد خضير | السعدي،"""
    return tokens[k].norm.startswith("ال") and text[tokens[k].end:tokens[k].end + 1] in ("،", ",") \
        and _name_word(tokens[k], first=False)


def _bassem(tokens: Sequence[Token], j: int) -> bool:
    """باسم is a first name, except after a spokesman or before a definite noun (المتحدث الرسمي
    باسم الوزارة)."""
    return tokens[j].norm == "باسم" and tokens[j - 1].norm not in _SPOKESMEN and j + 1 < len(tokens) \
        and not tokens[j + 1].norm.startswith("ال")


def _place_inside_name(text: str, tokens: Sequence[Token], gaz_at: dict[int, Match], j: int, k: int) -> bool:
    """A one-word place or organization after a listed first name (كارلوس | ميندوزا | فيرا،
    ماركو | فيراري): a family name, not the place."""
    m = gaz_at[k]
    if not (k == j + 1 and m.last == k + 1 and tokens[j].norm in FIRST_NAMES and m.start == tokens[k].start):
        return False
    goes_on = k + 1 < len(tokens) and _gap_ok(text, tokens, k + 1, _SPACE_GAP_RE) \
        and _name_word(tokens[k + 1], first=False) and tokens[k + 1].norm not in FIRST_NAMES
    return goes_on or tokens[j].norm not in COMMON_WORDS  # نظيره الإيطالي ماركو فيراري (not نور مصر)


def _pronoun_forms(heads: frozenset[str]) -> frozenset[str]:
    """Every indefinite title with a possessive pronoun, with or without و/ف: رئيسه، ورئيستها
    (a title only where the text does not end in ة: محافظة is no محافظ + ه)."""
    forms = set()
    for head in heads:
        if head.startswith("ال"):
            continue
        stem = head[:-1] + "ت" if head.endswith("ه") else head
        for suffix in ("ه", "ها", "هم", "هما"):
            forms.update(prefix + stem + suffix for prefix in ("", "و", "ف"))
    return frozenset(forms)


_TITLE_PRONOUN_FORMS = _pronoun_forms(TITLE_HEADS)


def _inside_name(tokens: Sequence[Token], i: int) -> bool:
    """A title word bound by a binder (عبد الملك، عبد الأمير) or completing محمد الأمين."""
    return i > 0 and (tokens[i - 1].norm in NAME_BINDERS or compound_first_name(tokens, i))


def _ali_first(tokens: Sequence[Token], k: int) -> bool:
    """علي (spelled with ya) starting a name when a first name or a family name with the
    article follows: علي أحمد المناعي، علي الساعدي."""
    if not _is_ali(tokens[k]) or k + 1 >= len(tokens):
        return False
    w = tokens[k + 1].norm
    return w in FIRST_NAMES or w.startswith("ال") and len(w) > 4 and w not in _NOT_NAMES \
        and _name_word(tokens[k + 1], first=False)


def _article_first_name(text: str, tokens: Sequence[Token], k: int) -> bool:
    """A first name with the article, the Maghreb's المنجي، الحبيب, before another name word."""
    return tokens[k].norm in ARTICLE_FIRST_NAMES and k + 1 < len(tokens) and _gap_ok(text, tokens, k + 1, _SPACE_GAP_RE) \
        and _name_word(tokens[k + 1], first=False)


def _after_family_name(tokens: Sequence[Token], k: int) -> bool:
    """Token k follows a family name with the article (البساط; not إلياس, which only looks like
    one) and is neither a name with the article, a binder nor a known first name: Arabic names
    rarely go on after such a word."""
    prev, w = tokens[k - 1].norm, tokens[k].norm
    return prev.startswith("ال") and prev not in FIRST_NAMES and not w.startswith("ال") and w not in NAME_BINDERS \
        and w not in FIRST_NAMES and tokens[k - 2].norm not in NAME_BINDERS


def _after_binders(text: str, tokens: Sequence[Token], k: int) -> int:
    """Index after a compound unit starting with a binder at k: أبو علي، بن عبد الرحمن، ولد الشيخ.

    Without a word to bind, the binder alone is the unit (k + 1).
    """
    j = k + 1
    while j < len(tokens) - 1 and tokens[j].norm in NAME_BINDERS and _gap_ok(text, tokens, j, _SPACE_GAP_RE):
        j += 1
    if j < len(tokens) and _gap_ok(text, tokens, j, _SPACE_GAP_RE) and _binder_complement(tokens[j]):
        return j + 1
    return k + 1


def _after_particles(text: str, tokens: Sequence[Token], k: int) -> int:
    """Index after a family name led by particles (فان دير بيرغ، دوس سانتوس), or k + 1."""
    j = k
    while j < len(tokens) and tokens[j].norm in _NAME_PARTICLES and (j == k or _gap_ok(text, tokens, j, _SPACE_GAP_RE)):
        j += 1
    if j < len(tokens) and _gap_ok(text, tokens, j, _SPACE_GAP_RE) and _name_word(tokens[j], first=False):
        return j + 1
    return k + 1


def _binder_complement(tok: Token) -> bool:
    """The word after أبو/بن/ولد …: any name-like word, even علي (folded like على) or الشيخ."""
    w = tok.norm
    return len(w) >= 2 and w[0].isalpha() and (w == "علي" or w not in _FUNCTION_OR_TIME)


def _is_initial(tok: Token) -> bool:
    return len(tok.norm) == 1 and tok.norm.isalpha()


def _known_first_name(tokens: Sequence[Token], j: int, gaz_at: dict[int, Match]) -> bool:
    """A listed first name or a known person starts at token j."""
    if j >= len(tokens):
        return False
    m = gaz_at.get(j)
    return tokens[j].norm in FIRST_NAMES or tokens[j].norm in NAME_BINDERS \
        or (m is not None and m.entry.type == "PER")


def _inside_listed_names(gaz_at: dict[int, Match]) -> set[int]:
    """Tokens inside (not at the start of) a listed place or organization: a title word there
    is part of the name (مركز الملك سلمان للإغاثة), not a person's title."""
    return {t for k, m in gaz_at.items() if _is_place_or_org(gaz_at, k) for t in range(m.first + 1, m.last)}


def find_titled_persons(text: str, tokens: Sequence[Token], gaz: Gazetteer,
                        gaz_at: dict[int, Match]) -> list[TitledPerson]:
    """Persons introduced by a title or role: الرئيس X، وزير الخارجية المصري X …"""
    found = []
    inside = _inside_listed_names(gaz_at)
    i = 0
    while i < len(tokens):
        norm = tokens[i].norm
        is_title = norm in _TITLE_HEAD_FORMS or norm in _TITLE_PRONOUN_FORMS and not tokens[i].text.endswith("ة") \
            or _nisba_before_first_name(tokens, i, gaz)
        if not is_title or _is_place_or_org(gaz_at, i) or i in inside or _inside_name(tokens, i):
            i += 1  # not a title, or a title word in a name (النجم الساحلي، عبد الملك، محمد الأمين)
            continue
        j = _skip_title(text, tokens, i + 1, gaz, gaz_at)
        if tokens[i].norm in AMBIGUOUS_TITLE_HEADS and not _known_first_name(tokens, j, gaz_at):
            i += 1  # "الفريق يستعد": the team, not a general
            continue
        k = _read_name(text, tokens, j, gaz, gaz_at, j == i + 1) if j < len(tokens) else j
        if k > j and _gap_ok(text, tokens, j, _SPACE_GAP_RE) or k > j and _apposed_between_commas(text, tokens, j, k):
            found.append(TitledPerson(i, j, k))
            i = k
        else:
            i += 1
    return found


def find_set_off_persons(text: str, tokens: Sequence[Token], gaz: Gazetteer,
                         gaz_at: dict[int, Match]) -> list[tuple[int, int]]:
    """Persons named between commas after a title phrase, from a known first name: "وقال عامل
    إقليم شفشاون، الحسن بوكوتة، إن …"; or, from any name word, right before what they said:
    "قال القيادي في حركة النهضة، سمير ديلو إنه …" (first token, last token exclusive)."""
    found = []
    starts = [t.start for t in tokens]
    for m in _COMMA_RE.finditer(text):  # a name set off by commas follows a comma
        i = bisect_left(starts, m.end())
        if i == 0 or i >= len(tokens):
            continue
        w = tokens[i].norm
        if not _gap_ok(text, tokens, i, _COMMA_GAP_RE) or i in gaz_at:
            continue
        roles = [k for k in range(max(0, i - 8), i) if _has_stem_in(tokens[k], TITLE_HEADS) or tokens[k].norm in SOURCE_NOUNS]
        if not roles:
            continue
        k = _read_name(text, tokens, i, gaz, gaz_at, right_after_head=True)
        if not (2 <= k - i <= 4 and k < len(tokens)):
            continue
        if (w in FIRST_NAMES or w in ARTICLE_FIRST_NAMES) and _gap_ok(text, tokens, k, _COMMA_GAP_RE) \
                and any(_has_stem_in(tokens[r], TITLE_HEADS) for r in roles) \
                or tokens[k].norm in COMPLEMENTIZERS and _gap_ok(text, tokens, k, _SPACE_GAP_RE) \
                and (w in FIRST_NAMES or unknown_name_word(text, tokens, gaz, i)):
            found.append((i, k))
    return found


def find_appositive_persons(text: str, tokens: Sequence[Token], gaz: Gazetteer,
                            gaz_at: dict[int, Match]) -> list[tuple[int, int, int]]:
    """Persons followed by a title in apposition: "جيمس ف. جيفري، الممثل الخاص …".

    Returns (first token, last token exclusive, characters of a leading و to skip); at least
    two name units are required, since one word before a comma is too often something else.
    """
    found = []
    for i in range(1, len(tokens)):
        gap = text[tokens[i - 1].end:tokens[i].start]
        if gap.strip() not in ("،", ",") or not (_has_stem_in(tokens[i], TITLE_HEADS) or tokens[i].norm in KIN):
            continue
        first, units = _read_name_backwards(text, tokens, i - 1, gaz, gaz_at)
        if units < 2 and not (units == 1 and _named_after_verb(text, tokens, gaz, first, i)):
            continue
        lead = tokens[first].norm
        skip = 0
        if lead.startswith("و") and lead not in WAW_NAMES and len(lead) > 3:
            skip = 1
        found.append((first, i, skip))
    return found


def _named_after_verb(text: str, tokens: Sequence[Token], gaz: Gazetteer, first: int, i: int) -> bool:
    """One word between a reporting verb and a comma, a title or kin in apposition after it:
    "قالت رشا، شقيقة الناشط …" (a name the lists lack)."""
    return first == i - 1 and first > 0 and any(s in REPORTING_VERBS for _k, s in tokens[first - 1].stems) \
        and unknown_name_word(text, tokens, gaz, first) and tokens[first].norm not in SOURCE_NOUNS


def _behind_preposition(tok: Token) -> bool:
    """A short word led by ل or ب that is no known first name: لطب، بحق."""
    w = tok.norm
    return (w[:1] == "ل" and len(w) <= 4 or w[:1] == "ب" and len(w) <= 3) and w not in FIRST_NAMES


def _read_name_backwards(text: str, tokens: Sequence[Token], k: int, gaz: Gazetteer,
                         gaz_at: dict[int, Match]) -> tuple[int, int]:
    """(first token, units) of a name ending at token k, read right to left."""
    starts: list[int] = []  # token index where each unit begins, rightmost first
    first = k + 1
    while k >= 0 and len(starts) < MAX_NAME_UNITS:
        tok = tokens[k]
        if starts:
            if _is_initial(tok) and _gap_ok(text, tokens, first, _INITIAL_GAP_RE):
                first, k = k, k - 1
                continue
            if not _gap_ok(text, tokens, first, _SPACE_GAP_RE):
                break
        w = tok.norm[1:] if tok.norm.startswith("و") and tok.norm not in WAW_NAMES else tok.norm
        if not _name_word(tok, first=False) or w in _NOT_NAMES or tok.norm in gaz.nisbas \
                or _is_place_or_org(gaz_at, k):
            break
        if k > 0 and tokens[k - 1].norm in NAME_BINDERS and _gap_ok(text, tokens, k, _SPACE_GAP_RE):
            k -= 1
        starts.append(k)
        first, k = k, k - 1
    while starts and (tokens[starts[-1]].norm.startswith(("ال", "وال")) or _behind_preposition(tokens[starts[-1]])):
        starts.pop()  # the leftmost word is a noun with the article or a preposition (لطب), not a first name
    if not starts:
        return k + 1, 0
    return starts[-1], len(starts)


# --- overlap resolution and linking -----------------------------------------------------------


def _hints(kept: Sequence[Candidate]) -> list[Hint]:
    return [Hint(c.first, c.last, c.type, _SOURCE_OF_RANK.get(c.rank, "other")) for c in kept]


def _resolve(cands: list[Candidate], n_tokens: int) -> list[Candidate]:
    """Keep the best non-overlapping candidates (rank, then length, then position)."""
    taken = [False] * n_tokens
    kept = []
    for c in sorted(cands, key=lambda c: (-c.rank, -(c.end - c.start), c.start)):
        if any(taken[c.first:c.last]):
            continue
        for t in range(c.first, c.last):
            taken[t] = True
        kept.append(c)
    return kept


def _units(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Split a name into units, binders kept with the next word (أبو الغيط، عبد الله)."""
    units, k = [], 0
    while k < len(words):
        if words[k] in NAME_BINDERS and k + 1 < len(words):
            units.append(words[k:k + 2])
            k += 2
        else:
            units.append(words[k:k + 1])
            k += 1
    return units


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether `shorter` is made of whole units of `longer`, in order (first/last/full)."""
    units = [u for u in _units(longer) if len(u) > 1 or len(u[0]) > 1]  # ignore initials
    flat = [w for u in units for w in u]
    short = list(shorter)
    return any(flat[i:i + len(short)] == short for i in range(len(flat) - len(short) + 1))


def _person_variants(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Forms a person may be mentioned by later: full name, surname, first name."""
    units = [u for u in _units(words) if not (len(u) == 1 and len(u[0]) == 1)]
    variants = [words]
    if len(units) > 1:
        variants.append(units[-1])
        variants.append(units[0])
        if len(units) > 2:
            variants.append(tuple(w for u in units[-2:] for w in u))
    return [v for v in variants if sum(len(w) for w in v) >= 3]


class EntityRecognizer:
    """Recognition over one gazetteer; `recognize` is pure (no state kept between calls)."""

    def __init__(self, gazetteer: Gazetteer, tagger: Tagger | None = None) -> None:
        self.gaz = gazetteer
        self.tagger = tagger

    def recognize(self, text: str, tokens: Sequence[Token]) -> list[Entity]:
        """Entities of the text, in order of first mention."""
        kept = _resolve(self.rule_candidates(text, tokens), len(tokens))
        if self.tagger is not None:
            tagged = self.tagger.tag(text, tokens, _hints(kept))
            kept = merge_tagged(text, tokens, self.gaz, kept, tagged)
        kept = self._link_persons(text, tokens, kept)
        return _group(text, kept)

    def hints(self, text: str, tokens: Sequence[Token]) -> list[Hint]:
        """What the rules alone find, as hints for a statistical tagger's features."""
        return _hints(_resolve(self.rule_candidates(text, tokens), len(tokens)))

    def rule_candidates(self, text: str, tokens: Sequence[Token]) -> list[Candidate]:
        """Gazetteer names and title-triggered persons, overlapping (not yet resolved)."""
        matches = [m for m in self.gaz.find_all(text, tokens) if not _inside_longer_name(text, tokens, m)]
        gaz_at = {m.first: m for m in matches}
        cands = [self._from_match(m) for m in matches]
        known = {m.first for m in matches if m.entry.type == "PER" and m.entry.priority >= CURATED}
        persons = find_titled_persons(text, tokens, self.gaz, gaz_at)
        for p in persons:
            if p.first not in known:
                start = tokens[p.first].start  # right after a title, و is part of the name (الصيني وانغ جيان مينغ)
                end = tokens[p.last - 1].end
                cands.append(Candidate(p.first, p.last, start, end, "PER", "", RANK_TITLED))
        for first, last in find_set_off_persons(text, tokens, self.gaz, gaz_at):
            if first not in known:
                cands.append(Candidate(first, last, tokens[first].start, tokens[last - 1].end, "PER", "", RANK_TITLED))
        for first, last, skip in find_appositive_persons(text, tokens, self.gaz, gaz_at):
            if first not in known:
                start, end = tokens[first].start + skip, tokens[last - 1].end
                cands.append(Candidate(first, last, start, end, "PER", "", RANK_TITLED))
        cands.extend(find_headed_organizations(text, tokens, self.gaz, gaz_at))
        return cands

    def _from_match(self, m: Match) -> Candidate:
        rank = _RANK_OF_PRIORITY.get(m.entry.priority, RANK_GEONAMES)
        return Candidate(m.first, m.last, m.start, m.end, m.entry.type, m.entry.name, rank)

    def _link_persons(self, text: str, tokens: Sequence[Token],
                      kept: list[Candidate]) -> list[Candidate]:
        """Name persons canonically and add their partial mentions."""
        names = _canonical_person_names(text, tokens, kept)
        kept = [_prefer_named_in_text(c, names, text) if c.name else _named(c, names, tokens, text)
                if c.type == "PER" else c for c in kept]
        variants: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for canonical, words in sorted(set(names.values())):
            for v in _person_variants(words):
                variants.setdefault(v[0], []).append((v, canonical))
        surnames = {w for _canonical, words in names.values() for w in words[1:] if len(words) >= 2}
        covered = [0] * len(tokens)
        for c in kept:
            if not _yields_to_links(c, surnames, tokens):
                for t in range(c.first, c.last):
                    covered[t] = c.rank
        extra = []
        i = 0
        while i < len(tokens):
            link = None if covered[i] > RANK_LINKED else _link_at(text, tokens, i, variants)
            if link is not None and max(covered[link.first:link.last]) <= RANK_LINKED:
                extra.append(link)
                i = link.last
            else:
                i += 1
        linked = {t for link in extra for t in range(link.first, link.last)}
        kept = [c for c in kept if not (_yields_to_links(c, surnames, tokens) and linked.intersection(range(c.first, c.last)))]
        return _resolve(kept + extra, len(tokens))


def _inside_longer_name(text: str, tokens: Sequence[Token], m: Match) -> bool:
    """A known person's name right after a binder is the end of someone else's name
    (خالد بن + محمد بن زايد), not a mention of that person; nor is a known surname after
    another first name (إلياس نصر الله is not حسن نصر الله)."""
    if m.entry.type != "PER" or m.first == 0 or not _gap_ok(text, tokens, m.first, _SPACE_GAP_RE) \
            or m.start != tokens[m.first].start:
        return False
    before = tokens[m.first - 1].norm
    if before in NAME_BINDERS or text[m.end:m.end + 1] == "-":
        return True  # (… شولتس-هوفمان: a longer, hyphenated name)
    first_name = norm_words(m.entry.name)[:1]
    return (before in FIRST_NAMES or before in ARTICLE_FIRST_NAMES) and tokens[m.first].norm not in FIRST_NAMES \
        and first_name != norm_words(text[m.start:m.end])[:1]


def _yields_to_links(c: Candidate, surnames: set[str], tokens: Sequence[Token]) -> bool:
    """A tagger's person span gives way to a mention of a person named earlier (ووستر); so does
    a one-word place or organization that is the surname of someone named in full here
    (ميندوزا after كارلوس ميندوزا فيرا)."""
    if c.type == "PER":
        return c.rank == RANK_STAT
    return c.last - c.first == 1 and c.rank < RANK_WATCH and bool(surnames) \
        and any(stem in surnames for _skip, stem in tokens[c.first].stems)


def _mention_words(text: str, c: Candidate) -> tuple[str, ...]:
    """The normalized words of a mention as reported (without its proclitic: وهنري -> هنري)."""
    return norm_words(text[c.start:c.end])


def _named(c: Candidate, names: dict[tuple[str, ...], tuple[str, tuple[str, ...]]],
           tokens: Sequence[Token], text: str) -> Candidate:
    """The candidate with its person's canonical name."""
    words = _mention_words(text, c)
    return Candidate(c.first, c.last, c.start, c.end, c.type, names[words][0], c.rank)


def _prefer_named_in_text(c: Candidate, names: dict[tuple[str, ...], tuple[str, tuple[str, ...]]],
                          text: str) -> Candidate:
    """A known person met by a part of their name (الزياني) is the person this article names
    in full (يوسف الزياني) when it names one: the text outranks a famous namesake."""
    if c.rank != RANK_CURATED or text[c.start:c.end] == c.name:
        return c  # a watchlist name never changes; a name written in full is itself
    words = _mention_words(text, c)
    canonical, full = names.get(words, (c.name, words))
    if canonical == c.name or len(full) <= len(words) or norm_words(c.name) == words:
        return c
    return Candidate(c.first, c.last, c.start, c.end, c.type, canonical, c.rank)


def _canonical_person_names(text: str, tokens: Sequence[Token], kept: list[Candidate]
                            ) -> dict[tuple[str, ...], tuple[str, tuple[str, ...]]]:
    """Map each person's normalized words to (canonical name, its words): the fullest form."""
    forms: dict[tuple[str, ...], str] = {}
    for c in sorted(kept, key=lambda c: c.start):
        if c.type == "PER":
            words = _mention_words(text, c)
            forms.setdefault(words, c.name or text[c.start:c.end])
    out: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
    by_length = sorted(forms, key=lambda w: (-len(w), w))
    for words in by_length:
        fuller = [w for w in by_length if len(w) > len(words) and _contains(w, words)]
        owners = {out[w] for w in fuller}
        out[words] = owners.pop() if len(owners) == 1 else (forms[words], words)
    return out


def _link_at(text: str, tokens: Sequence[Token], i: int,
             variants: dict[str, list[tuple[tuple[str, ...], str]]]) -> Candidate | None:
    """A person mentioned by one of their variants at token i (a proclitic allowed)."""
    for skip, stem in tokens[i].stems:
        options = variants.get(stem)
        if not options:
            continue
        best: tuple[tuple[str, ...], str] | None = None
        owners: set[str] = set()
        for words, canonical in sorted(options, key=lambda o: -len(o[0])):
            end = i + len(words)
            if end > len(tokens) or any(tokens[k].norm != words[k - i] for k in range(i + 1, end)):
                continue
            if any(not _gap_ok(text, tokens, k, _SPACE_GAP_RE) for k in range(i + 1, end)):
                continue
            if best is None or len(words) == len(best[0]):
                best = best or (words, canonical)
                owners.add(canonical)
        if best is not None and len(owners) == 1 and not (len(best[0]) == 1 and _preposition_as_written(tokens[i])):
            last = i + len(best[0])
            return Candidate(i, last, tokens[i].start + skip, tokens[last - 1].end, "PER",
                             best[1], RANK_LINKED)
    return None


def _preposition_as_written(tok: Token) -> bool:
    """على، إلى، لدى as written (with ى): never the name علي that they normalize to."""
    return tok.norm in FUNCTION_WORDS and tok.text.endswith("ى")


def _group(text: str, kept: list[Candidate]) -> list[Entity]:
    """Entities keyed by (type, canonical name), ordered by first mention."""
    entities: dict[tuple[str, str], Entity] = {}
    for c in sorted(kept, key=lambda c: c.start):
        entity = entities.setdefault((c.type, c.name), Entity(c.name, c.type, []))  # type: ignore[arg-type]
        entity.mentions.append(Mention(text[c.start:c.end], c.start, c.end))
    return list(entities.values())
