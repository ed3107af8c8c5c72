"""The analysis of what waits in the store, spread over the cores of this machine.

The work is cut into ranges of article ids (`id_ranges`). The main process reads each range,
a pool of worker processes analyzes it (each worker builds its Analyzer once), and the main
process writes each range's analyses in one transaction, in range order: whatever the number
of workers, the store receives the same rows in the same order as from one process, and an
interrupted run keeps every range already written. cluster.py hands the same ranges to the
workers of a Dask cluster instead, which read and write the store themselves.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from .arabic import Analyzer
from .model import Article, Watchlist
from .processes import exit_with_parent
from .store import Store, analysis_data

# Articles per range: enough to cover a task's overhead and to fill BERT's batches, few enough
# that the last ranges still keep every worker busy.
RANGE_SIZE = 64
READ_AHEAD = 2  # ranges waiting per worker: it never idles, and memory stays bounded
# Starting the pool costs about a second (a fresh interpreter, then each worker's analyzer):
# a worker pays for itself from about four ranges of work.
RANGES_PER_WORKER = 4


@dataclass(frozen=True)
class AnalyzerSpec:
    """What a worker process needs to build the same Analyzer as the main process would."""

    watchlists: tuple[Watchlist, ...] = ()
    backend: str = "auto"
    device: str = "auto"
    threads: int | None = None  # the BERT backend's torch threads (None: torch's default)
    max_quotes: int = 50  # limits.quotes_per_article: the first ones are kept

    def build(self) -> Analyzer:
        return Analyzer(self.watchlists, self.backend, self.device, self.threads)

    def serialized(self, analyzer: Analyzer, texts: list[str]) -> tuple[list[str], int]:
        """Analyses as the store keeps them, made where they are computed (the main process
        only writes them), each with at most `max_quotes` quotes; and how many were left out."""
        data, left_out = [], 0
        for analysis in analyzer.analyze_many(texts):
            left_out += max(0, len(analysis.quotes) - self.max_quotes)
            del analysis.quotes[self.max_quotes:]
            data.append(analysis_data(analysis))
        return data, left_out


def id_ranges(ids: Sequence[str], size: int = RANGE_SIZE) -> list[tuple[str, str]]:
    """Inclusive (first, last) ranges of `size` consecutive ids of a sorted list."""
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def workers_for(articles: int, workers: int) -> int:
    """How many of `workers` processes are worth starting for this many articles (1: none, the
    analysis runs in this process)."""
    return max(1, min(workers, articles // (RANGE_SIZE * RANGES_PER_WORKER)))


def analyze_pending(store: Store, version: str, ids: Sequence[str], spec: AnalyzerSpec,
                    workers: int, on_done: Callable[[int], None] = lambda n: None
                    ) -> tuple[int, int]:
    """Analyze the articles `ids` (from `store.ids_to_analyze`) with `workers` processes (see
    `workers_for`; 1 runs in this process); returns how many were analyzed, and how many
    quotes past `spec.max_quotes` were left out."""
    ranges = id_ranges(ids)
    batches = (store.articles_to_analyze(version, r) for r in ranges)
    if workers <= 1:
        analyzer = spec.build()
        results = ((articles, spec.serialized(analyzer, [a.text for a in articles]))
                   for articles in batches)
        return _save_all(store, version, results, on_done)
    with _worker_pool(spec, workers) as pool:
        return _save_all(store, version, _in_order(pool, batches, workers * READ_AHEAD), on_done)


def _save_all(store: Store, version: str,
              results: Iterator[tuple[list[Article], tuple[list[str], int]]],
              on_done: Callable[[int], None]) -> tuple[int, int]:
    count = left_out = 0
    for articles, (analyses, cut) in results:
        count += store.save_analysis_data(zip(articles, analyses), version)
        left_out += cut
        on_done(len(articles))
    return count, left_out


def _in_order(pool: ProcessPoolExecutor, batches: Iterator[list[Article]], ahead: int
              ) -> Iterator[tuple[list[Article], tuple[list[str], int]]]:
    """Each batch with its analyses, in the order given, keeping `ahead` batches in flight."""
    waiting: deque[tuple[list[Article], Future]] = deque()
    for articles in batches:
        waiting.append((articles, pool.submit(_analyze_texts, [a.text for a in articles])))
        if len(waiting) >= ahead:
            articles, future = waiting.popleft()
            yield articles, future.result()
    while waiting:
        articles, future = waiting.popleft()
        yield articles, future.result()


@contextmanager
def _worker_pool(spec: AnalyzerSpec, workers: int) -> Iterator[ProcessPoolExecutor]:
    """Workers forked from a fresh server process that imported the analyzer once: nothing the
    main process did (threads, torch) leaks into them, and none re-imports the analyzer."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["generator.analysis"])
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(spec,)) as pool:
        yield pool


_worker: tuple[AnalyzerSpec, Analyzer] | None = None  # one per worker, built by _start_worker


def _start_worker(spec: AnalyzerSpec) -> None:
    global _worker
    exit_with_parent()
    _worker = spec, spec.build()


def _analyze_texts(texts: list[str]) -> tuple[list[str], int]:
    assert _worker is not None, "a worker runs _start_worker first"
    spec, analyzer = _worker
    return spec.serialized(analyzer, texts)
