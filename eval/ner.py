"""Entity recognition figures: news passages (dev and held-aside test) and ANERcorp CV.

    .venv/bin/python eval/ner.py [--anercorp PATH | --no-anercorp] [--folds 5] [--errors] [--errors-for SET]

For every backend available here (rules: gazetteer + triggers; embedded: rules + the shipped
CRF, the default; bert: CAMeL Tools BERT merged with the rules, when its data is installed)
prints precision, recall and F1 per type on the sets of eval/ner/ and on the real published
articles of eval/real/ (ner-dev, ner-test: "real-dev", "real-test"), for exact spans and
partial overlaps. Then, unless skipped, 5-fold cross-validation of the CRF
on the ANERcorp training part (exact spans, PER/LOC/ORG), with interleaved folds (sentence i
in fold i mod 5) and with contiguous blocks (articles stay whole: harder, closer to new news).
The CRF inside the rule-merged backends is the shipped one; CV retrains it on each fold.
Exits 1 when an exact-span F1 falls below its floor in eval/floors.json (floors.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.arabic import Analyzer  # noqa: E402
from generator.arabic.doctor import available_backends  # noqa: E402
from generator.arabic.scoring import TYPES, Score, Span  # noqa: E402
from eval.floors import check  # noqa: E402

PASSAGES = REPO / "eval" / "ner"
REAL = REPO / "eval" / "real"
DEFAULT_ANERCORP = REPO.parent / "shared" / "data" / "anercorp" / "train.conll"


def load_passages(path: Path) -> list[dict]:
    """Annotated passages: {"id", "text", "entities": [{"start", "end", "type", "text"}]}."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_spans(passage: dict) -> list[Span]:
    return [(e["start"], e["end"], e["type"]) for e in passage["entities"]]


def predicted_spans(analyzer: Analyzer, text: str) -> list[Span]:
    analysis = analyzer.analyze(text)
    return [(m.start, m.end, e.type) for e in analysis.entities if e.type in TYPES for m in e.mentions]


def evaluate(analyzer: Analyzer, passages: list[dict], show_errors: bool) -> tuple[Score, Score]:
    """(exact, partial) scores of one analyzer over the passages."""
    exact, partial = Score(), Score()
    for passage in passages:
        gold, pred = gold_spans(passage), predicted_spans(analyzer, passage["text"])
        exact.add(gold, pred)
        partial.add(gold, pred, partial=True)
        if show_errors:
            print_errors(passage, gold, pred)
    return exact, partial


def print_errors(passage: dict, gold: list[Span], pred: list[Span]) -> None:
    text = passage["text"]
    for s in sorted(set(gold) - set(pred)):
        print(f"  {passage['id']} missed   {s[2]} {text[s[0]:s[1]]}")
    for s in sorted(set(pred) - set(gold)):
        print(f"  {passage['id']} spurious {s[2]} {text[s[0]:s[1]]}")


# fresh, fresh2: passages by annotators who never saw the recognizer (fresh was scored blind
# once, then used for development; fresh2 is blind). real-dev, real-test: real published
# articles (eval/real/SOURCES.md); real-test is kept aside, its errors never listed.
SETS = ("dev", "test", "fresh", "fresh2", "fresh3", "real-dev", "real-test")
KEPT_ASIDE = ("test", "real-test")  # totals only: their errors are never listed


def set_file(name: str) -> Path:
    """eval/ner/NAME.jsonl, or eval/real/ner-PART.jsonl for the real sets."""
    return REAL / f"ner-{name[5:]}.jsonl" if name.startswith("real-") else PASSAGES / f"{name}.jsonl"


def figures_of(backend: str, name: str, exact: Score) -> dict[str, float]:
    """The gate's names for one set's exact-span F1: ner/BACKEND/SET/TYPE and …/all."""
    by_type = {**exact.by_type, "all": exact.total}
    return {f"ner/{backend}/{name}/{t}": c.f1 for t, c in by_type.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anercorp", type=Path, default=DEFAULT_ANERCORP)
    parser.add_argument("--no-anercorp", action="store_true", help="skip the cross-validation")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--split", action="append", choices=("interleaved", "blocks"),
                        help="CV split: sentence i in fold i %% k, or contiguous blocks (default: both)")
    parser.add_argument("--errors", action="store_true", help="list the dev-set errors")
    parser.add_argument("--errors-for", action="append", default=[],
                        choices=[s for s in SETS if s not in KEPT_ASIDE], metavar="SET",
                        help="list the errors of this set (never of a kept-aside one: test, real-test)")
    parser.add_argument("--backend", action="append", help="only these backends")
    parser.add_argument("--set", action="append", choices=SETS, help="only these sets")
    args = parser.parse_args()
    sets = {name: load_passages(set_file(name)) for name in args.set or SETS if set_file(name).exists()}
    figures: dict[str, float] = {}
    for backend in args.backend or available_backends():
        analyzer = Analyzer([], backend=backend)
        for name, passages in sets.items():
            exact, partial = evaluate(analyzer, passages, (args.errors and name == "dev") or name in args.errors_for)
            print(exact.table(f"[{backend}] {name} ({len(passages)} passages), exact spans"))
            print(partial.table(f"[{backend}] {name} ({len(passages)} passages), partial overlap"))
            print()
            figures.update(figures_of(backend, name, exact))
    if args.no_anercorp:
        pass
    elif not args.anercorp.exists():
        print(f"ANERcorp not found at {args.anercorp}: cross-validation skipped (--anercorp PATH)")
    else:
        from generator.arabic.train import cross_validate

        for split in args.split or ("interleaved", "blocks"):
            score = cross_validate(args.anercorp, args.folds, split)
            print(score.table(f"[embedded CRF] ANERcorp train part, {args.folds}-fold CV ({split}), exact spans"))
            figures[f"ner/anercorp-cv-{split}/all"] = score.total.f1
    return check(figures, "ner/")


if __name__ == "__main__":
    sys.exit(main())
