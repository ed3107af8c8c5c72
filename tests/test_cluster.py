"""`analysis.cluster`: a real Dask LocalCluster of worker processes analyzes the store (on
PostgreSQL, as a team would share it, and on an SQLite file), and a worker killed in the middle
of the run loses nothing."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import REPO
from generator import pipeline
from generator.analysis import RANGE_SIZE
from generator.config import ConfigError, load_config
from generator.store import Store, copy_store
from generator.store.schema import analyses

distributed = pytest.importorskip("distributed")
sys.path.insert(0, str(REPO / "bench"))
from corpus import stored_articles  # noqa: E402

ARTICLES = 12 * RANGE_SIZE + 3


def stored_analyses(target: str) -> list[tuple]:
    with Store.open(target) as store:
        return [tuple(row) for row in store._rows(
            select(analyses.c.article_id, analyses.c.version, analyses.c.content_hash,
                   analyses.c.data).order_by(analyses.c.article_id))]


def analyzed_count(target: str) -> int:
    with Store.open(target) as store:
        return store._rows(select(func.count()).select_from(analyses))[0][0]


def configured(folder: Path, seed: Path, target: str, analysis: str):
    """A project whose store (at `target`) holds a copy of the seed's articles."""
    with Store.open(seed) as source, Store.open(target) as store:
        copy_store(source, store)
    (folder / "marsad.yml").write_text(
        f"sources: [{{name: مصدر, url: feed.xml}}]\nstore: '{target}'\nanalysis: {analysis}\n",
        encoding="utf-8")
    return load_config(folder / "marsad.yml")


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cluster") / "seed.sqlite"
    with Store.open(path) as store:
        store.add_articles(stored_articles(ARTICLES, words=120, seed=5))
    return path


@pytest.fixture(scope="module")
def one_process(seed, tmp_path_factory) -> list[tuple]:
    folder = tmp_path_factory.mktemp("one")
    config = configured(folder, seed, f"sqlite:///{folder / 'one.sqlite'}", "{workers: 1}")
    assert pipeline.analyze(config, progress=False).analyzed == ARTICLES
    return stored_analyses(config.store)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.CRITICAL) as local:
        yield local


@pytest.fixture(params=["postgresql", "sqlite"])
def shared_store(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite'}"
    return request.getfixturevalue("postgres").new_database()


def test_a_local_cluster_stores_what_one_process_stores(cluster, seed, one_process, shared_store,
                                                        tmp_path) -> None:
    config = configured(tmp_path, seed, shared_store, f"{{cluster: '{cluster.scheduler_address}'}}")
    report = pipeline.analyze(config, progress=False)
    assert (report.analyzed, report.workers, report.where) == (ARTICLES, 2, cluster.scheduler_address)
    assert report.link.articles == ARTICLES  # the main process links what the workers wrote
    assert stored_analyses(config.store) == one_process
    assert pipeline.analyze(config, progress=False).analyzed == 0  # nothing left to do


def test_a_worker_killed_mid_run_loses_nothing(cluster, seed, one_process, postgres, tmp_path) -> None:
    config = configured(tmp_path, seed, postgres.new_database(),
                        f"{{cluster: '{cluster.scheduler_address}'}}")
    with distributed.Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)  # worker address -> process id
    reports = []
    run = threading.Thread(target=lambda: reports.append(pipeline.analyze(config, progress=False)))
    run.start()
    written, deadline = 0, time.monotonic() + 120
    while written < RANGE_SIZE and time.monotonic() < deadline:  # the first range is written
        time.sleep(0.02)
        written = analyzed_count(config.store)
    assert RANGE_SIZE <= written < ARTICLES - 2 * RANGE_SIZE, "the kill must come mid-run"
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    run.join(timeout=300)
    assert reports and reports[0].analyzed == ARTICLES
    assert stored_analyses(config.store) == one_process


def test_an_unreachable_scheduler_is_one_line(seed, tmp_path) -> None:
    config = configured(tmp_path, seed, f"sqlite:///{tmp_path / 's.sqlite'}",
                        "{cluster: 'tcp://127.0.0.1:9'}")
    from generator.cluster import ClusterError

    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        pipeline.analyze(config, progress=False)


def test_the_cluster_address_is_checked(tmp_path) -> None:
    (tmp_path / "marsad.yml").write_text("sources: [{name: s, url: f.xml}]\nanalysis: {cluster: 8786}\n")
    with pytest.raises(ConfigError, match="analysis.cluster: must be a non-empty text"):
        load_config(tmp_path / "marsad.yml")
