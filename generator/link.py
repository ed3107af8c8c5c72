"""Link: every entity of every analysis resolved to one entity of the registry.

The analyzer names entities article by article (the fullest form it saw in that text). This
stage, run after analysis, gives each of them one id for the life of the archive, so that
"حفتر" on Monday and "خليفة حفتر" on Friday are one person whichever articles share a day:
- watchlist names and aliases (marsad.yml) always win;
- names equal once normalized (hamza and alef forms, ة/ه, ى/ي, diacritics, with or without ال
  on a name's words, with or without a leading proclitic) are one entity;
- for persons, a partial name (حفتر، أبو الغيط) joins the only known fuller name that contains
  it, and a fuller name joins the only partial entity it completes unless another person
  carries that partial name too (two "الأسد" with different first names stay two).
Ids are given once, from the type and the name the entity was first seen by, and never change:
when two entities turn out to be one (a watchlist alias added later), the merge leaves a
redirect from the old id. Linking is incremental: only analyses not linked yet are read, and
the registry itself is loaded, not the archive.
"""

from __future__ import annotations

import math
from itertools import combinations
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .arabic.entities import _contains
from .arabic.linking import entity_id
from .arabic.normalize import norm_words
from .model import Analysis, Article, ArticleLinks, LinkedEntity, Watchlist
from .store import Store

PROCLITIC_LETTERS = "وفبلك"
BATCH = 500


def name_units(name: str) -> tuple[str, ...]:
    """The words two spellings of a name must share: normalized, the article left out."""
    return tuple(w[2:] if w.startswith("ال") and len(w) >= 5 else w for w in norm_words(name))


def name_key(name: str) -> str:
    return " ".join(name_units(name))


def canonical_name(aliases: dict[str, int]) -> str:
    """The fullest common form: the longest name among those at least 5% as frequent as the
    most frequent one (so one odd long spelling does not take over); then the most used."""
    if not aliases:
        return ""
    floor = math.ceil(0.05 * max(aliases.values()))
    common = [name for name, count in aliases.items() if count >= floor]
    return min(common, key=lambda n: (-len(name_units(n)), -aliases[n], n))


@dataclass
class Known:
    """An entity as the linker holds it in memory while it resolves names."""

    id: str
    type: str
    fullest: tuple[str, ...] = ()  # the units of its fullest spelling so far
    articles: int = 0


@dataclass
class Registry:
    """The registry loaded from the store, resolving names and recording what changes."""

    entities: dict[str, Known]
    by_key: dict[tuple[str, str], str]  # (type, name key) -> entity id
    redirects: dict[str, str]
    watch: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, key) -> id
    watch_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (type, name)
    created: list[tuple[str, str, str]] = field(default_factory=list)  # (id, type, name)
    merges: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    _by_word: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, store: Store, watchlists: Sequence[Watchlist] = ()) -> Registry:
        rows, alias_rows, redirects = store.registry_rows()
        registry = cls({}, {}, redirects)
        for entity_id_, type_, name, _watched, articles in rows:
            registry._remember(entity_id_, type_, name_units(name), articles)
        for entity_id_, name, key, articles in sorted(alias_rows, key=lambda r: (-r[3], r[0], r[1])):
            known = registry.entities.get(entity_id_)
            if known is not None:
                registry.by_key.setdefault((known.type, key), entity_id_)
                registry._extend(known, tuple(key.split()))
        registry._adopt_watchlists(watchlists)
        return registry

    # --- resolution -------------------------------------------------------------------

    def resolve(self, type_: str, name: str) -> str:
        """The id of the entity this name denotes, creating it when it is new."""
        units = name_units(name)
        if not units:
            return ""
        for form in self._spellings(units):
            key = " ".join(form)
            found = self.watch.get((type_, key)) or self.by_key.get((type_, key))
            if found:
                return found
        found = self._person(units) if type_ == "PER" else None
        if found is None:
            found = self._create(type_, name, units)
        self.by_key[(type_, " ".join(units))] = found
        self._extend(self.entities[found], units)
        return found

    def _spellings(self, units: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The name, then the name without a proclitic stuck to its first word (وعادل)."""
        forms = [units]
        first = units[0]
        if first[0] in PROCLITIC_LETTERS and len(first) > 3:
            forms.append((first[1:], *units[1:]))
        return forms

    def _person(self, units: tuple[str, ...]) -> str | None:
        """A known person this name is part of, or the partial name it completes."""
        fuller = [e for e in self._containing(units)
                  if e.fullest != units and (len(units) > 1 or e.fullest[-1] == units[-1])]
        if len(fuller) == 1:
            return fuller[0].id
        if fuller:
            return None  # two people carry this name: it stays an entity of its own
        partial = {e.id for e in self._within(units)}
        if len(partial) != 1:
            return None
        target = self.entities[partial.pop()]
        rivals = [e for e in self._containing(target.fullest)
                  if e.id != target.id and not _contains(units, e.fullest)]
        return None if rivals else target.id

    def _containing(self, units: tuple[str, ...]) -> list[Known]:
        """Persons whose fullest name contains these words (those indexed under all of them)."""
        sets = sorted((self._by_word.get(u, set()) for u in set(units)), key=len)
        ids = set.intersection(*sets) if sets else set()
        return [self.entities[i] for i in sorted(ids)
                if self.entities[i].type == "PER" and _contains(self.entities[i].fullest, units)]

    def _within(self, units: tuple[str, ...]) -> list[Known]:
        """Persons known by a part of this name and by nothing longer that it lacks."""
        found = set()
        for size in range(1, len(units)):
            for part in combinations(units, size):
                entity_id_ = self.by_key.get(("PER", " ".join(part)))
                if entity_id_ and _contains(units, self.entities[entity_id_].fullest):
                    found.add(entity_id_)
        return [self.entities[i] for i in sorted(found)]

    def _create(self, type_: str, name: str, units: tuple[str, ...]) -> str:
        new_id, n = entity_id(type_, name), 1
        while new_id in self.entities or new_id in self.redirects:
            n += 1
            new_id = entity_id(type_, f"{name}#{n}")
        self._remember(new_id, type_, units, 0)
        self.created.append((new_id, type_, name))
        return new_id

    def _remember(self, entity_id_: str, type_: str, units: tuple[str, ...], articles: int) -> None:
        known = Known(entity_id_, type_, (), articles)
        self.entities[entity_id_] = known
        self._extend(known, units)

    def _extend(self, known: Known, units: tuple[str, ...]) -> None:
        """Index a spelling of the entity by each of its words; keep its fullest form."""
        if len(units) > len(known.fullest):
            known.fullest = units
        for u in units:
            self._by_word[u].add(known.id)

    # --- watchlists --------------------------------------------------------------------

    def _adopt_watchlists(self, watchlists: Sequence[Watchlist]) -> None:
        """Each watched entity exists under its own name; any entity that one of its
        spellings already denotes is merged into it."""
        for watchlist in watchlists:
            for watched in watchlist.entities:
                target = entity_id(watched.type, watched.name)
                target = self.redirects.get(target, target)
                if target not in self.entities:
                    self._remember(target, watched.type, name_units(watched.name), 0)
                    self.created.append((target, watched.type, watched.name))
                self.watch_names[target] = (watched.type, watched.name)
                for spelling in (watched.name, *watched.aliases):
                    key = name_key(spelling)
                    self.watch[(watched.type, key)] = target
                    self._extend(self.entities[target], name_units(spelling))
                    old = self.by_key.get((watched.type, key))
                    if old and old != target and old not in self.watch_names:
                        self.merge(old, target)
                    self.by_key[(watched.type, key)] = target

    def merge(self, old: str, new: str) -> None:
        """Record that `old` is `new`: its names now reach `new`, its id redirects there."""
        self.merges.append((old, new))
        for key, entity_id_ in self.by_key.items():
            if entity_id_ == old:
                self.by_key[key] = new
        self._extend(self.entities[new], self.entities[old].fullest)
        for ids in self._by_word.values():
            ids.discard(old)
        del self.entities[old]
        for source, target in list(self.redirects.items()):
            if target == old:
                self.redirects[source] = new
        self.redirects[old] = new


def article_links(registry: Registry, article: Article, analysis: Analysis) -> ArticleLinks:
    """Resolve one article's entities and named speakers."""
    by_id: dict[str, LinkedEntity] = {}
    analyzer_ids: dict[str, str] = {}
    for entity in analysis.entities:
        resolved = registry.resolve(entity.type, entity.name)
        if not resolved:
            continue
        analyzer_ids[entity.id] = resolved
        linked = by_id.setdefault(resolved, LinkedEntity(resolved, entity.name, []))
        linked.mentions.extend(entity.mentions)
    speaker_ids = []
    for quote in analysis.quotes:
        if quote.unnamed or not quote.speaker:
            speaker_ids.append("")
            continue
        resolved = analyzer_ids.get(quote.speaker_id) or registry.resolve(
            _speaker_type(quote.speaker_id), quote.speaker)
        if resolved and resolved not in by_id:
            by_id[resolved] = LinkedEntity(resolved, quote.speaker, [])
        speaker_ids.append(resolved)
    return ArticleLinks(article.id, article.published, list(by_id.values()), analysis.quotes,
                        speaker_ids)


def _speaker_type(speaker_id: str) -> str:
    prefix = speaker_id.split("-", 1)[0].upper()
    return prefix if prefix in ("PER", "ORG", "LOC", "MISC") else "PER"


@dataclass
class LinkReport:
    articles: int = 0
    entities: int = 0  # distinct entities the linked articles mention
    created: int = 0
    merged: int = 0
    seconds: float = 0.0


def link(store: Store, watchlists: Sequence[Watchlist] = (),
         on_batch: Callable[[int], None] | None = None) -> LinkReport:
    """Link every analysis not linked yet, oldest first, a batch per transaction."""
    started = time.perf_counter()
    registry = Registry.load(store, watchlists)
    report = LinkReport()
    seen: set[str] = set()
    store.apply_registry(registry.created, registry.merges, registry.watch_names, [],
                         name_key, canonical_name)
    report.created, report.merged = len(registry.created), len(registry.merges)
    while batch := store.unlinked(BATCH):
        registry.created.clear()
        links = [article_links(registry, article, analysis) for article, analysis in batch]
        store.apply_registry(registry.created, [], registry.watch_names, links,
                             name_key, canonical_name)
        report.created += len(registry.created)
        report.articles += len(links)
        seen.update(e.entity_id for item in links for e in item.entities)
        if on_batch:
            on_batch(len(links))
    report.entities = len(seen)
    report.seconds = time.perf_counter() - started
    return report


def merge_into(store: Store, watchlists: Sequence[Watchlist], old: str, new: str) -> None:
    registry = Registry.load(store, watchlists)
    store.apply_registry(registry.created, registry.merges, registry.watch_names, [],
                         name_key, canonical_name)
    registry.created.clear()
    registry.merges.clear()
    registry.merge(old, new)
    store.apply_registry([], registry.merges, registry.watch_names, [], name_key, canonical_name)
