"""Charts as plain geometry, drawn as SVG by templates/charts/*.svg.j2 at build time.

The SVG is inline in the page, so it shows without JavaScript, its labels are shaped by the
browser (or WeasyPrint) in the page's font, and it reads right to left: bars grow from the
right, and time runs from right (oldest) to left (newest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

WIDTH = 640
ROW = 26
LABEL_WIDTH = 190
COLUMNS_HEIGHT = 180
MAX_DAY_COLUMNS = 62  # longer series are drawn by month
MAX_TICKS = 7
MAX_SLOT = 60  # the widest a column's slot gets, so one day is not one huge bar
MAX_VALUE_LABELS = 31  # columns labelled with their value when there are at most this many


@dataclass
class Bar:
    label: str
    value: int
    x: float  # left edge
    y: float
    width: float
    height: float


@dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (x of the label's centre, label) under columns
    label_x: float  # where row labels start (their right edge, read right to left)
    values: bool = True  # print each bar's value


def bar_chart(title: str, rows: Sequence[tuple[str, int]]) -> Chart:
    """Horizontal bars, one row per (label, value), labels on the right."""
    top = max((value for _, value in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 40
    bars = []
    for i, (label, value) in enumerate(rows):
        width = span * value / top
        bars.append(Bar(label, value, WIDTH - LABEL_WIDTH - width, i * ROW + 4, width, ROW - 8))
    return Chart(title, WIDTH, len(rows) * ROW + 4, bars, [], WIDTH - 4)


def time_chart(title: str, series: Sequence[tuple[date, int]]) -> Chart:
    """Columns over time, oldest on the right; by month when the days are too many."""
    labelled = _by_month(series) if len(series) > MAX_DAY_COLUMNS else \
        [(format_date(day, "d MMM", locale="ar"), value) for day, value in series]
    top = max((value for _, value in labelled), default=0) or 1
    slot = min((WIDTH - 20) / max(len(labelled), 1), MAX_SLOT)
    plot = COLUMNS_HEIGHT - 44
    bars, ticks = [], []
    every = max(1, -(-len(labelled) // MAX_TICKS))
    for i, (label, value) in enumerate(labelled):
        height = plot * value / top
        x = WIDTH - 10 - (i + 1) * slot
        bars.append(Bar(label, value, x + slot * 0.15, 22 + plot - height, slot * 0.7, height))
        if i % every == 0:
            ticks.append((x + slot / 2, label))
    return Chart(title, WIDTH, COLUMNS_HEIGHT, bars, ticks, 0, len(bars) <= MAX_VALUE_LABELS)


def _by_month(series: Sequence[tuple[date, int]]) -> list[tuple[str, int]]:
    """Every month from the first to the last, with the sum of its days (0 when none)."""
    totals: dict[date, int] = {}
    for day, value in series:
        month = day.replace(day=1)
        totals[month] = totals.get(month, 0) + value
    months, month = [], min(totals)
    while month <= max(totals):
        months.append((format_date(month, "MMM y", locale="ar"), totals.get(month, 0)))
        month = _next_month(month)
    return months


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
