"""`analysis.cluster`: a real Dask LocalCluster of worker processes analyzes the store, and a
worker killed in the middle of the run loses nothing."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from generator import pipeline
from generator.analysis import RANGE_SIZE
from generator.config import ConfigError, load_config
from generator.store import Store

distributed = pytest.importorskip("distributed")
sys.path.insert(0, str(REPO / "bench"))
from corpus import stored_articles  # noqa: E402

ARTICLES = 16 * RANGE_SIZE + 3


def analyses(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT article_id, version, content_hash, data FROM analyses "
                                  "ORDER BY article_id").fetchall()


def configured(folder: Path, seed: Path, analysis: str):
    (folder / ".marsad").mkdir(parents=True)
    shutil.copy(seed, folder / ".marsad" / "marsad.sqlite")
    (folder / "marsad.yml").write_text(f"sources: [{{name: مصدر, url: feed.xml}}]\nanalysis: {analysis}\n",
                                       encoding="utf-8")
    return load_config(folder / "marsad.yml")


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cluster") / "seed.sqlite"
    with Store.open(path) as store:
        store.add_articles(stored_articles(ARTICLES, words=150, seed=5))
    return path


@pytest.fixture(scope="module")
def one_process(seed, tmp_path_factory) -> list[tuple]:
    config = configured(tmp_path_factory.mktemp("one"), seed, "{workers: 1}")
    assert pipeline.analyze(config, progress=False).analyzed == ARTICLES
    return analyses(config.db_path)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local


def test_a_local_cluster_stores_what_one_process_stores(cluster, seed, one_process, tmp_path) -> None:
    config = configured(tmp_path, seed, f"{{cluster: '{cluster.scheduler_address}'}}")
    report = pipeline.analyze(config, progress=False)
    assert (report.analyzed, report.workers, report.where) == (ARTICLES, 2, cluster.scheduler_address)
    assert analyses(config.db_path) == one_process
    assert pipeline.analyze(config, progress=False).analyzed == 0  # nothing left to do


def test_a_worker_killed_mid_run_loses_nothing(cluster, seed, one_process, tmp_path) -> None:
    config = configured(tmp_path, seed, f"{{cluster: '{cluster.scheduler_address}'}}")
    with distributed.Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)  # worker address -> process id
    reports = []
    run = threading.Thread(target=lambda: reports.append(pipeline.analyze(config, progress=False)))
    run.start()
    written = 0
    deadline = time.monotonic() + 120
    while written < RANGE_SIZE and time.monotonic() < deadline:  # the first range is written
        time.sleep(0.02)
        with sqlite3.connect(config.db_path) as connection:
            written = connection.execute("SELECT count(*) FROM analyses").fetchone()[0]
    assert RANGE_SIZE <= written < ARTICLES - 2 * RANGE_SIZE, "the kill must come mid-run"
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    run.join(timeout=300)
    assert reports and reports[0].analyzed == ARTICLES
    assert analyses(config.db_path) == one_process


def test_an_unreachable_scheduler_is_one_line(seed, tmp_path) -> None:
    config = configured(tmp_path, seed, "{cluster: 'tcp://127.0.0.1:9'}")
    from generator.cluster import ClusterError

    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        pipeline.analyze(config, progress=False)


def test_the_cluster_address_is_checked(tmp_path) -> None:
    (tmp_path / "marsad.yml").write_text("sources: [{name: s, url: f.xml}]\nanalysis: {cluster: 8786}\n")
    with pytest.raises(ConfigError, match="analysis.cluster: must be a non-empty text"):
        load_config(tmp_path / "marsad.yml")
