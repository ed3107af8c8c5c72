"""Entities across articles: one canonical entity per person, place or organization.

Within an article the recognizer already names each person by the fullest form it saw
(ووستر -> هنري ووستر). Across articles, `EntityIndex` merges:
- watchlist entities and every alias of theirs (marsad.yml) — they always win;
- names equal once normalized (أ/ا، ة/ه، diacritics, tatweel);
- for persons, a partial name (حفتر) into the only fuller name that contains it as whole name
  units (خليفة حفتر); a partial name that two fuller names contain stays as it is.
Each canonical entity has a stable id derived from its type and normalized canonical name,
so the same person gets the same id in every run and every digest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..model import Entity, Watchlist
from .entities import _contains
from .normalize import norm_words


def name_key(name: str) -> tuple[str, ...]:
    """The normalized words of a name: what two spellings must share to be one entity."""
    return norm_words(name)


def entity_id(type_: str, name: str) -> str:
    """A stable id: "per-3f2a…" from the type and the normalized canonical name."""
    digest = hashlib.sha1(f"{type_}\t{' '.join(name_key(name))}".encode("utf-8")).hexdigest()
    return f"{type_.lower()}-{digest[:12]}"


@dataclass(frozen=True)
class CanonicalEntity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass
class EntityIndex:
    """Canonical entities for a collection of analyses (a run, a digest)."""

    watchlists: Sequence[Watchlist] = ()
    _names: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    def add(self, entities: Iterable[Entity]) -> None:
        """Record the names one article's entities go by."""
        for e in entities:
            self._names.setdefault((e.type, name_key(e.name)), e.name)

    def resolve(self) -> dict[tuple[str, str], CanonicalEntity]:
        """(type, name as found) -> canonical entity, for every name added."""
        watch = self._watch_index()
        canonical_of: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
        for (type_, key), name in self._names.items():
            if (type_, key) in watch:
                canonical_of[(type_, key)] = watch[(type_, key)]
            else:
                canonical_of[(type_, key)] = (type_, self._fullest(type_, key, name))
        aliases: dict[tuple[str, str], set[str]] = {}
        for (type_, key), target in canonical_of.items():
            aliases.setdefault(target, set()).add(self._names[(type_, key)])
        out = {}
        for (type_, key), (ctype, cname) in canonical_of.items():
            others = tuple(sorted(aliases[(ctype, cname)] - {cname}))
            out[(type_, self._names[(type_, key)])] = CanonicalEntity(
                entity_id(ctype, cname), cname, ctype, others)
        return out

    def _watch_index(self) -> dict[tuple[str, tuple[str, ...]], tuple[str, str]]:
        index = {}
        for watchlist in self.watchlists:
            for ent in watchlist.entities:
                for spelling in (ent.name, *ent.aliases):
                    index[(ent.type, name_key(spelling))] = (ent.type, ent.name)
        return index

    def _fullest(self, type_: str, key: tuple[str, ...], name: str) -> str:
        """The one longer person name that contains this one, or the name itself."""
        if type_ != "PER":
            return name
        fuller = {self._names[(t, k)] for (t, k) in self._names
                  if t == "PER" and len(k) > len(key) and _contains(k, key)}
        maximal = {f for f in fuller
                   if not any(len(name_key(g)) > len(name_key(f)) and _contains(name_key(g), name_key(f))
                              for g in fuller)}
        return maximal.pop() if len(maximal) == 1 else name
