"""Precision, recall and F1 per entity type, for exact spans and for partial overlaps.

Shared by the ANERcorp cross-validation (generator.arabic.train) and the news-passage
evaluation (eval/ner.py), so that both report figures computed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

TYPES: tuple[str, ...] = ("PER", "LOC", "ORG")

Span = tuple[int, int, str]  # start, end (exclusive), type


@dataclass
class Counts:
    """True positives, predicted and gold counts for one type."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Counts per type plus a micro-average over the types scored."""

    by_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})

    def add(self, gold: Iterable[Span], predicted: Iterable[Span], partial: bool = False) -> None:
        """Score one document (or sentence): spans of the same type, matched one to one."""
        gold = [s for s in gold if s[2] in self.by_type]
        predicted = [s for s in predicted if s[2] in self.by_type]
        for s in gold:
            self.by_type[s[2]].gold += 1
        for s in predicted:
            self.by_type[s[2]].predicted += 1
        unmatched = list(gold)
        for p in sorted(predicted):
            hit = next((g for g in unmatched if _matches(g, p, partial)), None)
            if hit is not None:
                unmatched.remove(hit)
                self.by_type[p[2]].tp += 1

    @property
    def total(self) -> Counts:
        return Counts(sum(c.tp for c in self.by_type.values()),
                      sum(c.predicted for c in self.by_type.values()),
                      sum(c.gold for c in self.by_type.values()))

    def table(self, title: str) -> str:
        """A fixed-width table: one row per type and the micro-average."""
        rows = [f"{title}", f"  {'type':<5} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
        for name, c in [*self.by_type.items(), ("all", self.total)]:
            rows.append(f"  {name:<5} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.gold:6d} {c.predicted:6d}")
        return "\n".join(rows)


def _matches(gold: Span, pred: Span, partial: bool) -> bool:
    if gold[2] != pred[2]:
        return False
    if not partial:
        return gold[:2] == pred[:2]
    return gold[0] < pred[1] and pred[0] < gold[1]


def spans_from_bio(tags: Sequence[str]) -> list[Span]:
    """Entity spans (token indexes) of a BIO sequence; a stray I- starts an entity."""
    spans: list[Span] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == kind
        if start >= 0 and not inside:
            spans.append((start, i, kind))
            start, kind = -1, ""
        if tag != "O" and not inside:
            start, kind = i, tag[2:]
    return spans
