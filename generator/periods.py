"""Periods of the archive: a day, an ISO week (Monday to Sunday) or a calendar month.

A period is the unit a page speaks of and the unit a render is asked to redo: a new day
changes its day, its week and its month, and nothing older.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["day", "week", "month"]
KINDS: tuple[PeriodKind, ...] = ("day", "week", "month")


@dataclass(frozen=True, order=True)
class Period:
    kind: PeriodKind
    start: date  # the first day of the period

    @classmethod
    def of(cls, kind: PeriodKind, day: date) -> Period:
        """The period of this kind that contains `day`."""
        if kind == "day":
            return cls("day", day)
        if kind == "week":
            return cls("week", day - timedelta(days=day.weekday()))
        return cls("month", day.replace(day=1))

    @property
    def end(self) -> date:
        """The day after the last day (exclusive end)."""
        if self.kind == "day":
            return self.start + timedelta(days=1)
        if self.kind == "week":
            return self.start + timedelta(days=7)
        return (self.start + timedelta(days=32)).replace(day=1)

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def previous(self) -> Period:
        return Period.of(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        return Period.of(self.kind, self.end)

    @property
    def key(self) -> str:
        """A short stable name: 2026-11-27, 2026-W48, 2026-11."""
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start:%Y-%m}"


def periods_of(days: Iterable[date], kinds: Iterable[PeriodKind] = KINDS) -> set[Period]:
    """Every period of the given kinds that contains one of `days`: what those days change."""
    kinds = tuple(kinds)
    return {Period.of(kind, day) for day in days for kind in kinds}
