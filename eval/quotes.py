"""Score quote extraction on the annotated passages in eval/quotes/ (see its README.md).

    python eval/quotes.py            # the table for dev and test
    python eval/quotes.py --show dev # also every miss, false quote and wrong speaker on dev
    python eval/quotes.py --speed    # also what quote finding adds to Analyzer.analyze

A predicted quote matches a gold quote of the same kind when it covers at least
COVER of the gold quote's words and at least INSIDE of its own words lie in the gold quote
(so a prediction that swallows the whole paragraph does not match). Matching is one to one.
Speaker accuracy is over matched quotes: the predicted speaker, normalized, equals the gold
speaker, one of its `speaker_alt` forms, or the name the gazetteer lists one of them under.
The real published articles of eval/real/ (quotes-dev, quotes-test) are the splits real-dev and
real-test; "all" pools both kinds. Exits 1 when a figure falls below its floor in
eval/floors.json (floors.py), else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.analyze import quote_share  # noqa: E402
from generator.arabic import Analyzer  # noqa: E402
from generator.arabic.gazetteer import Gazetteer  # noqa: E402
from generator.arabic.normalize import normalize, tokenize  # noqa: E402
from generator.model import Quote  # noqa: E402
from eval.floors import check  # noqa: E402

DATA = Path(__file__).resolve().parent / "quotes"
# fresh…fresh44: sets written by independent annotators who never saw the extractor, each scored
# once blind and most then used for fixes (eval/quotes/README.md says which).
# real-dev, real-test: real published articles (eval/real/SOURCES.md), read when present.
REAL = Path(__file__).resolve().parent / "real"
SPLITS = ("dev", "test", "fresh", *(f"fresh{n}" for n in range(2, 45)), "real-dev", "real-test")
KEPT_ASIDE = ("test", "fresh5", "fresh12", "real-test")  # totals only: their errors are never listed
KINDS = ("direct", "indirect")
COVER = 0.9
INSIDE = 0.5


@dataclass
class Counts:
    """Tallies for one split and one kind."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_right: int = 0

    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0

    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.matched if self.matched else 1.0


@dataclass
class Report:
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    errors: list[str] = field(default_factory=list)

    def pooled(self) -> Counts:
        """Both kinds together."""
        c = self.counts.values()
        return Counts(*(sum(getattr(k, f) for k in c) for f in ("gold", "predicted", "matched", "speaker_right")))

    def figures(self, split: str) -> dict[str, float]:
        """The gate's names for this split's figures: quotes/SPLIT/KIND/{P,R,speaker}."""
        return {f"quotes/{split}/{kind}/{name}": value
                for kind, c in [*self.counts.items(), ("all", self.pooled())]
                for name, value in (("P", c.precision()), ("R", c.recall()), ("speaker", c.speaker_accuracy()))}


def split_file(split: str) -> Path:
    """eval/quotes/SPLIT.jsonl, or eval/real/quotes-PART.jsonl for the real splits."""
    return REAL / f"quotes-{split[5:]}.jsonl" if split.startswith("real-") else DATA / f"{split}.jsonl"


def load(split: str) -> list[dict]:
    with open(split_file(split), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def word_indexes(text: str, start: int, end: int) -> set[int]:
    """Indexes of the words of `text` lying inside [start, end)."""
    return {i for i, t in enumerate(tokenize(text)) if start <= t.start and t.end <= end}


def same_speaker(predicted: str, gold: dict, gazetteer: Gazetteer) -> bool:
    """The gold form, an alternative, or the name the gazetteer lists the gold form under
    (منظمة الأمم المتحدة للطفولة is listed as اليونيسف: the same organization)."""
    wanted = [gold["speaker"], *gold.get("speaker_alt", [])]
    listed = [entry.name for entry in map(gazetteer.entry_for, wanted) if entry is not None]
    return _key(predicted) in {_key(w) for w in wanted + listed}


def _key(name: str) -> str:
    return " ".join(normalize(name).split())


def _matches(pred: set[int], gold: set[int]) -> bool:
    common = len(pred & gold)
    return bool(gold) and common >= COVER * len(gold) and common >= INSIDE * len(pred)


def score_passage(text: str, gold: list[dict], predicted: list[Quote], report: Report,
                  pid: str, gazetteer: Gazetteer) -> None:
    """Add one passage's tallies (and its errors, for --show) to the report."""
    for kind in KINDS:
        golds = [g for g in gold if g["kind"] == kind]
        preds = [q for q in predicted if q.kind == kind]
        counts = report.counts[kind]
        counts.gold += len(golds)
        counts.predicted += len(preds)
        gold_words = []
        for g in golds:
            start = text.index(g["text"])
            gold_words.append(word_indexes(text, start, start + len(g["text"])))
        free = list(range(len(preds)))
        for g, gw in zip(golds, gold_words):
            hit = next((i for i in free if _matches(word_indexes(text, preds[i].start, preds[i].end), gw)),
                       None)
            if hit is None:
                report.errors.append(f"{pid} MISSED {kind}: {g['text']} — {g['speaker']}")
                continue
            free.remove(hit)
            counts.matched += 1
            if same_speaker(preds[hit].speaker, g, gazetteer):
                counts.speaker_right += 1
            else:
                report.errors.append(f"{pid} SPEAKER {kind}: {preds[hit].speaker or '∅'} "
                                     f"(gold {g['speaker']}): {g['text']}")
        for i in free:
            report.errors.append(f"{pid} FALSE {kind}: {preds[i].text} — {preds[i].speaker or '∅'}")


def evaluate(analyzer: Analyzer, split: str) -> Report:
    report = Report()
    for passage in load(split):
        quotes = analyzer.analyze(passage["text"]).quotes
        score_passage(passage["text"], passage["quotes"], quotes, report, passage["id"], analyzer.gazetteer)
    return report


def table(reports: dict[str, Report]) -> str:
    head = f"{'split':<9} {'kind':<9} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8}"
    lines = ["Quote extraction (eval/quotes)", head, "-" * len(head)]
    for split, report in reports.items():
        rows = [*report.counts.items(), *([("all", report.pooled())] if split.startswith("real-") else [])]
        for kind, c in rows:
            lines.append(f"{split:<9} {kind:<9} {c.gold:>5} {c.predicted:>5} {c.precision():>6.3f} "
                         f"{c.recall():>6.3f} {c.f1():>6.3f} {c.speaker_accuracy():>8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=[s for s in SPLITS if s not in KEPT_ASIDE],
                        help="list the errors on this split (never on a kept-aside one)")
    parser.add_argument("--split", action="append", choices=SPLITS, help="only these splits")
    parser.add_argument("--speed", action="store_true", help="also time the quote step")
    args = parser.parse_args(argv)
    analyzer = Analyzer([])
    splits = [s for s in args.split or SPLITS if split_file(s).exists()]
    if args.show and args.show not in splits:
        splits.append(args.show)
    reports = {split: evaluate(analyzer, split) for split in splits}
    print(table(reports))
    if args.show:
        print(f"\nerrors on {args.show}:")
        print("\n".join(reports[args.show].errors) or "none")
    if args.speed:
        print("\n" + quote_share(analyzer))
    figures = {name: value for split, report in reports.items() for name, value in report.figures(split).items()}
    return check(figures, "quotes/")


if __name__ == "__main__":
    sys.exit(main())
