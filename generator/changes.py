"""What a run must re-render: the days whose articles changed since the last render, and the
pages those days touch (their neighbours' previous/next links, the entities they mention,
home, archive), so that a new day costs a day's work and not the archive's.

The last render is remembered as one fingerprint per day (a hash of its articles' ids, analysis
versions and content hashes) plus a fingerprint of everything else a page depends on
(templates, settings); when the latter changes, everything is rendered again.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .render import write_if_changed


@dataclass
class RenderState:
    """What the previous render was made from."""

    settings: str = ""
    days: dict[str, str] = field(default_factory=dict)  # ISO day → fingerprint

    @classmethod
    def load(cls, path: Path) -> RenderState:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(raw["settings"], dict(raw["days"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()  # none yet, or unreadable: render everything

    def save(self, path: Path) -> None:
        data = {"settings": self.settings, "days": dict(sorted(self.days.items()))}
        write_if_changed(path, json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8"))


@dataclass
class Plan:
    """The pages one render writes; everything else in content_dir stays as it is."""

    full: bool
    days: list[date]  # digest pages to render, oldest first
    removed: list[date]  # days that have no articles any more
    day_counts: dict[date, int]  # every day of the archive and its articles (home, archive)
    state: RenderState  # what to remember once the pages are written

    @property
    def changed(self) -> bool:
        return self.full or bool(self.days or self.removed)


def day_fingerprints(stamps: Iterable[tuple[datetime, str]], tz: ZoneInfo
                     ) -> tuple[dict[date, str], dict[date, int]]:
    """One hash and one article count per local day."""
    hashes: dict[date, hashlib._Hash] = defaultdict(hashlib.sha1)
    counts: dict[date, int] = defaultdict(int)
    for published, stamp in stamps:
        day = published.astimezone(tz).date()
        hashes[day].update(stamp.encode("utf-8") + b"\n")
        counts[day] += 1
    return {day: h.hexdigest() for day, h in hashes.items()}, dict(counts)


def plan_render(stamps: Iterable[tuple[datetime, str]], tz: ZoneInfo, settings: str,
                previous: RenderState) -> Plan:
    """Days to render: those that changed, and the days before and after each (whose
    previous/next links may now point elsewhere)."""
    fingerprints, counts = day_fingerprints(stamps, tz)
    state = RenderState(settings, {day.isoformat(): h for day, h in fingerprints.items()})
    ordered = sorted(fingerprints)
    if previous.settings != settings:
        return Plan(True, ordered, _removed(previous, fingerprints), counts, state)
    changed = {i for i, day in enumerate(ordered)
               if previous.days.get(day.isoformat()) != fingerprints[day]}
    removed = _removed(previous, fingerprints)
    for gone in removed:  # the days on either side of a removed day lose a neighbour
        changed |= _neighbours_of(ordered, gone)
    touched = sorted({j for i in changed for j in (i - 1, i, i + 1) if 0 <= j < len(ordered)})
    return Plan(False, [ordered[i] for i in touched], removed, counts, state)


def _removed(previous: RenderState, fingerprints: dict[date, str]) -> list[date]:
    return sorted(day for day in map(date.fromisoformat, previous.days) if day not in fingerprints)


def _neighbours_of(ordered: list[date], gone: date) -> set[int]:
    """Indexes of the days just before and just after a day that is no longer there."""
    before = [i for i, day in enumerate(ordered) if day < gone]
    after = [i for i, day in enumerate(ordered) if day > gone]
    return set(before[-1:] + after[:1])
