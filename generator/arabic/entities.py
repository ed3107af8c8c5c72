"""Entity recognition: gazetteer names, title-triggered persons, and in-article linking.

Candidates from every recognizer are ranked and overlaps resolved greedily (watchlist >
titled person > curated list > CLDR > geonames; longer first). Persons are then linked: a
later surname-only or first-name mention of someone named in full is a mention of that
person, and the canonical name is the fullest form seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..model import Entity, Mention
from .gazetteer import CLDR, CURATED, WATCH, Gazetteer, Match
from .lexicon import (
    COMMON_VERBS,
    CONTINUATION_VERBS,
    FUNCTION_WORDS,
    NAME_BINDERS,
    NOT_NAME_WORDS,
    REPORTING_VERBS,
    TIME_WORDS,
    TITLE_ADJECTIVES,
    TITLE_COMPLEMENTS,
    TITLE_HEADS,
    WAW_NAMES,
)
from .normalize import Token

MAX_NAME_UNITS = 3
MAX_TITLE_WORDS = 10
_NOT_NAMES = (
    FUNCTION_WORDS | TIME_WORDS | NOT_NAME_WORDS | TITLE_HEADS | TITLE_COMPLEMENTS
    | TITLE_ADJECTIVES | REPORTING_VERBS | CONTINUATION_VERBS | COMMON_VERBS
)
_FUTURE_PREFIXES = ("سي", "ست", "سن")
_SPACE_GAP_RE = re.compile(r"[ \t\u00a0]+")
_TITLE_GAP_RE = re.compile(r"[ \t\u00a0«»“”\"]+")  # a quoted word may sit inside a title
_INITIAL_GAP_RE = re.compile(r"\.[ \t\u00a0]+")  # جيمس ف. جيفري

# Ranks for overlap resolution (higher wins).
RANK_WATCH, RANK_TITLED, RANK_CURATED, RANK_CLDR, RANK_LINKED, RANK_GEONAMES = 6, 5, 4, 3, 2, 1
_RANK_OF_PRIORITY = {WATCH: RANK_WATCH, CURATED: RANK_CURATED, CLDR: RANK_CLDR}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A typed span before linking; `first`/`last` are token indexes (last exclusive)."""

    first: int
    last: int
    start: int
    end: int
    type: str
    name: str  # canonical name ("" for a person until grouped)
    rank: int


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
        m = gaz_at.get(j)
        if m is not None and m.entry.priority >= CLDR:
            j = m.last
        elif _has_stem_in(tok, TITLE_COMPLEMENTS) or _has_stem_in(tok, TITLE_HEADS):
            j += 1
        elif tok.norm in gaz.nisbas or tok.norm in TITLE_ADJECTIVES:
            j += 1
        elif tok.norm.startswith("لل") and len(tok.norm) > 4:
            j += 1  # a genitive complement: المديرة العامة للصندوق
        elif _is_quoted_word(text, tokens, j):
            j += 1
        else:
            break
    return j


def _is_quoted_word(text: str, tokens: Sequence[Token], j: int) -> bool:
    """A single word in quotation marks (“بومبيو”) inside a title phrase."""
    before = text[tokens[j].start - 1] if tokens[j].start else ""
    after = text[tokens[j].end] if tokens[j].end < len(text) else ""
    return before in "«“”\"" and after in "»”\""


def _name_word(tok: Token, first: bool) -> bool:
    """Whether a token can be part of a personal name."""
    w = tok.norm
    if len(w) < 2 or w in _NOT_NAMES or not w[0].isalpha():
        return False
    if first and w.startswith(("وال", "فال", "بال", "لل")):
        return False  # a conjunction or preposition with the article: not a name's first word
    if first and w.startswith("ال") and w.endswith("يه"):
        return False  # a feminine adjective, not a name
    return True


def _read_name(text: str, tokens: Sequence[Token], j: int, gaz: Gazetteer,
               gaz_at: dict[int, Match], right_after_head: bool) -> int:
    """Token index after a name of 1-3 units starting at j (j itself when there is none)."""
    k = j
    units = 0
    n = len(tokens)
    while k < n and units < MAX_NAME_UNITS:
        if k > j and not _gap_ok(text, tokens, k, _SPACE_GAP_RE):
            if not (_is_initial(tokens[k - 1]) and _gap_ok(text, tokens, k, _INITIAL_GAP_RE)):
                break
        tok = tokens[k]
        if _is_initial(tok) and k > j and k + 1 < n and _gap_ok(text, tokens, k + 1, _INITIAL_GAP_RE):
            k += 1  # a middle initial does not count as a unit
            continue
        if not _name_word(tok, first=k == j) or _is_place_or_org(gaz_at, k):
            break
        if units == 0 and (tok.norm in gaz.nisbas or (tok.norm.startswith("ال") and not right_after_head)):
            break  # a name rarely starts with the article unless right after the title (الرئيس السيسي)
        if units and tok.norm.startswith(_FUTURE_PREFIXES) and len(tok.norm) >= 5:
            break  # سيزور، ستعقد: a future verb after the name
        if tok.norm in NAME_BINDERS and k + 1 < n and _gap_ok(text, tokens, k + 1, _SPACE_GAP_RE) \
                and _name_word(tokens[k + 1], first=False):
            k += 2
        else:
            k += 1
        units += 1
    if units == 1 and k - j == 1 and tokens[j].norm.startswith("ال") and k < n \
            and _gap_ok(text, tokens, k, _SPACE_GAP_RE) and _name_word(tokens[k], first=False):
        return j  # "الرئيس الفلاني X": an unknown adjective, not a one-word name
    return k


def _is_initial(tok: Token) -> bool:
    return len(tok.norm) == 1 and tok.norm.isalpha()


def find_titled_persons(text: str, tokens: Sequence[Token], gaz: Gazetteer,
                        gaz_at: dict[int, Match]) -> list[TitledPerson]:
    """Persons introduced by a title or role: الرئيس X، وزير الخارجية المصري X …"""
    found = []
    i = 0
    while i < len(tokens):
        if not _has_stem_in(tokens[i], TITLE_HEADS):
            i += 1
            continue
        j = _skip_title(text, tokens, i + 1, gaz, gaz_at)
        k = _read_name(text, tokens, j, gaz, gaz_at, j == i + 1) if j < len(tokens) else j
        if k > j and _gap_ok(text, tokens, j, _SPACE_GAP_RE):
            found.append(TitledPerson(i, j, k))
            i = k
        else:
            i += 1
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
        if gap.strip() not in ("،", ",") or not _has_stem_in(tokens[i], TITLE_HEADS):
            continue
        first, units = _read_name_backwards(text, tokens, i - 1, gaz, gaz_at)
        if units < 2:
            continue
        lead = tokens[first].norm
        skip = 0
        if lead.startswith("و") and lead not in WAW_NAMES and len(lead) > 3:
            skip = 1
        found.append((first, i, skip))
    return found


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
    while starts and tokens[starts[-1]].norm.startswith(("ال", "وال")):
        starts.pop()  # the leftmost word is a noun with the article, not a first name
    if not starts:
        return k + 1, 0
    return starts[-1], len(starts)


# --- overlap resolution and linking -----------------------------------------------------------


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

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def recognize(self, text: str, tokens: Sequence[Token]) -> list[Entity]:
        """Entities of the text, in order of first mention."""
        matches = self.gaz.find_all(text, tokens)
        gaz_at = {m.first: m for m in matches}
        cands = [self._from_match(m) for m in matches]
        persons = find_titled_persons(text, tokens, self.gaz, gaz_at)
        for p in persons:
            start, end = tokens[p.first].start, tokens[p.last - 1].end
            cands.append(Candidate(p.first, p.last, start, end, "PER", "", RANK_TITLED))
        for first, last, skip in find_appositive_persons(text, tokens, self.gaz, gaz_at):
            start, end = tokens[first].start + skip, tokens[last - 1].end
            cands.append(Candidate(first, last, start, end, "PER", "", RANK_TITLED))
        kept = _resolve(cands, len(tokens))
        kept = self._link_persons(text, tokens, kept)
        return _group(text, kept)

    def _from_match(self, m: Match) -> Candidate:
        rank = _RANK_OF_PRIORITY.get(m.entry.priority, RANK_GEONAMES)
        return Candidate(m.first, m.last, m.start, m.end, m.entry.type, m.entry.name, rank)

    def _link_persons(self, text: str, tokens: Sequence[Token],
                      kept: list[Candidate]) -> list[Candidate]:
        """Name persons canonically and add their partial mentions."""
        names = _canonical_person_names(text, tokens, kept)
        kept = [c if c.type != "PER" or c.name else _named(c, names, tokens) for c in kept]
        variants: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for canonical, words in sorted(set(names.values())):
            for v in _person_variants(words):
                variants.setdefault(v[0], []).append((v, canonical))
        covered = [0] * len(tokens)
        for c in kept:
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
        return _resolve(kept + extra, len(tokens))


def _named(c: Candidate, names: dict[tuple[str, ...], tuple[str, tuple[str, ...]]],
           tokens: Sequence[Token]) -> Candidate:
    """The candidate with its person's canonical name."""
    words = tuple(t.norm for t in tokens[c.first:c.last])
    return Candidate(c.first, c.last, c.start, c.end, c.type, names[words][0], c.rank)


def _canonical_person_names(text: str, tokens: Sequence[Token], kept: list[Candidate]
                            ) -> dict[tuple[str, ...], tuple[str, tuple[str, ...]]]:
    """Map each person's normalized words to (canonical name, its words): the fullest form."""
    forms: dict[tuple[str, ...], str] = {}
    for c in sorted(kept, key=lambda c: c.start):
        if c.type == "PER":
            words = tuple(t.norm for t in tokens[c.first:c.last])
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
        if best is not None and len(owners) == 1:
            last = i + len(best[0])
            return Candidate(i, last, tokens[i].start + skip, tokens[last - 1].end, "PER",
                             best[1], RANK_LINKED)
    return None


def _group(text: str, kept: list[Candidate]) -> list[Entity]:
    """Entities keyed by (type, canonical name), ordered by first mention."""
    entities: dict[tuple[str, str], Entity] = {}
    for c in sorted(kept, key=lambda c: c.start):
        entity = entities.setdefault((c.type, c.name), Entity(c.name, c.type, []))  # type: ignore[arg-type]
        entity.mentions.append(Mention(text[c.start:c.end], c.start, c.end))
    return list(entities.values())
