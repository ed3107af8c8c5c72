"""Benchmark of Analyzer.analyze (sentences, entities, quotes, summary) on one core.

    .venv/bin/python bench/analyze.py [--articles 10000] [--words 600] [--backend embedded]

Prints the time to build the analyzer (gazetteers, and the CRF model for the embedded
backend), then articles/s and words/s over a synthetic corpus from bench/corpus.py, then
what quote finding adds to the analysis (best of five rounds over 50 articles).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import article_text  # noqa: E402

from generator.arabic import Analyzer  # noqa: E402
from generator.arabic.normalize import tokenize  # noqa: E402
from generator.arabic.quotes import find_quotes  # noqa: E402
from generator.arabic.sentences import quote_pairs, split_sentences  # noqa: E402


def quote_share(analyzer: Analyzer, articles: int = 50, words: int = 600, rounds: int = 5) -> str:
    """Time Analyzer.analyze on synthetic articles, and the quote step alone.

    The quote step is timed on the same inputs the analyzer gives it, so "without quotes"
    is the analysis time minus that step.
    """
    rng = random.Random(7)
    texts = [article_text(rng, words) for _ in range(articles)]
    inputs = []
    for text in texts:
        pairs = quote_pairs(text)
        entities = analyzer.analyze(text).entities  # what the analyzer hands the quote step
        inputs.append((text, tokenize(text), split_sentences(text, pairs), pairs, entities))
    total = quotes = float("inf")
    for _ in range(rounds):  # best of several rounds: the least disturbed by other work
        t0 = time.perf_counter()
        for text in texts:
            analyzer.analyze(text)
        t1 = time.perf_counter()
        for args in inputs:
            find_quotes(*args)
        t2 = time.perf_counter()
        total, quotes = min(total, (t1 - t0) / articles), min(quotes, (t2 - t1) / articles)
    without = total - quotes
    return (f"quotes ({articles} articles of ~{words} words): analyze {total * 1000:.2f} ms, "
            f"quote step {quotes * 1000:.2f} ms, without it {without * 1000:.2f} ms: "
            f"quotes add {100 * quotes / without:.1f}% (target <= 20%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--backend", default="embedded", help="rules, embedded, bert or auto")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    analyzer = Analyzer([], backend=args.backend)
    load = time.perf_counter() - t0
    print(f"backend {analyzer.backend}: analyzer built in {load:.2f} s (gazetteers"
          f"{' and CRF model' if analyzer.backend == 'embedded' else ''})")
    rng = random.Random(args.seed)
    texts = [article_text(rng, args.words) for _ in range(args.articles)]
    words = sum(len(t.split()) for t in texts)
    t0, c0 = time.perf_counter(), time.process_time()
    entities = 0
    for text in texts:
        entities += len(analyzer.analyze(text).entities)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{len(texts)} articles, {words / len(texts):.0f} words each on average, "
          f"{entities / len(texts):.1f} entities per article")
    # CPU time is what one core gives when the machine is shared; wall time when it is not.
    print(f"{len(texts) / cpu:.0f} articles/s, {words / cpu:.0f} words/s "
          f"({cpu:.1f} s of CPU time on one core; {elapsed:.1f} s wall, {len(texts) / elapsed:.0f} articles/s)")
    print(quote_share(analyzer, words=args.words))


if __name__ == "__main__":
    main()
