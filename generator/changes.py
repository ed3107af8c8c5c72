"""What a run must render again: the days whose articles changed since the last render. The page
registry (render.py) turns them into the pages they touch (the day and the day before it, its
week's and month's reports, the entities it mentions, home, archive, feeds), so that a new day
costs a day's work and not the archive's.

The last render is remembered as one fingerprint per day (a hash of its articles' ids, analysis
versions and content hashes) plus a fingerprint of everything else a page depends on
(templates, settings); when the latter changes, everything is rendered again.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
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
    entities: dict[str, str] = field(default_factory=dict)  # id → how pages show it (see below)

    @classmethod
    def load(cls, path: Path) -> RenderState:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(raw["settings"], dict(raw["days"]), dict(raw["entities"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()  # none yet, or unreadable: render everything

    def save(self, path: Path) -> None:
        data = {"settings": self.settings, "days": dict(sorted(self.days.items())),
                "entities": dict(sorted(self.entities.items()))}
        write_if_changed(path, json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8"))


@dataclass
class Plan:
    """What one render must do: everything, or the pages of the days that changed."""

    full: bool
    days: list[date]  # the days whose articles changed (new, edited, analyzed again), oldest first
    state: RenderState  # what to remember once the pages are written

    @property
    def changed(self) -> bool:
        return self.full or bool(self.days)


def day_fingerprints(stamps: Iterable[tuple[datetime, str]], tz: ZoneInfo) -> dict[date, str]:
    """One hash per local day of what its articles and their analyses are."""
    hashes: dict[date, hashlib._Hash] = defaultdict(hashlib.sha1)
    for published, stamp in stamps:
        hashes[published.astimezone(tz).date()].update(stamp.encode("utf-8") + b"\n")
    return {day: h.hexdigest() for day, h in hashes.items()}


def plan_render(stamps: Iterable[tuple[datetime, str]], tz: ZoneInfo, settings: str,
                shown: dict[str, str], days_of: Callable[[str], Iterable[date]],
                previous: RenderState) -> Plan:
    """The changed days; everything when settings changed or a day lost all its articles
    (a full render is what removes pages nothing makes any more).

    `shown` is how every page names an entity and whether it links to the entity's page (its
    canonical name, whether it has one): when that changes (a name crosses the threshold of a
    page, the registry merges or renames it), every day that mentions it changes too, though
    none of its articles did; `days_of` gives those days."""
    fingerprints = day_fingerprints(stamps, tz)
    state = RenderState(settings, {day.isoformat(): h for day, h in sorted(fingerprints.items())},
                        shown)
    gone = set(previous.days) - set(state.days)
    if previous.settings != settings or gone or not previous.entities:
        return Plan(True, sorted(fingerprints), state)
    changed = {day for day in fingerprints if previous.days.get(day.isoformat()) != fingerprints[day]}
    for entity_id in sorted(shown.keys() | previous.entities.keys()):
        if shown.get(entity_id) != previous.entities.get(entity_id):
            changed.update(day for day in days_of(entity_id) if day in fingerprints)
    return Plan(False, sorted(changed), state)
