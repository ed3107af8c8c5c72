"""Trends: which entities are rising, against their own last 14 days.

Each entity's daily count is the number of articles that mention it. Today is compared with
the baseline days by a robust z-score, (today - median) / (1.4826 * MAD), the median and the
median absolute deviation being untroubled by one earlier spike. The scale has a floor of 1
article, so an entity new to the archive (a baseline of zeros, MAD 0) is not infinitely
rising: it needs MIN_TODAY articles and a score of RISING_SCORE like any other. Days before
the archive began are no baseline: with fewer than MIN_BASELINE_DAYS of them nothing rises.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import numpy as np

from .model import Analysis, Article, EntityTrend

BASELINE_DAYS = 14
MIN_BASELINE_DAYS = 3
MIN_TODAY = 3
RISING_SCORE = 3.5
MAD_TO_SIGMA = 1.4826
MAX_RISING = 10


def daily_mentions(days: Mapping[date, Sequence[tuple[Article, Analysis]]]
                   ) -> dict[str, Counter[date]]:
    """entity id -> day -> articles mentioning it that day."""
    counts: dict[str, Counter[date]] = defaultdict(Counter)
    for day, items in days.items():
        for _, analysis in items:
            for entity_id in {e.id or e.name for e in analysis.entities}:
                counts[entity_id][day] += 1
    return counts


def robust_score(today: int, baseline: Sequence[int]) -> tuple[float, float]:
    """(median of the baseline, robust z-score of today against it)."""
    values = np.asarray(baseline, dtype=float)
    median = float(np.median(values))
    mad = float(np.median(np.abs(values - median)))
    return median, (today - median) / max(MAD_TO_SIGMA * mad, 1.0)


def rising_entities(counts: Mapping[str, Counter[date]], day: date, first_day: date,
                    names: Mapping[str, tuple[str, str]]) -> list[EntityTrend]:
    """Entities of `names` (id -> (name, type)) rising on `day`, strongest first."""
    baseline_days = [day - timedelta(days=k) for k in range(BASELINE_DAYS, 0, -1)
                     if day - timedelta(days=k) >= first_day]
    if len(baseline_days) < MIN_BASELINE_DAYS:
        return []
    found = []
    for entity_id, (name, kind) in names.items():
        series = counts.get(entity_id, Counter())
        today = series[day]
        if today < MIN_TODAY:
            continue
        median, score = robust_score(today, [series[d] for d in baseline_days])
        if score >= RISING_SCORE:
            found.append(EntityTrend(entity_id, name, kind, today, median, round(score, 2)))
    found.sort(key=lambda t: (-t.score, -t.today, t.name, t.id))
    return found[:MAX_RISING]
