"""`marsad analyze` on a Dask cluster, when `analysis.cluster` names its scheduler.

The main process cuts the articles to analyze into the same id ranges as the local pool
(analysis.id_ranges) and submits one task per range. Each worker process builds its Analyzer
once (a worker plugin, also run on workers that join later); a task reads the articles of its
range that still need analysis from the store, analyzes them and writes their analyses itself,
in one transaction. When a worker dies, the scheduler gives its unfinished tasks to another
worker: a range written before the death is found up to date and skipped, one not written is
analyzed again, so nothing is lost and nothing is counted twice (the count comes from the store).

Every worker must reach the store: a PostgreSQL server, or an SQLite file on a disk that all
workers see (one machine; SQLite takes one writer at a time, which ranges of 64 articles keep
short).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from distributed import Client, WorkerPlugin, as_completed, get_worker

from .analysis import RANGE_SIZE, AnalyzerSpec, id_ranges
from .store import Store, analysis_data

PLUGIN = "marsad-analyzer"
CONNECT_SECONDS = 10


class ClusterError(RuntimeError):
    """The cluster cannot be reached or could not finish; one line for the user."""


class AnalyzerPlugin(WorkerPlugin):
    """Builds the worker's Analyzer when the worker starts, and keeps its store open; tasks then
    share them, one at a time (the analysis holds the GIL anyway, and the BERT tagger keeps
    per-call state)."""

    def __init__(self, spec: AnalyzerSpec) -> None:
        self.spec = spec

    def setup(self, worker) -> None:
        self.analyzer = self.spec.build()
        self.lock = threading.Lock()
        self.stores: dict[str, Store] = {}

    def teardown(self, worker) -> None:
        for store in self.stores.values():
            store.close()

    def store(self, location: str) -> Store:
        if location not in self.stores:
            self.stores[location] = Store.open(location)
        return self.stores[location]


def analyze_on_cluster(address: str, store_location: str, version: str, ids: Sequence[str],
                       spec: AnalyzerSpec, on_done: Callable[[int], None] = lambda n: None
                       ) -> tuple[int, int]:
    """Analyze the articles `ids` on the cluster at `address`; returns (articles analyzed,
    workers of the cluster)."""
    ranges = id_ranges(ids)
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"analysis.cluster: cannot reach the Dask scheduler at {address} ({exc})") from None
    with client:
        client.register_plugin(AnalyzerPlugin(spec), name=PLUGIN)
        workers = len(client.scheduler_info()["workers"])
        futures = {client.submit(analyze_range, store_location, version, within, pure=False):
                   min(RANGE_SIZE, len(ids) - start)
                   for within, start in zip(ranges, range(0, len(ids), RANGE_SIZE))}
        try:
            for future in as_completed(futures):
                future.result()
                on_done(futures[future])
        except Exception as exc:  # KilledWorker (a range that killed worker after worker), a bug
            raise ClusterError(f"analysis on the cluster at {address} stopped: "
                               f"{type(exc).__name__}: {exc}") from exc
    with Store.open(store_location) as store:
        left = set(store.ids_to_analyze(version)).intersection(ids)
    return len(ids) - len(left), workers


def analyze_range(store_location: str, version: str, within: tuple[str, str]) -> int:
    """A task: analyze and store the articles of one id range that still need it."""
    plugin = get_worker().plugins[PLUGIN]
    with plugin.lock:
        store = plugin.store(store_location)
        articles = store.articles_to_analyze(version, within)
        analyses = plugin.analyzer.analyze_many([a.text for a in articles])
        return store.save_analysis_data(
            ((article, analysis_data(analysis)) for article, analysis in zip(articles, analyses)), version)
