"""Story clustering and story summaries, scored on the hand-labelled sets in eval/stories/.

    python eval/stories.py [dev|test|fresh ...]   (default: all three)

Each line of eval/stories/<set>.jsonl is an article of an invented outlet, labelled with the
event it reports (README.md there). The articles are analyzed, clustered day by day exactly as
`marsad analyze` does, and the stories compared with the events:
- pairwise precision/recall/F1 over all pairs of articles, and B-cubed;
- continuation: the share of events spanning several days whose articles of every later day
  join the story of its first day;
- summaries (on the labelled events, so that clustering errors do not blur them): ROUGE-1 and
  ROUGE-L F1 against the reference summaries of summaries.jsonl, next to lead-3 (the first three
  sentences of the event's first article), and a count of sentences repeated within a summary.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.arabic import Analyzer  # noqa: E402
from generator.arabic.summary import is_summary_sentence  # noqa: E402
from generator.arabic.terms import folded_words  # noqa: E402
from generator.model import Article  # noqa: E402
from generator.stories import cluster_days, incoming  # noqa: E402
from generator.summarize import summarize_story  # noqa: E402

HERE = Path(__file__).resolve().parent / "stories"
TZ = ZoneInfo("Asia/Riyadh")


def load(name: str) -> list[dict]:
    with open(HERE / f"{name}.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def article(row: dict) -> Article:
    published = datetime.fromisoformat(row["published"]).astimezone(timezone.utc)
    return Article(row["id"], row["outlet"], "عام", f"https://eval.example/{row['id']}",
                   row["title"], published, published, "", row["text"],
                   hashlib.sha1(row["text"].encode("utf-8")).hexdigest(),
                   duplicate_of=row.get("duplicate_of", ""))


def pairwise(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    same_gold = same_pred = both = 0
    for a, b in combinations(sorted(gold), 2):
        g, p = gold[a] == gold[b], predicted[a] == predicted[b]
        same_gold += g
        same_pred += p
        both += g and p
    return _prf(both / same_pred if same_pred else 1.0, both / same_gold if same_gold else 1.0)


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    by_gold, by_pred = defaultdict(set), defaultdict(set)
    for item in gold:
        by_gold[gold[item]].add(item)
        by_pred[predicted[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        shared = len(by_gold[gold[item]] & by_pred[predicted[item]])
        precision += shared / len(by_pred[predicted[item]])
        recall += shared / len(by_gold[gold[item]])
    return _prf(precision / len(gold), recall / len(gold))


def _prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def continuation(rows: list[dict], predicted: dict[str, str]) -> tuple[int, int]:
    """(events continued correctly, events spanning several days)."""
    days: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        day = datetime.fromisoformat(row["published"]).astimezone(TZ).date()
        days[row["event"]][day].append(predicted[row["id"]])
    spanning = [e for e in days if len(days[e]) > 1]
    correct = 0
    for event in spanning:
        ordered = [days[event][d] for d in sorted(days[event])]
        first = Counter(ordered[0]).most_common(1)[0][0]
        correct += all(set(stories) == {first} for stories in ordered[1:])
    return correct, len(spanning)


def rouge(candidate: list[str], reference: list[str]) -> tuple[float, float]:
    """ROUGE-1 and ROUGE-L F1 over normalized words."""
    overlap = sum((Counter(candidate) & Counter(reference)).values())
    r1 = _prf(overlap / len(candidate), overlap / len(reference))[2] if candidate and overlap else 0.0
    lcs = _lcs(candidate, reference)
    rl = _prf(lcs / len(candidate), lcs / len(reference))[2] if candidate and lcs else 0.0
    return r1, rl


def _lcs(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, start=1):
            current = row[j]
            row[j] = previous + 1 if x == y else max(row[j], row[j - 1])
            previous = current
    return row[-1]


def lead3(items) -> list[str]:
    first = min(items, key=lambda pair: (pair[0].published, pair[0].id))[1]
    return [" ".join(s.split()) for s in first.sentences if is_summary_sentence(s)][:3]


def evaluate(name: str, analyzer: Analyzer, references: dict[str, str]) -> None:
    rows = load(name)
    articles = {row["id"]: article(row) for row in rows}
    analyses = {i: analyzer.analyze(a.text) for i, a in articles.items() if not a.duplicate_of}
    members = cluster_days(incoming(a, analyses.get(i), TZ) for i, a in articles.items())
    predicted = {m.article_id: m.story_id for m in members}
    gold = {row["id"]: row["event"] for row in rows}
    days = {datetime.fromisoformat(r["published"]).astimezone(TZ).date() for r in rows}
    print(f"{name}: {len(rows)} articles, {len(set(gold.values()))} events over {len(days)} days, "
          f"{len(set(predicted.values()))} stories found")
    print("  pairwise   P {:.3f}  R {:.3f}  F1 {:.3f}".format(*pairwise(gold, predicted)))
    print("  B-cubed    P {:.3f}  R {:.3f}  F1 {:.3f}".format(*bcubed(gold, predicted)))
    correct, spanning = continuation(rows, predicted)
    print(f"  continued across days: {correct}/{spanning} events "
          f"({correct / spanning if spanning else 1:.3f})")
    _summaries(rows, articles, analyses, references)


def _summaries(rows, articles, analyses, references: dict[str, str]) -> None:
    events: dict[str, list] = defaultdict(list)
    for row in rows:
        if row["id"] in analyses:
            events[row["event"]].append((articles[row["id"]], analyses[row["id"]]))
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    repeated = 0
    for event, items in sorted(events.items()):
        if event not in references:
            continue
        reference = folded_words(references[event])
        summary = summarize_story(items)
        repeated += len(summary) - len({" ".join(s.split()) for s in summary})
        kind = "multi" if len(items) > 1 else "single"
        scores[f"{kind} method"].append(rouge(folded_words(" ".join(summary)), reference))
        scores[f"{kind} lead-3"].append(rouge(folded_words(" ".join(lead3(items))), reference))
    for kind in ("multi", "single"):
        method, lead = scores.get(f"{kind} method"), scores.get(f"{kind} lead-3")
        if not method:
            continue
        print(f"  summaries, {kind}-article stories ({len(method)}): "
              f"ROUGE-1 {_mean(method, 0):.3f} vs lead-3 {_mean(lead, 0):.3f}; "
              f"ROUGE-L {_mean(method, 1):.3f} vs lead-3 {_mean(lead, 1):.3f}")
    print(f"  sentences repeated within a summary: {repeated}")


def _mean(pairs, index: int) -> float:
    return sum(p[index] for p in pairs) / len(pairs)


def main(names: list[str]) -> None:
    analyzer = Analyzer()
    references = {r["event"]: r["summary"] for r in load("summaries")}
    for name in names or ["dev", "test", "fresh"]:
        evaluate(name, analyzer, references)


if __name__ == "__main__":
    main(sys.argv[1:])
