"""Benchmark of Analyzer.analyze (sentences, entities, quotes, summary) on one core.

    .venv/bin/python bench/analyze.py [--articles 10000] [--words 600] [--backend embedded]

Prints the time to build the analyzer (gazetteers, and the CRF model for the embedded
backend), then articles/s and words/s over a synthetic corpus from bench/corpus.py.
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


if __name__ == "__main__":
    main()
