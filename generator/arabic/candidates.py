"""Candidate spans shared by the rule recognizer and the merge with statistical taggers."""

from __future__ import annotations

from dataclasses import dataclass

# Ranks for overlap resolution (higher wins): watchlist > rules > statistical tagger.
RANK_WATCH, RANK_TITLED, RANK_CURATED, RANK_CLDR = 7, 6, 5, 4
RANK_STAT, RANK_LINKED, RANK_GEONAMES = 3, 2, 1


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
